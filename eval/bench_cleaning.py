"""HTML ingestion per page, this tree against an earlier commit: the parser registry's HTML path
and the cleaning stage, as `sme ingest` runs them (no embedding, no index).

    .venv/bin/python -m eval.bench_cleaning [--against REV] [--rounds N] [--out FILE]

Pages: the cleaning set's HTML documents as eval.cleaning renders them (small, flat), the scraped
fixture, and each labelled page again inside a site's chrome (head scripts and styles, a 40-link
menu, sidebars, a footer: the size of a real news page). The earlier commit (default 489a7e5, the
last before issue 19's cleaning work: unstructured's partition and the old rules) is exported with
`git archive` into a temporary folder; each side runs in its own processes on the same files: N
rounds, alternating sides, each a fresh process with one warm-up pass (imports, rule compilation)
then one timed pass; the median round is reported.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from eval.cleaning import load, render

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "489a7e5"  # parent of 0aa4536, the commit that brought trafilatura and the layout stage
FIXTURE = ROOT / "tests" / "fixtures" / "scraped" / "digital_bank_zh_hant.html"

# Runs inside the tree under test (its own app/ and ingest/): both sides share nothing but the files.
WORKER = """
import json, sys, time
from pathlib import Path
from app.adapters.parsers import parse
from app.core.types import RawFile
from app.settings import Settings
from ingest.clean import clean
settings = Settings()
rounds = int(sys.argv[2])
out = {}
for group in sorted(p for p in Path(sys.argv[1]).iterdir() if p.is_dir()):
    files = [RawFile(p.name, p.read_bytes()) for p in sorted(group.iterdir())]
    for f in files:
        parsed = parse(f, settings)
        clean(parsed.elements, pages=parsed.pages)
    started = time.perf_counter()
    for _ in range(rounds):
        for f in files:
            parsed = parse(f, settings)
            clean(parsed.elements, pages=parsed.pages)
    out[group.name] = {"pages": len(files), "kb_per_page": round(sum(len(f.data) for f in files) / len(files) / 1024, 1),
                       "ms_per_page": round((time.perf_counter() - started) * 1000 / (rounds * len(files)), 2)}
print(json.dumps(out))
"""

_MENU = "".join(f'<li><a href="/section/{i}">Section {i} 栏目{i}</a></li>' for i in range(40))
_SCRIPT = "<script>" + "var cfg = {id: 1, track: function(){ return window.dataLayer || []; }};\n" * 60 + "</script>"
_STYLE = "<style>" + ".nav li{display:inline-block;margin:0 4px}.footer p{color:#666}\n" * 60 + "</style>"


def in_chrome(page: bytes) -> bytes:
    """A labelled page's body inside a real site's wrapping: scripts, styles, menus, sidebars, footer."""
    text = page.decode("utf-8")
    head, _, rest = text.partition("<body>")
    body, _, _ = rest.partition("</body>")
    side = "".join(f'<li><a href="/hot/{i}">{html.escape("热门文章 Popular story")} {i}</a></li>' for i in range(15))
    wrapped = (f'{head.replace("</head>", _SCRIPT + _STYLE + "</head>")}<body><header><nav><ul class="nav">{_MENU}'
               f'</ul></nav></header><div class="wrap"><div class="main"><article>{body}</article></div>'
               f'<aside class="side"><ul>{side}</ul></aside></div><footer><ul>{_MENU}</ul>'
               f"<p>Copyright 2024</p></footer>{_SCRIPT}</body></html>")
    return wrapped.encode("utf-8")


def write_pages(folder: Path) -> None:
    groups = {"labelled_pages": folder / "labelled_pages", "in_site_chrome": folder / "in_site_chrome"}
    for g in groups.values():
        g.mkdir(parents=True)
    for doc in load():
        if doc.format != "html":
            continue
        name, data = render(doc)
        (groups["labelled_pages"] / name).write_bytes(data)
        (groups["in_site_chrome"] / name).write_bytes(in_chrome(data))
    (groups["labelled_pages"] / FIXTURE.name).write_bytes(FIXTURE.read_bytes())


def export(rev: str, into: Path) -> Path:
    """The tree of `rev` (git archive: the working tree and index are not touched)."""
    data = subprocess.run(["git", "archive", "--format=tar", rev, "app", "ingest"], cwd=ROOT, check=True,
                          capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def timed(tree: Path, pages: Path, rounds: int) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, "-c", WORKER, str(pages), str(rounds)], cwd=tree, check=True,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(tree)})
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def run(against: str = BEFORE, rounds: int = 5) -> dict[str, object]:
    """Rounds alternate between the two trees (one process per round and side, each warmed up), and
    each side reports its median round: load from other work on the machine hits both alike."""
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        write_pages(pages)
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout.strip()
        trees = {"before": export(against, Path(tmp) / "before"), "now": ROOT}
        runs: dict[str, list[dict[str, Any]]] = {"before": [], "now": []}
        for _ in range(rounds):
            for side, tree in trees.items():
                runs[side].append(timed(tree, pages, 1))
    before, now = (_median(runs[side]) for side in ("before", "now"))
    ratios = {g: round(now[g]["ms_per_page"] / before[g]["ms_per_page"], 2) for g in now if g in before}
    return {"rounds": rounds, "before": {"rev": against, **before}, "now": {"rev": f"{head} (working tree)", **now},
            "now_ms / before_ms": ratios}


def _median(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    return {g: rounds[0][g] | {"ms_per_page": statistics.median(r[g]["ms_per_page"] for r in rounds),
                               "ms_per_page_rounds": [r[g]["ms_per_page"] for r in rounds]} for g in rounds[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", default=BEFORE, help="the earlier commit (default: before issue 19)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = run(args.against, args.rounds)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
