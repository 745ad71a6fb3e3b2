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
done. On PostgreSQL the same triggers call two PL/pgSQL functions, one per counter.

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
#: PostgreSQL's trigger functions, named for the counter they raise (the bodies above, as functions).
_PG_FUNCTIONS = {_SHOWN: "feed_shown", _NOTES: "feed_notes"}


def _CHANGED(*columns: str, differs: str = "IS NOT") -> str:
    """A trigger's condition: one of ``columns`` holds another value (an update that rewrites the same one is no change)."""
    return "(" + " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in columns) + ")"


#: Each trigger: (when it fires, on which change or None for any, the counter's body).
_FIRES = {
    "feed_call_added": ("AFTER INSERT ON calls", None, _SHOWN),
    "feed_call_changed": ("AFTER UPDATE ON calls", None, _SHOWN),
    "feed_call_removed": ("AFTER DELETE ON calls", None, _SHOWN),
    "feed_customer_changed": ("AFTER UPDATE OF name, plan, tz, tam_id ON customers", ("name", "plan", "tz", "tam_id"), _SHOWN),
    "feed_customer_notes_changed": ("AFTER UPDATE OF notes ON customers", ("notes",), _NOTES),
    "feed_customer_removed": ("AFTER DELETE ON customers", None, _SHOWN),
    "feed_contact_added": ("AFTER INSERT ON contacts", None, _SHOWN),
    "feed_contact_changed": ("AFTER UPDATE ON contacts", None, _SHOWN),
    "feed_contact_removed": ("AFTER DELETE ON contacts", None, _SHOWN),
    "feed_case_added": ("AFTER INSERT ON cases", None, _NOTES),
    "feed_case_changed": (
        "AFTER UPDATE OF title, severity, status, customer_id, tam_id ON cases",
        ("title", "severity", "status", "customer_id", "tam_id"),
        _NOTES,
    ),
    "feed_case_removed": ("AFTER DELETE ON cases", None, _NOTES),
    "feed_tam_changed": ("AFTER UPDATE OF name, email ON tams", ("name", "email"), _SHOWN),
    "feed_setting_added": ("AFTER INSERT ON settings", "NEW.key IN ('alarm_minutes', 'current_tam')", _SHOWN),
    "feed_setting_changed": ("AFTER UPDATE ON settings", "NEW.key IN ('alarm_minutes', 'current_tam')", _SHOWN),
    "feed_setting_removed": ("AFTER DELETE ON settings", "OLD.key IN ('alarm_minutes', 'current_tam')", _SHOWN),
}


def _when(condition: str | tuple[str, ...] | None, differs: str) -> str:
    """The trigger's WHEN condition, or "" for any change; settings' value counts as changed only when it differs."""
    if condition is None:
        return ""
    if isinstance(condition, tuple):
        return _CHANGED(*condition, differs=differs)
    return condition


def _sqlite_trigger(name: str) -> str:
    event, condition, body = _FIRES[name]
    when = _when(condition, "IS NOT")
    if name == "feed_setting_changed":
        when = f"{when} AND {_CHANGED('value')}"
    return f"{event} WHEN {when} {body}" if when else f"{event} {body}"


def _postgresql_trigger(name: str) -> str:
    event, condition, body = _FIRES[name]
    when = _when(condition, "IS DISTINCT FROM")
    if name == "feed_setting_changed":
        when = f"{when} AND {_CHANGED('value', differs='IS DISTINCT FROM')}"
    return f"{event} FOR EACH ROW {f'WHEN ({when}) ' if when else ''}EXECUTE FUNCTION {_PG_FUNCTIONS[body]}()"


TRIGGERS = {name: _sqlite_trigger(name) for name in _FIRES}


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
    if op.get_bind().dialect.name == "sqlite":
        for name, body in TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        return
    for body, function in _PG_FUNCTIONS.items():
        update = body.removeprefix("BEGIN ").removesuffix(" END")
        op.execute(f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {update} RETURN NULL; END $$")
    for name in _FIRES:
        op.execute(f"CREATE TRIGGER {name} {_postgresql_trigger(name)}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    else:
        for function in _PG_FUNCTIONS.values():
            op.execute(f"DROP FUNCTION {function}() CASCADE")
    op.drop_table('feed_state')
    op.drop_table('feed_pieces')
    op.drop_table('feed_events')
