"""Tenant-neutral ranking: what one bank indexes never moves another bank's scores or ranks.

Through the real API: bank-b's search and match answers are byte-identical before and after bank-a
ingests documents full of bank-b's query words, and before and after bank-a gets a private program
that fits bank-b's firm. Lexical statistics (BM25's document frequencies and lengths) and relevance
rescaling are computed over what the caller may see, so they cannot be used to probe whether
another bank holds a client's name."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient

from tests.security.conftest import Api

CLIENT_MEMO = ("Quillmoor Textiles credit memo. The client Quillmoor Textiles asks for a revolving credit line of "
               "8 million yuan to finance dyeing equipment; collateral is the Foshan plant.")
OTHER_MEMO = "Bank-b note: Harrowgate Ceramics renewed its working capital loan for kiln upgrades."
PROBES = ("Quillmoor Textiles revolving credit line", "working capital loan", "Quillmoor dyeing equipment")
# bank-a's documents repeat bank-b's words: under shared statistics they lower their weight for everyone
NEIGHBOUR = [("watchlist.txt", ("Quillmoor Textiles is on our watch list. Quillmoor Textiles revolving credit "
                                "line declined; Quillmoor dyeing equipment lease noted.")),
             ("pipeline.txt", ("Working capital loan pipeline: Quillmoor, Harrowgate, textiles, ceramics, "
                               "revolving credit line offers, equipment loans."))]
VISITS = ["Site visit: the dyeing line runs two shifts.", "Call notes: the CFO asked about trade finance.",
          "Annual review: receivables turnover improved.", "Collateral check: the Foshan plant was revalued.",
          "Meeting minutes: export orders to Vietnam doubled.", "Risk memo: cotton prices squeeze margins."]
FIRM = ("Our robotics startup seeks a technology loan: founded in 2019, annual revenue 8 million yuan, "
        "holds invention patents, needs working capital for growth.")
PRIVATE_SHEET = ("Zephyrquartz Robotics Technology Loan product sheet\n"
                 "For robotics and technology startups with invention patents seeking working capital for growth.\n"
                 "Eligibility: the enterprise has been established for at least 2 years and its annual revenue is "
                 "not less than 5 million yuan.\nLoan amount up to 10 million yuan.\n")


def _ingest(c: TestClient, h: dict[str, str], files: list[tuple[str, str]], **form: str) -> dict[str, Any]:
    r = c.post("/v1/ingest", files=[("files", (n, t.encode())) for n, t in files], data={"kind": "general", **form},
               headers=h)
    assert r.status_code == 202, r.text
    job = r.json()
    while job["status"] in ("queued", "running"):
        time.sleep(0.05)
        job = c.get(f"/v1/jobs/{job['job_id']}", headers=h).json()
    assert job["status"] == "succeeded", job
    return job


def _answers(api: Api, who: str = "bank-b") -> list[bytes]:
    """Every search probe and the match, as the raw response bodies (ids, scores and order)."""
    c, h = api.client, api.auth[who]
    bodies = []
    for q in PROBES:
        r = c.post("/v1/search", json={"query": q, "k": 20}, headers=h)
        assert r.status_code == 200, r.text
        bodies.append(r.content)
    for body in ({"text": FIRM, "k": 20}, {"text": FIRM, "kinds": ["credit"], "k": 20}):
        r = c.post("/v1/match", json=body, headers=h)
        assert r.status_code == 200, r.text
        bodies.append(r.content)
    return bodies


def _bank_b_with_its_client(api: Api) -> None:
    _ingest(api.client, api.auth["bank-b"], [("quillmoor_memo.txt", CLIENT_MEMO), ("harrowgate.txt", OTHER_MEMO)])
    hits = api.client.post("/v1/search", json={"query": PROBES[0]}, headers=api.auth["bank-b"]).json()["hits"]
    assert hits and "Quillmoor" in hits[0]["text"]  # the control: bank-b finds its own client first


def test_another_banks_documents_do_not_move_search_or_match(api: Api) -> None:
    _bank_b_with_its_client(api)
    before = _answers(api)
    kb = api.client.app.state.deps.kb  # type: ignore[attr-defined]
    theirs_before = kb.sparse().partitions["bank-b"]
    _ingest(api.client, api.auth["bank-a"], NEIGHBOUR)
    assert _answers(api) == before
    assert kb.sparse().partitions["bank-b"] is theirs_before  # only bank-a's partition was built again
    theirs = api.client.post("/v1/search", json={"query": PROBES[0]}, headers=api.auth["bank-a"]).json()["hits"]
    assert {h["title"] for h in theirs} >= {"watchlist.txt"}  # the control: bank-a's documents are indexed


def test_another_banks_document_names_do_not_move_search(api: Api) -> None:
    """A query naming a document (a client's name in its title) lifts it; whether a word is rare
    enough to name one is counted among the owner's documents, not across banks."""
    _bank_b_with_its_client(api)
    before = _answers(api)
    job = _ingest(api.client, api.auth["bank-a"], [(f"quillmoor_textiles_{i}.txt", text) for i, text in enumerate(VISITS)])
    assert [f["status"] for f in job["files"]] == ["indexed"] * len(VISITS)  # the control: six more names
    assert _answers(api) == before


def test_another_banks_private_program_does_not_move_search_or_match(api: Api) -> None:
    _bank_b_with_its_client(api)
    before = _answers(api)
    _ingest(api.client, api.auth["ops"], [("zephyrquartz_robotics_loan.txt", PRIVATE_SHEET)], kind="credit",
            tenant="bank-a")
    assert _answers(api) == before
    r = api.client.post("/v1/match", json={"text": FIRM, "kinds": ["credit"], "k": 3}, headers=api.auth["bank-a"])
    top = r.json()["matches"][0]["program"]
    assert (top["tenant"], top["title"]) == ("bank-a", PRIVATE_SHEET.splitlines()[0])  # the control: it fits
