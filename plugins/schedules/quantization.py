"""Schedule plugin ``quantization``: the learnable bit-width schedule and STE fake-quant.

Registers :class:`~simplex_training.schedules.quantization.LearnableQuantization`
(``"quantization"``): ``b(t) = 16 - (16 - b_f)(1 - e^{-rt})``, fake quantisation on [-1, 1] with
``2^b - 1`` levels and a straight-through slope. Entry point ``schedules.quantization``.
"""

from __future__ import annotations

from simplex_training.schedules.quantization import LearnableQuantization
from simplex_training.hookspecs import hookimpl
from simplex_training.registry import Register

__all__ = ["plugin"]


class _QuantizationPlugin:
    def __repr__(self) -> str:
        return "QuantizationPlugin()"

    @hookimpl
    def register_schedules(self, register: Register) -> None:
        register(LearnableQuantization)


plugin = _QuantizationPlugin()
