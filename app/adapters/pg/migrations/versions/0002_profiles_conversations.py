"""Enterprise profiles, chat conversations, messages and feedback.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE profiles (
  tenant text NOT NULL, enterprise_id text NOT NULL, name text, body jsonb NOT NULL, updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant, enterprise_id)
);
CREATE TABLE conversations (
  id text PRIMARY KEY, tenant text NOT NULL, enterprise_id text, title text,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL
);
CREATE INDEX conversations_tenant ON conversations (tenant, updated_at);
CREATE TABLE messages (
  id text PRIMARY KEY, seq bigserial NOT NULL, conversation_id text NOT NULL REFERENCES conversations (id),
  role text NOT NULL, content text NOT NULL, citations jsonb NOT NULL, route text, backend text,
  created_at timestamptz NOT NULL
);
CREATE INDEX messages_conversation ON messages (conversation_id, created_at, seq);
CREATE TABLE feedback (
  message_id text NOT NULL REFERENCES messages (id), tenant text NOT NULL, rating text NOT NULL, comment text,
  created_at timestamptz NOT NULL
);
CREATE INDEX feedback_tenant ON feedback (tenant, created_at);
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute("DROP TABLE feedback; DROP TABLE messages; DROP TABLE conversations; DROP TABLE profiles;")
