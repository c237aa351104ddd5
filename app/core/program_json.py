"""Programs and criteria to and from plain JSON (the stored form and the API form)."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import fields
from typing import Any

from app.core.criteria import to_json
from app.core.types import PUBLIC_TENANT, Criterion, Program


def program_to_json(p: Program, criteria: bool = True) -> dict[str, Any]:
    """Every field of the program (criteria left out when the caller reports them elsewhere); built
    field by field: asdict's deep copy of every criterion was a tenth of a match request's time."""
    data: dict[str, Any] = {f.name: getattr(p, f.name) for f in fields(p) if f.name != "criteria"}
    data["benefits"] = deepcopy(p.benefits)
    data["source"] = deepcopy(p.source)
    data["jurisdiction"] = list(p.jurisdiction)
    data["tags"] = list(p.tags)
    data["aliases"] = list(p.aliases)
    if criteria:
        data["criteria"] = [to_json(c) for c in p.criteria]
    return data


def criterion_from_json(d: dict[str, Any]) -> Criterion:
    value = tuple(d["value"]) if isinstance(d.get("value"), list) else d.get("value")
    return Criterion(
        field=d["field"], op=d["op"], value=value, unit=d.get("unit", ""), hard=d.get("hard", True),
        source_text=d.get("source_text", ""), value_text=d.get("value_text", ""),
        when=tuple(criterion_from_json(w) for w in d.get("when", [])),
        options=tuple(criterion_from_json(o) for o in d.get("options", [])),
        window_years=d.get("window_years"), extractor=d.get("extractor", "rule"),
    )


def program_from_json(d: dict[str, Any]) -> Program:
    return Program(
        id=d["id"], kind=d["kind"], title=d["title"], issuer=d.get("issuer", ""),
        jurisdiction=tuple(d.get("jurisdiction", ())), valid_from=d.get("valid_from"), valid_to=d.get("valid_to"),
        benefits=d.get("benefits", {}), criteria=tuple(criterion_from_json(c) for c in d.get("criteria", [])),
        tags=tuple(d.get("tags", ())), text=d.get("text", ""), source=d.get("source", {}),
        supersedes=d.get("supersedes"), label=d.get("label"), tenant=str(d.get("tenant") or PUBLIC_TENANT),
        aliases=tuple(d.get("aliases", ())),
    )
