"""A named program's verdict explained clause by clause: its gaps, then the criteria the client meets
with the client's value (a derived value naming what it was derived from); the catalog's area named in
the asker's language, never quoted as a clause the program does not contain."""

from __future__ import annotations

from datetime import date

from app.core.enterprise_facts import text_facts
from app.core.match import Matcher
from app.core.profile import build_profile
from app.core.program_answer import program_text
from app.core.types import Criterion, Program

TODAY = date(2026, 11, 28)
FIRM = build_profile("f", text_facts("公司成立于2019年，注册地址：广东省深圳市南山区科技园。员工总数120人。2023年营业收入8,000万元。"))
AGE = Criterion("years_since_founding", ">=", 2, "years", source_text="企业成立满2年")
REVENUE = Criterion("revenue", ">=", 100_000_000, "CNY", source_text="上年度营业收入不低于1亿元")
TAX = Criterion("tax_rating", "in", ("A",), source_text="纳税信用等级为A级")
LOAN = Program(id="loan", kind="credit", title="科技贷", jurisdiction=("中国",), criteria=(AGE, REVENUE, TAX))


def _match():  # type: ignore[no-untyped-def]
    [m] = Matcher([LOAN], today=TODAY).match(FIRM).matches
    return m


def test_the_verdict_lists_gaps_then_each_met_criterion_with_the_clients_value() -> None:
    lines = program_text(_match(), 1, "zh", (), TODAY).splitlines()
    assert lines[0].startswith("信贷：科技贷——不符合")
    marks = [line[0] for line in lines[1:]]
    assert marks == ["✗", "?", "✓", "✓"]  # unmet, unknown, then met: area and founding age
    assert "营业收入8,000万元，低于要求的1亿元" in lines[1]
    assert lines[2].startswith("? 待确认：纳税信用等级为A级——")
    age = next(line for line in lines if "企业成立满2年" in line)
    assert age.startswith("✓ 满足：") and "依据成立时间 2019" in age  # the age names the date it is counted from


def test_the_catalog_area_is_named_not_quoted_in_either_language() -> None:
    zh, en = program_text(_match(), 1, "zh", (), TODAY), program_text(_match(), 1, "en", (), TODAY)
    assert "jurisdiction" not in zh + en
    assert "✓ 满足：适用地区——注册地广东省深圳市南山区，在适用地区（中国）内[1]" in zh
    assert "✓ Met: program area — located in 中国 > 广东省 > 深圳市 > 南山区, inside the program's area (中国) [1]" in en
    area = _match().verdicts[0]
    assert area.criterion.field == "region" and area.criterion.source_text == ""  # no clause of the program's text


def test_a_preference_is_shown_after_the_criteria_with_the_clients_value() -> None:
    staff = Criterion("employees", "<=", 100, "persons", hard=False, source_text="职工人数100人以下者优先")
    fund = Program(id="fund", kind="equity", title="成长基金", jurisdiction=("中国",), criteria=(AGE, staff))
    [m] = Matcher([fund], today=TODAY).match(FIRM).matches
    zh, en = program_text(m, 1, "zh", (), TODAY).splitlines(), program_text(m, 1, "en", (), TODAY).splitlines()
    assert zh[-1].startswith("☆ 优先条件（不满足）：职工人数100人以下者优先——") and "120人" in zh[-1]
    assert en[-1].startswith("☆ Preferred (not met): 职工人数100人以下者优先 — ")
    assert m.status == "eligible"  # a preference decides no eligibility


def test_a_client_value_is_cited_to_its_own_source_and_the_clause_to_the_program() -> None:
    cited: list[str] = []

    def cite(v):  # type: ignore[no-untyped-def]
        cited.append(v.criterion.field)
        return "[2]" if v.criterion.field == "revenue" else ""

    lines = program_text(_match(), 1, "zh", (), TODAY, cite).splitlines()
    revenue = next(line for line in lines if "营业收入8,000万元" in line)
    assert revenue.startswith("✗ 不满足：上年度营业收入不低于1亿元[1]——") and revenue.endswith("[2]")
    age = next(line for line in lines if "企业成立满2年" in line)
    assert age.endswith("[1]") and "[2]" not in age  # no source given: the line cites the program alone
    assert "tax_rating" not in cited  # an unknown criterion has no client value to cite
    en = program_text(_match(), 1, "en", (), TODAY, cite).splitlines()
    assert next(line for line in en if "80,000,000" in line or "8,000" in line).endswith(" [2]")


def test_a_requirement_no_criterion_checks_is_listed_for_the_rm_to_confirm() -> None:
    text = ("科技贷支持科技型企业。\n企业成立满2年。\n上年度营业收入不低于1亿元。\n纳税信用等级为A级。\n"
            "贷款资金须用于企业研发和经营周转，不得用于股权投资。")
    loan = Program(id="loan", kind="credit", title="科技贷", jurisdiction=("中国",), criteria=(AGE, REVENUE, TAX), text=text)
    [m] = Matcher([loan], today=TODAY).match(FIRM).matches
    zh = program_text(m, 1, "zh", (), TODAY).splitlines()
    unchecked = [line for line in zh if line.startswith("? 另需确认")]
    # the sentence no criterion quotes (the loan's use), not the ones the criteria check, nor the description
    assert unchecked == ["? 另需确认（不在画像中）：贷款资金须用于企业研发和经营周转，不得用于股权投资。[1]"]
    en = program_text(m, 1, "en", (), TODAY)
    assert "? Also required, to confirm with the client: 贷款资金须用于企业研发和经营周转，不得用于股权投资。 [1]" in en


def test_the_benefits_asked_follow_the_verdict() -> None:
    lines = program_text(_match(), 1, "zh", (), TODAY, offered=["最高额度：1,000万元。"]).splitlines()
    assert lines[1] == "最高额度：1,000万元[1]"


def test_a_preference_asked_alone_is_still_shown_as_a_preference_not_a_requirement_failed() -> None:
    from app.core.program_answer import criterion_text
    staff = Criterion("employees", "<=", 100, "persons", hard=False, source_text="职工人数100人以下者优先")
    fund = Program(id="fund", kind="equity", title="成长基金", jurisdiction=("中国",), criteria=(AGE, staff))
    [m] = Matcher([fund], today=TODAY).match(FIRM).matches
    asked = [v for v in m.verdicts if v.criterion is staff]
    zh, en = criterion_text(m, asked, 1, "zh").splitlines(), criterion_text(m, asked, 1, "en").splitlines()
    assert zh == ["成长基金：", next(x for x in program_text(m, 1, "zh", (), TODAY).splitlines() if x.startswith("☆"))]
    assert en[1].startswith("☆ Preferred (not met): 职工人数100人以下者优先 — ") and "✗" not in "".join(en)
