"""The matcher on small catalogs: exclusions with reasons, the jurisdiction hierarchy, statuses,
the score formula, questions, label voting and a what-if that flips a verdict."""

from __future__ import annotations

from datetime import date

from app.core.enterprise_facts import text_facts
from app.core.match import Matcher, eligibility
from app.core.profile import build_profile
from app.core.types import Criterion, Program

TODAY = date(2026, 11, 28)
FIRM = build_profile("f", text_facts("公司成立于2019年，注册地址：广东省深圳市南山区科技园。员工总数120人。2023年营业收入8,000万元，"
                                     "研发费用320万元。已获得发明专利3项。"))


def _p(pid: str, area: tuple[str, ...] = ("中国",), criteria: tuple[Criterion, ...] = (), **kw: object) -> Program:
    return Program(id=pid, kind=str(kw.pop("kind", "policy")), title=f"科技扶持项目{pid}", jurisdiction=area, criteria=criteria, **kw)  # type: ignore[arg-type]


def test_hierarchy_expiry_and_opening_dates() -> None:
    programs = [_p("national"), _p("guangdong", ("中国", "广东省")), _p("shenzhen", ("中国", "广东省", "深圳市")),
                _p("nanshan", ("中国", "广东省", "深圳市", "南山区")), _p("futian", ("中国", "广东省", "深圳市", "福田区")),
                _p("shanghai", ("中国", "上海市")), _p("us", ("United States",)),
                _p("expired", valid_to="2025-12-31"), _p("future", valid_from="2027-01-01")]
    result = Matcher(programs, today=TODAY).match(FIRM, k=20)
    assert {m.program.id for m in result.matches} == {"national", "guangdong", "shenzhen", "nanshan"}
    reasons = {e.program.id: e.reason for e in result.excluded}
    assert set(reasons) == {"futian", "shanghai", "us", "expired", "future"}
    assert reasons["expired"] == "expired on 2025-12-31" and reasons["future"] == "opens on 2027-01-01"
    assert reasons["shanghai"].startswith("outside its area: program in 中国 > 上海市")


def test_unknown_region_keeps_local_programs_as_a_question() -> None:
    nowhere = build_profile("n", text_facts("员工总数12人。"))
    [m] = Matcher([_p("nanshan", ("中国", "广东省", "深圳市", "南山区"))], today=TODAY).match(nowhere).matches
    assert m.verdicts[0].verdict == "unknown" and m.status == "unknown"
    assert m.questions == ("企业的注册地址在哪个省、市、区？",)


def test_statuses_and_score_formula() -> None:
    met = Criterion("employees", "<=", 300, "persons", source_text="职工总数不超过300人")
    unmet = Criterion("employees", "<=", 100, "persons", source_text="职工总数不超过100人")
    unknown = Criterion("tax_rating", "in", ("A",), source_text="纳税信用等级为A级")
    soft_unmet = Criterion("employees", "<=", 50, "persons", hard=False, source_text="优先支持50人以下企业")
    programs = [_p("ok", criteria=(met, soft_unmet)), _p("no", criteria=(met, unmet)), _p("maybe", criteria=(met, unknown))]
    by_id = {m.program.id: m for m in Matcher(programs, today=TODAY).match(FIRM).matches}
    assert {k: m.status for k, m in by_id.items()} == {"ok": "eligible", "no": "ineligible", "maybe": "likely"}
    # no relevance given: score = 0.5 * E with E = (met + 0.5 * unknown) / hard (area included)
    assert by_id["ok"].score == 0.5 and by_id["no"].score == 0.0 and by_id["maybe"].score == round(0.5 * 2.5 / 3, 4)
    assert [x.program.id for x in Matcher(programs, today=TODAY).match(FIRM).matches] == ["ok", "maybe", "no"]
    assert by_id["maybe"].questions == ("企业的纳税信用等级是什么？",)
    assert "✗ 职工总数不超过100人" in by_id["no"].explanation


def test_eligibility_counts_only_applicable_hard_criteria() -> None:
    assert eligibility(()) == ("likely", 0.5)


def test_what_if_flips_a_verdict_and_recomputes_derived_fields() -> None:
    hnte = _p("hnte", criteria=(Criterion("rd_expense_ratio", ">=", 5, "%", source_text="研发费用占比不低于5%"),))
    matcher = Matcher([hnte], today=TODAY)
    before = matcher.match(FIRM).matches[0]  # 320万 / 8,000万 = 4 %
    assert (before.status, before.verdicts[-1].verdict) == ("ineligible", "unmet")
    after = matcher.match(FIRM, overrides={"rd_expense_ratio": 6}).matches[0]
    assert (after.status, after.verdicts[-1].verdict) == ("eligible", "met")
    assert after.verdicts[-1].fact is not None and after.verdicts[-1].fact.method == "user"
    # overriding an input recomputes the derived ratio: 480万 / 8,000万 = 6 %
    again = matcher.match(FIRM, overrides={"rd_expense": {"value": 4_800_000, "unit": "CNY"}}).matches[0]
    assert again.status == "eligible" and again.verdicts[-1].fact.value == 6.0  # type: ignore[union-attr]


def test_label_voting_prefers_the_label_with_many_good_neighbours() -> None:
    programs = [_p("a1", label="A"), _p("b1", label="B"), _p("b2", label="B"), _p("b3", label="B")]
    ranked = [("a1", 1.0), ("b1", 0.9), ("b2", 0.85), ("b3", 0.8)]
    top = Matcher(programs, relevance=lambda text: ranked, today=TODAY).match(FIRM, "text").matches[0]
    assert top.program.id == "b1" and top.label_share > 0.5 and top.fit == 0.9


def test_kinds_filter_and_k() -> None:
    programs = [_p("p1"), _p("c1", kind="credit"), _p("e1", kind="equity"), _p("c2", kind="credit")]
    result = Matcher(programs, today=TODAY).match(FIRM, kinds=["credit"], k=1)
    assert [m.kind for m in result.matches] == ["credit"] and len(result.matches) == 1


def test_top_k_is_the_same_as_judging_every_program() -> None:
    import random

    rng = random.Random(3)
    pool = [Criterion("employees", "<=", float(rng.choice([50, 100, 300, 1000])), "persons", source_text="职工人数"),
            Criterion("tax_rating", "in", ("A",), source_text="纳税信用A级"),
            Criterion("rd_expense_ratio", ">=", float(rng.choice([3, 5])), "%", source_text="研发占比")]
    programs = [_p(f"p{i}", criteria=tuple(rng.sample(pool, rng.randint(0, 3))), label=rng.choice(["A", "B", None]))
                for i in range(300)]
    ranked = sorted(((p.id, rng.random()) for p in programs), key=lambda x: -x[1])
    matcher = Matcher(programs, relevance=lambda text: ranked, today=TODAY)
    everything = matcher.match(FIRM, "text", k=1000).matches
    for k in (1, 5, 20):
        assert [(m.program.id, m.score) for m in matcher.match(FIRM, "text", k=k).matches] == \
               [(m.program.id, m.score) for m in everything[:k]]
