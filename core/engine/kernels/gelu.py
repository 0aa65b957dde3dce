"""Exact (erf) GELU forward/backward as numba kernels; numpy has no vectorised erf.

``gelu_erf_forward(x) -> y`` and ``gelu_erf_backward(x, dy) -> dx`` for any shape, dtype preserved.
y = 0.5 x (1 + erf(x / sqrt 2)); dy/dx = 0.5 (1 + erf(x / sqrt 2)) + x exp(-x^2 / 2) / sqrt(2 pi).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from simplex_training.engine.kernels.parallel import for_ranges

_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GRAIN = 32768  # elements per parallel range at least


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _gelu_erf_forward_kernel(x: np.ndarray, out: np.ndarray, lo: int, hi: int) -> None:
    x, out = x[lo:hi], out[lo:hi]
    for i in range(x.size):
        z = x[i]
        out[i] = 0.5 * z * (1.0 + math.erf(z * _INV_SQRT2))


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _gelu_erf_backward_kernel(x: np.ndarray, dout: np.ndarray, dx: np.ndarray, lo: int,
                              hi: int) -> None:
    x, dout, dx = x[lo:hi], dout[lo:hi], dx[lo:hi]
    for i in range(x.size):
        z = x[i]
        cdf = 0.5 * (1.0 + math.erf(z * _INV_SQRT2))
        pdf = math.exp(-0.5 * z * z) * _INV_SQRT_2PI
        dx[i] = dout[i] * (cdf + z * pdf)


def gelu_erf_forward(x: np.ndarray) -> np.ndarray:
    xf = np.ascontiguousarray(x).reshape(-1)
    out = np.empty_like(xf)
    for_ranges(_gelu_erf_forward_kernel, xf.size, _GRAIN, xf, out)
    return out.reshape(x.shape)


def gelu_erf_backward(x: np.ndarray, dout: np.ndarray) -> np.ndarray:
    xf = np.ascontiguousarray(x).reshape(-1)
    gf = np.ascontiguousarray(dout, dtype=x.dtype).reshape(-1)
    dx = np.empty_like(xf)
    for_ranges(_gelu_erf_backward_kernel, xf.size, _GRAIN, xf, gf, dx)
    return dx.reshape(x.shape)
