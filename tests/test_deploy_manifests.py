"""deploy/ (compose file, Kubernetes manifests) and the Dockerfile stay true to the app: every file
parses, every probe and ingress path is a route the app serves, every SME_ variable is a Settings
field, and the image installs what `make install` installs."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.api.app import create_app
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
HELM_VALUES = {"milvus-values.yaml"}  # values for a chart, not manifests


def _docs(path: Path) -> list[Any]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]


def _manifests() -> list[dict[str, Any]]:
    return [d for p in sorted(K8S.glob("*.yaml")) if p.name not in HELM_VALUES and p.name != "kustomization.yaml"
            for d in _docs(p)]


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key), value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """The app's documented routes and their methods (FastAPI's own view of what it serves)."""
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("data"), embedder="hashing"))
    return {path: set(ops) for path, ops in app.openapi()["paths"].items()}


def test_every_deploy_file_parses_and_every_manifest_names_its_kind() -> None:
    files = sorted(DEPLOY.rglob("*.yaml"))
    assert {p.name for p in files} >= {"compose.yaml", "api.yaml", "ingest.yaml", "postgres.yaml", "ray.yaml",
                                       "config.yaml", "milvus-values.yaml", "kustomization.yaml"}
    assert all(_docs(p) for p in files)
    kinds = {(d["kind"], d["metadata"]["name"]) for d in _manifests()}
    assert {("Deployment", "sme-api"), ("Deployment", "sme-ingest"), ("StatefulSet", "postgres"),
            ("RayCluster", "sme-batch"), ("ConfigMap", "sme-config"), ("Secret", "sme-secrets")} <= kinds
    listed = _docs(K8S / "kustomization.yaml")[0]["resources"]
    assert all((K8S / name).exists() for name in listed) and "milvus-values.yaml" not in listed


def _probes(container: dict[str, Any]) -> dict[str, str]:
    return {kind: container[kind]["httpGet"]["path"] for kind in ("livenessProbe", "readinessProbe", "startupProbe")
            if "httpGet" in container.get(kind, {})}


def test_api_and_ingest_pods_probe_liveness_on_healthz_and_readiness_on_readyz(paths: dict[str, set[str]]) -> None:
    deployments = {d["metadata"]["name"]: d for d in _manifests() if d["kind"] == "Deployment"}
    for name in ("sme-api", "sme-ingest"):
        (container,) = deployments[name]["spec"]["template"]["spec"]["containers"]
        probes = _probes(container)
        assert probes["livenessProbe"] == "/healthz" and probes["readinessProbe"] == "/readyz", name
    assert "get" in paths["/healthz"] and "get" in paths["/readyz"]


def test_every_probed_or_routed_path_is_served(paths: dict[str, set[str]]) -> None:
    probed = {v["path"] for k, v in _walk(_manifests()) if k == "httpGet"}
    compose_checks = " ".join(str(v) for k, v in _walk(_docs(DEPLOY / "compose.yaml")) if k == "test")
    docker_checks = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    probed |= set(re.findall(r"http://127\.0\.0\.1:8000(/\w+)", compose_checks + docker_checks))
    gets = {path for path, methods in paths.items() if "get" in methods}
    assert probed and probed <= gets, probed - gets
    ingress = [p["path"] for k, v in _walk(_manifests()) if k == "paths" for p in v]
    for prefix in ingress:
        assert prefix == "/" or any(path.startswith(prefix) for path in paths), prefix


def _sme_names() -> set[str]:
    names = set()
    for key, value in _walk([*_manifests(), *_docs(DEPLOY / "compose.yaml")]):
        if key in ("data", "stringData", "environment") and isinstance(value, dict):
            names |= set(value)
        if key == "env" and isinstance(value, list):
            names |= {e["name"] for e in value}
    return {n for n in names if n.startswith("SME_")}


def test_every_sme_variable_named_is_a_setting() -> None:
    names = _sme_names()
    assert {"SME_DATABASE_URL", "SME_TORCH_THREADS", "SME_DATA_DIR"} <= names
    unknown = {n for n in names if n.removeprefix("SME_").lower() not in Settings.model_fields}
    assert not unknown, f"not fields of app.settings.Settings: {sorted(unknown)}"
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        for name in re.findall(r"\bSME_\w+", line):
            assert name.removeprefix("SME_").lower() in Settings.model_fields, name


def _environments() -> Iterator[tuple[str, dict[str, str]]]:
    for doc in _manifests():
        if doc["kind"] in ("ConfigMap", "Secret"):
            yield doc["metadata"]["name"], doc.get("data") or doc.get("stringData") or {}
    for name, service in _docs(DEPLOY / "compose.yaml")[0]["services"].items():
        yield name, service.get("environment") or {}


@pytest.mark.parametrize(("name", "env"), list(_environments()), ids=[n for n, _ in _environments()])
def test_the_values_given_are_valid_settings(name: str, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each ConfigMap, Secret and compose service's SME_ values, read as the app reads them."""
    for key in [k for k in os.environ if k.startswith("SME_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        if key.startswith("SME_"):
            monkeypatch.setenv(key, str(value))
    settings = Settings(_env_file=None)
    if "SME_TORCH_THREADS" in env:
        assert settings.torch_threads == int(env["SME_TORCH_THREADS"])
    if "SME_DATABASE_URL" in env:
        assert settings.database_url is not None
        assert settings.database_url.get_secret_value().startswith("postgresql://")


def test_the_image_installs_the_requirements_of_make_install() -> None:
    makefile, dockerfile = ((ROOT / n).read_text(encoding="utf-8") for n in ("Makefile", "Dockerfile"))
    install = next(line for line in makefile.splitlines() if "$(PIP) install -q -r" in line)
    wanted = set(re.findall(r"requirements/\w+\.txt", install)) - {"requirements/dev.txt"}  # test tools stay out
    assert wanted and wanted <= set(re.findall(r"requirements/\w+\.txt", dockerfile))
    pinned = re.search(r"--no-deps (unstructured-inference==[\d.]+)", makefile)
    assert pinned and pinned.group(1) in dockerfile
    assert "HF_HUB_OFFLINE=1" in dockerfile and "-e ." in dockerfile  # prompts/ is read beside the package
