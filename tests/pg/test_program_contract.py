"""The program catalog on SQLite (the default) and on PostgreSQL: the same calls, the same answers
(filters, order, retirement by `supersedes`, tenant scoping), and with PostgreSQL a second store
(another host) reads what the first wrote and sees its version change, an ingest checkpoint's
writes included."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.adapters.backends import document_store, program_store
from app.adapters.programs import ProgramQuery, ProgramStore
from app.adapters.store import Batch
from app.cli import main
from app.core.errors import NotFound
from app.core.types import Criterion, Document, Program
from app.demo import CATALOG
from app.settings import Settings, get_settings
from ingest.catalog import load_catalog
from tests.pg.stores import BACKENDS, Opened, backend_settings


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    return backend_settings(request, tmp_path)


def _two(settings: Settings, opened: Opened) -> tuple[ProgramStore, ProgramStore]:
    return opened(program_store(settings)), opened(program_store(settings))


LOAN = Program("demo-loan", "credit", "Tech credit loan", issuer="Demo Bank", jurisdiction=("中国", "广东省", "深圳市"),
               valid_from="2024-01-01", benefits={"max_amount_cny": 3_000_000},
               criteria=(Criterion(field="employees", op="<=", value=500, unit="persons"),), tags=("科技",))
POLICY = Program("demo-policy", "policy", "科技型中小企业评价", jurisdiction=("中国",), valid_to="2030-12-31",
                 text="職工總數不超過500人", source={"doc_id": "doc-1"})
PRIVATE = Program("bank-a-loan", "credit", "Bank A 专属贷款", issuer="Bank A", jurisdiction=("中国", "上海市"),
                  source={"doc_id": "doc-a"}, tenant="bank-a")


def test_programs_read_back_whole_through_another_store_in_kind_and_id_order(settings: Settings,
                                                                              opened: Opened) -> None:
    host_a, host_b = _two(settings, opened)
    assert host_a.upsert([POLICY, PRIVATE, LOAN]) == 3
    assert host_b.get("demo-loan") == LOAN and host_b.get("bank-a-loan") == PRIVATE
    assert [p.id for p in host_b.list()] == ["bank-a-loan", "demo-loan", "demo-policy"]
    assert [p.id for p in host_b.list(ProgramQuery(limit=1, offset=1))] == ["demo-loan"]
    assert host_b.count() == 3


def test_filters_select_the_same_programs(settings: Settings, opened: Opened) -> None:
    store = opened(program_store(settings))
    store.upsert([LOAN, POLICY, PRIVATE])

    def ids(**query: object) -> list[str]:
        return [p.id for p in store.list(ProgramQuery(**query))]  # type: ignore[arg-type]

    assert ids(kind="credit") == ["bank-a-loan", "demo-loan"]
    assert ids(jurisdiction="深圳市") == ["demo-loan"] and ids(jurisdiction="中国") == ids()
    assert ids(jurisdiction="深圳") == []  # a whole level, not a substring of one
    assert ids(issuer="demo bank") == ["demo-loan"]  # case does not matter, as in SQLite's LIKE
    assert ids(text="CREDIT loan") == ["demo-loan"] and ids(text="职工总数") == ["demo-policy"]  # index form
    assert ids(text="100%") == [] and ids(text="loan\\") == []
    assert ids(valid_on=date(2023, 6, 1)) == ["bank-a-loan", "demo-policy"]
    assert ids(valid_on=date(2031, 1, 1)) == ["bank-a-loan", "demo-loan"]


def test_another_tenants_program_is_absent_and_never_retired_by_it(settings: Settings, opened: Opened) -> None:
    host_a, host_b = _two(settings, opened)
    host_a.upsert([LOAN, PRIVATE])
    for tenants in ({"public", "bank-b"}, set()):
        with pytest.raises(NotFound, match="no program with id 'bank-a-loan'"):
            host_b.get("bank-a-loan", tenants)
    assert host_b.get("bank-a-loan", {"public", "bank-a"}).tenant == "bank-a"
    assert [p.id for p in host_b.list(ProgramQuery(tenants={"public", "bank-b"}))] == ["demo-loan"]
    assert [p.id for p in host_b.list(ProgramQuery(tenants=set()))] == []
    with pytest.raises(NotFound, match="no program with id 'nope'"):
        host_b.get("nope")
    sneaky = Program("bank-b-loan", "credit", "B", supersedes="bank-a-loan", tenant="bank-b")
    host_b.upsert([sneaky])
    assert "bank-a-loan" in [p.id for p in host_a.list()]


def test_a_new_version_retires_the_old_and_every_change_moves_the_version(settings: Settings, opened: Opened) -> None:
    host_a, host_b = _two(settings, opened)
    seen = [host_b.version()]
    host_a.upsert([LOAN, POLICY])
    seen.append(host_b.version())
    assert host_b.version() == seen[-1]  # nothing changed, nothing moves
    host_a.upsert([Program("demo-loan-v2", "credit", "Tech credit loan 2024", supersedes="demo-loan")])
    seen.append(host_b.version())
    assert [p.id for p in host_b.list()] == ["demo-loan-v2", "demo-policy"] and host_b.count() == 2
    assert [p.id for p in host_b.list(ProgramQuery(include_superseded=True))] == ["demo-loan", "demo-loan-v2",
                                                                                  "demo-policy"]
    host_a.upsert([Program("demo-policy", "policy", "科技型中小企业评价（修订）", source={"doc_id": "doc-1"})])
    seen.append(host_b.version())  # same id, same count: a replaced body
    assert host_b.get("demo-policy").title == "科技型中小企业评价（修订）"
    host_a.upsert([LOAN])  # written again: current again, as SQLite's INSERT OR REPLACE does
    seen.append(host_b.version())
    assert [p.id for p in host_b.list(ProgramQuery(kind="credit"))] == ["demo-loan", "demo-loan-v2"]
    host_a.replace_for_document("doc-1", [])
    seen.append(host_b.version())
    assert len(set(seen)) == len(seen), seen


def test_a_documents_programs_are_replaced_together(settings: Settings, opened: Opened) -> None:
    store = opened(program_store(settings))
    store.upsert([LOAN, POLICY])
    fresh = Program("doc-1-p2", "policy", "新政策", source={"doc_id": "doc-1"})
    store.replace_for_document("doc-1", [fresh])
    assert [p.id for p in store.list()] == ["demo-loan", "doc-1-p2"]


def test_the_default_backend_is_the_sqlite_store_and_postgresql_its_own(settings: Settings, opened: Opened) -> None:
    store = opened(program_store(settings))
    pg = settings.database_url is not None
    assert (type(store).__name__ == "PgProgramStore") is pg and isinstance(store, ProgramStore)
    assert (settings.db_path.exists()) is not pg  # PostgreSQL writes nothing under the data dir


def test_programs_an_ingest_checkpoint_writes_are_read_and_move_the_version(settings: Settings,
                                                                            opened: Opened) -> None:
    writer, programs = opened(document_store(settings)), opened(program_store(settings))
    before = programs.version()
    batch = Batch()
    batch.documents.append(Document(id="doc-a", source="a.pdf", kind="policy", tenant="bank-a", title="A 办法",
                                    bytes_sha="b-a", text_sha="t-a"))
    batch.programs.append(Program("doc-a-p1", "policy", "A 补贴", source={"doc_id": "doc-a"}, tenant="bank-a"))
    writer.write_batch(batch, {"index_generation": "1"})
    assert programs.version() != before
    assert [(p.id, p.tenant) for p in programs.list(ProgramQuery(tenants={"public", "bank-a"}))] == [("doc-a-p1",
                                                                                                    "bank-a")]
    assert programs.list(ProgramQuery(tenants={"public", "bank-b"})) == []


def test_sme_programs_load_goes_to_postgresql_and_another_host_lists_it(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SME_DATABASE_URL", pg_url)
    for host in ("a", "b"):
        monkeypatch.setenv("SME_DATA_DIR", str(tmp_path / host))
        get_settings.cache_clear()
        if host == "a":
            assert main(["programs", "load", str(CATALOG / "credit.yaml")]) == 0
        else:
            assert main(["programs", "list", "--kind", "credit", "--json"]) == 0
    get_settings.cache_clear()
    loaded, listed = capsys.readouterr().out.split("\n", 1)
    ids = [p["id"] for p in json.loads(listed)]
    assert loaded.startswith(f"loaded {len(load_catalog(CATALOG / 'credit.yaml'))} programs") and ids == sorted(ids)
    assert {p.id for p in load_catalog(CATALOG / "credit.yaml") if p.kind == "credit"} == set(ids)
    assert not any((tmp_path / host / "meta.sqlite3").exists() for host in ("a", "b"))  # nothing went to SQLite
