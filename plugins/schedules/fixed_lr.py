"""Schedule plugin ``fixed_lr``: the fixed learning-rate schedules with linear warmup.

Registers :class:`~simplex_training.engine.lr_schedules.ConstantSchedule`, ``LinearSchedule`` and
``CosineSchedule`` under ``"constant"``, ``"linear"`` and ``"cosine"`` (each is built as
``cls(lr, total_steps=..., warmup_steps=..., min_lr=...)`` and called as ``schedule(step) -> lr``;
formulas in ``simplex_training.engine.lr_schedules``). Entry point ``schedules.fixed_lr``.
"""

from __future__ import annotations

from simplex_training.engine.lr_schedules import ConstantSchedule, CosineSchedule, LinearSchedule
from simplex_training.hookspecs import hookimpl
from simplex_training.registry import Register

__all__ = ["plugin"]


class _FixedLRPlugin:
    def __repr__(self) -> str:
        return "FixedLRPlugin()"

    @hookimpl
    def register_schedules(self, register: Register) -> None:
        register(ConstantSchedule)
        register(LinearSchedule)
        register(CosineSchedule)


plugin = _FixedLRPlugin()
