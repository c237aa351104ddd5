"""`sme demo` opens on sample firms, not an empty list: each firm's documents (a DOCX plan, XLSX
statements, a scanned certificate read by OCR, a saved news page, Chinese letters) indexed under the
demo key's tenant and profiled, with what a relationship manager would look for first."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # OCR of the scanned certificate


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    data = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "SME_DATA_DIR": str(data), "SME_EMBEDDER": "hashing"}
    out = subprocess.run([sys.executable, "-m", "app.cli", "demo"], env=env, capture_output=True, text=True,
                         timeout=600, check=True)
    return data, json.loads(out.stdout.strip().splitlines()[-1])


def _api(data: Path) -> tuple[Any, dict[str, str]]:
    from fastapi.testclient import TestClient

    from app.api.app import create_app
    from app.settings import Settings

    key = (data / "demo-key.txt").read_text().strip()
    return TestClient(create_app(Settings(data_dir=data, embedder="hashing"))), {"Authorization": f"Bearer {key}"}


def test_the_demo_lists_its_sample_firms_with_their_profiles(demo: tuple[Path, dict]) -> None:
    data, report = demo
    assert report["enterprises"] == ["aurora", "northwind", "qiyuan-chip"]
    client, auth = _api(data)
    with client:
        while client.get("/readyz").status_code != 200:  # the models load in the background
            time.sleep(0.2)
        listed = client.get("/v1/enterprises", headers=auth).json()
        ids = {e["enterprise_id"] for e in listed["enterprises"]}
        assert {"aurora", "northwind", "qiyuan-chip"} <= ids
        aurora = client.get("/v1/enterprises/aurora", headers=auth).json()
        northwind = client.get("/v1/enterprises/northwind", headers=auth).json()
        qiyuan = client.get("/v1/enterprises/qiyuan-chip", headers=auth).json()
    facts = aurora["fields"]
    assert aurora["name"] == "深圳极光智能科技有限公司"
    assert facts["certificate.hnte"]["value"]["number"] == "GR202344201234"  # read from the scan by OCR
    assert {"revenue", "rd_expense", "patents.invention"} <= set(facts)  # from the XLSX and the DOCX
    assert northwind["name"] == "Northwind Analytics Inc."  # the news page's "Austin-based …" is not the name
    assert set(qiyuan["fields"]) >= {"tax_rating", "risk.litigation", "bank_loans"}
