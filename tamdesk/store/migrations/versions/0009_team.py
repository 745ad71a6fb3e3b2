"""A team on one database: managers, TAM names found like customers', and the history of reassignments.

``tams.manager`` says who reads every TAM's rows and may reassign them;
``tams.name_key`` is the name without case or accents (``names.folded``), unique,
so that ``--as`` finds a TAM as ``Unit.customer`` finds a customer. Columns are
added (never a rebuilt table: other tables' foreign keys point at ``tams``) and
filled here in plain SQL that any database runs. ``assignments`` keeps each
move of a customer or a case from one TAM to another, and who made it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 06:00:00
"""

from alembic import op
import sqlalchemy as sa

from tamdesk.domain.names import folded


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('tams', sa.Column('manager', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('tams', sa.Column('name_key', sa.String(length=200), nullable=False, server_default=''))
    tams = sa.table('tams', sa.column('id', sa.Integer()), sa.column('name', sa.String()), sa.column('name_key', sa.String()))
    connection = op.get_bind()
    taken: set[str] = set()
    for tam_id, name in connection.execute(sa.select(tams.c.id, tams.c.name).order_by(tams.c.id)).all():
        key = folded(name or '') or f'tam {tam_id}'
        if key in taken:  # two TAMs of one name before names had to differ: the later keeps its id in its key
            key = f'{key} #{tam_id}'
        taken.add(key)
        connection.execute(tams.update().where(tams.c.id == tam_id).values(name_key=key))
    op.create_index('uq_tams_name_key', 'tams', ['name_key'], unique=True)
    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('from_tam_id', sa.Integer(), nullable=False),
    sa.Column('to_tam_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by_tam_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['from_tam_id'], ['tams.id'], name=op.f('fk_assignments_from_tam_id_tams')),
    sa.ForeignKeyConstraint(['to_tam_id'], ['tams.id'], name=op.f('fk_assignments_to_tam_id_tams')),
    sa.ForeignKeyConstraint(['by_tam_id'], ['tams.id'], name=op.f('fk_assignments_by_tam_id_tams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    op.create_index('ix_assignments_record', 'assignments', ['kind', 'record_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_assignments_record', table_name='assignments')
    op.drop_table('assignments')
    op.drop_index('uq_tams_name_key', table_name='tams')
    op.drop_column('tams', 'name_key')
    op.drop_column('tams', 'manager')
