"""What the company does, in its own documents' words: the sentence stating its business ("公司专注于机器视觉
芯片与边缘AI模组，产品用于工业质检和智能驾驶", "The company builds machine-learning software for supply-chain
forecasting"). A sentence qualifies when the company is its subject (公司, 本公司, 我们, "The company", "We", a
name ending in a legal form) and a verb of doing business follows it closely (专注于, 主要从事, 致力于, 提供,
builds, develops, provides …). The field `business` holds it, cited; it answers "what does the company do?"
where the industry label alone ("B2B") would not."""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.core.facts import fact_rule
from app.core.types import Fact

_ZH_SUBJECT = r"(?:本公司|该公司|公司|我司|我们|本企业|企业|[\u4e00-\u9fff]{2,20}(?:有限公司|股份公司|集团))"
# the verb right after the subject (an adverb between: 主要, 专业 …); a bare 提供 only with what it provides as a
# business (产品, 服务, 解决方案 …): "公司提供的数据显示", "我们提供以下材料" state no business
_ZH_VERB = (r"(?:主要|专业|长期|一直|始终)?(?:专注于|专注|致力于|聚焦于|聚焦|从事|主营|主要产品为|主要产品是|是一家|为一家|"
            r"提供(?![的以])[^。！？；\n]{0,20}?(?:产品|服务|解决方案|平台|系统|软件|设备)|"
            r"研发(?:、生产)?(?:并|和)销售|开发并销售|研发、生产和销售|生产和销售|设计并销售)")
# the company as the sentence's subject: at its start (after an opening like 目前，), not the object of another verb
_ZH = re.compile(rf"(?:^|(?<=[。！？；\n]))\s*(?:(?:目前|现在|近年来|成立以来)[，,]?)?{_ZH_SUBJECT}{_ZH_VERB}[^。！？\n]{{0,120}}[。！？]?")
# the company, or a name with its legal form ("Lumen Robotics Ltd."): a bare capitalised noun ("The Board") is not it
_EN_SUBJECT = (r"(?:The company|The firm|The startup|We|Our company|[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,4}"
               r",?\s+(?:Inc|Ltd|LLC|Corp|Co|GmbH|plc|Limited)\.?)")
# (a verb in the third person after the company's name, or in the first person after "We": "We build …")
_EN_VERB = (r"(?:builds?|develops?|designs?|makes?|manufactures?|produces?|provides?|offers?|sells?|operates?|"
            r"speciali[sz]es? in|focus(?:es)? on|(?:is|are) an? [^.]{0,60}?(?:company|provider|developer|maker|manufacturer|"
            r"platform|startup))")
_EN = re.compile(rf"(?:^|(?<=[.!?\n]))\s*({_EN_SUBJECT}\s+(?:\w+ly\s+)?{_EN_VERB}\b[^\n]{{4,240}}?[.!?])(?=\s|$)")
_FIGURES = re.compile(r"\d[\d,.]*\s*(?:万|亿|元|%|million|billion)|[$¥€]\s?\d")


@fact_rule
def business(text: str) -> Iterator[Fact]:
    """Each sentence stating what the company does; one stating figures (revenue, funding) is not one."""
    for pattern in (_ZH, _EN):
        for m in pattern.finditer(text):
            start = m.start(1) if m.lastindex else m.start()
            sentence = text[start:m.end()].strip()
            start += len(text[start:m.end()]) - len(text[start:m.end()].lstrip())
            if _FIGURES.search(sentence) or len(sentence) < 8:
                continue
            yield Fact(field="business", value=sentence.rstrip("。.!！?？ "), quote=sentence,
                       span=(start, start + len(sentence)), confidence=0.7)
