"""Emergency engagements, their time entries with daily approvals, and their issued invoices (SPEC E1-E5).

Invoices are stored when issued, with their lines, rather than derived from the
entries each time they are read. E5 says an invoice is *issued*: the guarantee's
when the feasible answer is given, normalization's when normality is reached,
mitigation's at close. Once sent, an invoice is a document the customer holds; a
day approved later, a rate changed in the catalogue or a customer moved to
another plan must not change what it says. Deriving it would make every one of
those a silent change of an invoice already paid, so each invoice and its lines
(integer cents, E5) are written once, in the transaction that issues it, and only
``tamdesk undo`` of that very step takes them back.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 02:45:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('emergencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tam_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('feasibility_at', sa.DateTime(), nullable=True),
    sa.Column('feasible', sa.Boolean(), nullable=True),
    sa.Column('normalize_minutes', sa.Integer(), nullable=True),
    sa.Column('mitigate_minutes', sa.Integer(), nullable=True),
    sa.Column('risk', sa.Text(), nullable=True),
    sa.Column('feasibility_note', sa.Text(), nullable=True),
    sa.Column('guarantee_hours', sa.Integer(), nullable=False),
    sa.Column('guarantee', sa.String(length=16), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('express_rate_cents', sa.Integer(), nullable=False),
    sa.Column('mitigation_rate_cents', sa.Integer(), nullable=False),
    sa.Column('monthly_plan', sa.Boolean(), nullable=False),
    sa.Column('normalized_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_emergencies_customer_id_customers')),
    sa.ForeignKeyConstraint(['tam_id'], ['tams.id'], name=op.f('fk_emergencies_tam_id_tams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emergencies'))
    )
    op.create_index('ix_emergencies_tam_status', 'emergencies', ['tam_id', 'status'], unique=False)
    op.create_index(op.f('ix_emergencies_customer_id'), 'emergencies', ['customer_id'], unique=False)
    op.create_table('emergency_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tam_id', sa.Integer(), nullable=False),
    sa.Column('emergency_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=16), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('work_date', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('logged_at', sa.DateTime(), nullable=False),
    sa.Column('approved_by', sa.String(length=200), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['emergency_id'], ['emergencies.id'], name=op.f('fk_emergency_entries_emergency_id_emergencies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tam_id'], ['tams.id'], name=op.f('fk_emergency_entries_tam_id_tams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emergency_entries'))
    )
    op.create_index(op.f('ix_emergency_entries_emergency_id'), 'emergency_entries', ['emergency_id'], unique=False)
    op.create_table('emergency_invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tam_id', sa.Integer(), nullable=False),
    sa.Column('emergency_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('total_cents', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['emergency_id'], ['emergencies.id'], name=op.f('fk_emergency_invoices_emergency_id_emergencies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tam_id'], ['tams.id'], name=op.f('fk_emergency_invoices_tam_id_tams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emergency_invoices')),
    sa.UniqueConstraint('emergency_id', 'number', name=op.f('uq_emergency_invoices_emergency_id'))
    )
    op.create_index(op.f('ix_emergency_invoices_emergency_id'), 'emergency_invoices', ['emergency_id'], unique=False)
    op.create_table('emergency_invoice_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tam_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('rate_cents', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['emergency_invoices.id'], name=op.f('fk_emergency_invoice_lines_invoice_id_emergency_invoices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tam_id'], ['tams.id'], name=op.f('fk_emergency_invoice_lines_tam_id_tams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emergency_invoice_lines'))
    )
    op.create_index(op.f('ix_emergency_invoice_lines_invoice_id'), 'emergency_invoice_lines', ['invoice_id'], unique=False)


def downgrade() -> None:
    op.drop_table('emergency_invoice_lines')
    op.drop_table('emergency_invoices')
    op.drop_table('emergency_entries')
    op.drop_table('emergencies')
