"""A request worded as an order read as the question it stands for.

An RM types "List the investors in Northwind's Series A." or "I'd like Northwind's count of granted
patents" as often as "Who invested…?" / "How many patents…?". The intent classifier reads whole
sentences: its exemplars are mostly questions, and an order's opening ("List…", "I'd like…", "Pull…")
pulls it towards the match lists, whose exemplars are requests ("list programs that fit"). The
opening says only that something is asked, so the classifier reads the order with its opening
worded as a question ("What are the investors in Northwind's Series A."); the words after it, which
say what is asked, are left as typed. English only: a Chinese request's opening (帮我查下, 麻烦看下)
is a short prefix the model already reads past.
"""

from __future__ import annotations

import re

# an opening of a few words before the order ("ok so", "quick one —", "hey,")
_LEAD = r"(?:(?:ok(?:ay)?|so|hey|hi|also|and|quick one|quick q)\b[\s,:;—–-]*)*"
_POLITE = r"(?:(?:please|pls|plz|kindly)\s+)?"
# verbs of fetching something to the asker; "check" and "find out" are left alone: "check whether it qualifies" asks a
# yes or no, not a value
_FETCH = (r"(?:list|give me|get me|show me|tell me|send me|pull(?: up| out)?|fetch|look up|quote|provide|share|"
          r"bring up|dig up|grab)")
_ORDER = re.compile(
    rf"^\s*{_LEAD}{_POLITE}(?:"
    rf"(?:can|could|would|will) you\s+{_POLITE}{_FETCH}"
    rf"|(?:i'd|i would|we'd|we would) like(?: to (?:know|see|get|have|hear))?"
    rf"|(?:i|we) (?:need|want)(?: to (?:know|see|get|have|hear))?"
    rf"|need"
    rf"|{_FETCH}(?=\s+(?:me|us|the|its|their|this|that|these|those|a|an|all|any|each|every|both|whatever|"
    rf"how|what|which|who|when|where|(?-i:[A-Z])))"  # a bare order: its object follows ("share price?" is no order)
    rf")\b[\s,:]*(?:me\s+|us\s+)?",
    re.IGNORECASE)


# a question relayed from someone else ("The founder wants to know how much…", "Caller asks: under STTR…",
# "my manager asked me to check if…", 客户问他们去年研发花了多少, 老板說想知道…): the relayed question is the question
_RELAYER = (r"(?:(?:the|my|our|a|this)\s+)?(?:client|customer|caller|founder|co-?founder|ceo|cfo|boss|manager|colleague|"
            r"rm|team lead|owner|director|he|she|they|someone)")
_RELAYED_EN = re.compile(
    rf"^\s*{_LEAD}{_RELAYER}\s+(?:(?:is|was)\s+)?(?:asked me to (?:check|find out|look up)|asks|asked|asking|"
    rf"wants to know|wanted to know|would like to know|needs to know|is wondering|was wondering|wonders)\b(?:\s+(?:me|us))?"
    rf"[\s,:;—–-]*(?:(?:if|whether)\b\s*)?",
    re.IGNORECASE)
_RELAYED_ZH = re.compile(
    r"^\s*(?:来电的?|來電的?|这位|這位|那位)?(?:客户|客戶|老板|老闆|对方|對方|领导|領導|经理|經理|同事|创始人|創始人|财务|財務|他们|他們|他|她)"
    r"(?:这边|這邊|那边|那邊)?(?:在|刚才|剛才|刚刚|剛剛)?(?:说|說)?(?:想|想要|希望|让我|讓我|叫我)?"
    r"(?:问|問|知道|了解|咨询|諮詢|打听|打聽|确认|確認|查)(?:一下|下|了|说|說)?[\s:：,，]*")


# what the asker needs it for or how urgently, before the question ("For the KYC file: …", "Quick check on …", "Need this
# for the memo -"): the model reads a file or a memo into the question's topic (a tax record, a document)
_ERRAND = re.compile(
    r"^\s*(?:(?:quick|short) (?:check|question|q)(?: on)?|"
    r"(?:need (?:this|it) )?for (?:the|our|my|a) (?:kyc |credit |loan |risk |committee |client )?"
    r"(?:file|memo|record|committee|deck|report|review|application|form)s?|fyi|btw)\b\s*[:,;—–-]*\s*",
    re.IGNORECASE)


def unrelayed(text: str) -> str:
    """The question without the words that relay it ("The founder wants to know whether…" → the rest)."""
    m = _RELAYED_EN.match(text) or _RELAYED_ZH.match(text)
    return text[m.end():] if m is not None and text[m.end():].strip() else text


def unframed(text: str) -> str:
    """The text without the asker's errand before it and the words relaying it ("Caller asks: under STTR, …" → "under
    STTR, …"): words no passage states, which a grounded answer would otherwise look for."""
    bare = _ERRAND.sub("", text, count=1)
    return unrelayed(bare if bare.strip() else text)


def as_question(text: str) -> str:
    """The text without the asker's errand before it ("For the KYC file:"), a relayed question without its relaying
    words, and an order's opening ("List", "I'd like", "Can you pull up") worded "What are"; other
    text unchanged. A question inside the order ("tell me how many…") is that question; an opening followed
    by nothing, or by "if" / "whether" (a yes-or-no asked), is left as typed."""
    text = unframed(text)
    m = _ORDER.match(text)
    if m is None:
        return text
    rest = text[m.end():]
    if not rest.strip() or re.match(r"(?:if|whether)\b", rest, re.IGNORECASE):
        return text
    if re.match(r"(?:how|why|when|where|who|which|what)\b", rest, re.IGNORECASE):
        return rest  # a question inside the order ("tell me how many patents it holds")
    return "What are " + rest
