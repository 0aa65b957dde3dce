"""Rotary position embedding in llama.cpp's ADJACENT-PAIR layout (not NEOX rotate-half).

For x of shape (B, H, T, D) and pair i = 0 .. D/2-1 (elements 2i, 2i+1) at position p:
    theta = p * base ** (-2i / D)
    out[2i]   = x[2i] cos(theta) - x[2i+1] sin(theta)
    out[2i+1] = x[2i] sin(theta) + x[2i+1] cos(theta)
The backward pass is the inverse rotation (theta -> -theta), so one kernel serves both.

``rope_tables(positions (T,) | (B, T), head_dim, base, dtype) -> (cos, sin)`` each (1|B, T, D/2)
``rope_forward(x, cos, sin) -> out`` and ``rope_backward(dout, cos, sin) -> dx``
"""

from __future__ import annotations

import numba
import numpy as np


def rope_tables(positions: np.ndarray, head_dim: int, base: float,
                dtype: np.dtype | type = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """cos/sin of theta for every (batch, position, pair); computed in float64, cast to dtype."""
    if head_dim % 2:
        raise ValueError(f"rope needs an even head_dim, got {head_dim}")
    pos = np.asarray(positions)
    if pos.ndim == 1:
        pos = pos[None, :]
    if pos.ndim != 2:
        raise ValueError(f"positions must be (T,) or (B, T), got shape {pos.shape}")
    inv_freq = float(base) ** (-np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)  # (D/2,)
    theta = pos.astype(np.float64)[:, :, None] * inv_freq  # (1|B, T, D/2)
    return np.cos(theta).astype(dtype), np.sin(theta).astype(dtype)


@numba.njit(cache=True, fastmath=False, parallel=True)
def _rope_rotate_kernel(x: np.ndarray, cos: np.ndarray, sin: np.ndarray, sign: float,
                        out: np.ndarray) -> None:
    B, H, T, D = x.shape
    half = D // 2
    per_batch = cos.shape[0] > 1
    for bh in numba.prange(B * H):
        b = bh // H
        h = bh % H
        bc = b if per_batch else 0
        for t in range(T):
            for i in range(half):
                c = cos[bc, t, i]
                s = sign * sin[bc, t, i]
                x0 = x[b, h, t, 2 * i]
                x1 = x[b, h, t, 2 * i + 1]
                out[b, h, t, 2 * i] = x0 * c - x1 * s
                out[b, h, t, 2 * i + 1] = x0 * s + x1 * c


def _rotate(x: np.ndarray, cos: np.ndarray, sin: np.ndarray, sign: float) -> np.ndarray:
    if x.ndim != 4:
        raise ValueError(f"rope expects x of shape (B, H, T, D), got {x.shape}")
    B, _, T, D = x.shape
    if cos.shape[1:] != (T, D // 2) or cos.shape[0] not in (1, B):
        raise ValueError(f"rope tables {cos.shape} do not match x {x.shape}")
    x2 = np.ascontiguousarray(x)
    out = np.empty_like(x2)
    _rope_rotate_kernel(x2, np.ascontiguousarray(cos, dtype=x2.dtype),
                        np.ascontiguousarray(sin, dtype=x2.dtype), sign, out)
    return out


def rope_forward(x: np.ndarray, cos: np.ndarray, sin: np.ndarray) -> np.ndarray:
    return _rotate(x, cos, sin, 1.0)


def rope_backward(dout: np.ndarray, cos: np.ndarray, sin: np.ndarray) -> np.ndarray:
    return _rotate(dout, cos, sin, -1.0)
