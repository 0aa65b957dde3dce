"""Scaled dot-product attention with grouped-query heads: BLAS matmuls + numba softmax kernels.

Shapes: q (B, Hq, Tq, D), k and v (B, Hkv, Tk, D), Hq = G * Hkv; query head h reads kv head h // G.
The query rows are the LAST Tq of Tk positions (Tq == Tk in training, Tq < Tk when decoding with a
KV cache), so with causal masking query row t may see keys j <= (Tk - Tq) + t.
``key_start`` (B,) ints, optional, hides each batch row's first keys (its left padding when
prompts of different lengths are decoded together): query position i sees keys
j >= min(key_start[b], i), so a padding position sees itself only and a real one no padding.

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

``attention_forward(q, k, v, causal=True, scale=None, key_start=None) -> (out, probs)``
``attention_backward(dout, q, k, v, probs, causal, scale, need_q, need_k, need_v, key_start=None)
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
                           causal: bool, first: int, inv_scratch: np.ndarray, lo: int, hi: int) -> None:
    """In place over rows lo..hi of s (R, Tk): row r is query t = r % tq at position offset + t and
    sees keys min(first, offset + t) .. offset + t (all keys from ``first`` when not causal)."""
    Tk = s.shape[1]
    scale = scale_arr[0]
    for r in range(lo, hi):
        row = s[r]
        lim = min(offset + (r % tq) + 1, Tk) if causal else Tk
        j0 = min(first, lim - 1)
        seen = row[j0:lim]
        n = lim - j0
        m_scaled = row_max(seen, n) * scale  # == max_j(scale * row[j]) since scale > 0
        for j in range(n):  # vectorised exp
            seen[j] = fexp(seen[j] * scale - m_scaled)
        inv_scratch[r] = 1.0 / row_sum(seen, n)  # stored in the row dtype
        inv = inv_scratch[r]
        for j in range(n):
            seen[j] = seen[j] * inv
        for j in range(j0):
            row[j] = 0.0
        for j in range(lim, Tk):
            row[j] = 0.0


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _masked_softmax_backward_kernel(dp: np.ndarray, p: np.ndarray, tq: int, offset: int,
                                    scale_arr: np.ndarray, causal: bool, first: int,
                                    delta_scratch: np.ndarray, lo: int, hi: int) -> None:
    """In place, rows lo..hi: dp (R, Tk) <- scale * p * (dp - sum_j p dp); masked entries -> 0."""
    Tk = dp.shape[1]
    scale = scale_arr[0]
    for r in range(lo, hi):
        lim = min(offset + (r % tq) + 1, Tk) if causal else Tk
        j0 = min(first, lim - 1)
        n = lim - j0
        prow = p[r, j0:lim]
        drow = dp[r]
        seen = drow[j0:lim]
        delta_scratch[r] = row_dot(prow, seen, n)  # stored in the row dtype
        d = delta_scratch[r]
        for j in range(n):
            seen[j] = scale * prow[j] * (seen[j] - d)
        for j in range(j0):
            drow[j] = 0.0
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


def _key_starts(key_start: np.ndarray | None, B: int, Tk: int) -> np.ndarray:
    """Per batch row, the first key every query may see (0 without ``key_start``)."""
    if key_start is None:
        return np.zeros(B, dtype=np.int64)
    ks = np.asarray(key_start, dtype=np.int64).reshape(-1)
    if ks.shape[0] != B or (ks < 0).any() or (ks >= Tk).any():
        raise ValueError(f"key_start must hold {B} ints in 0..{Tk - 1}, got {np.asarray(key_start).tolist()}")
    return ks


def attention_forward(q: np.ndarray, k: np.ndarray, v: np.ndarray, causal: bool = True,
                      scale: float | None = None, key_start: np.ndarray | None = None
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Output (B, Hq, Tq, D) and the attention probabilities (B, Hkv, G*Tq, Tk) for backward."""
    B, Hq, Hkv, Tq, Tk, D = _dims(q, k, v)
    first = _key_starts(key_start, B, Tk)
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
        _masked_softmax_kernel(si, Tq, Tk - Tq, scale_arr, causal, first[b], inv[b, h], 0, G * Tq)
        np.matmul(si, v[b, h], out=out[b, h])

    with blas_single():
        parallel_for(run, B * Hkv)
    return out.reshape(B, Hq, Tq, D), s


def attention_backward(dout: np.ndarray, q: np.ndarray, k: np.ndarray, v: np.ndarray,
                       probs: np.ndarray, causal: bool = True, scale: float | None = None,
                       need_q: bool = True, need_k: bool = True, need_v: bool = True,
                       key_start: np.ndarray | None = None
                       ) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    B, Hq, Hkv, Tq, Tk, D = _dims(q, k, v)
    first = _key_starts(key_start, B, Tk)
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
        _masked_softmax_backward_kernel(dsi, p, Tq, Tk - Tq, scale_arr, causal, first[b], delta[b, h], 0,
                                        G * Tq)
        if dq is not None:
            np.matmul(dsi, k[b, h], out=dq[b, h])
        if dk is not None:
            np.matmul(dsi.T, qg[b, h], out=dk[b, h])

    with blas_single():
        parallel_for(run, B * Hkv)
    return (dq.reshape(B, Hq, Tq, D) if dq is not None else None), dk, dv
