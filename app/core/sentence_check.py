"""One sentence of a model's answer, checked before it may be streamed.

It passes when it cites a passage it was shown ([n]), shows no injection cue, carries no link that
is neither in its passages nor on the allow-list (and none that is not http(s)), and every number,
named entity and universal word ("every", "所有") in it occurs in the passages it cites. A failure
says its kind: a claim `uncited` or `unsupported` by its passages (CLAIMS: the answer cannot be
trusted), `injection` or `link` (the sentence is left out, the rest may stand)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from app.core.grounding import normal, strip_links, unsupported

_MARK = re.compile(r"\[(\d+)\]")
_UNIVERSAL = re.compile(r"\b(?:every|everyone|everybody|all|always|guaranteed?|unconditional(?:ly)?|automatically)\b"
                        r"|所有|任何|一律|全部|均可|均符合|无条件|保证|自动获得", re.IGNORECASE)
CLAIMS = frozenset({"uncited", "unsupported"})
_LEAD_IN = re.compile(r"[:：]\s*$")
_WORDS = re.compile(r"[A-Za-z\u4e00-\u9fff0-9]")


@dataclass(frozen=True)
class SentenceVerdict:
    kind: str  # "" (it passes) | "empty" | "uncited" | "unsupported" | "injection" | "link"
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.kind == ""


def cited(sentence: str, passages: Mapping[int, str]) -> list[int]:
    return [int(n) for n in _MARK.findall(sentence) if int(n) in passages]


def check_sentence(sentence: str, passages: Mapping[int, str], allowed_hosts: Collection[str],
                   flagged: Callable[[str], tuple[str, ...]]) -> SentenceVerdict:
    body = _MARK.sub("", sentence).strip()
    if not _WORDS.search(body):
        return SentenceVerdict("empty")
    why = flagged(body)
    if why:
        return SentenceVerdict("injection", f"instruction-like ({', '.join(why)}): {sentence.strip()}")
    own = cited(sentence, passages)
    if not own:
        kind = "empty" if _LEAD_IN.search(body) else "uncited"
        return SentenceVerdict(kind, f"cites no passage: {sentence.strip()}")
    evidence = "\n".join(passages[n] for n in own)
    cleaned, removed = strip_links(sentence, evidence, allowed_hosts)
    missing = unsupported(cleaned, evidence) + universal_words(cleaned, evidence)
    if missing:  # checked first: a false claim discredits the answer, a bad link only its sentence
        return SentenceVerdict("unsupported", f"not in its passages ({', '.join([*missing[:5], *removed])}): "
                                              f"{sentence.strip()}")
    if removed:
        return SentenceVerdict("link", f"link not in its passages ({', '.join(removed)}): {sentence.strip()}")
    return SentenceVerdict("")


def universal_words(sentence: str, evidence: str) -> list[str]:
    """Words that claim something of everyone or for sure, absent from the evidence."""
    ev = normal(evidence).lower()
    found = dict.fromkeys(m.group(0).lower() for m in _UNIVERSAL.finditer(normal(sentence)))
    return [w for w in found if not re.search(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w), ev)]
