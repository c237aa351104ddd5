"""What a text says about the firm's own financing is no evidence of its industry.

A startup's plan names the bank it writes to, the bank that holds its account or lends to it, and
the investors of its rounds; none of that says what the firm makes. Read as evidence, such clauses
pull every plan towards finance (银行, 贷款, investors, credit). ``drop_financing`` removes the
clauses that describe the firm's own funding or banking relationships before a taxonomy
classifier reads the text, so both the keyword evidence and the embedding read what the firm does.

A clause (a stretch between 。！？；，;, or a sentence end) is dropped when it has the form of a
financing statement, by generic patterns, not by names:

- a funding round or its parties: a named round (天使轮, Pre-A, A+轮, "Series B", "seed round",
  "last round"), 领投 / 跟投 / 投资方 / 股东包括, "our investors", "investors include", raising
  money (完成…融资, "raised $6M", "closed a round"); "backed by" / "funded by" drops the clause
  from there on (what precedes it, "an AI-native BPO backed by …", may say what the firm does);
- a bank relationship: a bank (…银行, "Bank", 銀行 after normalisation) in the same clause as a
  loan, a credit line, an account, an application or the plan being submitted to it; or loan and
  credit forms that are a borrower's own (信用贷款, 授信, "line of credit", "venture debt").

A bank that is a customer or a partner in the firm's product ("合作银行包括…", "deposits are held
at our partner bank") is not a financing statement and stays. Texts whose every clause would go
are kept whole: something must be read.

``drop_customers`` (the ``customers`` filter) likewise drops the clauses that list the firm's
customers (客户包括…, "customers include", "we sell to"): their industry is at most weak evidence
of the firm's. startup_industry does not use it: on the probe's tuning half it changed nothing.
"""

from __future__ import annotations

import re

from app.core.textnorm import index_form

# clause ends: sentence ends and clause punctuation, but not a decimal point or an abbreviation's dot
_CLAUSE = re.compile(r"[。！？；;!?，,]|\.(?=\s|$)")

_ROUND_ZH = (r"(?:天使|种子|战略|Pre-?[A-E]|[A-E]\+?|新一)轮|领投|跟投|投资方|投资人|投资机构|股东(?:包括|为|有)"
             r"|(?:完成|获得|获|启动|筹备|开启|本轮|本次|累计|拟|计划)[^，。；]{0,12}(?:融资|募资|投资)"
             r"|(?:融资|募资)(?:金额|计划|将用于|资金)")
_ROUND_EN = (r"\b(?:pre-)?seed (?:round|funding)|\bseries [a-f]\b|\b(?:last|latest|previous|funding|financing) round\b"
             r"|\b(?:our|existing|lead|current) investors?\b|\binvestors? (?:include|including|are|such as)\b|\b(?:raised|raise|raising|closed)\b[^.;]{0,40}"
             r"(?:\$|€|£|round|funding|financing|million|\bm\b)|\bventure (?:debt|fund)|\bventure capital\b")
_BANK_ZH = r"银行"
_BANK_EN = r"\bbank\b|\bbanks?\b(?= with)|\bbanking\b"
_RELATION_ZH = (r"贷款|借款|授信|开户|开立|基本户|账户|帐户|科创贷|融资租赁|结算|申请|呈交|提交|审阅|洽谈"
                r"|质押|额度|联贷|商业计划书|计划书")
_RELATION_EN = (r"\bloans?\b|\bcredit (?:line|facility)|\bline of credit\b|\bdebt\b|\bsubmitted\b"
                r"|\b(?:our|its|operating) (?:\w+ )?accounts?\b|\baccounts? (?:are |is )?(?:held )?(?:with|at)\b"
                r"|\bpitch(?:ing)?\b|\bthis plan\b|\bfinanc(?:ing|ed)\b|\bfacility\b|\bbank with\b")
_OWN_CREDIT = (r"信用贷款|流动资金贷款|项目贷款|创业贷款|知识产权质押|信用保证|授信|\bline of credit\b|\bcredit line\b"
               r"|\bventure debt\b|\bterm loan\b|\bworking[- ]capital (?:facility|loan|credit)")

_ROUND = re.compile(f"{_ROUND_ZH}|{_ROUND_EN}", re.IGNORECASE)
_BANK = re.compile(f"{_BANK_ZH}|{_BANK_EN}", re.IGNORECASE)
_RELATION = re.compile(f"{_RELATION_ZH}|{_RELATION_EN}", re.IGNORECASE)
_CREDIT = re.compile(_OWN_CREDIT, re.IGNORECASE)
# "…, backed by X": what comes before the backers may still say what the firm does
_BACKERS = re.compile(r"\b(?:backed|funded|financed) by\b", re.IGNORECASE)


def is_financing(clause: str) -> bool:
    """Whether a clause states the firm's own funding round, investors or bank relationship."""
    if _ROUND.search(clause) or _CREDIT.search(clause):
        return True
    return bool(_BANK.search(clause) and _RELATION.search(clause))


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause, its closing punctuation included."""
    spans, start = [], 0
    for match in _CLAUSE.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _kept(clause: str) -> str:
    """The clause, its part before the backers it names, or nothing when it is financing."""
    backers = _BACKERS.search(clause)
    if backers:
        return "" if is_financing(index_form(clause[: backers.start()])) else clause[: backers.start()] + " "
    return "" if is_financing(index_form(clause)) else clause


def drop_financing(text: str) -> str:
    """The text without its financing clauses (the whole text when every clause is one)."""
    out = "".join(_kept(text[a:b]) for a, b in clauses(text)).strip()
    return out if out else text


_CUSTOMERS = re.compile(r"客户(?:包括|为|有|涵盖|覆盖|主要为|群体)|服务对象|终端客户|下游客户"
                        r"|\b(?:customers|clients) (?:include|including|are|such as)\b|\bare (?:our )?(?:customers|clients)\b"
                        r"|\bused by\b|\bsells? to\b", re.IGNORECASE)


def drop_customers(text: str) -> str:
    """The text without the clauses that list its customers (their industry is not the firm's)."""
    out = "".join(text[a:b] for a, b in clauses(text) if not _CUSTOMERS.search(index_form(text[a:b]))).strip()
    return out if out else text


# named evidence filters a taxonomy file may list (``evidence_filters``), applied in order
EVIDENCE_FILTERS = {"financing": drop_financing, "customers": drop_customers}
