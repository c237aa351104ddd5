"""Investors by full legal name: a known short name ("深创投") resolves through the alias table in
app/data/investor_aliases.yaml; a name not in it is kept as the document wrote it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from app.core.yaml_data import parse_yaml

ALIASES_FILE = Path(__file__).resolve().parents[1] / "data" / "investor_aliases.yaml"


class _Aliases(BaseModel):
    model_config = ConfigDict(extra="forbid")
    aliases: dict[str, str]


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    return parse_yaml(ALIASES_FILE.read_text(encoding="utf-8"), _Aliases, str(ALIASES_FILE)).aliases


def legal_name(name: str) -> str:
    return aliases().get(name.strip(), name.strip())


def as_written(name: str, quote: str, lang: str) -> str:
    """A legal name with the short name the quoted document wrote it by, when it did ("深圳市创新投资集团
    有限公司（深创投）"): the reader matches the answer to the cited sentence."""
    said = quote.replace(name, " ")  # the legal name written out holds its short name ("元禾控股"): not a use of it
    short = next((a for a, legal in aliases().items() if legal == name and a != name and a in said), None)
    if short is None:
        return name
    return f"{name}（{short}）" if lang == "zh" else f"{name} ({short})"
