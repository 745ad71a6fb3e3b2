"""An index of the calls still scheduled, for the S2 warning about calls that ended unmarked.

The warning reads every call of the TAM whose start has passed and that is still
scheduled, with no lower bound; without this index SQLite walks every past call
of the TAM (10,000 on a five-year desk) on each reload of the week. The index
holds only scheduled calls, a few hundred at most.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 21:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None
SCHEDULED = sa.text("status = 'scheduled'")


def upgrade() -> None:
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(
            'ix_calls_tam_scheduled', ['tam_id', 'starts_at'], unique=False, sqlite_where=SCHEDULED,
            postgresql_where=SCHEDULED,
        )


def downgrade() -> None:
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index('ix_calls_tam_scheduled')
