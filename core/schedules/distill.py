"""``LearnableDistillation``: knowledge-distillation temperature and soft/hard mixing schedule.

Formulas (``../shared/reference/original-system.md`` §2.3, ``LearnableDistillation``)::

    T(t)     = max(T0 e^{-k t}, T_min)          T_min = 1 (a constant)
    alpha(t) = alpha0 e^{-k_a t}                (no floor)
    loss     = alpha T^2 KL(softmax(z_t / T) || softmax(z_s / T)) + (1 - alpha) CE(softmax(z_s), y)

(Hinton, Vinyals & Dean 2015, "Distilling the Knowledge in a Neural Network", arXiv:1503.02531.)
KL terms with teacher probability <= 1e-10 are skipped, as in the seed. Batches ``(B, C)`` are
averaged over rows. Seed defaults: T0 = 4, k = 1e-4, alpha0 = 0.7, k_a = 1e-4; clamps T0 in
[1, 20], alpha0 in [0, 1].

Changes versus the original: T0, k, k_a are ``log``-parameterised and alpha0 is a ``sigmoid``
(in [1e-4, 1 - 1e-4]), so the original's unclamped decays can no longer go negative; and
:meth:`LearnableDistillation.dual_loss` differentiates through *both* softmaxes (the original used
``T.val`` on the teacher side, so its "dloss/dT" was not the derivative of its loss).
:meth:`LearnableDistillation.loss` is the same loss on engine Tensors, for backpropagating into a
student model.
"""

from __future__ import annotations

import math

from collections.abc import Mapping
from typing import Any

import numpy as np

from simplex_training.dual.scalar import Dual, dmax, exp
from simplex_training.dual.tensor import DualTensor
from simplex_training.engine import Tensor
from simplex_training.engine import functional as F
from simplex_training.schedules.base import DualOrFloat, LearnableSchedule, ParamSpec

__all__ = ["LearnableDistillation", "DISTILL_SPECS", "KL_EPS"]

KL_EPS = 1e-10
DISTILL_SPECS: tuple[ParamSpec, ...] = (
    ParamSpec("initial_temp", 4.0, "log", 1.0, 20.0),
    ParamSpec("temp_decay", 1e-4, "log", 1e-12, 1.0),
    ParamSpec("alpha_start", 0.7, "sigmoid", 1e-4, 1.0 - 1e-4),
    ParamSpec("alpha_decay", 1e-4, "log", 1e-12, 1.0),
)


def _softmax_np(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class LearnableDistillation(LearnableSchedule):
    """``T(t)``, ``alpha(t)`` and the distillation loss; :meth:`value` is the temperature."""

    name = "distillation"
    specs = DISTILL_SPECS

    def __init__(self, bounds: Mapping[str, tuple[float, float]] | None = None, min_temp: float = 1.0,
                 **values: float) -> None:
        super().__init__(bounds, **values)
        if not (math.isfinite(min_temp) and min_temp > 0):
            raise ValueError(f"min_temp must be finite and > 0, got {min_temp}")
        self.min_temp = float(min_temp)

    def formula(self, t: float, p: Mapping[str, DualOrFloat]) -> DualOrFloat:
        return self.temperature_of(t, p)

    def temperature_of(self, t: float, p: Mapping[str, DualOrFloat]) -> DualOrFloat:
        return dmax(p["initial_temp"] * exp(-(p["temp_decay"] * t)), self.min_temp)

    def alpha_of(self, t: float, p: Mapping[str, DualOrFloat]) -> DualOrFloat:
        return p["alpha_start"] * exp(-(p["alpha_decay"] * t))

    def temperature(self, step: float) -> float:
        return float(self.temperature_of(float(step), self.params()))

    def alpha(self, step: float) -> float:
        return float(self.alpha_of(float(step), self.params()))

    def dual_alpha(self, step: float, space: str = "u") -> Dual:
        out = self.alpha_of(float(step), self.dual_params(space))
        return out if isinstance(out, Dual) else Dual(float(out), np.zeros(self.n_params))

    # -- the loss ------------------------------------------------------------------------------

    def dual_loss(self, student_logits: Any, teacher_logits: Any, labels: Any, step: float,
                  space: str = "u") -> Dual:
        """The loss as a Dual: value and ``dloss/du`` (or ``/dphi``) for every parameter."""
        zs = np.atleast_2d(np.asarray(student_logits, dtype=np.float64))
        zt = np.atleast_2d(np.asarray(teacher_logits, dtype=np.float64))
        y = np.atleast_1d(np.asarray(labels, dtype=np.int64))
        p = self.dual_params(space)
        k = self.n_params
        T = _scalar(self.temperature_of(float(step), p), k)
        a = _scalar(self.alpha_of(float(step), p), k)
        inv_t = T.reciprocal()
        log_ps = (DualTensor.constant(zs, k) * inv_t).log_softmax()
        log_pt = (DualTensor.constant(zt, k) * inv_t).log_softmax()
        pt = log_pt.exp()
        keep = (pt.value > KL_EPS).astype(np.float64)
        kl = (pt * (log_pt - log_ps) * keep).sum(axis=-1).mean()
        ce = float(-_log_softmax_np(zs)[np.arange(len(y)), y].mean())
        total = a * T * T * kl + (1.0 - a) * ce
        return Dual(float(total.value), total.tangent.reshape(k).copy())

    def loss_value(self, student_logits: Any, teacher_logits: Any, labels: Any, step: float) -> float:
        return self.dual_loss(student_logits, teacher_logits, labels, step).val

    def loss(self, student_logits: Tensor, teacher_logits: Any, labels: Any, step: float) -> Tensor:
        """The loss on an engine Tensor of student logits ``(B, C)`` (differentiable w.r.t. them)."""
        T, a = self.temperature(step), self.alpha(step)
        dtype = student_logits.dtype
        zt = np.asarray(teacher_logits, dtype=np.float64).reshape(student_logits.shape)
        log_pt = _log_softmax_np(zt / T)
        pt = np.exp(log_pt)
        w = np.where(pt > KL_EPS, pt, 0.0)
        const = float((w * log_pt).sum(axis=-1).mean())
        log_ps = F.log_softmax(student_logits * (1.0 / T))
        cross = (log_ps * Tensor(w.astype(dtype))).sum(axis=-1).mean()
        kl = (cross * -1.0) + const
        ce = F.cross_entropy(student_logits, np.asarray(labels).reshape(-1))
        return kl * (a * T * T) + ce * (1.0 - a)

    def extra_state(self) -> dict[str, Any]:
        return {"min_temp": self.min_temp}

    def load_extra_state(self, state: Mapping[str, Any]) -> None:
        self.min_temp = float(state.get("min_temp", 1.0))


def _log_softmax_np(z: np.ndarray) -> np.ndarray:
    s = z - z.max(axis=-1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def _scalar(x: DualOrFloat, k: int) -> DualTensor:
    if isinstance(x, Dual):
        return DualTensor(np.asarray(x.val), np.asarray(x.der, dtype=np.float64).reshape(k))
    return DualTensor.constant(np.asarray(float(x)), k)
