"""PostgreSQL adapters (SME_DATABASE_URL=postgresql://...): the stores several hosts share, behind the
same interfaces as the SQLite and file ones. One module per store; the schema is Alembic's (migrations/)."""
