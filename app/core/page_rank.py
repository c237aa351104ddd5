"""Pages inside the routed documents: once routing has found the filing, which of its hundreds of
pages answers. Two signals join the fused score of each routed candidate, as shares of the best
fused score, scaled by its document's routing weight and the route's confidence:

- the page's shape: the share of its lines that are rows of figures (two numbers or more). A filing
  states its amounts on statement and table pages, and a question asked of a filing mostly asks for
  one; a page's structure says what kind of page it is, whatever words it uses.
- term proximity: the question's adjacent word pairs ("cash flow", "operating activities", "income
  statement") found within a few words of each other, either order, in the candidate chunk, counted
  at its page's best chunk. BM25 scores the words apart; a line item is the words together.
- the statement asked: a question that names a primary statement ("using the balance sheet", 现金流量表)
  or a line item that stands on one (net income, accounts payable, 经营活动现金流; the vocabulary of
  app/data/statement_items.yaml, ratios by their two items) raises the pages that state that statement:
  a page of figure rows whose head carries its title ("Consolidated Balance Sheets", 合并利润表). Each
  filing states its three statements on a few pages among hundreds; words alone rank the notes and
  the MD&A that discuss the same items above them.
- the section asked of: the candidate's section heading ("Item 1. Business", "Item 3. Legal
  Proceedings", "Item 7. Management's Discussion…") against the question, by the embedding model's
  similarity, scaled between the least and the most similar heading among the routed candidates. A
  question about customers, cyclicality or legal battles is about the part of a filing that discusses
  them; the words it shares with every page (the company's name, the year) say nothing of which.
- the page's meaning: the question's vector against the stored vectors of the page's candidate
  chunks (its best), scaled between the least and the most similar candidate page. In the fusion the
  dense score counts as a share of the best dense score over the whole fetched list, where BM25's
  matches on the company's name and the year weigh as much; among the routed pages alone, the spread
  of the model's similarity tells the page that discusses what was asked (legal proceedings, product
  categories, debt) from the pages that only share those words. No model call: the vectors are the
  index's own.

Fitted on the tuning half of financebench-scale (docs/eval/financebench-scale.md), BM25-only first and
confirmed with the dense ranker; on by default (PageWeights).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

from app.core.statement_items import Statement, item_statements, named_ratios
from app.core.textnorm import index_form

_NUMBER = re.compile(r"(?<![\w.])\(?[$€£¥]?\s?\d[\d,]*(?:\.\d+)?%?\)?")
PageKey = tuple[str, int]


@dataclass(frozen=True)
class PageWeights:
    """Shares of the best fused score, fitted on the tuning half of financebench-scale with BM25 and
    routing, then re-checked with the dense ranker (the centre of a flat region of table 0.3-1.2 x
    proximity 0-0.5; page r@5 tune 0.316 -> 0.447, held-out 0.431 -> 0.586; financebench-pages
    unchanged at 0.9). PageWeights(table=0, proximity=0) turns the stage off."""

    table: float = 0.6
    proximity: float = 0.25
    statement: float = 0.6  # a page stating the statement the question asks (tune page r@5 0.355 -> 0.5, flat from 0.6 to 1.0)
    # the section heading nearest the question (tune page r@5 0.500 -> 0.561 flat from 0.3 to 0.6, 0.553 at 0.8;
    # financebench-pages tune 0.667 -> 1.0 from 0.6): 0.6, where both tuning halves are in their flat part
    section: float = 0.6
    # the page's best candidate chunk's vector against the question's (tune page r@5 0.561 -> 0.579 from 0.6
    # to 1.2, 0.605 at 0.9 and 1.0; held-out 0.690 -> 0.655; financebench-pages unchanged). With the page's first chunk
    # in the mix: 0.632, but financebench-pages tune 1.0 -> 0.667 at every weight (docs/eval/financebench-scale.md)
    meaning: float = 1.0
    window: int = 3  # how many words apart a pair may stand and still count as together


@dataclass(frozen=True)
class PageShape:
    """What a page is, read from its text once: the share of rows of figures, the primary statements it states."""

    table: float
    statements: frozenset[Statement] = frozenset()


# A primary statement's title as a page's head spells it once spaces, line breaks and punctuation are
# taken out ("Consolidated Balance Shee t", "CONSOLIDATED\nBALANCE\nSHEETS", "合并资产负债表").
_TITLES: dict[Statement, re.Pattern[str]] = {
    "balance": re.compile(r"(?<!off)balancesheets?|statements?of(?:consolidated)?financial(?:position|condition)|资产负债表|資產負債表"),
    "income": re.compile(r"statements?of(?:consolidated)?(?:operations|income|earnings|profitorloss)|incomestatements?|"
                         r"利润表|利潤表|损益表|損益表"),
    "cash_flow": re.compile(r"statements?of(?:consolidated)?cashflows?|cashflows?statements?|现金流量表|現金流量表"),
}
# A statement named in a question.
_NAMED: dict[Statement, re.Pattern[str]] = {
    "balance": re.compile(r"(?<!off-)(?<!off )\bbalance[- ]sheets?\b|\bstatements? of (?:consolidated )?financial (?:position|condition)\b|资产负债表|資產負債表", re.IGNORECASE),
    "income": re.compile(r"\bincome statements?\b|\bstatements? of (?:consolidated )?(?:operations|income|earnings|profit or loss)\b|"
                         r"\bprofit and loss\b|\bp&l\b|利润表|利潤表|损益表|損益表", re.IGNORECASE),
    "cash_flow": re.compile(r"\bcash[- ]flows? statements?\b|\bstatements? of (?:consolidated )?cash flows?\b|现金流量表|現金流量表", re.IGNORECASE),
}
_HEAD = 300  # characters of a page where its title stands
_TITLE_LINE = 90  # a longer line, or one ending a sentence, is prose, not a title
_STATEMENT_ROWS = 0.3  # a statement page is mostly rows of figures (an index of statements is not)
_NOT_LETTERS = re.compile(r"[^a-z\u3400-\u9fff]+")


def table_share(text: str) -> float:
    """The share of a page's non-empty lines that are rows of figures (two numbers or more)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return 0.0
    return sum(1 for line in lines if len(_NUMBER.findall(line)) >= 2) / len(lines)


def statement_titles(text: str) -> frozenset[Statement]:
    """The primary statements a page states: their titles in its head (short lines, not sentences),
    on a page of figure rows. A page whose head names all three is an index of them, not one."""
    lines = (line.strip() for line in text[:_HEAD].splitlines())
    head = _NOT_LETTERS.sub("", " ".join(line for line in lines if len(line) <= _TITLE_LINE and not line.endswith((".", "。"))).lower())
    found = frozenset(kind for kind, title in _TITLES.items() if title.search(head))
    if not found or len(found) == len(_TITLES) or table_share(text) < _STATEMENT_ROWS:
        return frozenset()
    return found


def statements_asked(question: str) -> frozenset[Statement]:
    """The primary statements a question asks of: those it names, and those its line items stand on
    (the longest name first, so "cash flow from operations" is not also "cash", and no name followed
    by "flow": "free cash flow" and 现金流 are not cash); a standard ratio
    asks for the statements of its two items."""
    text = question.lower()
    asked: set[Statement] = set()
    for kind, named in _NAMED.items():
        if named.search(text):
            asked.add(kind)
            text = named.sub(" ", text)
    zh = index_form(text)
    for kinds, pattern, chinese in _line_names():
        if pattern.search(zh if chinese else text):
            asked |= kinds
            if chinese:
                zh = pattern.sub(" ", zh)
            else:
                text = pattern.sub(" ", text)
    return frozenset(asked)


_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1)
def _line_names() -> tuple[tuple[frozenset[Statement], re.Pattern[str], bool], ...]:
    """Each name of a line item or standard ratio as a pattern, longest first, with the statements it
    asks of and whether it is Chinese (found in the question's index form, anywhere) or English (a
    whole phrase). A name followed by flow (流) is a cash flow, not the name; nor is equity followed by what
    raises it ("the last equity round", "equity financing", "an equity kicker": a round, not the balance sheet)."""
    on = item_statements()
    names: dict[str, frozenset[Statement]] = {name: frozenset({kind}) for name, kind in on.items()}
    for ratio in named_ratios():
        kinds = frozenset({on[index_form(ratio.top)], on[index_form(ratio.bottom)]})
        for name in [*(index_form(z) for z in ratio.zh), *(e.lower() for e in ratio.en)]:
            names.setdefault(name, kinds)
    out = []
    for name, kinds in sorted(names.items(), key=lambda item: -len(item[0])):
        chinese = bool(_CJK.match(name))
        pattern = rf"{re.escape(name)}(?!流)" if chinese else rf"(?<![\w-]){re.escape(name)}(?![\w-])(?!\s+(?:flows?|rounds?|financing|funding|raises?|kickers?|stakes?)\b)"
        out.append((kinds, re.compile(pattern), chinese))
    return tuple(out)


def word_pairs(tokens: Sequence[str]) -> list[tuple[str, str]]:
    """The question's adjacent word pairs (its own tokens, in order), each once."""
    return list(dict.fromkeys((a, b) for a, b in pairwise(tokens) if a != b))


def proximity(pairs: Sequence[tuple[str, str]], tokens: Sequence[str], window: int) -> int:
    """How many of the pairs occur within `window` words of each other, in either order."""
    present = set(tokens)
    pairs = [(a, b) for a, b in pairs if a in present and b in present]
    vocab = {w for pair in pairs for w in pair}
    where: dict[str, set[int]] = {}
    for i, t in enumerate(tokens):
        if t in vocab:
            where.setdefault(t, set()).add(i)
    steps = [d for d in range(-window, window + 1) if d]
    return sum(1 for a, b in pairs if a in where and b in where
               and any(i + d in where[b] for i in where[a] for d in steps))


_PAGE_NUMBER = re.compile(r"\s+\d{1,4}\s*$")


def heading_key(section: str) -> str:
    """A section heading as embedded: its trailing page number dropped ("Item 11. Executive Compensation 142")."""
    return _PAGE_NUMBER.sub("", " ".join(section.split()))


@dataclass
class SectionVectors:
    """Each section heading's vector, embedded once (a filing's headings repeat across its chunks)."""

    limit: int = 50_000
    _seen: dict[str, Any] = field(default_factory=dict)

    def of(self, section: str, embed: Callable[[list[str]], Any]) -> Any | None:
        key = heading_key(section)
        if not key:
            return None
        if key not in self._seen:
            if len(self._seen) >= self.limit:
                self._seen.clear()
            self._seen[key] = embed([key])[0]
        return self._seen[key]


def page_shape(text: str) -> PageShape:
    return PageShape(table_share(text), statement_titles(text))


@dataclass
class PageShapes:
    """Each page's shape, read once per page (documents are immutable: content-hash ids)."""

    limit: int = 200_000
    _seen: dict[PageKey, PageShape] = field(default_factory=dict)

    def of(self, key: PageKey, page_text: Callable[[str, int], str | None]) -> PageShape:
        if key not in self._seen:
            if len(self._seen) >= self.limit:
                self._seen.clear()
            self._seen[key] = page_shape(page_text(*key) or "")
        return self._seen[key]


def _row_tokens(row: Mapping[str, Any], tokenize: Callable[[str], list[str]]) -> list[str]:
    try:
        stored = row["tokens"]
    except (KeyError, IndexError):
        stored = None
    return str(stored).split() if stored else tokenize(str(row["text"]))


def rank_pages(fused: dict[int, float], rows: Mapping[int, Mapping[str, Any]], doc_weight: Mapping[str, float],
               query_tokens: Sequence[str], shape_of: Callable[[PageKey], PageShape],
               tokenize: Callable[[str], list[str]], weights: PageWeights,
               asked: frozenset[Statement] = frozenset(),
               section_similarity: Callable[[int], float | None] | None = None,
               chunk_similarity: Callable[[Sequence[int]], Mapping[int, float]] | None = None) -> dict[int, float]:
    """The routed candidates raised by their page's shape, by the question's word pairs, when the
    question asks of a primary statement (`asked`: statements_asked) by the page stating it, by
    their section heading's similarity to the question (`section_similarity`: a candidate's, None
    without a heading), and by their page's similarity to the question (its best candidate's by
    `chunk_similarity`: the candidates' it can score, by their stored vectors), each scaled between
    the least and the most similar among the routed candidates."""
    routed = [r for r in fused if doc_weight.get(str(rows[r]["doc_id"]), 0.0) > 0]
    by_section = weights.section and section_similarity is not None
    by_meaning = weights.meaning and chunk_similarity is not None
    if not routed or not (weights.table or weights.proximity or (weights.statement and asked) or by_section or by_meaning):
        return fused
    page = {r: (str(rows[r]["doc_id"]), int(rows[r]["page"] or 1)) for r in routed}
    near: dict[PageKey, int] = {}
    pairs = word_pairs(query_tokens) if weights.proximity else []
    for r in routed if pairs else ():
        n = proximity(pairs, _row_tokens(rows[r], tokenize), weights.window)
        near[page[r]] = max(near.get(page[r], 0), n)
    most = max(near.values(), default=0) or 1
    similar: dict[int, float] = {}
    if by_section:
        assert section_similarity is not None
        similar = {r: sim for r in routed if (sim := section_similarity(r)) is not None}
    low, high = min(similar.values(), default=0.0), max(similar.values(), default=0.0)
    meant: dict[PageKey, float] = {}
    if by_meaning:
        assert chunk_similarity is not None
        for r, sim in chunk_similarity(routed).items():
            meant[page[r]] = max(meant.get(page[r], sim), sim)
    least, most_meant = min(meant.values(), default=0.0), max(meant.values(), default=0.0)
    top = max(fused.values())
    out = dict(fused)
    for r in routed:
        shape = shape_of(page[r])
        gain = weights.table * shape.table + weights.proximity * near.get(page[r], 0) / most
        if asked & shape.statements:
            gain += weights.statement
        if r in similar and high > low:
            gain += weights.section * (similar[r] - low) / (high - low)
        if page[r] in meant and most_meant > least:
            gain += weights.meaning * (meant[page[r]] - least) / (most_meant - least)
        out[r] += doc_weight[page[r][0]] * top * gain
    return out
