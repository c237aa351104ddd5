"""Typed API responses: every route in the OpenAPI schema answers success with a named model
whose fields are listed, and the models hold what the routes really return."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.adapters.keys import KeyStore
from app.api.app import create_app
from app.api.responses import ChatAnswer, MatchResponse, Profile
from app.core.types import Criterion, Program
from app.settings import Settings
from app.wiring import Deps

Api = tuple[TestClient, dict[str, str]]
FIRM = ("深圳极光智能科技有限公司成立于2019年3月，注册地址：广东省深圳市南山区科技园。2024年营业收入4800万元，"
        "员工总数120人，已获得发明专利12项，2023年通过高新技术企业认定。")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("responses"), embedder="hashing")
    deps = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=HashingEmbedder())
    tier = Criterion("rd_expense_ratio", ">=", 5, "%", when=(Criterion("revenue", "<=", 50_000_000, "CNY"),))
    deps.programs.upsert([Program(id="sz", kind="policy", title="深圳市科技企业资助", jurisdiction=("中国", "广东省", "深圳市"),
                                  criteria=(Criterion("revenue", ">=", 50_000_000, "CNY", source_text="营业收入不低于5000万元"),
                                            tier))])
    key, _ = KeyStore(settings.keys_path).create("bank-a", "rm")
    with TestClient(create_app(settings, deps)) as c:
        yield c, {"Authorization": f"Bearer {key}"}


def _success_schema(operation: dict[str, Any]) -> dict[str, Any]:
    code = next(c for c in ("200", "201", "202") if c in operation["responses"])
    return operation["responses"][code]["content"]["application/json"]["schema"]


def test_every_route_has_a_typed_success_response(api: Api) -> None:
    spec = api[0].get("/openapi.json").json()
    components = spec["components"]["schemas"]
    untyped = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            ref = _success_schema(operation).get("$ref", "")
            model = components.get(ref.rsplit("/", 1)[-1], {})
            if not ref or not model.get("properties"):
                untyped.append(f"{method.upper()} {path}")
    assert untyped == []
    assert len(spec["paths"]) >= 14  # the /v1 routes and the probes, not an empty schema


def test_the_models_show_every_field_of_the_contract(api: Api) -> None:
    components = api[0].get("/openapi.json").json()["components"]["schemas"]
    assert {"program", "kind", "score", "status", "verdicts", "questions", "explanation"} <= set(components["Match"]["properties"])
    assert {"criterion", "verdict", "fact", "source_text", "reason", "reasons"} <= set(components["Verdict"]["properties"])
    assert {"value", "unit", "confidence", "method", "source"} <= set(components["Fact"]["properties"])
    assert {"answer", "citations", "conversation_id"} <= set(components["ChatAnswer"]["properties"])
    assert {"id", "kind", "title", "issuer", "jurisdiction", "criteria", "source"} <= set(components["Program"]["properties"])
    assert {"job_id", "status", "files", "counts"} <= set(components["JobResponse"]["properties"])
    assert {"enterprise_id", "name", "fields"} <= set(components["Profile"]["properties"])


def test_real_responses_fit_their_models(api: Api) -> None:
    c, auth = api
    profile = c.post("/v1/profile", json={"text": FIRM}, headers=auth)
    assert profile.status_code == 200, profile.text
    assert Profile.model_validate(profile.json()).fields["revenue"].value == 48_000_000
    assert "candidates" not in profile.json()["fields"]["revenue"]  # the model adds no keys the route did not write
    match = c.post("/v1/match", json={"text": FIRM, "as_of": "2026-03-01"}, headers=auth)
    assert match.status_code == 200, match.text
    body = MatchResponse.model_validate(match.json())
    verdicts = {v.criterion.field: v for v in body.matches[0].verdicts}
    assert verdicts["revenue"].reasons == {"en": "revenue 48,000,000 CNY is below the required 50,000,000 CNY",
                                           "zh": "营业收入4,800万元，低于要求的5,000万元"}
    chat = c.post("/v1/chat", json={"messages": [{"role": "user", "content": "深圳有哪些科技企业资助？"}]}, headers=auth)
    assert chat.status_code == 200, chat.text
    assert ChatAnswer.model_validate(chat.json()).conversation_id
    programs = c.get("/v1/programs", headers=auth).json()["programs"]
    assert [p["id"] for p in programs] == ["sz"] and programs[0]["criteria"][1]["when"][0]["field"] == "revenue"
    assert c.get("/healthz").json() == {"status": "ok"}


def test_a_profile_from_the_api_goes_back_into_matching_as_it_is(api: Api) -> None:
    c, auth = api
    profile = c.post("/v1/profile", json={"text": FIRM}, headers=auth).json()
    match = c.post("/v1/match", json={"profile": profile, "as_of": "2026-03-01"}, headers=auth)
    assert match.status_code == 200, match.text
    [found] = match.json()["matches"]
    verdicts = {v["criterion"]["field"]: v["verdict"] for v in found["verdicts"]}
    assert (found["program"]["id"], verdicts["region"], verdicts["revenue"]) == ("sz", "met", "unmet")
