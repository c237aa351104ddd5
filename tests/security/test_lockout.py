"""A lockout that cannot be weaponised: failed key checks are throttled per (client address, key id)
with exponential back-off, so bad keys never lock out a valid key of another id or another address,
and X-Forwarded-For counts only when the peer is a configured proxy."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.adapters.keys import KeyStore
from app.api.client_address import client_address, parse_networks
from app.api.ratelimit import FailedAuths, RateLimited
from app.settings import Settings
from tests.security.conftest import Api

QUERY = {"query": "loan"}


def _wrong(key_id: str) -> dict[str, str]:
    return {"Authorization": f"Bearer sme_{key_id}_{'x' * 43}"}


def _retry(guard: FailedAuths, client: str, key_id: str) -> float:
    with pytest.raises(RateLimited) as caught:
        guard.check(client, key_id)
    return caught.value.retry_after_s


def test_back_off_doubles_per_failure_for_one_address_and_key_id_only() -> None:
    now = [0.0]
    guard = FailedAuths(limit=3, window_s=60, clock=lambda: now[0])
    for _ in range(3):
        guard.check("10.0.0.1", "aaaaaaaaaaaa")
        guard.failed("10.0.0.1", "aaaaaaaaaaaa")
    assert _retry(guard, "10.0.0.1", "aaaaaaaaaaaa") == pytest.approx(1.0)
    guard.check("10.0.0.1", "bbbbbbbbbbbb")  # another key id from the same address
    guard.check("10.0.0.2", "aaaaaaaaaaaa")  # the same key id from another address
    waits = [1.0]
    for _ in range(7):
        now[0] += waits[-1]
        guard.check("10.0.0.1", "aaaaaaaaaaaa")  # the back-off has passed
        guard.failed("10.0.0.1", "aaaaaaaaaaaa")
        waits.append(_retry(guard, "10.0.0.1", "aaaaaaaaaaaa"))
    assert waits == [pytest.approx(w) for w in (1, 2, 4, 8, 16, 32, 60, 60)]  # doubling, capped at the window
    now[0] += 60
    guard.succeeded("10.0.0.1", "aaaaaaaaaaaa")
    guard.failed("10.0.0.1", "aaaaaaaaaaaa")
    guard.check("10.0.0.1", "aaaaaaaaaaaa")  # a success starts the count again
    for _ in range(3):
        guard.failed("10.0.0.2", "aaaaaaaaaaaa")
    now[0] += 1 + 300
    guard.failed("10.0.0.2", "aaaaaaaaaaaa")
    guard.check("10.0.0.2", "aaaaaaaaaaaa")  # a window past its back-off without failures: forgotten
    FailedAuths(limit=0, window_s=10).check("10.0.0.1", "aaaaaaaaaaaa")  # 0 turns it off


def test_bad_keys_from_one_address_never_lock_out_valid_keys_of_other_ids(api_factory) -> None:
    api: Api = api_factory(auth_fail_limit=3, auth_fail_window_s=300)
    c = api.client
    now = [1000.0]
    c.app.state.failed_auths.clock = lambda: now[0]  # type: ignore[attr-defined]
    codes = [c.post("/v1/search", json=QUERY, headers=_wrong(api.key_ids["bank-a"])).status_code for _ in range(12)]
    assert codes == [401] * 3 + [429] * 9
    codes = [c.post("/v1/search", json=QUERY, headers={"Authorization": f"Bearer junk-{i}"}).status_code
             for i in range(12)]
    assert codes == [401] * 12  # malformed keys cost no hash and are not throttled
    KeyStore(api.settings.keys_path).create("bank-c", "rm")  # a key-file change: nothing verified is cached now
    assert c.post("/v1/search", json=QUERY, headers=api.auth["ops"]).status_code == 200  # the admin gets in
    assert c.post("/v1/search", json=QUERY, headers=api.auth["bank-b"]).status_code == 200
    elsewhere = TestClient(c.app, client=("203.0.113.7", 40000))
    assert elsewhere.post("/v1/search", json=QUERY, headers=api.auth["bank-a"]).status_code == 200
    KeyStore(api.settings.keys_path).create("bank-d", "rm")
    # the attacked key id from the attacker's own address waits out one short back-off, then gets in
    r = c.post("/v1/search", json=QUERY, headers=api.auth["bank-a"])
    assert r.status_code == 429 and r.headers["Retry-After"] == "1"
    now[0] += 1
    assert c.post("/v1/search", json=QUERY, headers=api.auth["bank-a"]).status_code == 200


def test_a_valid_key_behind_a_trusted_proxy_is_not_refused_for_another_clients_failures(
        api_factory) -> None:
    api: Api = api_factory(auth_fail_limit=2, trusted_proxies=["10.0.0.0/8"])
    proxy = TestClient(api.client.app, client=("10.0.0.2", 40000))
    attacker = {**_wrong(api.key_ids["bank-a"]), "X-Forwarded-For": "198.51.100.1"}
    assert [proxy.post("/v1/search", json=QUERY, headers=attacker).status_code for _ in range(4)] == [401, 401, 429, 429]
    KeyStore(api.settings.keys_path).create("bank-c", "rm")
    user = {**api.auth["bank-a"], "X-Forwarded-For": "198.51.100.2"}
    assert proxy.post("/v1/search", json=QUERY, headers=user).status_code == 200
    spoofed = {**attacker, "X-Forwarded-For": "198.51.100.9, 198.51.100.1"}  # the proxy appends the real peer
    assert proxy.post("/v1/search", json=QUERY, headers=spoofed).status_code == 429


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(api_factory) -> None:
    api: Api = api_factory(auth_fail_limit=2)
    c = TestClient(api.client.app, client=("198.51.100.1", 40000))
    codes = [c.post("/v1/search", json=QUERY, headers={**_wrong(api.key_ids["bank-a"]), "X-Forwarded-For": f"192.0.2.{i}"})
             .status_code for i in range(4)]
    assert codes == [401, 401, 429, 429]  # rotating the header does not reset the count


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [("198.51.100.1", "192.0.2.1", "198.51.100.1"),  # not a proxy: its header is ignored
     ("10.0.0.2", "192.0.2.1", "192.0.2.1"),
     ("10.0.0.2", "192.0.2.66, 192.0.2.1", "192.0.2.1"),  # the left part is the client's to forge
     ("10.0.0.2", "192.0.2.1, 10.0.0.3", "192.0.2.1"),  # a chain of trusted proxies
     ("10.0.0.2", None, "10.0.0.2"),
     ("::1", "2001:db8::7", "2001:db8::7")],
)
def test_client_address(peer: str, forwarded: str | None, expected: str) -> None:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    scope = {"type": "http", "client": (peer, 1), "headers": headers}
    assert client_address(scope, parse_networks(["10.0.0.0/8", "::1"])) == expected
    assert client_address(scope, ()) == peer


def test_trusted_proxies_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().trusted_proxies == []
    monkeypatch.setenv("SME_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16")
    assert Settings().trusted_proxies == ["10.0.0.1", "192.168.0.0/16"]
    monkeypatch.setenv("SME_TRUSTED_PROXIES", "10.0.0.1,not-an-address")
    with pytest.raises(ValidationError, match="not-an-address"):
        Settings()
