"""Batch profiling benchmark: 1,000 enterprises of ~2 KB text, with 1 and 2 local workers and Ray.

    .venv/bin/python -m eval.bench_profile [--n 1000] [--out docs/benchmarks/bench_profile.json]

Each run profiles the same enterprises.jsonl into a fresh output with the real embedding model
(industry and tech-domain classification included), end to end as `sme profile` does it: worker
start-up and model loading count, since a batch pays them too. Texts mix Chinese and English
sentences about founding, headcount, money, patents, certifications, addresses and business.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from app.jobs.profile_batch import ProfileJob, run_batch
from app.settings import Settings

ZH = ["{name}成立于{year}年{month}月，注册地址：{city}。", "公司{year2}年实现营业收入{rev}万元，研发费用{rd}万元。",
      "员工总数{emp}人，其中研发人员{rds}人。", "公司已获得发明专利{inv}项、实用新型专利{um}项、软件著作权{sc}项。",
      "公司于{year2}年通过高新技术企业认定，并入选专精特新中小企业名单。", "本轮融资由{inv_name}领投，金额{fund}万元，为A轮融资。",
      "公司主要产品包括{product}，服务于制造、能源和医疗等行业客户。", "报告期内公司不存在重大诉讼和行政处罚事项。"]
EN = ["{ename} was founded in {month_name} {year} and is headquartered in {ecity}.",
      "Revenue for fiscal {year2} was ${erev}M, and R&D expenses were USD {erd} million.",
      "The company has {emp} employees, of whom {rds} are R&D engineers.",
      "It builds {eproduct} for enterprise customers and holds {inv} invention patents.",
      "In {year2} it raised a Series A led by {einv}."]
CITIES = ["广东省深圳市南山区", "上海市浦东新区", "北京市海淀区", "浙江省杭州市余杭区", "江苏省苏州市工业园区"]
ECITIES = ["Austin, Texas", "Boston, Massachusetts", "San Jose, California", "Seattle, Washington"]
PRODUCTS = ["工业视觉检测设备", "储能电池管理系统", "医学影像AI软件", "半导体封装材料", "智能网联汽车控制器"]
EPRODUCTS = ["machine-learning software for supply chains", "battery analytics for energy storage",
             "computer vision for medical imaging", "semiconductor test equipment", "a fintech lending platform"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def make_record(i: int, rng: random.Random) -> dict[str, object]:
    v = {"name": f"测试科技{i}有限公司", "ename": f"Testco {i} Inc.", "year": rng.randint(2010, 2023), "month": rng.randint(1, 12),
         "year2": 2023, "city": rng.choice(CITIES), "ecity": rng.choice(ECITIES), "rev": rng.randint(500, 90000),
         "rd": rng.randint(50, 9000), "emp": rng.randint(10, 900), "rds": rng.randint(3, 200), "inv": rng.randint(0, 40),
         "um": rng.randint(0, 60), "sc": rng.randint(0, 30), "fund": rng.randint(500, 20000), "inv_name": "深创投",
         "product": rng.choice(PRODUCTS), "eproduct": rng.choice(EPRODUCTS), "erev": round(rng.uniform(0.5, 40), 1),
         "erd": round(rng.uniform(0.1, 5), 1), "einv": "Accel", "month_name": rng.choice(MONTHS)}
    parts: list[str] = []
    while len("".join(parts).encode("utf-8")) < 2000:
        parts += [t.format(**v) for t in (ZH if rng.random() < 0.5 else EN)]
    text = " ".join(parts)
    return {"id": f"ent{i:05d}", "text": text[:1400]}  # ~2 KB of UTF-8 (Chinese is 3 bytes a character)


def write_input(path: Path, n: int) -> Path:
    rng = random.Random(42)
    path.write_text("".join(json.dumps(make_record(i, rng), ensure_ascii=False) + "\n" for i in range(n)), encoding="utf-8")
    return path


def timed(src: Path, out: Path, workers: int, engine: str, n: int) -> dict[str, object]:
    threads = max(1, (os.cpu_count() or 1) // workers)
    job = ProfileJob(Settings(torch_threads=threads))
    started = time.perf_counter()
    report = run_batch([src], out, job, workers=workers, engine=engine)
    seconds = time.perf_counter() - started
    assert report.written == n and not report.bad, (report.written, report.bad[:3])
    return {"workers": workers, "engine": engine, "seconds": round(seconds, 2), "profiles_per_s": round(n / seconds, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--out", default="docs/benchmarks/bench_profile.json")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = write_input(Path(tmp) / "enterprises.jsonl", args.n)
        kb = src.stat().st_size / args.n / 1024
        runs = [timed(src, Path(tmp) / f"out-{i}.jsonl", w, e, args.n)
                for i, (w, e) in enumerate([(1, "local"), (2, "local"), (2, "ray")])]
    base = float(runs[0]["profiles_per_s"])  # type: ignore[arg-type]
    for r in runs:
        r["speedup_vs_1_worker"] = round(float(r["profiles_per_s"]) / base, 2)  # type: ignore[arg-type]
    result = {"date": date.today().isoformat(), "enterprises": args.n, "avg_text_kb": round(kb, 2), "cpu_count": os.cpu_count(),
              "runs": runs}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
