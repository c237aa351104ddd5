"""Funding rounds as events: stage, date, amount, currency, lead and co-investors, completed or planned.

A sentence is cut into clauses; a clause naming a stage (天使轮, A轮, Series A, seed round …)
starts a round, and the clauses after it, up to the next stage, belong to that round (the amount,
the investors, the date). Clauses before the first stage give their date to the first round.
A round is `planned` when its words say so (拟, 计划, 启动, 正在, 预计, "plans to raise", "is
raising"), else `completed`. Each round is one fact (`funding_rounds`, a dict) quoting its words;
every investor of a completed round is an `investors` fact too. Names are taken whole, up to
the words that end them (领投, 跟投, "led", a comma): "由深圳市创新投资集团有限公司领投" gives the full
legal name, never "深圳市创新"; a known short name ("深创投") is recorded by its legal name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.core.facts import _MONTHS, MONEY_EN, MONEY_ZH, fact_rule, parse_money_en, parse_money_zh
from app.core.investor_names import legal_name
from app.core.negation import sentences
from app.core.types import Fact

STAGES = [("seed", r"种子轮|種子輪|种子(?:投资|融资)|seed(?: round| funding| financing| stage)|\bseed(?=\s*[:：–—-]\s*(?:US\$|\$|USD|RMB|€|£)\s*\d)"),
          ("angel", r"天使轮|天使輪|天使(?:投资|融资)(?!人)|angel(?: round| funding| investment)"),
          ("pre-A", r"pre-?A\+?\s*轮|pre-?A\+?\s*輪|pre-Series A\b|pre-A(?: round| financing)"), ("A", r"(?<![A-Za-z-])A\+?\s*(?:轮|輪)|Series A\+?(?![\w-])"),
          ("B", r"(?<![A-Za-z-])B\+?\s*(?:轮|輪)|Series B\+?(?![\w-])"), ("C", r"(?<![A-Za-z-])C\+?\s*(?:轮|輪)|Series C\+?(?![\w-])"),
          ("D+", r"(?<![A-Za-z-])[D-F]\+?\s*(?:轮|輪)|Series [D-F]\b"), ("IPO", r"(?<![A-Za-z])IPO(?![A-Za-z])|首次公开发行|首次公開發行")]
_STAGE = re.compile("|".join(f"(?P<s{i}>{p})" for i, (_, p) in enumerate(STAGES)), re.IGNORECASE)
ROUND_NAMED = _STAGE  # a funding round named by its stage ("Series A", "A轮", "seed round"): a value of the funding fields
_PLANNED = re.compile(r"拟|擬|计划|計劃|启动|啟動|正在|预计|預計|筹备|籌備|将于|將於|将启动|准备|準備|寻求|尋求|目标(?:金额|融资|規模|规模)|"
                      r"\bplan(?:s|ned|ning)?\b|\bintends?\b|\bexpects? to\b|\b(?:is|are|currently|now)\s+(?:(?:now|currently|actively)\s+)?raising\b|"
                      r"\bwill (?:raise|open|launch|close)\b|\bseeking\b|\bin progress\b|\bunderway\b|\btargeting\b|\btarget (?:amount|raise|size)\b|\bupcoming\b|"
                      r"\bprepar(?:e|es|ing)\b|\bnext round\b",
                      re.IGNORECASE)
# "计划用于研发", "plans to use the proceeds for": what the money is for, not a round still to come
_USE_OF_FUNDS = re.compile(r"(?:拟|计划|將|将|主要)?用于[^，,。；;]*|\b(?:plans?|intends?|expects?) to (?:use|spend|invest|deploy)\b[^,.;]*|"
                           r"\bwill (?:be used|use|fund|go)\b[^,.;]*|"
                           r"(?<=\S )to (?:expand|build|fund|finance|scale|grow|hire|enter|develop|accelerate|launch|support|open)\b[^.;]*",
                           re.IGNORECASE)
# a word saying a round took place
_RAISED = re.compile(r"完成|获得|獲得|获|獲|取得|融得|募集|引入|投资|投資|\b(?:closed|raised|completed|secured|received|announced|"
                     r"invested|invests|funded|backed|took|taken)\b", re.IGNORECASE)
_TOTAL = re.compile(r"累计|累計|合计|共计|总计|to date|in total|cumulative|across", re.IGNORECASE)
_VALUATION = re.compile(r"(?:估值|valuation|valued at|pre-money|post-money)[^，,。；;]{0,8}$", re.IGNORECASE)
_DATE_ZH = re.compile(r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月)?")
_DATE_EN = re.compile(r"(?:(January|February|March|April|May|June|July|August|September|October|November|December)\s+)?((?:19|20)\d{2})\b"
                      r"|((?:19|20)\d{2})-(\d{2})", re.IGNORECASE)
_LEAD_ZH = [r"由(?P<n>[^，,。；;]{2,80}?)(?:联合|共同)?领投", r"(?P<n>[^，,。；;由]{2,80}?)(?:联合|共同)?领投",
            r"领投(?:方|机构)?(?:为|是|：|:)(?P<n>[^，,。；;]{2,80})"]
_CO_ZH = [r"(?:^|[，,、])\s*(?P<n>[^，,。；;由]{2,120}?)(?:等)?(?:跟投|参投|參投)", r"(?:跟投|参投)(?:方|机构)?(?:为|是|包括|：|:)(?P<n>[^，,。；;]{2,120})"]
_ALL_ZH = [r"由(?P<n>[^，,。；;]{2,120})(?:投资|投資|出资|出資)", r"(?:投资方|投资机构|投资人|投資方)(?:为|為|包括|是|：|:)(?P<n>[^，,。；;]{2,120})"]
_NAME_EN = r"(?:[A-Z0-9][\w&'.-]*)(?:\s+(?:of\s+|&\s+)?[A-Z0-9][\w&'.-]*)*"
_LEAD_EN = [rf"\bled by (?:the )?(?P<n>{_NAME_EN}(?:(?:,\s*|\s+and\s+)(?!with\b)(?:the )?{_NAME_EN})*)",
            rf"(?P<n>{_NAME_EN}) led the (?:round|financing|investment)"]
_CO_EN = [(rf"\b(?:with participation (?:from|of)|alongside|joined by|co-investors? (?:include|were|are|:))\s+(?:the )?"
           rf"(?P<n>{_NAME_EN}(?:(?:,\s*(?:and\s+)?|\s+and\s+)(?:the )?{_NAME_EN})*)")]
_ALL_EN = [rf"\binvestors? (?:include|included|are|were|:)\s+(?P<n>{_NAME_EN}(?:(?:,\s*(?:and\s+)?|\s+and\s+){_NAME_EN})*)",
           rf"\bfrom (?P<n>{_NAME_EN}(?:(?:,\s*(?:and\s+)?|\s+and\s+){_NAME_EN})*)"]


def rounds_not_held(question: str, fields: dict[str, object]) -> list[str]:
    """The funding rounds the question names (B轮, Series C, 天使轮 …) that the profile's `fields` (name →
    value) hold neither as a round on record nor as its stage: "那B轮呢？" of a firm that raised an A round
    alone is not answered with the A round's figures."""
    named = {_stage_of(m) for m in _STAGE.finditer(question)}
    if not named:
        return []
    rounds = fields.get("funding_rounds") or ()
    held = {str(r.get("stage")) for r in (rounds if isinstance(rounds, (list, tuple)) else ()) if isinstance(r, dict)}
    held.add(str(fields.get("funding_stage") or ""))
    return sorted(s for s in named if s not in held)


_ROUND_NAMES = {"seed": ("种子轮", "seed round"), "angel": ("天使轮", "angel round"), "pre-A": ("Pre-A轮", "pre-Series A round"),
                "D+": ("D轮及以后", "Series D or later"), "IPO": ("IPO", "IPO"), "growth": ("成长期", "growth stage")}


def round_name(stage: str, lang: str) -> str:
    """A stage as a round's name in `lang` ("B" → "B轮" / "Series B")."""
    zh, en = _ROUND_NAMES.get(stage, (f"{stage}轮", f"Series {stage}"))
    return zh if lang == "zh" else en


def _stage_of(m: re.Match[str]) -> str:
    return next(STAGES[int(k[1:])][0] for k, v in m.groupdict().items() if v)


def _groups(sentence: str) -> list[tuple[str, int, int]]:
    """(stage, start, end) per round: from the clause naming a stage up to the next stage's clause."""
    heads = list(_STAGE.finditer(sentence))
    starts = []
    for n, m in enumerate(heads):
        clause_start = max((b.end() for b in re.finditer(r"[，,；;：:]", sentence[: m.start()])), default=0)
        between = sentence[heads[n - 1].end() : m.start()] if n else ""
        joint = [j.start() for j in re.finditer(r"\band\b|\bthen\b|并|且|随后|之后", between)]
        starts.append(0 if n == 0 else max(clause_start, heads[n - 1].end() + (joint[-1] if joint else 0)))
    return [(_stage_of(m), starts[n], starts[n + 1] if n + 1 < len(heads) else len(sentence)) for n, m in enumerate(heads)]


def _amount(text: str) -> tuple[float, str] | None:
    for m in sorted([*re.finditer(MONEY_ZH, text), *re.finditer(MONEY_EN, text, re.IGNORECASE)], key=lambda m: m.start()):
        if _VALUATION.search(text[: m.start()]) or text[max(0, m.start() - 1) : m.start()] in ("数", "數", "几", "幾"):
            continue  # a valuation, or a vague "数千万元" (tens of millions)
        if m.re.pattern == MONEY_ZH:
            return parse_money_zh(m.group(1), m.group(2))
        return parse_money_en(m.group(1), m.group(2), m.group(3))
    return None


def _date(text: str) -> str | None:
    if m := _DATE_ZH.search(text):
        return f"{m.group(1)}-{int(m.group(2)):02d}" if m.group(2) else m.group(1)
    if m := _DATE_EN.search(text):
        if m.group(3):
            return f"{m.group(3)}-{m.group(4)}"
        month = _MONTHS.get((m.group(1) or "").lower())
        return f"{m.group(2)}-{month:02d}" if month else m.group(2)
    return None


def _names(raw: str) -> list[str]:
    parts = re.split(r"、|，|,\s*(?:and\s+)?|\s+and\s+|(?:(?<=公司)|(?<=）)|(?<=\))|(?<=基金)|(?<=资本)|(?<=创投)|(?<=集团))(?:和|及|与|以及)", raw)
    out = []
    for p in parts:
        name = re.sub(r"^(?:the|由|其中|包括|以及|及)\s*|(?:等|等机构|等投资方|共同|联合)$", "", p.strip(" \"“”'."), flags=re.IGNORECASE).strip()
        if 2 <= len(name) <= 60 and not re.search(r"轮|輪|万元|亿元|\bround\b|million|\d{4}", name, re.IGNORECASE):
            out.append(name)
    return out


def _find(patterns: list[str], text: str) -> list[str]:
    return [n for p in patterns for m in re.finditer(p, text) for n in _names(m.group("n"))]


def investors(text: str) -> tuple[list[str], list[str]]:
    """(lead investors, co-investors) named in a round's words."""
    lead = _find(_LEAD_ZH, text) + _find(_LEAD_EN, text)
    co = _find(_CO_ZH, text) + _find(_CO_EN, text)
    if not lead and not co:
        co = _find(_ALL_ZH, text) + _find(_ALL_EN, text)
    lead = [legal_name(n) for n in lead]
    return list(dict.fromkeys(lead)), list(dict.fromkeys(legal_name(n) for n in co if legal_name(n) not in lead))


@fact_rule
def funding_rounds(text: str) -> Iterator[Fact]:
    for offset, sentence in sentences(text):
        if not re.search(r"融资|融資|轮|輪|投资|raise|round|financing|funding|invest|series|IPO|上市|\bseed\b|\bled by\b", sentence, re.IGNORECASE):
            continue
        for stage, start, stop in _groups(sentence):
            yield from _round(stage, sentence[start:stop], offset + start)


def _round(stage: str, words: str, offset: int) -> Iterator[Fact]:
    amount = None if _TOTAL.search(words) else _amount(words)  # a total over rounds is no one round's amount
    lead, co = investors(words)
    status = "planned" if _PLANNED.search(_USE_OF_FUNDS.sub("", words)) else "completed"
    if status == "completed" and amount is None and not lead and not co and not _RAISED.search(words):
        return  # a stage named with no amount, investor or word of raising ("Series B investor presentation") is no round
    when, currency = _date(words), amount[1] if amount else ""
    use = _USE_OF_FUNDS.search(words)  # what the money is for, as the document says it ("用于年产200吨医用PLA产线建设")
    event = {"stage": stage, "status": status, "date": when, "amount": amount[0] if amount else None,
             "currency": currency, "lead": lead, "co_investors": co,
             **({"use": use.group(0).strip(" ，,；;。.")} if use else {})}
    lead_ws = len(words) - len(words.lstrip())
    quote = words.strip(" ，,；;")
    span = (offset + lead_ws, offset + lead_ws + len(quote))
    yield Fact(field="funding_rounds", value=event, unit=currency, quote=quote, span=span, confidence=0.8, as_of=when)
    if status == "completed":
        for name in [*lead, *co]:
            yield Fact(field="investors", value=name, quote=quote, span=span, confidence=0.75)
