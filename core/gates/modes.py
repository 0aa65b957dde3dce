"""Gate modes and the dual-mode threshold gate (soft in training, hard in inference).

Scope
-----
``GateMode``            which of the three behaviours a gate uses:
                        training (soft sigmoid), inference (hard step), hybrid (straight-through).
``DualGate``            y = gate(x; threshold, temperature) with a learnable threshold and a
                        learnable, log-parameterised, clamped temperature that ``forward`` USES.
``StraightThroughGate`` fixed-threshold step with the identity gradient (Bengio et al. 2013).

Mode switching follows :class:`~simplex_training.model.module.Module`: ``eval()`` is inference
(hard ``1[x >= thr]``, no gradient, deterministic); ``train()`` restores the soft behaviour, or
the straight-through one when the gate was put in hybrid mode. ``set_mode(GateMode.inference())``
is the same as ``eval()``.

Fix versus the original (``neural/gate.sx``): there the mode carried its own temperature and the
learnable ``temperature`` field was never read by ``forward``; here there is a single temperature,
the Parameter, and ``GateMode.training(T)`` / ``GateMode.hybrid(T)`` simply set it to ``T``.
References: Bengio, Léonard & Courville 2013 (straight-through estimator).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F
from simplex_training.gates.ops import clamp, hard_gate, soft_gate, ste_identity, straight_through
from simplex_training.model.module import Module

__all__ = ["GateKind", "GateMode", "DualGate", "StraightThroughGate", "log_clamped_exp"]


class GateKind(str, Enum):
    TRAINING = "training"
    INFERENCE = "inference"
    HYBRID = "hybrid"


@dataclass(frozen=True)
class GateMode:
    """A gate behaviour; ``temperature`` (training/hybrid only) overrides the gate's temperature."""

    kind: GateKind = GateKind.TRAINING
    temperature: float | None = None

    @classmethod
    def training(cls, temperature: float | None = None) -> GateMode:
        return cls(GateKind.TRAINING, temperature)

    @classmethod
    def inference(cls) -> GateMode:
        return cls(GateKind.INFERENCE, None)

    @classmethod
    def hybrid(cls, temperature: float | None = None) -> GateMode:
        return cls(GateKind.HYBRID, temperature)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", GateKind(self.kind))
        if self.kind is GateKind.INFERENCE and self.temperature is not None:
            raise ValueError("inference mode has no temperature")
        if self.temperature is not None and not self.temperature > 0:
            raise ValueError(f"temperature must be > 0, got {self.temperature}")


def log_clamped_exp(log_value: Tensor, lo: float, hi: float) -> Tensor:
    """exp(clamp(log_value, log lo, log hi)): a positive value kept in [lo, hi]."""
    return F.exp(clamp(log_value, math.log(lo), math.log(hi)))


class DualGate(Module):
    """Threshold gate: sigmoid((x - theta)/T) in training, 1[x >= theta] in inference.

    :param threshold: initial theta (a float, or an array for per-feature thresholds).
    :param temperature: initial T; stored as log T and clamped to [min_temperature, max_temperature].
    :param learn_threshold: / learn_temperature: freeze the corresponding Parameter when False.
    :param mode: initial mode (default training).
    """

    name = "dual_gate"
    hard_in_eval = True

    def __init__(self, threshold: float | np.ndarray = 0.0, temperature: float = 1.0, *,
                 min_temperature: float = 0.01, max_temperature: float = 100.0,
                 learn_threshold: bool = True, learn_temperature: bool = True,
                 mode: GateMode | None = None, dtype: Any = np.float32) -> None:
        if not 0 < min_temperature <= max_temperature:
            raise ValueError(f"need 0 < min_temperature <= max_temperature, got {min_temperature}, {max_temperature}")
        self.min_temperature, self.max_temperature = float(min_temperature), float(max_temperature)
        self.threshold = Parameter(np.array(threshold, dtype=dtype), requires_grad=learn_threshold,
                                   name="threshold")
        self.log_temperature = Parameter(np.array(0.0, dtype=dtype), requires_grad=learn_temperature,
                                         name="log_temperature")
        self.set_temperature(temperature)
        self._soft_kind = GateKind.TRAINING
        if mode is not None:
            self.set_mode(mode)

    # ------------------------------------------------------------------ mode
    @property
    def mode(self) -> GateMode:
        if not self.training:
            return GateMode.inference()
        return GateMode(self._soft_kind, self.temperature_value)

    def set_mode(self, mode: GateMode) -> DualGate:
        if mode.kind is GateKind.INFERENCE:
            self.eval()
            return self
        self._soft_kind = mode.kind
        if mode.temperature is not None:
            self.set_temperature(mode.temperature)
        self.train()
        return self

    # ------------------------------------------------------------------ parameters
    def set_threshold(self, value: float | np.ndarray) -> None:
        self.threshold.data[...] = value

    def set_temperature(self, value: float) -> None:
        if not value > 0:
            raise ValueError(f"temperature must be > 0, got {value}")
        v = min(max(float(value), self.min_temperature), self.max_temperature)
        self.log_temperature.data[...] = math.log(v)

    @property
    def temperature_value(self) -> float:
        return float(np.clip(np.exp(self.log_temperature.data), self.min_temperature, self.max_temperature))

    def temperature(self) -> Tensor:
        """The temperature as a differentiable Tensor (what ``forward`` divides by)."""
        return log_clamped_exp(self.log_temperature, self.min_temperature, self.max_temperature)

    # ------------------------------------------------------------------ forward
    def forward(self, x: Any) -> Tensor:
        x = x if isinstance(x, Tensor) else Tensor(x, dtype=self.threshold.dtype)
        if not self.training:
            return hard_gate(x, self.threshold)
        if self._soft_kind is GateKind.HYBRID:
            return straight_through(x, self.threshold, self.temperature())
        return soft_gate(x, self.threshold, self.temperature())

    __call__ = forward

    def example_input(self, rng: np.random.Generator) -> np.ndarray:
        return rng.standard_normal((4, 8)).astype(self.threshold.dtype)


class StraightThroughGate(Module):
    """Hard step ``high if x >= threshold else low`` whose gradient is the identity in training.

    In eval mode the same values are returned as a constant (no gradient).
    """

    name = "straight_through"
    hard_in_eval = True

    def __init__(self, threshold: float = 0.5, low: float = 0.0, high: float = 1.0) -> None:
        self.threshold, self.low, self.high = float(threshold), float(low), float(high)

    def forward(self, x: Any) -> Tensor:
        x = x if isinstance(x, Tensor) else Tensor(x)
        if not self.training:
            return Tensor(np.where(x.data >= self.threshold, self.high, self.low).astype(x.dtype))
        return ste_identity(x, self.threshold, self.low, self.high)

    __call__ = forward

    def example_input(self, rng: np.random.Generator) -> np.ndarray:
        return rng.random((4, 8)).astype(np.float32)
