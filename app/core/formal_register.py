"""Formal written Chinese questions (公文 / 書面語), read in plain Mandarin.

Auditors, compliance officers and government staff ask in the formal written register: "2023年度之研發費用為若干？",
"貸款金額區間為何？", "金額幾何？". The question's parser (app/core/asked_attribute.py), the intent router and the
answer checks read plain Mandarin interrogatives (多少, 是什么), so `plain_form` writes the formal interrogatives
that close a clause as those: 為若干 / 若干 → 是多少 / 多少, 為何 → 是什么, 幾何 → 多少. Only at the end of a clause
(before ？ ? 。 ， or the end): inside one, 若干 is "several" (若干意見), 為何 is "why" (為何未申報) and 幾何 is
geometry. The script is kept (a traditional question gets traditional words). Like
app/core/cantonese.mandarin_form, a form for reading the question; the user's own words are kept elsewhere."""

from __future__ import annotations

import re

from app.core.textnorm import written_traditional

_END = r"(?=\s*(?:[？?。，,；;！!]|$))"
_FORMAL = re.compile(rf"(?P<w>[为為是])?(?P<q>若干|几何|幾何|何)(?:者)?{_END}")


def plain_form(text: str) -> str:
    """The question with the formal interrogatives that end a clause written as plain Mandarin ones, and the colloquial
    啥 ("啥时候发的证", "还差啥", "为啥") as 什么, as every reader of the question reads it; unchanged when it has none."""
    if "啥" in text:
        text = text.replace("啥", "什麼" if written_traditional(text) else "什么")
    if not re.search(r"若干|[几幾]何|[为為是]何", text):
        return text
    traditional = written_traditional(text)

    def plain(m: re.Match[str]) -> str:
        lead, word = m.group("w") or "", m.group("q")
        if word == "何":
            if not lead:
                return m.group(0)  # (何 alone closes nothing plain: 如何, 为何 are read as they are)
            return "是什麼" if traditional else "是什么"
        return ("是" if lead else "") + "多少"

    return _FORMAL.sub(plain, text)
