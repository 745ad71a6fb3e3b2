"""The calendar feed's cache (X1): each call's VEVENT as written, and a revision of what the feed shows.

``feed_events`` keeps, per call and per kind of export (with or without the
internal notes, X2), the serialized VEVENT and the digest of everything it was
made from; ``feed_pieces`` keeps the calendar's other parts (its header, each
zone's VTIMEZONE) by the digest of what made them. Both are derived data: a
missing or stale row is made again, so the cache can make an export faster,
never different. They live in the desk's database, not beside a feed file,
because the CLI, the desk and ``feed serve`` are different processes that
share it. A deleted call takes its cached events with it (ON DELETE CASCADE).

``feed_state`` is one row of two counters that triggers raise in the same
transaction as any change to what a feed shows: ``revision`` for the calls,
their customers' names, plans, zones and contacts, the TAM's name and address
and the alarm setting; ``notes_revision`` for what only an export with notes
shows (the customers' notes, the open cases' titles, severities and states).
A change to anything else (a time entry, a case's SLA step) raises neither, so
the auto feed's after-commit hook compares the counters with its stamp and is
done. The triggers are SQLite's; another database needs its own.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 03:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_SHOWN = "BEGIN UPDATE feed_state SET revision = revision + 1; END"
_NOTES = "BEGIN UPDATE feed_state SET notes_revision = notes_revision + 1; END"


def _CHANGED(*columns: str) -> str:
    """A trigger's condition: one of ``columns`` holds another value (an update that rewrites the same one is no change)."""
    return "(" + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns) + ")"


TRIGGERS = {
    "feed_call_added": f"AFTER INSERT ON calls {_SHOWN}",
    "feed_call_changed": f"AFTER UPDATE ON calls {_SHOWN}",
    "feed_call_removed": f"AFTER DELETE ON calls {_SHOWN}",
    "feed_customer_changed": (
        f"AFTER UPDATE OF name, plan, tz, tam_id ON customers WHEN {_CHANGED('name', 'plan', 'tz', 'tam_id')} {_SHOWN}"
    ),
    "feed_customer_notes_changed": f"AFTER UPDATE OF notes ON customers WHEN {_CHANGED('notes')} {_NOTES}",
    "feed_customer_removed": f"AFTER DELETE ON customers {_SHOWN}",
    "feed_contact_added": f"AFTER INSERT ON contacts {_SHOWN}",
    "feed_contact_changed": f"AFTER UPDATE ON contacts {_SHOWN}",
    "feed_contact_removed": f"AFTER DELETE ON contacts {_SHOWN}",
    "feed_case_added": f"AFTER INSERT ON cases {_NOTES}",
    "feed_case_changed": (
        "AFTER UPDATE OF title, severity, status, customer_id, tam_id ON cases "
        f"WHEN {_CHANGED('title', 'severity', 'status', 'customer_id', 'tam_id')} {_NOTES}"
    ),
    "feed_case_removed": f"AFTER DELETE ON cases {_NOTES}",
    "feed_tam_changed": f"AFTER UPDATE OF name, email ON tams WHEN {_CHANGED('name', 'email')} {_SHOWN}",
    "feed_setting_added": f"AFTER INSERT ON settings WHEN NEW.key IN ('alarm_minutes', 'current_tam') {_SHOWN}",
    "feed_setting_changed": (
        f"AFTER UPDATE ON settings WHEN NEW.key IN ('alarm_minutes', 'current_tam') AND {_CHANGED('value')} {_SHOWN}"
    ),
    "feed_setting_removed": f"AFTER DELETE ON settings WHEN OLD.key IN ('alarm_minutes', 'current_tam') {_SHOWN}",
}


def upgrade() -> None:
    op.create_table(
        'feed_events',
        sa.Column('call_id', sa.Integer(), sa.ForeignKey('calls.id', ondelete='CASCADE'), nullable=False),
        sa.Column('notes', sa.Boolean(), nullable=False),
        sa.Column('digest', sa.String(32), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('call_id', 'notes', name='pk_feed_events'),
    )
    op.create_table(
        'feed_pieces',
        sa.Column('digest', sa.String(32), primary_key=True),
        sa.Column('body', sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        'feed_state',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('notes_revision', sa.Integer(), nullable=False),
        sa.CheckConstraint('id = 1', name='ck_feed_state_one_row'),
    )
    op.execute("INSERT INTO feed_state (id, revision, notes_revision) VALUES (1, 0, 0)")
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.drop_table('feed_state')
    op.drop_table('feed_pieces')
    op.drop_table('feed_events')
