"""A question asking a part of a certificate's record (its number, issue date, issuer, validity) is read by
rule, as exact identifiers are: the record of the certification it names, or the one on record."""

from __future__ import annotations

from app.core.facts_certificates import certificate_record_asked, certification_named
from app.core.glossary import load_glossary
from app.core.textnorm import index_form

RECORD = {"name": "高新技术企业", "number": "GR202344201234", "issued": "2023-12-12", "valid_years": 3,
          "expires": "2026-12-11", "issuer": "深圳市科技创新委员会"}
HELD: dict[str, object] = {"certifications": {"value": ["高新技术企业"]}, "certificate.hnte": {"value": RECORD},
                           "revenue": {"value": 120_800_000}}


def _asked(question: str, fields: dict[str, object] = HELD) -> str | None:
    return certificate_record_asked(index_form(question), fields, load_glossary().expansions(question))


def test_a_part_of_the_record_of_a_named_certification_is_asked() -> None:
    for q in ("客戶那張高企證書的編號幫我查一下", "那张高企证书是哪个部门批的？", "极光的高企证书编号多少？哪天发的证？",
              "What is the HNTE certificate number?", "When does its high-tech enterprise certificate expire?"):
        assert _asked(q) == "certificate.hnte", q


def test_the_one_certificate_on_record_answers_the_certificate_unnamed() -> None:
    assert _asked("那张证书什么时候到期？") == "certificate.hnte"
    two = {**HELD, "certificate.iso9001": {"value": {"name": "ISO 9001", "number": "Q1"}}}
    assert _asked("那张证书什么时候到期？", two) is None  # which one: not for a rule to guess


def test_a_part_the_record_lacks_is_left_to_the_model() -> None:
    no_issuer = {**HELD, "certificate.hnte": {"value": {k: v for k, v in RECORD.items() if k != "issuer"}}}
    assert _asked("那张高企证书是哪个部门批的？", no_issuer) is None
    assert _asked("那张高企证书的编号是多少？", no_issuer) == "certificate.hnte"


def test_no_record_part_asked_or_none_held_is_left_to_the_model() -> None:
    assert _asked("它是高新技术企业吗？") is None  # the certification, not its certificate's record
    assert _asked("高企认定有效期几年？") is None  # the rule's question: no certificate named
    assert _asked("科技型中小企业入库编号是多少") is None  # a record the profile does not hold
    assert _asked("它的统一社会信用代码号码") is None
    assert _asked("营业执照的有效期") is None


def test_a_program_named_after_a_certification_is_not_it() -> None:
    assert certification_named("certificate.hnte", "高新技术企业认定")
    assert not certification_named("certificate.hnte", "高企贷")
