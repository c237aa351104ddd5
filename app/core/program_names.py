"""Which catalog program a question names, if any: among the programs most relevant to the
question (the catalog index, text and meaning), the one whose *title* the question covers best.

Several programs share a concept ("高新技术企业认定", "高企贷", "南山区高新技术企业认定奖励"), so the
program's full text is not enough: a question names a program by (a translation of) its title.
Coverage counts the title's units (Chinese character pairs, English words) found in the question
or its glossary expansions, a title the question's own words cover ranking first; the title's
embedding similarity breaks near ties and reads a title in the other language. A program's aliases
(its title in the other language, short names) count as titles: of its names, the one the question
covers best stands for it. When no title is named, nothing is, and the chat lists every kind."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.core.glossary import load_glossary
from app.core.numbered_parts import numbered_parts, parts_conflict
from app.core.textnorm import index_form

MIN_COVERAGE = 0.6      # share of the title's units the question must name
MIN_SIMILARITY = 0.93   # or: the title's embedding is this close to the question's (cross-language titles)
# a name in the question's own language close in meaning only, not covered by its words: closer still ("上海的知识产权质押
# 贴息" to 上海市知识产权质押融资贴息及风险补偿, 0.98), as an attribute a title holds comes close too (研发费用占比 to
# 研发费用税前加计扣除, 0.94; 纳税信用等级 to 税易贷（按纳税信用授信）, 0.95) (set between the two on the tuning half)
MIN_SIMILARITY_SAME_LANGUAGE = 0.955
SPECIFIC = 0.02        # per title unit the question names
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
# (a program referred to by a generic head: "the STTR version", "the Shenzhen one", "the SBIR variant" name it as "STTR" does)
_EN_STOP = frozenset(["the", "a", "an", "of", "for", "and", "or", "in", "on", "to", "with", "by", "program", "programme", "scheme", "demo", "bank", "product", "sheet",
                      "version", "variant", "one"])


# words for the client or the people talking: they never name a program
_REFERENCES = frozenset(["this", "that", "these", "client", "company", "firm", "business", "it", "its", "we", "our",
                         "us", "you", "your", "they", "their", "them"])


@dataclass(frozen=True)
class Candidate:
    program_id: str
    title: str
    relevance: float   # the catalog index's fused relevance for the question (0..1)
    similarity: float  # cosine of the question's and the title's embeddings (the closest of its names)
    aliases: tuple[str, ...] = ()
    # the same, of its names written in the other language than the question ("the R&D super deduction" and
    # 研发费用税前加计扣除): a name in the question's own language close in meaning only must be closer
    # (MIN_SIMILARITY_SAME_LANGUAGE), or an attribute its title holds (研发费用, 纳税信用等级) would name it
    across: float | None = None

    def name_for(self, units: set[str], literal: set[str]) -> tuple[str, float]:
        """The title or alias the question covers best (the title on a tie), with its coverage. The
        title may be covered with the glossary's expansions (`units`), an alias only by the question's
        own words (`literal`): an alias already is the title in another language, and expansions of
        common words ("subsidies" → "loan interest subsidy") would otherwise name any program so called."""
        best = (self.title, coverage(self.title, units))
        for alias in self.aliases:
            covered = coverage(alias, literal)
            if covered > best[1]:
                best = (alias, covered)
        return best


def title_units(title: str) -> set[str]:
    """A title's units, its bracketed note ("（摘要）", "(demo bank product sheet)") left out."""
    return text_units(_BRACKETS.sub(" ", title))


def text_units(text: str) -> set[str]:
    norm = index_form(text)
    # hyphens split words ("first-loan" names "First Loan …", "high tech" names "High-Tech …")
    units = {w for w in re.findall(r"[a-z][a-z0-9&]+", norm) if w not in _EN_STOP}
    for run in re.findall(r"[\u4e00-\u9fff]+", norm):
        units |= {run[i:i + 2] for i in range(len(run) - 1)} if len(run) > 1 else {run}
    return units


def coverage(title: str, question_units: set[str]) -> float:
    """The share of the title's units the question names; a title written in both scripts ("Harbor
    Seed Fund 港湾种子基金") is named by either part, as it would be by an alias."""
    return max(_share(title_units(part), question_units) for part in _script_parts(title))


def _share(units: set[str], question_units: set[str]) -> float:
    return len(units & question_units) / len(units) if units else 0.0


def _script_parts(title: str) -> list[str]:
    """The title, and its Latin and Chinese parts when it has both."""
    bare = _BRACKETS.sub(" ", title)
    latin = " ".join(re.findall(r"[A-Za-z][A-Za-z0-9&'’.\- ]*", bare)).strip()
    chinese = "".join(re.findall(r"[\u4e00-\u9fff]+", bare))
    return [title, latin, chinese] if latin and chinese else [title]


def within(name: str, literal: set[str], acronyms: frozenset[str] = frozenset()) -> bool:
    """The words asked (two units or more, or acronyms; words for the client or the asker aside) are
    all the name's own: a short form of it ("the tax loan for this client" for "Tax-Based Credit
    Loan", "SBIR" for "SBIR Phase I", "雏鹰计划" for "杭州市科技型初创企业培育（雏鹰计划）")."""
    asked = literal - _REFERENCES
    if len(asked) < 2 and not (asked and asked <= acronyms):
        return False
    parts = [*_script_parts(name), *(m.strip("（）() ") for m in _BRACKETS.findall(name))]
    return any(asked <= text_units(part) for part in parts)


_LAST_THE = re.compile(r".*\bthe\s+([^?.!,;:]+?)(?:\s+(?:for|to|of|in|with|at|from)\b[^?.!,;:]*)?[?.!]*\s*$", re.IGNORECASE)


def last_phrase(text: str) -> str:
    """The noun phrase an English question ends on ("does it qualify for the tax loan for this client?" →
    "tax loan"); "" when none."""
    m = _LAST_THE.search(text)
    return m.group(1) if m else ""


def acronyms_of(text: str) -> frozenset[str]:
    """Words written in capitals (three letters or more), as units: "SBIR", "EIC"."""
    return frozenset(w.lower() for w in re.findall(r"\b[A-Z]{3,}\b", text))


def score(c: Candidate, question_units: set[str], literal: set[str] | None = None) -> float:
    """Coverage first; of two titles the question covers alike, the longer one is the more specific
    ("南山区高新技术企业认定奖励" over "高新技术企业认定" when the question names the former)."""
    name, covered = c.name_for(question_units, question_units if literal is None else literal)
    named_units = len(title_units(name) & question_units)
    return covered + SPECIFIC * named_units + 0.5 * c.similarity + 0.25 * c.relevance


def named(candidates: Sequence[Candidate], question_texts: Sequence[str]) -> str | None:
    """The program the question names, or None when none is named clearly. `question_texts`: the
    question, then its glossary expansions. A title the question's own words cover comes before one
    covered only with the expansions' help ("高企贷" asked for by name is not "高新技术企业认定",
    which "高企" expands to); of two such, the one with more of its words in the question ("上海市
    知识产权质押融资贴息及风险补偿" over "知识产权质押贷" for "上海市知识产权质押融资贴息")."""
    units = set().union(*(text_units(t) for t in question_texts)) if question_texts else set()
    literal = text_units(question_texts[0]) if question_texts else set()
    parts = numbered_parts(question_texts[0]) if question_texts else set()
    if parts:  # "SBIR Phase II" is not "SBIR Phase I": a program naming another part of the kind asked is not named
        candidates = [c for c in candidates if not parts_conflict(parts, numbered_parts(" ".join((c.title, *c.aliases))))]
    ranked = sorted(candidates, key=lambda c: _literal_rank((c.title, *c.aliases), literal)
                    + (-score(c, units, literal),))
    if not ranked:
        return None
    best = ranked[0]
    close = best.similarity >= MIN_SIMILARITY if best.across is None else \
        best.across >= MIN_SIMILARITY or best.similarity >= MIN_SIMILARITY_SAME_LANGUAGE
    if best.name_for(units, literal)[1] < MIN_COVERAGE and not close:
        # an acronym typed in lower case ("sbir and sttr") is the acronym a candidate's name writes in capitals
        named_acronyms = set().union(*(acronyms_of(n) for c in ranked for n in (c.title, *c.aliases)))
        capitals = acronyms_of(question_texts[0]) | (set(re.findall(r"[a-z]{3,}", question_texts[0])) & named_acronyms)
        for words in (literal, text_units(last_phrase(question_texts[0]))):
            short = sorted(((max(coverage(n, words) for n in (c.title, *c.aliases)), c.program_id) for c in ranked
                            if any(within(n, words, capitals) for n in (c.title, *c.aliases))), reverse=True)
            if short and (len(short) == 1 or short[0][0] > short[1][0]):
                return short[0][1]  # a short form: of the names holding all its words, the one it covers most
        # an acronym asked is its concept's English name too: "the Nanshan district HNTE recognition award" names
        # "Nanshan District High-Tech Enterprise Recognition Award", two words of it named besides the acronym
        spelled = literal | {u for a in capitals for e in load_glossary().expansions(a) if e.isascii() for u in text_units(e)}
        full = sorted(((max(coverage(n, spelled) for n in (c.title, *c.aliases)
                            if len(title_units(n) & literal) >= 2), c.program_id) for c in ranked
                       if any(len(title_units(n) & literal) >= 2 for n in (c.title, *c.aliases))), reverse=True)
        if full and full[0][0] >= MIN_COVERAGE and (len(full) == 1 or full[0][0] > full[1][0]):
            return full[0][1]
        cut = sorted(((max(abbreviation(question_texts[0], n) for n in (c.title, *c.aliases)), c.program_id)
                      for c in ranked), reverse=True)
        if cut and cut[0][0] >= MIN_ABBREVIATION and (len(cut) == 1 or cut[0][0] > cut[1][0]):
            return cut[0][1]  # a Chinese name cut short: "深圳市的质押贴息" for "深圳市知识产权质押融资贴息"
        return None
    return best.program_id


MIN_ABBREVIATION = 4  # characters of a Chinese title a short form must keep, its head among them


def abbreviation(question: str, name: str) -> int:
    """How many characters of a Chinese `name` the question keeps when it cuts the name short, as Chinese
    does, by dropping words from inside ("深圳市的质押贴息" of "深圳市知识产权质押融资贴息": 7): a run of the
    question (a possessive 的 left out) that is a subsequence of the name, ending on the name's last
    character (its head: 贴息, 认定, 贷) and kept in pieces of two characters or more; 0 when none."""
    title = "".join(re.findall(r"[\u4e00-\u9fff]", index_form(_BRACKETS.sub("", name))))
    if len(title) < MIN_ABBREVIATION:
        return 0
    text = re.sub(r"(?<=[\u4e00-\u9fff])的(?=[\u4e00-\u9fff])", "", index_form(question))
    best = 0
    for end, char in enumerate(text):
        if char != title[-1]:
            continue
        j, kept = len(title) - 1, []  # the name's positions matched, last first
        for k in range(end, -1, -1):
            at = title.rfind(text[k], 0, j + 1)
            if at < 0:
                break
            kept.append(at)
            j = at - 1
        kept.reverse()
        while kept:  # every piece kept is two characters or more; a stray character in front is dropped
            pieces = _pieces(kept)
            if all(len(p) >= 2 for p in pieces):
                break
            kept = kept[len(pieces[0]):] if len(pieces[0]) < 2 else kept[1:]
        best = max(best, len(kept))
    return best


def _pieces(positions: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for p in positions:
        if out and p == out[-1][-1] + 1:
            out[-1].append(p)
        else:
            out.append([p])
    return out


def place_forms(place: str) -> tuple[str, ...]:
    """A place as a question names it: "上海市" also as "上海", "浦东新区" as "浦东" (two characters at
    least left), in index form."""
    norm = index_form(place).replace(" ", "")
    short = re.sub(r"(?:新区|自治区|特别行政区|省|市|区|县)$", "", norm)
    return (norm, short) if short != norm and len(short) >= 2 else (norm,)


def places_named(text: str, places: Sequence[str]) -> set[str]:
    """The catalog's places below country level (a program's jurisdiction after its first entry) that
    the text names; a place's name starting a university's (北京大学, 中山大学) is not the place."""
    norm = index_form(text).replace(" ", "")
    return {p for p in places if any(re.search(re.escape(form) + r"(?!大学)", norm) for form in place_forms(p))}


def with_ancestors(named_places: set[str], paths: Sequence[Sequence[str]]) -> set[str]:
    """The places named and those they lie in, by the catalog's own jurisdiction paths (深圳市 lies in
    广东省: a path 中国 > 广东省 > 深圳市 says so)."""
    out = set(named_places)
    for path in paths:
        for i, place in enumerate(path):
            if place in named_places:
                out.update(path[1:i])
    return out


def with_full_places(text: str, named_places: set[str]) -> str:
    """The text with each place it names by a short form written in full ("上海的…贴息" → "上海市的…贴息"),
    so a title that starts with the place is covered as the question means it. A text that is a place
    and nothing else is left as it is: a place alone names no program ("上海和深圳的…": the head is shared)."""
    rest = text
    for place in named_places:
        for form in place_forms(place):
            rest = rest.replace(form, "")
    if not re.search(r"[\w\u4e00-\u9fff]", rest):
        return text
    for place in sorted(named_places, key=len, reverse=True):
        forms = place_forms(place)
        if len(forms) == 2 and place not in text:
            text = re.sub(re.escape(forms[1]) + r"(?![省市区县])", place, text)
    return text


def fits_places(jurisdiction: Sequence[str], named_places: set[str], around: set[str] | None = None) -> bool:
    """Whether a program may be the one a question names, by place: a local program (a province, city
    or district under its country) does not fit a question naming another place and none of its own
    ("上海的知识产权质押贴息" is not Shenzhen's) nor one its places contain (a Guangdong program fits a
    question naming Shenzhen: `around`, the places named with those they lie in, with_ancestors); a
    national program, or a question naming no place, fits."""
    own = set(jurisdiction[1:])
    return not (own and named_places and not own & (around if around is not None else named_places))


def _literal_rank(names: Sequence[str], literal: set[str]) -> tuple[bool, bool, int]:
    """Sort key: programs one of whose names the question's own words cover (more of that name's words named
    first), then the rest; of those, first the ones a name of which is named whole before its bracketed gloss ("STTR
    Phase I" of "STTR Phase I (Small Business Technology Transfer)", not "SBIR Phase I (Small Business Innovation
    Research)" that a question about a small business and a research institution covers as much). Each covered name
    counts: "国家级专精特新小巨人" names eight words of "国家级专精特新“小巨人”企业认定" (which its short name "小巨人" covers
    whole) against three of "专精特新贷"."""
    named = [len(title_units(n) & literal) for n in names if coverage(n, literal) >= MIN_COVERAGE]
    heads = [title_units(_BRACKETS.sub(" ", n)) for n in names if _BRACKETS.search(n)]
    head_named = any(h and h <= literal for h in heads)
    return (False, not head_named, -max(named)) if named else (True, True, 0)
