"""Does a profile answer address the attribute the question asks about? Decided by meaning.

The intent classifier reads a question's whole form, so two questions alike in form but for different
attributes ("what was its revenue in 2023?" / "what was its net profit in 2023?") may bring a close
runner-up field group along with the one asked. A second, narrower reading compares the
question with the *names* of the profile's fields (each in English and Chinese,
app/core/field_names.py) under the same embedding model: a field group answers the question when
one of its fields is named about as closely as the closest field of all (within `margin` cosine).
When the router answers two groups (a close runner-up), a group another field is clearly closer than
is dropped, so a firm that lacks the field asked gets "not in its documents", not a neighbouring
figure. A single group is never overruled: on the intent probe (eval/data/intent_probe.jsonl, tuning
half) re-aiming a lone group by the names alone turned 4 of 64 right profile decisions wrong."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence

import numpy as np

from app.core.field_names import field_name
from app.core.fields import kind_of
from app.core.funding import ROUND_NAMED
from app.core.glossary import contains, load_glossary
from app.core.ports import Vectors
from app.core.textnorm import index_form

# a financial statement named: the document a figure is read from, whose name holds a field's ("利润表": 利润)
STATEMENT_NAMES = re.compile(r"利润表|利潤表|损益表|損益表|资产负债表|資產負債表|现金流量表|現金流量表|"
                              r"\b(?:income statements?|balance sheets?|cash[- ]flow statements?|p&l|"
                              r"profit and loss(?: statements?)?)\b", re.IGNORECASE)
MARGIN = 0.03  # cosine: e5 compresses cosines, a field named more closely by this much is another attribute
LANGS = ("en", "zh")


def field_labels(fields: Sequence[str]) -> list[tuple[str, str]]:
    """(field, its name) for every field in each language, each name once per field."""
    out: list[tuple[str, str]] = []
    for f in dict.fromkeys(fields):
        for label in dict.fromkeys(field_name(f, lang) for lang in LANGS):
            out.append((f, label))
    return out


def closeness(question: Vectors, labels: Vectors, owners: Sequence[str]) -> dict[str, float]:
    """Each field's closeness to the question: the best cosine of its names (vectors normalised)."""
    sims = np.asarray(labels) @ np.asarray(question).reshape(-1)
    out: dict[str, float] = {}
    for f, s in zip(owners, map(float, sims)):
        out[f] = max(out.get(f, -1.0), s)
    return out


def aimed(close: dict[str, float], answered: Sequence[str], group_of: dict[str, str],
          margin: float = MARGIN) -> tuple[str, ...]:
    """The answered fields whose group (a profile intent's fields: revenue with its growth) holds a
    field named within `margin` of the field the question names most closely; () when none does.
    Fields the check does not know (outside `close`) are kept."""
    if not close:
        return tuple(answered)
    best = max(close.values())
    group_best: dict[str, float] = {}
    for f, s in close.items():
        g = group_of.get(f, f)
        group_best[g] = max(group_best.get(g, -1.0), s)
    return tuple(f for f in answered if f not in close or group_best[group_of.get(f, f)] >= best - margin)


class FieldAim:
    """The field names' vectors, embedded once (`vectors`: a caller may back it with a disk cache)."""

    def __init__(self, groups: Sequence[Sequence[str]], embed_query: Callable[[list[str]], Vectors],
                 vectors: Callable[[list[str]], Vectors] | None = None, margin: float = MARGIN) -> None:
        """`groups`: the fields of each profile intent, answered together."""
        self.group_of = {f: str(i) for i, g in enumerate(groups) for f in g}
        self.labels = field_labels(list(self.group_of))
        self.embed_query = embed_query
        self._vectors = vectors or embed_query
        self.margin = margin
        self._label_vectors: Vectors | None = None
        self._lock = threading.Lock()

    def label_vectors(self) -> Vectors:
        with self._lock:
            if self._label_vectors is None:
                self._label_vectors = self._vectors([label for _, label in self.labels])
            return self._label_vectors

    def closest(self, phrase: str, fields: Sequence[str] | None = None) -> float:
        """The best cosine of `phrase` to the names of `fields` (None: of every field); 1.0 when the
        check knows none of them (nothing to hold it against)."""
        close = closeness(self.embed_query([phrase])[0], self.label_vectors(), [f for f, _ in self.labels])
        keep = close.keys() if fields is None else set(fields) & close.keys()
        return max((close[f] for f in keep), default=1.0)

    def aimed(self, question: str, answered: Sequence[str]) -> tuple[str, ...]:
        """Of two or more field groups chosen, those that name the attribute asked (see `aimed`
        above); one group, or none of several naming it, is left as chosen: the classifier reads a
        question's wording better than a field's short name does ("registration number" is the
        credit code, not the registered location), so the names only choose among its picks. Of
        the amounts left, only those named about as closely as the closest (`one_amount`)."""
        several_groups = len({self.group_of.get(f, f) for f in answered}) >= 2
        if not several_groups and sum(kind_of(f) == "money" for f in answered) < 2:
            return tuple(answered)
        read = STATEMENT_NAMES.sub(" ", question)  # "跟利润表对得上吗": the statement is where, not the net profit
        read = ROUND_NAMED.sub(round_named, read)  # "how big was its Series A?": the round, by the funding fields' name
        close = closeness(self.embed_query([read])[0], self.label_vectors(), [f for f, _ in self.labels])
        chosen = (aimed(close, answered, self.group_of, self.margin) or tuple(answered)) if several_groups \
            else tuple(answered)
        # an amount the question names outright stays ("2023年的净利润和总资产分别是多少？": both lines asked by name), and
        # decides over the names' closeness ("去年赚了多少钱" names the net profit, however near "how much" is the assets)
        named = [f for f in chosen if kind_of(f) == "money" and named_outright(read, f)]
        kept = [f for f in chosen if kind_of(f) != "money"] + named if named else one_amount(close, chosen, self.margin)
        return tuple(f for f in chosen if f in kept)


def round_named(match: re.Match[str]) -> str:
    """A funding round named by its stage ("Series A", "A轮") read as what it is, a funding round: the stage is a value of
    the funding fields, not their name, and "how big was its Series A?" read by the names alone is nearest the total
    assets ("how big")."""
    return "融资轮次" if _CJK.search(match.group(0)) else "funding round"


_CJK = re.compile(r"[\u3400-\u9fff]")


def named_outright(question: str, field: str) -> bool:
    """The question names the field by its own name in either language, or by a name the glossary gives the same
    concept (总资产 for 资产总额)."""
    norm = index_form(question)
    names = {field_name(field, lang) for lang in LANGS}
    for entry in load_glossary().entries:
        if names & set(entry):
            names |= set(entry)
    return any(contains(norm, index_form(n)) for n in names)


def one_amount(close: dict[str, float], answered: Sequence[str], margin: float = MARGIN) -> tuple[str, ...]:
    """The answered fields less the amounts of money (lines of one statement: total assets, net
    profit) named farther than `margin` from the closest amount: a group answers its fields together,
    but "what was its net profit?" asks for one line, not the assets beside it. Derived ratios and
    counts are kept (they show their inputs); fields the check does not know are kept."""
    amounts = [f for f in answered if kind_of(f) == "money" and f in close]
    if len(amounts) < 2:
        return tuple(answered)
    best = max(close[f] for f in amounts)
    return tuple(f for f in answered if f not in amounts or close[f] >= best - margin)
