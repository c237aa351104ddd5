"""The demo knowledge base shipped with the product: loaded by `sme demo` (and `make run`)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from app.adapters.backends import key_store
from app.settings import Settings
from app.wiring import Deps
from ingest.catalog import load_catalog
from ingest.pipeline import Ingestor, Target

logger = logging.getLogger(__name__)
DOCS = Path(__file__).parent / "docs"
CATALOG = Path(__file__).parent / "catalog"
KIND_BY_PREFIX = {"ip_pledge": "credit"}


def load_demo(settings: Settings, reset: bool = False) -> dict[str, object]:
    if reset and settings.data_dir.exists():
        shutil.rmtree(settings.data_dir)
    deps = Deps.build(settings)
    ingestor = Ingestor(settings, deps.kb, deps.embedder)
    counts: dict[str, int] = {}
    for kind in ("policy", "credit"):
        files = [p for p in sorted(DOCS.iterdir()) if _kind(p) == kind]
        report = ingestor.run(files, Target(kind=kind))
        for status, n in report.counts.items():
            counts[status] = counts.get(status, 0) + n
    programs = [p for f in sorted(CATALOG.glob("*.yaml")) for p in load_catalog(f)]
    deps.programs.upsert(programs)
    return {"documents": counts, "catalog_programs": len(programs), "programs_total": deps.programs.count(),
            "demo_key_file": str(_demo_key(settings))}


def _kind(path: Path) -> str:
    return next((k for prefix, k in KIND_BY_PREFIX.items() if path.name.startswith(prefix)), "policy")


def _demo_key(settings: Settings) -> Path:
    """A local admin key for trying the API, written owner-readable next to the data."""
    path = settings.data_dir / "demo-key.txt"
    if not path.exists():
        key, _ = key_store(settings).create("demo", "admin")
        path.write_text(key + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path
