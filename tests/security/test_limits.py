"""Per-key rate limits (429 + Retry-After), body limits (413, chunked bodies too), the audit trail
and personal-data masking in logs."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from app.api.audit import AuditLog
from app.api.ratelimit import RateLimited, TokenBuckets
from app.core.pii import install_log_masking, mask
from tests.security.conftest import Api


def test_token_bucket_allows_the_burst_then_refills_at_the_rate() -> None:
    now = [100.0]
    buckets = TokenBuckets(rate_per_s=2.0, burst=3, clock=lambda: now[0])
    for _ in range(3):
        buckets.take("k1")
    with pytest.raises(RateLimited) as caught:
        buckets.take("k1")
    assert caught.value.retry_after_s == pytest.approx(0.5)
    buckets.take("k2")  # another key has its own bucket
    now[0] += 0.5
    buckets.take("k1")
    with pytest.raises(RateLimited):
        buckets.take("k1")
    TokenBuckets(rate_per_s=0, burst=1).take("k1")  # 0 turns limiting off


def test_a_key_over_its_rate_gets_429_with_retry_after_and_others_do_not(api_factory) -> None:  # type: ignore[no-untyped-def]
    api: Api = api_factory(rate_limit_per_s=0.01, rate_limit_burst=3)
    c, auth = api.client, api.auth
    codes = [c.post("/v1/search", json={"query": "loan"}, headers=auth["bank-a"]).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    r = c.post("/v1/search", json={"query": "loan"}, headers=auth["bank-a"])
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "rate_limited" and "retry after" in r.json()["error"]["message"]
    assert 1 <= int(r.headers["Retry-After"]) <= 100
    assert c.get("/v1/programs", headers=auth["bank-a"]).status_code == 429  # per key, every route
    assert c.post("/v1/search", json={"query": "loan"}, headers=auth["bank-b"]).status_code == 200
    assert c.get("/healthz").status_code == 200  # unauthenticated probes are not limited


def test_oversized_bodies_get_413_with_or_without_content_length(api_factory) -> None:  # type: ignore[no-untyped-def]
    api: Api = api_factory(max_request_mb=0.01)  # ~10 KB
    c, h = api.client, api.auth["bank-a"]
    big = json.dumps({"query": "x" * 20_000}).encode()
    r = c.post("/v1/search", content=big, headers={**h, "content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"

    def chunked(data: bytes) -> Iterator[bytes]:  # a generator body is sent without content-length
        for i in range(0, len(data), 1024):
            yield data[i : i + 1024]

    r = c.post("/v1/search", content=chunked(big), headers={**h, "content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    boundary = b"sme-boundary"
    upload = (b"--" + boundary + b'\r\nContent-Disposition: form-data; name="enterprise_id"\r\n\r\ne1\r\n--' + boundary
              + b'\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\n' + b"y" * 30_000
              + b"\r\n--" + boundary + b"--\r\n")
    r = c.post("/v1/profile", content=chunked(upload),
               headers={**h, "content-type": f"multipart/form-data; boundary={boundary.decode()}"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    assert c.get("/v1/enterprises", headers=h).json()["enterprises"] == []  # nothing was ingested
    small = c.post("/v1/search", content=chunked(json.dumps({"query": "loan"}).encode()),
                   headers={**h, "content-type": "application/json"})
    assert small.status_code == 200


def _audit(api: Api) -> list[dict]:
    path = AuditLog(api.settings.data_dir / "audit").path(datetime.now(UTC))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_audit_log_records_who_asked_what_and_which_documents_answered(api) -> None:  # type: ignore[no-untyped-def]
    c, auth = api.client, api.auth
    hits = c.post("/v1/search", json={"query": "知识产权质押 贷款 call 13812345678"}, headers=auth["bank-a"]).json()["hits"]
    assert hits
    chat = c.post("/v1/chat", json={"messages": [{"role": "user", "content": "高新技术企业 认定条件? mail li.lei@example.com"}]},
                  headers=auth["bank-b"]).json()
    with c.stream("POST", "/v1/chat", headers=auth["bank-a"],
                  json={"messages": [{"role": "user", "content": "高新技术企业 认定条件"}], "stream": True}) as s:
        assert s.status_code == 200 and "event: done" in "".join(s.iter_text())
    c.post("/v1/match", json={"text": "深圳公司，成立于2019年，员工50人", "kinds": ["credit"], "k": 3}, headers=auth["bank-a"])
    c.post("/v1/search", json={"query": "x"}, headers={"Authorization": "Bearer nope"})
    c.get("/v1/programs", headers=auth["bank-a"])  # reads are audited too (tests/security/test_audit_reads.py)
    records = _audit(api)
    assert [(r["route"], r["tenant"], r["status"]) for r in records] == [
        ("search", "bank-a", 200), ("chat", "bank-b", 200), ("chat", "bank-a", 200), ("match", "bank-a", 200),
        ("search", None, 401), ("programs", "bank-a", 200)]
    search, chat_rec, streamed, match, refused, _ = records
    assert search["key_id"] == api.key_ids["bank-a"] and search["role"] == "rm"
    assert search["doc_ids"] == list(dict.fromkeys(h["doc_id"] for h in hits))
    assert "13812345678" not in search["query"] and "[phone ***5678]" in search["query"]
    assert "li.lei@" not in chat_rec["query"] and "[email ***@example.com]" in chat_rec["query"]
    assert chat_rec["doc_ids"] == list(dict.fromkeys(x["doc_id"] for x in chat["citations"]))
    assert streamed["doc_ids"] and match["program_ids"]
    assert refused["key_id"] is None and refused["doc_ids"] == []
    assert oct((api.settings.data_dir / "audit").stat().st_mode & 0o077) in ("0o0", "0o55", "0o5")


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [("call 13812345678 now", "[phone ***5678]", "13812345678"),
     ("tel +86 138-1234-5678", "[phone ***5678]", "1234-5678"),
     ("office 010-8888 6666", "[phone ***6666]", "8888"),
     ("身份证 11010519491231002X 已核验", "[id 110105********]", "19491231002X"),
     ("id 440301199001011234,", "[id 440301********]", "199001011234"),
     ("write to Wang.Fang+kyc@bank-a.com.cn today", "[email ***@bank-a.com.cn]", "Wang.Fang"),
     ("revenue 120,800,000 yuan in 2023-12-31", "120,800,000 yuan in 2023-12-31", "[phone")],
)
def test_personal_data_is_masked(text: str, kept: str, gone: str) -> None:
    masked = mask(text)
    assert kept in masked and gone not in masked


def test_the_api_masks_personal_data_in_every_log_record(api, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    install_log_masking()  # create_app already did; twice is harmless
    with caplog.at_level(logging.INFO):
        logging.getLogger("app.anything").info("client %s, phone %s", "a@b.example.org", "13912345678")
    assert caplog.records[-1].getMessage() == "client [email ***@b.example.org], phone [phone ***5678]"
