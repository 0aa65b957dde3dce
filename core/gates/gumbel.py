"""``GumbelSoftmaxGate``: differentiable categorical choice (Jang, Gu & Poole 2017).

Training: y = softmax((logits + g) / tau) along ``axis`` with g = -log(-log u) fresh Gumbel noise
from the gate's own generator (seeded, so runs are reproducible); ``hard=True`` returns
one-hot(argmax y) with the soft gradient (straight-through). Eval: the deterministic one-hot of
argmax(logits), no noise and no gradient. Leading axes are a batch.

Fix versus the original (``GumbelSoftmax`` in ``neural/gate.sx``): batched inputs, numpy's
PCG64 generator instead of a hand-rolled xorshift, and a noise-free deterministic eval mode.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simplex_training.engine import Tensor
from simplex_training.gates.ops import gumbel_softmax
from simplex_training.model.module import Module

__all__ = ["GumbelSoftmaxGate"]


class GumbelSoftmaxGate(Module):
    name = "gumbel_softmax"
    hard_in_eval = True

    def __init__(self, tau: float = 1.0, *, hard: bool = False, axis: int = -1, seed: int = 0,
                 rng: np.random.Generator | None = None) -> None:
        self.set_temperature(tau)
        self.hard, self.axis = bool(hard), int(axis)
        self.rng = rng if rng is not None else np.random.default_rng(seed)

    def set_temperature(self, tau: float) -> None:
        if not tau > 0:
            raise ValueError(f"tau must be > 0, got {tau}")
        self.tau = float(tau)

    def reseed(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def forward(self, logits: Any) -> Tensor:
        logits = logits if isinstance(logits, Tensor) else Tensor(logits)
        if not self.training:
            y = logits.data
            out = np.zeros_like(y)
            np.put_along_axis(out, np.expand_dims(np.argmax(y, axis=self.axis), self.axis), 1.0, axis=self.axis)
            return Tensor(out)
        return gumbel_softmax(logits, self.tau, self.rng, hard=self.hard, axis=self.axis)

    __call__ = forward

    def example_input(self, rng: np.random.Generator) -> np.ndarray:
        return rng.standard_normal((4, 5)).astype(np.float32)
