"""The registered address as the documents state it ("注册地址：广东省深圳市南山区粤海街道科技园",
"Registered office: 1 Main Street, Leeds"), cited: the region field holds the place as a path of the region
tree (省 > 市 > 区), the address holds the street. Only an address labelled as registered (注册地址, 注册地,
住所, registered address / office) is read: an office or a branch address is not the firm's legal one."""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.core.facts import fact_rule
from app.core.types import Fact

_ZH = re.compile(r"(?:注册地址|註冊地址|注册地|註冊地|住所|企业住所)\s*[:：为為]\s*([^。；;\n]{4,80})")
_EN = re.compile(r"\bregistered (?:address|office)\s*(?:[:：]|is(?:\s+at)?|at)\s*([^\n;]{6,160}?)(?=\.\s|\.$|;|\n|$)",
                 re.IGNORECASE)
# an address names a street-level part: in Chinese by its address words (a number alone is no address: "3年内租赁"),
# in English by a house number or a street word
_STREET_ZH = re.compile(r"路|街|道|号|號|园|園|大厦|大廈|楼|樓|室|镇|鎮|村|弄|巷")
_STREET_EN = re.compile(r"\d|\b(?:street|st|road|rd|avenue|ave|lane|way|suite|floor|building|park|drive|boulevard|blvd)\b",
                        re.IGNORECASE)


@fact_rule
def registered_address(text: str) -> Iterator[Fact]:
    for pattern in (_ZH, _EN):
        for m in pattern.finditer(text):
            value = m.group(1).strip().rstrip("，,。.")
            if (_STREET_ZH if pattern is _ZH else _STREET_EN).search(value):
                yield Fact(field="address", value=value, quote=m.group(0), span=m.span(1), confidence=0.85)
