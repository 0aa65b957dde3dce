"""RMSNorm ``y = x / sqrt(mean(x^2) + eps) * w`` over the last axis, numba forward/backward pair.

``rmsnorm_forward(x (N, C), w (C,), eps) -> (y (N, C), rstd (N,) float64)``
``rmsnorm_backward(dy, x, w, rstd, need_x, need_w) -> (dx | None, dw | None)``

Backward, with r = rstd and xhat = x r:
    dx = r (dy w - xhat mean_c(dy w xhat)),   dw = sum_n dy xhat.
Rows are independent and run in parallel ranges (engine pool); dw is reduced per fixed block of
rows and the partial sums are added in block order, so the result does not depend on the thread
count.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from simplex_training.engine.kernels.parallel import for_ranges

ROWS_PER_BLOCK = 64  # fixed partition for the deterministic dw reduction


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _rmsnorm_forward_kernel(x: np.ndarray, w: np.ndarray, eps: float, out: np.ndarray,
                            rstd: np.ndarray, lo: int, hi: int) -> None:
    C = x.shape[1]
    for n in range(lo, hi):
        ss = 0.0
        for c in range(C):
            ss += x[n, c] * x[n, c]
        r = 1.0 / math.sqrt(ss / C + eps)
        rstd[n] = r
        for c in range(C):
            out[n, c] = x[n, c] * r * w[c]


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _rmsnorm_backward_kernel(dy: np.ndarray, x: np.ndarray, w: np.ndarray, rstd: np.ndarray,
                             dx: np.ndarray, dw_partial: np.ndarray, need_x: bool, need_w: bool,
                             blk_lo: int, blk_hi: int) -> None:
    N, C = x.shape
    for blk in range(blk_lo, blk_hi):
        start = blk * ROWS_PER_BLOCK
        stop = min(start + ROWS_PER_BLOCK, N)
        for n in range(start, stop):
            r = rstd[n]
            if need_x:
                dot = 0.0  # sum_c dy w xhat
                for c in range(C):
                    dot += dy[n, c] * w[c] * (x[n, c] * r)
                mean_dot = dot / C
                for c in range(C):
                    xhat = x[n, c] * r
                    dx[n, c] = r * (dy[n, c] * w[c] - xhat * mean_dot)
            if need_w:
                for c in range(C):
                    dw_partial[blk, c] += dy[n, c] * (x[n, c] * r)


def rmsnorm_forward(x: np.ndarray, w: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray]:
    x2 = np.ascontiguousarray(x)
    out = np.empty_like(x2)
    rstd = np.empty(x2.shape[0], dtype=np.float64)
    for_ranges(_rmsnorm_forward_kernel, x2.shape[0], ROWS_PER_BLOCK, x2,
               np.ascontiguousarray(w, dtype=x2.dtype), float(eps), out, rstd)
    return out, rstd


def rmsnorm_backward(dy: np.ndarray, x: np.ndarray, w: np.ndarray, rstd: np.ndarray,
                     need_x: bool = True, need_w: bool = True
                     ) -> tuple[np.ndarray | None, np.ndarray | None]:
    x2 = np.ascontiguousarray(x)
    dy2 = np.ascontiguousarray(dy, dtype=x2.dtype)
    N, C = x2.shape
    dx = np.empty_like(x2) if need_x else np.empty((0, 0), x2.dtype)
    n_blocks = max(1, -(-N // ROWS_PER_BLOCK))
    dw_partial = np.zeros((n_blocks, C) if need_w else (0, 0), dtype=np.float64)
    for_ranges(_rmsnorm_backward_kernel, n_blocks, 1, dy2, x2,
               np.ascontiguousarray(w, dtype=x2.dtype), rstd, dx, dw_partial, need_x, need_w)
    dw = None
    if need_w:
        acc = dw_partial[0].copy()
        for blk in range(1, n_blocks):  # fixed order: deterministic
            acc += dw_partial[blk]
        dw = acc.astype(x2.dtype)
    return (dx if need_x else None), dw
