"""The period a question asks about, and the profile facts that describe it.

A question that names a year ("2021年的营收", "revenue forecast for 2026") is answered by a fact of
that year, not by the latest one: a value of another period does not answer it. A field whose facts
carry no period (founding date, certificates) is not filtered. A question about the future (a forecast,
next year, a target) is answered by no reported figure: a profile holds what the documents report."""

from __future__ import annotations

import re
from datetime import date

from app.core.profile import FieldValue, source_rank
from app.core.types import Fact

# a year, not an amount ("2000万", "2,023") nor part of a longer number or code
_YEAR = re.compile(r"(?<![\d,.])(19[89]\d|20\d\d)(?![\d,.]?\d)(?!\s*(?:万|亿|元|%|人|项|个|家))")
# words that ask for a figure not yet reported (a forecast, a plan, a target); "last year" / 去年 is a
# reported period and stays out, and so does the business plan (商业计划书) named as a source
_FUTURE = re.compile(r"\b(?:forecasts?|projected|projections?|expect(?:s|ed)? to|"
                     r"will (?:[a-z'’]+ ){0,3}?(?:be|reach|earn|make|grow|have|hire|employ|spend|generate)|"
                     r"(?:plans?|planning|intends?|intending|aims?|aiming) to|"
                     r"next (?:year|quarter|fiscal year)|coming years?|targets?|outlook)\b|"
                     r"预测|預測|预计|預計|预期|預期|明年|后年|後年|下一年|下年度|下个?季度|下個?季度|未来[一二两三四五六七八九十\d]*年|"
                     r"未來[一二兩三四五六七八九十\d]*年|目标|目標|展望|打算|计划(?![书書])|計劃(?![书書])", re.IGNORECASE)


# a period shorter than a year: a profile holds figures by fiscal year or as they stand, never by quarter or month
_SUB_YEAR = re.compile(r"\b(?:last|this|previous|past|current|same)\s+(?:quarter|month|week)\b|(?<!\d)(?:19|20)\d\d\s*-?\s*q[1-4](?![a-z0-9])|"
                       r"(?<![a-z0-9])q[1-4]\s+(?:19|20)\d\d(?!\d)|\b(?:first|second) half\b|\bh[12]\s+(?:19|20)\d\d\b|"
                       r"\b(?:19|20)\d\d\s*-?\s*h[12]\b|\bhalf[- ]year(?:ly)?\b|季度|上个?月|本月|这个月|這個月|上周|本周|上半年|下半年", re.IGNORECASE)


def sub_year_asked(question: str) -> bool:
    """The question asks about a quarter, a half-year, a month or a week ("last quarter", "2023Q4", "first
    half of 2023", 上季度, 上个月); any quarter or half-year `quarter_asked` or `half_asked` reads is one
    (第四季, 22年Q4)."""
    return bool(_SUB_YEAR.search(question)) or quarter_asked(question) is not None or half_asked(question) is not None \
        or quarter_span_asked(question) is not None


def future_asked(question: str) -> bool:
    """The question asks for a figure to come (a forecast, next year, a target), not a reported one."""
    return bool(_FUTURE.search(question))


# a span of years: "2021-2023", "2021到2023年", "2021至2023", "from 2021 to 2023", "2021~2023", "FY2021-FY2023"
_SPAN = re.compile(r"(?<![\d,.])((?:19|20)\d\d)\s*(?:年度?)?\s*(?:-|–|—|~|～|到|至|to|through|until)\s*(?:fy\s*)?((?:19|20)\d\d)(?![\d,.])",
                   re.IGNORECASE)
# "the last three years", 近三年, 过去3年: the latest N years held
_RECENT = re.compile(r"\b(?:last|past|previous|recent)\s+(two|three|four|five|\d)\s+(?:fiscal\s+)?years\b|"
                     r"(?:近|最近|过去|過去|这|這)\s*([两兩二三四五\d])\s*年", re.IGNORECASE)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "两": 2, "兩": 2, "二": 2, "三": 3, "四": 4, "五": 5}
# a sum asked over the years named
_TOTAL = re.compile(r"\b(?:in total|total|combined|altogether|cumulative(?:ly)?|sum|add(?:ed|ing)? up)\b|一共|合计|合計|总共|總共|"
                    r"累计|累計|总计|總計|加起来|加起來|相加|加总|加總|总和|總和|(?:19|20)\d\d\s*\+\s*(?:19|20)\d\d", re.IGNORECASE)  # "2021+2022+2023"


# a year written with two digits before 年 ("23年的净利润", "比21年"), not a count of years ("成立12年", "12年前")
_SHORT_YEAR = re.compile(r"(?<![\d.立有了近去满共达约过超第几])(\d\d)年(?![代以来内后半]|前(?![一二两三四1-4]个?季)|多(?![赚花出挣]))")


# a two-digit year after a fiscal-year or year-end word ("FY22", "FY'23", "fy 22", "fiscal 22", "end-22", "year-end 23",
# "YE23", "FYE22",
# "end of '22") or before 财年 ("22财年"); not an amount or a count ("end-22%", "FY22 million" stay)
_SHORT_FY = re.compile(r"(?<![a-z0-9])(fye?\s*'?|ye\s*'?|fiscal\s+(?:year\s+)?'?|(?:year[- ]?)?end[- ]'?|(?:year[- ]?)?end of\s*'|'(?=\d\d\b)|"
                       r"(?:year[- ]?)?end of\s+(?=\d\d\s*(?:$|[?？,，.。;；!！)）]|and\b|vs\b|to\b)))"
                       r"(\d\d)(?![\d%]|[.,]\d)(?!\s*(?:%|percent|million|mn|m\b|k\b|days?|months?|weeks?|years?|人|万|亿|元))",
                       re.IGNORECASE)
_SHORT_FISCAL_ZH = re.compile(r"(?<![\d.])(\d\d)(?=\s*(?:财年|財年|财政年度|財政年度))")
# two two-digit years sharing one 年 ("22到23年", "21-23年"): the first is a year too
_SHORT_SPAN_ZH = re.compile(r"(?<![\d.])(\d\d)(?=\s*(?:到|至|-|–|—|~|～)\s*\d\d\s*年)")


# a year written in Chinese numerals, digit by digit: "二〇二三年", "二零二二年", or its last two digits "二三年" (2023: a
# two-digit numeral year of this century or the last decade of the one before, "一九年"); "三四年" (three or four
# years) and "十二年" are counts, not years
_NUMERAL_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_NUMERAL_YEAR = re.compile(r"(?<![〇零○一二两三四五六七八九十百千万几多近第每])"
                           r"((?:[一二][〇零○一二三四五六七八九]{3})|二[〇零○一二三四五六七八九]|一九)(?=\s*(?:年|财年|財年))")


def numeral_years(text: str) -> str:
    """The text with years written in Chinese numerals in digits ("二三年" → "23年", "二〇二二年" → "2022年"), as
    `whole_years` and the period readers read them; other text as it is."""
    return _NUMERAL_YEAR.sub(lambda m: m.group(1).translate(_NUMERAL_DIGITS), text)


def whole_years(question: str) -> str:
    """The question with two-digit years written whole, up to this year: "23年" → "2023年", "FY22" →
    "FY2022", "end-22" → "end-2022", "22财年" → "2022财年"; other text as it is."""
    this = date.today().year % 100

    def whole(m: re.Match[str]) -> str:
        yy = int(m.group(1))
        return f"20{m.group(1)}年" if 0 <= yy <= this else m.group(0)

    def whole_fy(m: re.Match[str]) -> str:
        head = m.group(1).rstrip("'") if m.group(1) != "'" else ""
        return f"{head}20{m.group(2)}" if int(m.group(2)) <= this else m.group(0)

    question = _SHORT_SPAN_ZH.sub(lambda m: f"20{m.group(1)}年" if int(m.group(1)) <= this else m.group(0), question)
    question = _SHORT_YEAR.sub(whole, question)
    question = _SHORT_FY.sub(whole_fy, question)
    return _SHORT_FISCAL_ZH.sub(lambda m: f"20{m.group(1)}" if int(m.group(1)) <= this else m.group(0), question)


def years_asked(question: str) -> tuple[str, ...]:
    """The years the question names, in order, each once; a span ("2021-2023") names each year in it;
    a two-digit year is this century's where a year is plainly meant: before 年 ("23年" is 2023), after
    FY or a year-end word ("FY22", "end-22", "year-end '23"), before 财年 ("22财年")."""
    question = whole_years(question)
    years: list[str] = []
    spans = {(m.start(), m.end()): (int(m.group(1)), int(m.group(2))) for m in _SPAN.finditer(question)}
    for m in _YEAR.finditer(question):
        span = next((v for (a, b), v in spans.items() if a <= m.start() < b), None)
        if span and 0 < span[1] - span[0] <= 20:
            years += [str(y) for y in range(span[0], span[1] + 1)]
        else:
            years.append(m.group(1))
    return tuple(dict.fromkeys(years))


def recent_years_asked(question: str) -> int | None:
    """How many of the latest years the question asks about ("last three years", 近三年), or None."""
    m = _RECENT.search(question)
    if m is None:
        return None
    word = (m.group(1) or m.group(2)).lower()
    return int(word) if word.isdigit() else _COUNTS.get(word)


# the present asked of, by no year ("现在有多少银行借款", "what does it owe now"): the latest period held
_PRESENT = re.compile(r"现在|目前|当前|當前|眼下|如今|\b(?:now|currently|at present|as of today|to date|these days)\b",
                      re.IGNORECASE)


def present_asked(question: str) -> bool:
    """The question asks of the present, naming no period ("现在", "currently")."""
    return bool(_PRESENT.search(question))


def total_asked(question: str) -> bool:
    """The question asks for a sum over the years it names ("in total", 合计, 一共)."""
    return bool(_TOTAL.search(question))


def year_of(fact: Fact) -> str | None:
    return fact.as_of[:4] if fact.as_of and re.match(r"\d{4}", fact.as_of) else None


def held_years(fv: FieldValue) -> list[str]:
    return sorted({y for f in (fv.chosen, *fv.candidates) if (y := year_of(f))})


def facts_for(fv: FieldValue, years: tuple[str, ...]) -> list[Fact]:
    """The field's facts for the years asked (the chosen one where it is of that year, else that year's most
    trustworthy source: the statements' R&D expense, not the sum of a quarterly sheet's rows), one per year held;
    every year asked when no year is asked or the field has no periods. Empty: the field holds values for other
    periods only."""
    if not years or not held_years(fv):
        return [fv.chosen]
    out = []
    for y in years:
        if year_of(fv.chosen) == y:
            out.append(fv.chosen)
        elif same := [f for f in fv.candidates if year_of(f) == y]:
            out.append(max(same, key=source_rank))
    return out


_QUARTER_WORD = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4, "first": 1, "second": 2, "third": 3,
                 "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
# a quarter named with its number, and its year where given: "2023Q3", "Q3 2023", "23年第三季度", "third quarter of 2023"
# a quarter's number in Chinese: 第四季度, 第四季 (度 left out), 四季度; not 四季 alone (the four seasons)
_ZH_Q = r"(?:第\s*([一二三四1-4])\s*季(?!节|節)度?|([一二三四1-4])\s*季度)"
_QUARTER_NAMED = [
    re.compile(rf"(?<!\d)((?:19|20)?\d\d)\s*年?\s*(?:的\s*)?{_ZH_Q}"),
    # 2023Q4, 23年Q4, and 23Q4 (two digits written onto the Q)
    re.compile(r"(?<![\da-z.,])((?:19|20)\d\d|\d\d(?=\s*年)|\d\d(?=q[1-4]))\s*(?:年度?)?\s*-?\s*(?:的\s*)?q([1-4])(?![a-z0-9])",
               re.IGNORECASE),
    re.compile(r"(?<![a-z0-9])q([1-4])\s*(?:of\s+)?(?:fy\s*)?((?:19|20)\d\d)(?!\d)", re.IGNORECASE),
    re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th) quarter(?: of)?(?: (?:fy|the year))?\s*((?:19|20)\d\d)?\b", re.IGNORECASE),
    re.compile(_ZH_Q),
    re.compile(r"(?<![a-z0-9])q([1-4])(?![a-z0-9])", re.IGNORECASE),
]


def quarter_asked(question: str) -> tuple[str | None, int] | None:
    """The quarter a question names by its number, with its year when named ('2023', 3); a two-digit
    year before 年 is this century's ("23年第三季度"). None: no numbered quarter ("last quarter" is not one)."""
    found = _quarter_named(whole_years(question))
    if found is None:
        return None
    n, m = found
    groups = m.groups()
    if n == 0:
        year, q = groups[0], groups[1] or groups[2]
    elif n == 1:
        year, q = groups
    elif n == 4:
        year, q = None, groups[0] or groups[1]
    elif n == 5:
        year, q = None, groups[0]
    else:
        q, year = groups
    if year is not None and len(year) == 2:
        year = f"20{year}"
    return year, _QUARTER_WORD[q.lower()]


def quarter_span(text: str) -> tuple[int, int] | None:
    """Where in `text` (written with whole years: `whole_years`) the quarter `quarter_asked` reads is named."""
    found = _quarter_named(text)
    return found[1].span() if found is not None else None


def _quarter_named(text: str) -> tuple[int, re.Match[str]] | None:
    """The first of the quarter patterns that matches, with its match."""
    return next(((n, m) for n, pattern in enumerate(_QUARTER_NAMED) if (m := pattern.search(text))), None)


def quarters_asked(question: str) -> list[tuple[str, int]]:
    """Every numbered quarter the question names with its year, in the order named, each once ("研发人员从2021Q1到
    2023Q4怎么变化": [('2021', 1), ('2023', 4)]); a quarter named without a year is not one of them. A stretch of
    the question is read once, by the first pattern that reads it."""
    text = whole_years(question)
    found: list[tuple[int, int, str, int]] = []
    for n, pattern in enumerate(_QUARTER_NAMED[:4]):
        for m in pattern.finditer(text):
            groups = m.groups()
            year, q = (groups[0], groups[1] or groups[2]) if n == 0 else groups if n == 1 else (groups[1], groups[0])
            if year is None or q is None or any(m.start() < e and b < m.end() for b, e, _, _ in found):
                continue
            found.append((m.start(), m.end(), f"20{year}" if len(year) == 2 else year, _QUARTER_WORD[q.lower()]))
    if found:  # beside a numbered quarter, a year's end is its fourth quarter, its start its first ("从2021年第一季到2023年底")
        for pattern, at in _YEAR_EDGE:
            for m in pattern.finditer(text):
                if not any(m.start() < e and b < m.end() for b, e, _, _ in found):
                    year = next(g for g in m.groups() if g)
                    found.append((m.start(), m.end(), f"20{year}" if len(year) == 2 else year, 4 if at == "end" else 1))
    return list(dict.fromkeys((year, q) for _, _, year, q in sorted(found)))


_YEAR_EDGE = [
    (re.compile(r"(?<!\d)((?:19|20)?\d\d)\s*年\s*(?:底|末)|\bend of\s+((?:19|20)\d\d)\b", re.IGNORECASE), "end"),
    (re.compile(r"(?<!\d)((?:19|20)?\d\d)\s*年\s*初|\b(?:start|beginning) of\s+((?:19|20)\d\d)\b", re.IGNORECASE), "start"),
]


_HALF_WORD = {"上": 1, "下": 2, "1": 1, "2": 2, "first": 1, "second": 2}
# a half-year named, with its year where given: "H1 2023", "2023H2", "2023年上半年", "23年下半年", "first half of 2023"
_HALF_NAMED = [
    re.compile(r"(?<!\d)((?:19|20)?\d\d)\s*年度?\s*(?:的\s*)?([上下])半年"),
    re.compile(r"(?<![\da-z])((?:19|20)\d\d)\s*-?\s*h([12])(?![a-z0-9])", re.IGNORECASE),
    re.compile(r"(?<![a-z0-9])h([12])\s*(?:of\s+)?(?:fy\s*)?((?:19|20)\d\d)(?!\d)", re.IGNORECASE),
    re.compile(r"\b(first|second) half(?: of)?(?: (?:fy|the year))?\s*((?:19|20)\d\d)?\b", re.IGNORECASE),
    re.compile(r"([上下])半年"),
]


def half_asked(question: str) -> tuple[str | None, int] | None:
    """The half-year a question names (H1 / H2, 上半年 / 下半年, "first half of"), with its year when named
    ('2023', 1); a two-digit year before 年 is this century's. None: no half-year named."""
    question = whole_years(question)
    for n, pattern in enumerate(_HALF_NAMED):
        m = pattern.search(question)
        if m is None:
            continue
        groups = m.groups()
        if n in (0, 1):
            year, h = groups
        elif n == 4:
            year, h = None, groups[0]
        else:
            h, year = groups
        if year is not None and len(year) == 2:
            year = f"20{year}"
        return year, _HALF_WORD[h.lower()]
    return None


_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
# a run of quarters: 前三季(度), 前两个季度, 1-3季度, 一至三季度, 第一至第三季度, the first three quarters, Q1-Q3, Q1 through Q3
_QUARTER_RUN = [
    re.compile(r"前([二两三2-3])个?季度?"),
    re.compile(r"第?([一二三四1-4])\s*(?:至|到|-|–|~)\s*第?([一二三四1-4])\s*季度?"),
    re.compile(r"\bfirst (two|three|2|3) quarters\b", re.IGNORECASE),
    re.compile(r"(?<![a-z0-9])q([1-4])\s*(?:-|–|to|through|thru)\s*q([1-4])(?![0-9])", re.IGNORECASE),
    # all four of a year's quarters ("the sum of its four 2023 quarters", "2023年四个季度加起来"): Q1 to Q4
    re.compile(r"(?:全部|所有|全年)?([四4])个季度|(?:全部|所有)季度|\b(?:all )?(four|4) (?:(?:19|20)\d\d |fiscal |calendar )?"
               r"quarters\b|\ball (?:the |its |their )?quarters\b", re.IGNORECASE),
]
_EN_NUM = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}


def quarter_span_asked(question: str) -> tuple[str | None, int, int] | None:
    """A run of quarters the question names, with its year when one is named: "23年前三季研发累计投入多少" is
    ('2023', 1, 3), "Q2-Q4 2022" ('2022', 2, 4), "the four 2023 quarters" ('2023', 1, 4); None: no run named (a
    half-year is `half_asked`'s)."""
    text = whole_years(question)
    for n, pattern in enumerate(_QUARTER_RUN):
        m = pattern.search(text)
        if m is None:
            continue
        if n == 4:
            first, last = 1, 4
        elif n in (0, 2):
            first, last = 1, _CN_NUM.get(m.group(1)) or _EN_NUM.get(m.group(1).lower()) or int(m.group(1))
        else:
            first, last = (_CN_NUM.get(g) or int(g) for g in m.groups())
        if not 1 <= first < last <= 4:
            continue
        years = years_asked(text)
        return (years[0] if len(years) == 1 else None), first, last
    return None


def quarters_of_half(half: int) -> tuple[int, int]:
    """The quarters of a half-year: H1 is Q1 and Q2, H2 Q3 and Q4."""
    return (1, 2) if half == 1 else (3, 4)
