"""Schedule plugin ``curriculum``: competence-based curriculum pacing (``"curriculum"``).

Registers :class:`~simplex_training.schedules.curriculum.CompetenceCurriculum`
(``c(t) = min(1, sqrt(t (1 - c0^2)/T + c0^2))``, learnable ``c0`` and ``T``); pair it with
:class:`~simplex_training.schedules.curriculum.CurriculumSampler` to draw batches from the easiest
``ceil(c(t) n)`` examples (``metadata["difficulty"]``, then length). Entry point
``schedules.curriculum``.
"""

from __future__ import annotations

from simplex_training.schedules.curriculum import CompetenceCurriculum
from simplex_training.hookspecs import hookimpl
from simplex_training.registry import Register

__all__ = ["plugin"]


class _CurriculumPlugin:
    def __repr__(self) -> str:
        return "CurriculumPlugin()"

    @hookimpl
    def register_schedules(self, register: Register) -> None:
        register(CompetenceCurriculum)


plugin = _CurriculumPlugin()
