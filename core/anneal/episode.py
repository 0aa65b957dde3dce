"""One annealing episode under a :class:`LearnableSchedule`, with dual numbers threaded through.

Scope
-----
Per step ``t`` (``../shared/reference/original-system.md`` §2.2, TASK-006 §4):

1. ``T = T(t, g)`` from the schedule (a :class:`Dual` over the 9 parameter directions);
2. propose ``x' = neighbor(x, rng)`` and evaluate ``E' = objective(x')`` (one evaluation);
3. soft acceptance ``A = sigmoid((tau - (E' - E)) / (T s))``;
4. **soft energy** ``E_soft <- E_soft (1 - A) + E' A`` — the differentiable path: its tangent is
   ``dE_soft/du``, accumulated through every acceptance probability;
5. **hard transition** ``x <- x'`` iff ``A.val > U``, ``U ~ U(0, 1)`` from the episode's
   ``np.random.Generator`` (so with a fixed seed the hard path is a deterministic function of the
   parameters, piecewise constant, and finite differences of the meta-loss match the tangent);
6. best energy / stagnation ``g`` = steps since the hard best last improved.

The soft best ``min_t E_soft(t)`` (branch-picking min, so its tangent is that of the minimising
step) is the differentiable "best energy" used by the meta-loss.

**Stop condition (fix of §9).** The episode stops when ``g > patience``. Reheating is a term of the
temperature only; it never resets ``g`` (only a new best does), so on an objective that stops
improving the stop fires exactly ``patience + 1`` steps after the last improvement — in the original
``should_stop`` could never fire because reheat reset the counter first. ``patience=None`` disables
the stop (fixed-budget runs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simplex_training.anneal.schedule import LearnableSchedule
from simplex_training.dual.scalar import Dual, dmin
from simplex_training.dual.tensor import DualTensor

__all__ = ["EpisodeResult", "run_episode", "BudgetResult", "run_budget", "Objective", "Neighbor"]

Objective = Callable[[Any], float]
Neighbor = Callable[[Any, np.random.Generator], Any]


@dataclass
class EpisodeResult:
    """Outcome of :func:`run_episode` (hard results are floats; soft ones are Duals)."""

    best_state: Any
    best_energy: float
    initial_energy: float
    final_energy: float
    soft_best: Dual | float
    soft_final: Dual | float
    soft_mean: Dual | float  # mean of E_soft over the steps taken
    temperatures: DualTensor | np.ndarray  # first ``record_temps`` temperatures
    steps: int
    evaluations: int
    stopped: bool
    accepted: int
    best_curve: np.ndarray = field(repr=False)  # best energy after each step


def run_episode(
    schedule: LearnableSchedule,
    objective: Objective,
    initial: Any,
    neighbor: Neighbor,
    max_steps: int,
    rng: np.random.Generator,
    patience: int | None = None,
    differentiate: bool = True,
    record_temps: int = 100,
    tol: float = 1e-12,
) -> EpisodeResult:
    """Anneal from ``initial`` for at most ``max_steps`` proposals (``max_steps + 1`` evaluations).

    :param differentiate: carry tangents w.r.t. the schedule's unconstrained parameters (costs
        about 2x); ``False`` runs the same chain with floats.
    :param patience: stop once the best energy has not improved for more than this many steps.
    """
    p: dict[str, Any] = schedule.dual_params() if differentiate else schedule.float_params()
    k = schedule.n_params
    state, energy = initial, float(objective(initial))
    e0 = energy
    soft: Dual | float = Dual(energy, np.zeros(k)) if differentiate else energy
    soft_best = soft
    soft_sum = soft * 0.0
    best_state, best_energy, g = state, energy, 0
    temps: list[Any] = []
    best_curve = np.empty(max_steps)
    accepted, steps, stopped = 0, 0, False
    for t in range(max_steps):
        T = schedule.temperature(t, g, p)
        if t < record_temps:
            temps.append(T)
        cand = neighbor(state, rng)
        e_new = float(objective(cand))
        A = schedule.accept_probability(e_new - energy, T, p)
        soft = soft + A * (e_new - soft)
        soft_best = dmin(soft_best, soft)
        soft_sum = soft_sum + soft
        if float(A) > rng.random():
            state, energy = cand, e_new
            accepted += 1
        if energy < best_energy - tol:
            best_state, best_energy, g = state, energy, 0
        else:
            g += 1
        best_curve[t] = best_energy
        steps = t + 1
        if patience is not None and g > patience:
            stopped = True
            break
    if differentiate:
        temperatures: DualTensor | np.ndarray = (
            DualTensor(np.array([x.val for x in temps]), np.stack([x.der for x in temps], axis=1))
            if temps else DualTensor.constant(np.zeros(0), k))
    else:
        temperatures = np.array(temps, dtype=np.float64)
    soft_mean = soft_sum * (1.0 / max(steps, 1))
    return EpisodeResult(best_state, best_energy, e0, energy, soft_best, soft, soft_mean, temperatures, steps,
                         steps + 1, stopped, accepted, best_curve[:steps])


@dataclass
class BudgetResult:
    """Outcome of :func:`run_budget`: best over all restarts, exactly ``evaluations`` evaluations."""

    best_state: Any
    best_energy: float
    evaluations: int
    episodes: int
    best_curve: np.ndarray = field(repr=False)  # best energy after each evaluation


def run_budget(
    schedule: LearnableSchedule,
    objective: Objective,
    initial: Any,
    neighbor: Neighbor,
    budget: int,
    rng: np.random.Generator,
    patience: int | None = None,
) -> BudgetResult:
    """Spend exactly ``budget`` objective evaluations with the (fixed) ``schedule``.

    When the stop condition fires before the budget is used, a new episode starts from the best
    state so far with the schedule clock reset (``t = g = 0``); each restart pays one evaluation
    for its initial energy.
    """
    if budget < 2:
        raise ValueError("budget must be at least 2 evaluations")
    best_state, best_energy = initial, float("inf")
    curve: list[np.ndarray] = []
    used = episodes = 0
    state = initial
    while budget - used >= 2:
        result = run_episode(schedule, objective, state, neighbor, budget - used - 1, rng,
                             patience=patience, differentiate=False, record_temps=0)
        episodes += 1
        curve.append(np.minimum(np.concatenate([[result.initial_energy], result.best_curve]), best_energy))
        used += result.evaluations
        if result.best_energy < best_energy:
            best_state, best_energy = result.best_state, result.best_energy
        state = best_state
    return BudgetResult(best_state, best_energy, used, episodes, np.minimum.accumulate(np.concatenate(curve)))
