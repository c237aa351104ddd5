"""The measure a question about the client asks for, read from its form: a share ("what percentage",
占比, 比例) or a count of people ("how many people", headcount, 多少人, 人数). A field group answers
several measures together (R&D staff with its share of all staff; R&D expense with its ratio to
revenue; a close second group brings its own), so "what is its R&D headcount?" was answered with the
R&D expense too. When the question names one measure and some answered fields are of it, only
those are answered (app/core/profile_answer.py); a share or rate asked ("its staff attrition rate",
离职率) that no answered field states is not answered by a count or an amount beside it. Amounts of money are not read: "how much" asks
for a growth rate as readily as for a sum."""

from __future__ import annotations

import re

from app.core.textnorm import index_form

_SHARE = re.compile(r"\b(?:percentages?|percent|share|proportion|ratio|fraction|rates?)\b|%|占比|比例|比重|百分之|百分比|率|几成|"
                    r"(?:几|多少)个(?:百分)?点|百分点|"  # "占营收几个点": percentage points (几点 alone asks the time)
                    r"占[^，。？?]{0,12}?(?:多少|几成|百分)|"
                    # a part counted against its whole ("how many R&D people out of its total headcount"): the part, the
                    # whole and the share, as a ratio's answer states them
                    r"\bout of (?:the |its |their |all |the company's )?(?:total|all|overall|entire|whole)\b")
_PEOPLE_WORD = r"(?:people|persons|staff|employees|engineers|researchers|workers|scientists|developers)"
# a team's or a workforce's size is its people ("how big is the R&D team", "how much has the team grown", 团队规模)
_TEAM = r"(?:team|workforce)"
_PEOPLE = re.compile(rf"\bhow many\b[^?。？]*\b{_PEOPLE_WORD}\b|\bhead ?counts?\b|\bnumber of (?:[a-z&]+ )?{_PEOPLE_WORD}\b|"
                     rf"\b{_TEAM} size\b|\bsize of (?:the |its |their )?(?:[a-z&]+ )?{_TEAM}\b|"
                     rf"\bhow (?:big|large|small) is (?:the |its |their )?(?:[a-z&]+ )?{_TEAM}\b|"
                     rf"\b{_TEAM}\b[^?。？]{{0,20}}\b(?:gr[eo]wn?|grows|shr[aiu]nk|shrinks|expand(?:ed|s)?)\b|"
                     r"多少人|多少名|多少位|几个人|几人|几名|几位|人数|团队(?:规模|有多大|多大)")
# the value kinds of app/core/fields.py each measure is stated in
MEASURE_KINDS = {"share": "ratio", "people": "count"}


def measure_asked(question: str) -> str | None:
    """'share', 'people' or None (no measure named, or the form is not read). A share of people
    ("研发人员占员工人数的比例") is a share."""
    text = index_form(question)
    if _SHARE.search(text):
        return "share"
    if _PEOPLE.search(text):
        return "people"
    return None


# a change between periods asked: growth, a rise or fall, how fast (增长, 增幅, 同比, 变化)
_CHANGE = re.compile(r"\b(?:grow(?:th|n|s)?|grew|ris(?:e|es|en|ing)|rose|increase[ds]?|decrease[ds]?|declin(?:e|es|ed)|"
                     r"fell|fall(?:en|s)?|drop(?:ped|s)?|chang(?:e|es|ed)|jump(?:ed|s)?|climb(?:ed|s)?|shr[aiu]nk|shrinks?|"
                     r"(?:go(?:es|ne)?|went|going) (?:up|down)|how fast|year[- ]on[- ]year|yoy|"
                     r"how (?:much|many) (?:more|less|fewer|higher|lower)|difference|annuali[sz]ed)\b|(?<![a-z])cagr(?![a-z])|"
                     r"增长|成长(?!期|型|阶段|性)|增幅|增速|增加|减少|下降|上升|升了|降了|升幅|提高|提升|变化|变动|同比|涨|降幅|跌|多出|多了|少了|相差|差额|差多少|多赚|少赚|多挣|多花|少花")


# a compound annual rate of change asked: "revenue CAGR 2021-2023", 年均复合增长率, "annualised growth"
_COMPOUND = re.compile(r"(?<![a-z])cagr(?![a-z])|\bcompound(?:ed)? (?:annual )?(?:growth|rate)|\bannuali[sz]ed (?:growth|rate|increase)|"
                       r"\baverage annual (?:growth|increase|rate)|复合增长|年均(?:复合)?增长|年复合|年化增长|年均增速|年均增幅")


def compound_asked(question: str) -> bool:
    """The question asks for a compound annual rate over several years ("营收21到23年的CAGR", "annualised growth")."""
    return bool(_COMPOUND.search(index_form(question)))


def change_asked(question: str) -> bool:
    """The question asks how an amount changed between periods ("how fast did R&D spending rise",
    "growth from 2022 to 2023", 研发费用增长了多少, 同比), not for the amounts themselves."""
    return bool(_CHANGE.search(index_form(question)))


# an amount of money asked: "多少钱", 金额, 总额, "how much did it pay / spend / cost"
_MONEY = re.compile(r"多少钱|多少万|多少亿|多少元|几个?亿|几[十百千]?万|金额|总额|花了多少|花费|多少费用|"
                    r"(?:费用|支出|投入|开支|花销)(?:是|有|为|一共|总共|大概|大约|约)?多少(?![人个名项家件位轮])|"
                    r"\bhow much (?:money|cash|capital)\b|\bhow much\b[^?。？]*\b(?:pay|paid|spend|spent|cost|costs|earn|earned|"
                    r"charge|charged|owe|owed)\b|\b(?:what|the) (?:amount|sum|cost) of\b|"
                    r"\b(?:rmb|cny|usd|hkd|eur|yuan|dollar) (?:amount|figure|sum)\b|"
                    r"\bamount\b[^?。？]{0,40}\b(?:spend|spent|pay|paid|cost|raise|raised|borrow|borrowed)\b")
# a count asked: "how many", 多少家 / 几家 / 多少个 (people and items are counts too)
_COUNT = re.compile(r"\bhow many\b|\bnumber of\b|多少家|几家|多少个(?![亿万点]|百分)|几个(?![亿万点]|百分)|多少项|几项|多少件|几件|多少名|多少人|"
                    r"几人|几名|多少轮|几轮")
# the value kinds that state each: a count is answered by people, items or records (rounds, certificates)
ANSWERED_BY = {"money": frozenset({"money"}), "count": frozenset({"count", "items", "events"})}
# fields of other kinds whose values are counted too: lists of names and labels, a round's stage (B轮: the rounds)
COUNTED = frozenset({"investors", "tech_domains", "funding_stage"})


def value_asked(question: str) -> str | None:
    """'money' (an amount), 'count' (how many) or None, read from the question's form. A share is
    read by `measure_asked`; "how much" alone asks for a growth or a share as readily as an amount."""
    text = index_form(question)
    if _MONEY.search(text):
        return "money"
    if _COUNT.search(text):
        return "count"
    return None
