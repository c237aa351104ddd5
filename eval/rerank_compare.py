"""The reranking stage measured on and off on the same index: `python -m eval.rerank_compare DATASET
[--out FILE]`. Prints recall@5 and mrr@10 (all, tune, held_out) and the search time per query."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.adapters.embedder import EmbeddingReranker
from eval.retrieval import indexed


def _summary(report: dict[str, Any], level: str) -> dict[str, Any]:
    out = {half: {m: report[half][level].get(m) for m in ("recall@5", "mrr@10")}
           for half in ("tune", "held_out") if level in report[half]}
    out["all"] = {m: report[level].get(m) for m in ("recall@5", "mrr@10")}
    if "by_dir" in report:
        out["by_dir_held_out_recall@5"] = {d: v["held_out"][level].get("recall@5") for d, v in report["by_dir"].items()}
    return out


def compare(dataset: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"dataset": dataset.name}
    with indexed(dataset) as ix:
        base = ix.deps.retriever()
        for name, retriever in (("off", replace(base, rerank=None)),
                                ("on", replace(base, rerank=EmbeddingReranker(ix.deps.memo_embedder)))):
            started = time.perf_counter()
            report = ix.score(retriever, depth=20)
            per_query = (time.perf_counter() - started) / max(len(ix.queries), 1)
            level = "page" if "page" in report else "document"
            result[name] = {"level": level, **_summary(report, level), "seconds_per_query": round(per_query, 3)}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = compare(args.dataset)
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
