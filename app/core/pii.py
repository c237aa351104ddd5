"""Personal data masking for logs and the audit trail: e-mails, phone numbers (mobile, landline,
international), Chinese ID-card numbers (18 and 15 digits), bank cards and passport numbers.

Text is NFKC-normalised first, so full-width digits and a full-width ＠ read as their ASCII
forms, and zero-width characters are dropped, so they cannot split a number. Phone numbers are
found by `phonenumbers` (Google's libphonenumber metadata, region CN: 0755-86013388, 0086 138…,
138.1234.5678, +44 …) with Chinese patterns behind it for numbers its metadata does not know yet.
Masking keeps enough to debug (the e-mail domain, a phone's or card's last four digits, an ID's
region prefix) and never the whole identifier. Amounts, dates and unified social credit codes
(91440300MA5…) are not personal data and stay as they are.

`install_log_masking()` masks every log record once, at creation, so every handler and formatter
sees masked text; string arguments are masked in place, so formatters that read `record.args`
(uvicorn's access log) keep working.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from phonenumbers import Leniency, PhoneNumberMatcher

_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# 15–19 digits, single spaces or hyphens between them, an ID's check character last
_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9](?:[ \-]?[0-9]){14,18}(?:[ \-]?[Xx])?(?![0-9A-Za-z])")
_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
_ID18 = re.compile(rf"[1-8][0-9]{{5}}(?:18|19|20)[0-9]{{2}}{_DATE}[0-9]{{3}}[0-9X]")
_ID15 = re.compile(rf"[1-8][0-9]{{5}}[0-9]{{2}}{_DATE}[0-9]{{3}}")
_PASSPORT_LABEL = re.compile(r"(?i)(passport|护照)((?:\s*(?:no\.?|number|#|号码|号))?\s*[:：]?\s*)"
                             r"((?=[A-Za-z0-9]*[0-9])[A-Za-z0-9]{6,12})(?![A-Za-z0-9])")
_PASSPORT = re.compile(r"(?<![0-9A-Za-z])[CDEGHKMPScdeghkmps][A-Za-z]?[0-9]{7,8}(?![0-9A-Za-z])")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_SEP = r"[ \-.]?"
_CN_PREFIX = rf"(?:(?:\+|00)?86{_SEP}|\(\+?86\)\s?)"
_CN_MOBILE = re.compile(rf"(?<![0-9]){_CN_PREFIX}?1[3-9][0-9](?:{_SEP}[0-9]{{4}}){{2}}(?![0-9])")
_CN_LANDLINE = re.compile(rf"(?<![0-9A-Za-z])(?:{_CN_PREFIX}\(?0?|\(?0)[1-9][0-9]{{1,2}}\)?{_SEP}"
                          rf"[2-9][0-9]{{2,3}}{_SEP}[0-9]{{4}}(?![0-9])")
_INTERNATIONAL = re.compile(r"(?<![\w+])\+[0-9](?:[ \-.()]{0,2}[0-9]){7,14}(?![0-9])")
# where the library looks: 7 or more digits with phone punctuation between (no number is shorter),
# so its cost follows the candidates, not the length of the text
_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])[+(]?[0-9](?:[ \-.()]{0,3}[0-9]){6,}")
_CONTEXT = 4  # characters around a candidate the library reads (a date's time, a letter before it)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def mask(text: str) -> str:
    """The text, normalised, with personal identifiers replaced by masked tokens."""
    if not text:
        return text
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    text = _NUMBER.sub(_number, text)
    text = _PASSPORT_LABEL.sub(lambda m: f"{m.group(1)}{m.group(2)}{_passport_token(m.group(3))}", text)
    text = _PASSPORT.sub(lambda m: _passport_token(m.group(0)), text)
    text = _EMAIL.sub(lambda m: f"[email ***@{m.group(1)}]", text)
    return _phones(text)


def _number(match: re.Match[str]) -> str:
    raw = match.group(0)
    chars = re.sub(r"[ \-]", "", raw).upper()
    if len(chars) == 18 and _uscc(chars) and not _id_checksum(chars):
        return raw  # an enterprise's credit code: public
    if _ID18.fullmatch(chars) or _ID15.fullmatch(chars):
        return f"[id {chars[:6]}********]"
    if chars.isdigit() and 16 <= len(chars) <= 19 and _card_like(raw, chars):
        return f"[card ***{chars[-4:]}]"
    return raw


def _card_like(raw: str, digits: str) -> bool:
    """Written like a card (groups of four, or a UnionPay 62 prefix) or passing the Luhn check."""
    groups = re.split(r"[ \-]", raw)
    return (len(groups) >= 4 and all(len(g) == 4 for g in groups[:-1])) or digits.startswith("62") or _luhn(digits)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _uscc(code: str) -> bool:
    """GB 32100-2015 check character of a unified social credit code."""
    if any(c not in _USCC_CHARS for c in code):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17]


def _id_checksum(code: str) -> bool:
    if not code[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(code[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == code[17]


def _passport_token(value: str) -> str:
    return f"[passport {value[0].upper()}***]" if value[0].isalpha() else "[passport ***]"


def _phone_token(raw: str) -> str:
    digits = re.sub(r"[^0-9]", "", raw)
    return f"[phone ***{digits[-4:]}]"


def _phones(text: str) -> str:
    text = _CANDIDATE.sub(_library_phones, text)
    for pattern in (_CN_MOBILE, _CN_LANDLINE, _INTERNATIONAL):
        text = pattern.sub(lambda m: _phone_token(m.group(0)), text)
    return text


def _library_phones(candidate: re.Match[str]) -> str:
    """The candidate with the numbers libphonenumber finds in it (reading a little around) masked."""
    text, start, end = candidate.string, candidate.start(), candidate.end()
    low = max(0, start - _CONTEXT)
    parts, last = [], start
    for found in PhoneNumberMatcher(text[low:end + _CONTEXT], "CN", leniency=Leniency.VALID):
        first, stop = found.start + low, found.end + low
        if first >= last and stop <= end:
            parts += [text[last:first], _phone_token(found.raw_string)]
            last = stop
    return "".join(parts) + text[last:end]


def _masked_args(args: Any) -> Any:
    if isinstance(args, tuple):
        return tuple(mask(a) if isinstance(a, str) else a for a in args)
    if isinstance(args, Mapping):
        return {k: mask(v) if isinstance(v, str) else v for k, v in args.items()}
    return args


def _mask_record(record: logging.LogRecord) -> None:
    """Mask the message and its string arguments, keeping the arguments' shape; only when personal
    data sits where that cannot reach (a number argument, or split between format and argument)
    is the message replaced by its masked text."""
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a malformed format string: leave it for logging to report
        return
    masked = mask(message)
    if masked == message:
        return
    msg, args = (mask(record.msg) if isinstance(record.msg, str) else record.msg), _masked_args(record.args)
    try:
        rebuilt = (msg % args) if args else str(msg)
    except (TypeError, ValueError, KeyError):
        rebuilt = None
    if rebuilt is not None and mask(rebuilt) == rebuilt:
        record.msg, record.args = msg, args
    else:
        record.msg, record.args = masked, ()


def _masked_factory(previous: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _mask_record(record)
        return record

    factory.sme_pii_masking = True  # type: ignore[attr-defined]
    return factory


def install_log_masking() -> None:
    """Mask personal data in every log record of this process; calling it twice is harmless."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "sme_pii_masking", False):
        mask("warm up +86 755 8601 3388")  # loads the phone metadata now, not in the first request
        logging.setLogRecordFactory(_masked_factory(current))
