"""AdamW parameter update as one fused, in-place numba kernel over a flat parameter.

``adamw_update(p, g, m, v, lr, beta1, beta2, eps, weight_decay, step)`` with step >= 1 (t):
    m = beta1 m + (1 - beta1) g;    v = beta2 v + (1 - beta2) g^2
    p = p (1 - lr wd) - lr (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
(decoupled weight decay, as torch.optim.AdamW). p, m, v are updated in place; all four arrays are
C-contiguous and share a dtype. Elements are independent, so the parallel ranges (engine pool) are deterministic.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from simplex_training.engine.kernels.parallel import for_ranges

_GRAIN = 65536  # elements per parallel range at least


@numba.njit(cache=True, fastmath=False, nogil=True, error_model="numpy")
def _adamw_kernel(p: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray, lr: float,
                  beta1: float, beta2: float, eps: float, decay: float, bc1: float,
                  bc2: float, lo: int, hi: int) -> None:
    p, g, m, v = p[lo:hi], g[lo:hi], m[lo:hi], v[lo:hi]  # 0-based loop: no index wraparound
    for i in range(p.size):
        gi = g[i]
        mi = beta1 * m[i] + (1.0 - beta1) * gi
        vi = beta2 * v[i] + (1.0 - beta2) * gi * gi
        m[i] = mi
        v[i] = vi
        p[i] = p[i] * decay - lr * (mi / bc1) / (math.sqrt(vi / bc2) + eps)


def adamw_update(p: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray, lr: float,
                 beta1: float, beta2: float, eps: float, weight_decay: float, step: int) -> None:
    for name, a in (("param", p), ("grad", g), ("m", m), ("v", v)):
        if not a.flags.c_contiguous:
            raise ValueError(f"adamw_update needs C-contiguous arrays ({name} is not)")
    bc1 = 1.0 - beta1 ** step
    bc2 = 1.0 - beta2 ** step
    for_ranges(_adamw_kernel, p.size, _GRAIN, p.reshape(-1), g.reshape(-1), m.reshape(-1),
               v.reshape(-1), float(lr), float(beta1), float(beta2), float(eps),
               1.0 - float(lr) * float(weight_decay), bc1, bc2)
