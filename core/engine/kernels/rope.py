"""Rotary position embedding in llama.cpp's ADJACENT-PAIR layout (not NEOX rotate-half).

For x of shape (B, H, T, D) and pair i = 0 .. D/2-1 (elements 2i, 2i+1) at position p:
    theta = p * base ** (-2i / D)
    out[2i]   = x[2i] cos(theta) - x[2i+1] sin(theta)
    out[2i+1] = x[2i] sin(theta) + x[2i+1] cos(theta)
The backward pass is the inverse rotation (theta -> -theta), so one kernel serves both.

``rope_tables(positions (T,) | (B, T), head_dim, base, dtype) -> (cos, sin)`` each (1|B, T, D/2)
``rope_forward(x, cos, sin, out=None) -> out`` and ``rope_backward(dout, cos, sin, out=None) -> dx``
(inputs and ``out`` may be strided views: no transpose copies around the kernel)
"""

from __future__ import annotations

import numba
import numpy as np

from simplex_training.engine.kernels.parallel import for_ranges


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


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _rope_rotate_kernel(x: np.ndarray, cos: np.ndarray, sin: np.ndarray, sign: float,
                        out: np.ndarray, x_bthd: bool, out_bthd: bool, lo: int,
                        hi: int) -> None:
    """Rotate the (b, h) slices lo..hi. x and out are C-contiguous and stored (B, H, T, D), or
    (B, T, H, D) when their ``*_bthd`` flag is set: a projection output seen as (B, H, T, D) is
    read, and a gradient for it written, in place without a transpose copy."""
    B, H, T, D = out.shape if not out_bthd else (out.shape[0], out.shape[2], out.shape[1],
                                                  out.shape[3])
    half = D // 2
    per_batch = cos.shape[0] > 1
    for bh in range(lo, hi):
        b = bh // H
        h = bh % H
        bc = b if per_batch else 0
        for t in range(T):
            for i in range(half):
                c = cos[bc, t, i]
                s = sign * sin[bc, t, i]
                if x_bthd:
                    x0 = x[b, t, h, 2 * i]
                    x1 = x[b, t, h, 2 * i + 1]
                else:
                    x0 = x[b, h, t, 2 * i]
                    x1 = x[b, h, t, 2 * i + 1]
                y0 = x0 * c - x1 * s
                y1 = x0 * s + x1 * c
                if out_bthd:
                    out[b, t, h, 2 * i] = y0
                    out[b, t, h, 2 * i + 1] = y1
                else:
                    out[b, h, t, 2 * i] = y0
                    out[b, h, t, 2 * i + 1] = y1


def _stored(a: np.ndarray) -> tuple[np.ndarray, bool] | None:
    """(C-contiguous array, is_bthd): ``a`` itself stored (B, H, T, D), or the (B, T, H, D) array
    that ``a`` is a transposed view of; None for any other layout."""
    if a.flags.c_contiguous:
        return a, False
    t = a.transpose(0, 2, 1, 3)
    if t.flags.c_contiguous:
        return t, True
    return None


def _rotate(x: np.ndarray, cos: np.ndarray, sin: np.ndarray, sign: float,
            out: np.ndarray | None = None) -> np.ndarray:
    if x.ndim != 4:
        raise ValueError(f"rope expects x of shape (B, H, T, D), got {x.shape}")
    B, H, T, D = x.shape
    if cos.shape[1:] != (T, D // 2) or cos.shape[0] not in (1, B):
        raise ValueError(f"rope tables {cos.shape} do not match x {x.shape}")
    if out is None:
        out = np.empty(x.shape, dtype=x.dtype)
    sx = _stored(x) or (np.ascontiguousarray(x), False)
    so = _stored(out)
    if so is None or out.shape != x.shape or out.dtype != x.dtype:
        raise ValueError("rope: out must match x, stored (B, H, T, D) or (B, T, H, D)")
    for_ranges(_rope_rotate_kernel, B * H, 1, sx[0], np.ascontiguousarray(cos, dtype=x.dtype),
               np.ascontiguousarray(sin, dtype=x.dtype), x.dtype.type(sign), so[0], sx[1], so[1])
    return out


def rope_forward(x: np.ndarray, cos: np.ndarray, sin: np.ndarray,
                 out: np.ndarray | None = None) -> np.ndarray:
    """Rotated x; ``x`` may be a strided view (e.g. (B, T, H, D) transposed), read in place.
    ``out`` (default: a new C-contiguous array) may have any strides."""
    return _rotate(x, cos, sin, 1.0, out)


def rope_backward(dout: np.ndarray, cos: np.ndarray, sin: np.ndarray,
                  out: np.ndarray | None = None) -> np.ndarray:
    return _rotate(dout, cos, sin, -1.0, out)
