"""The stores two API hosts must share: ingest jobs, API keys, audit records, rate limits and the
failed-login guard.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE ingest_jobs (
  id text PRIMARY KEY, seq bigserial NOT NULL, owner text NOT NULL, key_id text, role text, tenant text NOT NULL,
  kind text NOT NULL, enterprise_id text, status text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(), started_at timestamptz, finished_at timestamptz,
  inputs jsonb NOT NULL, files jsonb NOT NULL, error text, note text, attempts integer NOT NULL DEFAULT 0,
  runner text, runner_pid integer, runner_since timestamptz, profile_updated boolean
);
CREATE INDEX ingest_jobs_owner ON ingest_jobs (owner, created_at);
CREATE INDEX ingest_jobs_unfinished ON ingest_jobs (created_at, seq) WHERE status IN ('queued', 'running');

CREATE SEQUENCE api_key_changes;
CREATE TABLE api_keys (
  id text PRIMARY KEY, tenant text NOT NULL, role text NOT NULL, salt text NOT NULL, digest text NOT NULL,
  created_at text NOT NULL, revoked boolean NOT NULL DEFAULT false,
  changed bigint NOT NULL DEFAULT nextval('api_key_changes')
);

CREATE TABLE audit_records (
  id bigserial PRIMARY KEY, ts timestamptz NOT NULL DEFAULT clock_timestamp(), key_id text, tenant text,
  route text, status integer, record jsonb NOT NULL
);
CREATE INDEX audit_records_ts ON audit_records (ts);
CREATE INDEX audit_records_tenant ON audit_records (tenant, ts);

-- limiter state is worth less than its WAL: unlogged (a database crash resets it, as a restart did)
CREATE UNLOGGED TABLE rate_buckets (
  key_id text PRIMARY KEY, tokens double precision NOT NULL, updated double precision NOT NULL,
  granted boolean NOT NULL
);
CREATE UNLOGGED TABLE auth_failures (
  client text NOT NULL, key_id text NOT NULL, failures integer NOT NULL, last double precision NOT NULL,
  PRIMARY KEY (client, key_id)
);
CREATE INDEX auth_failures_last ON auth_failures (last);
"""

DOWNGRADE = """
DROP TABLE auth_failures; DROP TABLE rate_buckets; DROP TABLE audit_records; DROP TABLE api_keys;
DROP SEQUENCE api_key_changes; DROP TABLE ingest_jobs;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
