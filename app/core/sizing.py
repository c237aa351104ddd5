"""A loan sized as a share of one of the client's own figures ("一般不超过最近一轮股权融资额的30%", "up to 20% of last
year's revenue"): the amount that rule gives the client, with its inputs, capped by the product's maximum.

A program's `sizing` (or `basis`) benefit states the rule in words, as a tax relief may ("研发费用按实际发生额的100%在税前
加计扣除": the extra deduction the client's R&D expense gives). The rule is read when it names a share (a percentage)
of a base the profile holds: the client's latest completed funding round, its latest year's revenue or R&D expense.
A rule with no percentage ("按近两年纳税额的一定倍数核定") or of a base the profile does not hold gives nothing: the
answer then states the rule alone, as before."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from app.core.fact_text import money_zh, number
from app.core.profile import EnterpriseProfile
from app.core.types import Fact

# what the share is of: the client's latest completed equity round, or its revenue for the latest year
_BASES = (
    ("round", re.compile(r"(?:最近|上|最新|近)一[轮輪](?:股权|股權)?融资?(?:额|額|金额|金額)?|"
                         r"(?:最近|上|最新)一?[轮輪](?:股权|股權)?融资(?:额|額|金额|金額)?|"
                         r"\b(?:the |its |their )?(?:latest|last|most recent|previous) (?:equity |priced )?(?:funding |financing )?round\b",
                         re.IGNORECASE)),
    ("revenue", re.compile(r"(?:上|近一|最近一|上一)?年度?(?:的)?(?:营业收入|營業收入|销售收入|銷售收入|营收|營收)|"
                           r"\b(?:last year's |the prior year's |annual |its |their )?(?:revenue|sales|turnover)\b",
                           re.IGNORECASE)),
    # a deduction or subsidy stated as a share of the R&D expense ("研发费用按实际发生额的100%在税前加计扣除")
    ("rd_expense", re.compile(r"研发费用|研發費用|\bR&D (?:expense|expenditure|spend(?:ing)?)s?\b", re.IGNORECASE)),
)
_SHARE = re.compile(r"(\d+(?:\.\d+)?)\s*%")


@dataclass(frozen=True)
class Sized:
    amount: float        # the rule's amount for the client, capped by `cap` when there is one
    currency: str
    share: float         # the percentage the rule names
    base: Fact           # the client's figure it is a share of (cited)
    base_amount: float
    capped: bool         # the product's maximum is lower than the share gives


def sizing_rule(text: str) -> tuple[str, float] | None:
    """(the base, the percentage) a sizing rule names: "一般不超过最近一轮股权融资额的30%" → ("round", 30.0); None
    when it names no percentage of a base this reader knows."""
    for base, pattern in _BASES:
        m = pattern.search(text)
        if m is None:
            continue
        share = _SHARE.search(text, m.end()) or _SHARE.search(text[:m.start()])  # "…融资额的30%", "30% of the last round"
        if share is not None:
            return base, float(share.group(1))
    return None


def sized(text: str, profile: EnterpriseProfile, cap: float | None = None) -> Sized | None:
    """The amount the sizing rule `text` gives the client in `profile`, capped by the product's maximum `cap` (in
    the base's currency only: no conversion is guessed); None when the rule or the client's base is not known."""
    rule = sizing_rule(text)
    if rule is None:
        return None
    base, share = rule
    fact = _latest_round(profile) if base == "round" else _latest(profile, base)
    if fact is None:
        return None
    amount, currency = _amount(fact)
    if amount is None or amount <= 0:
        return None
    value = amount * share / 100
    capped = cap is not None and currency == "CNY" and cap < value
    return Sized(cap if capped and cap is not None else value, currency, share, fact, amount, capped)


def sized_text(s: Sized, lang: str) -> str:
    """"按此口径测算：5,000万元 × 30% = 1,500万元" / "On this basis: 50,000,000 CNY × 30% = 15,000,000 CNY"; the cap
    said when it binds."""
    pct = f"{number(s.share)}%"
    if lang == "zh":
        said = f"按此口径测算：{money_zh(s.base_amount, s.currency)} × {pct} = {money_zh(s.base_amount * s.share / 100, s.currency)}"
        return said + (f"，以最高额度{money_zh(s.amount, s.currency)}为限" if s.capped else "")
    said = f"On this basis: {_money_en(s.base_amount, s.currency)} × {pct} = {_money_en(s.base_amount * s.share / 100, s.currency)}"
    return said + (f", capped at the maximum of {_money_en(s.amount, s.currency)}" if s.capped else "")


def _money_en(value: float, currency: str) -> str:
    return f"{number(value)} {currency}"


def _latest_round(profile: EnterpriseProfile) -> Fact | None:
    """The client's latest completed round with an amount (by its date)."""
    fv = profile.fields.get("funding_rounds")
    if fv is None:
        return None
    rounds: list[tuple[dict[str, object], Fact]] = []
    for f in (fv.chosen, *fv.candidates):  # a fact's value is one round, or the list of them (events)
        for r in f.value if isinstance(f.value, (list, tuple)) else (f.value,):
            if isinstance(r, dict) and r.get("status") == "completed" and isinstance(r.get("amount"), (int, float)):
                rounds.append((r, f))
    if not rounds:
        return None
    latest, fact = max(rounds, key=lambda rf: str(rf[0].get("date") or ""))
    return replace(fact, value=latest)  # the round itself, cited to where its record was read


def _latest(profile: EnterpriseProfile, name: str) -> Fact | None:
    fv = profile.fields.get(name)
    if fv is None:
        return None
    facts = [f for f in (fv.chosen, *fv.candidates) if isinstance(f.value, (int, float))]
    return max(facts, key=lambda f: str(f.as_of or "")) if facts else None


def _amount(fact: Fact) -> tuple[float | None, str]:
    if isinstance(fact.value, dict):
        amount = fact.value.get("amount")
        return (float(amount) if isinstance(amount, (int, float)) else None), str(fact.value.get("currency") or fact.unit or "CNY")
    return (float(fact.value) if isinstance(fact.value, (int, float)) else None), fact.unit or "CNY"
