"""Competence-based curriculum: a learnable pacing function and a difficulty-ordered sampler.

Pacing (Platanios et al. 2019, "Competence-based Curriculum Learning for Neural Machine
Translation", NAACL, arXiv:1903.09848, square-root competence)::

    c(t) = min(1, sqrt(t (1 - c0^2) / T + c0^2))

is the fraction of the difficulty-sorted training data available at step ``t``: ``c(0) = c0`` and
``c(t) = 1`` from ``t = T`` on. ``c0`` is a ``sigmoid`` parameter in [1e-3, 0.999] and ``T`` is
``log``-parameterised in [1, 1e9] (so both stay valid under any meta step, see :mod:`.base`);
:meth:`CompetenceCurriculum.dual_value` carries ``dc/du`` for both.

:class:`CurriculumSampler` sorts examples by difficulty — ``metadata["difficulty"]`` when present
(numbers, or the generators' ``"easy" < "medium" < "hard"``), ties and missing values broken by
length (characters of prompt + response, or of the string) — and draws each step's batch uniformly
from the easiest ``ceil(c(t) n)`` examples, reproducibly from ``(seed, step)``.

The original had a curriculum only in an unused older copy (a per-domain mixing matrix and a linear
difficulty ramp) and never used the examples' difficulty metadata (§2.3, §9).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from simplex_training.dual.scalar import dmin, sqrt
from simplex_training.schedules.base import DualOrFloat, LearnableSchedule, ParamSpec

__all__ = ["CompetenceCurriculum", "CurriculumSampler", "CURRICULUM_SPECS", "difficulty_score", "LEVELS"]

LEVELS = {"easy": 0.0, "medium": 1.0, "hard": 2.0}
CURRICULUM_SPECS: tuple[ParamSpec, ...] = (
    ParamSpec("initial_competence", 0.1, "sigmoid", 1e-3, 0.999),
    ParamSpec("curriculum_steps", 1000.0, "log", 1.0, 1e9),
)


class CompetenceCurriculum(LearnableSchedule):
    """The competence ``c(t)`` (:meth:`value`): the fraction of sorted data available at ``t``."""

    name = "curriculum"
    specs = CURRICULUM_SPECS

    def formula(self, t: float, p: Mapping[str, DualOrFloat]) -> DualOrFloat:
        c0 = p["initial_competence"]
        inner = t * (1.0 - c0 * c0) / p["curriculum_steps"] + c0 * c0
        return dmin(sqrt(inner), 1.0)

    def available(self, step: float, n: int) -> int:
        """How many of ``n`` sorted examples are available at ``step`` (at least 1)."""
        return max(1, min(n, int(math.ceil(self.value(step) * n - 1e-12))))


def _length(example: Any) -> float:
    if isinstance(example, str):
        return float(len(example))
    if isinstance(example, Mapping):
        return float(len(str(example.get("prompt", ""))) + len(str(example.get("response", example.get("text", "")))))
    return float(len(str(getattr(example, "prompt", ""))) + len(str(getattr(example, "response", ""))))


def difficulty_score(example: Any) -> tuple[float, float]:
    """``(difficulty level, length)``; the level is ``-inf``-free: missing or unknown -> 0."""
    meta = example.get("metadata", {}) if isinstance(example, Mapping) else getattr(example, "metadata", {})
    raw = (meta or {}).get("difficulty")
    if isinstance(raw, str):
        level = LEVELS.get(raw.lower(), 0.0)
    elif isinstance(raw, (int, float)) and math.isfinite(raw):
        level = float(raw)
    else:
        level = 0.0
    return level, _length(example)


class CurriculumSampler:
    """Batches from the easiest ``ceil(c(t) n)`` examples.

    :param examples: TrainingExamples, dicts (``prompt``/``response``/``metadata``) or strings.
    :param schedule: the pacing function (default: :class:`CompetenceCurriculum` with its defaults).
    :param difficulties: explicit scores (one per example) instead of :func:`difficulty_score`.
    """

    def __init__(self, examples: Sequence[Any], schedule: CompetenceCurriculum | None = None,
                 difficulties: Sequence[float] | None = None, seed: int = 0) -> None:
        if not examples:
            raise ValueError("a curriculum needs at least one example")
        self.examples = list(examples)
        self.schedule = schedule if schedule is not None else CompetenceCurriculum()
        self.seed = int(seed)
        if difficulties is not None:
            if len(difficulties) != len(self.examples):
                raise ValueError("one difficulty per example is required")
            keys = [(float(d), 0.0) for d in difficulties]
        else:
            keys = [difficulty_score(e) for e in self.examples]
        self.scores = np.array([k[0] for k in keys])
        # stable: equal keys keep the data order
        self.order = np.array(sorted(range(len(keys)), key=lambda i: keys[i]), dtype=np.int64)

    def __len__(self) -> int:
        return len(self.examples)

    def available_indices(self, step: float) -> np.ndarray:
        """Indices (into ``examples``) of the examples available at ``step``, easiest first."""
        return self.order[: self.schedule.available(step, len(self.examples))]

    def sample(self, step: int, batch_size: int) -> np.ndarray:
        """``batch_size`` indices drawn uniformly from the available prefix (without replacement
        when it is large enough), a pure function of ``(seed, step)``."""
        pool = self.available_indices(step)
        rng = np.random.default_rng((self.seed, int(step)))
        return rng.choice(pool, size=batch_size, replace=batch_size > len(pool))

    def batch(self, step: int, batch_size: int) -> list[Any]:
        return [self.examples[i] for i in self.sample(step, batch_size)]
