"""One program however many sources describe it: a catalog entry and its policy document merge,
citing both; programs of another area, owner or kind, or that only share words, stay apart."""

from __future__ import annotations

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.core.policy_programs import programs_from_document
from app.core.program_dedup import dedupe, same_program, title_key
from app.core.types import Criterion, Program
from app.enterprises import Enterprises
from app.matching import Matching
from app.settings import Settings
from app.wiring import Deps

HNTE_DOC = """# 高新技术企业认定条件（摘要）

1. 企业申请认定时须注册成立一年以上。
2. 企业从事研发和相关技术创新活动的科技人员占企业当年职工总数的比例不低于10%。
3. 近一年高新技术产品（服务）收入占企业同期总收入的比例不低于60%。
"""
YEARS = Criterion("years_since_founding", ">=", 1, "years")
STAFF = Criterion("rd_staff_ratio", ">=", 10, "%")


def _catalog(pid: str, title: str, area: tuple[str, ...] = ("中国",), *criteria: Criterion, tenant: str = "public") -> Program:
    return Program(id=pid, kind="policy", title=title, jurisdiction=area, criteria=criteria, tenant=tenant,
                   source={"file": "catalog/policies.yaml", "line": 6})


def _document() -> Program:
    [p] = programs_from_document("d" * 40, "高新技术企业认定条件（摘要）", "docs/hnte.md", HNTE_DOC)
    return p


def test_titles_lose_the_words_that_name_the_document() -> None:
    assert title_key("高新技术企业认定条件（摘要）") == title_key("高新技术企业认定") == "高新技术企业认定"
    assert title_key("專精特新中小企業培育辦法（示範摘要）") == "专精特新中小企业培育"
    assert title_key("SBIR Phase I: eligibility overview") == "sbirphasei"


def test_a_catalog_entry_and_its_policy_document_become_one_program_citing_both() -> None:
    entry = _catalog("cn-hnte", "高新技术企业认定", ("中国",), YEARS)
    other = _catalog("cn-tsme", "科技型中小企业评价")
    merged = dedupe([_document(), entry, other])
    assert [p.id for p in merged] == ["cn-hnte", "cn-tsme"]
    hnte = merged[0]
    assert hnte.criteria == (YEARS,)  # the catalog's own criteria stand
    sources = hnte.source["sources"]
    assert isinstance(sources, list)
    assert [(s["program_id"], s["from"]) for s in sources] == [("cn-hnte", "catalog"), (_document().id, "document")]
    assert sources[1]["doc_id"] == "d" * 40 and sources[1]["file"] == "docs/hnte.md"


def test_an_entry_without_criteria_takes_the_documents() -> None:
    [merged] = dedupe([_catalog("cn-hnte", "高新技术企业认定"), _document()])
    assert {c.field for c in merged.criteria} == {c.field for c in _document().criteria} != set()


def test_other_areas_owners_kinds_and_mere_shared_words_stay_apart() -> None:
    doc = _document()
    assert not same_program(doc, _catalog("ns", "南山区高新技术企业认定", ("中国", "广东省", "深圳市", "南山区")))
    assert not same_program(doc, _catalog("bank", "高新技术企业认定", tenant="bank-a"))
    assert not same_program(doc, Program(id="loan", kind="credit", title="高新技术企业认定", jurisdiction=("中国",)))
    # one title inside the other counts only when the criteria test mostly the same fields
    assert not same_program(doc, _catalog("award", "高新技术企业认定奖励", ("中国",), Criterion("revenue", ">=", 1, "CNY")))
    assert same_program(doc, _catalog("award", "高新技术企业认定奖励", ("中国",), YEARS, STAFF,
                                      Criterion("hightech_revenue_ratio", ">=", 60, "%")))
    assert len(dedupe([doc, _catalog("bank", "高新技术企业认定", tenant="bank-a")])) == 2


def test_two_documents_of_one_program_join_the_catalog_entry() -> None:
    first = _document()
    [second] = programs_from_document("e" * 40, "高新技术企业认定条件", "docs/hnte-2.md", HNTE_DOC)
    merged = dedupe([first, second, _catalog("cn-hnte", "高新技术企业认定")])
    assert [p.id for p in merged] == ["cn-hnte"]
    sources = merged[0].source["sources"]
    assert isinstance(sources, list) and [s["program_id"] for s in sources] == ["cn-hnte", first.id, second.id]


def test_the_matching_catalog_holds_each_program_once(settings: Settings) -> None:
    deps = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=HashingEmbedder())
    deps.programs.upsert([_catalog("cn-hnte", "高新技术企业认定"), _document()])
    programs = Matching(deps, Enterprises(deps)).catalog().programs
    assert [p.id for p in programs] == ["cn-hnte"] and len(programs[0].source["sources"]) == 2  # type: ignore[arg-type]
