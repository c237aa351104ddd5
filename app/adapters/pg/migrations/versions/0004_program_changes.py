"""Program catalog versions: `changed` takes a new number on every insert and update of a program,
whoever writes it (the catalog loader, an ingest checkpoint), so COUNT(*) and SUM(changed) change
whenever the catalog does (PgProgramStore.version: the matcher rebuilds its index on it).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE SEQUENCE program_changes;
ALTER TABLE programs ADD COLUMN changed bigint NOT NULL DEFAULT nextval('program_changes');
CREATE FUNCTION program_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.changed := nextval('program_changes');
  RETURN NEW;
END $$;
CREATE TRIGGER program_changed BEFORE INSERT OR UPDATE ON programs FOR EACH ROW EXECUTE FUNCTION program_changed();
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute("DROP TRIGGER program_changed ON programs; DROP FUNCTION program_changed(); "
               "ALTER TABLE programs DROP COLUMN changed; DROP SEQUENCE program_changes;")
