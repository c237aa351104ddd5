"""Programs are tenant-scoped: a credit product sheet an admin ingests into bank-a becomes a program
only bank-a (and admins) can list, open, be matched to and be cited in chat; public catalog
programs stay shared. Also: a database from before tenants gets the column and its owners back."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.adapters.programs import ProgramQuery, ProgramStore
from app.adapters.store import SCHEMA as STORE_SCHEMA
from app.adapters.store import Store
from app.cli import main
from app.core.match import Matcher
from app.core.profile import build_profile
from app.core.types import Program
from app.settings import get_settings
from tests.security.conftest import Api, open_api

SHEET = ("Zephyrquartz Growth Loan product sheet\n"
         "Eligibility: the enterprise has been established for at least 2 years, its annual revenue is not less "
         "than 5 million yuan, and it holds invention patents.\n"
         "Loan amount up to 10 million yuan for technology startups.\n")
FIRM = "Zephyrquartz Growth Loan for our robotics startup: founded 2019, revenue 8 million yuan, invention patents."


@dataclass
class Private:
    api: Api
    program_id: str
    public_id: str


def _wait(c: TestClient, job: dict, h: dict[str, str]) -> dict:
    while job["status"] in ("queued", "running"):
        time.sleep(0.05)
        job = c.get(f"/v1/jobs/{job['job_id']}", headers=h).json()
    return job


@pytest.fixture(scope="module")
def private(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Private]:
    api = open_api(demo_dir, tmp_path_factory.mktemp("program-isolation"))
    c, admin = api.client, api.auth["ops"]
    r = c.post("/v1/ingest", files=[("files", ("zephyrquartz_growth_loan.txt", SHEET.encode()))],
               data={"kind": "credit", "tenant": "bank-a"}, headers=admin)
    assert r.status_code == 202, r.text
    job = _wait(c, r.json(), admin)
    assert job["status"] == "succeeded", job
    ours = [p for p in c.get("/v1/programs?limit=500", headers=admin).json()["programs"] if p["tenant"] == "bank-a"]
    assert [p["title"] for p in ours] == ["Zephyrquartz Growth Loan product sheet"]  # its own first line
    public = c.get("/v1/programs?kind=credit&limit=1", headers=api.auth["bank-b"]).json()["programs"]
    yield Private(api, ours[0]["id"], public[0]["id"])
    api.client.__exit__(None, None, None)


Probe = Callable[[TestClient, dict[str, str], str], bool]  # True: the caller reached the program


def _listed(c: TestClient, h: dict[str, str], pid: str) -> bool:
    every = c.get("/v1/programs?limit=500", headers=h).json()["programs"]
    searched = c.get("/v1/programs?q=Zephyrquartz&kind=credit", headers=h).json()["programs"]
    assert (pid in {p["id"] for p in every}) == (pid in {p["id"] for p in searched})
    return pid in {p["id"] for p in every}


def _matched(c: TestClient, h: dict[str, str], pid: str) -> bool:
    r = c.post("/v1/match", json={"text": FIRM, "kinds": ["credit"], "k": 200, "include_excluded": True}, headers=h)
    assert r.status_code == 200, r.text
    top = r.json()["matches"][0]["program"]["id"]
    return top == pid or pid in r.text  # the owner gets it first; anyone else nowhere in the body


def _cited(c: TestClient, h: dict[str, str], pid: str) -> bool:
    """The chat's evidence for a question about the loan holds the program passage (the grounded
    answer then quotes the sheet itself, which the owner may read too)."""
    question = "Zephyrquartz Growth Loan eligibility"
    r = c.post("/v1/chat", json={"messages": [{"role": "user", "content": question}]}, headers=h)
    assert r.status_code == 200, r.text
    owner = r.json()["citations"] and "at least 2 years, its annual revenue" in r.json()["answer"]
    token = h["Authorization"].removeprefix("Bearer ")
    principal = c.app.state.keys.authenticate(token)  # type: ignore[attr-defined]
    passages = c.app.state.chat.turn(principal, [{"role": "user", "content": question}]).passages  # type: ignore[attr-defined]
    in_evidence = f"program:{pid}" in {p.doc_id for p in passages}
    assert bool(owner) == in_evidence
    return in_evidence


PROBES: dict[str, Probe] = {
    "programs list": _listed,
    "program by id": lambda c, h, pid: c.get(f"/v1/programs/{pid}", headers=h).status_code == 200,
    "match by text": _matched,
    "chat cites it": _cited,
}


@pytest.mark.parametrize("probe", PROBES, ids=list(PROBES))
def test_only_the_owner_and_admins_reach_a_tenants_program(private: Private, probe: str) -> None:
    c, auth = private.api.client, private.api.auth
    assert PROBES[probe](c, auth["bank-b"], private.program_id) is False
    assert PROBES[probe](c, auth["bank-a"], private.program_id) is True
    assert PROBES[probe](c, auth["ops"], private.program_id) is True


def test_another_tenants_program_is_a_404_like_a_missing_one(private: Private) -> None:
    c, h = private.api.client, private.api.auth["bank-b"]
    theirs, missing = c.get(f"/v1/programs/{private.program_id}", headers=h), c.get("/v1/programs/doc-missing", headers=h)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["error"]["message"] == f"no program with id {private.program_id!r}"
    mine = c.get(f"/v1/programs/{private.program_id}", headers=private.api.auth["bank-a"]).json()
    assert mine["tenant"] == "bank-a" and mine["kind"] == "credit"
    assert [cr["field"] for cr in mine["criteria"]] == ["years_since_founding", "revenue"]


def test_public_programs_are_shared(private: Private) -> None:
    c, auth = private.api.client, private.api.auth
    for who in ("bank-a", "bank-b", "ops"):
        body = c.get(f"/v1/programs/{private.public_id}", headers=auth[who]).json()
        assert body["id"] == private.public_id and body["tenant"] == "public"
    counts = {who: len(c.get("/v1/programs?limit=500", headers=auth[who]).json()["programs"]) for who in auth}
    assert counts["bank-a"] == counts["bank-b"] + 1 == counts["ops"]


def test_cli_lists_programs_as_a_tenant_or_as_the_operator(private: Private, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           request: pytest.FixtureRequest) -> None:
    monkeypatch.setenv("SME_DATA_DIR", str(private.api.settings.data_dir))
    monkeypatch.setenv("SME_EMBEDDER", "hashing")
    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)

    def ids(*extra: str) -> set[str]:
        assert main(["programs", "list", "--kind", "credit", "--limit", "500", "--json", *extra]) == 0
        return {p["id"] for p in json.loads(capsys.readouterr().out)}

    assert private.program_id in ids() and private.program_id in ids("--tenant", "bank-a")
    assert private.program_id not in ids("--tenant", "bank-b") and private.public_id in ids("--tenant", "bank-b")
    assert main(["programs", "show", private.program_id, "--tenant", "bank-b"]) != 0
    assert main(["match", "--text", FIRM, "--kind", "credit", "-k", "200", "--json", "--tenant", "bank-b"]) == 0
    assert private.program_id not in capsys.readouterr().out
    assert main(["match", "--text", FIRM, "--kind", "credit", "-k", "3", "--json", "--tenant", "bank-a"]) == 0
    assert json.loads(capsys.readouterr().out)["matches"][0]["program"]["id"] == private.program_id


# -- the matcher: hidden programs never rank, vote or take a top-k place ------------------------
def _p(pid: str, label: str, tenant: str = "public") -> Program:
    return Program(id=pid, kind="policy", title=pid, label=label, tenant=tenant)


def test_hidden_programs_neither_vote_nor_fill_the_top_k() -> None:
    programs = [_p("a1", "A"), _p("b1", "B"), *(_p(f"x{i}", "X", "bank-a") for i in range(5))]
    ranked = [(f"x{i}", 1.0 - i / 100) for i in range(5)] + [("b1", 0.5), ("a1", 0.4)]
    firm, today = build_profile("f", []), date(2026, 3, 1)

    def top(catalog: list[Program], hidden: frozenset[str] = frozenset()) -> list[tuple[str, float, float]]:
        result = Matcher(catalog, relevance=lambda text: ranked, today=today, hidden=hidden).match(firm, "text", k=2)
        return [(m.program.id, m.score, m.label_share) for m in result.matches]

    assert [pid for pid, _, _ in top(programs)] == ["x0", "x1"]  # the control: visible, they win
    blind = top(programs, frozenset(f"x{i}" for i in range(5)))
    assert blind == top(programs[:2])  # as if the hidden programs did not exist: same places, scores and votes
    assert [pid for pid, _, _ in blind] == ["b1", "a1"]


# -- migration -------------------------------------------------------------------------------
OLD_PROGRAMS = """CREATE TABLE programs (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL, issuer TEXT, jurisdiction TEXT,
  valid_from TEXT, valid_to TEXT, superseded_by TEXT, source_doc TEXT, body TEXT NOT NULL, search TEXT);"""


def _old_db(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(STORE_SCHEMA + OLD_PROGRAMS)  # the documents table as it is, programs as they were
    conn.executemany("INSERT INTO documents (id, source, kind, tenant, status) VALUES (?,?,?,?,'indexed')",
                     [("d-a", "a.txt", "credit", "bank-a"), ("d-p", "p.txt", "policy", "public")])
    for pid, doc in (("doc-a", "d-a"), ("doc-p", "d-p"), ("catalog-1", "")):
        body = json.dumps({"id": pid, "kind": "credit", "title": pid, "source": {"doc_id": doc} if doc else {}})
        conn.execute("INSERT INTO programs VALUES (?,?,?,'','',NULL,NULL,NULL,?,?,?)", (pid, "credit", pid, doc, body, pid))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("opener", [ProgramStore, Store], ids=["program store", "metadata store"])
def test_an_old_programs_table_gets_the_tenant_column_and_its_owners(tmp_path: Path, opener: type) -> None:
    db = tmp_path / "meta.db"
    _old_db(db)
    opener(db)
    opener(db)  # a second open finds the column and leaves it be
    store = ProgramStore(db)
    assert {p.id: p.tenant for p in store.list()} == {"doc-a": "bank-a", "doc-p": "public", "catalog-1": "public"}
    assert [p.id for p in store.list(ProgramQuery(tenants={"public", "bank-b"}))] == ["catalog-1", "doc-p"]
    assert store.get("doc-a", {"public", "bank-a"}).tenant == "bank-a"
    store.upsert([Program(id="new", kind="policy", title="new", tenant="bank-b")])
    assert store.get("new").tenant == "bank-b"
