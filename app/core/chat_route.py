"""Where a chat question goes: `match` (eligibility and fit), `profile` (facts about the client in
focus) or `retrieval` (everything else). Rules are data (app/data/chat_routes.yaml); the profile
and match routes need an enterprise in focus, otherwise the question goes to retrieval."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

ROUTES_FILE = Path(__file__).resolve().parents[1] / "data" / "chat_routes.yaml"


@lru_cache(maxsize=1)
def _rules() -> dict[str, list[re.Pattern[str]]]:
    raw = yaml.safe_load(ROUTES_FILE.read_text(encoding="utf-8"))
    return {route: [re.compile(p, re.IGNORECASE) for p in patterns] for route, patterns in raw.items()}


def route(question: str, has_enterprise: bool) -> str:
    rules = _rules()
    if not has_enterprise:
        return "retrieval"
    for name in ("match", "profile"):
        if any(p.search(question) for p in rules[name]):
            return name
    return "retrieval"
