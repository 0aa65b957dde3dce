"""Mixture-of-experts router with top-k selection, and a learnable clamped temperature.

Scope
-----
``MixtureGate(in_dim, n_experts, top_k=None, temperature=1.0, inference_temperature=0.01)``
    logits = x W, W (in_dim, n_experts) ~ N(0, 1/in_dim) drawn from an explicit generator (the
    original initialised every entry to 0.1/sqrt(in), so all experts were identical);
    weights = softmax(logits / T) with T = ``temperature`` in training and the small
    ``inference_temperature`` in eval; with ``top_k`` all but the k largest weights are zeroed and
    the rest renormalised to sum to 1 (the gradient flows through the kept entries).
``LearnableTemperature(initial=1.0, min_value=0.1, max_value=10.0, lr=1e-3)``
    T = exp(clamp(raw, log min, log max)) with ``raw`` a Parameter (log-parameterised, so T > 0
    and multiplicative steps). ``__call__(logits)`` returns logits / T. ``update(dloss_dT)`` is
    standard gradient DESCENT on the loss (raw <- raw - lr * dL/dT * T, then clamped): a loss that
    decreases when T grows has dL/dT < 0 and so raises T. (The original's tests expected "a positive
    gradient increases T", which is gradient ascent; descent is used here and documented.)
    Optional exponential schedule T0 * decay^step via ``step()``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F
from simplex_training.gates.modes import log_clamped_exp
from simplex_training.gates.ops import top_k_renormalise
from simplex_training.model.module import Module, normal_init

__all__ = ["MixtureGate", "LearnableTemperature"]


class LearnableTemperature(Module):
    name = "learnable_temperature"
    hard_in_eval = False

    def __init__(self, initial: float = 1.0, min_value: float = 0.1, max_value: float = 10.0,
                 lr: float = 1e-3, *, shape: tuple[int, ...] = (), decay: float | None = None,
                 dtype: Any = np.float32) -> None:
        if not 0 < min_value <= max_value:
            raise ValueError(f"need 0 < min_value <= max_value, got {min_value}, {max_value}")
        if decay is not None and not 0 < decay <= 1:
            raise ValueError(f"decay must be in (0, 1], got {decay}")
        self.min_value, self.max_value, self.lr = float(min_value), float(max_value), float(lr)
        self.initial, self.decay, self.step_count = float(initial), decay, 0
        self.raw = Parameter(np.zeros(shape, dtype=dtype), name="log_temperature")
        self.set(initial)

    def _clip(self, value: Any) -> np.ndarray:
        return np.clip(np.asarray(value, dtype=np.float64), self.min_value, self.max_value)

    def value(self) -> Tensor:
        """T as a differentiable Tensor."""
        return log_clamped_exp(self.raw, self.min_value, self.max_value)

    def get(self) -> float | np.ndarray:
        t = self._clip(np.exp(self.raw.data.astype(np.float64)))
        return float(t) if t.ndim == 0 else t

    def set(self, value: float | np.ndarray) -> None:
        if np.any(np.asarray(value) <= 0):
            raise ValueError(f"temperature must be > 0, got {value}")
        self.raw.data[...] = np.log(self._clip(value))

    def project(self) -> None:
        """Clamp the raw parameter into [log min, log max] (call after an external optimizer step)."""
        self.raw.data[...] = np.clip(self.raw.data, math.log(self.min_value), math.log(self.max_value))

    def update(self, grad: float | np.ndarray, lr: float | None = None) -> None:
        """One gradient-descent step on the loss given dL/dT (chain rule through T = exp(raw))."""
        lr = self.lr if lr is None else float(lr)
        t = np.exp(self.raw.data.astype(np.float64))
        self.raw.data[...] = self.raw.data - lr * np.asarray(grad, dtype=np.float64) * t
        self.project()

    def step(self) -> float | np.ndarray:
        """Advance the schedule (if any): T = initial * decay^step, clamped."""
        self.step_count += 1
        if self.decay is not None:
            self.set(self.initial * self.decay ** self.step_count)
        return self.get()

    def reset(self) -> None:
        self.step_count = 0
        self.set(self.initial)

    def forward(self, logits: Any) -> Tensor:
        """logits / T (temperature scaling)."""
        logits = logits if isinstance(logits, Tensor) else Tensor(logits, dtype=self.raw.dtype)
        return logits / self.value()

    __call__ = forward

    def example_input(self, rng: np.random.Generator) -> np.ndarray:
        return rng.standard_normal((4, 8)).astype(self.raw.dtype)


class MixtureGate(Module):
    name = "mixture_gate"
    hard_in_eval = False

    def __init__(self, in_dim: int = 8, n_experts: int = 4, *, top_k: int | None = None,
                 temperature: float = 1.0, inference_temperature: float = 0.01,
                 rng: np.random.Generator | None = None, dtype: Any = np.float32) -> None:
        if in_dim < 1 or n_experts < 1:
            raise ValueError(f"need in_dim >= 1 and n_experts >= 1, got {in_dim}, {n_experts}")
        rng = rng if rng is not None else np.random.default_rng(0)
        self.in_dim, self._n_experts = int(in_dim), int(n_experts)
        self.weight = Parameter(normal_init(rng, (in_dim, n_experts), 1.0 / math.sqrt(in_dim), dtype),
                                name="router")
        self.top_k: int | None = None
        self.set_top_k(top_k)
        self.temperature = float(temperature)
        self.inference_temperature = float(inference_temperature)
        self.set_temperature(temperature)

    @property
    def num_experts(self) -> int:
        return self._n_experts

    def set_top_k(self, k: int | None) -> None:
        if k is not None and not 1 <= k <= self._n_experts:
            raise ValueError(f"top_k must be in [1, {self._n_experts}], got {k}")
        self.top_k = k

    def set_temperature(self, temperature: float) -> None:
        if not temperature > 0:
            raise ValueError(f"temperature must be > 0, got {temperature}")
        self.temperature = float(temperature)

    def current_temperature(self) -> float:
        return self.temperature if self.training else self.inference_temperature

    def forward(self, x: Any) -> Tensor:
        """(..., in_dim) -> (..., n_experts) routing weights summing to 1."""
        x = x if isinstance(x, Tensor) else Tensor(x, dtype=self.weight.dtype)
        logits = x @ self.weight
        probs = F.softmax(logits * (1.0 / self.current_temperature()))
        if self.top_k is not None and self.top_k < self._n_experts:
            probs = top_k_renormalise(probs, self.top_k)
        return probs

    __call__ = forward

    def selected(self, x: Any) -> np.ndarray:
        """Boolean (..., n_experts): which experts receive a non-zero weight."""
        return self.forward(x).data > 0

    def example_input(self, rng: np.random.Generator) -> np.ndarray:
        return rng.standard_normal((4, self.in_dim)).astype(self.weight.dtype)
