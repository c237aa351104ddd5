"""Turn the stage results of one `sme eval all` run into report.json (and, via report_md and plots,
report.md and PNGs). Pure functions over the run's own results: no number is typed in by hand
except the thresholds, which are the levels earlier issues reached and now guard.

Every ratio names both sides: {"of": "product / baseline", "numerator": x, "denominator": y, "value": x/y}.
"""

from __future__ import annotations

import json
import os
import platform
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

# (dataset, metric path, minimum): levels reached by earlier issues (tests/eval, docs/benchmarks)
THRESHOLDS: list[tuple[str, str, float]] = [
    ("financebench-pages", "page recall@5", 0.8),
    ("sbir-match", "label_acc@1", 0.8),
    # below the held-out halves reached with e5 + learned labels (issue 14: cn-sector 0.75 with Shenwan's company
    # directory, all 0.7264; yc-industry 0.8051, its learned model reading sentence by sentence too)
    ("cn-sector", "industry accuracy", 0.70),
    ("cn-sector", "industry held_out accuracy", 0.72),
    ("yc-industry", "industry accuracy", 0.78),
    ("yc-industry", "industry held_out accuracy", 0.78),
    # issue 19's goal, below the held-out halves reached (P 1.0 each, R 0.985/0.917/0.942 on 75 documents)
    *((("cleaning", f"held_out {script} removal {m}", t) for script in ("zh-Hans", "zh-Hant", "en")
       for m, t in (("precision", 0.98), ("recall", 0.90)))),
]
# issue 17: below the held-out figures reached (pooled held-out P 0.968 R 0.896; the unread held-out
# halves of sets 3-12 P 0.962 R 0.870, set 12 scored blind at P 0.916 R 0.766): precision meets the
# goal (0.95), recall does not (0.90)
THRESHOLDS += [("criteria", "held_out precision", 0.94), ("criteria", "held_out recall", 0.87),
               ("criteria", "held_out_blind precision", 0.94), ("criteria", "held_out_blind recall", 0.85)]
CLEANING_SCRIPTS = ("zh-Hans", "zh-Hant", "en")
PACKAGES = ("langchain", "langchain-community", "langchain-huggingface", "faiss-cpu", "unstructured",
            "sentence-transformers", "torch")


def ratio(of: str, numerator: float | None, denominator: float | None) -> dict[str, Any]:
    value = round(numerator / denominator, 3) if numerator is not None and denominator else None
    return {"of": of, "numerator": numerator, "denominator": denominator, "value": value}


def pct(values: list[float], scale: float = 1000.0) -> dict[str, float] | None:
    """p50 / p95 / mean in milliseconds of timings given in seconds."""
    if not values:
        return None
    arr = np.asarray(values) * scale
    return {"p50_ms": round(float(np.percentile(arr, 50)), 2), "p95_ms": round(float(np.percentile(arr, 95)), 2),
            "mean_ms": round(float(arr.mean()), 2), "n": len(values)}


def _result(results: dict[str, Any], name: str) -> dict[str, Any] | None:
    entry = results.get(name)
    return entry.get("result") if entry else None


def _metrics(task: str, res: dict[str, Any]) -> dict[str, float]:
    """Flat 'metric name' → value for one side of one dataset."""
    if task == "retrieval":
        return {f"{level} {m}": v for level in ("document", "page") for m, v in (res.get(level) or {}).items()}
    if task == "match":
        return {m: res[m] for m in ("label_acc@1", "label_hit@5", "mrr@10") if m in res}
    if task == "cleaning":  # removal precision (article lines kept) and recall (junk removed), per script and half
        return {f"{half} {script} removal {m}": (res.get(half) or {}).get(script, {}).get(m)
                for half in ("tune", "held_out") for script in CLEANING_SCRIPTS for m in ("precision", "recall")}
    if task == "criteria":  # precision and recall of extracted criteria: pooled halves, the unread held-out, each file
        parts: dict[str, dict[str, float]] = {"": res, "tune ": res.get("tune") or {},
                                              "held_out ": res.get("held_out") or {},
                                              "held_out_blind ": res.get("held_out_blind") or {}}
        parts |= {f"{Path(name).stem} {h} ": f.get(h) or {} for name, f in (res.get("files") or {}).items()
                  for h in ("tune", "held_out")}
        return {f"{label}{m}": part[m] for label, part in parts.items() for m in ("precision", "recall") if m in part}
    if task == "chat":
        names = ("answer_accuracy", "citation_precision", "right_kind", "decline_accuracy")
        return {m: res[m] for m in names if m in res} | {f"held_out {m}": (res.get("held_out") or {}).get(m) for m in names}
    field = str(res.get("field") or ("industry" if "industry" in res else ""))
    scores = res.get(field) if isinstance(res.get(field), dict) else None
    if scores is None:  # the product reports every gold field; the taxonomy field is the one with macro_f1
        field, scores = next(((k, v) for k, v in res.items() if isinstance(v, dict) and "macro_f1" in v), ("", {}))
    out = {f"{field} {m}": scores[m] for m in ("accuracy", "macro_f1") if m in scores}
    half = res.get("held_out")
    held = half.get(field) if isinstance(half, dict) else None
    if isinstance(held, dict):  # the held-out half (eval/profile.py): nothing was tuned on it
        out.update({f"{field} held_out {m}": held[m] for m in ("accuracy", "macro_f1") if m in held})
    return out


def _threshold(dataset: str, metric: str) -> float | None:
    return next((t for d, m, t in THRESHOLDS if d == dataset and m == metric), None)


def quality(results: dict[str, Any], tasks: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for ds, task in tasks.items():
        prod, base = _result(results, f"{ds}:product"), _result(results, f"{ds}:baseline")
        pm, bm = _metrics(task, prod or {}), _metrics(task, base or {})
        for metric in dict.fromkeys([*pm, *bm]):
            p, b, t = pm.get(metric), bm.get(metric), _threshold(ds, metric)
            rows.append({"dataset": ds, "task": task, "metric": metric, "product": p, "baseline": b,
                         "ratio": ratio("product / baseline", p, b), "threshold": t,
                         "passes": None if t is None or p is None else p >= t})
    return rows


def _size(task: str, res: dict[str, Any]) -> str:
    if task == "retrieval":
        return f"{res.get('documents')} documents, {res.get('chunks')} chunks, {res.get('queries')} queries"
    if task == "match":
        return f"{res.get('enterprises')} firms, {res.get('programs')} programs"
    if task == "chat":
        return f"{res.get('questions')} questions"
    if task == "criteria":
        return f"{res.get('clauses')} clauses, {res.get('criteria')} labelled criteria in {len(res.get('files') or {})} files"
    if task == "cleaning":
        halves = res.get("by_split") or {}
        return f"{res.get('documents')} documents ({halves.get('tune')} tune, {halves.get('held_out')} held-out)"
    return f"{res.get('enterprises')} enterprises"


def dev_speed(results: dict[str, Any], tasks: dict[str, str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for ds, task in tasks.items():
        prod, base = _result(results, f"{ds}:product") or {}, _result(results, f"{ds}:baseline") or {}
        row: dict[str, Any] = {"dataset": ds, "task": task, "size": _size(task, prod or base)}
        if task == "retrieval":
            p, b, f = (pct(x.get(k, [])) or {} for x, k in ((prod, "search_latency_s"), (base, "search_latency_s"),
                                                             (prod, "floor_latency_s")))
            row |= {"ingest_s": {"product": prod.get("ingest_s"), "baseline": base.get("ingest_s")},
                    "ingest_ratio": ratio("product ingest s / baseline ingest s", prod.get("ingest_s"), base.get("ingest_s")),
                    "search": {"product": p or None, "baseline": b or None, "floor (embed + raw FAISS)": f or None}}
            for q in ("p50_ms", "p95_ms"):
                row[f"search_{q}_ratios"] = [
                    ratio(f"product {q} / baseline {q}", p.get(q), b.get(q)),
                    ratio(f"product {q} / floor {q}", p.get(q), f.get(q))]
        elif task in ("cleaning", "criteria"):
            row |= {"seconds": prod.get("seconds")}
        elif task == "match":
            n = prod.get("enterprises") or 0
            row |= {"seconds": {"product": prod.get("seconds"), "baseline": base.get("seconds")},
                    "per_firm_ms": {"product (whole run / firms)": round(1000 * prod["seconds"] / n, 1) if n and prod.get("seconds") else None,
                                    "baseline (whole run / firms)": round(1000 * base["seconds"] / base["enterprises"], 1)
                                    if base.get("enterprises") and base.get("seconds") else None},
                    "baseline_query": pct(base.get("match_latency_s", [])),
                    "ratio": ratio("product s / baseline s (whole run)", prod.get("seconds"), base.get("seconds"))}
        else:
            pr = _rate(prod.get("enterprises"), prod.get("seconds"))
            br = _rate(base.get("enterprises"), base.get("seconds"))
            row |= {"enterprises_per_s": {"product": pr, "baseline": br},
                    "ratio": ratio("product enterprises/s / baseline enterprises/s", pr, br)}
        rows.append(row)
    return rows


def _rate(n: Any, seconds: Any) -> float | None:
    return round(n / seconds, 2) if n and seconds else None


def benchmarks(results: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if (ing := _result(results, "bench_ingest:bench")) is not None:
        out["ingest"] = ing | {"ratios": [
            ratio("pipeline tokens/s / plain model.encode tokens/s (floor)", ing["pipeline"]["tokens_per_s"],
                  ing["plain_model_encode"]["tokens_per_s"]),
            ratio("first ingest s / unchanged re-ingest s", ing["pipeline"]["seconds"], ing["reingest_unchanged"]["seconds"])]}
    if (s := _result(results, "bench_search:bench")) is not None:
        h, f = s["http_search"], s["floor_embed_plus_faiss"]
        out["search"] = s | {"ratios": [ratio(f"POST /v1/search {q} / floor {q}", h[q], f[q]) for q in ("p50_ms", "p95_ms")]}
    if (pr := _result(results, "bench_profile:bench")) is not None:
        runs = pr["runs"]
        out["profile"] = pr | {"ratios": [ratio(f"{_run_name(r)} profiles/s / {_run_name(runs[0])} profiles/s",
                                                r["profiles_per_s"], runs[0]["profiles_per_s"]) for r in runs[1:]]}
    if (m := _result(results, "bench_match:bench")) is not None:
        fl = m["floor_ms (embed + index query)"]
        out["match"] = m | {"ratios": [ratio(f"match {q} / floor {q}", m["match_ms"][q], fl[q]) for q in ("p50", "p95")]}
    return out


def _run_name(run: dict[str, Any]) -> str:
    engine = run.get("engine", "local")
    return f"{run['workers']} worker{'s' if run['workers'] > 1 else ''}" + (" (Ray)" if engine == "ray" else "")


def machine() -> dict[str, Any]:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else None
    versions: dict[str, str | None] = {}
    for p in PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versions[p] = None
    return {"cpu_count": os.cpu_count(), "memory_gib": round(mem, 1) if mem else None, "platform": platform.platform(),
            "python": platform.python_version(), "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "packages": versions}


def _read_back(results: dict[str, Any]) -> dict[str, Any]:
    return {name: {k: v for k, v in entry.items() if k != "result"} for name, entry in results.items()}


def build(results: dict[str, Any], tasks: dict[str, str], total_s: float, quick: bool,
          sizes: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    q = quality(results, tasks)
    failed = [n for n, e in results.items() if "error" in e]
    headline = {f"{r['dataset']} {r['metric']}": {"product": r["product"], "baseline": r["baseline"]}
                for r in q if r["threshold"] is not None or r["metric"] in ("page recall@5", "label_acc@1")
                or r["metric"].endswith(" accuracy")}
    return {"date": date.today().isoformat(), "machine": machine(), "total_wall_s": round(total_s, 1),
            "quick": quick, "benchmark_sizes": {"this_run": sizes, "full_defaults": defaults},
            "quality": q, "dev_set_speed": dev_speed(results, tasks), "benchmarks": benchmarks(results),
            "stages": _read_back(results), "failed_stages": failed,
            "threshold_failures": [f"{r['dataset']} {r['metric']}" for r in q if r["passes"] is False],
            "headline": headline, "raw": {n: e.get("result") for n, e in results.items()}}


def write(data: dict[str, Any], out_dir: Path) -> None:
    from eval import plots, report_md

    data["plots"] = plots.make(data, out_dir)
    (out_dir / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    (out_dir / "report.md").write_text(report_md.render(data), encoding="utf-8")
