"""A search hit as the API shows it: every field of the hit, the source without server folders;
and its snippet marks the query's terms found through the chunk's index form."""

from __future__ import annotations

from app.api.routes.search import _hit
from app.core.snippet import query_terms, snippet
from app.core.types import Hit

HIT = Hit(chunk_id="c1", doc_id="d1", title="高新技术企业认定管理办法", text="第十一条 認定為高新技術企業須同時滿足以下條件。",
          page=3, section="第二章", score=0.42, span=(10, 40), kind="policy", tenant="public",
          source="/srv/kb/policies/hnte.pdf", snippet="…条件…", company="", doc_type="policy", period="2016")


def test_a_hit_keeps_every_field_and_shows_the_file_name_only() -> None:
    assert _hit(HIT).model_dump() == {
        "chunk_id": "c1", "doc_id": "d1", "title": "高新技术企业认定管理办法", "text": HIT.text, "page": 3,
        "section": "第二章", "score": 0.42, "snippet": "…条件…", "span": (10, 40), "kind": "policy",
        "source": "hnte.pdf", "company": "", "doc_type": "policy", "period": "2016"}


def test_a_snippet_marks_terms_in_either_script_and_again_alike() -> None:
    terms = query_terms("高新技术企业 认定条件")
    first = snippet(HIT.text, terms)
    assert "**高新技術企業**" in first and "**條件**" in first
    assert snippet(HIT.text, terms) == first
