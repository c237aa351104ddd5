"""Matching: which programs can this firm get, how well do they fit, and why.

For each program of the requested kinds the caller may see (`hidden`: other tenants' programs,
skipped before anything else, so they never rank, vote or take a top-k place):
1. Availability: a program outside its validity dates, or whose jurisdiction does not cover the
   firm's region (the jurisdiction tree: a Nanshan firm can use Nanshan, Shenzhen, Guangdong and
   national programs), is excluded, with the reason kept. A firm whose region is unknown is not
   excluded; the area becomes an unknown criterion instead.
2. Eligibility: every criterion is evaluated (app/core/eligibility.py). Status: any hard criterion
   unmet → `ineligible`; all hard criteria met → `eligible`; otherwise `likely` when at least as
   many hard criteria are met as unknown, else `unknown`. A program stating no criteria is `likely`.
3. Relevance R in 0..1: the hybrid relevance of the program's text to the firm's text, and where
   programs carry labels (agency, sector, a fund's thesis) the evidence for the program's label:
   R = (1 − λ)·fit + λ·L(label), λ = `label_weight`. L is the label's vote share among the most
   relevant programs (app/core/label_vote.py); when a shipped taxonomy describes the catalog's
   labels, L = (1 − μ)·share + μ·P(label | firm text) from that taxonomy's classifier.
4. Score in 0..1:  score = w_e·E + (1 − w_e)·R, with E = (met + ½·unknown) / hard criteria
   (0 when ineligible, ½ when the program states none) and w_e = `eligibility_weight`.
Questions come from the unknown hard criteria (app/data/questions.yaml), one per field.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from app.core.eligibility import Verdict, evaluate, verdict
from app.core.jurisdiction import as_path, load_regions, region_path
from app.core.label_vote import VoteConfig, vote
from app.core.match_text import explain, questions_for
from app.core.profile import EnterpriseProfile, build_profile
from app.core.types import Criterion, Fact, Program
from app.core.verdict_text import reason

Relevance = Callable[[str], list[tuple[str, float]]]  # firm text → (program id, 0..1), best first
LabelModel = Callable[[str], dict[str, float]]  # firm text → probability of each catalog label


@dataclass(frozen=True)
class Match:
    program: Program
    score: float
    status: str  # eligible | likely | ineligible | unknown
    verdicts: tuple[Verdict, ...]
    relevance: float
    fit: float
    label_share: float
    explanation: str
    questions: tuple[str, ...]

    @property
    def kind(self) -> str:
        return self.program.kind


@dataclass(frozen=True)
class Excluded:
    program: Program
    reason: str


@dataclass(frozen=True)
class MatchResult:
    matches: tuple[Match, ...]
    excluded: tuple[Excluded, ...]
    profile: EnterpriseProfile


@dataclass
class Matcher:
    programs: Sequence[Program]
    relevance: Relevance | None = None
    today: date | None = field(default_factory=date.today)  # None: validity dates are not checked
    eligibility_weight: float = 0.5
    label_weight: float = 0.6
    vote: VoteConfig = field(default_factory=lambda: VoteConfig(k=20, decay=0.9, prior_alpha=0.5))
    label_model: LabelModel | None = None  # a shipped taxonomy of the catalog's labels, when there is one
    label_model_weight: float = 0.7
    hidden: Collection[str] = frozenset()  # ids of programs the caller may not see: never ranked, voted or shown

    def match(self, profile: EnterpriseProfile, text: str = "", kinds: Sequence[str] | None = None, k: int = 10,
              overrides: Mapping[str, object] | None = None) -> MatchResult:
        if overrides:
            profile = apply_overrides(profile, overrides, self.today)
        firm = _firm_region(profile)
        candidates, excluded = [], []
        for p in self.programs:
            if p.id in self.hidden or (kinds and p.kind not in kinds):
                continue
            reason = unavailable(p, firm, self.today)
            if reason:
                excluded.append(Excluded(p, reason))
            else:
                candidates.append(p)
        fit, shares = self._relevance(text, candidates)
        relevance = sorted(((self._r(p, fit, shares), p) for p in candidates), key=lambda x: (-x[0][0], x[1].id))
        memo: dict[object, Verdict] = {}  # catalogs repeat their clauses: judge each once per request
        matches: list[Match] = []
        best: list[float] = []  # min-heap of the k best scores so far
        for (r, f, share), p in relevance:
            if len(best) >= k and self.eligibility_weight + (1 - self.eligibility_weight) * r < best[0]:
                break  # even full eligibility could not lift this (or any less relevant) program into the top k
            m = self._match(p, profile, firm, r, f, share, memo)
            matches.append(m)
            if len(best) < k:
                heapq.heappush(best, m.score)
            else:
                heapq.heappushpop(best, m.score)
        matches.sort(key=lambda m: (-m.score, -m.relevance, m.program.id))
        # words only for what is returned: explaining thousands of programs would cost more than ranking them
        top = [replace(m, explanation=explain(m.program, m.status, m.verdicts, m.relevance),
                       questions=tuple(questions_for(m.program, m.verdicts))) for m in matches[:k]]
        return MatchResult(tuple(top), tuple(excluded), profile)

    def _relevance(self, text: str, candidates: list[Program]) -> tuple[dict[str, float], dict[str, float]]:
        if not self.relevance or not text.strip():
            return {}, {}
        allowed = {p.id for p in candidates}
        ranked = [(pid, s) for pid, s in self.relevance(text) if pid in allowed]
        labels = {p.id: p.label for p in candidates if p.label}
        shares = dict(vote(ranked, labels, self.vote)) if labels else {}
        if labels and self.label_model is not None:
            model = self.label_model(text)
            w = self.label_model_weight
            shares = {lab: (1 - w) * shares.get(lab, 0.0) + w * model.get(lab, 0.0) for lab in set(labels.values())}
        return dict(ranked), shares

    def _r(self, p: Program, fit: dict[str, float], shares: dict[str, float]) -> tuple[float, float, float]:
        """(R, fit, label share) of a program: R = (1 − λ)·fit + λ·L(label)."""
        f, share = fit.get(p.id, 0.0), shares.get(p.label or "", 0.0)
        lam = self.label_weight if p.label and self.relevance else 0.0
        return (1 - lam) * f + lam * share, f, share

    def _match(self, p: Program, profile: EnterpriseProfile, firm: tuple[str, ...], r: float, fit: float, share: float,
               memo: dict[object, Verdict]) -> Match:
        verdicts = (*_area_verdict(p.jurisdiction, firm), *(_judge(c, profile, p.jurisdiction, memo) for c in p.criteria))
        status, e = eligibility(verdicts)
        score = self.eligibility_weight * e + (1 - self.eligibility_weight) * r
        return Match(p, round(score, 4), status, verdicts, round(r, 4), round(fit, 4), round(share, 4), "", ())


def eligibility(verdicts: Sequence[Verdict]) -> tuple[str, float]:
    hard = [v for v in verdicts if v.criterion.hard and v.verdict != "not_applicable"]
    met = sum(v.verdict == "met" for v in hard)
    unknown = sum(v.verdict == "unknown" for v in hard)
    if any(v.verdict == "unmet" for v in hard):
        return "ineligible", 0.0
    if not hard:
        return "likely", 0.5
    e = (met + 0.5 * unknown) / len(hard)
    if unknown == 0:
        return "eligible", e
    return ("likely" if met >= unknown else "unknown"), e


def unavailable(p: Program, firm: tuple[str, ...], today: date | None) -> str | None:
    if today and p.valid_to and p.valid_to < today.isoformat():
        return f"expired on {p.valid_to}"
    if today and p.valid_from and p.valid_from > today.isoformat():
        return f"opens on {p.valid_from}"
    if firm and p.jurisdiction and not load_regions().covers(_path(p.jurisdiction), firm):
        return f"outside its area: program in {' > '.join(p.jurisdiction)}, firm in {' > '.join(firm)}"
    return None


def _path(jurisdiction: tuple[str, ...]) -> tuple[str, ...]:
    """The tree's own path for a program's area (catalogs may write a shorter form)."""
    return region_path(jurisdiction[-1]) or jurisdiction


def _firm_region(profile: EnterpriseProfile) -> tuple[str, ...]:
    return as_path(profile.value("region"))


def _judge(c: Criterion, profile: EnterpriseProfile, home: tuple[str, ...], memo: dict[object, Verdict]) -> Verdict:
    try:
        key: object = (c, home)
        hit = memo.get(key)
    except TypeError:  # a criterion holding a list is not hashable: judge it every time
        return evaluate(c, profile, home)
    if hit is None:
        hit = memo[key] = evaluate(c, profile, home)
    return hit


@lru_cache(maxsize=4096)
def _area_verdict(area: tuple[str, ...], firm: tuple[str, ...]) -> tuple[Verdict, ...]:
    """The program's area as its first criterion (met: the firm is inside; unknown: no location)."""
    if not area:
        return ()
    # no source text: the catalog's area is no clause of the program's text, so nothing is quoted
    c = Criterion(field="region", op="in", value=(area[-1],), hard=True, extractor="catalog")
    if not firm:
        return (verdict(c, "unknown", None, reason("area.unknown", area=area)),)
    return (verdict(c, "met", None, reason("area.met", firm=firm, area=area)),)


def apply_overrides(profile: EnterpriseProfile, overrides: Mapping[str, object], today: date | None = None) -> EnterpriseProfile:
    """What-if: the given fields take the given values (method `user`); derived fields are recomputed
    (ages as of `today`)."""
    facts: list[Fact] = []
    for name, fv in profile.fields.items():
        if name in overrides:
            continue
        facts += [c for c in fv.candidates if c.method != "derived"]
    for name, raw in overrides.items():
        value, unit = (raw.get("value"), str(raw.get("unit") or "")) if isinstance(raw, dict) else (raw, _unit(profile, name))
        v = tuple(value) if isinstance(value, list) else value
        facts.append(Fact(field=name, value=v, unit=unit, quote=f"what-if: {name} = {value}", method="user",
                          confidence=1.0, source_type="user"))
    rebuilt = build_profile(profile.enterprise_id, facts, profile.name, today)
    return replace(rebuilt, name=profile.name)


def _unit(profile: EnterpriseProfile, name: str) -> str:
    fv = profile.fields.get(name)
    if fv is not None:
        return fv.chosen.unit
    return {"rd_expense_ratio": "%", "rd_staff_ratio": "%", "revenue_growth": "%", "years_since_founding": "years"}.get(name, "")
