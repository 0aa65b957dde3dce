"""SwiGLU gate ``out = silu(gate) * up`` as a fused numba forward/backward pair.

``swiglu_forward(gate, up) -> out`` and ``swiglu_backward(gate, up, dout, need_gate, need_up)
-> (dgate | None, dup | None)``; any (equal) shapes, dtype preserved, element ranges in parallel (engine pool).
silu(g) = g s with s = sigmoid(g); d silu/dg = s (1 + g (1 - s)); exp is ``fastexp.fexp``.
"""

from __future__ import annotations

import numba
import numpy as np

from simplex_training.engine.kernels.fastexp import fexp, one_like
from simplex_training.engine.kernels.parallel import for_ranges

_GRAIN = 32768  # elements per parallel range at least


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _swiglu_forward_kernel(gate: np.ndarray, up: np.ndarray, out: np.ndarray, lo: int,
                           hi: int) -> None:
    gate, up, out = gate[lo:hi], up[lo:hi], out[lo:hi]  # 0-based loop: no index wraparound
    for i in range(gate.size):
        g = gate[i]
        one = one_like(g)
        out[i] = g * (one / (one + fexp(-g))) * up[i]


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _swiglu_backward_kernel(gate: np.ndarray, up: np.ndarray, dout: np.ndarray,
                            dgate: np.ndarray, dup: np.ndarray, need_gate: bool,
                            need_up: bool, lo: int, hi: int) -> None:
    gate, up, dout = gate[lo:hi], up[lo:hi], dout[lo:hi]  # 0-based loop: no index wraparound
    if need_gate:
        dgate = dgate[lo:hi]
    if need_up:
        dup = dup[lo:hi]
    for i in range(gate.size):
        g = gate[i]
        one = one_like(g)
        s = one / (one + fexp(-g))
        if need_gate:
            dgate[i] = dout[i] * up[i] * (s * (one + g * (one - s)))
        if need_up:
            dup[i] = dout[i] * g * s


def swiglu_forward(gate: np.ndarray, up: np.ndarray) -> np.ndarray:
    if gate.shape != up.shape or gate.dtype != up.dtype:
        raise ValueError(f"swiglu needs equal shapes/dtypes, got {gate.shape}/{gate.dtype} "
                         f"and {up.shape}/{up.dtype}")
    gf = np.ascontiguousarray(gate).reshape(-1)
    uf = np.ascontiguousarray(up).reshape(-1)
    out = np.empty_like(gf)
    for_ranges(_swiglu_forward_kernel, gf.size, _GRAIN, gf, uf, out)
    return out.reshape(gate.shape)


def swiglu_backward(gate: np.ndarray, up: np.ndarray, dout: np.ndarray, need_gate: bool = True,
                    need_up: bool = True) -> tuple[np.ndarray | None, np.ndarray | None]:
    gf = np.ascontiguousarray(gate).reshape(-1)
    uf = np.ascontiguousarray(up).reshape(-1)
    df = np.ascontiguousarray(dout, dtype=gate.dtype).reshape(-1)
    dgate = np.empty_like(gf) if need_gate else np.empty(0, gf.dtype)
    dup = np.empty_like(gf) if need_up else np.empty(0, gf.dtype)
    for_ranges(_swiglu_backward_kernel, gf.size, _GRAIN, gf, uf, df, dgate, dup, need_gate,
               need_up)
    return (dgate.reshape(gate.shape) if need_gate else None,
            dup.reshape(gate.shape) if need_up else None)
