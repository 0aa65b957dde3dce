"""Schedule plugin ``annealing``: the learnable annealing temperature as a stateful schedule.

Scope: wraps :class:`simplex_training.anneal.LearnableSchedule` (formulas and fixes in
``docs/self-learning.md``) for loops that see one energy/loss per step: :meth:`observe` tracks the
best value and the stagnation count ``g``, ``schedule(step)`` returns ``T(step, g)``,
:meth:`accept` draws a hard acceptance with ``A = sigmoid((tau - dE)/(T s))`` and
:meth:`should_stop` is the reachable stop ``g > patience``. Parameters can be learned beforehand
with :func:`simplex_training.anneal.self_learn_anneal` and passed in. Registered through the
``register_schedules`` hook (entry point ``schedules.annealing``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from simplex_training.anneal.schedule import LearnableSchedule
from simplex_training.hookspecs import hookimpl
from simplex_training.registry import Register

__all__ = ["AnnealingTemperature", "plugin"]


class AnnealingTemperature:
    """``T(step, g)`` of a :class:`LearnableSchedule`, with ``g`` tracked from observed energies.

    :param schedule: a (possibly learned) schedule; default: the seed parameters.
    :param params: parameter overrides for a new schedule (``initial_temp=...``, see
        :data:`simplex_training.anneal.PARAMS`).
    """

    name = "annealing"

    def __init__(self, schedule: LearnableSchedule | None = None, tol: float = 1e-12, **params: float) -> None:
        if schedule is not None and params:
            raise TypeError("pass either a schedule or parameter overrides, not both")
        self.schedule = schedule if schedule is not None else LearnableSchedule(**params)
        self.tol = tol
        self.best = math.inf
        self.stagnation = 0
        self.step = 0

    def __call__(self, step: int | None = None, stagnation: int | None = None) -> float:
        """Temperature at ``step`` (default: the number of observations) and stagnation ``g``."""
        t = self.step if step is None else step
        g = self.stagnation if stagnation is None else stagnation
        return float(self.schedule.temperature(t, g))

    def observe(self, energy: float) -> float:
        """Record one step's energy; returns the temperature for the next step."""
        if energy < self.best - self.tol:
            self.best, self.stagnation = float(energy), 0
        else:
            self.stagnation += 1
        self.step += 1
        return self()

    def accept_probability(self, dE: float, temperature: float | None = None) -> float:
        T = self() if temperature is None else temperature
        return float(self.schedule.accept_probability(dE, T))

    def accept(self, dE: float, rng: np.random.Generator) -> bool:
        """Hard acceptance: ``A(dE, T) > U(0, 1)``."""
        return self.accept_probability(dE) > rng.random()

    def should_stop(self, patience: int) -> bool:
        """True once the best energy has not improved for more than ``patience`` observations."""
        return self.stagnation > patience

    def state_dict(self) -> dict[str, Any]:
        """Plain JSON: ``best`` is None until an energy has been observed (JSON has no infinity)."""
        return {"schedule": self.schedule.state_dict(), "best": self.best if math.isfinite(self.best) else None,
                "stagnation": self.stagnation, "step": self.step}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.schedule = LearnableSchedule.from_state_dict(state["schedule"])
        best = state["best"]
        self.best = math.inf if best is None else float(best)
        self.stagnation, self.step = int(state["stagnation"]), int(state["step"])

    def __repr__(self) -> str:
        return f"AnnealingTemperature(step={self.step}, stagnation={self.stagnation}, {self.schedule!r})"


class _AnnealingSchedulePlugin:
    def __repr__(self) -> str:
        return "AnnealingSchedulePlugin()"

    @hookimpl
    def register_schedules(self, register: Register) -> None:
        register(AnnealingTemperature)


plugin = _AnnealingSchedulePlugin()
