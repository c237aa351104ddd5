"""English chat shorthand written out, before a question is read.

RMs type on phones: "how many ppl do R&D", "rev last yr", "the co's HQ". The intent model, the
profile's vocabulary and the grounded composer all read words, and a shorthand is a word none of
them knows, so "ppl" is read as an attribute no field holds. Each shorthand here is a standard
texting or business abbreviation with one reading in a bank's chat about a firm; one that could be
something else there ("no." a number or a "no", "MO" a US state, "cert" already a word of the
vocabulary, "k" a thousand) is left as typed; "n" is "and" only between two words, "exp" an expense unless a date
follows (an expiry). Only whole words change; the user's own words are kept for the transcript and the answer's
language. "rd" is a round only after the round's letter ("their A rd"); a discourse
particle of Singapore or Malaysian English closing a clause ("raise how much ah?") is tone and is dropped.

Dictated Chinese comes without punctuation, its pauses as spaces ("极光现在总共多少员工 然后研发的人有多少"):
Chinese is written without spaces, so a space between two runs of Chinese of clause length (four characters or
more each) is written as the comma it stands for, and each clause is read as one; spaces around shorter runs part
words ("极光 纳税信用等级 是 A 级吗") and stay.
"""

from __future__ import annotations

import re

SHORTHAND = {
    "ppl": "people", "yr": "year", "yrs": "years", "qtr": "quarter", "qtrs": "quarters",
    "rev": "revenue", "co": "company", "cos": "companies", "biz": "business", "mgmt": "management",
    "govt": "government", "gov't": "government", "approx": "approximately", "avg": "average", "amt": "amount",
    "pct": "percent", "info": "information", "thru": "through", "w/": "with", "w/o": "without", "b/c": "because",
    "emp": "employees", "emps": "employees", "hc": "headcount", "max": "maximum", "hq": "headquarters",
    "reqs": "requirements", "req": "requirement", "reqd": "required", "mfg": "manufacturing", "mkt": "market",
    "stmt": "statement", "stmts": "statements", "fin": "financial", "recog": "recognition", "natl": "national",
    "intl": "international", "mgr": "manager", "1st": "first",
}
# a whole English word: Chinese may touch it ("研发ppl多少"), a letter, digit, hyphen or slash may not ("co-founder", "yr/yr")
_WORD = re.compile(r"(?<![A-Za-z0-9_/'’-])(" + "|".join(sorted(map(re.escape, SHORTHAND), key=len, reverse=True))
                   + r")(?![A-Za-z0-9_'’-])(?!/[A-Za-z0-9])\.?", re.IGNORECASE)


# a space between two runs of Chinese of four characters or more: a pause between clauses ("…多少员工 然后研发的人有多少");
# a space around a shorter run parts words, as some type them ("极光 纳税信用等级 是 A 级吗")
_PAUSE = re.compile(r"(?<=[\u3400-\u9fff]{4})[ \t\u3000]+(?=[\u3400-\u9fff]{4})")


# "rd" after a round's letter or name is the round ("their A rd", "seed rd"); alone it may be R&D, and stays
# (a capital letter only: "a rd ratio" is an article and R&D)
_ROUND = re.compile(r"(?<![A-Za-z0-9_-])((?:[Pp]re-?)?[A-E]\+?|[Ss]eed|[Aa]ngel)\s+rd(?![A-Za-z0-9_'’-])\.?")


# a discourse particle of Singapore or Malaysian English closing a clause ("raise how much ah?", "can or not lah"):
# the asker's tone, no word of what is asked
_PARTICLE = re.compile(r"(?<=[A-Za-z0-9])\s+(?:ah|lah|leh|lor|meh|hor)(?=\s*(?:[?？!！.。,，]|$))", re.IGNORECASE)


# "exp" is an expense ("r&d exp 2021", "int exp"), but an expiry before a date ("cert exp date", "exp 2026-12-11"; a
# year alone is the expense's: "r&d exp 2021")
_EXPENSE = re.compile(r"(?<![A-Za-z0-9_/'’-])(exp)(s?)(?![A-Za-z0-9_'’-])(?!\.?\s*(?:date|dt|on\b|\d{1,4}[-/.]\d))", re.IGNORECASE)


# "n" between two words is "and" as texted ("how much n who led", "q4 spend n what project"); a capital N, or an n
# next to a digit, sign or stop ("N/A", "n=38", "n.") is left as typed
_AND = re.compile(r"(?<=[a-z0-9?)] )n(?= [a-z])")


def written_out(text: str) -> str:
    """The text with each English chat shorthand written out ("how many ppl do R&D" → "how many people do R&D"),
    and each pause of dictated Chinese (a space between Chinese characters) as a comma."""
    text = _AND.sub("and", _PARTICLE.sub("", _ROUND.sub(lambda m: f"{m.group(1)} round", text)))
    text = _EXPENSE.sub(lambda m: "expense" + ("s" if m.group(2) else ""), text)
    return _PAUSE.sub("，", _WORD.sub(lambda m: SHORTHAND[m.group(1).lower().replace("’", "'")], text))
