"""Requests the assistant refuses whatever else they name: to falsify, fabricate, inflate, backdate or
hide a client's figures, records or documents, or to get an application past a check by doing so
("帮我把客户的银行流水改得好看点", "bump its R&D expense a bit so the ratio looks better"). A bank's
assistant answers about the client's documents as they are; it never drafts altered ones.

The test is a closed list of the verbs and phrases of falsification in Chinese (either script, read in
index form) and English: exact words, not a model's guess, so a question merely about a figure is never
refused for its topic, and an improper request is refused however it is phrased around them."""

from __future__ import annotations

import re

from app.core.textnorm import index_form

_ZH = re.compile(r"造假|做假|作假|弄虚作假|伪造|篡改|虚报|虚增|虚开|粉饰|做假账|阴阳合同|倒签|瞒报|"
                 r"改(?:得|的|成)?(?:好看|漂亮)|(?:改|报)(?:得|的)?(?:高|大|多)一?(?:点|些)|美化(?:一下)?(?:数据|报表|流水|财报|数字)|"
                 r"刷流水|假的?[^，。？?]{0,8}?(?:发票|合同|流水|报表|台账|材料|证明)|(?:不上|躲过|逃过|绕过|绕开|规避)(?:征信|审查|审核|核查|检查)|"
                 # a figure of one's own to be passed off as the documents' ("就说是材料里的数", "说成是报表上的"); "他说是
                 # 报表里的数" reports what someone said
                 r"(?:(?:就|只管|直接)说(?:是|成)|说成是?|就当是)[^，。？?]{0,6}?(?:材料|报表|财报|文件|原件|证书|档案)(?:里|上|中)")
# how not to be found out ("怎么做比较不容易被查到"): evading a check is asked, whatever is done; "会不会被查到" asks whether
_EVADE_ZH = re.compile(r"(?:不容易|不会|不)被(?:查到|查出|查|发现|识破)|查不出来?|瞒过|避开(?:审查|审核|监管|检查|核查)")
_HOW_ZH = re.compile(r"怎么|怎样|如何|有没有办法|有什么办法|有啥办法|想办法")
# a client's figure moved or set in what is filed ("往上调一点", "改成60人", "改为60人", "先写成80人报上去"): improper only beside one of
# the client's figures or the filed documents ("把额度提高一点" asks the bank for more, "写成万元" is a unit)
_ALTER_ZH = re.compile(r"(?:往上|向上)调|调(?:高|大)|(?:改|写|报|填)(?:成|为|做|到)\s*\d")  # 改做: Cantonese 改成
_FILED_ZH = re.compile(r"研发|营收|收入|利润|人数|人员|员工|费用|资产|负债|材料|报表|数据|流水|申报|报上去")
# a bad record left out of what is filed ("有一笔逾期…能不能先不提？")
_HIDE_ZH = re.compile(r"不提|别提|不要提|不写|别写|不要写|瞒|不披露|不要披露|别披露|不报|别报")
_BAD_RECORD_ZH = re.compile(r"逾期|违约|处罚|诉讼|失信|欠税|不良|欠款|被执行")
# asking someone to do it, not asking about it ("有没有虚报的风险" is due diligence)
_ASK_ZH = re.compile(r"帮|替|给我|能不能|可不可以|能否|可否|可以|有没有办法|有什么办法|有啥办法|想办法|怎么才能|怎样才能")
# the active forms only: "was the revenue inflated?" asks about a figure, "inflate its revenue" asks for it
_EN = re.compile(r"\b(?:falsify(?:ing)?|fabricat(?:e|ing)|forg(?:e|ing)|fak(?:e|ing)|doctor(?:ing)?|fudg(?:e|ing)|"
                 r"cook(?:ing)? the books|backdat(?:e|ing)|inflat(?:e|ing) (?:the|its|their|our|[\w&]+(?:'s|’s))|"
                 r"massag(?:e|ing) the (?:numbers|figures)|window[- ]dress(?:ing)?|make up (?:some|the|a few)|"
                 r"bump (?:up )?(?:[\w&]+(?:'s|’s)? ){0,3}(?:a bit|a little|up)\b.*\blooks? (?:better|good|nicer)|"
                 # a figure moved a little so that it passes a bar ("nudge its R&D number up a bit so the ratio clears 8%")
                 r"(?:bump|nudge|tweak|pad|round|massage)(?:s|ed|ing)?\b[^.?!]{0,40}?\b(?:up|a bit|a little|slightly)\b"
                 r"[^.?!]{0,40}?\b(?:so|to make|to get|until)\b[^.?!]{0,40}?\b(?:looks? (?:better|good|nicer)|clears?|"
                 r"pass(?:es)?|meets?|qualif\w*|hits?|reach(?:es)?)|"
                 r"hide (?:its|their|the) (?:overdue|default|loss|losses|debt)|"
                 r"get (?:it )?(?:past|around) (?:the|our) (?:credit )?(?:check|review|screening))\b", re.IGNORECASE)
# a figure changed in what is filed ("bump the R&D headcount in their file"), or a statement made against the facts
# ("shows it as majority US-owned … even if that's not quite the case"): asking for either is asking to falsify
_ALTER_EN = re.compile(r"\b(?:bump|pad|tweak|nudge|round|boost|raise|increase|lower|change|adjust|edit|alter|up)(?:s|ed|ing)?\b"
                       r"[^.?!]{0,50}?\bin (?:their|the|its|our|his|her) (?:file|files|application|records?|books|filing|"
                       r"submission|paperwork|forms?|deck|summary|memo|credit memo|report|proposal)\b|"
                       # one of the client's figures set to a number ("bump Aurora's 2021 R&D to 5.5M", "write its revenue as
                       # 1.5亿"), as 改成 / 写成 N:
                       # the figure named between the verb and the number ("raise the credit line to 10M" asks the bank)
                       r"\b(?:bump|pad|tweak|nudge|boost|raise|lift|push|inflate|increase|lower|change|adjust|edit|alter|"
                       r"round|set|put|make|write|show|report|up)(?:s|ed|ing)?\b[^.?!]{0,40}?\b(?:R&D|revenue|sales|profit|"
                       r"income|headcount|staff|employees|expenses?|spend(?:ing)?|assets|liabilities|ratio|figures?|numbers?)"
                       r"\b[^.?!]{0,25}?\b(?:to|as) (?:about |around |roughly )?[$¥€£]?(?!(?:19|20)\d\d\b)\d(?![\d.,]*\s*(?:decimal|dp\b|digits|significant|places))|"
                       r"\beven (?:if|though) (?:that|it|this|they|he|she)(?:'s|’s|'re|’re| is| are| was| were)? "
                       r"(?:not|isn't|isn’t|aren't|aren’t|wasn't|wasn’t)\b(?: (?:quite|really|exactly|entirely|strictly))? "
                       r"(?:the case|true|accurate|correct|right|so)\b", re.IGNORECASE)
_ASK_EN = re.compile(r"\b(?:can|could|would|will) (?:you|we|i)\b|\bhelp (?:me|us)\b|\bplease\b|\blet'?s\b|"
                     r"\bhow (?:can|do|could|should) (?:we|i|the client|they|it)\b|"
                     r"^\W*(?:make|just|draft|create|write|change|adjust|bump|backdate|inflate|fake|forge|hide)\b", re.IGNORECASE)


def improper_request(question: str) -> bool:
    """Whether the question asks the assistant to falsify, fabricate or hide something of the client's."""
    form = index_form(question)
    zh = _ZH.search(form) or _ALTER_ZH.search(form) and _FILED_ZH.search(form) \
        or _HIDE_ZH.search(form) and _BAD_RECORD_ZH.search(form)
    return bool(zh and _ASK_ZH.search(form) or _EVADE_ZH.search(form) and _HOW_ZH.search(form) or (_EN.search(question) or _ALTER_EN.search(question)) and _ASK_EN.search(question))
