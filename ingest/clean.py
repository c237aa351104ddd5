"""Cleaning stage: repair text, then drop debris, boilerplate, repeated headers, spam and the
menus, notices and widgets a page wraps around its article.

Rules match an element's normalised form (simplified Chinese, half width, lower case), so one rule
hits both scripts while the stored text keeps the author's. Every removal is counted by reason and
kept with its text in `dropped`, so a report (and `sme ingest --explain`) shows what went and why.
"""

from __future__ import annotations

import html
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import ftfy

from app.core.textnorm import half_width, index_form, tidy_whitespace
from app.core.types import Element
from ingest.page_layout import layout_reasons
from ingest.rules_schema import BoilerplateSpec, SpamSpec, read_rules_file

RULES_FILE = Path(__file__).with_name("rules") / "boilerplate.yaml"
SPAM_FILE = Path(__file__).with_name("rules") / "spam.yaml"
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9:-]*(\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")
_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*((page|p\.)\s*)?\d{1,4}(\s*(/|of|共)\s*\d{1,4})?\s*[页頁]?[-–—\s]*$|^第\s*\d{1,4}\s*[页頁](\s*共\s*\d+\s*[页頁])?$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"[。！？!?.;；]")
_CLAUSE_END = re.compile(r"[。！？!?;；]|\.(\s|$)")  # not the dot in "USA.gov" or "No. 5"
_LATIN1_RUN = re.compile(r"[\u00a0-\u00ff]{4,}")
# ASCII, CJK, CJK and full-width punctuation, dashes and quotes: no mis-decoding ftfy or the GBK
# repair undoes is made of these alone (both need Latin-1 or C1 characters), so such text skips them
_CANNOT_BE_MOJIBAKE = re.compile(r"[\t\n\r\x20-\x7e\u2010-\u2027\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]*")


# only undo encoding damage: quotes, widths and ligatures stay as the author wrote them
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_line_breaks=False,
    normalization=None,
    explain=False,
)


@dataclass(frozen=True)
class Rules:
    max_chars: int
    boilerplate: tuple[tuple[str, re.Pattern[str]], ...]  # short elements only
    any_length: tuple[tuple[str, re.Pattern[str]], ...]
    spam_terms: re.Pattern[str]


@dataclass(frozen=True)
class Cleaned:
    elements: tuple[Element, ...]
    removed: dict[str, int]  # elements dropped, by reason
    repaired: dict[str, int]  # elements whose text was fixed, by kind of fix
    dropped: tuple[tuple[str, str], ...] = ()  # (reason, text) of each element dropped, in order


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE, spam_path: Path = SPAM_FILE) -> Rules:
    spec = read_rules_file(path, BoilerplateSpec)
    spam = read_rules_file(spam_path, SpamSpec)
    terms = [_term_pattern(t) for kind in spam.kinds.values() for t in kind]
    return Rules(
        max_chars=spec.max_chars,
        boilerplate=tuple((r, rule_pattern(x.re)) for r, xs in spec.rules.items() for x in xs if x.scope == "short"),
        any_length=tuple((r, rule_pattern(x.re)) for r, xs in spec.rules.items() for x in xs if x.scope == "any"),
        spam_terms=re.compile("|".join(terms)),
    )


def rule_pattern(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


def match_form(text: str) -> str:
    """What rules read: NFKC (full width to half width), simplified Chinese, lower case."""
    return index_form(text)


def _term_pattern(term: str) -> str:
    """Latin terms match whole words only ("cialis" must not fire inside "specialised")."""
    escaped = re.escape(match_form(term))
    return rf"\b{escaped}\b" if term.isascii() else escaped


def fix_gbk_mojibake(text: str) -> str:
    """GBK bytes read as Latin-1 ("ÖÐ¹ú") back to Chinese, where the round trip is clean."""

    def repair(match: re.Match[str]) -> str:
        run = match.group(0)
        try:
            raw = run.encode("latin-1")
        except UnicodeEncodeError:
            return run
        try:
            raw.decode("utf-8")
            return run  # UTF-8 read as Latin-1: ftfy's case
        except UnicodeDecodeError:
            pass
        try:
            fixed = raw.decode("gb18030")
        except UnicodeDecodeError:
            return run
        han = sum(1 for ch in fixed if "\u4e00" <= ch <= "\u9fff")
        return fixed if han >= max(2, len(fixed) * 0.6) else run

    return _LATIN1_RUN.sub(repair, text)


def repair_text(text: str) -> tuple[str, list[str]]:
    """Return the repaired text and the kinds of repair applied."""
    fixes: list[str] = []
    stripped = _TAG.sub(" ", text)
    if _ENTITY.search(stripped):
        stripped = html.unescape(stripped)
    if stripped != text:
        fixes.append("markup")
    fixed = stripped if _CANNOT_BE_MOJIBAKE.fullmatch(stripped) else ftfy.fix_text(fix_gbk_mojibake(stripped), config=_FTFY)
    if fixed != stripped:
        fixes.append("mojibake")
    return tidy_whitespace(half_width(fixed)), fixes


def _boilerplate_reason(text: str, rules: Rules) -> str | None:
    norm = match_form(text)
    for reason, pattern in rules.any_length:
        if pattern.search(norm):
            return reason
    if len(text) > rules.max_chars:
        return None
    for reason, pattern in rules.boilerplate:
        if pattern.search(norm):
            return reason
    if _is_link_bar(text):
        return "navigation"
    return None


def _is_link_bar(text: str) -> bool:
    """"首页 | 新闻 | 政策 | 联系我们": several short items joined by separators."""
    parts = [p for p in re.split(r"\s*[|｜>»›·/]\s*|\s{2,}", text) if p]
    return len(parts) >= 4 and all(_menu_item(p) for p in parts) and not _CLAUSE_END.search(text)


def _menu_item(part: str) -> bool:
    """A dozen characters, or a few Latin words ("Freedom of Information Act")."""
    return len(part) <= 12 or (part.isascii() and len(part.split()) <= 4 and len(part) <= 30)


def _vocabulary(text: str) -> set[str]:
    norm = index_form(text)
    words = set(re.findall(r"[a-z0-9]{3,}", norm))
    han = re.findall(r"[\u4e00-\u9fff]", norm)
    words.update(a + b for a, b in itertools.pairwise(han))
    return words


def _is_spam(text: str, rules: Rules, doc_vocab: Counter[str], keyword_list: bool = False) -> bool:
    """Injected SEO/gambling lines: spam lexicon, or keyword stuffing foreign to the document."""
    low = index_form(text)
    own = _vocabulary(text)
    shared = sum(1 for w in own if doc_vocab[w] > 1)  # seen elsewhere in the document too
    foreign = not own or shared / len(own) < 0.35
    if rules.spam_terms.search(low) and (foreign or len(text) < 200):
        return True
    return (keyword_list or _is_keyword_list(text)) and not own & _title_vocab(doc_vocab) and foreign


def _title_vocab(doc_vocab: Counter[str]) -> set[str]:
    return {w for w, n in doc_vocab.items() if n > 2}


def _is_keyword_list(text: str) -> bool:
    """A run of bare keywords: CJK terms split by spaces or commas, or Latin terms split by commas."""
    if _SENTENCE_END.search(text):
        return False
    cjk_terms = [t for t in re.split(r"[\s,，、|｜]+", text) if t]
    if len(cjk_terms) >= 6 and all(re.fullmatch(r"[\u4e00-\u9fff]{2,8}", t) for t in cjk_terms):
        return True
    latin_terms = [t.strip() for t in re.split(r"[,，|｜]", text) if t.strip()]
    return len(latin_terms) >= 8 and all(len(t.split()) <= 3 for t in latin_terms)


def _repeated_lines(elements: Iterable[Element], pages: int) -> set[str]:
    """Short lines found on most pages: running headers and footers (digits ignored)."""
    if pages < 3:
        return set()
    seen: dict[str, set[int]] = {}
    for el in elements:
        if el.page is not None and len(el.text) <= 120:
            seen.setdefault(_DIGITS.sub("#", el.text), set()).add(el.page)
    need = max(3, int(pages * 0.5))
    return {key for key, on in seen.items() if len(on) >= need}


def clean(elements: Iterable[Element], pages: int = 1, rules: Rules | None = None) -> Cleaned:
    rules = rules or load_rules()
    removed: Counter[str] = Counter()
    repaired: Counter[str] = Counter()
    dropped: list[tuple[str, str]] = []
    kept: list[Element] = []
    spaced: set[int] = set()
    for el in elements:
        text, fixes = repair_text(el.text)
        repaired.update(fixes)
        if not text.strip():
            removed["empty"] += 1
            dropped.append(("empty", el.text))
            continue
        rows = tuple(tuple(repair_text(c)[0] for c in row) for row in el.rows) if el.rows else None
        if _is_keyword_list(el.text.strip()) and el.type != "Table":
            spaced.add(len(kept))  # judged on the raw text: cleaning joins "词 词 词" into one run
        kept.append(replace(el, text=text, rows=rows))

    repeated = _repeated_lines(kept, pages)
    doc_vocab: Counter[str] = Counter()
    for el in kept:
        doc_vocab.update(_vocabulary(el.text))
    reasons: dict[int, str] = {}
    for i, el in enumerate(kept):
        reason = _drop_reason(el, rules, repeated, doc_vocab, keyword_list=i in spaced)
        if reason:
            reasons[i] = reason
    reasons.update(layout_reasons(kept, reasons, paged=pages > 1))
    out: list[Element] = []
    for i, el in enumerate(kept):
        if i in reasons:
            removed[reasons[i]] += 1
            dropped.append((reasons[i], el.text))
        else:
            out.append(el)
    return Cleaned(tuple(out), dict(removed), dict(repaired), tuple(dropped))


def _drop_reason(
    el: Element, rules: Rules, repeated: set[str], doc_vocab: Counter[str], keyword_list: bool = False
) -> str | None:
    if el.type == "Table":
        return None  # tables are content
    # what the extractor left out goes through the rules too, so the report says why (cookie notice,
    # disclaimer, spam…); what no rule names is judged by layout (not_main_content unless body-like)
    if el.type == "EmailSignature":
        return "mail_signature"
    if el.link_ratio >= 0.8 and len(el.text) <= rules.max_chars:
        return "link_list"
    if _PAGE_NUMBER.match(el.text):
        return "page_number"
    if _DIGITS.sub("#", el.text) in repeated:
        return "header_footer"
    reason = _boilerplate_reason(el.text, rules)
    if reason:
        return reason
    if _is_spam(el.text, rules, doc_vocab, keyword_list):
        return "spam"
    return None
