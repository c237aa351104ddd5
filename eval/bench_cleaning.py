"""HTML ingestion per page, before (unstructured's partition) and after (trafilatura extraction),
each followed by the cleaning stage: `python -m eval.bench_cleaning [--rounds N]`."""

from __future__ import annotations

import argparse
import json
import time

from app.adapters.unstructured_parse import parse_html
from app.adapters.web_page import parse_web
from app.core.types import RawFile
from app.settings import Settings
from eval.cleaning import load, render
from ingest.clean import clean


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    settings = Settings()
    pages = [RawFile(*render(d)) for d in load() if d.format == "html"]
    result: dict[str, object] = {"pages": len(pages), "rounds": args.rounds}
    for name, fn in (("before_unstructured", parse_html), ("after_trafilatura", parse_web)):
        for p in pages:  # warm up: imports and caches are paid once per process in the product too
            clean(fn(p, settings).elements)
        started = time.perf_counter()
        for _ in range(args.rounds):
            for p in pages:
                clean(fn(p, settings).elements)
        result[f"{name}_ms_per_page"] = round((time.perf_counter() - started) * 1000 / (args.rounds * len(pages)), 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
