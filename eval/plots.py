"""The report's PNGs, drawn from the same run's results (matplotlib, no display)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

SIDES = {"product": "#1f77b4", "baseline": "#ff7f0e"}


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def recall_curves(data: dict[str, Any], path: Path) -> bool:
    sets = [(ds, data["raw"].get(f"{ds}:product") or {}, data["raw"].get(f"{ds}:baseline") or {})
            for ds in dict.fromkeys(r["dataset"] for r in data["quality"] if r["task"] == "retrieval")]
    panels = [(ds, level, p, b) for ds, p, b in sets for level in ("page", "document")
              if level in (p.get("recall_curve") or {}) or level in (b.get("recall_curve") or {})]
    if not panels:
        return False
    plt = _plt()
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 3.6), squeeze=False)
    for ax, (ds, level, p, b) in zip(axes[0], panels):
        for side, res in (("product", p), ("baseline", b)):
            curve = (res.get("recall_curve") or {}).get(level)
            if curve:
                ax.plot(range(1, len(curve) + 1), curve, marker="o", ms=3, label=side, color=SIDES[side])
        ax.set(title=f"{ds}: {level} recall@k", xlabel="k", ylabel="recall", ylim=(0, 1.05))
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def latency(data: dict[str, Any], path: Path) -> bool:
    series: list[tuple[str, list[float]]] = []
    for ds in dict.fromkeys(r["dataset"] for r in data["quality"]):
        p, b = data["raw"].get(f"{ds}:product") or {}, data["raw"].get(f"{ds}:baseline") or {}
        for label, values in ((f"{ds}\nproduct search", p.get("search_latency_s")),
                              (f"{ds}\nfloor", p.get("floor_latency_s")),
                              (f"{ds}\nbaseline search", b.get("search_latency_s")),
                              (f"{ds}\nbaseline match", b.get("match_latency_s"))):
            if values:
                series.append((label, [1000 * v for v in values]))
    if not series:
        return False
    plt = _plt()
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(series)), 4))
    ax.boxplot([v for _, v in series], showfliers=True)
    ax.set_xticks(range(1, len(series) + 1), [label for label, _ in series], fontsize=7)
    ax.set(yscale="log", ylabel="ms per query (log)", title="Per-query latency on the dev sets")
    ax.grid(alpha=0.3, axis="y")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def throughput_workers(data: dict[str, Any], path: Path) -> bool:
    runs = ((data["benchmarks"].get("profile") or {}).get("runs")) or []
    if not runs:
        return False
    plt = _plt()
    fig, ax = plt.subplots(figsize=(4.5, 3.4))
    local = [r for r in runs if r.get("engine", "local") == "local"]
    ray = [r for r in runs if r.get("engine") == "ray"]
    workers = sorted({r["workers"] for r in runs})
    ax.plot([r["workers"] for r in local], [r["profiles_per_s"] for r in local], marker="o", label="sme profile (local pool)")
    if ray:
        ax.plot([r["workers"] for r in ray], [r["profiles_per_s"] for r in ray], marker="s", ls="", label="sme profile --engine ray")
    ax.plot(workers, [runs[0]["profiles_per_s"] * w for w in workers], ls="--", color="grey", label="linear from 1 worker")
    ax.set(xlabel="workers", ylabel="profiles / s", xticks=workers,
           title=f"Profiling throughput ({data['benchmarks']['profile']['enterprises']} enterprises)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def quality_bars(data: dict[str, Any], path: Path) -> bool:
    rows = [r for r in data["quality"] if r["metric"] in ("page recall@5", "label_acc@1", "label_hit@5")
            or r["metric"].endswith(("accuracy", "macro_f1"))]
    if not rows:
        return False
    plt = _plt()
    x = np.arange(len(rows))
    fig, ax = plt.subplots(figsize=(max(6, 0.9 * len(rows)), 4))
    for i, side in enumerate(("product", "baseline")):
        ax.bar(x + (i - 0.5) * 0.38, [r[side] or 0 for r in rows], 0.38, label=side, color=SIDES[side])
    ax.set_xticks(x, [f"{r['dataset']}\n{r['metric']}" for r in rows], fontsize=7, rotation=30, ha="right")
    ax.set(ylim=(0, 1.05), ylabel="score", title="Quality: product vs LangChain baseline")
    ax.legend()
    ax.grid(alpha=0.3, axis="y")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


PLOTS = {"quality.png": quality_bars, "recall_at_k.png": recall_curves, "latency.png": latency,
         "throughput_workers.png": throughput_workers}


def make(data: dict[str, Any], out_dir: Path) -> list[str]:
    return [name for name, draw in PLOTS.items() if draw(data, out_dir / name)]
