"""Profiles as a flat table (CSV or Parquet), one row per enterprise, streamed from the JSONL.

Columns: enterprise_id, name, then per field `<field>` (the chosen value; lists joined by "; "),
`<field>.unit`, `<field>.as_of`, `<field>.source` ("doc_id#page=N" or the source type),
`<field>.quote` and `<field>.conflict`. Two passes over the JSONL (columns and their types first),
so a million profiles never sit in memory; the file is written beside and renamed into place.
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

CHUNK_ROWS = 10_000


def flatten(row: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {"enterprise_id": row["enterprise_id"], "name": row.get("name", "")}
    for name, f in sorted(row.get("fields", {}).items()):
        value = f.get("value")
        flat[name] = "; ".join(map(str, value)) if isinstance(value, list) else value
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


def _columns(journal: Path) -> dict[str, pa.DataType]:
    kinds: dict[str, set[str]] = {}
    for row in _rows(journal):
        for k, v in row.items():
            if v is not None:
                kinds.setdefault(k, set()).add("bool" if isinstance(v, bool) else "num" if isinstance(v, (int, float)) else "str")
            else:
                kinds.setdefault(k, set())
    types = {k: pa.bool_() if s == {"bool"} else pa.float64() if s == {"num"} else pa.string() for k, s in kinds.items()}
    fixed = ["enterprise_id", "name"]
    return {k: types[k] for k in fixed + sorted(k for k in types if k not in fixed)}


def _cell(value: Any, kind: pa.DataType) -> Any:
    if value is None or kind != pa.string():
        return value
    return value if isinstance(value, str) else str(value)


def write_table(journal: Path, out: Path) -> None:
    columns = _columns(journal) if journal.exists() else {"enterprise_id": pa.string(), "name": pa.string()}
    tmp = out.with_name(out.name + ".tmp")
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        raise ValueError(f"unsupported output {out.suffix!r}; use .jsonl, .csv or .parquet")
    writer(journal, tmp, columns)
    os.replace(tmp, out)


def _write_csv(journal: Path, tmp: Path, columns: dict[str, pa.DataType]) -> None:
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        for row in _rows(journal) if journal.exists() else ():
            w.writerow(row)


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
