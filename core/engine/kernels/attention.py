"""Scaled dot-product attention with grouped-query heads: BLAS matmuls + numba softmax kernels.

Shapes: q (B, Hq, Tq, D), k and v (B, Hkv, Tk, D), Hq = G * Hkv; query head h reads kv head h // G.
The query rows are the LAST Tq of Tk positions (Tq == Tk in training, Tq < Tk when decoding with a
KV cache), so with causal masking query row t may see keys j <= (Tk - Tq) + t.

GQA without repeating K/V: since h = kv * G + g, q viewed as (B, Hkv, G*Tq, D) stacks the G query
heads of one kv head as extra rows. Then
    S  = Qg K^T                  (B, Hkv, G*Tq, Tk)     numpy BLAS
    P  = softmax(scale S, mask)  in place               numba, row ranges over the engine pool
    O  = P V                     (B, Hkv, G*Tq, D) -> (B, Hq, Tq, D)
and the backward pass, with dS = scale P (dP - rowsum(P dP)):
    dV = P^T dOg,   dP = dOg V^T,   dQ = dS K,   dK = dS^T Qg
where the matmuls over the stacked rows sum the G query heads into their shared kv head.

``attention_forward(q, k, v, causal=True, scale=None) -> (out, probs)``
``attention_backward(dout, q, k, v, probs, causal, scale, need_q, need_k, need_v)
-> (dq | None, dk | None, dv | None)``
"""

from __future__ import annotations

import math

import numba
import numpy as np

from simplex_training.engine.kernels.bmm import bmm
from simplex_training.engine.kernels.parallel import for_ranges

from simplex_training.engine.kernels.fastexp import fexp
from simplex_training.engine.kernels.rowops import row_dot, row_max, row_sum


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _masked_softmax_kernel(s: np.ndarray, tq: int, offset: int, scale_arr: np.ndarray,
                           causal: bool, inv_scratch: np.ndarray, lo: int, hi: int) -> None:
    """In place over rows lo..hi of s (R, Tk): row r is query t = r % tq, sees keys <= offset+t."""
    Tk = s.shape[1]
    scale = scale_arr[0]
    for r in range(lo, hi):
        row = s[r]
        lim = min(offset + (r % tq) + 1, Tk) if causal else Tk
        m_scaled = row_max(row, lim) * scale  # == max_j(scale * row[j]) since scale > 0
        for j in range(lim):  # vectorised exp
            row[j] = fexp(row[j] * scale - m_scaled)
        inv_scratch[r] = 1.0 / row_sum(row, lim)  # stored in the row dtype
        inv = inv_scratch[r]
        for j in range(lim):
            row[j] = row[j] * inv
        for j in range(lim, Tk):
            row[j] = 0.0


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _masked_softmax_backward_kernel(dp: np.ndarray, p: np.ndarray, tq: int, offset: int,
                                    scale_arr: np.ndarray, causal: bool,
                                    delta_scratch: np.ndarray, lo: int, hi: int) -> None:
    """In place, rows lo..hi: dp (R, Tk) <- scale * p * (dp - sum_j p dp); masked entries -> 0."""
    Tk = dp.shape[1]
    scale = scale_arr[0]
    for r in range(lo, hi):
        lim = min(offset + (r % tq) + 1, Tk) if causal else Tk
        prow = p[r]
        drow = dp[r]
        delta_scratch[r] = row_dot(prow, drow, lim)  # stored in the row dtype
        d = delta_scratch[r]
        for j in range(lim):
            drow[j] = scale * prow[j] * (drow[j] - d)
        for j in range(lim, Tk):
            drow[j] = 0.0


_ROW_GRAIN = 256  # rows per parallel range at least


def _dims(q: np.ndarray, k: np.ndarray, v: np.ndarray) -> tuple[int, int, int, int, int, int]:
    if q.ndim != 4 or k.ndim != 4 or v.ndim != 4:
        raise ValueError(f"attention expects 4-D (B, H, T, D) inputs, got {q.shape} {k.shape} "
                         f"{v.shape}")
    B, Hq, Tq, D = q.shape
    Hkv, Tk = k.shape[1], k.shape[2]
    if k.shape != v.shape or k.shape[0] != B or k.shape[3] != D:
        raise ValueError(f"k {k.shape} / v {v.shape} do not match q {q.shape}")
    if Hq % Hkv:
        raise ValueError(f"query heads {Hq} not divisible by kv heads {Hkv}")
    if Tk < Tq:
        raise ValueError(f"fewer keys ({Tk}) than queries ({Tq})")
    return B, Hq, Hkv, Tq, Tk, D


def attention_forward(q: np.ndarray, k: np.ndarray, v: np.ndarray, causal: bool = True,
                      scale: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Output (B, Hq, Tq, D) and the attention probabilities (B, Hkv, G*Tq, Tk) for backward."""
    B, Hq, Hkv, Tq, Tk, D = _dims(q, k, v)
    G = Hq // Hkv
    scale = 1.0 / math.sqrt(D) if scale is None else float(scale)
    qg = np.ascontiguousarray(q).reshape(B, Hkv, G * Tq, D)
    s = bmm(qg, k.swapaxes(-1, -2))  # (B, Hkv, G*Tq, Tk)
    s2 = s.reshape(-1, Tk)
    for_ranges(_masked_softmax_kernel, s2.shape[0], _ROW_GRAIN, s2, Tq, Tk - Tq,
               np.array([scale], dtype=s.dtype), causal, np.empty(s2.shape[0], dtype=s.dtype))
    out = bmm(s, v)  # (B, Hkv, G*Tq, D)
    return out.reshape(B, Hq, Tq, D), s


def attention_backward(dout: np.ndarray, q: np.ndarray, k: np.ndarray, v: np.ndarray,
                       probs: np.ndarray, causal: bool = True, scale: float | None = None,
                       need_q: bool = True, need_k: bool = True, need_v: bool = True
                       ) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    B, Hq, Hkv, Tq, Tk, D = _dims(q, k, v)
    G = Hq // Hkv
    scale = 1.0 / math.sqrt(D) if scale is None else float(scale)
    dog = np.ascontiguousarray(dout, dtype=q.dtype).reshape(B, Hkv, G * Tq, D)
    dv = bmm(probs.swapaxes(-1, -2), dog) if need_v else None  # (B, Hkv, Tk, D)
    dq = dk = None
    if need_q or need_k:
        ds = bmm(dog, v.swapaxes(-1, -2))  # dP (B, Hkv, G*Tq, Tk), becomes dS in place
        ds2 = ds.reshape(-1, Tk)
        for_ranges(_masked_softmax_backward_kernel, ds2.shape[0], _ROW_GRAIN, ds2,
                   probs.reshape(-1, Tk), Tq, Tk - Tq, np.array([scale], dtype=ds.dtype), causal,
                   np.empty(ds2.shape[0], dtype=ds.dtype))
        if need_q:
            dq = bmm(ds, k).reshape(B, Hq, Tq, D)
        if need_k:
            qg = np.ascontiguousarray(q).reshape(B, Hkv, G * Tq, D)
            dk = bmm(ds.swapaxes(-1, -2), qg)  # (B, Hkv, Tk, D)
    return dq, dk, dv
