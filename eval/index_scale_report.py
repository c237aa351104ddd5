"""Markdown tables from docs/benchmarks/index_scale.json (what index_scale.md quotes).

    .venv/bin/python -m eval.index_scale_report [docs/benchmarks/index_scale.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HEAD = ("| size | index | setting | build s | index MB | RSS growth MB | p50 ms | p95 ms | recall@10 "
        "| 1% tenant p50 ms / recall | 30% tenant p50 ms / recall |\n|" + "---|" * 11)


def _t(m: dict[str, Any] | None) -> str:
    return "—" if not m else f"{m['p50_ms']:.2f} / {m['recall_at_10']:.2f}"


def _row(size: str, name: str, setting: str, build: dict[str, Any], s: dict[str, Any], ten: dict[str, Any]) -> str:
    rss = build.get("rss_delta_mb", build.get("client_rss_delta_mb", "—"))
    return (f"| {size} | {name} | {setting} | {build.get('build_s', '—')} | {build.get('index_mb', build.get('disk_mb', '—'))} "
            f"| {rss} | {s['p50_ms']:.2f} | {s['p95_ms']:.2f} | {s['recall_at_10']:.3f} "
            f"| {_t(ten.get('tenant_1pct'))} | {_t(ten.get('tenant_30pct'))} |")


def rows(size: str, entry: dict[str, Any]) -> list[str]:
    out: list[str] = []
    if "flat" in entry:
        f = entry["flat"]
        out.append(_row(size, "FAISS flat", "exact", f, f["search"], f["tenant_search"]))
    h = entry.get("hnsw", {})
    for ef, g in h.get("efSearch", {}).items():
        out.append(_row(size, "FAISS HNSW M=32", f"efSearch {ef}", h, g["search"], g["tenant_selector"]))
    if h and "efSearch" not in h:
        x = h.get("extrapolated", {})
        out.append(f"| {size} | FAISS HNSW M=32 | not built: {h['added']:,} added in {h['build_s']} s "
                   f"({h['build_rate_per_s']}/s) | ≥{x.get('build_s_at_least')} (extrapolated) "
                   f"| ~{x.get('index_mb')} (extrapolated) |" + " — |" * 6)
    for m, v in entry.get("ivfpq", {}).items():
        if isinstance(v, dict) and "nprobe" in v:
            for p, g in v["nprobe"].items():
                out.append(_row(size, f"FAISS IVF-PQ {m}", f"nlist {entry['ivfpq']['nlist']}, nprobe {p}", v,
                                g["search"], g["tenant_selector"]))
    mv = entry.get("milvus_lite", {})
    for ef, g in mv.get("ef", {}).items():
        out.append(_row(size, "Milvus Lite HNSW M=32", f"ef {ef}", mv, g["search"], g["tenant_filter"]))
    q = entry.get("qdrant_local", {})
    if "search" in q:
        out.append(_row(size, "Qdrant local", "exact (Python)", q, q["search"], q["tenant_filter"]))
    return out


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "benchmarks" / "index_scale.json"
    report = json.loads(path.read_text(encoding="utf-8"))
    lines = [HEAD]
    for size, entry in report.get("sizes", {}).items():
        lines += rows(f"{int(size):,}", entry)
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
