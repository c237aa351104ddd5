"""A firm's funding history from its round facts: rounds merged across documents, then derived
facts: the latest completed stage, the total raised (completed rounds only), the months since the
last completed round, and the next planned round.

Rounds are the same round when they name the same stage and status. Two completed rounds of one
stage with amounts more than 1% apart are a conflict (the better source wins, both are kept); a
planned round never conflicts with anything and never counts as raised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from app.core.types import Fact

STAGE_ORDER = ["seed", "angel", "pre-A", "A", "B", "C", "D+", "growth", "IPO"]
FX_FILE = Path(__file__).resolve().parents[1] / "data" / "fx.yaml"
Rank = Callable[[Fact], Any]


@lru_cache(maxsize=1)
def _cny_per_unit() -> dict[str, float]:
    data = yaml.safe_load(FX_FILE.read_text(encoding="utf-8"))
    return {str(k): float(v) for k, v in data["cny_per_unit"].items()}


def _key(f: Fact) -> tuple[str, str]:
    v = f.value if isinstance(f.value, dict) else {}
    return str(v.get("stage")), str(v.get("status"))


def _amount(f: Fact) -> float | None:
    v = f.value if isinstance(f.value, dict) else {}
    return float(v["amount"]) if isinstance(v.get("amount"), (int, float)) else None


def _differ(a: Fact, b: Fact) -> bool:
    x, y = _amount(a), _amount(b)
    return x is not None and y is not None and (a.unit != b.unit or abs(x - y) > 0.01 * max(x, y))


def merge_rounds(facts: list[Fact], rank: Rank) -> tuple[list[Fact], bool]:
    """One fact per round (the best-ranked telling, its gaps filled from the others) and whether
    completed rounds disagree on an amount."""
    by_round: dict[tuple[str, str], list[Fact]] = {}
    done = {stage for stage, status in map(_key, facts) if status == "completed"}
    for f in facts:
        stage, status = _key(f)
        if status == "planned" and stage in done:
            continue  # a round a plan said was coming and another document says was closed: it happened
        by_round.setdefault(_key(f), []).append(f)
    rounds, conflict = [], False
    for (_, status), tellings in by_round.items():
        best = max(tellings, key=rank)
        merged = dict(best.value) if isinstance(best.value, dict) else {}
        for other in sorted(tellings, key=rank, reverse=True):
            for k, v in (other.value.items() if isinstance(other.value, dict) else ()):
                if merged.get(k) in (None, "", []) and v not in (None, "", []):
                    merged[k] = v
        conflict |= status == "completed" and any(_differ(best, t) for t in tellings)
        rounds.append(replace(best, value=merged))
    return sorted(rounds, key=_order), conflict


def _order(f: Fact) -> tuple[int, str]:
    stage, _ = _key(f)
    return (STAGE_ORDER.index(stage) if stage in STAGE_ORDER else -1, str(f.as_of or ""))


def derive_funding(rounds: list[Fact], today: date) -> list[Fact]:
    done = [r for r in rounds if _key(r)[1] == "completed"]
    planned = [r for r in rounds if _key(r)[1] == "planned"]
    out: list[Fact] = []
    if done:
        latest = max(done, key=_order)
        out.append(_derived("funding_stage", _key(latest)[0], "", "latest completed round", (latest,)))
        total = _total(done)
        if total:
            out.append(_derived("funding_raised", total[0], total[1], "sum of completed rounds", tuple(done)))
        dated = [r for r in done if r.as_of]
        if dated:
            last = max(dated, key=lambda r: str(r.as_of))
            out.append(_derived("months_since_last_round", _months(str(last.as_of), today), "months",
                                f"{today.isoformat()} − {last.as_of}", (last,)))
    if planned:
        nxt = min(planned, key=_order)
        out.append(_derived("funding_planned_stage", _key(nxt)[0], "", "next planned round", (nxt,)))
    return out


def _total(done: list[Fact]) -> tuple[float, str] | None:
    amounts = [(a, r.unit) for r in done if (a := _amount(r)) is not None and r.unit]
    if not amounts:
        return None
    units = [u for _, u in amounts]
    currency = max(set(units), key=units.count)
    rates = _cny_per_unit()
    if any(u != currency and (u not in rates or currency not in rates) for u in units):
        return None
    return round(sum(a * rates.get(u, 1.0) / rates.get(currency, 1.0) if u != currency else a for a, u in amounts), 2), currency


def _months(when: str, today: date) -> int:
    year, month = int(when[:4]), int(when[5:7]) if len(when) >= 7 else 6  # a bare year: mid-year
    return max(0, (today.year - year) * 12 + today.month - month)


def _derived(name: str, value: object, unit: str, formula: str, inputs: tuple[Fact, ...]) -> Fact:
    return Fact(field=name, value=value, unit=unit, quote=formula, method="derived",
                confidence=min(f.confidence for f in inputs), inputs=inputs,
                as_of=max((str(f.as_of) for f in inputs if f.as_of), default=None))
