"""POST /v1/match with a profile as a partner system writes it: a district-level region, a
founding date and amounts with units are read; an unreadable value is a 422 naming it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.adapters.keys import KeyStore
from app.api.app import create_app
from app.core.types import Criterion, Program
from app.settings import Settings
from app.wiring import Deps

Api = tuple[TestClient, dict[str, str]]
AREAS = {"cn": ("中国",), "gd": ("中国", "广东省"), "sz": ("中国", "广东省", "深圳市"), "ns": ("中国", "广东省", "深圳市", "南山区"),
         "sh": ("中国", "上海市")}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("match-input"), embedder="hashing")
    deps = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=HashingEmbedder())
    revenue = Criterion("revenue", ">=", 50_000_000, "CNY", source_text="上年度营业收入不低于5000万元")
    young = Criterion("years_since_founding", "<=", 10, "years", source_text="成立不超过10年")
    deps.programs.upsert([Program(id=pid, kind="policy", title=f"{pid} 科技企业资助", jurisdiction=area, criteria=(revenue, young))
                          for pid, area in AREAS.items()])
    key, _ = KeyStore(settings.keys_path).create("bank-a", "rm")
    with TestClient(create_app(settings, deps)) as c:
        yield c, {"Authorization": f"Bearer {key}"}


def _match(api, fields: dict[str, object], **extra: object) -> tuple[int, dict]:
    c, auth = api
    r = c.post("/v1/match", json={"profile": {"fields": fields}, "include_excluded": True, "as_of": "2026-03-01", **extra},
               headers=auth)
    return r.status_code, r.json()


@pytest.mark.parametrize("region", ["深圳市南山区", "Nanshan, Shenzhen"])
def test_a_nanshan_firm_gets_its_district_city_province_and_national_programs(api: Api, region: str) -> None:
    status, body = _match(api, {"region": region, "founded_date": "2019年3月", "revenue": "4800万元"})
    assert status == 200, body
    assert {m["program"]["id"] for m in body["matches"]} == {"cn", "gd", "sz", "ns"}
    assert [e["program_id"] for e in body["excluded"]] == ["sh"]
    verdicts = {v["criterion"]["field"]: v for v in body["matches"][0]["verdicts"]}
    assert verdicts["revenue"]["verdict"] == "unmet"
    assert verdicts["revenue"]["reason"] == "revenue 48,000,000 CNY is below the required 50,000,000 CNY"
    assert verdicts["years_since_founding"]["verdict"] == "met"  # derived from the founding date, as of 2026-03-01
    assert verdicts["years_since_founding"]["fact"]["value"] == 7.0
    assert "营业收入4,800万元，低于要求的5,000万元" in body["matches"][0]["explanation"]


def test_amounts_in_english_units_and_overrides(api: Api) -> None:
    status, body = _match(api, {"region": "Shenzhen", "founded_date": "2019-03-01", "revenue": "RMB 48m"},
                          overrides={"revenue": "52 million"})
    assert status == 200, body
    revenue = next(v for v in body["matches"][0]["verdicts"] if v["criterion"]["field"] == "revenue")
    assert (revenue["verdict"], revenue["fact"]["value"]) == ("met", 52_000_000)


@pytest.mark.parametrize(("fields", "words"), [
    ({"revenue": "lots"}, "revenue: cannot read 'lots'"),
    ({"region": "Atlantis"}, "region: cannot read 'Atlantis'"),
    ({"founded_date": "someday"}, "founded_date: cannot read 'someday'"),
])
def test_unreadable_values_are_a_422_naming_field_and_value(api: Api, fields: dict[str, object], words: str) -> None:
    status, body = _match(api, fields)
    assert status == 422
    assert body["error"]["code"] == "invalid_value" and body["error"]["message"].startswith(words)
