"""Row reductions for numba kernels with 8 independent accumulators (fixed order, deterministic).

A float sum written as one accumulator is bound by the add latency and cannot be vectorised
without fast-math; eight interleaved partial sums (combined in a fixed tree) run several times
faster and still give the same result on every run and every thread count.

``row_max(x, n)`` max of x[:n] (n >= 1); ``row_sum(x, n)`` and ``row_dot(x, y, n)`` in float64.
NOTE: numba's cache does not track this module as a dependency of its callers; after editing it,
delete ``kernels/__pycache__/*.nb[ci]``.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["row_max", "row_sum", "row_dot"]


@numba.njit(inline="always", fastmath=False, cache=True)
def row_max(x: np.ndarray, n: int) -> float:
    m0 = m1 = m2 = m3 = x[0]
    j = 0
    while j + 4 <= n:
        m0 = max(m0, x[j])
        m1 = max(m1, x[j + 1])
        m2 = max(m2, x[j + 2])
        m3 = max(m3, x[j + 3])
        j += 4
    while j < n:
        m0 = max(m0, x[j])
        j += 1
    return max(max(m0, m1), max(m2, m3))


@numba.njit(inline="always", fastmath=False, cache=True)
def row_sum(x: np.ndarray, n: int) -> float:
    s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0.0
    j = 0
    while j + 8 <= n:
        s0 += x[j]
        s1 += x[j + 1]
        s2 += x[j + 2]
        s3 += x[j + 3]
        s4 += x[j + 4]
        s5 += x[j + 5]
        s6 += x[j + 6]
        s7 += x[j + 7]
        j += 8
    while j < n:
        s0 += x[j]
        j += 1
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))


@numba.njit(inline="always", fastmath=False, cache=True)
def row_dot(x: np.ndarray, y: np.ndarray, n: int) -> float:
    s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0.0
    j = 0
    while j + 8 <= n:
        s0 += x[j] * y[j]
        s1 += x[j + 1] * y[j + 1]
        s2 += x[j + 2] * y[j + 2]
        s3 += x[j + 3] * y[j + 3]
        s4 += x[j + 4] * y[j + 4]
        s5 += x[j + 5] * y[j + 5]
        s6 += x[j + 6] * y[j + 6]
        s7 += x[j + 7] * y[j + 7]
        j += 8
    while j < n:
        s0 += x[j] * y[j]
        j += 1
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
