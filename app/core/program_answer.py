"""Answers about programs in the asker's language: a match card's head line, a named program's
verdict (with a certificate the firm already holds, its expiry and renewal window), and the
criteria still unmet or unknown for a follow-up such as "那它还缺什么条件？", and the one criterion a
follow-up asks about ("那营收这条呢？") with its verdict."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from app.core.certificates import Certificate
from app.core.eligibility import Verdict
from app.core.fact_text import date_en, date_zh, derivation
from app.core.match import Match
from app.core.match_text import question, unquoted_name
from app.core.textnorm import cjk_ratio
from app.core.types import Program
from app.core.verdict_text import verdict_text

STATUS = {"zh": {"eligible": "符合条件", "likely": "可能符合", "unknown": "待核实", "ineligible": "不符合"},
          "en": {"eligible": "eligible", "likely": "likely eligible", "unknown": "not enough information",
                 "ineligible": "not eligible"}}
KIND = {"zh": {"policy": "政策", "credit": "信贷", "equity": "股权"},
        "en": {"policy": "Policy", "credit": "Credit", "equity": "Equity"}}
_CERT_STATE = {"zh": {"valid": "证书在有效期内", "renewal_window": "已进入重新认定窗口期，请尽快准备复审材料",
                      "expired": "证书已过期，需重新认定", "unknown": "证书有效期未知"},
               "en": {"valid": "the certificate is valid", "renewal_window": "the renewal window is open: prepare re-recognition now",
                      "expired": "the certificate has expired: re-recognition is needed", "unknown": "validity unknown"}}


_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _both_scripts(name: str) -> bool:
    return bool(_LATIN_WORD.search(name) and _CJK.search(name))


def shown_title(p: Program, lang: str) -> str:
    """The program's title as the asker reads it: in an English answer a Chinese title comes after its
    first English alias ('Pudong "Pearl Plan" Talent Support (浦东新区“明珠计划”人才支持)'), in a Chinese
    answer an English title after its first Chinese alias; the official title is always shown, and one
    already in both languages ('Harbor Seed Fund 港湾种子基金') stays as it is."""
    chinese_title = cjk_ratio(p.title) > 0.5
    if _both_scripts(p.title) or chinese_title == (lang == "zh"):
        return p.title
    alias = next((a for a in p.aliases if a.strip() and not _both_scripts(a) and (cjk_ratio(a) > 0.5) == (lang == "zh")), None)
    if alias is None:
        return p.title
    return f"{alias}（{p.title}）" if lang == "zh" else f"{alias} ({p.title})"


def hard(m: Match) -> list[Verdict]:
    return [v for v in m.verdicts if v.criterion.hard and v.verdict != "not_applicable"]


def card_head(m: Match, lang: str) -> str:
    """'可能符合：8项硬性条件中满足5项、不满足0项、待确认3项' / 'likely eligible: 5 of 8 hard criteria met, 0 unmet, 3 unknown'."""
    vs = hard(m)
    n = {k: sum(v.verdict == k for v in vs) for k in ("met", "unmet", "unknown")}
    if lang == "zh":
        return f"{STATUS['zh'][m.status]}：{len(vs)}项硬性条件中满足{n['met']}项、不满足{n['unmet']}项、待确认{n['unknown']}项"
    return f"{STATUS['en'][m.status]}: {n['met']} of {len(vs)} hard criteria met, {n['unmet']} unmet, {n['unknown']} unknown"


def card_line(m: Match, n: int, lang: str) -> str:
    if lang == "zh":
        return f"{KIND['zh'][m.kind]}：{shown_title(m.program, lang)}——{card_head(m, lang)}[{n}]"
    return f"{KIND['en'][m.kind]}: {shown_title(m.program, lang)} — {card_head(m, lang)} [{n}]"


def certificate_line(c: Certificate, n: int, lang: str, today: date) -> str:
    """What the firm already holds, with expiry and the renewal window."""
    zh = lang == "zh"
    parts = [f"编号{c.number}" if zh else f"number {c.number}"] if c.number else []
    about = ("约" if zh else "around ") if c.month_only else ""  # dated to the month: the expiry is that month's
    if c.issued:
        parts.append(f"发证日期{c.when(c.issued)}" if zh else f"issued {c.when(c.issued)}")
    if c.valid_years:
        parts.append(f"有效期{c.valid_years}年" if zh else f"valid {c.valid_years} years")
    expires, opens = c.when(c.expiry_month()), c.when(c.renewal_opens())
    if expires:
        parts.append(f"{about}{expires}到期" if zh else f"expires {about}{expires}")
    if opens and expires:
        parts.append(f"重新认定窗口{about}{opens}至{expires}" if zh else f"renewal window {about}{opens} to {expires}")
    state = _CERT_STATE["zh" if zh else "en"][c.state(today)]
    if zh:
        return f"已持有{c.name}证书{'：' + date_zh('，'.join(parts)) if parts else ''}；{state}[{n}]"
    return f"Already holds the {c.name} certificate{': ' + date_en(', '.join(parts)) if parts else ''}; {state} [{n}]"


# the citation marks of the passages a verdict's client value is read from ("[2]"), "" when none is cited
Cite = Callable[[Verdict], str]


def _no_cite(v: Verdict) -> str:
    return ""


def gap_lines(m: Match, n: int, lang: str, cite: Cite = _no_cite) -> list[str]:
    """Each unmet criterion with its reason, then each unknown one with the question to ask."""
    return ([verdict_line(v, n, lang, cite) for v in hard(m) if v.verdict == "unmet"]
            + [verdict_line(v, n, lang, cite) for v in hard(m) if v.verdict == "unknown"])


# a sentence of a program's text that sets a requirement
_REQUIRES = re.compile(r"\b(?:must|shall|required?|at least|no more than|not exceed)\b|须|应当|不低于|不超过|不少于|不得", re.IGNORECASE)
_TEXT_SENTENCE = re.compile(r"[^。；;\n]+(?:[。；;]|\.(?=\s|$)|$)")


def unchecked_lines(m: Match, n: int, lang: str) -> list[str]:
    """The program's requirements its checkable criteria do not cover ("the partner research institution
    at least 30% of the work"): no profile field decides them, so the RM confirms each with the client. A
    sentence is covered when a criterion quotes it or a part of it."""
    quoted = [_plain(v.criterion.source_text) for v in m.verdicts if v.criterion.source_text.strip()]
    out = []
    for sentence in _TEXT_SENTENCE.findall(m.program.text or ""):
        said = " ".join(sentence.split())
        plain = _plain(said)
        if not plain or not _REQUIRES.search(said) or any(q and (q in plain or plain in q) for q in quoted):
            continue
        out.append(f"? 另需确认（不在画像中）：{said}[{n}]" if lang == "zh"
                   else f"? Also required, to confirm with the client: {said} [{n}]")
    return out


def _plain(text: str) -> str:
    return re.sub(r"[\s。．.；;，,]+", "", text).lower()


def verdict_line(v: Verdict, n: int, lang: str, cite: Cite = _no_cite) -> str:
    """'✓ 满足：<clause>——<the client's value against it>[n]'; unmet with the reason, unknown with the
    question to ask. A value derived from others names them ('成立年限7.76年…，依据成立时间 2019-03').
    Where `cite` gives the passages the client's value is read from, the clause cites the program and
    the value its own documents: '✓ 满足：<clause>[1]——营业收入1.21亿元…[2]'."""
    zh = lang == "zh"
    if v.verdict == "unknown":
        ask = _ask(v, lang)
        return f"? 待确认：{_clause(v, lang)}——{ask}[{n}]" if zh else f"? Unknown: {_clause(v, lang)} — ask: {ask} [{n}]"
    why = verdict_text(v, lang) + (derivation(v.fact, lang) if v.fact is not None else "")
    mark = "✓ 满足" if v.verdict == "met" else "✗ 不满足"
    mark_en = "✓ Met" if v.verdict == "met" else "✗ Unmet"
    own = cite(v) if v.fact is not None else ""
    if own:
        return f"{mark}：{_clause(v, lang)}[{n}]——{why}{own}" if zh else f"{mark_en}: {_clause(v, lang)} [{n}] — {why} {own}"
    return f"{mark}：{_clause(v, lang)}——{why}[{n}]" if zh else f"{mark_en}: {_clause(v, lang)} — {why} [{n}]"


def criterion_text(m: Match, verdicts: Sequence[Verdict], n: int, lang: str, cite: Cite = _no_cite) -> str:
    """The program's criteria a follow-up asks about ("and the headcount cap, are they under it?"), each
    with its verdict for the client: met and unmet with the reason (the client's value against the
    threshold), unknown with the question to ask."""
    head = f"{shown_title(m.program, lang)}：" if lang == "zh" else f"{shown_title(m.program, lang)}:"
    return "\n".join([head, *(verdict_line(v, n, lang, cite) if v.criterion.hard else preferred_line(v, n, lang, cite)
                             for v in verdicts)])


def gaps_text(m: Match, n: int, lang: str, cite: Cite = _no_cite) -> str:
    lines = gap_lines(m, n, lang, cite) + unchecked_lines(m, n, lang)
    if not lines:
        return (f"按现有资料，{shown_title(m.program, lang)}的硬性条件均已满足[{n}]。" if lang == "zh"
                else f"On the facts known, every hard criterion of {shown_title(m.program, lang)} is met [{n}].")
    head = (f"{shown_title(m.program, lang)}尚缺的条件（{card_head(m, lang)}）：" if lang == "zh"
            else f"What {shown_title(m.program, lang)} still needs ({card_head(m, lang)}):")
    return "\n".join([head, *lines])


def met_lines(m: Match, n: int, lang: str, cite: Cite = _no_cite) -> list[str]:
    """Each met hard criterion with the client's value against it, clause by clause."""
    return [verdict_line(v, n, lang, cite) for v in hard(m) if v.verdict == "met"]


_PREFERRED = {"zh": {"met": "满足", "unmet": "不满足", "unknown": "待确认"}, "en": {"met": "met", "unmet": "not met", "unknown": "unknown"}}


def preferred_lines(m: Match, n: int, lang: str, cite: Cite = _no_cite) -> list[str]:
    """Each preference of the program (a soft criterion: "研发人员占比不低于40%者优先") with the client's value
    against it: it decides no eligibility, but an RM weighs it."""
    return [preferred_line(v, n, lang, cite) for v in m.verdicts if not v.criterion.hard and v.verdict != "not_applicable"]


def preferred_line(v: Verdict, n: int, lang: str, cite: Cite = _no_cite) -> str:
    """One preference with the client's value against it, marked as a preference (☆), not as a requirement failed."""
    zh = lang == "zh"
    state = _PREFERRED["zh" if zh else "en"].get(v.verdict, _PREFERRED["zh" if zh else "en"]["unknown"])
    why = _ask(v, lang) if v.verdict == "unknown" else \
        verdict_text(v, lang) + (derivation(v.fact, lang) if v.fact is not None else "")
    own = cite(v) if v.verdict != "unknown" and v.fact is not None else ""
    if own:
        return (f"☆ 优先条件（{state}）：{_clause(v, lang)}[{n}]——{why}{own}" if zh
                else f"☆ Preferred ({state}): {_clause(v, lang)} [{n}] — {why} {own}")
    return (f"☆ 优先条件（{state}）：{_clause(v, lang)}——{why}[{n}]" if zh
            else f"☆ Preferred ({state}): {_clause(v, lang)} — {why} [{n}]")


def program_text(m: Match, n: int, lang: str, held: Sequence[tuple[Certificate, int]], today: date,
                 cite: Cite = _no_cite, offered: Sequence[str] = ()) -> str:
    """A named program's verdict first, then the benefits the question asks about (`offered`: their
    sentences, "贴息比例：…"), what the firm already holds, its gaps, the criteria it meets with the
    client's values (the verdict explained clause by clause), then the program's preferences."""
    lines = [card_line(m, n, lang)]
    lines += [f"{o.rstrip('。. ')}[{n}]" if lang == "zh" else f"{o.rstrip('. ')} [{n}]" for o in offered]
    lines += [certificate_line(c, cn, lang, today) for c, cn in held]
    lines += gap_lines(m, n, lang, cite)
    lines += unchecked_lines(m, n, lang)
    lines += met_lines(m, n, lang, cite)
    lines += preferred_lines(m, n, lang, cite)
    return "\n".join(lines)


def _clause(v: Verdict, lang: str) -> str:
    """The clause as the program states it; a criterion quoting none (the catalog's area) by its name."""
    text = " ".join(v.criterion.source_text.split()) or unquoted_name(v, lang)
    return text if len(text) <= 60 else text[:57] + "…"


def _ask(v: Verdict, lang: str) -> str:
    c = v.criterion
    field = c.options[0].field if c.op == "any_of" and c.options else c.field
    if v.why is not None and v.why.key == "tier.unknown" and c.when:
        field = c.when[0].field
    return question(field, c.value, lang)
