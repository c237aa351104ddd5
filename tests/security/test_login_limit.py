"""Failed API-key checks per client address: after N failures in the window an address gets 429
(Retry-After, JSON error) before any key is hashed, while keys verified before still pass; other addresses are unaffected; the window
expires. A valid key is hashed once per key file version, and a revocation still applies at once."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient

from app.adapters.keys import KeyStore
from app.api.ratelimit import FailedAuths, RateLimited
from app.core import auth
from tests.security.conftest import Api

QUERY = {"query": "loan"}


def _count_hashes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real = auth._digest

    def counting(secret: str, salt: str) -> str:
        calls[0] += 1
        return real(secret, salt)

    monkeypatch.setattr(auth, "_digest", counting)
    return calls


def test_failures_count_in_a_sliding_window_per_address() -> None:
    now = [0.0]
    guard = FailedAuths(limit=2, window_s=10, clock=lambda: now[0])
    guard.failed("10.0.0.1")
    now[0] = 4.0
    guard.failed("10.0.0.1")
    with pytest.raises(RateLimited) as caught:
        guard.check("10.0.0.1")
    assert caught.value.retry_after_s == pytest.approx(6.0)  # until the first failure leaves the window
    guard.check("10.0.0.2")
    now[0] = 10.5  # the first failure has left the window, the second has not
    guard.check("10.0.0.1")
    guard.failed("10.0.0.1")
    with pytest.raises(RateLimited):
        guard.check("10.0.0.1")
    FailedAuths(limit=0, window_s=10).check("10.0.0.1")  # 0 turns it off


def test_repeated_bad_keys_get_429_before_hashing_and_other_addresses_still_get_in(
        api_factory, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    api: Api = api_factory(auth_fail_limit=3, auth_fail_window_s=60)
    c = api.client
    now = [1000.0]
    c.app.state.failed_auths.clock = lambda: now[0]  # type: ignore[attr-defined]
    hashed = _count_hashes(monkeypatch)
    wrong = {"Authorization": f"Bearer sme_{api.key_ids['bank-a']}_{'x' * 43}"}  # a real key id: checking costs a hash
    assert [c.post("/v1/search", json=QUERY, headers=wrong).status_code for _ in range(3)] == [401, 401, 401]
    assert hashed == [3]
    r = c.post("/v1/search", json=QUERY, headers=wrong)
    assert r.status_code == 429 and r.headers["Retry-After"] == "60"
    assert r.json() == {"error": {"code": "rate_limited",
                                  "message": "too many failed API key checks from this address; retry after 60 s"}}
    assert c.post("/v1/search", json=QUERY, headers=api.auth["bank-a"]).status_code == 429  # a key to hash: refused
    assert hashed == [3]  # nothing was hashed while blocked

    other = TestClient(c.app, client=("203.0.113.7", 40000))
    assert other.post("/v1/search", json=QUERY, headers=api.auth["bank-a"]).status_code == 200
    assert other.post("/v1/search", json=QUERY, headers=wrong).status_code == 401  # its own count starts at 1
    hashed_before = hashed[0]
    # a key verified before costs no hash: it passes even from the blocked address (a shared NAT or proxy)
    assert c.post("/v1/search", json=QUERY, headers=api.auth["bank-a"]).status_code == 200
    assert c.post("/v1/search", json=QUERY, headers=wrong).status_code == 429
    assert hashed == [hashed_before]

    now[0] += 60.5  # the window has passed
    assert c.post("/v1/search", json=QUERY, headers=api.auth["bank-a"]).status_code == 200


def test_missing_keys_do_not_count_as_failed_checks(api_factory) -> None:  # type: ignore[no-untyped-def]
    api: Api = api_factory(auth_fail_limit=2)
    codes = [api.client.post("/v1/search", json=QUERY).status_code for _ in range(5)]
    assert codes == [401] * 5
    assert api.client.post("/v1/search", json=QUERY, headers=api.auth["bank-a"]).status_code == 200


def test_a_valid_key_is_hashed_once_and_a_revocation_applies_from_the_next_request(
        api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    hashed = _count_hashes(monkeypatch)
    c, h = api.client, api.auth["bank-a"]
    assert [c.get("/v1/programs", headers=h).status_code for _ in range(5)] == [200] * 5
    assert hashed == [1]
    path = api.settings.keys_path
    before = path.stat()
    KeyStore(path).revoke(api.key_ids["bank-a"])  # another process's store, as `sme keys revoke` does
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # even a write within one timestamp tick
    r = c.get("/v1/programs", headers=h)
    assert r.status_code == 401 and r.json()["error"]["message"] == "invalid or revoked API key"
    assert c.get("/v1/programs", headers=api.auth["bank-b"]).status_code == 200
