"""A question about a certification the client does not hold is not answered by another certificate's facts
(app/core/facts_certificates.certificates_not_held)."""

from __future__ import annotations

from app.core.facts_certificates import certificates_not_held

HOLDS_HNTE = {"certifications": ("高新技术企业",), "certificate.hnte": {"number": "GR202344201234"}}


def test_a_certification_the_profile_does_not_hold_is_named() -> None:
    assert certificates_not_held("它的科技型中小企业入库登记编号是多少？", HOLDS_HNTE) == ["科技型中小企业"]
    assert certificates_not_held("Is it ISO 9001 certified?", {"certifications": ("ISO 27001",)}) == ["ISO 9001"]


def test_one_it_holds_by_certificate_or_among_its_certifications_is_not() -> None:
    assert certificates_not_held("它的高新技术企业证书编号是多少？", HOLDS_HNTE) == []
    assert certificates_not_held("Does it hold ISO 27001?", {"certifications": ("ISO 27001",)}) == []
    assert certificates_not_held("它有多少项发明专利？", HOLDS_HNTE) == []  # no certification named
