"""Alembic environment: migrations run on the connection ``tamdesk.store.engine`` passes."""

from alembic import context

from tamdesk.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    # SQLite's DDL is transactional, but Alembic assumes not and commits each migration on its own:
    # a process that had read the version could then re-run a migration another had just committed.
    # One transaction (BEGIN IMMEDIATE, see tamdesk.store.engine) reads the version and runs them all.
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
