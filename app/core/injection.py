"""Prompt injection in documents, found by structure and by meaning: documents are data, never
instructions, so a sentence that talks to the assistant is never quoted, never a fact's source and
never a criterion.

Two kinds of evidence (app/data/injection.yaml):
- cues, which need no model: instructions to ignore or override rules, role words and chat-template
  markers, address to an assistant / AI / model, links that run code. A cue flags its sentence, and
  an override or role cue also flags the rest of its line (the payload of "ignore the above; …").
- meaning: a sentence that passes the gate (weak evidence such as second person, AI words, universal
  eligibility claims, links) is classified by a softmax regression over zh/en exemplars of
  injections and of benign look-alikes (app/core/exemplar_model.py), under the product's embedding
  model. Only a model that reads both languages is asked (a hashing fake is not: cues alone).
Model verdicts are remembered per sentence, so a passage read again costs nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from app.core.exemplar_model import ExemplarModel
from app.core.injection_spec import InjectionSpec, load_injection
from app.core.ports import Embedder, Vectors
from app.core.sentences import sentence_spans

TAINTING = frozenset({"override", "role"})  # cues whose sentence carries a payload after it
MEMO = 8192


@dataclass(frozen=True)
class Flag:
    start: int
    end: int
    sentence: str
    reasons: tuple[str, ...]  # cue kinds, "model", or "follows" (after an override on its line)


def cues(sentence: str, spec: InjectionSpec | None = None) -> tuple[str, ...]:
    """The kinds of structural cue the sentence shows, in the data file's order."""
    spec = spec or load_injection()
    return tuple(dict.fromkeys(kind for kind, pattern in spec.cues if pattern.search(sentence)))


def gated(sentence: str, spec: InjectionSpec | None = None) -> bool:
    spec = spec or load_injection()
    return any(p.search(sentence) for p in spec.gate)


class InjectionDetector:
    def __init__(self, embedder: Embedder | None = None, spec: InjectionSpec | None = None,
                 vectors: Callable[[list[str]], Vectors] | None = None) -> None:
        self.spec = spec or load_injection()
        self.embedder = embedder if embedder is not None and embedder.multilingual else None
        self._vectors = vectors or (self.embedder.embed_query if self.embedder is not None else None)
        self._model: ExemplarModel | None = None
        self._memo: dict[str, float] = {}
        self._lock = threading.Lock()

    @property
    def uses_model(self) -> bool:
        return self._vectors is not None

    def warm_up(self) -> None:
        with self._lock:
            if self._model is not None or self._vectors is None:
                return
            texts = [*self.spec.injection, *self.spec.benign]
            owner = np.asarray([1] * len(self.spec.injection) + [0] * len(self.spec.benign))
            self._model = ExemplarModel.fit(self._vectors(texts), owner, 2)

    def probabilities(self, sentences: Sequence[str]) -> list[float]:
        """The model's injection probability per sentence (0.0 without a model)."""
        if self._vectors is None:
            return [0.0] * len(sentences)
        known = {s: self._memo[s] for s in sentences if s in self._memo}
        fresh = list(dict.fromkeys(s for s in sentences if s not in known))
        if fresh:
            self.warm_up()
            assert self._model is not None
            found = dict(zip(fresh, map(float, self._model.probabilities(self._vectors(fresh))[:, 1])))
            self._remember(found)
            known.update(found)
        return [known[s] for s in sentences]

    def _remember(self, found: dict[str, float]) -> None:
        memo = self._memo if len(self._memo) + len(found) <= MEMO else {}
        self._memo = {**memo, **found}  # replaced, never changed under a reader

    def classify(self, sentence: str) -> tuple[str, ...]:
        """Why one sentence is an injection, as a unit (empty: it is not)."""
        flags = self.flags_many([sentence], whole=True)[0]
        return flags[0].reasons if flags else ()

    def flags(self, text: str) -> list[Flag]:
        return self.flags_many([text])[0]

    def flags_many(self, texts: Sequence[str], whole: bool = False) -> list[list[Flag]]:
        """The flagged sentences of each text (`whole`: each text is one sentence). The model reads
        the gated sentences without a cue of all texts in one batch."""
        spans = [[(0, len(t), t)] if whole else sentence_spans(t) for t in texts]
        found = [[(s, e, sent, cues(sent, self.spec)) for s, e, sent in one] for one in spans]
        ask = [sent for one in found for _, _, sent, why in one if not why and gated(sent, self.spec)] if self.uses_model else []
        score = dict(zip(ask, self.probabilities(ask)))
        return [self._flags(text, one, score) for text, one in zip(texts, found)]

    def _flags(self, text: str, found: list[tuple[int, int, str, tuple[str, ...]]], score: dict[str, float]) -> list[Flag]:
        out: list[Flag] = []
        taint_end = -1  # a tainting cue flags what follows it up to the end of its line
        for start, end, sent, why in found:
            reasons = why or (("model",) if score.get(sent, 0.0) >= self.spec.threshold else ())
            if not reasons and 0 <= taint_end and "\n" not in text[taint_end:start]:
                reasons = ("follows",)
            if reasons:
                out.append(Flag(start, end, sent, reasons))
            if TAINTING & set(why):
                taint_end = end
            elif "\n" in text[max(taint_end, 0):start]:
                taint_end = -1
        return out


@lru_cache(maxsize=1)
def rule_detector() -> InjectionDetector:
    """Cues alone: for pure functions called without the product's detector."""
    return InjectionDetector(None)


def overlaps(span: tuple[int, int] | None, flags: Sequence[Flag]) -> bool:
    if span is None:
        return False
    return any(f.start < span[1] and span[0] < f.end for f in flags)


def redact(text: str, flags: Sequence[Flag], mark: str = "[…]") -> str:
    """The text with its flagged sentences replaced by `mark` (what an LLM may read of it)."""
    out, pos = [], 0
    for f in sorted(flags, key=lambda f: f.start):
        out += [text[pos : f.start], mark]
        pos = f.end
    return "".join(out) + text[pos:]
