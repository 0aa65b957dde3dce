"""Learnable schedules whose parameters get real meta-gradients (hypergradients via dual numbers).

Modules: :mod:`.base` (``LearnableSchedule``, ``ParamSpec``), :mod:`.lr` (``LearnableLR``),
:mod:`.hypergradient` (``HypergradientController``), :mod:`.distill` (``LearnableDistillation``),
:mod:`.pruning` (``LearnablePruning``), :mod:`.quantization` (``LearnableQuantization``),
:mod:`.curriculum` (``CompetenceCurriculum``, ``CurriculumSampler``), :mod:`.problems` (small
deterministic problems). Formulas, derivations and the fixes versus the original: ``docs/schedules.md``.
"""

from simplex_training.schedules.base import LearnableSchedule, ParamSpec
from simplex_training.schedules.curriculum import CompetenceCurriculum, CurriculumSampler, difficulty_score
from simplex_training.schedules.distill import LearnableDistillation
from simplex_training.schedules.hypergradient import HypergradientController
from simplex_training.schedules.lr import LearnableLR, seed_lr
from simplex_training.schedules.pruning import LearnablePruning
from simplex_training.schedules.quantization import LearnableQuantization, fake_quant

__all__ = ["LearnableSchedule", "ParamSpec", "LearnableLR", "seed_lr", "HypergradientController",
           "LearnableDistillation", "LearnablePruning", "LearnableQuantization", "fake_quant",
           "CompetenceCurriculum", "CurriculumSampler", "difficulty_score"]
