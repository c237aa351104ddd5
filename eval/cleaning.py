"""Cleaning evaluation: per-line removal precision and recall, by reason and by script.

    .venv/bin/python -m eval.cleaning [--data DIR] [--out FILE]

Each labelled document (eval/data/cleaning/docs_*.txt, README there) is written as the file a user
would ingest (HTML, or a page saved as text) and read through the product's own path: the parser
registry (trafilatura for pages) and the cleaning stage. A gold line counts as kept when the cleaned
text still holds it. Removal precision: of the lines removed, the share that were junk; recall: of
the junk lines, the share removed. Reported for tune and held_out halves (md5 of the id).
"""

from __future__ import annotations

import argparse
import html
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from app.adapters.parsers import parse
from app.core.textnorm import index_form
from app.core.types import RawFile
from app.settings import Settings
from eval.metrics import split_of
from ingest.clean import clean

DATA = Path(__file__).parent / "data" / "cleaning"
_LINKED = {"nav", "share_bar", "recommended"}


@dataclass(frozen=True)
class Line:
    text: str
    junk: str  # gold reason, "" for an article line


@dataclass(frozen=True)
class Doc:
    id: str
    script: str
    format: str
    lines: tuple[Line, ...]


def load(data: Path = DATA) -> list[Doc]:
    docs: list[Doc] = []
    for path in sorted(data.glob("docs_*.txt")):
        head: list[str] = []
        lines: list[Line] = []
        for raw in [*path.read_text(encoding="utf-8").splitlines(), "=== end"]:
            if raw.startswith("=== "):
                if head:
                    docs.append(Doc(head[0], head[1], head[2], tuple(lines)))
                head, lines = [p.strip() for p in raw[4:].split("|")], []
            elif raw.strip():
                tag, _, text = raw.partition(" ")
                lines.append(Line(text.strip(), "" if tag == "+" else tag[1:]))
    return docs


def render(doc: Doc) -> tuple[str, bytes]:
    """The file as a user would have it: HTML (menus as links) or a page saved as text."""
    if doc.format == "txt":
        return f"{doc.id}.txt", "\n".join(line.text for line in doc.lines).encode("utf-8")
    body, first = [], True
    for line in doc.lines:
        text = html.escape(line.text)
        if line.junk in _LINKED:
            body.append(f'<ul class="links"><li><a href="/x">{text}</a></li></ul>')
        elif not line.junk and first:
            body.append(f"<h1>{text}</h1>")
            first = False
        elif not line.junk:
            body.append(f"<p>{text}</p>")
        else:
            body.append(f'<div class="{line.junk}">{text}</div>')
    title = html.escape(next((ln.text for ln in doc.lines if not ln.junk), doc.id))
    page = f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{''.join(body)}</body></html>"
    return f"{doc.id}.html", page.encode("utf-8")


def _key(text: str) -> str:
    return "".join(index_form(text).split())


def judge(doc: Doc, settings: Settings) -> list[tuple[Line, str | None]]:
    """Each gold line with the product's verdict: None kept, else the removal reason."""
    name, data = render(doc)
    parsed = parse(RawFile(name, data), settings)
    cleaned = clean(parsed.elements, pages=parsed.pages)
    kept = [_key(e.text) for e in cleaned.elements]
    dropped = [(reason, _key(text)) for reason, text in cleaned.dropped]
    out: list[tuple[Line, str | None]] = []
    for line in doc.lines:
        k = _key(line.text)
        if any(k in t and (len(k) >= 15 or len(k) * 2 >= len(t)) for t in kept):
            out.append((line, None))
        else:
            out.append((line, next((r for r, t in dropped if k in t or t in k), "not_extracted")))
    return out


def _scores(pairs: list[tuple[Line, str | None]]) -> dict[str, object]:
    removed = [(ln, r) for ln, r in pairs if r is not None]
    junk = [ln for ln, _ in pairs if ln.junk]
    hit = sum(1 for ln, _ in removed if ln.junk)
    by_gold: dict[str, list[bool]] = defaultdict(list)
    for ln, r in pairs:
        if ln.junk:
            by_gold[ln.junk].append(r is not None)
    by_reason: dict[str, list[bool]] = defaultdict(list)
    for ln, r in removed:
        by_reason[str(r)].append(bool(ln.junk))
    return {
        "lines": len(pairs),
        "junk_lines": len(junk),
        "precision": round(hit / len(removed), 4) if removed else 1.0,
        "recall": round(hit / len(junk), 4) if junk else 1.0,
        "recall_by_gold_reason": {k: round(sum(v) / len(v), 4) for k, v in sorted(by_gold.items())},
        "precision_by_removal_reason": {k: round(sum(v) / len(v), 4) for k, v in sorted(by_reason.items())},
    }


def run(data: Path = DATA, settings: Settings | None = None) -> dict[str, object]:
    settings = settings or Settings()
    docs = load(data)
    judged = {d.id: judge(d, settings) for d in docs}
    result: dict[str, object] = {"documents": len(docs), "by_split": dict(Counter(split_of(d.id) for d in docs))}
    errors: list[dict[str, str]] = []
    for split in ("tune", "held_out"):
        part = [d for d in docs if split_of(d.id) == split]
        section: dict[str, object] = {"all": _scores([p for d in part for p in judged[d.id]])}
        for script in ("zh-Hans", "zh-Hant", "en"):
            section[script] = _scores([p for d in part if d.script == script for p in judged[d.id]])
        result[split] = section
        if split == "tune":  # what tuning may look at; the held-out lines stay unread
            errors += [{"doc": d.id, "line": ln.text, "gold": ln.junk or "article", "got": r or "kept"}
                       for d in part for ln, r in judged[d.id] if bool(ln.junk) != (r is not None)]
    result["tune_errors"] = errors
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = run(args.data)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
