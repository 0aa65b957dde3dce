"""Attention ops: rotary embedding (llama.cpp adjacent-pair layout) and causal GQA attention.

Public API (also in :mod:`simplex_training.engine.functional`):
``rope(x (B, H, T, D), positions int (T,) | (B, T), base=10000.0) -> (B, H, T, D)``
    pair i = (2i, 2i+1) rotated by theta = pos * base**(-2i/D) (NOT the NEOX rotate-half layout).
``attention(q (B, Hq, Tq, D), k (B, Hkv, Tk, D), v (B, Hkv, Tk, D), causal=True, scale=None,
key_start=None)``
    softmax(q k^T * scale + causal mask) v with scale = 1/sqrt(D) by default; query head h uses kv
    head h // (Hq // Hkv). With Tq < Tk the queries are the last Tq positions (KV-cache decoding);
    that case is differentiable too, though decoding normally runs under ``no_grad()``.
    ``key_start`` (B,) ints hides each row's first keys (left padding): the query at position i
    sees keys from min(key_start[b], i), so a padding position sees only itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simplex_training.engine.kernels import attention as _attn_k
from simplex_training.engine.kernels import rope as _rope_k
from simplex_training.engine.tensor import Tensor, accumulate, make_output

__all__ = ["rope", "attention"]


_TABLES: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
_TABLES_MAX = 32


def _rope_tables(pos: np.ndarray, head_dim: int, base: float, dtype: np.dtype
                 ) -> tuple[np.ndarray, np.ndarray]:
    """``rope_tables`` cached by (positions, head_dim, base, dtype): every layer reuses them."""
    key = (pos.shape, pos.tobytes(), int(head_dim), float(base), np.dtype(dtype).str)
    hit = _TABLES.get(key)
    if hit is None:
        hit = _rope_k.rope_tables(pos, head_dim, base, dtype)
        for a in hit:
            a.flags.writeable = False
        if len(_TABLES) >= _TABLES_MAX:
            _TABLES.pop(next(iter(_TABLES)))
        _TABLES[key] = hit
    return hit


def rope(x: Tensor, positions: Any, base: float = 10000.0) -> Tensor:
    pos = positions.data if isinstance(positions, Tensor) else np.asarray(positions)
    cos, sin = _rope_tables(pos, x.shape[-1], base, x.dtype)  # (1|B, T, D/2)

    def _backward(g: np.ndarray) -> None:
        # dx laid out like x in memory (usually (B, T, H, D) seen as (B, H, T, D)), so the
        # transpose/reshape back to the projection's output needs no copy
        out = np.empty_like(x.data)
        accumulate(x, _rope_k.rope_backward(g, cos, sin, out), fresh=True)

    return make_output(_rope_k.rope_forward(x.data, cos, sin), (x,), _backward, "rope")


def attention(q: Tensor, k: Tensor, v: Tensor, causal: bool = True,
              scale: float | None = None, key_start: np.ndarray | None = None) -> Tensor:
    if not (q.dtype == k.dtype == v.dtype):
        raise TypeError(f"attention dtypes differ: {q.dtype} {k.dtype} {v.dtype}")
    out, probs = _attn_k.attention_forward(q.data, k.data, v.data, causal, scale, key_start)

    def _backward(g: np.ndarray) -> None:
        dq, dk, dv = _attn_k.attention_backward(g, q.data, k.data, v.data, probs, causal, scale,
                                                q.requires_grad, k.requires_grad,
                                                v.requires_grad, key_start)
        if dq is not None:
            accumulate(q, dq, fresh=True)
        if dk is not None:
            accumulate(k, dk, fresh=True)
        if dv is not None:
            accumulate(v, dv, fresh=True)

    # without grad the closure (and with it the probabilities) is dropped by make_output
    return make_output(out, (q, k, v), _backward, "attention")
