"""A program's benefits (the catalog's `benefits`: its amount, rate, term, sizing, collateral …) as
sentences in Chinese or English ("最高额度：5,000万元。", "Interest rate: 年化3.2%起."). They are part of the
program's passage, so a question about a program's terms ("投贷联动的额度能批到多少", "what rate does the
talent loan charge", a follow-up "利率大概多少？") is answered and cited from the program's own card like
any other sentence. The words for each key are in app/data/benefit_labels.yaml; the unit comes from the
key's suffix (_cny, _usd, _eur, _months, _pct, _years)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, RootModel

from app.core.fact_text import money_zh, number
from app.core.page_rank import statements_asked
from app.core.textnorm import index_form
from app.core.yaml_data import parse_yaml

LABELS_FILE = Path(__file__).resolve().parents[1] / "data" / "benefit_labels.yaml"
_CURRENCIES = {"cny": "CNY", "usd": "USD", "eur": "EUR"}
_UNITS = {"months": {"zh": "个月", "en": "months"}, "years": {"zh": "年", "en": "years"}, "pct": {"zh": "%", "en": "%"},
          "ratio": {"zh": "%", "en": "%"}}  # a ratio benefit is stated in percent (additional_deduction_ratio: 100)
_YES = {"zh": ("是", "否"), "en": ("yes", "no")}


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid")
    zh: str
    en: str
    asked: list[str] = []  # the words a question asks for this benefit by ("利息", "tenor")
    # the nouns naming the money this benefit is ("award", "资助"): asked with a word asking an amount in the same
    # sentence ("the typical maximum Phase I award", "补助金额是多少", "grant上限多少欧")
    nouns: list[str] = []


class Labels(RootModel[dict[str, Label]]):
    pass


@lru_cache(maxsize=1)
def _labels() -> dict[str, Label]:
    return parse_yaml(LABELS_FILE.read_text(encoding="utf-8"), Labels, str(LABELS_FILE)).root


def benefit_label(key: str, lang: str) -> str:
    """The benefit's name in `lang`; a key the file does not list, read from its own words."""
    label = _labels().get(key)
    if label is not None:
        return label.zh if lang == "zh" else label.en
    words = [w for w in key.split("_") if w not in _CURRENCIES and w not in _UNITS]
    return " ".join(words or [key])


# compounds holding a term's word that name something else: a certificate's validity, a firm's costs or interest
_NOT_TERMS = re.compile(r"有效期限|有效期|营业成本|研发成本|人工成本|生产成本|利息费用|利息支出|利息收入|\bcost of (?:revenue|sales|goods)\b|"
                        r"\bhow long\b(?=[^?.!]*\bvalid)")  # "how long is the certificate valid": a validity


def benefits_asked(question: str, benefits: dict[str, object]) -> list[str]:
    """The keys of the program's `benefits` the question asks for by the words `asked` lists for them
    (Chinese anywhere in the question's index form, English as whole words); none when the question names a
    line of a firm's statements or a compound that only holds a term's word (有效期限, 营业成本)."""
    text = _NOT_TERMS.sub(" ", index_form(question))
    if statements_asked(question):  # a statement line named (利息费用, 营业成本, cost of revenue): a figure of the firm's
        return []
    stated = {k: v for k, v in benefits.items() if v not in (None, "", [], {})}
    by_name = [k for k in stated if _own_names(k) and _any_word(text, _own_names(k))]  # asked by the name an answer
    # gives it ("the guarantee fee", 担保费率); that name is no other term's word (费率 of 担保费率 is no interest rate)
    for key in by_name:
        for name in _own_names(key):
            text = re.sub(re.escape(index_form(name)), " ", text)
    out = []
    for key, value in stated.items():
        label = _labels().get(key)
        if key in by_name:
            out.append(key)
            continue
        if label is None:
            continue
        if _named(text, label) or isinstance(value, dict) and any(
                (part := _labels().get(str(k))) is not None and _named(text, part) for k in value):
            out.append(key)  # (a tiered benefit is asked when one of its tiers is: "A级能批多少", "an A-rated taxpayer")
    if set(out) & _CAPPED and "max_amount_cny" not in out and benefits.get("max_amount_cny") and _AMOUNT.search(text) \
            and not _SHARE_ASKED.search(text):
        out.append("max_amount_cny")  # how much a subsidy stated as a share gives ("贴多少"): its share, and its cap
    return out


# subsidies stated as a share of what the firm pays, and the words asking an amount of them
_CAPPED = frozenset({"interest_subsidy", "subsidy"})
_AMOUNT = re.compile(r"多少(?!比例|比率)|\bhow much\b")  # (几成, 按多少比例, percentage: the share alone is asked)
_SHARE_ASKED = re.compile(r"比例|比率|几成|\b(?:percent(?:age)?|share|ratio)\b")


def _own_names(key: str) -> list[str]:
    """The names an answer gives the term, in either language, that are specific enough to ask it by: two English words
    or more ("guarantee fee", "board seat"), three Chinese characters or more (担保费率, 董事会席位); a shorter one
    ("rate", "金额", 跟投) is asked by its `asked` words only."""
    return [n for n in (benefit_label(key, "zh"), benefit_label(key, "en"))
            if (len(n) >= 3 if re.search(r"[\u4e00-\u9fff]", n) else len(n.split()) >= 2)]


def _named(text: str, label: Label) -> bool:
    """One of the words `asked` lists for the label in the question's index form `text` (Chinese anywhere, English as a
    whole word, Chinese may touch it: "投幾大張ticket"), or one of its `nouns` in a sentence asking an amount."""
    return _any_word(text, label.asked) or bool(label.nouns) and any(
        _AMOUNT_ASKED.search(part) and _any_word(part, label.nouns) for part in _SENTENCES.split(text))


def _any_word(text: str, words: list[str]) -> bool:
    return any(w in text if re.search(r"[\u4e00-\u9fff]", w)
               else re.search(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", text) for w in map(index_form, words))


# the words asking an amount, and the marks ending a sentence (index form: "？" is "?")
_AMOUNT_ASKED = re.compile(r"多少|几多|最高|最多|上限|封顶|金额|(?<![a-z0-9])(?:how much|max(?:imum)?|up to|cap|size|ceiling|"
                           r"how big|how large)(?![a-z0-9])")
_SENTENCES = re.compile(r"[?!;。！？；]+|(?<![0-9])\.(?![0-9])")


def _unit(key: str) -> str:
    """The last part of the key when it names a currency or a unit ("max_amount_cny" → "cny")."""
    last = key.rsplit("_", 1)[-1]
    if last in _CURRENCIES or last in _UNITS:
        return last
    # a unit before a qualifier: "award_usd_typical_max" is in USD
    return next((p for p in key.split("_") if p in _CURRENCIES), "")


def _amount(value: float, unit: str, lang: str) -> str:
    if unit in _CURRENCIES:
        code = _CURRENCIES[unit]
        return money_zh(value, code) if lang == "zh" else f"{number(value)} {code}"
    if unit in _UNITS:
        shown = _UNITS[unit][lang]
        return f"{number(value)}{shown}" if lang == "zh" or shown == "%" else f"{number(value)} {shown}"
    return number(value)


def _value(value: object, unit: str, lang: str) -> str:
    if isinstance(value, bool):
        return _YES[lang][0 if value else 1]
    if isinstance(value, (int, float)):
        return _amount(float(value), unit, lang)
    if isinstance(value, (list, tuple)):
        if len(value) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            return f"{_value(value[0], unit, lang)} – {_value(value[1], unit, lang)}"
        return ("、" if lang == "zh" else ", ").join(_value(v, unit, lang) for v in value)
    if isinstance(value, dict):
        sep, colon = ("，", "：") if lang == "zh" else (", ", ": ")
        return sep.join(f"{benefit_label(str(k), lang)}{colon}{_value(v, unit, lang)}" for k, v in value.items())
    return str(value)


def benefit_sentences(benefits: dict[str, object], lang: str) -> list[str]:
    """One sentence per benefit, in `lang` ("zh" or "en"): its name and its value with the key's unit."""
    lang = "zh" if lang == "zh" else "en"
    out = []
    for key, value in benefits.items():
        if value in (None, "", [], {}):
            continue
        label, shown = benefit_label(key, lang), _value(value, _unit(key), lang)
        out.append(f"{label}：{shown}。" if lang == "zh" else f"{label[:1].upper()}{label[1:]}: {shown}.")
    return out


def with_benefits(text: str, benefits: dict[str, object], lang: str) -> str:
    """The program's own text followed by its benefits' sentences."""
    lines = benefit_sentences(benefits, lang)
    return "\n".join([text.strip(), *lines]).strip() if lines else text.strip()
