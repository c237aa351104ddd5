"""Vectors encoded on another machine are the product's own: a pack encoded by eval/e5_encode.py
(here on the CPU) matches the engine's vectors, and `apply` rebuilds a data dir's index from them,
refusing a pack of other chunks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.adapters.e5_onnx import OnnxE5Embedder
from app.settings import Settings
from app.wiring import Deps
from eval import e5_encode
from eval.e5_offload import apply, chunk_texts, pack
from ingest.pipeline import Ingestor, Target

TEXTS = ["Net cash provided by operating activities was $1.2 billion in fiscal 2022.",
         "研发费用占营业收入比例不低于5%。", "", "x",
         "The segment's revenue grew 12% year over year on higher unit volumes. " * 90]  # several windows


def test_a_pack_encoded_elsewhere_gives_the_engines_vectors(tmp_path: Path) -> None:
    counts = pack(TEXTS, tmp_path / "pack", sample=3)
    assert counts["texts"] == 5 and counts["windows"] > 5  # the long text spans windows
    assert e5_encode.main([str(tmp_path / "pack"), str(tmp_path / "vec")]) == 0  # checks its sample, writes
    stored = np.concatenate([np.load(p) for p in sorted((tmp_path / "vec").glob("vec*.npy"))])
    assert stored.shape == (5, 384) and stored.dtype == np.float16
    engine = OnnxE5Embedder().embed(TEXTS)
    assert float((stored.astype(np.float32) * engine).sum(1).min()) > 0.999  # stored as float16


def test_apply_rebuilds_the_index_from_the_packs_vectors(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("# Loans\n\nA working capital loan for small firms, up to 5 million yuan.\n")
    (corpus / "b.md").write_text("# 补贴\n\n高新技术企业认定后给予一次性奖励三十万元。\n")
    data = tmp_path / "data"
    cheap = Settings().model_copy(update={"data_dir": data, "embedder": "hashing"})
    deps = Deps.build(cheap)
    Ingestor(cheap, deps.kb, deps.embedder).run([corpus], Target(kind="general"))
    texts = chunk_texts(data)
    pack(texts, tmp_path / "pack", sample=2)
    e5_encode.save(e5_encode.encode(tmp_path / "pack", device="cpu"), tmp_path / "vec")
    report = apply(data, tmp_path / "pack", tmp_path / "vec")
    assert report["encoded_here"] == 0 and report["chunks"] >= 2
    built = Deps.build(Settings().model_copy(update={"data_dir": data}))
    rows = list(built.kb.store.all_chunks())
    index = built.kb.index()
    assert index is not None
    stored = index.vectors([int(r["rid"]) for r in rows])
    engine = OnnxE5Embedder().embed([str(r["embed_text"]) for r in rows])
    assert float(min(stored[int(r["rid"])] @ engine[i] for i, r in enumerate(rows))) > 0.999
    assert built.kb.store.meta("index_model") == OnnxE5Embedder().model_id

    with pytest.raises(SystemExit, match="fp32"):  # int8 vectors are not what e5_encode makes
        apply(data, tmp_path / "pack", tmp_path / "vec", Settings().model_copy(update={"e5_precision": "int8"}))
    pack(["Seed rounds of 1 to 3 million dollars."], tmp_path / "other", sample=1)  # another data dir's chunks
    with pytest.raises(SystemExit, match="pack it again"):
        apply(data, tmp_path / "other", tmp_path / "vec")
