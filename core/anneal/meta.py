"""Meta-learning of a :class:`LearnableSchedule` from real forward-mode meta-gradients.

Scope
-----
Meta-loss of one episode (the seed's four terms, ``../shared/reference/original-system.md``
§2.2; the changes marked * are documented and measured in ``docs/self-learning.md``)::

    L = Q / |E_0|*  +  0.1 steps / max_steps  +  reg ||u - u_0||^2*  -  w_var Var(T_0..T_99)

* ``Q`` (``config.quality``): ``"mean"`` (default*) = mean of the soft energy over the episode;
  ``"best"`` = the seed's best energy (of the soft trajectory); ``"final"`` = last soft energy.
  The seed's best-energy term only sees the step where the minimum occurred, so its gradient is
  blind to everything after it (e.g. a harmful reheat); meta-training with it made held-out TSP
  tours *worse* than the untrained schedule. Dividing by ``|E_0|`` makes one learning rate work
  for TSP tours (~5) and Rastrigin (~100).
* ``reg ||u - u_0||^2``: L2 pull of the unconstrained parameters towards the seed schedule; the
  original's ``T0^2 + alpha^2 + rho^2 + ...`` is dominated by ``rho^2 = 2500``.
* ``w_var``: 0 by default* (the seed: 0.01). ``-Var(T)`` is unbounded below (it grows as
  ``T0^2``); once the gradient is real the optimiser exploits it by inflating T0.
* ``steps/max_steps`` is an integer count: it has no derivative (it still ranks episodes).

The gradient ``dL/du`` is the tangent of ``L`` — the sum of real derivatives propagated through the
soft energy trajectory, acceptance probabilities and temperatures (one tangent per parameter). The
original instead "differentiated" by reading each parameter's seed tangent 1.0 (§9). The gradient is
clipped to norm 1, then Adam (default) or SGD updates ``u``; the projection in
:class:`LearnableSchedule` keeps every rate positive and bounded.

:func:`simple_anneal` and the ``fixed`` schedules (:mod:`simplex_training.anneal.fixed`) are
re-exported here for comparisons. :func:`self_learn_anneal` runs ``epochs`` episodes (each from ``initial``, fresh noise from one
``np.random.Generator``) and returns the best hard solution of all episodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import simplex_training.anneal.fixed as fixed  # re-exported: the fixed schedules for comparison
from simplex_training.anneal.episode import EpisodeResult, Neighbor, Objective, run_episode
from simplex_training.anneal.fixed import simple_anneal
from simplex_training.anneal.schedule import LearnableSchedule
from simplex_training.dual.scalar import Dual

__all__ = ["AnnealConfig", "MetaLoss", "MetaOptimizer", "SelfLearnResult", "self_learn_anneal", "meta_loss",
           "simple_anneal", "fixed"]


@dataclass(frozen=True)
class AnnealConfig:
    """Meta-training budget; presets are the original's ``AnnealConfig::{quick,default,thorough}``."""

    epochs: int = 100
    steps_per_epoch: int = 1000
    meta_lr: float = 1e-3
    reg: float = 1e-4
    convergence: int = 200  # patience of the episode stop (stagnation > convergence)
    optimizer: str = "adam"  # or "sgd"
    clip: float = 1.0
    var_steps: int = 100
    steps_weight: float = 0.1
    var_weight: float = 0.0  # the seed used 0.01; see the module docstring
    quality: str = "mean"  # "mean" (soft-energy curve), "best" (the seed's term), "final"

    @classmethod
    def quick(cls, **kw: Any) -> AnnealConfig:
        return cls(**{**dict(epochs=20, steps_per_epoch=200, meta_lr=1e-2, reg=1e-3, convergence=50), **kw})

    @classmethod
    def default(cls, **kw: Any) -> AnnealConfig:
        return cls(**kw)

    @classmethod
    def thorough(cls, **kw: Any) -> AnnealConfig:
        return cls(**{**dict(epochs=500, steps_per_epoch=5000, meta_lr=1e-4, reg=1e-5, convergence=500), **kw})


@dataclass
class MetaLoss:
    total: Dual
    quality: Dual
    steps_term: float
    reg_term: Dual
    temp_variance: Dual

    @property
    def gradient(self) -> np.ndarray:
        return np.asarray(self.total.der, dtype=np.float64)


def meta_loss(result: EpisodeResult, schedule: LearnableSchedule, config: AnnealConfig,
              reference_u: np.ndarray) -> MetaLoss:
    """The meta-loss of an episode run with ``differentiate=True`` (a Dual over ``u``)."""
    scale = max(abs(result.initial_energy), 1e-12)
    soft = {"mean": result.soft_mean, "best": result.soft_best, "final": result.soft_final}[config.quality]
    quality = soft * (1.0 / scale)
    steps_term = config.steps_weight * result.steps / config.steps_per_epoch
    reg_term = schedule.l2_from(reference_u) * config.reg
    temps = result.temperatures[: config.var_steps]
    if temps.shape[0] > 1:
        centred = temps - temps.mean()
        var_t = (centred * centred).mean()
        variance = Dual(float(var_t.value), var_t.tangent.reshape(-1))
    else:
        variance = Dual(0.0, np.zeros(schedule.n_params))
    total = quality + steps_term + reg_term - config.var_weight * variance
    return MetaLoss(total, quality, steps_term, reg_term, variance)


@dataclass
class SelfLearnResult:
    best_state: Any
    best_energy: float
    schedule: LearnableSchedule
    history: list[dict[str, Any]] = field(repr=False)
    evaluations: int = 0


class MetaOptimizer:
    """Learns ``schedule`` from episodes: forward-mode meta-gradient, clip, Adam/SGD on ``u``."""

    def __init__(self, schedule: LearnableSchedule | None = None, config: AnnealConfig | None = None,
                 seed: int = 0, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        self.schedule = schedule if schedule is not None else LearnableSchedule()
        self.config = config or AnnealConfig.default()
        if self.config.optimizer not in ("adam", "sgd"):
            raise ValueError(f"optimizer must be 'adam' or 'sgd', got {self.config.optimizer!r}")
        self.rng = np.random.default_rng(seed)
        self.reference_u = self.schedule.u.copy()
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m = np.zeros(self.schedule.n_params)
        self.v = np.zeros(self.schedule.n_params)
        self.t = 0
        self.evaluations = 0

    def episode(self, objective: Objective, initial: Any, neighbor: Neighbor) -> EpisodeResult:
        result = run_episode(self.schedule, objective, initial, neighbor, self.config.steps_per_epoch,
                             self.rng, patience=self.config.convergence, differentiate=True,
                             record_temps=self.config.var_steps)
        self.evaluations += result.evaluations
        return result

    def meta_loss(self, result: EpisodeResult) -> MetaLoss:
        return meta_loss(result, self.schedule, self.config, self.reference_u)

    def update(self, loss: MetaLoss) -> tuple[np.ndarray, float]:
        """One clipped Adam/SGD step on ``u``; returns (applied step, raw gradient norm)."""
        grad = np.nan_to_num(loss.gradient, nan=0.0, posinf=0.0, neginf=0.0)
        norm = float(np.linalg.norm(grad))
        if norm > self.config.clip:
            grad = grad * (self.config.clip / norm)
        lr = self.config.meta_lr
        if self.config.optimizer == "sgd":
            step = -lr * grad
        else:
            self.t += 1
            self.m = self.beta1 * self.m + (1 - self.beta1) * grad
            self.v = self.beta2 * self.v + (1 - self.beta2) * grad * grad
            m_hat = self.m / (1 - self.beta1**self.t)
            v_hat = self.v / (1 - self.beta2**self.t)
            step = -lr * m_hat / (np.sqrt(v_hat) + self.eps)
        self.schedule.apply_step(step)
        return step, norm

    def optimize(self, tasks: Sequence[tuple[Objective, Any, Neighbor]],
                 warm_start: bool = False) -> SelfLearnResult:
        """``config.epochs`` episodes cycling over ``tasks`` = ``[(objective, initial, neighbor)]``.

        :param warm_start: start each episode of a task from that task's best state so far
            (default: from its ``initial``, as the original).
        The returned best solution is that of ``tasks[0]``; ``history`` has every episode.
        """
        history: list[dict[str, Any]] = []
        best: list[tuple[Any, float]] = [(initial, float("inf")) for _, initial, _ in tasks]
        for epoch in range(self.config.epochs):
            i = epoch % len(tasks)
            objective, initial, neighbor = tasks[i]
            start = best[i][0] if warm_start else initial
            result = self.episode(objective, start, neighbor)
            loss = self.meta_loss(result)
            _, norm = self.update(loss)
            if result.best_energy < best[i][1]:
                best[i] = (result.best_state, result.best_energy)
            history.append({
                "epoch": epoch, "task": i, "meta_loss": loss.total.val, "quality": loss.quality.val,
                "steps": result.steps, "stopped": result.stopped, "best_energy": result.best_energy,
                "grad_norm": norm, "evaluations": self.evaluations, "params": self.schedule.snapshot(),
            })
        return SelfLearnResult(best[0][0], best[0][1], self.schedule, history, self.evaluations)


def self_learn_anneal(objective: Objective, initial: Any, neighbor: Neighbor,
                      config: AnnealConfig | None = None, seed: int = 0,
                      schedule: LearnableSchedule | None = None, warm_start: bool = False) -> SelfLearnResult:
    """Learn a schedule on one problem while annealing it; returns the best solution found.

    Uses ``config.epochs`` episodes of at most ``config.steps_per_epoch`` proposals; the result's
    ``evaluations`` counts every objective call.
    """
    return MetaOptimizer(schedule, config, seed).optimize([(objective, initial, neighbor)], warm_start)
