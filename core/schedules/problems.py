"""Small deterministic training problems for schedule tests, examples and measurements.

:class:`SoftmaxRegression` is multinomial logistic regression on synthetic Gaussian data (a convex,
smooth loss written with the reverse-mode engine), and :func:`train` runs the standard loop
``loss.backward(); opt.step()`` with either a fixed schedule or a
:class:`~simplex_training.schedules.hypergradient.HypergradientController`. Everything is a pure
function of the seed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F

__all__ = ["SoftmaxRegression", "TrainResult", "train"]


class SoftmaxRegression:
    """``L(W, b) = mean CE(softmax(X W + b), y)`` on ``n`` points in ``dim`` dims, ``classes`` classes.

    Labels come from a random linear teacher plus Gaussian noise ``noise``; features are scaled by
    ``scale`` (larger scale: sharper curvature, smaller stable learning rate). Parameters are float64.
    """

    def __init__(self, n: int = 256, dim: int = 8, classes: int = 4, noise: float = 0.5,
                 scale: float = 1.0, batch_size: int = 32, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.X = rng.normal(size=(n, dim)) * scale
        teacher = rng.normal(size=(dim, classes))
        self.y = np.argmax(self.X @ teacher / scale + noise * rng.normal(size=(n, classes)), axis=1)
        self.batch_size = batch_size
        self.seed = seed
        self.W = Parameter(np.zeros((dim, classes)), name="W")
        self.b = Parameter(np.zeros(classes), name="b")

    def parameters(self) -> list[Parameter]:
        return [self.W, self.b]

    def batch(self, step: int) -> np.ndarray:
        """Indices of the minibatch of ``step`` (a pure function of seed and step)."""
        rng = np.random.default_rng((self.seed, step))
        return rng.choice(len(self.y), size=min(self.batch_size, len(self.y)), replace=False)

    def loss(self, idx: np.ndarray | None = None) -> Tensor:
        """The loss on the points ``idx`` (default: all)."""
        X, y = (self.X, self.y) if idx is None else (self.X[idx], self.y[idx])
        return F.cross_entropy(F.matmul(Tensor(X), self.W) + self.b, y)

    def full_loss(self) -> float:
        return float(self.loss().item())

    def state(self) -> list[np.ndarray]:
        return [p.data.copy() for p in self.parameters()]

    def load(self, state: list[np.ndarray]) -> None:
        for p, s in zip(self.parameters(), state):
            p.data[...] = s


@dataclass
class TrainResult:
    final_loss: float
    losses: list[float] = field(default_factory=list)
    lrs: list[float] = field(default_factory=list)


def train(problem: SoftmaxRegression, opt: Any, steps: int, controller: Any = None,
          schedule: Callable[[int], float] | None = None) -> TrainResult:
    """``steps`` minibatch steps; the lr comes from ``controller`` or ``schedule`` (else ``opt.lr``)."""
    result = TrainResult(float("nan"))
    for step in range(steps):
        opt.zero_grad()
        loss = problem.loss(problem.batch(step))
        loss.backward()
        if controller is not None:
            controller.record(step, loss.item())
            controller.before_step(step)
        elif schedule is not None:
            opt.lr = schedule(step)
        opt.step()
        if controller is not None:
            controller.after_step()
        result.losses.append(float(loss.item()))
        result.lrs.append(float(opt.lr))
    result.final_loss = problem.full_loss()
    return result
