"""Credit and risk facts: tax credit rating, social-insurance headcount, bank loans and
first-time-borrower status, and one yes/no fact per risk (`risk.<label>`).

A stated absence is a fact: "近三年无诉讼、行政处罚" gives `risk.litigation = False` and
`risk.administrative_penalty = False`, each quoting its clause, so a criterion "no administrative
penalties" is met rather than left to ask. The labels are the ones program criteria use
(app/core/criteria_categorical.py), so a verdict can look each one up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.core.facts import MONEY_EN, MONEY_ZH, fact_rule, parse_money_en, parse_money_zh
from app.core.negation import clauses, negated
from app.core.numbers import NUM, parse_number
from app.core.types import Fact

_NEAR = r"[^，,。；;\n]{0,14}?"
_NEAR_EN = r"[^.;\n]{0,40}?"
# label → words; an incident word counts only with 事故/事件/incident after it in the clause
RISKS: dict[str, str] = {
    "overdue_debt": r"逾期|欠息|overdue|arrears",
    "default": r"违约|違約|\bdefaults?\b|\bdefaulted\b",
    "litigation": r"诉讼|訴訟|仲裁|涉诉|起诉|起訴|lawsuits?|litigation|arbitration|legal proceedings|\bsued\b",
    "administrative_penalty": r"行政处罚|行政處罰|罚款|罰款|administrative penalt(?:y|ies)|\bfined\b|\bfines\b",
    "major_safety_incident": rf"安全(?:生产)?(?={_NEAR}(?:事故|事件))|safety(?={_NEAR_EN}(?:incidents?|accidents?))",
    "major_quality_incident": rf"质量(?={_NEAR}(?:事故|事件|纠纷))|質量(?={_NEAR}事故)|quality(?={_NEAR_EN}(?:incidents?|accidents?))",
    "serious_environmental_violation": (rf"(?:环境|环保|環境|污染)(?={_NEAR}(?:事故|事件|违法|處罰|处罚))|环境违法|"
                                        rf"environmental(?={_NEAR_EN}(?:incidents?|accidents?|violations?|penalt))"),
    "serious_dishonesty": r"失信|dishonest",
    "abnormal_operations_list": r"经营异常名录|經營異常名錄|abnormal operations? list",
    "serious_violation": r"重大违法|违法违规|重大違法|serious violations?|violations? of (?:law|laws|regulations)",
    "pledge": r"质押|質押|出质|pledged?s?\b",
    # (质押担保 / 抵押担保 / 保证担保: how a loan of its own is secured, not a guarantee it gives for others)
    "guarantee": r"对外担保|對外擔保|(?<!质押)(?<!抵押)(?<!質押)(?<!保证)(?<!保證)(?:担保|擔保)(?!方式|贷款|貸款|物)|guarantees?\b|guaranteed\b",
}
_CLEAN_CREDIT = re.compile(r"征信(?:记录|報告|报告)?(?:良好|正常)|無?无不良(?:信用|征信|贷款)?(?:记录|記錄)|信用记录良好|"
                           r"no (?:adverse|bad|negative) credit (?:record|history)|(?:clean|good) credit (?:record|history)",
                           re.IGNORECASE)
_MINOR = re.compile(r"一般|轻微|輕微|\bminor\b", re.IGNORECASE)
_OTHER = re.compile(r"其他|其它|另外|\bother\b|\bfurther\b", re.IGNORECASE)
# case-sensitive: "may" is a modal, "May 2023" a month; an offer ("可提供专利作为质押", "can pledge its patents") is no record
_NOT_A_RECORD = re.compile(r"计划|拟|預計|预计|风险|風險|以防|防止|避免|[Rr]isk [Ff]actors?|\b(?:may|could|might)\b|"
                           r"(?:可|可以|能|能够|能夠|愿意|願意)(?:提供|用|以|拿)|\b(?:can|willing to) (?:offer|provide|pledge|put up)\b")


@fact_rule
def risks(text: str) -> Iterator[Fact]:
    """One fact per risk a clause speaks of: True when it happened, False when the clause denies it."""
    for offset, clause in clauses(text):
        if _NOT_A_RECORD.search(clause):
            continue  # plans, hypotheticals and risk-factor boilerplate state no record
        said = set()
        for label, words in RISKS.items():
            m = re.search(words, clause, re.IGNORECASE)
            if not m:
                continue
            said.add(label)
            absent = negated(clause, m.start(), m.end())
            if absent and _OTHER.search(clause[max(0, m.start() - 8) : m.start()]):
                continue  # "无其他诉讼": the ones named before exist; this adds nothing
            if label.startswith("major_") and _MINOR.search(clause):
                continue  # "一般安全事故": a minor incident neither is nor denies a major one
            yield _clause_fact(f"risk.{label}", not absent, offset, clause)
        if _CLEAN_CREDIT.search(clause):  # a clean credit report: no overdue loans, no defaults
            yield from (_clause_fact(f"risk.{label}", False, offset, clause, confidence=0.7)
                        for label in ("overdue_debt", "default") if label not in said)


def _clause_fact(field: str, value: object, offset: int, clause: str, unit: str = "", confidence: float = 0.8,
                 as_of: str | None = None) -> Fact:
    lead = len(clause) - len(clause.lstrip())
    quote = clause.strip()
    return Fact(field=field, value=value, unit=unit, quote=quote, span=(offset + lead, offset + lead + len(quote)),
                confidence=confidence, as_of=as_of)


_TAX_ZH = (r"(?:(\d{4})\s*年度?[^，。；\n]{0,10}?)?(?:纳税|納稅)信用(?:等级|等級|评价|評價|评级|評級|級別|级别)?[^，。；\nA-Z]{0,8}?"
           r"([ABMCD])\s*(?:级|級|类)")
_TAX_ZH2 = r"(?:(\d{4})\s*年度?[^，。；\n]{0,10}?)?([ABMCD])\s*(?:级|級)(?:纳税|納稅)(?:人|信用)"
_TAX_EN = (r"tax credit (?:rating|grade|level)(?:\s+(?:of|is|was|for|in)\b|\s*[:：])?\s*(?:(\d{4})\s*[:：,]?\s*)?"
           r"(?:(?:is|was|of|grade|level)\s+)?[\"“']?([ABMCD])\b")
_TAX_EN2 = r"(?:(\d{4})\s+)?(?:grade|class|level)[- ]([ABMCD])\s+taxpayer|\b([ABMCD])-(?:rated|level|grade) taxpayer"


@fact_rule
def tax_rating(text: str) -> Iterator[Fact]:
    for pattern in (_TAX_ZH, _TAX_ZH2, _TAX_EN, _TAX_EN2):
        for m in re.finditer(pattern, text, re.IGNORECASE if pattern in (_TAX_EN, _TAX_EN2) else 0):
            grade = next((g for g in m.groups()[1:] if g), None)
            if grade and grade.upper() in "ABMCD":
                yield Fact(field="tax_rating", value=grade.upper(), quote=m.group(0), span=m.span(), confidence=0.9,
                           as_of=m.group(1))


_SOCIAL_ZH = [rf"(?:缴纳|繳納|参加|參加)社(?:会)?保(?:险|險)?(?:的)?(?:员工|职工|人员|人數|人数)?(?:为|為|共|：|:)?\s*({NUM})\s*(?:人|名)",
              rf"为\s*({NUM})\s*名(?:员工|职工)缴纳(?:社保|社会保险)",
              rf"参保(?:职工|员工|人员|人數)(?:为|為|共|：|:)?\s*({NUM})\s*(?:人|名)"]
_SOCIAL_EN = [rf"social insurance (?:headcount|contributors|enrolment|enrollment)\s+(?:is|was|of|:)\s*({NUM})\b",
              rf"social insurance (?:is paid |contributions? (?:are |is )?(?:paid )?)?for\s+({NUM})\s+(?:employees|staff|people)",
              rf"({NUM})\s+(?:employees|staff|people)\s+(?:are\s+)?(?:covered by|enrolled in|insured under) (?:the )?social insurance"]


@fact_rule
def social_insurance(text: str) -> Iterator[Fact]:
    """Forms the headcount rule misses: "缴纳社保人数86人", "为86名员工缴纳社保", "social insurance for 86 employees"."""
    for pattern in _SOCIAL_ZH + _SOCIAL_EN:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            yield Fact(field="social_insurance_headcount", value=parse_number(m.group(1)), unit="persons",
                       quote=m.group(0), span=m.span(), confidence=0.9)


# (a bank's credit facility counts by the amount drawn after it is named, "…, of which $1.2 million was drawn": the
# limit before it is no borrowing)
_LOAN = (r"(?:银行|銀行)[^，,。；;\n]{0,16}?(?:贷款|貸款|借款)|(?:贷款|借款)余额|bank (?:loans?|borrowings?|debt)|"
         r"borrowed from (?:a |any )?banks?|\b(?:term )?loans?\b(?=[^.;\n]{0,60}\b[Bb]ank\b)|"
         r"\b(?:revolving )?credit (?:facilit(?:y|ies)|lines?)\b(?=[^.;\n]{0,60}\b[Bb]ank\b)")
_FIRST = r"首贷户|首貸戶|首次(?:获得|申请)?(?:银行)?贷款|first[- ]time (?:bank )?borrower|never (?:borrowed|taken (?:out )?a (?:bank )?loan)"
_PLAN = re.compile(r"计划|拟|預計|预计|plans? to|intends? to|will apply", re.IGNORECASE)


@fact_rule
def bank_loans(text: str) -> Iterator[Fact]:
    """"无银行贷款" → bank_loans 0 and a first-time borrower; "银行贷款余额500万元" → 5,000,000 CNY
    (the amount may follow in the sentence's next clause: "一笔招商银行贷款，余额300万元")."""
    for offset, clause in clauses(text):
        if _PLAN.search(clause):
            continue
        first = re.search(_FIRST, clause, re.IGNORECASE)
        if first:
            yield _clause_fact("first_time_borrower", not clause[: first.start()].rstrip().endswith(("非", "不是", "not")),
                               offset, clause, confidence=0.85)
        loan = re.search(_LOAN, clause, re.IGNORECASE)
        if not loan:
            continue
        if negated(clause, loan.start(), loan.end()):
            yield _clause_fact("bank_loans", 0.0, offset, clause, confidence=0.85)
            if not first and not re.search(r"outstanding|余额|餘額|目前|当前|截至", clause, re.IGNORECASE):
                yield _clause_fact("first_time_borrower", True, offset, clause, confidence=0.75)
            continue
        rest = re.match(r"[^。；;！!？?\n]*", text[offset + loan.start():])
        amount = _amount(rest.group(0) if rest else "")
        if amount:
            stated = text[offset : offset + loan.start() + amount[2]]
            yield _clause_fact("bank_loans", amount[0], offset, stated, unit=amount[1], confidence=0.85)
            if not first:
                yield _clause_fact("first_time_borrower", False, offset, stated, confidence=0.8)


def _amount(text: str) -> tuple[float, str, int] | None:
    """The first amount in the text: (value, currency, where it ends)."""
    zh, en = re.search(MONEY_ZH, text), re.search(MONEY_EN, text, re.IGNORECASE)
    first = min((m for m in (zh, en) if m), key=lambda m: m.start(), default=None)
    if first is None:
        return None
    value, currency = parse_money_zh(first.group(1), first.group(2)) if first is zh else parse_money_en(
        first.group(1), first.group(2), first.group(3))
    return value, currency, first.end()
