"""Identity: company names in one form (no conflict from "我司…"), the credit code only as the
identifier when its check digit holds (an invalid one kept, flagged), certificates with number,
issue date, validity and derived expiry."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.company_names import name_key, normalise_company_name
from app.core.enterprise_facts import document_facts, text_facts
from app.core.facts_certificates import CERTIFICATE_FIELDS
from app.core.fields import PROFILE_ONLY
from app.core.identity import INVALID_USCC, USCC, identifiers
from app.core.match_input import normalise_profile
from app.core.profile import build_profile
from app.core.profile_json import profile_from_json, profile_row
from app.core.uscc import check_char

VALID = "91440300MA5F12345" + check_char("91440300MA5F12345")
INVALID = VALID[:17] + ("0" if VALID[17] != "0" else "1")
NAME = "深圳市极光智能科技有限公司"


@pytest.mark.parametrize(("written", "name"), [
    ("我司深圳市极光智能科技有限公司", NAME), ("本公司深圳市极光智能科技有限公司", NAME), ("公司名称：深圳市 极光智能科技有限公司", NAME),
    ("“深圳市极光智能科技有限公司”", NAME), ("深圳市极光智能科技(南山)有限公司", "深圳市极光智能科技（南山）有限公司"),
    ("the Company, Aurora Robotics Co., Ltd.", "Aurora Robotics Co., Ltd."), ("Ａｕｒｏｒａ Robotics Inc.", "Aurora Robotics Inc."),
    ("我司", ""),
])
def test_company_names_in_one_form(written: str, name: str) -> None:
    assert normalise_company_name(written) == name


def test_name_keys_set_case_and_punctuation_aside() -> None:
    assert name_key("Aurora Robotics Co., Ltd.") == name_key("AURORA ROBOTICS CO LTD") == "auroraroboticscoltd"


def test_a_page_saying_wo_si_names_the_same_company_without_a_conflict() -> None:
    pages = {1: f"{NAME}\n商业计划书\n2024年营业收入4800万元。",
             3: f"我司{NAME}成立于2019年3月，注册地址：广东省深圳市南山区科技园。"}
    profile = build_profile("e", document_facts("d1", "商业计划书", "plan.pdf", pages))
    fv = profile.fields["company_name"]
    assert {c.value for c in fv.candidates} == {NAME} and fv.chosen.value == NAME and not fv.conflict


def test_a_valid_credit_code_is_the_identifier() -> None:
    profile = build_profile("e", text_facts(f"统一社会信用代码：{VALID}"))
    assert profile.value(USCC) == VALID and INVALID_USCC not in profile.fields
    assert identifiers(profile) == {USCC: VALID}


def test_an_invalid_check_digit_is_kept_flagged_never_as_the_identifier() -> None:
    profile = build_profile("e", text_facts(f"统一社会信用代码：{INVALID}"))
    assert USCC not in profile.fields
    flagged = profile.fields[INVALID_USCC].chosen
    assert (flagged.value, flagged.method, flagged.quote) == (INVALID, "rule:invalid_check_digit", INVALID)
    row = profile_row(profile)
    assert row["identifiers"] == {USCC: None} and row["fields"][INVALID_USCC]["value"] == INVALID


def test_both_codes_in_one_dossier_keep_the_valid_one_as_identifier() -> None:
    profile = build_profile("e", text_facts(f"统一社会信用代码：{VALID}。附件中写作{INVALID}。"))
    assert identifiers(profile) == {USCC: VALID} and profile.value(INVALID_USCC) == INVALID


def test_a_profile_given_to_matching_with_an_invalid_code_is_flagged_too() -> None:
    profile = normalise_profile(profile_from_json({"fields": {USCC: INVALID}}), date(2026, 3, 1))
    assert USCC not in profile.fields and profile.value(INVALID_USCC) == INVALID


CERTIFICATE = """高新技术企业证书
企业名称：深圳市极光智能科技有限公司
证书编号：GR202344201234
发证时间：2023年12月12日
有效期：三年"""


def test_a_certificate_carries_number_issue_date_validity_and_expiry() -> None:
    profile = build_profile("e", document_facts("c1", "高新技术企业证书", "hnte.pdf", {1: CERTIFICATE}))
    cert = profile.fields["certificate.hnte"].chosen
    assert cert.value == {"name": "高新技术企业", "number": "GR202344201234", "issued": "2023-12-12", "valid_years": 3,
                          "expires": "2026-12-11", "renewal_opens": "2026-06-11"}
    assert (cert.as_of, cert.doc_id, cert.page) == ("2023", "c1", 1) and "GR202344201234" in cert.quote
    assert profile.value("certifications") == ("高新技术企业",)


def test_an_english_certificate_with_an_end_date() -> None:
    [fact] = [f for f in text_facts("ISO 9001 certificate no. QMS20231234 issued 2022-05-10, valid until 2025-05-09.")
              if f.field.startswith("certificate.")]
    assert fact.field == "certificate.iso9001"
    assert fact.value == {"name": "ISO 9001", "number": "QMS20231234", "issued": "2022-05-10", "valid_years": None,
                          "expires": "2025-05-09", "renewal_opens": "2024-11-07"}


def test_a_bare_mention_is_a_certification_not_a_certificate() -> None:
    facts = text_facts("公司于2023年通过高新技术企业认定，员工120人。")
    assert not [f for f in facts if f.field.startswith("certificate.")]
    assert [f.value for f in facts if f.field == "certifications"] == ["高新技术企业"]


def test_a_renewed_certificate_is_history_not_a_conflict() -> None:
    old = CERTIFICATE.replace("GR202344201234", "GR202044200001").replace("2023年12月12日", "2020年12月11日")
    profile = build_profile("e", [*text_facts(old), *text_facts(CERTIFICATE)])
    fv = profile.fields["certificate.hnte"]
    assert not fv.conflict and fv.chosen.value["number"] == "GR202344201234"  # type: ignore[index]


def test_certificate_fields_are_columns_of_the_batch_output() -> None:
    assert set(CERTIFICATE_FIELDS) <= set(PROFILE_ONLY) and INVALID_USCC in PROFILE_ONLY


def test_a_place_descriptor_before_an_english_name_goes_but_a_name_that_says_based_stays() -> None:
    assert normalise_company_name("Austin-based Northwind Analytics Inc.") == "Northwind Analytics Inc."
    assert normalise_company_name("San Francisco-based Acme Corp") == "Acme Corp"
    assert normalise_company_name("Web-Based Systems Inc.") == "Web-Based Systems Inc."
