"""Schedule plugin ``pruning``: the learnable sparsity schedule and importance masks.

Registers :class:`~simplex_training.schedules.pruning.LearnablePruning` (``"pruning"``):
``s(t) = s_f (1 - e^{-rt})``, importance ``a|w| + b|g|``, soft mask ``sigmoid(10 (score - thr))`` and
a hard mask that keeps ties at the threshold. Entry point ``schedules.pruning``.
"""

from __future__ import annotations

from simplex_training.schedules.pruning import LearnablePruning
from simplex_training.hookspecs import hookimpl
from simplex_training.registry import Register

__all__ = ["plugin"]


class _PruningPlugin:
    def __repr__(self) -> str:
        return "PruningPlugin()"

    @hookimpl
    def register_schedules(self, register: Register) -> None:
        register(LearnablePruning)


plugin = _PruningPlugin()
