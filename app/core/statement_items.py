"""The line items of financial statements (app/data/statement_items.yaml): each item's names in Chinese
and English and the statement it stands on (balance sheet, income statement, cash flow statement),
the standard ratios, identities and totals read off them. Read once, through a pydantic schema
(extra="forbid": a misspelt key is an error naming the file and its line). Used to answer a client's
statement lines in chat (app/core/statement_lines.py) and to tell which statement a question asks of a
filing (app/core/page_rank.py)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.textnorm import index_form
from app.core.yaml_data import parse_yaml

ITEMS_FILE = Path(__file__).resolve().parents[1] / "data" / "statement_items.yaml"
Statement = Literal["balance", "income", "cash_flow"]


class StatementItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    zh: list[str]
    en: list[str]
    statement: Statement  # the statement the line stands on


class NamedRatio(BaseModel):
    """A standard ratio (资产负债率 = 负债合计 / 资产总计): its names, and its two items by a Chinese name."""

    model_config = ConfigDict(extra="forbid")
    zh: list[str]
    en: list[str]
    top: str
    bottom: str
    times: bool = False


class Identity(BaseModel):
    """A line given by two others when a statement leaves it out: the first minus the second."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    item: str
    parts: list[str] = Field(alias="from", min_length=2, max_length=2)


class NamedSum(BaseModel):
    """A standard total of line items a statement does not state as one line (借款合计 = 短期借款 + 长期借款):
    its names, and its parts by a Chinese name of each."""

    model_config = ConfigDict(extra="forbid")
    zh: list[str]
    en: list[str]
    parts: list[str] = Field(min_length=2)


class StatementItems(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[StatementItem]
    ratios: list[NamedRatio] = []
    identities: list[Identity] = []
    sums: list[NamedSum] = []


def _items_file() -> StatementItems:
    return parse_yaml(ITEMS_FILE.read_text(encoding="utf-8"), StatementItems, str(ITEMS_FILE))


@lru_cache(maxsize=1)
def statement_items() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Each line item's names (Chinese in index form, English lower case), app/data/statement_items.yaml."""
    return tuple((tuple(index_form(z) for z in i.zh), tuple(e.lower() for e in i.en)) for i in _items_file().items)


@lru_cache(maxsize=1)
def named_ratios() -> tuple[NamedRatio, ...]:
    """The standard ratios of app/data/statement_items.yaml (资产负债率, current ratio …)."""
    return tuple(_items_file().ratios)


@lru_cache(maxsize=1)
def identities() -> tuple[Identity, ...]:
    """The identities that give a line left out of a statement (负债合计 = 资产总计 − 所有者权益合计)."""
    return tuple(_items_file().identities)


@lru_cache(maxsize=1)
def named_sums() -> tuple[NamedSum, ...]:
    """The standard totals of app/data/statement_items.yaml (借款合计: short- plus long-term borrowings)."""
    return tuple(_items_file().sums)


@lru_cache(maxsize=1)
def item_statements() -> dict[str, Statement]:
    """Each name of a line item (Chinese in index form, English lower case) and the statement it stands on."""
    out: dict[str, Statement] = {}
    for item in _items_file().items:
        for name in [*(index_form(z) for z in item.zh), *(e.lower() for e in item.en)]:
            out.setdefault(name, item.statement)
    return out
