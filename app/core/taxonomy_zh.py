"""How Chinese financial news is built, for the taxonomy classifier: where the lead ends, where a
company's business is described, and which company the text is about.

Functions take the *index form* of a text (``app.core.textnorm.index_form``: simplified, half-width,
lower case). ``masked`` is the same text with trading boilerplate blanked (same offsets).

The subject (``subject``), first rule that applies:

1. the first listed company followed by its stock code: 长城汽车(601633);
2. the company answering investors: X在互动平台表示 / X董秘回复 (Q&A digests quote the question first);
3. the company that opens a notice: [dateline,] X 出现/发布/公告/股价/… (大宗交易, 两融, 分红 notices);
4. a company named as such (a short name with a company suffix or a stock code) in the lead before
   any listed one, else the first listed company in the lead;
5. else the listed company named most often (at least twice).

A subject from rules 2-4 need not be listed: ``Subject.listed`` says whether it is one of the
taxonomy's companies. An unlisted subject's name still says something (药业, 银行, 地产, 合金 …): the
classifier reads it with the labels' ``name_parts``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

LEAD_MAX = 160  # characters: a first "sentence" longer than this is not a headline
_LEAD_END = re.compile(r"[。！？!?\n]")
_HAN = r"\u4e00-\u9fff"
# a company named as such: a short name with a company suffix or followed by its stock code
NAMED = re.compile(rf"[{_HAN}]{{2,4}}(?:股份|集团|控股|科技|实业)|[{_HAN}]{{2,6}}(?=\s?\(\s?\d{{4,6}})")
STOCK_CODE = re.compile(r"\s?\(\s?\d{4,6}(?:\.?-?(?:sh|sz|bj|hk))?\s?\)")  # (600519) (000001.sz) (02333-hk)
# a business description: what follows these cues, up to the end of the clause
_BUSINESS = re.compile(
    r"(?:主营业务|主要业务|主营产品|主要产品|主导产品|核心产品|主要从事|专业从事|专注于|致力于|主营)"
    r"(?:为|是|包括|涵盖|有|:|：)?[^。；;！？!?\n]{1,80}"
    r"|是(?:一家|国内|全球|中国|我国|国际|少数|领先的|行业|业内|国产)[^。；;！？!?\n]{0,60}?"
    r"(?:企业|公司|厂商|供应商|制造商|生产商|服务商|运营商|龙头|之一)")
# where a business description turns to the customers and uses (为…提供, 应用于, 下游 …)
_DOWNSTREAM = re.compile(r"[,，]\s?(?:为|向)|为[^,，。]{0,60}?提供|应用于|应用领域|广泛用于|用于|下游|服务于|面向|客户")

_DATELINE = re.compile(
    r"\s*(?:\d{4}年)?(?:\d{1,2}月\d{1,2}日)?(?:晚间|早间|午间|盘后|盘中)?(?:电|讯|消息)?\s*[,，:：丨|]?\s*")
_NAME = rf"[{_HAN}a-z][{_HAN}a-z0-9]{{1,7}}?"
_CODE = r"(?:\s?\(\s?\d{4,6}[^)]{0,8}\))?"
_NOTICE_VERB = ("出现|发布|公告|公布|披露|股价|今日|今天|晚间|早间|盘中|盘后|午后|尾盘|开盘|竞价|近日|日前|"
                "拟|收到|宣布|报收|涨停|跌停|最新|的最新|一字|获|董事会|股东|控股股东|实控人|实际控制人")
_OPENER = re.compile(rf"(?P<name>{_NAME}){_CODE}\s?(?={_NOTICE_VERB})")
_ANSWER = re.compile(rf"(?P<name>{_NAME}){_CODE}\s?(?:在互动平台(?:上)?|在投资者互动平台(?:上)?|董秘)"
                     r"(?:表示|回复|答复|称|回应)")
# an investor's question in a Q&A digest (有投资者问…？ X在互动平台表示…): the topic the investor
# raises (often a fashionable one) is not what the company says it does
_QUESTION = re.compile(r"(?:有投资者|投资者)(?:在互动平台上?)?(?:提问|问|向公司提问|询问)[^？?]{1,300}[？?]")
# not company names, though a notice may open with them
_NOT_NAMES = frozenset({"公司", "本公司", "该公司", "上市公司", "记者", "投资者", "有投资者", "报道", "据报道",
                        "消息", "机构", "资金", "今日", "今天", "近日", "日前", "个股", "该股", "两市", "沪指",
                        "深成指", "创业板", "科创板", "北交所", "沪深", "a股", "港股", "美股"})


# words of a clause, not of a name, that the company-suffix pattern can catch (拟回购股份, 所持公司股份)
_NOT_IN_NAMES = ("公司", "回购", "持有", "所持", "增持", "减持", "发行", "限售", "流通", "股东", "质押", "冻结", "转让",
                 "认购", "收购", "出售", "注销", "解禁")


@dataclass(frozen=True)
class Subject:
    name: str = ""
    start: int = -1  # where the name stands (for its position weight); -1 when unknown
    listed: bool = False  # one of the taxonomy's companies


def lead_end(norm: str) -> int:
    match = _LEAD_END.search(norm, 0, LEAD_MAX)
    return match.start() if match else min(len(norm), LEAD_MAX)


def business_spans(norm: str) -> list[tuple[int, int]]:
    """Where the text says what a company does (主营业务为…, 主要从事…, 是一家…企业), to the end of
    the clause or to where it turns to the customers (为…提供, 应用于, 下游)."""
    spans = []
    for match in _BUSINESS.finditer(norm):
        start, end = match.span()
        turn = _DOWNSTREAM.search(norm, start + 6, end)
        spans.append((start, turn.start() if turn else end))
    return spans


def question_spans(norm: str) -> list[tuple[int, int]]:
    """Investors' questions in a Q&A digest, up to their question mark."""
    return [m.span() for m in _QUESTION.finditer(norm)]


def _clean(name: str) -> str:
    if name in _NOT_NAMES or name.startswith(("有", "据", "在")) or any(w in name for w in _NOT_IN_NAMES):
        return ""
    return name


def _named_subject(raw: str, masked: str, lead: int) -> tuple[str, int]:
    """Rules 2 and 3: the company answering investors, or the one a notice opens with."""
    answer = _ANSWER.search(raw)
    if answer and _clean(answer.group("name")):
        return answer.group("name"), answer.start("name")
    head = _DATELINE.match(masked)
    opener = _OPENER.match(masked, head.end() if head else 0)
    if opener and opener.start("name") < lead and _clean(opener.group("name")):
        return opener.group("name"), opener.start("name")
    return "", -1


def _listed(name: str, companies: frozenset[str] | set[str]) -> str:
    """The listed company this name is, if any (the name may carry a company suffix)."""
    if name in companies:
        return name
    for suffix in ("股份", "集团", "控股"):
        if name.endswith(suffix) and name[: -len(suffix)] in companies:
            return name[: -len(suffix)]
    return ""


def subject(raw: str, masked: str, found: list[tuple[int, str]], lead: int,
            companies: frozenset[str] | set[str]) -> Subject:
    """The company the text is about (module docstring); ``Subject()`` when there is none."""
    listed = [(start, term) for start, term in found if term in companies]
    coded = [(start, term) for start, term in listed if STOCK_CODE.match(masked, start + len(term))]
    if coded:
        return Subject(coded[0][1], coded[0][0], True)
    name, start = _named_subject(raw, masked, lead)
    if name:
        known = _listed(name, companies)
        return Subject(known or name, start, bool(known))
    in_lead = [(start, term) for start, term in listed if start < lead]
    named = next((m for m in NAMED.finditer(masked, 0, lead) if _clean(m.group())), None)
    if named and (not in_lead or named.end() <= in_lead[0][0]):
        return Subject(named.group(), named.start(), False)  # not listed: every listed one is named in passing
    if in_lead:
        return Subject(in_lead[0][1], in_lead[0][0], True)
    counts = Counter(term for _, term in listed)
    ranked = sorted(counts, key=lambda t: -counts[t])  # stable: the first named wins a tie
    if ranked and counts[ranked[0]] >= 2:
        return Subject(ranked[0], next(s for s, t in listed if t == ranked[0]), True)
    return Subject()
