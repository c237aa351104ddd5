"""The request limits and the audit log for this configuration: in this process's memory and
SME_DATA_DIR/audit (the default), or shared by every process and host through PostgreSQL when
SME_DATABASE_URL is set. The shared kinds raise the same RateLimited as the in-memory ones."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.adapters.backends import database_url
from app.api.audit import AuditLog
from app.api.ratelimit import FailedAuths, RateLimited, TokenBuckets
from app.settings import Settings

if TYPE_CHECKING:
    from app.adapters.pg.audit import PgAuditLog
    from app.adapters.pg.limits import PgFailedAuths, PgTokenBuckets


class SharedTokenBuckets:
    def __init__(self, buckets: PgTokenBuckets) -> None:
        self.buckets = buckets

    @property
    def enabled(self) -> bool:
        return self.buckets.rate > 0

    def take(self, key_id: str) -> None:
        if self.enabled and (wait := self.buckets.take(key_id)) > 0:
            raise RateLimited(wait)


class SharedFailedAuths:
    def __init__(self, failures: PgFailedAuths) -> None:
        self.failures = failures

    def check(self, client: str, key_id: str) -> None:
        if self.failures.limit > 0 and (wait := self.failures.backoff(client, key_id)) > 0:
            raise RateLimited(wait, "too many failed API key checks for this key id from this address")

    def failed(self, client: str, key_id: str) -> None:
        if self.failures.limit > 0:
            self.failures.failed(client, key_id)

    def succeeded(self, client: str, key_id: str) -> None:
        self.failures.succeeded(client, key_id)


def rate_limiter(settings: Settings) -> TokenBuckets | SharedTokenBuckets:
    url = database_url(settings)
    if url is None:
        return TokenBuckets(settings.rate_limit_per_s, settings.rate_limit_burst)
    from app.adapters.pg.limits import PgTokenBuckets

    return SharedTokenBuckets(PgTokenBuckets(url, settings.rate_limit_per_s, settings.rate_limit_burst))


def failed_auths(settings: Settings) -> FailedAuths | SharedFailedAuths:
    url = database_url(settings)
    if url is None:
        return FailedAuths(settings.auth_fail_limit, settings.auth_fail_window_s)
    from app.adapters.pg.limits import PgFailedAuths

    return SharedFailedAuths(PgFailedAuths(url, settings.auth_fail_limit, settings.auth_fail_window_s))


class DatabaseAuditLog(AuditLog):
    """The audit log's interface over the audit_records table (no folder: every host writes one table)."""

    def __init__(self, sink: PgAuditLog) -> None:
        super().__init__(Path("postgresql"))
        self.sink = sink

    def write(self, record: dict[str, Any]) -> None:
        self.sink.write(record)


def audit_log(settings: Settings) -> AuditLog:
    url = database_url(settings)
    if url is None:
        return AuditLog(settings.data_dir / "audit")
    from app.adapters.pg.audit import PgAuditLog

    return DatabaseAuditLog(PgAuditLog(url))


def database_problem(keys: object) -> str | None:
    """Why the shared database is unusable (None: it answers, or there is none): a host that cannot
    reach it cannot check a key, so it is not ready."""
    db = getattr(keys, "db", None)
    return db.problem() if db is not None else None
