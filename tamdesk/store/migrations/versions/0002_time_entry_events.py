"""The history of time entries: each edit and deletion, with the entry before and after (B5).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 19:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('time_entry_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_entry_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('before', sa.Text(), nullable=False),
    sa.Column('after', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_entry_events'))
    )
    with op.batch_alter_table('time_entry_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_entry_events_time_entry_id'), ['time_entry_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('time_entry_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_time_entry_events_time_entry_id'))
    op.drop_table('time_entry_events')
