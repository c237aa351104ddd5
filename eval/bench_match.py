"""Matching latency: one profile against 10,000 programs, p50 and p95 per request.

    .venv/bin/python -m eval.bench_match [--programs 10000] [--queries 60] [--out docs/benchmarks/bench_match.json]

The catalog is the shipped demo catalog's programs (their real extracted criteria: tiers, any_of,
regions, certifications …) replicated across 30 jurisdictions with varied titles and texts until
it holds the requested number. BM25 is real; program vectors are random unit vectors (embedding
10,000 texts on 2 cores would take most of an hour and does not change the per-request cost).
Each request is what POST /v1/match does after parsing: profile the firm's text, embed it,
score every program (BM25 + dense + label votes), evaluate every available program's criteria,
rank. Reported separately: the floor of one request (embedding the text + the raw index query).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

from app.adapters.program_index import ProgramIndex
from app.core.enterprise_facts import text_facts
from app.core.match import Matcher
from app.core.profile import build_profile
from app.core.types import Program
from app.demo import CATALOG
from app.matching import program_text
from app.settings import Settings
from app.wiring import make_embedder
from ingest.catalog import load_catalog

AREAS = [("中国",), ("中国", "广东省"), ("中国", "广东省", "深圳市"), ("中国", "广东省", "深圳市", "南山区"),
         ("中国", "上海市"), ("中国", "上海市", "浦东新区"), ("中国", "北京市"), ("中国", "北京市", "海淀区"),
         ("中国", "浙江省", "杭州市"), ("中国", "江苏省", "苏州市"), ("United States",), ("European Union",)]
FIRMS = [
    ("深圳极光智能科技有限公司成立于2019年3月，注册地址：广东省深圳市南山区。公司研发机器视觉AI芯片。2024年营业收入1.2亿元，研发费用960万元。"
    "员工总数120人，其中研发人员47人。已获得发明专利12项，2023年通过高新技术企业认定。"),
    "上海瑞康生物医药科技有限公司成立于2024年6月，注册地址：上海市浦东新区。公司研发抗体药物，尚未产生营业收入。员工总数25人。2025年完成天使轮融资。",
    ("Northwind Analytics Inc. was founded in June 2021 and is headquartered in Austin, Texas. It sells AI forecasting software "
    "as SaaS. Revenue for fiscal 2025 was $1.2M. The company has 18 employees. It is raising a seed round."),
]


def catalog(n: int, rng: random.Random) -> list[Program]:
    base = [p for f in sorted(CATALOG.glob("*.yaml")) for p in load_catalog(f)]
    out = []
    for i in range(n):
        p = base[i % len(base)]
        area = AREAS[rng.randrange(len(AREAS))] if i >= len(base) else p.jurisdiction
        words = " ".join(rng.sample(p.text.split() or [p.title], k=min(8, len(p.text.split()) or 1)))
        out.append(replace(p, id=f"{p.id}-{i}", title=f"{p.title} {i}", jurisdiction=area, text=f"{p.text}\n{words}",
                           valid_to=None if i >= len(base) else p.valid_to))
    return out


def percentile(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--programs", type=int, default=10_000)
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--out", default="docs/benchmarks/bench_match.json")
    args = ap.parse_args()
    rng = random.Random(7)
    programs = catalog(args.programs, rng)
    embedder = make_embedder(Settings())
    embedder.warm_up()
    vectors = np.asarray([v / np.linalg.norm(v) for v in np.random.default_rng(7).normal(size=(len(programs), 384))], np.float32)
    started = time.perf_counter()
    index = ProgramIndex.build([(p.id, program_text(p)) for p in programs], embedder, vectors=vectors)
    build_s = time.perf_counter() - started
    matcher = Matcher(programs, lambda text: index.query(text).top(index.size), date(2026, 3, 1))
    texts = [FIRMS[i % len(FIRMS)] + f" 编号{i}" for i in range(args.queries)]
    matcher.match(build_profile("warm", text_facts(texts[0])), texts[0])  # first call pays lazy loads
    total, floor = [], []
    for i, text in enumerate(texts):
        t0 = time.perf_counter()
        profile = build_profile(f"f{i}", text_facts(text))
        result = matcher.match(profile, text, k=20)
        total.append(1000 * (time.perf_counter() - t0))
        t1 = time.perf_counter()
        index.query(text)
        floor.append(1000 * (time.perf_counter() - t1))
        assert result.matches
    report = {"date": date.today().isoformat(), "programs": len(programs), "queries": len(texts),
              "index_build_s": round(build_s, 2),
              "match_ms": {"p50": percentile(total, 50), "p95": percentile(total, 95), "max": round(max(total), 1)},
              "floor_ms (embed + index query)": {"p50": percentile(floor, 50), "p95": percentile(floor, 95)},
              "goal": "p50 <= 200 ms on 2 cores"}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
