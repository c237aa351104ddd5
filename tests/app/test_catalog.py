"""Program catalogs: loading, validation errors that name file and line, storage and the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.adapters.keys import KeyStore
from app.adapters.programs import ProgramQuery, ProgramStore
from app.api.app import create_app
from app.cli import main
from app.core.errors import InputError
from app.demo import CATALOG
from app.settings import Settings
from app.wiring import Deps
from ingest.catalog import load_catalog

GOOD = """\
- id: demo-loan
  kind: credit
  title: Tech credit loan
  issuer: Demo Bank
  jurisdiction: 中国 > 广东省 > 深圳市
  valid_from: 2024-01-01
  benefits: {max_amount_cny: 3000000, rate: "3.6%"}
  criteria:
    - {field: years_since_founding, op: ">=", value: 2, unit: years}
    - {field: employees, op: "<=", value: 500, unit: persons}
- id: demo-policy
  kind: policy
  title: 科技型中小企业评价
  jurisdiction: [中国]
  text: 职工总数不超过500人、年销售收入不超过2亿元、资产总额不超过2亿元。
"""


def _write(tmp_path: Path, text: str, name: str = "cat.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_catalog_loads_with_written_and_extracted_criteria(tmp_path: Path) -> None:
    loan, policy = load_catalog(_write(tmp_path, GOOD))
    assert loan.jurisdiction == ("中国", "广东省", "深圳市")
    assert [(c.field, c.op, c.value) for c in loan.criteria] == [("years_since_founding", ">=", 2), ("employees", "<=", 500)]
    assert loan.criteria[0].source_text == "cat.yaml:1"
    assert {(c.field, c.value) for c in policy.criteria} == {
        ("employees", 500), ("revenue", 200_000_000), ("total_assets", 200_000_000)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- id: x\n  kind: credit\n  title: [unclosed\n", "cat.yaml:4: malformed catalog"),
        (GOOD.replace("  issuer: Demo Bank", "  issuer: Demo Bank\n  colour: blue"), "cat.yaml:5: colour: Extra inputs"),
        (GOOD.replace("value: 500, unit: persons", "value: 500, unit: CNY"), "cat.yaml:10: criteria.1: Value error, unit 'CNY' does not fit field 'employees'"),
        (GOOD.replace("value: 2, unit: years}", "value: 2, unit: years}\n    - {field: years_since_founding, op: \"<=\", value: 1, unit: years}"),
         "range on years_since_founding: min 2 > max 1"),
        (GOOD.replace("field: employees", "field: headcountz"), "unknown field 'headcountz'"),
        (GOOD.replace("kind: credit", "kind: grant"), "cat.yaml:2: kind: Input should be 'policy', 'credit' or 'equity'"),
        (GOOD.replace("id: demo-policy", "id: demo-loan"), "duplicate program id 'demo-loan'"),
    ],
)
def test_bad_catalogs_fail_whole_with_file_line_and_problem(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        load_catalog(_write(tmp_path, text))
    assert message in str(err.value)


def test_csv_catalog_lines_are_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,kind,title,text\nok-1,policy,Good,企业职工总数不超过500人。\nbad-2,loan,Bad,x\n", "c.csv")
    with pytest.raises(InputError, match=r"c.csv:3: kind"):
        load_catalog(path)


def test_demo_catalog_is_valid_and_large_enough() -> None:
    programs = [p for f in sorted(CATALOG.glob("*.yaml")) for p in load_catalog(f)]
    kinds = {k: sum(p.kind == k for p in programs) for k in ("policy", "credit", "equity")}
    assert len(programs) >= 30 and min(kinds.values()) >= 5, kinds
    assert all(p.criteria for p in programs), [p.id for p in programs if not p.criteria]


def test_cli_validate_passes_on_demo_and_fails_clearly(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    for f in sorted(CATALOG.glob("*.yaml")):
        assert main(["programs", "validate", str(f)]) == 0
    bad = _write(tmp_path, GOOD.replace("kind: credit", "kind: grant"))
    assert main(["programs", "validate", str(bad)]) == 2
    assert "cat.yaml:2: kind" in capsys.readouterr().err


def test_store_filters_and_supersedes(settings: Settings, tmp_path: Path) -> None:
    store = ProgramStore(settings.db_path)
    store.upsert(load_catalog(_write(tmp_path, GOOD)))
    newer = GOOD.replace("id: demo-loan", "id: demo-loan-v2\n  supersedes: demo-loan").replace("id: demo-policy", "id: demo-policy-2")
    store.upsert(load_catalog(_write(tmp_path, newer, "v2.yaml")))
    ids = [p.id for p in store.list()]
    assert "demo-loan" not in ids and "demo-loan-v2" in ids
    assert [p.id for p in store.list(ProgramQuery(jurisdiction="深圳市"))] == ["demo-loan-v2"]
    assert store.list(ProgramQuery(kind="credit", text="credit loan"))[0].id == "demo-loan-v2"
    from datetime import date
    assert [p.id for p in store.list(ProgramQuery(kind="credit", valid_on=date(2023, 6, 1)))] == []


def test_programs_api(settings: Settings, tmp_path: Path) -> None:
    ProgramStore(settings.db_path).upsert(load_catalog(_write(tmp_path, GOOD)))
    key, _ = KeyStore(settings.keys_path).create("bank-a", "rm")
    deps = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=HashingEmbedder())
    with TestClient(create_app(settings, deps)) as client:
        auth = {"Authorization": f"Bearer {key}"}
        body = client.get("/v1/programs", params={"kind": "credit", "jurisdiction": "广东省"}, headers=auth).json()
        assert [p["id"] for p in body["programs"]] == ["demo-loan"]
        one = client.get("/v1/programs/demo-policy", headers=auth).json()
        assert {c["field"] for c in one["criteria"]} == {"employees", "revenue", "total_assets"}
        assert client.get("/v1/programs/nope", headers=auth).status_code == 404
        assert client.get("/v1/programs", params={"kind": "grant"}, headers=auth).status_code == 422
        assert client.get("/v1/programs").status_code == 401


def test_aliases_load_trimmed_survive_the_store_and_come_back_from_the_api(settings: Settings, tmp_path: Path) -> None:
    text = GOOD.replace("  title: 科技型中小企业评价", "  title: 科技型中小企业评价\n  aliases: [' Tech SME Evaluation ', '']")
    loaded = load_catalog(_write(tmp_path, text))
    assert [p.aliases for p in loaded] == [(), ("Tech SME Evaluation",)]
    ProgramStore(settings.db_path).upsert(loaded)
    assert ProgramStore(settings.db_path).get("demo-policy").aliases == ("Tech SME Evaluation",)  # type: ignore[union-attr]
    key, _ = KeyStore(settings.keys_path).create("bank-a", "rm")
    deps = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=HashingEmbedder())
    with TestClient(create_app(settings, deps)) as client:
        one = client.get("/v1/programs/demo-policy", headers={"Authorization": f"Bearer {key}"}).json()
    assert one["aliases"] == ["Tech SME Evaluation"]


def test_every_demo_program_has_a_name_in_the_other_language() -> None:
    import re

    for path in sorted(CATALOG.glob("*.yaml")):
        for p in load_catalog(path):
            names = (p.title, *p.aliases)
            assert any(re.search(r"[\u4e00-\u9fff]", n) for n in names), p.id
            assert any(re.search(r"[A-Za-z]{3}", n) for n in names), p.id
