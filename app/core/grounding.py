"""A model's answer checked sentence by sentence against the passages it cites, and its links.

A sentence stays when every number and every named entity in it occurs in its passages (those it
cites with [n]; an uncited sentence: any cited passage), and it shows no injection cue. A link
stays only when it is http(s) and either occurs in the text of its passages as given to the model
(flagged sentences already removed) or its host is on the allow-list; markdown links become their
text. What is dropped is listed, so the caller can say so or fall back to the grounded answer."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.core.injection import rule_detector

_MARK = re.compile(r"\[(\d+)\]")
_SENTENCE = re.compile(r"[^。！？!?\n]*?(?:[。！？]+|[.!?]+(?=\s|$)|\n|$)(?:\s*\[\d+\])*")
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\(\s*([^)\s]*)[^)]*\)")
_URL = re.compile(r"(?<![A-Za-z0-9+.-])(?:(?:https?|ftp|file|javascript|vbscript|data):(?://)?|www\.)"
                  r"[^\s<>\"'()\[\]，。；、）\u4e00-\u9fff]+", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_EN_ENTITY = re.compile(r"\b(?:[A-Z]{2,}[A-Za-z0-9]*|[A-Z][a-z0-9]+(?:[-&][A-Z]?[a-z0-9]+)*)\b")
_ZH_ENTITY = re.compile(r"《[^》]{1,40}》|“[^”]{2,40}”|[\u4e00-\u9fff]{2,16}?(?:有限公司|公司|银行|集团|基金|委员会|管理局|研究院|大学|局|厅)")
_ZH_SUFFIX = re.compile(r"(?:有限公司|公司|银行|集团|基金|委员会|管理局|研究院|大学|局|厅)$")
_COMMON = frozenset("""I A An The This That These Those It Its In On At For And Or But If As By To Of With From Not No Yes
Eligible Likely Unknown Not Found Here There Please Note See Under Per According Based Their They We Our You Your
RMB CNY USD EUR HKD Q1 Q2 Q3 Q4 January February March April May June July August September October November December
Chinese English China""".split())  # noqa: SIM905 (a word list reads better as text)
SAFE_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Checked:
    text: str
    dropped: tuple[str, ...]  # sentences removed, with the reason
    links_removed: tuple[str, ...]


def normal(text: str) -> str:
    """Full-width forms folded, thousands separators dropped: how figures are compared."""
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"(?<=\d),(?=\d{3})", "", folded)


def answer_sentences(text: str) -> list[str]:
    """The answer's sentences, each with the [n] marks that follow it."""
    return [m.group(0) for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def unsupported(sentence: str, evidence: str) -> list[str]:
    """The numbers and named entities of the sentence that the evidence does not contain."""
    body = normal(_MARK.sub(" ", _URL.sub(" ", sentence)))
    ev = normal(evidence)
    ev_lower = ev.lower()
    missing = [n for n in _NUMBER.findall(body) if n not in ev]
    words = _EN_ENTITY.findall(body)
    first = re.match(r"\W*([A-Za-z][\w-]*)", body)
    for w in words:
        if w in _COMMON or (first and w == first.group(1) and w.lower() in ev_lower) or w.lower() in ev_lower:
            continue
        if first and w == first.group(1) and not w.isupper():
            continue  # a capital at the start of the sentence is no name
        missing.append(w)
    for e in _ZH_ENTITY.findall(body):
        if not _zh_present(e, ev):
            missing.append(e)
    return missing


def _zh_present(entity: str, evidence: str) -> bool:
    if entity[0] in "《“":
        return entity[1:-1] in evidence
    suffix = _ZH_SUFFIX.search(entity)
    core = len(suffix.group(0)) + 2 if suffix else 4
    return any(entity[i:] in evidence for i in range(max(len(entity) - core, 0) + 1))


def strip_links(sentence: str, evidence: str, allowed_hosts: Collection[str]) -> tuple[str, list[str]]:
    """The sentence with its links made inert: markdown links become their text, and a URL stays
    only when it is http(s) and in the evidence or on an allowed host."""
    removed: list[str] = []

    def keep(url: str) -> bool:
        parts = urlsplit(url if "://" in url or ":" in url.split("/")[0] else f"http://{url}")
        ok = parts.scheme.lower() in SAFE_SCHEMES and (url in evidence or (parts.hostname or "") in allowed_hosts)
        if not ok:
            removed.append(url)
        return ok

    def markdown(m: re.Match[str]) -> str:
        label, url = m.group(1).strip(), m.group(2)
        return f"{label} ({url})" if url and keep(url) else label

    out = _MD_LINK.sub(markdown, sentence)
    out = _URL.sub(lambda m: m.group(0) if keep(m.group(0)) else "", out)
    return re.sub(r"[ \t]{2,}", " ", out), removed


def check_answer(text: str, passages: Mapping[int, str], allowed_hosts: Collection[str] = ()) -> Checked:
    """`passages`: the text each [n] stood for, as the model was shown it."""
    cited_all = sorted({int(n) for n in _MARK.findall(text) if int(n) in passages})
    kept: list[str] = []
    dropped: list[str] = []
    links: list[str] = []
    for sentence in answer_sentences(text):
        own = [int(n) for n in _MARK.findall(sentence) if int(n) in passages]
        evidence = "\n".join(passages[n] for n in (own or cited_all))
        if rule_detector().classify(_MARK.sub("", sentence)):
            dropped.append(f"instruction-like: {sentence.strip()}")
            continue
        cleaned, removed = strip_links(sentence, evidence, allowed_hosts)
        links += removed
        missing = unsupported(cleaned, evidence)
        if missing:
            dropped.append(f"not in its passages ({', '.join(missing[:5])}): {sentence.strip()}")
            continue
        kept.append(cleaned)
    return Checked("".join(kept).strip(), tuple(dropped), tuple(links))

