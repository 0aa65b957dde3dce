"""Self-learning annealing: learnable temperature schedules with real meta-gradients.

Modules: :mod:`.schedule` (``LearnableSchedule``), :mod:`.episode` (``run_episode``),
:mod:`.meta` (``MetaOptimizer``, ``AnnealConfig``, ``self_learn_anneal``), :mod:`.fixed` (fixed
schedules, ``simple_anneal``), :mod:`.problems` (TSP, Rastrigin). See ``docs/self-learning.md``.
"""

from simplex_training.anneal import fixed
from simplex_training.anneal.episode import BudgetResult, EpisodeResult, run_budget, run_episode
from simplex_training.anneal.fixed import AnnealResult, simple_anneal
from simplex_training.anneal.meta import (AnnealConfig, MetaLoss, MetaOptimizer, SelfLearnResult,
                                          meta_loss, self_learn_anneal)
from simplex_training.anneal.problems import TSP, Rastrigin, tsp_brute_force
from simplex_training.anneal.schedule import MIN_TEMP, PARAMS, LearnableSchedule

__all__ = ["LearnableSchedule", "PARAMS", "MIN_TEMP", "run_episode", "EpisodeResult", "run_budget", "BudgetResult", "AnnealConfig",
           "MetaLoss", "MetaOptimizer", "SelfLearnResult", "meta_loss", "self_learn_anneal", "fixed",
           "simple_anneal", "AnnealResult", "TSP", "Rastrigin", "tsp_brute_force"]
