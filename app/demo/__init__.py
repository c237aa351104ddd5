"""The demo knowledge base shipped with the product: loaded by `sme demo` (and `make run`)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from app.adapters.backends import key_store
from app.enterprises import Enterprises
from app.settings import Settings
from app.wiring import Deps
from ingest.catalog import load_catalog
from ingest.pipeline import Ingestor, Target

logger = logging.getLogger(__name__)
DOCS = Path(__file__).parent / "docs"
CATALOG = Path(__file__).parent / "catalog"
ENTERPRISES = Path(__file__).parent / "enterprises"  # one folder of documents per sample firm
DEMO_TENANT = "demo"  # the demo key's tenant: the sample firms are its clients
KIND_BY_PREFIX = {"ip_pledge": "credit"}


def load_demo(settings: Settings, reset: bool = False, enterprises: bool = False) -> dict[str, object]:
    """The demo knowledge base and catalog; with `enterprises`, the sample firms too (their
    documents ingested as the demo tenant's, then profiled: a scan is OCR'd, so it takes a while)."""
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
    firms = load_enterprises(deps, ingestor) if enterprises else []
    return {"documents": counts, "catalog_programs": len(programs), "programs_total": deps.programs.count(),
            "enterprises": firms, "demo_key_file": str(_demo_key(settings))}


def load_enterprises(deps: Deps, ingestor: Ingestor) -> list[str]:
    """Each sample firm's documents (plan, statements, scan, news page) indexed and profiled."""
    firms = sorted(p for p in ENTERPRISES.iterdir() if p.is_dir())
    for folder in firms:
        files = sorted(f for f in folder.iterdir() if f.is_file())
        report = ingestor.run(files, Target(kind="enterprise", tenant=DEMO_TENANT, enterprise_id=folder.name))
        if report.counts.get("failed"):
            logger.warning("demo firm %s: %d file(s) failed to ingest", folder.name, report.counts["failed"])
        Enterprises(deps).refresh(DEMO_TENANT, folder.name)
    return [f.name for f in firms]


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
