"""``LearnableLR``: the seed's learnable learning-rate schedule, learned by real hypergradients.

Formula (``../shared/reference/original-system.md`` §2.3, ``LearnableLRSchedule``)::

    lr(t) = max( lr0 · min(t / W, 1) · e^{-d t} · (1 + A sin(w t)) · P ,  lr_min )

with ``P = plateau_boost`` when the population variance of the last 10 recorded losses is below
``plateau_threshold`` (and 10 losses exist), else 1. Seed defaults: lr0 = 2e-4, d = 1e-4, W = 100,
A = 0, w = 0.01, boost = 1.5, threshold = 1e-3, lr_min = 1e-6 (a constant).

Parameterisation (see :mod:`.base`): lr0, d, W, w are ``log``-parameterised (always > 0; the seed's
clamps lr0 in [1e-7, 1e-2] and W >= 1 are the box; ``d >= 0`` becomes ``d >= 1e-12``), A is
``tanh`` in [-0.95, 0.95] (so ``1 + A sin >= 0.05``), the boost is ``1 + e^u`` in (1, 10].
The learning signal is the hypergradient computed by
:class:`~simplex_training.schedules.hypergradient.HypergradientController` (re-exported here).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from typing import Any

import numpy as np

from simplex_training.dual.scalar import dmax, dmin, exp, sin
from simplex_training.schedules.base import DualOrFloat, LearnableSchedule, ParamSpec

__all__ = ["LearnableLR", "LR_SPECS", "HypergradientController", "seed_lr"]

LR_SPECS: tuple[ParamSpec, ...] = (
    ParamSpec("initial_lr", 2e-4, "log", 1e-7, 1e-2),
    ParamSpec("decay_rate", 1e-4, "log", 1e-12, 1.0),
    ParamSpec("warmup_steps", 100.0, "log", 1.0, 1e7),
    ParamSpec("oscillation_amp", 0.0, "tanh", -0.95, 0.95),
    ParamSpec("oscillation_freq", 0.01, "log", 1e-6, 10.0),
    ParamSpec("plateau_boost", 1.5, "one_plus_exp", 1.0 + 1e-6, 10.0),
)


def seed_lr(t: float, losses: list[float], initial_lr: float = 2e-4, decay_rate: float = 1e-4,
            warmup_steps: float = 100.0, oscillation_amp: float = 0.0, oscillation_freq: float = 0.01,
            plateau_boost: float = 1.5, plateau_threshold: float = 1e-3, min_lr: float = 1e-6) -> float:
    """The seed's ``learning_rate(step, loss_history)`` in plain floats (for reference and tests)."""
    last = losses[-10:]
    boost = plateau_boost if len(last) >= 10 and float(np.var(last)) < plateau_threshold else 1.0
    raw = (initial_lr * min(t / warmup_steps, 1.0) * math.exp(-decay_rate * t)
           * (1.0 + oscillation_amp * math.sin(oscillation_freq * t)) * boost)
    return max(raw, min_lr)


class LearnableLR(LearnableSchedule):
    """Warmup · exponential decay · oscillation · plateau boost, floored at ``min_lr``.

    :param min_lr: the constant floor (seed: 1e-6).
    :param plateau_threshold: loss-variance threshold of the plateau test (a constant: the test is
        a step function, it has no derivative).
    :param plateau_window: number of recent losses in the test (seed: 10).
    """

    name = "learned"
    specs = LR_SPECS

    def __init__(self, bounds: Mapping[str, tuple[float, float]] | None = None, min_lr: float = 1e-6,
                 plateau_threshold: float = 1e-3, plateau_window: int = 10, **values: float) -> None:
        super().__init__(bounds, **values)
        if not (math.isfinite(min_lr) and min_lr > 0):
            raise ValueError(f"min_lr must be finite and > 0, got {min_lr}")
        self.min_lr = float(min_lr)
        self.plateau_threshold = float(plateau_threshold)
        self.losses: deque[float] = deque(maxlen=int(plateau_window))

    def record(self, loss: float) -> None:
        """Add one loss to the plateau window (non-finite losses are ignored)."""
        if math.isfinite(loss):
            self.losses.append(float(loss))

    def on_plateau(self) -> bool:
        """The seed's test: a full window whose population variance is below the threshold."""
        return (len(self.losses) == self.losses.maxlen
                and float(np.var(np.fromiter(self.losses, float))) < self.plateau_threshold)

    def formula(self, t: float, p: Mapping[str, DualOrFloat]) -> DualOrFloat:
        warm = dmin(t / p["warmup_steps"], 1.0)
        raw = (p["initial_lr"] * warm * exp(-(p["decay_rate"] * t))
               * (1.0 + p["oscillation_amp"] * sin(p["oscillation_freq"] * t)))
        if self.on_plateau():
            raw = raw * p["plateau_boost"]
        return dmax(raw, self.min_lr)

    def extra_state(self) -> dict[str, Any]:
        return {"min_lr": self.min_lr, "plateau_threshold": self.plateau_threshold,
                "plateau_window": self.losses.maxlen, "losses": list(self.losses)}

    def load_extra_state(self, state: Mapping[str, Any]) -> None:
        self.min_lr = float(state.get("min_lr", 1e-6))
        self.plateau_threshold = float(state.get("plateau_threshold", 1e-3))
        self.losses = deque((float(x) for x in state.get("losses", [])),
                            maxlen=int(state.get("plateau_window", 10)))


from simplex_training.schedules.hypergradient import HypergradientController  # noqa: E402  (re-export)
