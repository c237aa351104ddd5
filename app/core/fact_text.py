"""A profile fact written for people, in Chinese or English: its value with a localised unit
("960万元" / "9,600,000 CNY", "12项" / "12"), its period ("2023年度" / "FY2023") and, for a derived
value, the inputs it was computed from ("= 研发费用 960万元 / 营业收入 1.208亿元")."""

from __future__ import annotations

import re
from datetime import date

from app.core.field_names import field_name, value_name
from app.core.investor_names import as_written
from app.core.jurisdiction import region_text
from app.core.label_names import LABEL_FIELDS, label_text
from app.core.risk_facts import SET_FIELDS
from app.core.types import Fact

_UNIT = {"zh": {"persons": "人", "items": "项", "years": "年", "CNY": "元", "%": "%"},
         "en": {"persons": "people", "items": "", "years": "years", "%": "%"}}
_OPS = {"/": "/", "÷": "/", "−": "−", "-": "−"}


def number(value: float) -> str:
    """12 → '12', 7.954 → '7.95', 1234567 → '1,234,567'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


# the Chinese names of the currencies a client's documents state amounts in; another keeps its ISO code
CURRENCY_ZH = {"CNY": "元", "USD": "美元", "HKD": "港元", "EUR": "欧元", "GBP": "英镑", "JPY": "日元", "SGD": "新加坡元"}


def money_zh(value: float, unit: str) -> str:
    """120800000 CNY → '1.208亿元'; 6200000 → '620万元'; 4500000 USD → '450万美元'; a currency without a Chinese name
    here keeps its code ('450万 CHF')."""
    suffix = CURRENCY_ZH.get(unit, f" {unit}")
    if abs(value) >= 1e8:
        return f"{_trim(value / 1e8, 4)}亿{suffix}"
    if abs(value) >= 1e4:
        return f"{_trim(value / 1e4, 2)}万{suffix}"
    return f"{number(value)}{suffix}"


_ISO_DATE = re.compile(r"(?<![\d-])((?:19|20)\d\d)-(\d\d)(?:-(\d\d))?(?![\d-])")


def date_zh(text: str) -> str:
    """ISO dates written the Chinese way: '2023-12-12' → '2023年12月12日', '2019-03' → '2019年3月'."""
    return _ISO_DATE.sub(lambda m: f"{m[1]}年{int(m[2])}月" + (f"{int(m[3])}日" if m[3] else ""), text)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def date_en(text: str) -> str:
    """ISO dates written out in English: '2023-12-12' → '12 December 2023', '2020-06' → 'June 2020'."""
    def spelled(m: re.Match[str]) -> str:
        month = int(m[2])
        if not 1 <= month <= 12:
            return m[0]
        return (f"{int(m[3])} " if m[3] else "") + f"{_MONTHS[month - 1]} {m[1]}"
    return _ISO_DATE.sub(spelled, text)


def date_text(text: str, lang: str) -> str:
    """ISO dates in `text` written as the answer's language writes them."""
    return date_zh(text) if lang == "zh" else date_en(text)


def _trim(value: float, digits: int) -> str:
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def value_text(fact: Fact, lang: str) -> str:
    """The value with its unit, without the period."""
    value, unit = fact.value, fact.unit
    if fact.field == "region" and isinstance(value, str) and value:
        return region_text(value, lang)  # '中国 > 广东省 > 深圳市' / 'China > Guangdong > Shenzhen'
    if isinstance(value, dict):
        return record_text(value, lang, fact.quote)
    if fact.field == "investors":  # names as legal names, with the short name the cited sentence uses
        names = value if isinstance(value, (tuple, list)) else (value,)
        return ("、" if lang == "zh" else ", ").join(as_written(str(v), fact.quote, lang) for v in names)
    if fact.field in LABEL_FIELDS and lang == "zh":  # a taxonomy's label by its Chinese name ("Industrials": 工业与硬科技)
        labels = value if isinstance(value, (tuple, list)) else (value,)
        return "、".join(label_text(v, lang) for v in labels)
    if fact.field in ("entity_type", "certifications"):  # coded forms in words; a certification in the answer's language
        forms = value if isinstance(value, (tuple, list)) else (value,)
        return ("、" if lang == "zh" else ", ").join(value_name(v, lang) for v in forms)
    if fact.field in SET_FIELDS and isinstance(value, (tuple, list)):  # the risks stated to have happened, by name
        names = [field_name(v if v == "first_time_borrower" else f"risk.{v}", lang) for v in value]
        return ("、" if lang == "zh" else ", ").join(names) or ("无" if lang == "zh" else "none")
    if isinstance(value, (tuple, list)):
        return ("、" if lang == "zh" else ", ").join(record_text(v, lang, fact.quote) if isinstance(v, dict) else str(v)
                                                     for v in value)
    if isinstance(value, bool):  # a yes/no fact ("risk.overdue_debt": stated absent) in words, not True / False
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if not isinstance(value, (int, float)):
        shown = f"{value} {unit}".strip() if unit else str(value)
        return date_text(shown, lang)
    if lang == "zh" and unit and unit.isupper() and len(unit) == 3:
        return money_zh(float(value), unit)
    shown = _UNIT.get(lang, {}).get(unit, unit)
    if shown == "%":
        return f"{number(value)}%"
    if lang == "zh":
        return f"{number(value)}{shown}"
    return f"{number(value)} {shown}".strip()


RECORD_PARTS = {"zh": {"name": "", "stage": "轮次", "date": "日期", "amount": "金额", "lead": "领投", "co_investors": "跟投",
                  "number": "编号",
                  "issued": "发证日期", "valid_years": "有效期（年）", "expires": "到期", "renewal_opens": "重新认定窗口起", "issuer": "批准机关",
                  "use": "用途："},
           "en": {"name": "", "stage": "round", "date": "date", "amount": "amount", "lead": "led by", "co_investors": "with",
                  "number": "no.", "issued": "issued", "valid_years": "valid (years)", "expires": "expires",
                  "renewal_opens": "renewal window opens", "issuer": "issued by", "use": "use of funds:"}}


def record_text(record: dict[str, object], lang: str, quote: str = "") -> str:
    """A structured value (a funding round, a certificate) as words: its known parts, never raw keys; a
    round's investors by legal name, with the short name the `quote` (its cited sentence) uses."""
    names = RECORD_PARTS["zh" if lang == "zh" else "en"]
    parts = []
    for key, label in names.items():
        v = record.get(key)
        if v in (None, "", [], ()):
            continue
        currency = str(record.get("currency") or "")
        if key == "amount" and isinstance(v, (int, float)) and currency:  # a round's amount in its currency
            shown = money_zh(float(v), currency) if lang == "zh" else f"{number(v)} {currency}"
        elif key == "valid_years":  # "有效期3年" / "valid for 3 years", not "有效期（年）3"
            parts.append(f"有效期{number(v)}年" if lang == "zh" else f"valid for {number(v)} years")  # type: ignore[arg-type]
            continue
        elif key == "name" and lang != "zh":  # a certificate's Chinese name by its English one
            shown = value_name(v, lang)
        elif key == "use" and lang == "zh":  # "用途：年产200吨产线建设", not "用途：用于…"
            shown = re.sub(r"^(?:拟|计划|將|将|主要)?用于", "", str(v))
        elif key == "stage" and record.get("status") == "planned":  # a round still to come is never shown as raised
            shown = f"{v}（计划中）" if lang == "zh" else f"{v} (planned)"
        elif key in ("lead", "co_investors") and isinstance(v, (list, tuple)):
            shown = ("、" if lang == "zh" else ", ").join(as_written(str(n), quote, lang) for n in v)
            if key == "co_investors" and not record.get("lead"):  # no lead named: they are the investors, not followers
                label = "投资方" if lang == "zh" else "investors:"
        else:
            shown = ("、" if lang == "zh" else ", ").join(map(str, v)) if isinstance(v, (list, tuple)) else \
                number(v) if isinstance(v, float) else str(v)
        parts.append(f"{label}{date_zh(shown)}" if lang == "zh" else f"{label} {date_en(shown)}".strip())
    state = _certificate_state(record, lang)
    return ("，" if lang == "zh" else ", ").join([*parts, *([state] if state else [])])


def _certificate_state(record: dict[str, object], lang: str) -> str:
    """A certificate's state today, read from its expiry and renewal window ("2026-12-11", or a month "2025-12": then
    from the month's first day, erring early): expired, or in its renewal window; '' while valid or unknown."""
    def day(value: object) -> date | None:
        text = str(value or "")
        try:
            return date.fromisoformat(text) if len(text) == 10 else date.fromisoformat(f"{text}-01") if len(text) == 7 else None
        except ValueError:
            return None

    expires, opens, today = day(record.get("expires")), day(record.get("renewal_opens")), date.today()
    if expires is not None and today > expires:
        return "已过期，需重新认定" if lang == "zh" else "expired: re-recognition needed"
    if opens is not None and today >= opens:
        return "已进入重新认定窗口期" if lang == "zh" else "in its renewal window"
    return ""


def period_text(as_of: str | None, lang: str) -> str:
    """'2023' → '2023年度' / 'FY2023'; a date stays a date ('截至2023-12-31' / 'as of 2023-12-31')."""
    if not as_of:
        return ""
    if re.fullmatch(r"\d{4}", as_of):
        return f"{as_of}年度" if lang == "zh" else f"FY{as_of}"
    return f"截至{date_zh(as_of)}" if lang == "zh" else f"as of {date_en(as_of)}"


def derivation(fact: Fact, lang: str) -> str:
    """' = 研发费用 960万元 / 营业收入 1.208亿元' for a derived fact with two inputs; '' otherwise."""
    if fact.method == "derived" and fact.inputs and all(isinstance(i.value, bool) for i in fact.inputs):
        # a summary of yes/no facts (risk signals, credit record): each one it read, listed, not a formula
        listed = [f"{field_name(i.field, lang)} {value_text(i, lang)}" for i in fact.inputs]
        return f"，依据：{'、'.join(listed)}" if lang == "zh" else f"; from: {', '.join(listed)}"
    scalar = [i for i in fact.inputs if isinstance(i.value, (int, float, str)) and i.field != fact.field]
    if fact.method != "derived" or not scalar or len(scalar) != len(fact.inputs):
        return ""  # a value picked from structured records (the latest funding round) is shown as it is
    parts = [f"{field_name(i.field, lang)} {value_text(i, lang)}" + _period_suffix(i, fact, lang) for i in scalar]
    if len(parts) == 1:
        return f"，依据{parts[0]}" if lang == "zh" else f"; from {parts[0]}"
    # a total of its parts (its quote "sum", or the parts' quotes joined by " + ") adds; otherwise the formula's operator
    op = "+" if fact.quote == "sum" or " + " in fact.quote else next((_OPS[c] for c in fact.quote if c in _OPS), "/")
    tail = " − 1" if re.search(r"[−-]\s*1\s*$", fact.quote) else ""
    return " = " + f" {op} ".join(parts) + tail


def _period_suffix(inp: Fact, derived: Fact, lang: str) -> str:
    """An input from another period than the result names it ('营业收入 8,145万元（2022年度）'); an English
    amount of a million or more also in millions, as the result is ('2,800,000 USD (2.8 million, FY2022)')."""
    notes = [n for n in (scaled_en(inp) if lang != "zh" else "",
                         period_text(inp.as_of, lang) if inp.as_of and inp.as_of != derived.as_of else "") if n]
    if not notes:
        return ""
    return f"（{'，'.join(notes)}）" if lang == "zh" else f" ({', '.join(notes)})"


def fact_text(fact: Fact, lang: str) -> str:
    """'7.95%（2023年度）= 研发费用 960万元 / 营业收入 1.208亿元' / '7.95% (FY2023) = R&D expense …'; an
    English amount of a million or more also in millions, as English readers scan it ('4,500,000 USD
    (4.5 million, FY2023)'); Chinese amounts are already in 万 / 亿."""
    head = value_text(fact, lang)
    notes = [n for n in (scaled_en(fact) if lang != "zh" else "", written_note(fact, lang),
                         period_text(fact.as_of, lang)) if n]
    if notes:
        head += f"（{'，'.join(notes)}）" if lang == "zh" else f" ({', '.join(notes)})"
    return head + derivation(fact, lang)


# an amount as a document writes it with a scale word or its abbreviation: "$4.5M", "1.3亿元", "USD 1.2 million", "5,000万"
_WRITTEN_AMOUNT = re.compile(r"(?<![\d.,A-Za-z])((?:[$¥￥]|(?:USD|RMB|CNY|EUR|HKD)\s?)?\d[\d,]*(?:\.\d+)?\s?"
                             r"(?:万|亿|million\b|billion\b|mn\b|bn\b|[MK]\b)(?:元|美元|人民币|港元|欧元)?)")
_WRITTEN_SCALE = {"万": 1e4, "亿": 1e8, "million": 1e6, "billion": 1e9, "mn": 1e6, "bn": 1e9, "M": 1e6, "K": 1e3}


def written_note(fact: Fact, lang: str) -> str:
    """The amount as the cited sentence writes it, when it writes it in the other language's notation ("450万美元" of
    "Revenue … was $4.5M": "原文$4.5M"; "130,000,000 CNY" of "营业收入1.3亿元": "as written 1.3亿元"), so the figure is
    checked against its document at a glance; '' when the sentence writes it in the answer's own notation, or in bare
    digits (a table)."""
    value = fact.value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value or not fact.quote \
            or not (fact.unit and fact.unit.isupper() and len(fact.unit) == 3):
        return ""
    for m in _WRITTEN_AMOUNT.finditer(fact.quote):
        written = m.group(1).strip()
        digits = re.search(r"\d[\d,]*(?:\.\d+)?", written)
        scale = re.search(r"万|亿|million|billion|mn|bn|M|K", written[digits.end():] if digits else "")
        if digits is None or scale is None:
            continue
        amount = float(digits.group(0).replace(",", "")) * _WRITTEN_SCALE[scale.group(0)]
        other_notation = (scale.group(0) in ("万", "亿")) != (lang == "zh")  # the scale of the other language's notation
        if other_notation and abs(amount - float(value)) <= 1e-6 * abs(float(value)):
            return f"原文{written}" if lang == "zh" else f"as written {written}"
    return ""


def scaled_en(fact: Fact) -> str:
    """'4.5 million' / '1.25 billion' for a money amount of a million or more (a 3-letter currency unit); '' otherwise."""
    value, unit = fact.value, fact.unit
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (unit and unit.isupper() and len(unit) == 3):
        return ""
    if abs(value) >= 1e9:
        return f"{_trim(value / 1e9, 3)} billion"
    if abs(value) >= 1e6:
        return f"{_trim(value / 1e6, 3)} million"
    return ""
