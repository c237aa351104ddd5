"""Who the firm is: its name in one form and its unified social credit code only when the code's
check digit holds (GB 32100-2015).

A code whose check digit fails is kept, flagged, as `unified_social_credit_code.invalid` (a typo
in a document, an OCR misread, or a forgery: the RM should see it), never as the identifier.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from app.core.company_names import normalise_company_name
from app.core.profile import EnterpriseProfile, FieldValue
from app.core.types import Fact
from app.core.uscc import is_valid

USCC = "unified_social_credit_code"
INVALID_USCC = f"{USCC}.invalid"
INVALID_METHOD = "rule:invalid_check_digit"


def identity_fact(f: Fact) -> Fact | None:
    """The fact with its name normalised or its code flagged; None for a name that was only '我司'."""
    if f.field == "company_name" and isinstance(f.value, str):
        name = normalise_company_name(f.value)
        return replace(f, value=name) if name else None
    if f.field == USCC and not is_valid(str(f.value)):
        return replace(f, field=INVALID_USCC, method=INVALID_METHOD if f.method == "rule" else f.method)
    return f


def identity_facts(facts: Iterable[Fact]) -> list[Fact]:
    return [g for g in (identity_fact(f) for f in facts) if g is not None]


def flag_invalid_code(profile: EnterpriseProfile) -> EnterpriseProfile:
    """A profile given whole (POST /v1/match): an invalid code moves to the flagged field."""
    fv = profile.fields.get(USCC)
    if fv is None or is_valid(str(fv.chosen.value)):
        return profile
    fields = {k: v for k, v in profile.fields.items() if k != USCC}
    fields[INVALID_USCC] = FieldValue(replace(fv.chosen, field=INVALID_USCC),
                                      tuple(replace(c, field=INVALID_USCC) for c in fv.candidates), fv.conflict)
    return replace(profile, fields=fields)


def identifiers(profile: EnterpriseProfile) -> dict[str, str | None]:
    """The identifiers a partner system may key on: only a code whose check digit holds."""
    code = profile.value(USCC)
    return {USCC: str(code) if code is not None and is_valid(str(code)) else None}
