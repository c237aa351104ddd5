"""Search filters: which chunks a search may return, checked on each candidate's row.

The document-metadata filters (`company`, `period`, `doc_type`) are resolved to documents by the
routing stage (app/core/routed_search.py), which searches only those documents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    tenant: str | None = None
    enterprise_id: str | None = None
    doc_id: str | None = None
    lang: str | None = None
    issuer: str | None = None
    jurisdiction: str | None = None  # matches any level of the document's jurisdiction path
    valid_on: date | None = None  # documents valid on this date (default today)
    include_expired: bool = False
    company: str | None = None  # any of the company's names or its ticker
    period: str | None = None  # "FY2022", "2023Q2", "2022"
    doc_type: str | None = None  # "annual_report" or "10-K", "quarterly_report", "earnings_release", ...

    @property
    def on_metadata(self) -> bool:
        return bool(self.company or self.period or self.doc_type)

    def accepts(self, row: Row) -> bool:
        exact = (("kind", self.kind), ("tenant", self.tenant), ("enterprise_id", self.enterprise_id),
                 ("doc_id", self.doc_id))
        if any(want is not None and row[col] != want for col, want in exact):
            return False
        if self.lang and not str(row["lang"] or "").startswith(self.lang):
            return False
        if self.issuer and self.issuer.lower() not in str(row["issuer"] or "").lower():
            return False
        if self.jurisdiction and self.jurisdiction not in str(row["jurisdiction"] or "").split(">"):
            return False
        return self.include_expired or _valid(row, self.valid_on or date.today())


def _valid(row: Row, on: date) -> bool:
    day = on.isoformat()
    return not ((row["valid_to"] and row["valid_to"] < day) or (row["valid_from"] and row["valid_from"] > day))
