"""Fixed (non-learned) temperature schedules and plain Metropolis annealing, for comparison.

Scope (``../shared/reference/original-system.md`` §2.2, ``fixed::*`` and ``simple_anneal``):

* ``exponential(T0, alpha)``: ``T0 e^{-alpha t}``
* ``linear(T0, T_min, n)``: ``T0 + (T_min - T0) min(t / n, 1)``
* ``logarithmic(c)``: ``c / ln(t + 2)`` (Geman & Geman's schedule, offset so t = 0 is finite)
* ``cosine(T0, T_min, n)``: ``T_min + (T0 - T_min)(1 + cos(pi min(t/n, 1)))/2``

:func:`simple_anneal` is Metropolis acceptance — accept if ``dE < 0`` or ``U < e^{-dE/T}`` — under
any of these (default: the seed's ``exponential(1.0, 0.01)``), floored at ``T_min = 0.001``.
Reference: Kirkpatrick, Gelatt & Vecchi, *Optimization by Simulated Annealing*, Science 220 (1983).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simplex_training.anneal.schedule import MIN_TEMP

__all__ = ["exponential", "linear", "logarithmic", "cosine", "simple_anneal", "AnnealResult", "FixedSchedule"]

FixedSchedule = Callable[[int], float]


def exponential(T0: float = 1.0, alpha: float = 0.01) -> FixedSchedule:
    return lambda t: T0 * math.exp(-alpha * t)


def linear(T0: float = 1.0, T_min: float = MIN_TEMP, n: int = 1000) -> FixedSchedule:
    return lambda t: T0 + (T_min - T0) * min(t / n, 1.0)


def logarithmic(c: float = 1.0) -> FixedSchedule:
    return lambda t: c / math.log(t + 2.0)


def cosine(T0: float = 1.0, T_min: float = MIN_TEMP, n: int = 1000) -> FixedSchedule:
    return lambda t: T_min + (T0 - T_min) * (1.0 + math.cos(math.pi * min(t / n, 1.0))) / 2.0


@dataclass
class AnnealResult:
    best_state: Any
    best_energy: float
    initial_energy: float
    steps: int
    evaluations: int
    accepted: int
    best_curve: np.ndarray = field(repr=False)


def simple_anneal(
    objective: Callable[[Any], float],
    initial: Any,
    neighbor: Callable[[Any, np.random.Generator], Any],
    max_steps: int,
    rng: np.random.Generator,
    schedule: FixedSchedule | None = None,
    min_temp: float = MIN_TEMP,
) -> AnnealResult:
    """Metropolis annealing for ``max_steps`` proposals (``max_steps + 1`` evaluations)."""
    temp = schedule or exponential()
    state, energy = initial, float(objective(initial))
    e0, best_state, best_energy, accepted = energy, state, energy, 0
    curve = np.empty(max_steps)
    for t in range(max_steps):
        T = max(temp(t), min_temp)
        cand = neighbor(state, rng)
        e_new = float(objective(cand))
        dE = e_new - energy
        u = rng.random()
        if dE < 0 or u < math.exp(-dE / T):
            state, energy = cand, e_new
            accepted += 1
            if energy < best_energy:
                best_state, best_energy = state, energy
        curve[t] = best_energy
    return AnnealResult(best_state, best_energy, e0, max_steps, max_steps + 1, accepted, curve)
