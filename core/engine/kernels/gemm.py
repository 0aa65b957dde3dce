"""2-D GEMM ``out = a @ b`` split into row or column blocks over the engine's thread pool.

``gemm(a (M, K), b (K, N), out=None) -> out (M, N)``; ``a`` and ``b`` may be transposed or sliced
views with a unit stride in one axis (passed to BLAS as transpose flags / leading dimensions, no
copy). Large products are cut into blocks of output rows or columns that depend only on the
shape (:func:`plan`), each computed by a single-threaded BLAS call; see
:mod:`~simplex_training.engine.kernels.parallel` for why this beats OpenBLAS's own threads on a
shared machine. Every BLAS call runs single-threaded and the blocks do not depend on the thread
count, so the result is bit-identical for any number of threads (OpenBLAS's own multi-threaded
GEMM is not: its result changes with the thread count). Small products (< ``MIN_PARALLEL_FLOPS``)
are one single-threaded call.
"""

from __future__ import annotations

import numpy as np

from simplex_training.engine.kernels.parallel import blas_single, parallel_for

__all__ = ["gemm", "plan", "MIN_PARALLEL_FLOPS"]

MIN_PARALLEL_FLOPS = 8_000_000  # below this a parallel split costs more than it saves
FLOPS_PER_BLOCK = 48_000_000  # about 0.4 ms of one core: enough blocks to balance, few repacks
MAX_BLOCKS = 8
ALIGN = 64  # block edges on multiples of 64 rows / columns
MIN_BLOCK = 128  # narrower blocks lose BLAS efficiency


def plan(M: int, K: int, N: int) -> tuple[int, int]:
    """(axis, block): split the output's rows (axis 0) or columns (axis 1) into blocks of
    ``block``. Each block repacks the operand it does not split (B for row blocks, A for column
    blocks), so the axis is the one whose other operand is smaller. Every product of at least
    ``MIN_PARALLEL_FLOPS`` is split in two or more (a skinny one such as LoRA's rank-16 products is
    memory-bound, and its small repacked operand costs nothing), one block per ``FLOPS_PER_BLOCK``
    beyond that, at most ``MAX_BLOCKS``. Depends on the shape only."""
    flops = 2 * M * N * K
    axis = 0 if K * N <= M * K else 1
    length = M if axis == 0 else N
    n = min(MAX_BLOCKS, max(2, flops // FLOPS_PER_BLOCK), length // MIN_BLOCK)
    if flops < MIN_PARALLEL_FLOPS or n < 2:
        return axis, length
    block = -(-length // n)
    block = -(-block // ALIGN) * ALIGN
    return axis, block


def gemm(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    M, K = a.shape
    N = b.shape[1]
    if out is None:
        out = np.empty((M, N), dtype=np.result_type(a.dtype, b.dtype))
    axis, block = plan(M, K, N)
    length = M if axis == 0 else N
    if block >= length:
        with blas_single():
            np.matmul(a, b, out=out)
        return out
    n = -(-length // block)

    if axis == 0:
        def run(i: int) -> None:
            lo = i * block
            np.matmul(a[lo:lo + block], b, out=out[lo:lo + block])
    else:
        def run(i: int) -> None:
            lo = i * block
            np.matmul(a, b[:, lo:lo + block], out=out[:, lo:lo + block])

    with blas_single():
        parallel_for(run, n)
    return out
