"""Failed API-key checks per (client address, key id): after N failures the pair gets 429 (Retry-After,
JSON error) before any key is hashed, while keys verified before and keys of other ids still pass;
other addresses are unaffected; the back-off expires. A valid key is hashed once per key file
version, and a revocation still applies at once. Back-off and proxies: test_lockout.py."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient

from app.adapters.keys import KeyStore
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
    assert r.status_code == 429 and r.headers["Retry-After"] == "1"
    assert r.json() == {"error": {"code": "rate_limited", "message":
                                  "too many failed API key checks for this key id from this address; retry after 1 s"}}
    assert hashed == [3]  # nothing was hashed while blocked
    assert c.post("/v1/search", json=QUERY, headers=api.auth["bank-b"]).status_code == 200  # another key id: hashed, in
    assert hashed == [4]

    other = TestClient(c.app, client=("203.0.113.7", 40000))
    assert other.post("/v1/search", json=QUERY, headers=api.auth["bank-a"]).status_code == 200
    assert other.post("/v1/search", json=QUERY, headers=wrong).status_code == 401  # its own count starts at 1
    hashed_before = hashed[0]
    # a key verified before costs no hash: it passes even from the blocked pair (a shared NAT or proxy)
    assert c.post("/v1/search", json=QUERY, headers=api.auth["bank-a"]).status_code == 200
    assert c.post("/v1/search", json=QUERY, headers=wrong).status_code == 429
    assert hashed == [hashed_before]

    now[0] += 1  # the back-off has passed: one more guess is hashed, then the wait doubles
    assert c.post("/v1/search", json=QUERY, headers=wrong).status_code == 401
    assert c.post("/v1/search", json=QUERY, headers=wrong).headers["Retry-After"] == "2"


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
