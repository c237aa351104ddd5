"""EnterpriseProfile ⇄ JSON: the stable shape of the API, the batch output and the profile store.

Every field carries its chosen value with its source (document, page, span, quoted words, source
type), all candidates when sources disagree, and for derived fields the facts they came from.
Reading accepts the same shape, or a bare `{"field": value}` mapping (facts given by a user).
"""

from __future__ import annotations

from typing import Any

from app.core.errors import InputError
from app.core.identity import identifiers
from app.core.label_names import label_text
from app.core.profile import EnterpriseProfile, FieldValue
from app.core.types import Fact


def _source(f: Fact) -> dict[str, Any]:
    return {"doc_id": f.doc_id, "page": f.page, "span": list(f.span) if f.span else None, "quote": f.quote,
            "source_type": f.source_type}


def fact_to_json(f: Fact) -> dict[str, Any]:
    out: dict[str, Any] = {"value": list(f.value) if isinstance(f.value, tuple) else f.value, "unit": f.unit,
                           "as_of": f.as_of, "confidence": round(f.confidence, 3), "method": f.method,
                           "source": _source(f)}
    if f.alternatives:
        out["alternatives"] = [[label, conf] for label, conf in f.alternatives]
    if f.inputs:
        out["inputs"] = [{"field": i.field, **fact_to_json(i)} for i in f.inputs]
    return out


def profile_to_json(profile: EnterpriseProfile) -> dict[str, Any]:
    fields = {}
    for name, fv in sorted(profile.fields.items()):
        row = fact_to_json(fv.chosen)
        row.update(quote=fv.chosen.quote, conflict=fv.conflict)
        if len(fv.candidates) > 1 or fv.conflict:
            row["candidates"] = [fact_to_json(c) for c in fv.candidates]
        fields[name] = row
    return {"enterprise_id": profile.enterprise_id, "name": profile.name, "identifiers": identifiers(profile), "fields": fields}


def fact_from_json(name: str, raw: Any) -> Fact:
    if not isinstance(raw, dict):
        return Fact(field=name, value=_value(raw), method="user", confidence=1.0, quote=f"{name} = {raw}")
    if "value" not in raw:
        raise InputError(f"profile field {name!r} has no 'value'")
    src = raw.get("source") or {}
    span = src.get("span")
    return Fact(field=name, value=_value(raw["value"]), unit=str(raw.get("unit") or ""),
                quote=str(src.get("quote") or raw.get("quote") or f"{name} = {raw['value']}"),
                doc_id=src.get("doc_id"), page=src.get("page"), span=tuple(span) if span else None,
                confidence=float(raw.get("confidence", 1.0)), method=str(raw.get("method") or "user"),
                as_of=raw.get("as_of"), source_type=str(src.get("source_type") or ""),
                inputs=tuple(fact_from_json(str(i.get("field", "")), i) for i in raw.get("inputs") or ()),
                alternatives=tuple((str(a[0]), float(a[1])) for a in raw.get("alternatives") or ()))


def _value(v: Any) -> object:
    return tuple(v) if isinstance(v, list) else v


def profile_from_json(raw: Any, enterprise_id: str = "") -> EnterpriseProfile:
    """A profile as written by profile_to_json, or {"enterprise_id", "name", "fields": {field: value}}."""
    if not isinstance(raw, dict):
        raise InputError("a profile must be a JSON object")
    fields_raw = raw.get("fields", {})
    if not isinstance(fields_raw, dict):
        raise InputError("profile 'fields' must be an object of field → fact")
    fields = {}
    for name, body in fields_raw.items():
        chosen = fact_from_json(name, body)
        candidates = tuple(fact_from_json(name, c) for c in body.get("candidates") or ()) if isinstance(body, dict) else ()
        fields[name] = FieldValue(chosen, candidates or (chosen,), bool(isinstance(body, dict) and body.get("conflict")))
    return EnterpriseProfile(str(raw.get("enterprise_id") or enterprise_id), str(raw.get("name") or ""), fields)


def profile_row(profile: EnterpriseProfile) -> dict[str, Any]:
    """The profile as JSON, with the industry and tech domains also summarised at the top."""
    row = profile_to_json(profile)
    industry = row["fields"].get("industry")
    if industry:
        row["industry"] = {"label": industry["value"], "confidence": industry["confidence"],
                           "runners_up": industry.get("alternatives", [])}
    tech = row["fields"].get("tech_domains")
    row["tech_domains"] = tech["value"] if tech else []
    # each taxonomy label's Chinese name, for a Chinese screen ("Industrials": 工业与硬科技)
    labels = [industry["value"]] if industry else []
    labels += list(row["tech_domains"]) if isinstance(row["tech_domains"], (list, tuple)) else [row["tech_domains"]]
    row["label_names"] = {str(x): name for x in labels if (name := label_text(x, "zh")) != str(x)}
    return row
