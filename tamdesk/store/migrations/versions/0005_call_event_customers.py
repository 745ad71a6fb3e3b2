"""Each call event names its call's customer, and the TAM's departures are indexed by customer (S6).

The S4/S6 ledgers ask, for the TAM's customers, which working calls the TAM
moved or cancelled away from a span of time. The old index, by (who, from when),
holds every TAM's departures: on a team desk of fifty TAMs SQLite walked 7,900
of them, each looked up in ``calls``, to find the 77 of one TAM's customers
(120 ms of every ``tamdesk week``, measured on the benchmarks' team desk). With
the customer on the event and the index leading with it, the same question
reads those 77 (6 ms), and one TAM's desk reads no more than before. A call
never changes customer, so the copy cannot drift.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 00:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('call_events', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('customer_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE call_events SET customer_id = (SELECT calls.customer_id FROM calls WHERE calls.id = call_events.call_id)"
    )
    with op.batch_alter_table('call_events', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_call_events_by_from')
        batch_op.create_index('ix_call_events_departures', ['customer_id', 'by', 'from_starts_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('call_events', schema=None) as batch_op:
        batch_op.drop_index('ix_call_events_departures')
        batch_op.create_index('ix_call_events_by_from', ['by', 'from_starts_at'], unique=False)
        batch_op.drop_column('customer_id')
