"""Company names in comparable form: "BEST BUY CO., INC.", "Best Buy" and "Best Buy's" are one name;
"深圳市某某科技股份有限公司" and "某某科技" too. Used by document metadata and by query routing."""

from __future__ import annotations

import re

from app.core.textnorm import index_form

# legal-form words at the end of a name; they never tell two companies apart
_EN_SUFFIX = frozenset(["inc", "incorporated", "corp", "corporation", "co", "company", "companies", "plc", "ltd",
                        "limited", "llc", "lp", "llp", "sa", "ag", "nv", "se", "holdings", "holding", "group",
                        "the", "and", "&"])
_ZH_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团股份有限公司|集团有限公司|集团|股份公司|公司)$")
_ZH_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}?(?:省|市|自治区|特别行政区))+")
_TOKEN = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]+")


def tokens(name: str) -> list[str]:
    """Lower-case word tokens; possessives and punctuation dropped ("Coca-Cola's" → coca, cola)."""
    text = index_form(name).replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    return _TOKEN.findall(text)


def core(name: str) -> str:
    """The distinguishing part of a company name: legal-form words dropped from both ends
    ("THE BOEING COMPANY" → "boeing"), a Chinese name without its legal form or place prefix."""
    toks = tokens(name)
    while toks and toks[-1] in _EN_SUFFIX:
        toks.pop()
    while toks and toks[0] == "the":
        toks.pop(0)
    out = " ".join(toks)
    if out and not out.isascii():
        out = _ZH_SUFFIX.sub("", out.replace(" ", ""))
    return out


def zh_short(name: str) -> str:
    """A Chinese legal name without the place it was registered ("深圳市腾讯计算机系统有限公司" → "腾讯计算机系统")."""
    base = core(name)
    short = _ZH_PLACE.sub("", base)
    return short if len(short) >= 2 else base
