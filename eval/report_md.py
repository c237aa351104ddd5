"""report.md from report.json's dict: tables only, every number read from the run's own data."""

from __future__ import annotations

from typing import Any


def _f(x: Any, digits: int = 3) -> str:
    if x is None:
        return "—"
    if isinstance(x, bool):
        return "yes" if x else "**NO**"
    if isinstance(x, float):
        return f"{x:.{digits}f}".rstrip("0").rstrip(".") if abs(x) < 1000 else f"{x:,.0f}"
    return str(x)


def _r(r: dict[str, Any] | None) -> str:
    """A ratio with both of its sides: '0.9 / 0.4 = 2.25× (product / baseline)'."""
    if not r:
        return "—"
    return f"{_f(r['numerator'])} / {_f(r['denominator'])} = **{_f(r['value'], 2)}×** ({r['of']})"


def _img(d: dict[str, Any], *names: str) -> list[str]:
    return [line for n in names if n in d.get("plots", []) for line in (f"![{n[:-4]}]({n})", "")]


def _table(head: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return lines + ["| " + " | ".join(c if isinstance(c, str) else _f(c) for c in row) + " |" for row in rows]


def _header(d: dict[str, Any]) -> list[str]:
    m = d["machine"]
    pk = ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v)
    return ([f"# Evaluation report, {d['date']}", "",
            (f"Produced by one `sme eval all` run (`make eval`) in **{d['total_wall_s'] / 60:.1f} min** on "
            f"{m['cpu_count']} CPU cores, {m['memory_gib']} GiB RAM ({m['platform']}, Python {m['python']}; "
            f"load average (1, 5, 15 min) at the end {m['load_average_at_end']}, the run's own work included)."),
            f"Packages: {pk}.", "",
            "**Product**: the `sme` code paths (`eval/retrieval.py`, `eval/match.py`, `eval/profile.py`, `eval/bench_*.py`). "
            "**Baseline**: `eval/baseline.py`, the plain LangChain pipeline a newcomer would write: "
            "`UnstructuredFileLoader` (paged, strategy fast) → `RecursiveCharacterTextSplitter` (1000/200) → "
            "`HuggingFaceEmbeddings` (the same all-MiniLM-L6-v2, offline) → LangChain `FAISS` → top-k `similarity_search`; "
            "matching = nearest program's label; profiling = nearest label name. Both sides are scored by the same "
            "functions (`eval/metrics.py`). Every ratio below names its numerator and denominator." +
            (" **Quick mode: reduced sizes, not a reference run.**" if d["quick"] else ""), ""]
            + [f"> Note: {n}" for n in d.get("notes", [])] + ([""] if d.get("notes") else []))


def _quality(d: dict[str, Any]) -> list[str]:
    rows = [[r["dataset"], r["metric"], r["product"], r["baseline"], _r(r["ratio"]),
             _f(r["threshold"]) if r["threshold"] is not None else "", r["passes"] if r["passes"] is not None else ""]
            for r in d["quality"]]
    if not rows:
        return ["## Quality on the dev sets", "", "No dev set ran (none present and none given).", ""]
    out = ["## Quality on the dev sets", ""]
    out += _table(["dev set", "metric", "product", "baseline", "ratio", "threshold", "product ≥ threshold"], rows)
    sizes = {s["dataset"]: s["size"] for s in d["dev_set_speed"]}
    out += ["", "Sizes: " + "; ".join(f"{k}: {v}" for k, v in sizes.items()) + ".",
            ("Thresholds are the levels earlier issues reached (tests/eval, docs/benchmarks); "
            "`make eval` exits 1 if a stage fails, and the failures are listed at the end."), "",
            ""]
    return out + _img(d, "quality.png", "recall_at_k.png")


def _dev_speed(d: dict[str, Any]) -> list[str]:
    if not d["dev_set_speed"]:
        return []
    out = ["## Speed on the dev sets", ""]
    for s in d["dev_set_speed"]:
        if s["task"] == "retrieval":
            out += [(f"**{s['dataset']}** ({s['size']}). Ingest (load → chunk → embed → index, model already loaded): "
                    f"product {_f(s['ingest_s']['product'])} s, baseline {_f(s['ingest_s']['baseline'])} s; "
                    f"{_r(s['ingest_ratio'])}."), ""]
            rows = [[side, (v or {}).get("p50_ms"), (v or {}).get("p95_ms"), (v or {}).get("n")]
                    for side, v in s["search"].items()]
            out += _table(["search, per query", "p50 ms", "p95 ms", "queries"], rows)
            out += ["", "- " + "\n- ".join(_r(r) for q in ("p50_ms", "p95_ms") for r in s[f"search_{q}_ratios"]), ""]
        elif s["task"] == "match":
            bq = s["baseline_query"] or {}
            out += [f"**{s['dataset']}** ({s['size']}): whole run product {_f(s['seconds']['product'])} s, "
                    f"baseline {_f(s['seconds']['baseline'])} s (baseline includes embedding every program; the product "
                    f"reuses its program-vector cache keyed by text hash); {_r(s['ratio'])}. Per firm: "
                    + ", ".join(f"{k} {_f(v)} ms" for k, v in s["per_firm_ms"].items())
                    + f"; baseline similarity_search p50 {_f(bq.get('p50_ms'))} ms, p95 {_f(bq.get('p95_ms'))} ms.", ""]
        elif s["task"] == "cleaning":
            out += [f"**{s['dataset']}** ({s['size']}): parse and clean every document in {_f(s['seconds'])} s.", ""]
        elif s["task"] == "criteria":
            out += [f"**{s['dataset']}** ({s['size']}): extract every clause's criteria in {_f(s['seconds'])} s.", ""]
        else:
            eps = s["enterprises_per_s"]
            out += [(f"**{s['dataset']}** ({s['size']}): product {_f(eps['product'])} enterprises/s (rules + taxonomy "
                    f"classifier), baseline {_f(eps['baseline'])} enterprises/s (one embedding each); {_r(s['ratio'])}."), ""]
    return out + _img(d, "latency.png")


def _benchmarks(d: dict[str, Any]) -> list[str]:
    b, sz = d["benchmarks"], d["benchmark_sizes"]
    out = ["## Benchmarks (eval/bench_*.py)", "",
           (f"Sizes in this run: {sz['this_run']}; the benchmarks' own defaults: {sz['full_defaults']}. "
            "Where they differ, the run's sizes are reduced so the whole run fits 30 minutes on 2 cores (search latency "
            "on fewer chunks is lower than at the default)."), ""]
    if "ingest" in b:
        i = b["ingest"]
        out += [(f"**Ingest**: {i['documents']} mixed documents, {i['chunks']} chunks, {i['embedding_tokens']} tokens in "
                f"{_f(i['pipeline']['seconds'])} s ({_f(i['pipeline']['tokens_per_s'])} tokens/s; plain `model.encode` on the same "
                f"texts {_f(i['plain_model_encode']['tokens_per_s'])} tokens/s). Unchanged re-ingest "
                f"{_f(i['reingest_unchanged']['seconds'])} s."), ""] + [f"- {_r(r)}" for r in i["ratios"]] + [""]
    if "search" in b:
        s = b["search"]
        out += [(f"**Search** (POST /v1/search over HTTP, {s['chunks']} chunks, {s['index_type']} index, {s['queries']} queries): "
                f"p50 {s['http_search']['p50_ms']} ms, p95 {s['http_search']['p95_ms']} ms; floor (query embedding + raw FAISS) "
                f"p50 {s['floor_embed_plus_faiss']['p50_ms']} ms, p95 {s['floor_embed_plus_faiss']['p95_ms']} ms."), ""]
        out += [f"- {_r(r)}" for r in s["ratios"]] + [""]
    if "profile" in b:
        p = b["profile"]
        out += [f"**Profiling** ({p['enterprises']} enterprises of ~2 KB, end to end incl. worker start-up): "
                + ", ".join(f"{r['workers']} worker(s){' on Ray' if r.get('engine') == 'ray' else ''} "
                            f"{r['profiles_per_s']} profiles/s ({r['seconds']} s)" for r in p["runs"]) + "."]
        out += [""] + [f"- {_r(r)}" for r in p["ratios"]] + [""] + _img(d, "throughput_workers.png")
    if "match" in b:
        m = b["match"]
        fl = m["floor_ms (embed + index query)"]
        out += [(f"**Match latency** (one firm against {m['programs']} programs, {m['queries']} requests): p50 "
                f"{m['match_ms']['p50']} ms, p95 {m['match_ms']['p95']} ms; floor (embed + index query) p50 {fl['p50']} ms, "
                f"p95 {fl['p95']} ms."), ""] + [f"- {_r(r)}" for r in m["ratios"]] + [""]
    return out


def _stages(d: dict[str, Any]) -> list[str]:
    rows = [[n, e["wall_s"], e["peak_rss_mib"], e.get("error", "ok")] for n, e in d["stages"].items()]
    out = ["## Wall time and peak memory per stage", "",
           "Each stage ran in its own process; peak memory is ru_maxrss from wait4: the largest resident set of any one process in the stage (the stage or a worker it spawned), not their sum.", ""]
    out += _table(["stage", "wall s", "peak RSS MiB", "status"], rows)
    fails = d["failed_stages"] + d["threshold_failures"]
    return out + ["", f"Failures: {', '.join(fails) if fails else 'none'}.", ""]


def render(d: dict[str, Any]) -> str:
    return "\n".join(_header(d) + _quality(d) + _dev_speed(d) + _benchmarks(d) + _stages(d))
