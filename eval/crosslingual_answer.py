"""Grounded answers across languages: an English question over Chinese passages, and the reverse.

The probe (``eval/data/crosslingual_answer.jsonl``, written from the demo knowledge base's Chinese policy
texts and English program sheets, not from the chat eval) gives each question the passages retrieval
would return: the one it is about first, then one more in the passage's language and one in the
question's. An answerable item is right when ``compose`` answers and quotes the sentence holding one of
its expected strings; an unanswerable one when it declines. Scored with the product's embedder (the
multilingual default) and, for comparison, without one (the lexical rule alone); both splits
(eval.metrics.split_of) are reported, and ``--sweep`` prints the grid the thresholds were chosen on.

    python -m eval.crosslingual_answer [--sweep] [--out report.json]
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.core import answer as answer_mod
from app.core.answer import Passage, compose
from app.core.glossary import load_glossary
from app.core.ports import Embedder
from app.core.tokenize import tokens
from eval.metrics import split_of

ROOT = Path(__file__).resolve().parents[1]
PROBE = ROOT / "eval" / "data" / "crosslingual_answer.jsonl"
DEMO = ROOT / "app" / "demo"


@dataclass(frozen=True)
class Case:
    id: str
    direction: str
    question: str
    passages: tuple[str, ...]
    expect: tuple[str, ...]  # empty: unanswerable

    @property
    def split(self) -> str:
        return split_of(self.id)


def load_cases(path: Path = PROBE) -> list[Case]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Case(row["id"], row["direction"], row["question"], tuple(row["passages"]), tuple(row["expect"])))
    return out


def load_sources(demo: Path = DEMO) -> dict[str, tuple[str, str]]:
    """'program:<id>' and 'doc:<file>' → (title, text) of the demo knowledge base."""
    out: dict[str, tuple[str, str]] = {}
    for path in sorted((demo / "catalog").glob("*.yaml")):
        for p in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if p.get("text"):
                out[f"program:{p['id']}"] = (p["title"], p["text"].strip())
    for path in sorted((demo / "docs").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
        out[f"doc:{path.name}"] = (title, text)
    return out


def passages_of(case: Case, sources: dict[str, tuple[str, str]]) -> list[Passage]:
    return [Passage(i + 1, key, *sources[key]) for i, key in enumerate(case.passages)]


def right(case: Case, text: str, found: bool) -> bool:
    """Answerable: an answer quoting an expected string; unanswerable: a decline."""
    if not case.expect:
        return not found
    return found and any(e in text for e in case.expect)


@contextmanager
def thresholds(min_lift: dict[str, float], margin: float, word_cos: float, min_asked: float,
               min_cover: float = answer_mod.CROSS_MIN_COVER) -> Iterator[None]:
    """app/core/answer.py's cross-language thresholds set for a while (the sweep)."""
    names = ("CROSS_MIN_LIFT", "CROSS_MARGIN", "CROSS_WORD_COS", "CROSS_MIN_ASKED", "CROSS_MIN_COVER")
    saved = [getattr(answer_mod, n) for n in names]
    for n, v in zip(names, (min_lift, margin, word_cos, min_asked, min_cover)):
        setattr(answer_mod, n, v)
    try:
        yield
    finally:
        for n, v in zip(names, saved):
            setattr(answer_mod, n, v)


def score(cases: list[Case], sources: dict[str, tuple[str, str]], embedder: Embedder | None) -> dict[str, Any]:
    """Answer and decline accuracy per split, and per direction within each split."""
    glossary = load_glossary()
    rows = []
    for case in cases:
        got = compose(case.question, passages_of(case, sources), tokens, glossary, None, embedder)
        rows.append((case, right(case, got.text, got.found)))
    report: dict[str, Any] = {}
    for split in ("tune", "held_out"):
        part = [(c, ok) for c, ok in rows if c.split == split]
        report[split] = _figures(part)
        report[split]["by_direction"] = {d: _figures([(c, ok) for c, ok in part if c.direction == d])
                                         for d in sorted({c.direction for c, _ in part})}
    report["tune_misses"] = [c.id for c, ok in rows if not ok and c.split == "tune"]
    return report


def _figures(rows: list[tuple[Case, bool]]) -> dict[str, Any]:
    answerable = [ok for c, ok in rows if c.expect]
    unanswerable = [ok for c, ok in rows if not c.expect]
    return {"answerable": len(answerable), "unanswerable": len(unanswerable),
            "answer_accuracy": round(sum(answerable) / len(answerable), 3) if answerable else None,
            "decline_accuracy": round(sum(unanswerable) / len(unanswerable), 3) if unanswerable else None}


def make_default_embedder() -> Embedder:
    from app.adapters.embedder import MemoEmbedder
    from app.settings import Settings
    from app.wiring import make_embedder

    embedder = MemoEmbedder(make_embedder(Settings()), capacity=100_000)
    embedder.warm_up()
    return embedder


def sweep(cases: list[Case], sources: dict[str, tuple[str, str]], embedder: Embedder) -> list[dict[str, Any]]:
    """Per direction and split, the figures over a grid of (share held, share asked beyond the topic, word
    closeness, lift floor; margin 0.01): the
    floor for Chinese passages decides en→zh, the one for English passages zh→en."""
    grid = []
    for cover in (0.25, 0.34, 0.5):
        for asked in (0.0, 0.01):
            for word_cos in (0.85, 0.86, 0.87):
                for lift in (0.02, 0.03, 0.035, 0.04, 0.05, 0.06):
                    with thresholds({"zh": lift, "en": lift}, 0.01, word_cos, asked, cover):
                        r = score(cases, sources, embedder)
                    for d in ("en-zh", "zh-en"):
                        grid.append({"direction": d, "min_cover": cover, "min_asked": asked, "word_cos": word_cos,
                                     "min_lift": lift, **{f"{s}_{k}": r[s]["by_direction"][d][k] for s in ("tune", "held_out")
                                                          for k in ("answer_accuracy", "decline_accuracy")}})
    return grid


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="print the threshold grid on both splits")
    parser.add_argument("--out", type=Path, help="write the report as JSON")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    cases, sources = load_cases(), load_sources()
    embedder = make_default_embedder()
    report: dict[str, Any] = {"probe": str(PROBE.relative_to(ROOT)), "items": len(cases), "embedder": embedder.model_id,
              "thresholds": {"word_cos": answer_mod.CROSS_WORD_COS, "min_lift": answer_mod.CROSS_MIN_LIFT,
                             "margin": answer_mod.CROSS_MARGIN, "min_asked": answer_mod.CROSS_MIN_ASKED,
                             "min_cover": answer_mod.CROSS_MIN_COVER},
              "with_embedder": score(cases, sources, embedder), "lexical_only": score(cases, sources, None)}
    if args.sweep:
        grid = sweep(cases, sources, embedder)
        report["sweep"] = grid
        for row in grid:
            print(json.dumps(row))
    if args.out:
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "sweep"}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
