"""Profiles as a flat table (CSV or Parquet), one row per enterprise, streamed from the JSONL.

The columns are fixed by the field vocabulary (app/core/fields.py), so every run writes the same
columns with the same types whatever the documents held: enterprise_id, name, failed_files, then
per field `<field>` (the chosen value: a number, a bool for yes/no facts, else text with lists
joined by "; " and events as JSON), `<field>.unit`, `<field>.as_of`, `<field>.source`
("doc_id#page=N" or the source type), `<field>.quote` and `<field>.conflict`. A field outside the
vocabulary stays in the JSONL only. One pass, so a million profiles never sit in memory; the file
is written beside and renamed into place.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from app.core.fields import FIELDS, PROFILE_ONLY, kind_of

CHUNK_ROWS = 10_000
_NUMBER_KINDS = {"money", "count", "items", "ratio", "years", "months"}


def _shown(value: Any, kind: str | None) -> Any:
    if kind == "events":
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "; ".join(map(str, value)) if isinstance(value, list) else value


def flatten(row: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {"enterprise_id": row["enterprise_id"], "name": row.get("name", ""),
                            "failed_files": "; ".join(row.get("failed_files") or [])}
    for name, f in sorted(row.get("fields", {}).items()):
        value = f.get("value")
        flat[name] = _shown(value, kind_of(name))
        src = f.get("source") or {}
        where = f"{src['doc_id']}#page={src['page']}" if src.get("doc_id") else src.get("source_type") or f.get("method", "")
        flat.update({f"{name}.unit": f.get("unit", ""), f"{name}.as_of": f.get("as_of"), f"{name}.source": where,
                     f"{name}.quote": f.get("quote", ""), f"{name}.conflict": bool(f.get("conflict"))})
    return flat


def _rows(journal: Path) -> Iterator[dict[str, Any]]:
    with journal.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield flatten(json.loads(line))


def _type(kind: str) -> pa.DataType:
    return pa.float64() if kind in _NUMBER_KINDS else pa.bool_() if kind == "flag" else pa.string()


def columns() -> dict[str, pa.DataType]:
    """Every column and its type, from the field vocabulary alone."""
    out: dict[str, pa.DataType] = {"enterprise_id": pa.string(), "name": pa.string(), "failed_files": pa.string()}
    for name, kind in sorted({**FIELDS, **PROFILE_ONLY}.items()):
        out[name] = _type(kind)
        out.update({f"{name}.{part}": pa.string() for part in ("unit", "as_of", "source", "quote")})
        out[f"{name}.conflict"] = pa.bool_()
    return out


def _cell(value: Any, kind: pa.DataType) -> Any:
    if value is None:
        return None
    if kind == pa.float64():
        return float(value) if isinstance(value, (int, float)) else None  # a number column never holds text
    if kind == pa.bool_():
        return value if isinstance(value, bool) else None
    return value if isinstance(value, str) else str(value)


def write_table(journal: Path, out: Path) -> None:
    tmp = out.with_name(out.name + ".tmp")
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        raise ValueError(f"unsupported output {out.suffix!r}; use .jsonl, .csv or .parquet")
    writer(journal, tmp, columns())
    os.replace(tmp, out)


def _write_csv(journal: Path, tmp: Path, columns: dict[str, pa.DataType]) -> None:
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        for row in _rows(journal) if journal.exists() else ():
            w.writerow({k: _cell(row.get(k), t) for k, t in columns.items()})


def _write_parquet(journal: Path, tmp: Path, columns: dict[str, pa.DataType]) -> None:
    schema = pa.schema(list(columns.items()))
    with pq.ParquetWriter(tmp, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in _rows(journal) if journal.exists() else ():
            chunk.append(row)
            if len(chunk) == CHUNK_ROWS:
                writer.write_table(_table(chunk, columns, schema))
                chunk = []
        if chunk:
            writer.write_table(_table(chunk, columns, schema))


def _table(rows: list[dict[str, Any]], columns: dict[str, pa.DataType], schema: pa.Schema) -> pa.Table:
    return pa.table({k: pa.array([_cell(r.get(k), t) for r in rows], type=t) for k, t in columns.items()}, schema=schema)


WRITERS = {".csv": _write_csv, ".parquet": _write_parquet}
