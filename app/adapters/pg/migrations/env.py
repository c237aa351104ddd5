"""Alembic environment: online migrations only, on a connection the caller's URL opens, one host at a time."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool, text

MIGRATION_LOCK = 0x534D4530  # pg_advisory_xact_lock key: "SME0"

config = context.config
engine = create_engine("postgresql+psycopg://", creator=config.attributes["connect"], poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, transaction_per_migration=False)
    with context.begin_transaction():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.run_migrations()
engine.dispose()
