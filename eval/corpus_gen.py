"""Builds a mixed-format benchmark corpus from real public text (../shared when present) or fixtures."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pypdfium2 as pdfium
from docx import Document as DocxDocument

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
FIXTURES = ROOT / "tests" / "fixtures" / "corpus"
NAV = '<nav><a href="/">首页</a> | <a>新闻</a> | <a>政策</a> | <a>联系我们</a></nav><p>分享到： 微信 微博</p>'


def _sections(markdown: str, limit: int = 2000) -> list[tuple[str, str]]:
    """(heading, body) per chapter of a law, long chapters cut at paragraph ends into <= limit chars."""
    out = []
    for part in re.split(r"\n(?=#{1,3} )", markdown):
        heading = part.splitlines()[0].lstrip("# ").strip()
        piece = ""
        for para in part.split("\n\n"):
            if piece and len(piece) + len(para) > limit:
                out.append((heading, piece))
                piece = f"## {heading}\n\n"
            piece += para + "\n\n"
        out.append((heading, piece))
    return [(h, b) for h, b in out if len(b) > 200]


def _write_docx(path: Path, title: str, body: str) -> None:
    doc = DocxDocument()
    doc.add_heading(title, level=1)
    for para in body.split("\n"):
        if para.strip():
            doc.add_paragraph(para.strip())
    doc.save(str(path))


def _split_pdf(src: Path, out: Path, pages_per_file: int) -> list[Path]:
    pdf = pdfium.PdfDocument(str(src))
    made = []
    for start in range(0, len(pdf), pages_per_file):
        part = pdfium.PdfDocument.new()
        part.import_pages(pdf, list(range(start, min(start + pages_per_file, len(pdf)))))
        target = out / f"{src.stem}_p{start + 1:03d}.pdf"
        part.save(str(target))
        made.append(target)
    return made


def build(out: Path, minimum: int = 200) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    laws = sorted((SHARED / "corpus" / "cn-laws").glob("*.md"))
    writers = ("md", "html", "docx", "txt")
    n = 0
    for law in laws:
        for heading, body in _sections(law.read_text(encoding="utf-8")):
            fmt = writers[n % len(writers)]
            path = out / f"law{n:04d}.{fmt}"
            if fmt == "md":
                path.write_text(body, encoding="utf-8")
            elif fmt == "html":
                path.write_text(f"<html><body>{NAV}<h1>{html.escape(heading)}</h1>"
                                + "".join(f"<p>{html.escape(x)}</p>" for x in body.split("\n") if x.strip())
                                + "<footer>版权所有 © 2024</footer></body></html>", encoding="utf-8")
            elif fmt == "docx":
                _write_docx(path, heading, body)
            else:
                path.write_bytes(body.encode("gb18030"))
            files.append(path)
            n += 1
    for pdf in sorted((SHARED / "eval" / "financebench-pages" / "corpus").glob("*.pdf")):
        files += _split_pdf(pdf, out, 2)
    for fixture in sorted(FIXTURES.iterdir()):
        target = out / f"fixture_{fixture.name}"
        target.write_bytes(fixture.read_bytes())
        files.append(target)
    if len(files) < minimum:
        raise SystemExit(f"only {len(files)} documents could be built (need {minimum}); is ../shared present?")
    return files
