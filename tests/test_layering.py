"""Import boundaries from STYLE.md: heavy libraries only in adapters, fastapi only in api."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = {"fastapi", "starlette", "unstructured", "langchain", "langchain_core", "langchain_community",
         "langchain_openai", "faiss", "torch", "sentence_transformers", "ray", "transformers", "bm25s"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(*folders: str) -> list[Path]:
    return [p for f in folders for p in (ROOT / f).rglob("*.py")]


@pytest.mark.parametrize("path", _modules("app/core", "ingest"), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_and_ingest_import_no_heavy_library(path: Path) -> None:
    assert not (_imports(path) & HEAVY), f"{path} imports {_imports(path) & HEAVY}"


@pytest.mark.parametrize("path", _modules("app"), ids=lambda p: str(p.relative_to(ROOT)))
def test_fastapi_only_in_api(path: Path) -> None:
    if "api" in path.relative_to(ROOT).parts:
        return
    assert not (_imports(path) & {"fastapi", "starlette"}), path


@pytest.mark.parametrize("path", _modules("app", "ingest", "eval"), ids=lambda p: str(p.relative_to(ROOT)))
def test_environment_is_read_only_in_settings(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if path.name in ("settings.py", "offline.py"):
        return
    # reading configuration; passing the environment on to a child process is fine
    assert not re.search(r"os\.environ(\.get|\[|\.setdefault)|getenv", text), path


def test_core_imports_no_adapter() -> None:
    for path in _modules("app/core"):
        src = path.read_text(encoding="utf-8")
        assert "app.adapters" not in src and "app.api" not in src, path
