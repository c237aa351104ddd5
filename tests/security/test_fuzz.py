"""API fuzzing from the OpenAPI spec (schemathesis): generated and mutated requests to every
operation, with a valid key; no input may produce a 5xx, and every error has the JSON shape. The
example count is bounded so CI stays fast; SME_FUZZ_EXAMPLES=200 for a deeper run."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from app.adapters.keys import KeyStore
from app.api.app import create_app
from app.settings import Settings

EXAMPLES = int(os.environ.get("SME_FUZZ_EXAMPLES", "15"))
# the schema is read at collection time; the lifespan (index, models) runs in the fixture below
DATA = Path(tempfile.mkdtemp(prefix="sme-fuzz-")) / "data"
APP = create_app(Settings(data_dir=DATA, embedder="hashing", rate_limit_per_s=0))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
AUTH: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def running_app(demo_dir: Path) -> Iterator[None]:
    shutil.copytree(demo_dir, DATA, dirs_exist_ok=True)
    AUTH["Authorization"] = f"Bearer {KeyStore(DATA / 'keys.json').create('bank-a', 'rm')[0]}"
    with TestClient(APP):
        yield
    shutil.rmtree(DATA.parent, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_input_yields_a_server_error(case) -> None:  # type: ignore[no-untyped-def]
    response = case.call(headers=AUTH)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message"}, response.text
