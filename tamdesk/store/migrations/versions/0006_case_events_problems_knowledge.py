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

PostgreSQL has no FTS5: there ``knowledge`` is a plain table with the same
``rowid``, ``tam``, ``title`` and ``body`` and a ``words`` array (every word of
title and body, lower case, accents removed by the ``unaccent`` extension),
with a GIN index, kept by PL/pgSQL triggers of the same names. A word array
rather than a ``tsvector``: PostgreSQL's text-search parser reads a
hyphenated word, an address or a path as words of its own, which FTS5's
unicode61 does not; words cut where FTS5 cuts them (letters and digits) find the same
hits, and ``tamdesk.services.knowledge`` ranks them with FTS5's own bm25.

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


#: PostgreSQL's knowledge base (see the module's notes): the words of a text, and the triggers' functions.
PG_WORDS = (
    "CREATE FUNCTION knowledge_words(title text, body text) RETURNS text[] LANGUAGE sql STABLE AS $$ "
    "SELECT coalesce(array_agg(lower(unaccent(m[1]))), '{}') FROM regexp_matches(title || ' ' || body, '(\\w+)', 'g') AS m $$"
)
PG_FUNCTIONS = {
    # (the function, the row's rowid from OLD, the row's values from NEW)
    "knowledge_case": ("OLD.id * 2", "NEW.id * 2, NEW.tam_id, NEW.title, coalesce(NEW.resolution_note, '')"),
    "knowledge_problem": ("OLD.id * 2 + 1", "NEW.id * 2 + 1, NEW.tam_id, NEW.title, coalesce(NEW.solution, '')"),
}
PG_TRIGGERS = {
    "knowledge_case_added": ("AFTER INSERT ON cases", "knowledge_case"),
    "knowledge_case_changed": ("AFTER UPDATE OF title, resolution_note ON cases", "knowledge_case"),
    "knowledge_case_removed": ("AFTER DELETE ON cases", "knowledge_case"),
    "knowledge_problem_added": ("AFTER INSERT ON problems", "knowledge_problem"),
    "knowledge_problem_changed": ("AFTER UPDATE OF title, solution ON problems", "knowledge_problem"),
    "knowledge_problem_removed": ("AFTER DELETE ON problems", "knowledge_problem"),
}


def _postgresql_knowledge() -> None:
    """The knowledge base on PostgreSQL: a table of words with a GIN index, kept by triggers (L12)."""
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute(
        "CREATE TABLE knowledge (rowid bigint PRIMARY KEY, tam integer NOT NULL, title text NOT NULL, "
        "body text NOT NULL, words text[] NOT NULL)"
    )
    op.execute("CREATE INDEX ix_knowledge_words ON knowledge USING gin (words)")
    op.execute(PG_WORDS)
    for function, (old, new) in PG_FUNCTIONS.items():
        op.execute(
            f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN DELETE FROM knowledge WHERE rowid = {old}; END IF; "
            "IF TG_OP <> 'DELETE' THEN "
            f"INSERT INTO knowledge (rowid, tam, title, body) VALUES ({new}); END IF; "
            "RETURN NULL; END $$"
        )
    op.execute(
        "CREATE FUNCTION knowledge_words_set() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "NEW.words := knowledge_words(NEW.title, NEW.body); RETURN NEW; END $$"
    )
    op.execute("CREATE TRIGGER knowledge_words_set BEFORE INSERT ON knowledge FOR EACH ROW EXECUTE FUNCTION knowledge_words_set()")
    op.execute(
        "INSERT INTO knowledge (rowid, tam, title, body) SELECT id * 2, tam_id, title, coalesce(resolution_note, '') FROM cases"
    )
    for name, (event, function) in PG_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {event} FOR EACH ROW EXECUTE FUNCTION {function}()")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
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
        batch_op.add_column(sa.Column('checklist', sa.Boolean(), server_default=sa.text('0') if sqlite else sa.false(), nullable=False))
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
    if not sqlite:
        _postgresql_knowledge()
        return
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
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    else:
        for name, (event, _) in PG_TRIGGERS.items():
            op.execute(f"DROP TRIGGER {name} ON {event.split(' ON ')[1]}")
        for function in (*PG_FUNCTIONS, "knowledge_words_set"):
            op.execute(f"DROP FUNCTION {function}() CASCADE")
        op.execute("DROP FUNCTION knowledge_words(text, text)")
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
