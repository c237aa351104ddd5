"""API keys, the per-key rate limit, the failed-key back-off and the audit log, on SQLite/files (the
default) and on PostgreSQL: the same behaviour; where two stores stand for two hosts, PostgreSQL
shares what the default keeps per process."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from app.adapters.backends import key_store
from app.api.ratelimit import RateLimited
from app.api.shared_limits import audit_log, failed_auths, rate_limiter
from app.core.errors import NotFound, Unauthorized
from app.core.types import Principal
from app.settings import Settings
from tests.pg.stores import BACKENDS, Opened, backend_settings


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    return backend_settings(request, tmp_path)


def _shared(settings: Settings) -> bool:
    return settings.database_url is not None


def test_a_key_authenticates_to_its_principal_and_is_listed_without_its_secret(settings: Settings,
                                                                                opened: Opened) -> None:
    keys = opened(key_store(settings))
    key, record = keys.create("bank-a", "rm")
    assert keys.authenticate(key) == Principal(tenant="bank-a", role="rm")
    assert keys.verified(key) == Principal(tenant="bank-a", role="rm")  # cached once verified
    listed = keys.records()[record.id]
    assert (listed.tenant, listed.role, listed.revoked) == ("bank-a", "rm", False)
    assert key.split("_", 2)[2] not in json.dumps(listed.__dict__)  # the secret may hold "_" itself
    with pytest.raises(Unauthorized, match="invalid or revoked"):
        keys.authenticate(key[:-2] + ("AA" if not key.endswith("AA") else "BB"))


def test_a_key_revoked_through_one_store_is_refused_by_another_from_its_next_request(settings: Settings,
                                                                                     opened: Opened) -> None:
    host_a, host_b = opened(key_store(settings)), opened(key_store(settings))
    key, record = host_a.create("bank-a", "admin")
    assert host_b.authenticate(key).role == "admin" and host_b.verified(key) is not None
    assert host_b.revoke(record.id).revoked is True
    assert host_a.verified(key) is None  # the cache is keyed on the store's version
    for host in (host_a, host_b):
        with pytest.raises(Unauthorized, match="invalid or revoked"):
            host.authenticate(key)
    with pytest.raises(NotFound, match="no API key with id nope"):
        host_a.revoke("nope")


def test_a_keys_burst_is_spent_then_refused_with_the_wait(settings: Settings, opened: Opened) -> None:
    limited = settings.model_copy(update={"rate_limit_per_s": 0.01, "rate_limit_burst": 3})
    limiter = opened(rate_limiter(limited))
    for _ in range(3):
        limiter.take("k1")
    with pytest.raises(RateLimited, match="rate limit exceeded for this API key") as refused:
        limiter.take("k1")
    assert 95 <= refused.value.retry_after_s <= 100  # one token at 0.01/s
    limiter.take("k2")  # another key has its own bucket


def test_the_bucket_refills_at_the_rate(settings: Settings, opened: Opened) -> None:
    limiter = opened(rate_limiter(settings.model_copy(update={"rate_limit_per_s": 20.0, "rate_limit_burst": 1})))
    limiter.take("k1")
    with pytest.raises(RateLimited):
        limiter.take("k1")
    time.sleep(0.06)
    limiter.take("k1")


def test_two_hosts_spend_from_one_bucket_in_postgresql_and_from_their_own_by_default(settings: Settings,
                                                                                    opened: Opened) -> None:
    limited = settings.model_copy(update={"rate_limit_per_s": 0.01, "rate_limit_burst": 4})
    host_a, host_b = opened(rate_limiter(limited)), opened(rate_limiter(limited))
    for _ in range(2):
        host_a.take("k1")
        host_b.take("k1")
    if _shared(settings):
        for host in (host_a, host_b):
            with pytest.raises(RateLimited):
                host.take("k1")
    else:
        host_a.take("k1")  # per process: each host has burst left


def test_failed_key_checks_back_off_the_pair_doubling_and_a_success_forgets(settings: Settings,
                                                                         opened: Opened) -> None:
    guard = opened(failed_auths(settings.model_copy(update={"auth_fail_limit": 2, "auth_fail_window_s": 300.0})))
    guard.failed("10.0.0.1", "k1")
    guard.check("10.0.0.1", "k1")  # under the limit
    guard.failed("10.0.0.1", "k1")
    with pytest.raises(RateLimited, match="too many failed API key checks") as first:
        guard.check("10.0.0.1", "k1")
    guard.failed("10.0.0.1", "k1")
    with pytest.raises(RateLimited) as second:
        guard.check("10.0.0.1", "k1")
    assert 0.5 < first.value.retry_after_s <= 1.0 and 1.5 < second.value.retry_after_s <= 2.0
    guard.check("10.0.0.2", "k1")  # another address
    guard.check("10.0.0.1", "k2")  # another key id
    guard.succeeded("10.0.0.1", "k1")
    guard.check("10.0.0.1", "k1")


def test_a_pairs_failures_expire_after_the_window(settings: Settings, opened: Opened) -> None:
    guard = opened(failed_auths(settings.model_copy(update={"auth_fail_limit": 1, "auth_fail_window_s": 0.05})))
    guard.failed("10.0.0.1", "k1")
    with pytest.raises(RateLimited):
        guard.check("10.0.0.1", "k1")
    time.sleep(0.12)  # past the back-off (0.05 s) and the window after it
    guard.check("10.0.0.1", "k1")
    guard.failed("10.0.0.1", "k1")  # counts from 1 again: one failure is the limit, back off again
    with pytest.raises(RateLimited):
        guard.check("10.0.0.1", "k1")


def test_failures_seen_by_one_host_back_off_the_pair_on_another_in_postgresql(settings: Settings,
                                                                              opened: Opened) -> None:
    tight = settings.model_copy(update={"auth_fail_limit": 2, "auth_fail_window_s": 300.0})
    host_a, host_b = opened(failed_auths(tight)), opened(failed_auths(tight))
    host_a.failed("10.0.0.1", "k1")
    host_b.failed("10.0.0.1", "k1")
    if _shared(settings):
        for host in (host_a, host_b):
            with pytest.raises(RateLimited):
                host.check("10.0.0.1", "k1")
    else:
        host_a.check("10.0.0.1", "k1")


def _read_audit(settings: Settings, log: Any) -> list[dict[str, Any]]:
    if _shared(settings):
        return list(reversed(log.sink.records()))
    return [json.loads(line) for path in sorted(log.folder.glob("audit-*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]


def test_audit_records_read_back_in_order_hostile_text_included(settings: Settings, opened: Opened) -> None:
    log = opened(audit_log(settings))
    log.write({"key_id": "k1", "tenant": "bank-a", "route": "search", "status": 200, "query": "patents",
               "doc_ids": ["d1", "d2"]})
    log.write({"key_id": None, "tenant": None, "route": "chat", "status": 401, "query": "a\x00b \ud800 c"})
    records = _read_audit(settings, log)
    assert [(r["route"], r["status"]) for r in records] == [("search", 200), ("chat", 401)]
    assert records[0]["doc_ids"] == ["d1", "d2"] and records[0]["ts"].endswith("+00:00")
    assert records[1]["query"].startswith("a") and records[1]["query"].endswith(" c") and "\ud800" not in \
        records[1]["query"]
