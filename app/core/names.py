"""Which documents a query names: rare words of titles and file names (company names, tickers)."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.core.textnorm import index_form

_WORD = re.compile(r"[a-z][a-z0-9&]{2,}|[\u4e00-\u9fff]{2,}")
_GENERIC = frozenset(
    ["report", "annual", "quarterly", "earnings", "form", "inc", "corp", "corporation", "company", "ltd", "limited", "group", "holdings", "plan", "policy", "notice", "overview", "summary", "document", "draft", "final", "version", "page", "pdf", "docx", "html", "text", "10q", "10k", "8k", "有限公司", "公司", "集团", "通知", "报告", "办法", "条例", "规定"]
)


def name_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(index_form(re.sub(r"[_\-.]", " ", text))) if w not in _GENERIC}


@dataclass
class NameIndex:
    """word -> documents whose title or source carries it, for words in few documents only."""

    by_word: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, docs: Iterable[tuple[str, str, str]], max_share: float = 0.05) -> NameIndex:
        words_of = {doc_id: name_words(f"{title} {source.rsplit('/', 1)[-1]}") for doc_id, title, source in docs}
        counts = Counter(w for words in words_of.values() for w in words)
        limit = max(3, int(len(words_of) * max_share))
        index: dict[str, set[str]] = {}
        for doc_id, words in words_of.items():
            for w in words:
                if counts[w] <= limit:
                    index.setdefault(w, set()).add(doc_id)
        return cls(index)

    @classmethod
    def per_tenant(cls, docs: Iterable[tuple[str, str, str, str]], max_share: float = 0.05) -> NameIndex:
        """(doc id, title, source, tenant): each tenant's documents (and the public ones) counted
        among themselves, so whether a word names a bank's document never depends on what another
        bank holds (shared counts would let a bank probe for a client's name)."""
        groups: dict[str, list[tuple[str, str, str]]] = {}
        for doc_id, title, source, tenant in docs:
            groups.setdefault(tenant, []).append((doc_id, title, source))
        merged: dict[str, set[str]] = {}
        for group in groups.values():
            for word, ids in cls.build(group, max_share).by_word.items():
                merged.setdefault(word, set()).update(ids)
        return cls(merged)

    def documents_named_in(self, query: str) -> set[str]:
        found: set[str] = set()
        norm = index_form(query)
        words = _WORD.findall(norm)
        for word in words + [a + b for a, b in itertools.pairwise(words)]:  # "best buy" names "BESTBUY_..."
            found |= self.by_word.get(word, set())
        for word, docs in self.by_word.items():  # Chinese names inside longer runs
            if not word.isascii() and word in norm:
                found |= docs
        return found
