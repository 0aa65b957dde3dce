"""``LearnablePruning``: sparsity schedule with magnitude/gradient importance and soft/hard masks.

Formulas (``../shared/reference/original-system.md`` §2.3, ``LearnablePruning``)::

    s(t)      = s0 + (s_f - s0)(1 - e^{-r t})          s0 = 0 (a constant)
    score     = a |w| + b |g|
    thr       = sorted(score)[min(floor(s(t) n), n - 1)]
    soft mask = sigmoid(10 (score - thr))              (sharpness 10)
    hard mask = score >= thr                           (ties at the threshold are KEPT)

Seed defaults: s_f = 0.5, r = 1e-4, a = 1.0, b = 0.1, recovery threshold 0.1 (recover when the
loss rose by more than it). Clamps: s_f in [0, 0.9], a, b >= 0.

Changes versus the original: the hard mask keeps ``score >= thr`` (the original's strict ``>``
pruned every element tied with the threshold — and one element even at target sparsity 0), so at
most ``floor(s n)`` elements are pruned; the pruning rate is ``log``-parameterised (the original left
it unclamped and its fake meta-gradient drove it negative, §9); a, b are ``log``-parameterised in
[1e-6, 1e3] and s_f is a ``sigmoid`` in [1e-6, 0.9]. :meth:`LearnablePruning.dual_soft_mask` carries
real derivatives of the soft mask w.r.t. every parameter (through the scores and the threshold).
Reference: Zhu & Gupta 2017, "To prune, or not to prune", arXiv:1710.01878 (gradual sparsity).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from simplex_training.dual.scalar import Dual, expm1
from simplex_training.dual.tensor import DualTensor
from simplex_training.schedules.base import DualOrFloat, LearnableSchedule, ParamSpec

__all__ = ["LearnablePruning", "PRUNE_SPECS", "SHARPNESS"]

SHARPNESS = 10.0
PRUNE_SPECS: tuple[ParamSpec, ...] = (
    ParamSpec("final_sparsity", 0.5, "sigmoid", 1e-6, 0.9),
    ParamSpec("pruning_rate", 1e-4, "log", 1e-12, 1.0),
    ParamSpec("magnitude_weight", 1.0, "log", 1e-6, 1e3),
    ParamSpec("gradient_weight", 0.1, "log", 1e-6, 1e3),
)


class LearnablePruning(LearnableSchedule):
    """Target sparsity ``s(t)`` (:meth:`value`), importance scores and masks."""

    name = "pruning"
    specs = PRUNE_SPECS

    def __init__(self, bounds: Mapping[str, tuple[float, float]] | None = None,
                 initial_sparsity: float = 0.0, recovery_threshold: float = 0.1, **values: float) -> None:
        super().__init__(bounds, **values)
        self.initial_sparsity = float(initial_sparsity)
        self.recovery_threshold = float(recovery_threshold)

    def formula(self, t: float, p: Mapping[str, DualOrFloat]) -> DualOrFloat:
        s0 = self.initial_sparsity
        return s0 + (p["final_sparsity"] - s0) * (-expm1(-(p["pruning_rate"] * t)))

    def target_sparsity(self, step: float) -> float:
        return self.value(step)

    def importance(self, weights: Any, grads: Any) -> np.ndarray:
        """``a |w| + b |g|`` (float64)."""
        p = self.params()
        return (p["magnitude_weight"] * np.abs(np.asarray(weights, dtype=np.float64))
                + p["gradient_weight"] * np.abs(np.asarray(grads, dtype=np.float64)))

    @staticmethod
    def threshold_index(sparsity: float, n: int) -> int:
        """``min(floor(s n), n - 1)`` (and >= 0)."""
        return max(0, min(int(math.floor(sparsity * n)), n - 1))

    def threshold(self, scores: np.ndarray, step: float) -> float:
        flat = np.sort(np.asarray(scores, dtype=np.float64).reshape(-1))
        return float(flat[self.threshold_index(self.value(step), flat.size)])

    def hard_mask(self, weights: Any, grads: Any, step: float) -> np.ndarray:
        """1.0 where ``score >= thr`` (ties kept), else 0.0; shape of ``weights``."""
        scores = self.importance(weights, grads)
        return (scores >= self.threshold(scores, step)).astype(np.float64)

    def soft_mask(self, weights: Any, grads: Any, step: float) -> np.ndarray:
        """``sigmoid(10 (score - thr))``."""
        scores = self.importance(weights, grads)
        z = SHARPNESS * (scores - self.threshold(scores, step))
        return 0.5 * (1.0 + np.tanh(0.5 * z))

    def dual_soft_mask(self, weights: Any, grads: Any, step: float, space: str = "u") -> DualTensor:
        """The soft mask as a DualTensor with one tangent per parameter (threshold included)."""
        w = np.abs(np.asarray(weights, dtype=np.float64))
        g = np.abs(np.asarray(grads, dtype=np.float64))
        p = self.dual_params(space)
        k = self.n_params
        scores = _dt(p["magnitude_weight"], k) * w + _dt(p["gradient_weight"], k) * g
        s = float(self.formula(float(step), self.params()))
        order = np.argsort(scores.value.reshape(-1), kind="stable")
        thr = scores.reshape(-1)[int(order[self.threshold_index(s, w.size)])]
        return ((scores - thr) * SHARPNESS).sigmoid()

    def apply(self, weights: np.ndarray, grads: Any, step: float) -> np.ndarray:
        """``weights`` times the hard mask (a new array)."""
        return np.asarray(weights) * self.hard_mask(weights, grads, step).astype(np.asarray(weights).dtype)

    def sparsity_of(self, mask: np.ndarray) -> float:
        """The fraction of zeros in a hard mask."""
        return float(1.0 - np.count_nonzero(mask) / max(np.size(mask), 1))

    def should_recover(self, loss_increase: float) -> bool:
        """True when the loss rose by more than the recovery threshold (seed: 0.1)."""
        return loss_increase > self.recovery_threshold

    def extra_state(self) -> dict[str, Any]:
        return {"initial_sparsity": self.initial_sparsity, "recovery_threshold": self.recovery_threshold}

    def load_extra_state(self, state: Mapping[str, Any]) -> None:
        self.initial_sparsity = float(state.get("initial_sparsity", 0.0))
        self.recovery_threshold = float(state.get("recovery_threshold", 0.1))


def _dt(x: DualOrFloat, k: int) -> DualTensor:
    if isinstance(x, Dual):
        return DualTensor(np.asarray(x.val), np.asarray(x.der, dtype=np.float64).reshape(k))
    return DualTensor.constant(np.asarray(float(x)), k)
