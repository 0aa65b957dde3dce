"""Schedule plugin ``distillation``: the learnable knowledge-distillation schedule.

Registers :class:`~simplex_training.schedules.distill.LearnableDistillation` (``"distillation"``):
``T(t) = max(T0 e^{-kt}, 1)``, ``alpha(t) = alpha0 e^{-k_a t}`` and the ``T^2``-scaled KL + hard CE
loss with dual-number derivatives w.r.t. its parameters. Entry point ``schedules.distillation``.
"""

from __future__ import annotations

from simplex_training.schedules.distill import LearnableDistillation
from simplex_training.hookspecs import hookimpl
from simplex_training.registry import Register

__all__ = ["plugin"]


class _DistillationPlugin:
    def __repr__(self) -> str:
        return "DistillationPlugin()"

    @hookimpl
    def register_schedules(self, register: Register) -> None:
        register(LearnableDistillation)


plugin = _DistillationPlugin()
