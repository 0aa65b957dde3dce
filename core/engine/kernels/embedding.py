"""Embedding gather backward: scatter-add of output gradients into the weight rows.

``embedding_backward(ids (N,) int, dout (N, C), vocab_size) -> dweight (V, C)``
dweight[ids[n]] += dout[n] for every n. Threads own disjoint blocks of columns and walk the tokens
in order, so repeated ids are summed in a fixed order (deterministic) without atomics.
"""

from __future__ import annotations

import numba
import numpy as np

from simplex_training.engine.kernels.parallel import for_ranges

COLS_PER_BLOCK = 32


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _embedding_backward_kernel(ids: np.ndarray, dout: np.ndarray, dweight: np.ndarray,
                               blk_lo: int, blk_hi: int) -> None:
    N, C = dout.shape
    for blk in range(blk_lo, blk_hi):
        c0 = blk * COLS_PER_BLOCK
        c1 = min(c0 + COLS_PER_BLOCK, C)
        for n in range(N):
            row = ids[n]
            for c in range(c0, c1):
                dweight[row, c] += dout[n, c]


def embedding_backward(ids: np.ndarray, dout: np.ndarray, vocab_size: int) -> np.ndarray:
    ids1 = np.ascontiguousarray(ids, dtype=np.int64).reshape(-1)
    d2 = np.ascontiguousarray(dout).reshape(ids1.shape[0], -1)
    dweight = np.zeros((vocab_size, d2.shape[1]), dtype=d2.dtype)
    n_blocks = (d2.shape[1] + COLS_PER_BLOCK - 1) // COLS_PER_BLOCK
    for_ranges(_embedding_backward_kernel, n_blocks, 1, ids1, d2, dweight)
    return dweight
