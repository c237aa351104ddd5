"""Personal data masking for logs and the audit trail: e-mails, phone numbers, Chinese ID-card numbers.

Masking keeps enough to debug (the e-mail domain, a phone's last four digits, an ID's region
prefix) and never the whole identifier. `install_log_masking()` rewrites every log record's
message once, at creation, so every handler and formatter sees the masked text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

# ID card first: 18 characters (17 digits + check digit or X), so the phone pattern cannot eat part of it
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_CN_MOBILE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d{2,4}\)?(?:[ -]\(?\d{2,4}\)?){1,3}[ -]\d{3,4}(?!\d)")  # 010-8888 6666, +1 415 555 0100


def _last4(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return f"[phone ***{digits[-4:]}]"


def mask(text: str) -> str:
    """The text with personal identifiers replaced by masked tokens."""
    if not text:
        return text
    text = _ID_CARD.sub(lambda m: f"[id {m.group(1)}********]", text)
    text = _EMAIL.sub(lambda m: f"[email ***@{m.group(1)}]", text)
    text = _CN_MOBILE.sub(_last4, text)
    return _PHONE.sub(_last4, text)


def _masked_factory(previous: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed format string: leave it for logging to report
            return record
        record.msg, record.args = mask(message), None
        return record

    factory.sme_pii_masking = True  # type: ignore[attr-defined]
    return factory


def install_log_masking() -> None:
    """Mask personal data in every log record of this process; calling it twice is harmless."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "sme_pii_masking", False):
        logging.setLogRecordFactory(_masked_factory(current))
