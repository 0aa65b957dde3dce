"""Inverted dropout as one fused numba pass, its mask a hash of (seed, element index).

``dropout_apply(x, seed, p) -> x * mask / (1 - p)`` for any shape (C order), dtype preserved; the
backward is the same call on the gradient (the same seed gives the same mask), so no mask is
stored. ``dropout_add(x, seed, p, out)`` adds the same ``x * mask / (1 - p)`` into ``out`` in place
(a gradient that flows through the dropout into one that is already there). Element ``i`` is kept
when the top 32 bits of ``splitmix64(seed + i * GOLDEN)`` are at least ``round(p * 2**32)``:
independent, uniform bits per element, the same whatever the thread count or split (element
ranges run in parallel on the engine pool). One pass instead of numpy's four (uniform floats,
compare, cast, multiply), and no float mask array.
"""

from __future__ import annotations

import numba
import numpy as np

from simplex_training.engine.kernels.parallel import for_ranges

__all__ = ["dropout_apply", "dropout_add", "keep_threshold"]

_GRAIN = 32768  # elements per parallel range at least
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


@numba.njit(cache=True, nogil=True, inline="always")
def _bits32(seed: np.uint64, i: np.uint64) -> np.uint64:
    z = seed + i * _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    z = z ^ (z >> np.uint64(31))
    return z >> np.uint64(32)


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _dropout_kernel(x: np.ndarray, out: np.ndarray, seed: np.uint64, threshold: np.uint64, scale,  # noqa: ANN001
                    lo: int, hi: int) -> None:
    zero = out.dtype.type(0)
    j = np.uint64(lo)  # the element index as uint64, counted (converting i each time costs a third)
    for i in range(lo, hi):
        out[i] = x[i] * (scale if _bits32(seed, j) >= threshold else zero)
        j += np.uint64(1)


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _dropout_add_kernel(x: np.ndarray, out: np.ndarray, seed: np.uint64, threshold: np.uint64, scale,  # noqa: ANN001
                        lo: int, hi: int) -> None:
    zero = out.dtype.type(0)
    j = np.uint64(lo)
    for i in range(lo, hi):
        out[i] += x[i] * (scale if _bits32(seed, j) >= threshold else zero)
        j += np.uint64(1)


def keep_threshold(p: float) -> int:
    """The 32-bit value below which an element is dropped (``p`` of all 2**32 values)."""
    return min(int(round(p * 2.0**32)), 2**32)


def _run(kernel, x: np.ndarray, out: np.ndarray, seed: int, p: float) -> None:  # noqa: ANN001
    """``kernel`` over x's elements in C order into the flat ``out``, with p's scale and threshold."""
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout probability must be in [0, 1), got {p}")
    flat = np.ascontiguousarray(x).reshape(-1)
    scale = flat.dtype.type(1.0 / (1.0 - p))
    for_ranges(kernel, flat.size, _GRAIN, flat, out, np.uint64(seed), np.uint64(keep_threshold(p)), scale)


def dropout_apply(x: np.ndarray, seed: int, p: float) -> np.ndarray:
    """``x`` with each element zeroed with probability ``p`` (mask from ``seed``), the rest / (1 - p)."""
    out = np.empty(x.size, dtype=x.dtype)
    _run(_dropout_kernel, x, out, seed, p)
    return out.reshape(x.shape)


def dropout_add(x: np.ndarray, seed: int, p: float, out: np.ndarray) -> np.ndarray:
    """``out += dropout_apply(x, seed, p)`` in one pass, bit for bit; ``out`` C-contiguous, x's shape and dtype."""
    if out.shape != x.shape or out.dtype != x.dtype or not out.flags.c_contiguous:
        raise ValueError(f"dropout_add: out must be C-contiguous {x.shape} {x.dtype}, got {out.shape} {out.dtype}")
    _run(_dropout_add_kernel, x, out.reshape(-1), seed, p)
    return out
