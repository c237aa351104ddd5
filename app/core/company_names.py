"""A company's name as its documents write it → one form: a page saying "我司深圳市极光智能科技有限公司"
or "the Company, Aurora Robotics Co., Ltd." names the same firm as its cover page does, so the
profile shows one name, not a conflict.

What goes: the words a firm uses for itself before its name (我司, 本公司, 我公司, 本企业, "the Company",
"our company"), labels ("公司名称："), quotes around the name, full-width letters and digits (NFKC),
spaces inside a Chinese name. Chinese names keep full-width brackets （…）, as registered.
"""

from __future__ import annotations

import re
import unicodedata

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SELF = re.compile(r"^(?:我司|本公司|我公司|贵司|貴司|本企业|本企業|我单位|本单位|申请单位|申請單位|申请人|"
                   r"(?:公司|企业|企業)(?:名称|名稱|全称|全稱)\s*[:：]?)\s*")
_SELF_EN = re.compile(r"^(?:the company|our company|the issuer|the applicant|company name\s*:?)\s*[,:]?\s*(?:is\s+)?",
                      re.IGNORECASE)
# a descriptor written before a name in running text: "Austin-based", "Shenzhen-headquartered"
_DESCRIPTOR_EN = re.compile(r"^(?:[A-Z][\w.'-]*\s){0,2}[A-Z][\w.'-]*-(?:based|headquartered)\s+")
_QUOTES = "\"'“”‘’「」『』《》<>"
_SPACE_IN_CJK = re.compile(r"(?<=[\u4e00-\u9fff（）])\s+(?=[\u4e00-\u9fff（）])")


def normalise_company_name(text: str) -> str:
    """'我司深圳市极光智能科技有限公司' → '深圳市极光智能科技有限公司';
    'the Company, Aurora Robotics Co., Ltd.' → 'Aurora Robotics Co., Ltd.';
    'Austin-based Northwind Analytics Inc.' → 'Northwind Analytics Inc.'."""
    name = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().strip(_QUOTES + " ")
    previous = None
    while previous != name:  # "本公司（我司）…" and "公司名称：我司…": strip until nothing changes
        previous = name
        name = _DESCRIPTOR_EN.sub("", _SELF_EN.sub("", _SELF.sub("", name))).strip().strip(_QUOTES + " ,，:：")
    if _CJK.search(name):
        name = _SPACE_IN_CJK.sub("", name.replace("(", "（").replace(")", "）"))
    return name


def name_key(text: str) -> str:
    """The name for comparison only: case, punctuation and spacing set aside."""
    return re.sub(r"[\W_]+", "", normalise_company_name(text).casefold())
