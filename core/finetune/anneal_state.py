"""``AnnealTrainingState``: the annealing state of ``--schedule annealing`` (cooling, stagnation, reheat, stop).

The original pipeline's ``AnnealOptimizer`` / ``AnnealTrainingState``
(``../shared/reference/original-system.md`` §2.2) scaled a cosine learning rate by ``min(T, 1)``,
cooled ``T`` by a constant factor per step, counted "stagnation" (steps without a strict
improvement of the best loss), reheated (``T <- 1.5 T``, stagnation := 0) after 100 stagnant steps
and offered ``should_stop(p) = stagnation > 1000 p``, which could never fire because the reheat
reset the counter at 101 (§9). Its cosine ran over a fixed 10 000 steps, unclamped.

Here, with the temperature of :class:`simplex_training.anneal.LearnableSchedule`::

    T(t, g) = max( T0 e^{-alpha t} + gamma sigmoid(delta (g - rho)),  T_min )
    lr(t)   = cosine(t) * min(T(t, g), 1)        (cosine over the run's own steps, clamped)

* ``t`` is the optimizer step (cooling), ``g`` the **stagnation**: the number of validation
  evaluations since the best validation loss last improved by more than ``min_delta`` (a strict
  improvement resets it to 0; nothing else does).
* ``alpha = ln(T0 / final_temp) / total_steps``: without stagnation ``T`` cools from ``T0`` to
  ``final_temp`` over the run (default 1 -> 0.5).
* **Reheat** is the term ``gamma sigmoid(delta (g - rho))``: increasing in ``g`` (the fix of the
  original's decaying trigger, as in :mod:`simplex_training.anneal.schedule`), about ``gamma/2`` at
  ``g = rho`` evaluations and ``gamma`` beyond. ``reheating`` is reported while ``g >= rho``.
* **Stop rule** (fires; the original's never did): stop when ``g > patience`` -- the run has gone
  ``patience + 1`` evaluations without improving, including the ``g - rho`` evaluations spent
  reheated. Reheating never resets ``g``, so on a flat validation curve the stop fires at exactly
  the ``patience + 1``-th evaluation; on an improving curve ``g`` keeps returning to 0 and it never
  fires. ``patience = 0`` disables it. Defaults: ``rho = 2``, ``patience = rho + 2``.

The original's "meta step" (``cool_rate <- 0.999 cool_rate`` when the mean LR rose) and its unused
``accept_threshold`` are not reproduced. The state is JSON-able (:meth:`state_dict`) for exact
resume.
"""

from __future__ import annotations

import math
from typing import Any

from simplex_training.anneal.schedule import LearnableSchedule
from simplex_training.finetune.config import SCHEDULE_OPTIONS

__all__ = ["AnnealTrainingState", "OPTIONS"]

OPTIONS = SCHEDULE_OPTIONS["annealing"]  # schedule_options of ``--schedule annealing``


class AnnealTrainingState:
    """Cooling clock, stagnation ``g``, reheat and stop rule for one training run (module docstring).

    :param total_steps: steps of the run (sets the cooling rate).
    :param min_delta: a validation loss must beat the best by more than this to reset ``g``.
    """

    def __init__(self, total_steps: int, *, min_delta: float = 0.0, initial_temp: float = 1.0,
                 final_temp: float = 0.5, reheat_threshold: float = 2.0, reheat_intensity: float = 0.5,
                 reheat_decay: float = 2.0, patience: int | None = None) -> None:
        if total_steps < 1:
            raise ValueError("total_steps must be >= 1")
        if not (0 < final_temp <= initial_temp):
            raise ValueError("need 0 < final_temp <= initial_temp")
        if reheat_threshold < 1 or reheat_intensity <= 0 or reheat_decay <= 0:
            raise ValueError("need reheat_threshold >= 1, reheat_intensity > 0, reheat_decay > 0")
        self.patience = int(round(reheat_threshold)) + 2 if patience is None else int(patience)
        if self.patience < 0:
            raise ValueError("patience must be >= 0 (0: never stop)")
        cool = max(math.log(initial_temp / final_temp) / total_steps, 1e-4)
        self.schedule = LearnableSchedule(initial_temp=initial_temp, cool_rate=cool, reheat_threshold=reheat_threshold,
                                          reheat_intensity=reheat_intensity, reheat_decay=reheat_decay)
        self.min_delta = float(min_delta)
        self.step = 0
        self.stagnation = 0
        self.best: float | None = None
        self.evaluations = 0

    # -- the loop's calls ------------------------------------------------------------------

    def temperature(self, step: int | None = None) -> float:
        return float(self.schedule.temperature(self.step if step is None else step, self.stagnation))

    def reheat(self) -> float:
        """The reheat term ``gamma sigmoid(delta (g - rho))`` of the current temperature."""
        p = self.schedule.float_params()
        return float(p["reheat_intensity"] * self.schedule.reheat(self.stagnation))

    def lr_scale(self, step: int) -> float:
        """``min(T(step, g), 1)``: the factor on the cosine learning rate of ``step``."""
        self.step = int(step)
        return min(self.temperature(), 1.0)

    @property
    def reheating(self) -> bool:
        return self.stagnation >= self.schedule.float_params()["reheat_threshold"]

    def record(self, val_loss: float) -> bool:
        """Record one validation loss; returns True when it is a strict improvement (``g`` reset)."""
        self.evaluations += 1
        improved = math.isfinite(val_loss) and (self.best is None or val_loss < self.best - self.min_delta)
        if improved:
            self.best, self.stagnation = float(val_loss), 0
        else:
            self.stagnation += 1
        return improved

    def should_stop(self) -> bool:
        """``g > patience`` (``patience = 0``: never)."""
        return self.patience > 0 and self.stagnation > self.patience

    def log_fields(self) -> dict[str, Any]:
        return {"temperature": round(self.temperature(), 6), "stagnation": self.stagnation,
                "reheat": round(self.reheat(), 6)}

    # -- checkpoints -----------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        return {"schedule": self.schedule.state_dict(), "step": self.step, "stagnation": self.stagnation,
                "best": self.best, "evaluations": self.evaluations, "patience": self.patience,
                "min_delta": self.min_delta}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.schedule = LearnableSchedule.from_state_dict(state["schedule"])
        self.step, self.stagnation = int(state["step"]), int(state["stagnation"])
        self.best = None if state["best"] is None else float(state["best"])
        self.evaluations, self.patience = int(state["evaluations"]), int(state["patience"])
        self.min_delta = float(state["min_delta"])
