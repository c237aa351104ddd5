"""Milvus Lite and Qdrant's local mode at one collection size, on the same vectors, queries and
tenants as the FAISS indexes: build, memory, single-query latency and recall@10 against exact, and
tenant filtering inside the engine (a filter expression on a `tenant` field).

Milvus Lite is the Milvus engine (knowhere indexes) run embedded as a child process of the client;
memory is that process's RSS plus the client's growth. Qdrant's local mode (`QdrantClient(":memory:")`
or a path) is a pure-Python re-implementation for tests: exact numpy search, filters evaluated in
Python; the Qdrant server (Rust, HNSW) is not on PyPI, so it is not measured here."""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from eval.index_scale_faiss import Case
from eval.scale_measure import F32, I64, measured, rss_mb

logger = logging.getLogger(__name__)
INSERT_BATCH = 10_000


def tenant_of(case: Case) -> list[str]:
    names = ["other"] * len(case.base)
    for tenant in case.tenants:
        for i in tenant.ids.tolist():
            names[i] = tenant.name
    return names


def children_rss_mb() -> float:
    kids = psutil.Process().children(recursive=True)
    return round(sum(k.memory_info().rss for k in kids if k.is_running()) / 2**20, 1)


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="ixscale-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def created(client: Any, params: Any) -> None:
    """Build an index; a build longer than the gRPC keep-alive is retried by the client, whose
    second call finds the index the first one built."""
    from pymilvus.exceptions import MilvusException

    try:
        client.create_index("chunks", params, timeout=3600)
    except MilvusException as exc:
        if "already exists" not in str(exc):
            raise
        logger.info("index built by the first call (%s)", exc)


def milvus(case: Case, m: int = 32, ef_construction: int = 64) -> dict[str, Any]:
    """Milvus Lite with an HNSW index, searched at ef 32/64/128."""
    params = {"M": m, "efConstruction": ef_construction}
    return _milvus(case, "HNSW", params, f"HNSW M={m} efConstruction={ef_construction}",
                   {str(ef): {"ef": ef} for ef in (32, 64, 128)})


def milvus_ivf(case: Case) -> dict[str, Any]:
    """Milvus Lite with IVF_FLAT (nlist = 4·√N, as the FAISS IVF runs): a build that fits 1M
    vectors in minutes where HNSW takes hours on these cores; searched at nprobe 16/64."""
    nlist = int(4 * len(case.base) ** 0.5)
    return _milvus(case, "IVF_FLAT", {"nlist": nlist}, f"IVF_FLAT nlist={nlist}",
                   {f"nprobe={n}": {"nprobe": n} for n in (16, 64)})


def _milvus(case: Case, index_type: str, build: dict[str, Any], name: str,
            grid_params: dict[str, dict[str, Any]]) -> dict[str, Any]:
    from pymilvus import DataType, MilvusClient

    d = case.base.shape[1]
    with scratch() as tmp:
        before = rss_mb()
        client = MilvusClient(str(tmp / "bench.db"))
        schema = client.create_schema(auto_id=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("vec", DataType.FLOAT_VECTOR, dim=d)
        schema.add_field("tenant", DataType.VARCHAR, max_length=64)
        client.create_collection("chunks", schema=schema)
        names = tenant_of(case)
        t = time.perf_counter()
        for lo in range(0, len(case.base), INSERT_BATCH):
            rows = [{"id": i, "vec": case.base[i], "tenant": names[i]}
                    for i in range(lo, min(lo + INSERT_BATCH, len(case.base)))]
            client.insert("chunks", rows)
        client.flush("chunks")
        insert_s = time.perf_counter() - t
        t = time.perf_counter()
        vec = client.prepare_index_params()
        vec.add_index(field_name="vec", index_type=index_type, metric_type="IP", params=build)
        tenant = client.prepare_index_params()
        tenant.add_index(field_name="tenant", index_type="INVERTED")
        for params in (vec, tenant):
            created(client, params)
        client.load_collection("chunks")
        index_s = time.perf_counter() - t
        out: dict[str, Any] = {"index": name, "insert_s": round(insert_s, 2),
                               "index_load_s": round(index_s, 2), "build_s": round(insert_s + index_s, 2),
                               "client_rss_delta_mb": round(rss_mb() - before, 1), "engine_rss_mb": children_rss_mb(),
                               "disk_mb": round(sum(p.stat().st_size for p in tmp.rglob("*") if p.is_file()) / 2**20, 1)}
        grid: dict[str, Any] = {}
        for label, params in grid_params.items():
            sp = {"metric_type": "IP", "params": params}

            def search(q: F32, flt: str = "", sp: dict[str, Any] = sp) -> I64:
                hits = client.search("chunks", data=[q[0]], limit=case.k, filter=flt, search_params=sp)[0]
                return np.array([h["id"] for h in hits] + [-1] * (case.k - len(hits)), dtype=np.int64)

            grid[label] = {"search": measured(search, case.queries, case.truth), "tenant_filter": {
                t_.name: measured(partial(search, flt=f'tenant == "{t_.name}"'), case.queries,
                                  case.tenant_truth[t_.name]) for t_ in case.tenants}}
            logger.info("milvus %s %s: %s", index_type, label, grid[label])
        out["ef" if index_type == "HNSW" else "nprobe"] = grid
        client.close()
    return out


def qdrant(case: Case) -> dict[str, Any]:
    from qdrant_client import QdrantClient, models

    before = rss_mb()
    client = QdrantClient(":memory:")
    client.create_collection("chunks", vectors_config=models.VectorParams(size=case.base.shape[1],
                                                                          distance=models.Distance.DOT))
    names = tenant_of(case)
    t = time.perf_counter()
    client.upload_collection("chunks", vectors=case.base, payload=({"tenant": n} for n in names),
                             ids=range(len(case.base)), batch_size=INSERT_BATCH)
    out: dict[str, Any] = {"index": "local mode: exact numpy scan", "build_s": round(time.perf_counter() - t, 2),
                           "rss_delta_mb": round(rss_mb() - before, 1)}

    def search(q: F32, flt: Any = None) -> I64:
        hits = client.query_points("chunks", query=q[0], limit=case.k, query_filter=flt).points
        return np.array([int(h.id) for h in hits] + [-1] * (case.k - len(hits)), dtype=np.int64)

    out["search"] = measured(search, case.queries, case.truth)
    out["tenant_filter"] = {}
    for tenant in case.tenants:
        flt = models.Filter(must=[models.FieldCondition(key="tenant", match=models.MatchValue(value=tenant.name))])
        out["tenant_filter"][tenant.name] = measured(partial(search, flt=flt), case.queries[:50],
                                                     case.tenant_truth[tenant.name][:50])
    out["tenant_filter_queries"] = 50  # a filtered local-mode search evaluates the filter per point in Python
    client.close()
    return out


ENGINES = {"milvus_lite": milvus, "milvus_lite_ivf": milvus_ivf, "qdrant_local": qdrant}
