"""Schedule plugin ``learnable_lr``: the learnable learning rate (``"learned"``).

Registers :class:`~simplex_training.schedules.lr.LearnableLR` (seed formula: warmup, exponential
decay, oscillation, plateau boost, ``lr_min`` floor). A loop learns its parameters online with
:class:`~simplex_training.schedules.hypergradient.HypergradientController` (real hypergradients,
``docs/schedules.md``). Entry point ``schedules.learnable_lr``.
"""

from __future__ import annotations

from simplex_training.schedules.lr import LearnableLR
from simplex_training.hookspecs import hookimpl
from simplex_training.registry import Register

__all__ = ["plugin"]


class _LearnableLRPlugin:
    def __repr__(self) -> str:
        return "LearnableLRPlugin()"

    @hookimpl
    def register_schedules(self, register: Register) -> None:
        register(LearnableLR)


plugin = _LearnableLRPlugin()
