"""Scaled dot-product attention with grouped-query heads: BLAS matmuls + numba softmax kernels.

Shapes: q (B, Hq, Tq, D), k and v (B, Hkv, Tk, D), Hq = G * Hkv; query head h reads kv head h // G.
The query rows are the LAST Tq of Tk positions (Tq == Tk in training, Tq < Tk when decoding with a
KV cache), so with causal masking query row t may see keys j <= (Tk - Tq) + t.

GQA without repeating K/V: since h = kv * G + g, q viewed as (B, Hkv, G*Tq, D) stacks the G query
heads of one kv head as extra rows. Then
    S  = Qg K^T                  (B, Hkv, G*Tq, Tk)     numpy BLAS
    P  = softmax(scale S, mask)  in place               numba
    O  = P V                     (B, Hkv, G*Tq, D) -> (B, Hq, Tq, D)
and the backward pass, with dS = scale P (dP - rowsum(P dP)):
    dV = P^T dOg,   dP = dOg V^T,   dQ = dS K,   dK = dS^T Qg
where the matmuls over the stacked rows sum the G query heads into their shared kv head.
Each pass is one parallel loop over the B * Hkv (batch, kv head) pairs, each task doing all of its
pair's products (single-threaded BLAS) and softmax rows: one wake-up of the engine's threads per
pass instead of one per product.

``attention_forward(q, k, v, causal=True, scale=None) -> (out, probs)``
``attention_backward(dout, q, k, v, probs, causal, scale, need_q, need_k, need_v)
-> (dq | None, dk | None, dv | None)``
"""

from __future__ import annotations

import math

import numba
import numpy as np

from simplex_training.engine.kernels.fastexp import fexp
from simplex_training.engine.kernels.parallel import blas_single, parallel_for
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
    scale_arr = np.array([1.0 / math.sqrt(D) if scale is None else float(scale)], dtype=q.dtype)
    qg = np.ascontiguousarray(q).reshape(B, Hkv, G * Tq, D)
    dtype = np.result_type(q.dtype, k.dtype)
    s = np.empty((B, Hkv, G * Tq, Tk), dtype=dtype)
    out = np.empty((B, Hkv, G * Tq, D), dtype=dtype)
    inv = np.empty((B, Hkv, G * Tq), dtype=dtype)

    def run(i: int) -> None:  # one (batch, kv head): scores, softmax, weighted values
        b, h = divmod(i, Hkv)
        si = s[b, h]
        np.matmul(qg[b, h], k[b, h].T, out=si)
        _masked_softmax_kernel(si, Tq, Tk - Tq, scale_arr, causal, inv[b, h], 0, G * Tq)
        np.matmul(si, v[b, h], out=out[b, h])

    with blas_single():
        parallel_for(run, B * Hkv)
    return out.reshape(B, Hq, Tq, D), s


def attention_backward(dout: np.ndarray, q: np.ndarray, k: np.ndarray, v: np.ndarray,
                       probs: np.ndarray, causal: bool = True, scale: float | None = None,
                       need_q: bool = True, need_k: bool = True, need_v: bool = True
                       ) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    B, Hq, Hkv, Tq, Tk, D = _dims(q, k, v)
    G = Hq // Hkv
    scale_arr = np.array([1.0 / math.sqrt(D) if scale is None else float(scale)], dtype=q.dtype)
    dog = np.ascontiguousarray(dout, dtype=q.dtype).reshape(B, Hkv, G * Tq, D)
    qg = np.ascontiguousarray(q).reshape(B, Hkv, G * Tq, D) if need_k else None
    dv = np.empty((B, Hkv, Tk, D), dtype=q.dtype) if need_v else None
    dq = np.empty((B, Hkv, G * Tq, D), dtype=q.dtype) if need_q else None
    dk = np.empty((B, Hkv, Tk, D), dtype=q.dtype) if need_k else None
    ds = np.empty((B, Hkv, G * Tq, Tk), dtype=q.dtype) if (need_q or need_k) else None
    delta = np.empty((B, Hkv, G * Tq), dtype=q.dtype)

    def run(i: int) -> None:  # one (batch, kv head); its G query heads' rows sum into dk, dv
        b, h = divmod(i, Hkv)
        p = probs[b, h]
        if dv is not None:
            np.matmul(p.T, dog[b, h], out=dv[b, h])
        if ds is None:
            return
        dsi = ds[b, h]
        np.matmul(dog[b, h], v[b, h].T, out=dsi)  # dP, becomes dS in place
        _masked_softmax_backward_kernel(dsi, p, Tq, Tk - Tq, scale_arr, causal, delta[b, h], 0, G * Tq)
        if dq is not None:
            np.matmul(dsi, k[b, h], out=dq[b, h])
        if dk is not None:
            np.matmul(dsi.T, qg[b, h], out=dk[b, h])

    with blas_single():
        parallel_for(run, B * Hkv)
    return (dq.reshape(B, Hq, Tq, D) if dq is not None else None), dk, dv
