"""What a chat turn streams: token, citation, match, notice, reset, done, error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Event:
    kind: str  # token | citation | match | notice | reset | done | error
    data: dict[str, Any]
