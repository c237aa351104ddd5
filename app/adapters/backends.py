"""Which store serves: SQLite and files under SME_DATA_DIR (the default), or PostgreSQL when
SME_DATABASE_URL is set. The PostgreSQL modules load only then (psycopg, Alembic)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from app.adapters.conversations import ConversationStore
from app.adapters.jobs import JobStore
from app.adapters.keys import KeyStore
from app.adapters.profiles import ProfileStore
from app.adapters.programs import ProgramStore
from app.adapters.store import Store
from app.settings import Settings

if TYPE_CHECKING:
    from app.adapters.doc_store import DocumentStore
    from app.adapters.pg.jobs import PgJobStore


def database_url(settings: Settings) -> str | None:
    return settings.database_url.get_secret_value() if settings.database_url is not None else None


def _pg(store: str, url: str) -> Any:
    """The PostgreSQL store `module:Class` under app.adapters.pg, imported only when it serves."""
    module, name = store.split(":")
    return getattr(import_module(f"app.adapters.pg.{module}"), name)(url)


def job_store(settings: Settings) -> JobStore | PgJobStore:
    url = database_url(settings)
    return JobStore(settings.db_path) if url is None else _pg("jobs:PgJobStore", url)


def key_store(settings: Settings) -> KeyStore:
    url = database_url(settings)
    return KeyStore(settings.keys_path) if url is None else _pg("keys:PgKeyStore", url)


def profile_store(settings: Settings) -> ProfileStore:
    url = database_url(settings)
    return ProfileStore(settings.db_path) if url is None else _pg("profiles:PgProfileStore", url)


def conversation_store(settings: Settings) -> ConversationStore:
    url = database_url(settings)
    return ConversationStore(settings.db_path) if url is None else _pg("conversations:PgConversationStore", url)


def document_store(settings: Settings) -> DocumentStore:
    """Documents, chunks and programs of the knowledge base (committed together with the index pointer)."""
    url = database_url(settings)
    return Store(settings.db_path) if url is None else _pg("documents:PgDocumentStore", url)


def program_store(settings: Settings) -> ProgramStore:
    url = database_url(settings)
    return ProgramStore(settings.db_path) if url is None else _pg("programs:PgProgramStore", url)
