"""Verdict wording: one template per comparison and language (zh / en), filled from the numbers.

A verdict keeps *why* it came out as it did as a `Reason` (a template key and its arguments, the
raw values), not as a sentence; `verdict_text(verdict, lang)` writes it in either language. A
numeric reason states the actual relation of the firm's value to the program's threshold (below,
equal, above: computed from the numbers, never read off the operator), so a sentence can only be
true: "revenue 48,000,000 CNY is below the required 50,000,000 CNY" / "营业收入4,800万元，低于要求的5,000万元".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from app.core.field_names import field_name, value_name
from app.core.label_names import LABEL_FIELDS, label_text

EPS = 1e-9
LANGS = ("en", "zh")

# comparison operator → relation of the value to the threshold → template
COMPARE: dict[str, dict[str, dict[str, str]]] = {
    ">=": {"en": {"below": "{f} {v} is below the required {t}", "equal": "{f} {v} meets the required {t}",
                  "above": "{f} {v} is above the required {t}"},
           "zh": {"below": "{f}{v}，低于要求的{t}", "equal": "{f}{v}，达到要求的{t}", "above": "{f}{v}，高于要求的{t}"}},
    ">": {"en": {"below": "{f} {v} is below {t}; more than {t} is required",
                 "equal": "{f} {v} equals {t}; more than {t} is required", "above": "{f} {v} is above the required {t}"},
          "zh": {"below": "{f}{v}，低于{t}，要求超过{t}", "equal": "{f}{v}，等于{t}，要求超过{t}",
                 "above": "{f}{v}，超过要求的{t}"}},
    "<=": {"en": {"below": "{f} {v} is within the maximum of {t}", "equal": "{f} {v} is at the maximum of {t}",
                  "above": "{f} {v} is above the maximum of {t}"},
           "zh": {"below": "{f}{v}，未超过上限{t}", "equal": "{f}{v}，恰好达到上限{t}", "above": "{f}{v}，超过上限{t}"}},
    "<": {"en": {"below": "{f} {v} is below the limit of {t}", "equal": "{f} {v} equals {t}; less than {t} is required",
                 "above": "{f} {v} is above the limit of {t}"},
          "zh": {"below": "{f}{v}，低于上限{t}", "equal": "{f}{v}，等于{t}，要求低于{t}", "above": "{f}{v}，超过上限{t}"}},
    "==": {"en": {"below": "{f} {v} is below the required {t}", "equal": "{f} {v} equals the required {t}",
                  "above": "{f} {v} is above the required {t}"},
           "zh": {"below": "{f}{v}，低于要求的{t}", "equal": "{f}{v}，等于要求的{t}", "above": "{f}{v}，高于要求的{t}"}},
}
# every other reason: key → language → template
TEMPLATES: dict[str, dict[str, str]] = {
    "missing": {"en": "no {f} in the profile", "zh": "档案中没有{f}"},
    "not_a_number": {"en": "{f} is not a number ({v})", "zh": "{f}不是数值（{v}）"},
    "no_rate": {"en": "cannot compare {have} with {want}", "zh": "无法比较{have}与{want}"},
    "exists.met": {"en": "{f}: {v}", "zh": "{f}{v}"},
    "exists.unmet": {"en": "no {f} ({v})", "zh": "没有{f}（{v}）"},
    "set.in.met": {"en": "{f}: {have}, as required ({want})", "zh": "{f}为{have}，符合要求（{want}）"},
    "set.in.unmet": {"en": "{f}: {have}, not among the required {want}", "zh": "{f}为{have}，不在要求的{want}之列"},
    "set.not_in.met": {"en": "{f}: {have}, none of the excluded {want}", "zh": "{f}为{have}，不属于排除的{want}"},
    "set.not_in.unmet": {"en": "{f}: {have}, among the excluded {want}", "zh": "{f}为{have}，属于排除的{want}"},
    "set.not_found": {"en": "{want} not found among {have}", "zh": "{have}中未见{want}"},
    "set.exists.met": {"en": "{f}: {have}", "zh": "{f}为{have}"},
    "set.exists.unmet": {"en": "no {f}", "zh": "没有{f}"},
    "set.bad_op": {"en": "operator {op} does not apply to {f}", "zh": "运算符{op}不适用于{f}"},
    "region.in.met": {"en": "located in {firm}, inside {want}", "zh": "注册地{firm}，位于{want}范围内"},
    "region.in.unmet": {"en": "located in {firm}, outside {want}", "zh": "注册地{firm}，不在{want}范围内"},
    "region.not_in.met": {"en": "located in {firm}, outside the excluded {want}", "zh": "注册地{firm}，不在排除的{want}范围内"},
    "region.not_in.unmet": {"en": "located in {firm}, inside the excluded {want}", "zh": "注册地{firm}，位于排除的{want}范围内"},
    "region.unknown_area": {"en": "region {want} is not in the jurisdiction tree", "zh": "地区{want}不在行政区划表中"},
    "area.met": {"en": "located in {firm}, inside the program's area ({area})", "zh": "注册地{firm}，在适用地区（{area}）内"},
    "area.unknown": {"en": "the program's area is {area}; the firm's location is not in the profile",
                     "zh": "适用地区为{area}，档案中没有企业注册地"},
    "tier.not_applicable": {"en": "tier does not apply: {inner}", "zh": "不适用该档：{inner}"},
    "tier.unknown": {"en": "which tier applies is unknown ({fields})", "zh": "无法确定适用哪一档（{fields}）"},
    "any_of.hit": {"en": "{inner}", "zh": "{inner}"},
    "any_of.none": {"en": "none of the alternatives holds", "zh": "所列条件均不满足"},
}
_UNIT_ZH = {"persons": "人", "items": "项", "years": "年", "%": "%", "": ""}
_CURRENCY_ZH = {"USD": "美元", "EUR": "欧元", "HKD": "港元", "GBP": "英镑", "SGD": "新加坡元", "JPY": "日元"}


@dataclass(frozen=True)
class Reason:
    """Why a verdict came out as it did: a template key, its raw arguments and, for tiers and
    alternatives, the reason of the condition that decided."""

    key: str
    args: tuple[tuple[str, object], ...] = ()
    inner: Reason | None = None

    def arg(self, name: str) -> object:
        return dict(self.args).get(name)


class HasReason(Protocol):
    @property
    def why(self) -> Reason | None: ...

    @property
    def reason(self) -> str: ...


def reason(key: str, inner: Reason | None = None, **args: object) -> Reason:
    return Reason(key, tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in args.items()), inner)


def relation(value: float, threshold: float) -> str:
    """'below', 'equal' or 'above': what the numbers are, whatever the operator asked."""
    if abs(value - threshold) < EPS:
        return "equal"
    return "below" if value < threshold else "above"


def verdict_text(verdict: HasReason, lang: str = "en") -> str:
    """The verdict's reason in `lang` ('zh' or 'en'; anything else reads as English)."""
    if verdict.why is None:
        return verdict.reason
    return render(verdict.why, lang)


def render(r: Reason, lang: str = "en") -> str:
    lang = lang if lang in LANGS else "en"
    a = dict(r.args)
    f = field_name(str(a.get("field", "")), lang)
    if r.key == "compare":
        op = str(a["op"])
        value, threshold = float(a["compared"]), float(a["threshold"])  # type: ignore[arg-type]
        template = COMPARE[op][lang][relation(value, threshold)]
        shown = amount(float(a["value"]), str(a["unit"]), lang) + _converted(a.get("converted"), str(a["tunit"]), lang)  # type: ignore[arg-type]
        return template.format(f=f, v=shown, t=amount(threshold, str(a["tunit"]), lang))
    have, want = a.get("have"), a.get("want")
    if a.get("field") == "funding_stage":  # a stage code as the round's name ("A" → "A轮" / "Series A")
        have, want = _rounds(have, lang), _rounds(want, lang)
    if a.get("field") == "entity_type":  # a coded legal form in words
        have, want = _named_values(have, lang), _named_values(want, lang)
    if a.get("field") in LABEL_FIELDS:  # taxonomy labels by their Chinese names in a Chinese reason
        have, want = _labels(have, lang), _labels(want, lang)
    words = {"f": f, "op": a.get("op", ""), "v": _shown(a.get("value"), str(a.get("unit") or ""), lang),
             "have": listed(have, lang), "want": listed(want, lang),
             "firm": place(a.get("firm"), lang), "area": place(a.get("area"), lang), "fields": listed([field_name(str(x), lang) for x in a.get("fields") or ()], lang),  # type: ignore[attr-defined]
             "inner": render(r.inner, lang) if r.inner is not None else ""}
    return TEMPLATES[r.key][lang].format(**words)


def _labels(values: object, lang: str) -> object:
    if values is None:
        return None
    items = values if isinstance(values, Sequence) and not isinstance(values, str) else [values]
    return [label_text(v, lang) for v in items]


def _named_values(values: object, lang: str) -> object:
    if values is None:
        return None
    items = values if isinstance(values, Sequence) and not isinstance(values, str) else [values]
    return [value_name(v, lang) for v in items]


def _rounds(values: object, lang: str) -> object:
    from app.core.funding import round_name  # the stage names live with the rounds' reading

    if values is None:
        return None
    items = values if isinstance(values, Sequence) and not isinstance(values, str) else [values]
    return [round_name(str(v), lang) for v in items]


def amount(x: float, unit: str, lang: str) -> str:
    """48000000, CNY → '48,000,000 CNY' (en) or '4,800万元' (zh); 12.5, % → '12.5%'."""
    if unit == "%":
        return f"{_num(x)}%"
    if lang != "zh":
        one = {"years": "year", "persons": "person", "items": "item"}.get(unit) if x == 1 else None
        return f"{_num(x)} {one or unit}".strip()  # "1 year", not "1 years"
    if unit == "CNY":
        if abs(x) >= 1e8:
            return f"{_num(x / 1e8)}亿元"
        return f"{_num(x / 1e4)}万元" if abs(x) >= 1e4 else f"{_num(x)}元"
    if unit in _CURRENCY_ZH:
        return f"{_num(x)}{_CURRENCY_ZH[unit]}"
    return f"{_num(x)}{_UNIT_ZH.get(unit, unit)}"


def _converted(x: object, unit: str, lang: str) -> str:
    if x is None:
        return ""
    shown = amount(float(x), unit, lang)  # type: ignore[arg-type]
    return f"（按参考汇率约合{shown}）" if lang == "zh" else f" (≈ {shown} at reference rates)"


def _shown(value: object, unit: str, lang: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return amount(float(value), unit, lang)
    return "" if value is None else str(value)


def _num(x: float) -> str:
    """1000000 → '1,000,000'; 4.5 → '4.5'; 4800.0 → '4,800'."""
    return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}".rstrip("0").rstrip(".")


def listed(values: object, lang: str) -> str:
    if values is None:
        return ""
    items = [str(v) for v in values] if isinstance(values, Sequence) and not isinstance(values, str) else [str(values)]
    # each once, whatever its case: a criterion's own words and its taxonomy labels may repeat ("AI", "ai")
    unique: dict[str, str] = {}
    for item in items:
        unique.setdefault(item.casefold(), item)
    return ("、" if lang == "zh" else ", ").join(unique.values())


def place(path: object, lang: str) -> str:
    """('中国', '广东省', '深圳市') → '中国 > 广东省 > 深圳市' (en) or '广东省深圳市' (zh)."""
    parts = [str(p) for p in path] if isinstance(path, Sequence) and not isinstance(path, str) else [str(path or "")]
    if lang != "zh":
        return " > ".join(parts)
    return "".join(parts[1:] if len(parts) > 1 and parts[0] == "中国" else parts)
