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


def test_the_issuing_authority_is_read_after_its_label_as_ocr_lays_a_form_out() -> None:
    from app.core.certificates import read_certificate

    scan = ("高新技术企业证书\n企业名称 :\n证书编号 :\n发证时间 :\n示例科技有限公司\nGR202344209999\n2023 年 12 月 12 日\n"
            "有效期 : 三年\n批准机关 :\n深圳市科技创新委员会\n深圳市财政局\n国家税务总局深圳市税务局")
    cert = read_certificate("高新技术企业", scan)
    assert cert.issuer == "深圳市科技创新委员会、深圳市财政局、国家税务总局深圳市税务局"
    assert cert.number == "GR202344209999" and cert.valid_years == 3
    en = read_certificate("ISO 9001", "Certificate no. AB12345678, issued by the Texas Department of Commerce on 2022-01-05")
    assert en.issuer == "Texas Department of Commerce"
    assert read_certificate("X", "证书编号：GR202344209999").issuer is None


def test_a_round_the_profile_does_not_record_is_named_in_the_askers_language() -> None:
    from app.core.funding import round_name, rounds_not_held

    a_round = {"funding_stage": "A", "funding_rounds": ({"stage": "A", "amount": 5e7, "currency": "CNY"},)}
    assert rounds_not_held("那B轮呢？", a_round) == ["B"] and rounds_not_held("And the Series C?", a_round) == ["C"]
    assert rounds_not_held("它的A轮融了多少？", a_round) == [] and rounds_not_held("它融了多少钱？", a_round) == []
    assert rounds_not_held("天使轮是谁投的？", a_round) == ["angel"]
    assert round_name("B", "zh") == "B轮" and round_name("B", "en") == "Series B" and round_name("angel", "en") == "angel round"
