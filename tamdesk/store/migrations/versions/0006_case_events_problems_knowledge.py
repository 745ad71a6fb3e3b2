"""Cases on the clock: their history of events, problem records, the checklist and the knowledge base.

A case's deadlines are read from its events every time (L3, L8-L10), so every
existing case gets the history it already has: a ``filed`` event at
``filed_at``, an ``opened`` one at ``opened_at`` where it left the queue, a
``resolved`` one at ``resolved_at`` with its note.

The knowledge base (L12) is an SQLite FTS5 table kept in step by triggers on
``cases`` and ``problems``: whatever writes a title, a resolution note or a
solution (a use-case, an undo, the demo) updates the index in the same
transaction, and no path can forget to. A row's ``rowid`` says what it is: a
case's id times two, or a problem's id times two plus one, so a trigger finds
it again without scanning.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 00:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

#: Every row the knowledge base holds, for one kind of record: (rowid, tam, title, body).
CASE_ROW = "NEW.id * 2, NEW.tam_id, NEW.title, coalesce(NEW.resolution_note, '')"
PROBLEM_ROW = "NEW.id * 2 + 1, NEW.tam_id, NEW.title, coalesce(NEW.solution, '')"
TRIGGERS = {
    "knowledge_case_added": f"AFTER INSERT ON cases BEGIN INSERT INTO knowledge (rowid, tam, title, body) VALUES ({CASE_ROW}); END",
    "knowledge_case_changed": (
        "AFTER UPDATE OF title, resolution_note ON cases BEGIN DELETE FROM knowledge WHERE rowid = OLD.id * 2; "
        f"INSERT INTO knowledge (rowid, tam, title, body) VALUES ({CASE_ROW}); END"
    ),
    "knowledge_case_removed": "AFTER DELETE ON cases BEGIN DELETE FROM knowledge WHERE rowid = OLD.id * 2; END",
    "knowledge_problem_added": (
        f"AFTER INSERT ON problems BEGIN INSERT INTO knowledge (rowid, tam, title, body) VALUES ({PROBLEM_ROW}); END"
    ),
    "knowledge_problem_changed": (
        "AFTER UPDATE OF title, solution ON problems BEGIN DELETE FROM knowledge WHERE rowid = OLD.id * 2 + 1; "
        f"INSERT INTO knowledge (rowid, tam, title, body) VALUES ({PROBLEM_ROW}); END"
    ),
    "knowledge_problem_removed": "AFTER DELETE ON problems BEGIN DELETE FROM knowledge WHERE rowid = OLD.id * 2 + 1; END",
}


def upgrade() -> None:
    op.create_table('problems',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tam_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('solution', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['tam_id'], ['tams.id'], name=op.f('fk_problems_tam_id_tams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problems'))
    )
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problems_tam_id'), ['tam_id'], unique=False)
    op.create_table('case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('severity', sa.String(length=16), nullable=True),
    sa.Column('item', sa.String(length=16), nullable=True),
    sa.Column('problem_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_events_case_id'), ['case_id'], unique=False)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checklist', sa.Boolean(), server_default=sa.text('0'), nullable=False))
        batch_op.add_column(sa.Column('problem_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_problem_id'), ['problem_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cases_problem_id_problems'), 'problems', ['problem_id'], ['id'])
    # The history each existing case already has (instants are copied as stored: UTC text).
    op.execute("INSERT INTO case_events (case_id, at, kind, severity) SELECT id, filed_at, 'filed', severity FROM cases")
    op.execute(
        "INSERT INTO case_events (case_id, at, kind) SELECT id, opened_at, 'opened' FROM cases WHERE opened_at IS NOT NULL"
    )
    op.execute(
        "INSERT INTO case_events (case_id, at, kind, note) "
        "SELECT id, resolved_at, 'resolved', resolution_note FROM cases WHERE resolved_at IS NOT NULL"
    )
    # unicode61 without diacritics: "cafe" finds "café", as customers are found (README)
    op.execute(
        "CREATE VIRTUAL TABLE knowledge USING fts5(title, body, tam UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute(
        "INSERT INTO knowledge (rowid, tam, title, body) SELECT id * 2, tam_id, title, coalesce(resolution_note, '') FROM cases"
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE knowledge")
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_problem_id_problems'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cases_problem_id'))
        batch_op.drop_column('problem_id')
        batch_op.drop_column('checklist')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_events_case_id'))
    op.drop_table('case_events')
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problems_tam_id'))
    op.drop_table('problems')
