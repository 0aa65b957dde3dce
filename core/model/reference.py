"""Plain-numpy reference forward pass of the llama architecture, as llama.cpp computes it.

Scope: the oracle for parity tests (llama.cpp logits, the trainable engine). It is written for
clarity, not speed, and computes in float64 by default. It follows
``../shared/reference/gguf-llama-cpp.md`` §2 exactly:

* RMSNorm ``x / sqrt(mean(x**2) + eps) * w``;
* q, k, v = h @ W.T; RoPE on adjacent pairs (x[2i], x[2i+1]) (ggml ``GGML_ROPE_TYPE_NORMAL``)
  with angles computed like ggml's ``ggml_rope_cache_init``: ``theta_scale = base**(-2/head_dim)``
  in float32, ``theta`` for pair ``i`` accumulated as ``pos * theta_scale**i`` by repeated float32
  multiplication;
* causal softmax attention with scale ``1/sqrt(head_dim)``; grouped-query attention where query
  head ``h`` uses kv head ``h // (n_heads // n_kv_heads)``;
* SwiGLU feed-forward ``W_down @ (silu(W_gate @ h) * (W_up @ h))``;
* final RMSNorm and the output projection (``token_embd.weight`` when ``tied_output``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from simplex_training.model.config import LlamaConfig


def rope_angles(config: LlamaConfig, n_pos: int) -> np.ndarray:
    """Rotation angles, shape (n_pos, head_dim // 2), float32 as ggml's CPU kernel computes them."""
    half = config.head_dim // 2
    exponent = np.float32(-2.0) / np.float32(config.head_dim)
    theta_scale = np.float32(float(np.float32(config.rope_base)) ** float(exponent))
    out = np.empty((n_pos, half), dtype=np.float32)
    out[:, 0] = np.arange(n_pos, dtype=np.float32)
    for i in range(1, half):
        out[:, i] = out[:, i - 1] * theta_scale  # float32 product, like ggml's theta *= theta_scale
    return out


def apply_rope(x: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """Rotate adjacent pairs of ``x`` (T, n_heads, head_dim) by ``angles`` (T, head_dim // 2)."""
    cos = np.cos(angles.astype(np.float64))[:, None, :].astype(x.dtype)
    sin = np.sin(angles.astype(np.float64))[:, None, :].astype(x.dtype)
    x0, x1 = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2] = x0 * cos - x1 * sin
    out[..., 1::2] = x0 * sin + x1 * cos
    return out


def rms_norm(x: np.ndarray, weight: np.ndarray, eps: float) -> np.ndarray:
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight


def _check(config: LlamaConfig, weights: Mapping[str, np.ndarray], token_ids: Sequence[int]) -> None:
    expected = config.weight_shapes()
    missing = [n for n in expected if n not in weights]
    if missing:
        raise KeyError(f"missing weights: {', '.join(missing[:5])}")
    for name, shape in expected.items():
        if tuple(weights[name].shape) != shape:
            raise ValueError(f"{name} has shape {tuple(weights[name].shape)}, expected {shape}")
    if len(token_ids) == 0:
        raise ValueError("token_ids is empty")
    bad = [t for t in token_ids if not 0 <= t < config.vocab_size]
    if bad:
        raise ValueError(f"token id {bad[0]} out of range for vocab_size {config.vocab_size}")


def reference_logits(
    config: LlamaConfig,
    weights: Mapping[str, np.ndarray],
    token_ids: Sequence[int],
    dtype: type = np.float64,
) -> np.ndarray:
    """Logits (T, vocab_size) for every position of ``token_ids`` (positions 0..T-1)."""
    _check(config, weights, token_ids)
    w = {k: np.asarray(v, dtype=dtype) for k, v in weights.items()}
    T, hd, nh, nkv = len(token_ids), config.head_dim, config.n_heads, config.n_kv_heads
    group = nh // nkv
    angles = rope_angles(config, T)
    mask = np.triu(np.full((T, T), -np.inf, dtype=dtype), k=1)
    scale = 1.0 / np.sqrt(hd)
    x = w["token_embd.weight"][np.asarray(token_ids)]
    for layer in range(config.n_layers):
        b = f"blk.{layer}."
        h = rms_norm(x, w[b + "attn_norm.weight"], config.norm_eps)
        q = apply_rope((h @ w[b + "attn_q.weight"].T).reshape(T, nh, hd), angles)
        k = apply_rope((h @ w[b + "attn_k.weight"].T).reshape(T, nkv, hd), angles)
        v = (h @ w[b + "attn_v.weight"].T).reshape(T, nkv, hd)
        k = np.repeat(k, group, axis=1)  # consecutive groups: head h -> kv head h // group
        v = np.repeat(v, group, axis=1)
        att = np.einsum("thd,shd->hts", q, k) * scale + mask
        att = np.exp(att - att.max(axis=-1, keepdims=True))
        att /= att.sum(axis=-1, keepdims=True)
        o = np.einsum("hts,shd->thd", att, v).reshape(T, nh * hd)
        x = x + o @ w[b + "attn_output.weight"].T
        h2 = rms_norm(x, w[b + "ffn_norm.weight"], config.norm_eps)
        gate = h2 @ w[b + "ffn_gate.weight"].T
        up = h2 @ w[b + "ffn_up.weight"].T
        x = x + (gate / (1.0 + np.exp(-gate)) * up) @ w[b + "ffn_down.weight"].T
    x = rms_norm(x, w["output_norm.weight"], config.norm_eps)
    out_w = w["token_embd.weight"] if config.tied_output else w["output.weight"]
    return x @ out_w.T


def reference_greedy(
    config: LlamaConfig,
    weights: Mapping[str, np.ndarray],
    prompt_ids: Sequence[int],
    n_new: int,
    dtype: type = np.float64,
) -> list[int]:
    """The ``n_new`` tokens chosen by argmax decoding after ``prompt_ids`` (recomputed each step)."""
    ids = list(prompt_ids)
    new: list[int] = []
    for _ in range(n_new):
        logits = reference_logits(config, weights, ids, dtype=dtype)[-1]
        nxt = int(np.argmax(logits))
        ids.append(nxt)
        new.append(nxt)
    return new


def random_weights(config: LlamaConfig, seed: int = 0) -> dict[str, np.ndarray]:
    """Random float32 weights for tests: matrices ~ N(0, 1/in), norms ~ 1 + N(0, 0.1)."""
    rng = np.random.default_rng(seed)
    out: dict[str, np.ndarray] = {}
    for name, shape in config.weight_shapes().items():
        if len(shape) == 1:
            out[name] = (1.0 + 0.1 * rng.standard_normal(shape)).astype(np.float32)
        else:
            out[name] = (rng.standard_normal(shape) / np.sqrt(shape[1])).astype(np.float32)
    return out
