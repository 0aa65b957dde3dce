"""``LearnableQuantization``: bit-width schedule and fake quantisation with a straight-through slope.

Formulas (``../shared/reference/original-system.md`` §2.3, ``LearnableQuantization``)::

    b(t)   = b0 - (b0 - b_f)(1 - e^{-r t})      b0 = 16 (a constant); 16 - 12 (1 - e^{-r t}) for b_f = 4
    L      = 2^b - 1                              (fractional bits allowed)
    x'     = clamp(x, -1, 1)
    q      = round((x' + 1) / 2 · L)               (halves round up)
    out    = q / L · 2 - 1
    d out / dx = ste_slope inside [-1, 1], 0 outside    (straight-through estimator)

Seed defaults: b_f = 4, r = 1e-4, noise_scale = 0.1, ste_slope = 1.0; clamps b_f in [2, 16],
noise >= 0, ste_slope >= 0.1. (Bengio, Léonard & Courville 2013, arXiv:1308.3432, for the STE.)

Changes versus the original: r is ``log``-parameterised (the original left it unclamped and its fake
meta-gradient drove it negative, §9), noise_scale is ``log`` in [1e-9, 10], ste_slope ``log`` in
[0.1, 10]; and :meth:`LearnableQuantization.qat_noise` draws real uniform noise of
``noise_scale`` quantisation steps from a caller's generator (the original added the constant
``0.5 · noise_scale · 2/(2^b - 1)``: a bias, not noise). :meth:`fake_quant_tensor` is the
fake-quant as an engine op whose backward is the STE.
"""

from __future__ import annotations

import math

from collections.abc import Mapping
from typing import Any

import numpy as np

from simplex_training.dual.scalar import expm1
from simplex_training.engine.tensor import Tensor, accumulate, make_output
from simplex_training.schedules.base import DualOrFloat, LearnableSchedule, ParamSpec

__all__ = ["LearnableQuantization", "QUANT_SPECS", "fake_quant"]

QUANT_SPECS: tuple[ParamSpec, ...] = (
    ParamSpec("final_bits", 4.0, "id", 2.0, 16.0),
    ParamSpec("quant_rate", 1e-4, "log", 1e-12, 1.0),
    ParamSpec("noise_scale", 0.1, "log", 1e-9, 10.0),
    ParamSpec("ste_slope", 1.0, "log", 0.1, 10.0),
)


def fake_quant(x: Any, bits: float) -> np.ndarray:
    """Fake-quantise onto ``2^bits - 1`` levels of [-1, 1] (values outside are clamped)."""
    levels = 2.0 ** float(bits) - 1.0
    xc = np.clip(np.asarray(x, dtype=np.float64), -1.0, 1.0)
    q = np.floor((xc + 1.0) * 0.5 * levels + 0.5)  # round half up (scaled value >= 0), not half-to-even
    return q / levels * 2.0 - 1.0


class LearnableQuantization(LearnableSchedule):
    """Bit width ``b(t)`` (:meth:`value`), fake quantisation with STE, QAT noise."""

    name = "quantization"
    specs = QUANT_SPECS

    def __init__(self, bounds: Mapping[str, tuple[float, float]] | None = None, initial_bits: float = 16.0,
                 **values: float) -> None:
        super().__init__(bounds, **values)
        if not (math.isfinite(initial_bits) and initial_bits > 0):
            raise ValueError(f"initial_bits must be finite and > 0, got {initial_bits}")
        self.initial_bits = float(initial_bits)

    def formula(self, t: float, p: Mapping[str, DualOrFloat]) -> DualOrFloat:
        b0 = self.initial_bits
        return b0 - (b0 - p["final_bits"]) * (-expm1(-(p["quant_rate"] * t)))

    def bits(self, step: float) -> float:
        return self.value(step)

    def step_size(self, step: float) -> float:
        """The quantisation step ``2 / (2^b - 1)`` at ``step``."""
        return 2.0 / (2.0 ** self.bits(step) - 1.0)

    def quantize(self, x: Any, step: float) -> np.ndarray:
        return fake_quant(x, self.bits(step))

    def ste_grad(self, x: Any, upstream: Any | None = None) -> np.ndarray:
        """The STE derivative ``d out/dx``: ``ste_slope`` inside [-1, 1], 0 outside (times ``upstream``)."""
        x = np.asarray(x, dtype=np.float64)
        inside = (np.abs(x) <= 1.0).astype(np.float64) * self.params()["ste_slope"]
        return inside if upstream is None else inside * np.asarray(upstream, dtype=np.float64)

    def qat_noise(self, x: Any, step: float, rng: np.random.Generator) -> np.ndarray:
        """``x + noise_scale · step_size · U(-1/2, 1/2)`` (fresh noise from ``rng``)."""
        x = np.asarray(x, dtype=np.float64)
        scale = self.params()["noise_scale"] * self.step_size(step)
        return x + scale * rng.uniform(-0.5, 0.5, size=x.shape)

    def fake_quant_tensor(self, x: Tensor, step: float) -> Tensor:
        """Fake-quantise an engine Tensor; its backward is the STE (slope inside [-1, 1])."""
        out_data = fake_quant(x.data, self.bits(step)).astype(x.dtype)
        slope = self.ste_grad(x.data).astype(x.dtype)

        def _backward(g: np.ndarray) -> None:
            accumulate(x, g * slope, fresh=True)

        return make_output(out_data, (x,), _backward, "fake_quant")

    def extra_state(self) -> dict[str, Any]:
        return {"initial_bits": self.initial_bits}

    def load_extra_state(self, state: Mapping[str, Any]) -> None:
        self.initial_bits = float(state.get("initial_bits", 16.0))
