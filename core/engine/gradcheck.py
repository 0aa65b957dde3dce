"""Finite-difference gradient check for engine ops (used by the tests).

``gradcheck(fn, inputs, eps=1e-6, atol=1e-6, rtol=1e-4, seed=0) -> GradcheckResult``

``fn`` takes one float64 Tensor per array in ``inputs`` (all with ``requires_grad=True``) and
returns a Tensor. A non-scalar output is reduced to the scalar ``sum(out * R)`` with a fixed random
``R`` so every output element is checked. The autograd gradient of each input is compared with the
central difference (f(x + eps e_i) - f(x - eps e_i)) / (2 eps) for every element i.
``GradcheckResult`` has ``max_abs_err``, ``max_rel_err`` (|a - n| / max(|a|, |n|, 1e-12)) and
``ok`` (every element satisfies |a - n| <= atol + rtol |n|); ``bool(result)`` is ``ok``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from simplex_training.engine.tensor import Tensor, no_grad

__all__ = ["gradcheck", "GradcheckResult"]


@dataclass(frozen=True)
class GradcheckResult:
    max_abs_err: float
    max_rel_err: float
    ok: bool

    def __bool__(self) -> bool:
        return self.ok


def _scalar(out: Tensor, weights: np.ndarray | None) -> Tensor:
    return out if weights is None else (out * Tensor(weights)).sum()


def gradcheck(fn: Callable[..., Tensor], inputs: Sequence[np.ndarray], eps: float = 1e-6,
              atol: float = 1e-6, rtol: float = 1e-4, seed: int = 0) -> GradcheckResult:
    arrays = [np.array(a, dtype=np.float64, copy=True) for a in inputs]
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    out = fn(*tensors)
    weights = None
    if out.data.size != 1:
        weights = np.random.default_rng(seed).standard_normal(out.shape)
    _scalar(out, weights).backward()
    analytic = [t.grad if t.grad is not None else np.zeros_like(t.data) for t in tensors]

    def f() -> float:
        with no_grad():
            return _scalar(fn(*[Tensor(a) for a in arrays]), weights).item()

    max_abs = max_rel = 0.0
    ok = True
    for a, grad in zip(arrays, analytic, strict=True):
        flat = a.reshape(-1)
        gflat = grad.reshape(-1)
        for i in range(flat.size):
            orig = flat[i]
            flat[i] = orig + eps
            plus = f()
            flat[i] = orig - eps
            minus = f()
            flat[i] = orig
            numeric = (plus - minus) / (2.0 * eps)
            err = abs(gflat[i] - numeric)
            max_abs = max(max_abs, err)
            max_rel = max(max_rel, err / max(abs(gflat[i]), abs(numeric), 1e-12))
            ok = ok and err <= atol + rtol * abs(numeric)
    return GradcheckResult(float(max_abs), float(max_rel), bool(ok))
