"""Fused softmax + cross-entropy over the last axis of (N, V) logits, numba forward/backward.

``xent_forward(logits (N, V), targets (N,) int, ignore_index) -> (losses (N,) f64, probs (N, V),
count)``: losses[n] = logsumexp(logits[n]) - logits[n, targets[n]] (0 for ignored rows) and probs
= softmax(logits) (rows of ignored targets are left at 0), kept for the backward pass so that it
needs no second exp over the vocabulary.
``xent_backward(probs, targets, scale, ignore_index) -> dlogits (N, V)``
    dlogits[n] = scale * (probs[n] - onehot(targets[n])), zero rows for ignored targets;
the caller passes scale = upstream_grad / count for a mean reduction.
Row ranges run in parallel (engine pool) and never reduce across threads; row reductions use a fixed order
(``rowops``), so results are deterministic. exp is the vectorised ``fastexp.fexp``.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from simplex_training.engine.kernels.fastexp import fexp
from simplex_training.engine.kernels.parallel import for_ranges
from simplex_training.engine.kernels.rowops import row_max, row_sum


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _xent_forward_kernel(logits: np.ndarray, targets: np.ndarray, ignore_index: int,
                         losses: np.ndarray, probs: np.ndarray, inv_scratch: np.ndarray,
                         lo: int, hi: int) -> None:
    V = logits.shape[1]
    for n in range(lo, hi):
        t = targets[n]
        x = logits[n]
        p = probs[n]
        if t == ignore_index:
            losses[n] = 0.0
            for j in range(V):
                p[j] = 0.0
            continue
        m = row_max(x, V)
        for j in range(V):  # vectorised exp
            p[j] = fexp(x[j] - m)
        total = row_sum(p, V)
        losses[n] = m + math.log(total) - x[t]
        inv_scratch[n] = 1.0 / total  # in the logits dtype
        inv = inv_scratch[n]
        for j in range(V):
            p[j] = p[j] * inv


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _xent_backward_kernel(probs: np.ndarray, targets: np.ndarray, scale_arr: np.ndarray,
                          ignore_index: int, dlogits: np.ndarray, lo: int, hi: int) -> None:
    V = probs.shape[1]
    scale = scale_arr[0]  # in the logits dtype, so float32 stays float32 in the loop
    for n in range(lo, hi):
        t = targets[n]
        d = dlogits[n]
        if t == ignore_index:
            for j in range(V):
                d[j] = 0.0
            continue
        p = probs[n]
        for j in range(V):
            d[j] = scale * p[j]
        d[t] -= scale


_ROW_GRAIN = 64


def _check(logits: np.ndarray, targets: np.ndarray, ignore_index: int) -> np.ndarray:
    if logits.ndim != 2:
        raise ValueError(f"logits must be (N, V), got {logits.shape}")
    t = np.ascontiguousarray(targets, dtype=np.int64).reshape(-1)
    if t.shape[0] != logits.shape[0]:
        raise ValueError(f"{t.shape[0]} targets for {logits.shape[0]} rows of logits")
    valid = t != ignore_index
    if np.any((t[valid] < 0) | (t[valid] >= logits.shape[1])):
        raise ValueError(f"target ids must lie in [0, {logits.shape[1]}) or equal ignore_index")
    return t


def xent_forward(logits: np.ndarray, targets: np.ndarray, ignore_index: int = -100
                 ) -> tuple[np.ndarray, np.ndarray, int]:
    t = _check(logits, targets, ignore_index)
    x = np.ascontiguousarray(logits)
    N = x.shape[0]
    losses = np.empty(N, dtype=np.float64)
    probs = np.empty_like(x)
    for_ranges(_xent_forward_kernel, N, _ROW_GRAIN, x, t, int(ignore_index), losses, probs,
               np.empty(N, dtype=x.dtype))
    return losses, probs, int(np.count_nonzero(t != ignore_index))


def xent_backward(probs: np.ndarray, targets: np.ndarray, scale: float,
                  ignore_index: int = -100) -> np.ndarray:
    t = np.ascontiguousarray(targets, dtype=np.int64).reshape(-1)
    dlogits = np.empty_like(probs)
    for_ranges(_xent_backward_kernel, probs.shape[0], _ROW_GRAIN, probs, t,
               np.array([scale], dtype=probs.dtype), int(ignore_index), dlogits)
    return dlogits
