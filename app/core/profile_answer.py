"""Answers about the client in focus from its profile: each fact named by the question, with its
value, period and the page it was read from, cited like any passage. A fact whose sentence is an
instruction to the assistant (app/core/injection.py; a profile stored before facts were screened
may hold one) is not stated. A question naming a year gets that year's value; a field held only for
other years is declined, saying which years are held; a question about the future (a forecast, next
year, a target) is declined for every field held by period (app/core/asked_period.py), and for a
field stated without a period (a headcount as it is now) too; a quarter, a month or a week asked is
declined for every field (a profile holds yearly figures or current ones); applications filed or
pending are not answered by the patents or certificates held (granted ones). A question
for a person ("who is …", "…是谁") is not answered by fields that hold no names (a founding date for
"who founded it?"): the documents are searched instead, unless it names a field that holds names
("who are its investors?" read as a question about its ownership gets the investors)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from app.core.answer import Answer, Passage
from app.core.asked_attribute import asking_clauses, coordinated, sources_compared
from app.core.asked_measure import MEASURE_KINDS, change_asked, compound_asked, measure_asked
from app.core.asked_period import (
    facts_for,
    future_asked,
    held_years,
    recent_years_asked,
    sub_year_asked,
    total_asked,
    year_of,
    years_asked,
)
from app.core.chat_route import BANK_DEBT, LEGAL_FORM, fields_by_keywords
from app.core.fact_text import fact_text, value_text, written_note
from app.core.facts_credit import RISKS
from app.core.field_names import field_name
from app.core.fields import kind_of
from app.core.injection import InjectionDetector, rule_detector
from app.core.intents import load_intents
from app.core.profile import EnterpriseProfile, FieldValue, rivals
from app.core.statement_lines import less_parts
from app.core.textnorm import index_form
from app.core.types import Fact

# words asking for filings not (yet) granted: applications, pending, under examination. Patents and
# certificates in a profile are those granted and held; a count of them is not a count of filings
_FILED = re.compile(r"\b(?:pending|applications?|applied|filed|filings?|awaiting|under (?:examination|review)|"
                    r"not yet (?:granted|issued|approved))\b|申请|審查|审查|审核|在审|待审|受理|未授权|待授权|未获批|申报中",
                    re.IGNORECASE)
HELD_ONLY = ("patents.", "certificate.", "certifications")  # fields (by name or prefix) that record what is held
# the fields whose values are names of people or organisations: the only ones a "who" question can get
NAME_FIELDS = frozenset({"investors", "funding_rounds", "legal_representative"})
# the business licence's items beside its code and name, answered only when named ("注册资本多少", "who is the legal rep")
# (法人 alone is the legal representative only as a person asked of: "法人是谁", not "法人类型" or "独立法人")
_LICENCE_ITEMS = {"legal_representative": re.compile(r"法定代表人|法人代表|法人(?:是谁|是誰|叫|姓名|名字)|\blegal rep",
                                                     re.IGNORECASE),
                  "registered_capital": re.compile(r"注册资本|註冊資本|注册资金|註冊資金|资本额|資本額|实收资本|實收資本|实缴资本|實繳資本|"
                                                   r"(?:registered|subscribed|paid-in|paid-up|share) capital", re.IGNORECASE)}
# a bank's view of its borrowing beside the tax and credit record, answered only when named ("现在有多少银行贷款", "is it a
# first-time borrower")
_BORROWING_ITEMS = {"bank_loans": re.compile(BANK_DEBT, re.IGNORECASE),
                    "first_time_borrower": re.compile(r"首贷|首貸|first[- ]time (?:bank )?borrower", re.IGNORECASE)}
# the legal form (read from the registered name: app/core/profile.py) beside the shareholding, answered only when named
_FORM_ITEMS = {"entity_type": LEGAL_FORM}
NAMED_ONLY = {**_LICENCE_ITEMS, **_BORROWING_ITEMS, **_FORM_ITEMS}
# the rest of those groups, kept beside a named item only when named too
_LICENCE_CORE = {"unified_social_credit_code": re.compile(r"代码|代碼|注册号|註冊號|执照号|執照號|\bcode\b|uscc", re.IGNORECASE),
                 "company_name": re.compile(r"名称|名稱|全称|全稱|\bname\b", re.IGNORECASE),
                 "tax_rating": re.compile(r"纳税|納稅|税务|稅務|\btax", re.IGNORECASE),
                 "credit_record": re.compile(r"征信|徵信|信用记录|信用記錄|逾期|违约|違約|不良|credit (?:record|history|report)|"
                                             r"overdue|default", re.IGNORECASE),
                 **{f: re.compile(r"持股|股权|股權|股比|控股|外资|外資|内资|內資|股东|股東|sharehold|owned|ownership|stake|"
                                  r"citizens|US persons|equity", re.IGNORECASE)
                    for f in ("ownership.domestic_share", "ownership.us_persons_share")}}
_WHO = re.compile(r"\bwho(?:m|se)?\b|谁|誰|哪位", re.IGNORECASE)
NOT_IN_PROFILE = {"zh": "客户档案中没有这一项信息；可以请客户补充相关材料。",
                  "en": "The client's documents do not state this; ask the client for it."}


# the issuing of a document asked: who issued, the issuing authority, 发证机关, 颁发单位
_ISSUER = re.compile(r"\b(?:issu(?:ed|er|ers|ing)|grant(?:ed|ing) (?:it|the)|awarded)\b|发证|發證|颁发|頒發|签发|簽發|认定机构|認定機構",
                     re.IGNORECASE)


def _issuers_asked(question: str, asked: Sequence[str]) -> list[str]:
    """The certificates asked, when the question asks who issued one ("who issued its HNTE certificate?", "发证机关是谁")."""
    return [f for f in asked if f.startswith("certificate.")] if _ISSUER.search(question) else []


def asks_who(question: str) -> bool:
    """The question asks for a person ("who", 谁, 哪位)."""
    return bool(_WHO.search(question))


def filings_asked(question: str) -> bool:
    """The question asks about applications filed or pending ("专利申请中的有几项", "patents pending"), not
    about what has been granted."""
    return bool(_FILED.search(index_form(question)))


def names_fields_named(question: str, profile: EnterpriseProfile) -> list[str]:
    """The fields holding names that the question names by their own name ("investors", 投资方), held
    in the profile."""
    text = index_form(question)
    return [f for f in sorted(NAME_FIELDS) if f in profile.fields
            and any(index_form(field_name(f, lang)).removesuffix("s") in text for lang in ("en", "zh"))]


def fields_asked(question: str) -> list[str]:
    """The fields a question names by keyword evidence alone (the router decides by meaning when
    the model reads both languages; see app/core/chat_route.py)."""
    return list(fields_by_keywords(load_intents(), question))


def answer_from_profile(question: str, profile: EnterpriseProfile, lang: str,
                        context: Callable[[Fact], tuple[str, str, int | None]],
                        fields: Sequence[str] | None = None, detector: InjectionDetector | None = None) -> Answer | None:
    """The `fields` the router chose (None: those the question names by keyword). None when there
    are none (the caller retrieves instead). `context` gives (title, the sentence around the fact's
    span, page) for a fact's citation."""
    less = _answer_less(question, profile, lang, context, detector or rule_detector())
    if less is not None:  # "营收扣掉研发费用还剩多少": one amount less another, with both
        return less
    rest = _answer_complement(question, profile, lang, context, detector or rule_detector())
    if rest is not None:  # "how many of its people are not in R&D": the whole less the part, and its share
        return rest
    asked = list(fields) if fields is not None else fields_asked(question)
    if any(f in NAMED_ONLY for f in asked):  # the licence's other items, the bank loans, when named; else the rest as before
        named = [f for f, words in NAMED_ONLY.items() if f in asked and words.search(question)]
        if named and not any(f in profile.fields for f in named):  # "who is its legal rep": not the name of the firm
            return Answer(NOT_IN_PROFILE[lang], (), False, lang)
        asked = named + [f for f in asked if f not in NAMED_ONLY and (
            not named or f not in _LICENCE_CORE or _LICENCE_CORE[f].search(question))]
    measure, conjuncts = measure_asked(question), coordinated(question)
    if measure and len({measure_asked(c) for c in conjuncts}) > 1:
        measure = None  # "revenue and total headcount": the people are one attribute asked, not what narrows both
    compound = compound_asked(question)
    changed = _changed_fields(question, asked, profile)
    if compound:  # "营收21到23年CAGR": the amount's compound rate between the ends, not each year's growth
        changed = [f for f in dict.fromkeys(a.removesuffix("_growth") for a in asked)
                   if kind_of(f) in ("money", "count") and f in profile.fields and len(held_years(profile.fields[f])) >= 2]
    if changed:  # "研发费用增长率", "how fast did R&D spending rise": the change of the amount, not a ratio beside it
        asked, measure = changed, None
    # a share asked is a part of a whole: a growth rate is a ratio too, but of no part ("海外收入占比": not the revenue's growth)
    of_measure = [f for f in asked if measure and kind_of(f) == MEASURE_KINDS[measure] and f in profile.fields
                  and not (measure == "share" and f.endswith("_growth") and not change_asked(question))]
    if of_measure:  # "its R&D headcount": the people counted, not the R&D expense beside them; whether the sources agree
        # ("BP说营收同比增长约60%，跟利润表对得上吗？按报表算增速是多少"): the amount too, each source's figure with it
        agree = sources_compared(question)
        asked = [f for f in asked if f in of_measure or agree and kind_of(f) == "money" and f in profile.fields]
    elif measure == "share" and any(f in profile.fields for f in asked):  # "its attrition rate": no count answers
        return Answer(NOT_IN_PROFILE[lang], (), False, lang)
    issuers = _issuers_asked(question, asked) if asks_who(question) else []
    if asks_who(question) and asked and not NAME_FIELDS & set(asked):
        # "who are its investors?" read as its ownership: the investors; "who issued its HNTE certificate?": the certificate
        asked = issuers or names_fields_named(question, profile)
    if not asked or (asks_who(question) and not NAME_FIELDS & set(asked) and not issuers):
        return None  # nothing asked, or a person asked for where the fields hold none: the documents may say
    lines: list[str] = []
    cited: list[Passage] = []
    missing: list[str] = []  # fields held for other periods than the one asked
    detector = detector or rule_detector()
    # a quarter, month or week named in a sentence that asks nothing is the asker's ("Apologies for all the questions this
    # week! How much did it raise in its Series A?"), not the period asked
    short = any(sub_year_asked(c) for c in asking_clauses(question, within=False))
    years, future = years_asked(question), future_asked(question)
    recent, total = recent_years_asked(question), total_asked(question)  # "近三年…合计": the latest years, summed
    if total and len(conjuncts) > 1:  # "FY23 vs FY22 revenue and total headcount": the total is the headcount's
        total = any(total_asked(c) and (years_asked(c) or recent_years_asked(c)) for c in conjuncts)
    filings = filings_asked(question)
    for name in asked:
        if name == "risk_signals" and (named_risks := risks_named(question)):
            # "any lawsuits or defaults?": each risk named, as the documents state it or as not stated, not a summary
            # that reads a risk no document mentions as absent
            held = [r for r in named_risks if f"risk.{r}" in profile.fields]
            said = [x for r in held if (x := _line(f"risk.{r}", profile.fields[f"risk.{r}"].chosen, [], lang, context,
                                                   detector, cited))]
            unsaid = [_risk_unstated(r, lang) for r in named_risks if r not in held]
            (lines if said else missing).extend([*said, *unsaid])
            continue
        if filings and name.startswith(HELD_ONLY):  # granted and held is not filed or pending: the pending count is
            pending = name.replace("patents.", "patents_pending.", 1)
            if pending == name or pending not in profile.fields:
                if name in profile.fields:
                    missing.append(_only_granted(name, lang))
                continue
            name = pending  # the field that answers in its place
        fv = profile.fields.get(name)
        if fv is None:
            flagged = profile.fields.get(f"{name}.invalid")  # an identifier stated with a failing check digit
            if flagged is not None and (line := _line(name, flagged.chosen, [], lang, context, detector, cited)):
                lines.append(line + INVALID_NOTE[lang])
            continue
        if short:  # a quarter or a month: the profile holds figures by year or as they stand
            missing.append(_not_by_quarter(name, lang))
            continue
        if (future or ROUND_AHEAD.search(question)) and name in FUNDING_FIELDS and (planned := _planned_rounds(profile)):
            # a round asked of the future ("B轮打算融多少钱") or the round under way ("这轮融资用来干什么", "what is the
            # current raise for") is the round the documents say is planned, not a forecast
            if not any(line.startswith(field_name("funding_rounds", lang)) for line in lines):
                lines += [x for fact in planned if (x := _line("funding_rounds", fact, [], lang, context, detector, cited))]
            continue
        if not years and ROUND_LAST.search(question) and name in FUNDING_FIELDS and (last := _last_round(profile)):
            # "上一轮融了多少", "who led the latest round": the latest completed round, not the history
            if not any(line.startswith(field_name("funding_rounds", lang)) for line in lines):
                lines += [x for x in [_line("funding_rounds", last, [], lang, context, detector, cited)] if x]
            continue
        if future and not years and held_years(fv):  # a forecast of no named year: no reported period answers it
            missing.append(_no_forecast(name, held_years(fv), lang))
            continue
        if future and not held_years(fv):  # a figure stated as it is now ("120 employees") says nothing of later
            missing.append(_only_current(name, lang))
            continue
        field_years = years or (tuple(held_years(fv)[-recent:]) if recent and held_years(fv) else ())
        chosen = facts_for(fv, field_years)
        if not chosen:
            missing.append(_not_for_period(name, field_years, held_years(fv), lang))
        ends = _change_ends(fv, field_years or (tuple(held_years(fv)) if compound else ())) if changed else []
        if ends:  # the change between the first and last year asked (one year: from the year before it)
            line = _compound_line(name, ends[-1], ends[0], lang, context, detector, cited) \
                if compound else _growth_line(name, ends[-1], ends[0], lang, context, detector, cited)
            if line:
                lines.append(line)
                lines += _changes_stated(fv, lang, context, detector, cited, {ends[-1].as_of})
                continue
        for fact in chosen:
            line = _line(name, fact, rivals(fv) if fact is fv.chosen else [], lang, context, detector, cited,
                         gap=_DIFFERENCE_ASKED.search(question) is not None)
            if line:
                lines.append(line)
        if chosen and name.endswith("_growth") and change_asked(question) \
                and (base := profile.fields.get(name.removesuffix("_growth"))) is not None:
            # a growth a document claims for a year answered, beside it
            lines += _changes_stated(base, lang, context, detector, cited, {f.as_of for f in chosen})
        if total and len(field_years) > 1 and len(chosen) == len(field_years):
            lines.append(_total_line(name, chosen, lang, context, detector, cited))
    if not lines:
        text = "\n".join(missing) if missing else NOT_IN_PROFILE[lang]
        return Answer(text, (), False, lang)
    return Answer("\n".join(lines), tuple(cited), True, lang)


# the gap between two figures asked ("BP写1.3亿，跟财报差了多少？", "what's the difference between the two?")
_DIFFERENCE_ASKED = re.compile(r"差了?多少|相差|差额|差額|差值|差距|差几|差幾|差了?几|\b(?:difference|gap|delta|variance)\b|"
                               r"\bhow (?:far|much) (?:apart|off)\b|\boff by\b", re.IGNORECASE)


# an identifier the documents state whose check digit fails (app/core/identity.py): shown, flagged, never used
INVALID_NOTE = {"zh": "（校验位不符，可能有误，请向客户核实）",
                "en": " (its check digit does not match: possibly mistyped; confirm it with the client)"}


def _line(name: str, fact: Fact, rivals: Sequence[Fact], lang: str, context: Callable[[Fact], tuple[str, str, int | None]],
          detector: InjectionDetector, cited: list[Passage], gap: bool = False) -> str:
    """'label: value (period) [n]', citing each fact it rests on (adds to `cited`); '' when a source
    sentence is an instruction. `rivals`: what other sources state for the same period, shown after it with
    its own source and citation, so a discrepancy between a plan and the statements is seen, not hidden;
    `gap`: each rival's difference from the value shown is stated too (amounts of one unit)."""
    marks = source_marks(fact, context, detector, cited)
    if marks is None:
        return ""  # an instruction planted in a document is no evidence
    label = field_name(name, lang)
    others = []
    for r in rivals:
        said = source_marks(r, context, detector, cited)
        if said:  # named by the title of the passage it was just cited to (no second read of its page)
            title = next(c.title for c in cited if said.startswith(f"[{c.n}]"))
            note = written_note(r, lang)  # (the plan's "1.3亿元" beside "130,000,000 CNY")
            value = f"{value_text(r, lang)}（{note}）" if note and lang == "zh" else \
                f"{value_text(r, lang)} ({note})" if note else value_text(r, lang)
            if gap and _amounts_of_one_unit(fact, r):
                diff = Fact(field=name, value=round(float(r.value) - float(fact.value), 2), unit=fact.unit)  # type: ignore[arg-type]
                shown = ("+" if float(diff.value) >= 0 else "") + value_text(diff, lang)  # type: ignore[arg-type]
                value += f"，相差{shown}" if lang == "zh" else f", a difference of {shown}"
            others.append(f"{title}：{value}{said}" if lang == "zh" else f"{title}: {value} {said}")
    if others:
        note = ("（各来源不一致，已按可信度选取；另" + "；".join(others) + "）") if lang == "zh" \
            else " (sources disagree; the most trustworthy is shown; also " + "; ".join(others) + ")"
        return f"{label}：{fact_text(fact, lang)}{marks}{note}" if lang == "zh" \
            else f"{label}: {fact_text(fact, lang)} {marks}{note}"
    return f"{label}：{fact_text(fact, lang)}{marks}" if lang == "zh" else f"{label}: {fact_text(fact, lang)} {marks}"


def _amounts_of_one_unit(a: Fact, b: Fact) -> bool:
    return a.unit == b.unit and all(isinstance(f.value, (int, float)) and not isinstance(f.value, bool) for f in (a, b))


# a change a document states in its own words beside the amount ("同比增长约60%", "up 60% year on year")
_STATED_CHANGE = re.compile(r"(?:同比|环比|同比增|较上年)?(?:增长|增加|上升|下降|减少|下滑)了?(?:约|近|超过)?\s*\d+(?:\.\d+)?\s*%|"
                            r"\b(?:up|down|grew|growth of|increase of|decrease of)\b[^.;]{0,20}?\d+(?:\.\d+)?\s*%",
                            re.IGNORECASE)


def _changes_stated(fv: FieldValue, lang: str, context: Callable[[Fact], tuple[str, str, int | None]],
                    detector: InjectionDetector, cited: list[Passage], years: set[str | None]) -> list[str]:
    """The change another source states for the amount in one of the `years` answered, in its own words, quoted
    beside the change the chosen figures give ("商业计划书：公司2023年实现营业收入1.3亿元，同比增长约60%" beside 48.31%
    from the statements), so a claim is seen against the figures; [] when no other source states one."""
    out = []
    for r in rivals(fv):
        if r.as_of not in years:
            continue
        said = context(r)[1].strip()  # the sentence the amount was read from
        if not _STATED_CHANGE.search(said) or len(said) > _QUOTED_AT_MOST:
            continue
        marks = source_marks(r, context, detector, cited)
        if marks:
            title = next(c.title for c in cited if marks.startswith(f"[{c.n}]"))
            quote = said.rstrip("。.")
            out.append(f"{title}所述：{quote}{marks}" if lang == "zh" else f"As {title} states: {quote} {marks}")
    return out


_QUOTED_AT_MOST = 200  # characters of a sentence quoted whole


def source_marks(fact: Fact, context: Callable[[Fact], tuple[str, str, int | None]], detector: InjectionDetector,
                 cited: list[Passage]) -> str | None:
    """'[2][3]': the passages the documents state a fact in (a derived fact's inputs' sources), each added to
    `cited` once (numbered after those already there); None when a source sentence is an instruction."""
    facts = fact_sources(fact)
    contexts = [context(f) for f in facts]
    if any(detector.flags(f"{f.quote}\n{text}") for f, (_, text, _) in zip(facts, contexts)):
        return None
    marks: list[str] = []
    for f, (title, text, page) in zip(facts, contexts):
        doc = f.doc_id or f"{f.source_type or f.method}"
        # a passage already cited that holds the sentence (the page a certificate was read from) serves again
        passage = next((c for c in cited if (c.doc_id, c.page) == (doc, page) and text in c.text), None)
        if passage is None:
            passage = Passage(len(cited) + 1, doc, title, text, page)
            cited.append(passage)
        if f"[{passage.n}]" not in marks:
            marks.append(f"[{passage.n}]")
    return "".join(marks)


def fact_sources(fact: Fact) -> tuple[Fact, ...]:
    """The facts read from documents that a fact rests on: itself, or a derived fact's inputs' sources (a share of
    a difference cites the rows the difference was taken from)."""
    if not fact.inputs:
        return (fact,)
    out: list[Fact] = []
    for s in (s for i in fact.inputs for s in fact_sources(i)):
        if not any(s is o for o in out):  # by identity: a record's value (a dict) is not hashable
            out.append(s)
    return tuple(out)


# a ratio named ("研发费用率", 占比, "as a share of revenue"; a "%" alone may be the change's: "升了多少%"), and a rate of
# growth named: the amount's change is the share asked ("研发费用增长率", "growth rate", "how fast")
_RATIO_NAMED = re.compile(r"占比|比例|比重|率|\b(?:ratio|share|proportion|fraction)\b")
_GROWTH_RATE = re.compile(r"增长率|增速|增幅|涨幅|成长率|\bgr[eo]w(?:th|n|s)?\b|\bhow fast\b|\byoy\b|\byear[- ]on[- ]year\b")


def _changed_fields(question: str, asked: list[str], profile: EnterpriseProfile) -> list[str]:
    """The amounts (money, counts) asked whose change between years the question asks for, held for
    two years or more and with no growth field of their own among those asked (revenue's growth is
    derived in the profile: "营收增长率" gets revenue_growth, another amount asked beside it its own
    change); [] when no change is asked."""
    if not change_asked(question):
        return []
    text = index_form(question)
    if _RATIO_NAMED.search(text) and not _GROWTH_RATE.search(text):
        return []  # a ratio's change ("研发费用率跟22年比是升了还是降了"): the ratio of each year, not the amount's change
    return [f for f in asked if kind_of(f) in ("money", "count") and f in profile.fields
            and len(held_years(profile.fields[f])) >= 2 and f"{f}_growth" not in asked]


def _change_ends(fv: FieldValue, years: tuple[str, ...]) -> list[Fact]:
    """The two facts a change is taken between, oldest first: the first and last of the years asked;
    one year asked: that year and the latest held before it; none: the latest two held. [] when a year
    needed is not held."""
    held = held_years(fv)
    if len(years) >= 2:
        chosen = [y for y in held if y in years]
        pair = (chosen[0], chosen[-1]) if len(chosen) >= 2 and set(years) <= set(held) else None
    elif len(years) == 1:
        before = [y for y in held if y < years[0]]
        pair = (before[-1], years[0]) if before and years[0] in held else None
    else:
        pair = (held[-2], held[-1]) if len(held) >= 2 else None
    return facts_for(fv, pair) if pair else []


def _growth_line(name: str, new: Fact, old: Fact, lang: str, context: Callable[[Fact], tuple[str, str, int | None]],
                 detector: InjectionDetector, cited: list[Passage]) -> str:
    """'R&D expense growth, FY2022–FY2023: 51.18% (FY2023) = R&D expense 9,600,000 CNY / R&D expense
    6,350,000 CNY (FY2022) − 1 [1][2]'; '' when the two are not numbers of one unit."""
    if not all(isinstance(f.value, (int, float)) and not isinstance(f.value, bool) for f in (new, old)) \
            or not old.value or new.unit != old.unit:
        return ""
    value = round(100 * (float(new.value) / float(old.value) - 1), 2)  # type: ignore[arg-type]
    growth = Fact(field=f"{name}_growth", value=value, unit="%", method="derived", inputs=(new, old),
                  as_of=new.as_of, quote=f"{name} {new.as_of} / {name} {old.as_of} − 1")
    line = _line(name, growth, [], lang, context, detector, cited)
    first, last, label = year_of(old), year_of(new), field_name(name, lang)
    if not line:
        return ""
    gap = Fact(field=name, value=round(float(new.value) - float(old.value), 2), unit=new.unit)  # type: ignore[arg-type]
    shown = ("+" if float(gap.value) >= 0 else "") + value_text(gap, lang)  # type: ignore[arg-type]
    body, marks = re.match(r"(.*?)(\s?(?:\[\d+\])+)$", line, re.DOTALL).groups()  # type: ignore[union-attr]
    if lang == "zh":
        return body.replace(f"{label}：", f"{label}增长率（{first}–{last}年度）：", 1) + f"；差额：{shown}" + marks
    return body.replace(f"{label}: ", f"{label} growth, FY{first}–FY{last}: ", 1) + f"; difference: {shown}" + marks


def _compound_line(name: str, new: Fact, old: Fact, lang: str, context: Callable[[Fact], tuple[str, str, int | None]],
                   detector: InjectionDetector, cited: list[Passage]) -> str:
    """'Revenue compound annual growth, FY2021–FY2023: 51.98% = (Revenue 120,800,000 CNY / Revenue 52,300,000 CNY
    (FY2021))^(1/2) − 1 [1]'; the plain growth line when the ends are one year apart; '' when the two are not
    positive numbers of one unit or their years are not known."""
    first, last = year_of(old), year_of(new)
    if not all(isinstance(f.value, (int, float)) and not isinstance(f.value, bool) and float(f.value) > 0
               for f in (new, old)) or new.unit != old.unit or not (first and last and str(first).isdigit()
                                                                    and str(last).isdigit()):
        return ""
    span = int(last) - int(first)
    if span <= 1:
        return _growth_line(name, new, old, lang, context, detector, cited)
    value = round(100 * ((float(new.value) / float(old.value)) ** (1 / span) - 1), 2)  # type: ignore[arg-type]
    rate = Fact(field=f"{name}_growth", value=value, unit="%", method="derived", inputs=(new, old), as_of=new.as_of,
                quote=f"({name} {new.as_of} / {name} {old.as_of})^(1/{span}) − 1")
    marks = source_marks(rate, context, detector, cited)
    if not marks:
        return ""
    label, ratio = field_name(name, lang), f"{value_text(new, lang)} / {value_text(old, lang)}"
    if lang == "zh":
        return (f"{label}年均复合增长率（{first}–{last}年度）：{value}% = （{label} {ratio}（{first}年度））^(1/{span}) − 1"
                f"{marks}")
    return f"{label} compound annual growth, FY{first}–FY{last}: {value}% = ({label} {ratio} (FY{first}))^(1/{span}) − 1 {marks}"


def _total_line(name: str, facts: list[Fact], lang: str, context: Callable[[Fact], tuple[str, str, int | None]],
                detector: InjectionDetector, cited: list[Passage]) -> str:
    """'研发费用合计（2021–2023年度）：2,007万元 = 412万元 + 635万元 + 960万元[1]' over the years' facts, each
    cited; '' when they are not amounts of one unit."""
    ordered = sorted(facts, key=lambda f: f.as_of or "")
    if kind_of(name) != "money" or len({f.unit for f in ordered}) != 1 \
            or not all(isinstance(f.value, (int, float)) and not isinstance(f.value, bool) for f in ordered):
        return ""
    value = round(sum(float(f.value) for f in ordered), 2)  # type: ignore[arg-type,misc]
    total = Fact(field=name, value=value, unit=ordered[0].unit, method="derived", inputs=tuple(ordered), quote="sum")
    line = _line(name, total, [], lang, context, detector, cited)
    if not line:
        return ""
    first, last, label = year_of(ordered[0]), year_of(ordered[-1]), field_name(name, lang)
    shown = value_text(total, lang)
    sums = f"{shown} = " + " + ".join(value_text(f, lang) for f in ordered)
    if lang == "zh":
        return line.replace(f"{label}：{shown}", f"{label}合计（{first}–{last}年度）：{sums}", 1)
    return line.replace(f"{label}: {shown}", f"{label}, total FY{first}–FY{last}: {sums}", 1)


def _not_for_period(name: str, years: tuple[str, ...], held: list[str], lang: str) -> str:
    label = field_name(name, lang)
    if lang == "zh":
        return f"客户档案中没有{'、'.join(y + '年度' for y in years)}的{label}（已有：{'、'.join(held)}年度）；可以请客户补充相关材料。"
    return f"The client's documents hold no {label} for {', '.join('FY' + y for y in years)} " \
           f"(held: {', '.join('FY' + y for y in held)}); ask the client for it."


FUNDING_FIELDS = frozenset({"funding_rounds", "funding_stage", "funding_raised", "funding_planned_stage", "investors"})
# the round under way or to come, named without a word of the future ("这轮融资用来干什么", "how much is it raising now")
ROUND_AHEAD = re.compile(r"本轮|本輪|这轮|這輪|此轮|此輪|这一轮|這一輪|本次融资|本次融資|这次融资|這次融資|新一轮|新一輪|下一轮|下一輪|下轮|下輪|"
                         r"正在融|在融资|在融資|\b(?:this|the current|the next|the new|its next|its current) (?:funding )?round\b|"
                         r"\b(?:is|are) (?:currently |now )?raising\b|\braising now\b|\bcurrent raise\b|\bnext raise\b",
                         re.IGNORECASE)


# the latest round raised, named without its stage ("上一轮融了多少", "who led the most recent round")
ROUND_LAST = re.compile(r"上一轮|上一輪|上轮|上輪|最近一轮|最近一輪|最新一轮|最新一輪|最近一次融资|最近一次融資|"
                        r"\b(?:last|latest|most recent|previous|prior) (?:funding |financing )?round\b", re.IGNORECASE)


def _last_round(profile: EnterpriseProfile) -> Fact | None:
    """The latest completed round of the client's documents, by its date (undated rounds count as earliest)."""
    fv = profile.fields.get("funding_rounds")
    done = [f for f in (fv.chosen.inputs if fv is not None else ())
            if isinstance(f.value, dict) and f.value.get("status") != "planned"]
    return max(done, key=lambda f: str(f.value.get("date") or "") if isinstance(f.value, dict) else "", default=None)


def _planned_rounds(profile: EnterpriseProfile) -> list[Fact]:
    """The rounds the client's documents say are planned (app/core/funding.py), each with its own words."""
    fv = profile.fields.get("funding_rounds")
    inputs = fv.chosen.inputs if fv is not None else ()
    return [f for f in inputs if isinstance(f.value, dict) and f.value.get("status") == "planned"]


def _no_forecast(name: str, held: list[str], lang: str) -> str:
    label = field_name(name, lang)
    if lang == "zh":
        return f"客户档案中的{label}只有已报告的数据（{'、'.join(held)}年度），没有预测；可以请客户提供。"
    return f"The client's documents report {label} for {', '.join('FY' + y for y in held)}, not forecasts; " \
           "ask the client for its projections."


def _not_by_quarter(name: str, lang: str) -> str:
    label = field_name(name, lang)
    if lang == "zh":
        return f"客户档案中的{label}按年度或现状记录，没有季度或月度的数据；可以请客户提供。"
    return f"The client's documents give {label} by year or as it stands, not by quarter or month; ask the client for it."


def risks_named(question: str) -> list[str]:
    """The risks a question names by their words (lawsuits, 逾期, penalties …), as risk labels, in the vocabulary's order."""
    return [label for label, words in RISKS.items() if re.search(words, question, re.IGNORECASE)]


def _risk_unstated(label: str, lang: str) -> str:
    name = field_name(f"risk.{label}", lang)
    return f"{name}：文档未提及，需向客户核实" if lang == "zh" else f"{name}: not stated in the documents; confirm with the client"


def _only_current(name: str, lang: str) -> str:
    label = field_name(name, lang)
    if lang == "zh":
        return f"客户档案中只有现在的{label}，没有预测；可以请客户提供。"
    return f"The client's documents state its current {label}, not a projection; ask the client for it."


def _only_granted(name: str, lang: str) -> str:
    label = field_name(name, lang)
    if lang == "zh":
        return f"客户档案中的{label}是已授权、已取得的，没有在申请或审查中的记录；可以请客户提供。"
    return f"The client's documents give {label} granted and held, not applications filed or pending; ask the client for them."


# the rest of a whole besides a part the profile counts: "not in R&D", "outside R&D engineering", 非研发, 研发以外
_COMPLEMENT = re.compile(r"\b(?:non-?|not (?:in|on|doing|working (?:in|on))\s+|outside(?: of)?\s+|other than\s+|besides\s+|"
                         r"apart from\s+|excluding\s+)(?:the\s+)?(?:r&d|research)|"
                         # "how many employees are not R&D engineers", "staff who aren't in research"
                         r"\b(?:employees|staff|people|workers|headcount)\b[^?.。？]{0,24}?\b(?:are|is|were|who are)?\s*"
                         r"(?:not|aren't|isn't|weren't)\s+(?:in\s+|on\s+)?(?:the\s+)?(?:r&d|research)|非研发|非研發|研发(?:人员)?(?:以外|之外)|"
                         r"研發(?:人員)?(?:以外|之外)|不(?:做|在|搞)研[发發]|除(?:了)?研[发發](?:人[员員])?(?:以外|之外)?", re.IGNORECASE)
# a part the profile counts, with its whole and the rest's names
_PARTS = {"rd_staff": ("employees", "non_rd_staff", "non_rd_staff_ratio")}


def _answer_complement(question: str, profile: EnterpriseProfile, lang: str,
                       context: Callable[[Fact], tuple[str, str, int | None]], detector: InjectionDetector) -> Answer | None:
    """The people besides the R&D staff ("What percentage of its staff sit outside R&D?", "非研发人员有多少"):
    the headcount less the R&D staff and its share of the headcount, each with its inputs and cited; None
    when the question asks for no such rest, or the profile does not hold both."""
    if not _COMPLEMENT.search(index_form(question)):
        return None
    for part, (whole, rest, share) in _PARTS.items():
        if part not in profile.fields or whole not in profile.fields:
            continue
        p, w = profile.fields[part].chosen, profile.fields[whole].chosen
        if not all(isinstance(f.value, (int, float)) and not isinstance(f.value, bool) for f in (p, w)) or not w.value:
            continue
        left = Fact(field=rest, value=float(w.value) - float(p.value), unit=w.unit, method="derived",  # type: ignore[arg-type]
                    inputs=(w, p), as_of=w.as_of, quote=f"{whole} − {part}")
        ratio = Fact(field=share, value=round(float(left.value) / float(w.value) * 100, 2), unit="%",  # type: ignore[arg-type]
                     method="derived", inputs=(left, w), as_of=w.as_of, quote=f"{rest} / {whole}")
        cited: list[Passage] = []
        lines = [line for name, fact in ((rest, left), (share, ratio))
                 if (line := _line(name, fact, [], lang, context, detector, cited))]
        return Answer("\n".join(lines), tuple(cited), True, lang) if lines else None
    return None


def _amount_named(part: str, profile: EnterpriseProfile) -> str | None:
    """The one amount of money held in the profile that a part of the question names: by its field's own
    name where several are read from the part's keywords ("net profit" is not total assets)."""
    held = [f for f in fields_asked(part) if kind_of(f) == "money" and f in profile.fields]
    named = [f for f in held if any(index_form(field_name(f, lang)).lower() in index_form(part).lower() for lang in ("zh", "en"))]
    chosen = named or held
    return chosen[0] if len(chosen) == 1 or named else None


def _answer_less(question: str, profile: EnterpriseProfile, lang: str,
                 context: Callable[[Fact], tuple[str, str, int | None]], detector: InjectionDetector) -> Answer | None:
    """One amount less another ("Northwind 2023年的营收扣掉研发费用", "revenue minus R&D expense"): the
    difference of each year asked (none: the latest both hold), shown with both inputs and cited; None
    when the question asks for no difference of two amounts the profile holds."""
    parts = less_parts(question)
    if parts is None:
        return None
    top, bottom = (_amount_named(p, profile) for p in parts)
    if top is None or bottom is None or top == bottom:
        return None
    both = [y for y in held_years(profile.fields[top]) if y in held_years(profile.fields[bottom])]
    years = years_asked(question)
    if not both or sub_year_asked(question) or future_asked(question):
        return None
    if years and not set(years) & set(both):
        ta, tb, asked = field_name(top, lang), field_name(bottom, lang), "、".join(y + "年度" for y in years)
        text = (f"客户档案中没有{asked}的{ta}和{tb}（两者都有的：{'、'.join(both)}年度）；可以请客户补充相关材料。" if lang == "zh"
                else f"The client's documents do not hold both {ta} and {tb} for {', '.join('FY' + y for y in years)} "
                     f"(both held: {', '.join('FY' + y for y in both)}); ask the client for it.")
        return Answer(text, (), False, lang)
    lines: list[str] = []
    cited: list[Passage] = []
    for year in [y for y in both if y in years] or both[-1:]:
        a, b = facts_for(profile.fields[top], (year,))[0], facts_for(profile.fields[bottom], (year,))[0]
        if a.unit != b.unit or not all(isinstance(f.value, (int, float)) and not isinstance(f.value, bool) for f in (a, b)):
            continue
        gap = Fact(field="difference", value=round(float(a.value) - float(b.value), 2),  # type: ignore[arg-type]
                   unit=a.unit, method="derived", inputs=(a, b), as_of=a.as_of, quote=f"{top} − {bottom}")
        line = _line(top, gap, [], lang, context, detector, cited)
        label, ta, tb = field_name(top, lang), field_name(top, lang), field_name(bottom, lang)
        if line:
            lines.append(line.replace(f"{label}：", f"{ta}减{tb}：", 1) if lang == "zh"
                         else line.replace(f"{label}: ", f"{ta} less {tb}: ", 1))
    return Answer("\n".join(lines), tuple(cited), True, lang) if lines else None
