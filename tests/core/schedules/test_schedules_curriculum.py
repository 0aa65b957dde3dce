"""Competence curriculum: pacing formula, derivatives, difficulty ordering, sampling."""

import math

import numpy as np
import pytest

from simplex_training.data import TrainingExample
from simplex_training.schedules.curriculum import CompetenceCurriculum, CurriculumSampler, difficulty_score


def test_competence_formula_and_derivatives():
    c = CompetenceCurriculum(initial_competence=0.2, curriculum_steps=100.0)
    for t in (0, 10, 50, 99, 100, 1000):
        assert c.value(t) == pytest.approx(min(1.0, math.sqrt(t * (1 - 0.04) / 100 + 0.04)))
    d = c.dual_value(30, space="params")
    for i, name in enumerate(("initial_competence", "curriculum_steps")):
        p = c.params()
        h = 1e-6 * p[name]
        up = CompetenceCurriculum(**{**p, name: p[name] + h}).value(30)
        down = CompetenceCurriculum(**{**p, name: p[name] - h}).value(30)
        assert d.der[i] == pytest.approx((up - down) / (2 * h), rel=1e-6)
    assert np.all(c.dual_value(500).der == 0)  # c = 1: constant


def test_difficulty_scores_from_metadata_then_length():
    ex = [TrainingExample(prompt="p" * 50, response="r", metadata={"difficulty": "easy"}),
          {"prompt": "p", "response": "r", "metadata": {"difficulty": "hard"}},
          {"prompt": "p", "response": "rr", "metadata": {"difficulty": 1.5}},
          "plain text of some length"]
    assert [difficulty_score(e) for e in ex] == [(0.0, 51.0), (2.0, 2.0), (1.5, 3.0), (0.0, 25.0)]


def test_sampler_orders_by_difficulty_and_grows_the_pool():
    rng = np.random.default_rng(0)
    levels = rng.choice(["easy", "medium", "hard"], size=40)
    ex = [{"prompt": "x" * int(rng.integers(1, 30)), "response": "y", "metadata": {"difficulty": str(lv)}}
          for lv in levels]
    c = CompetenceCurriculum(initial_competence=0.25, curriculum_steps=100.0)
    s = CurriculumSampler(ex, c, seed=1)
    keys = [difficulty_score(ex[i]) for i in s.order]
    assert keys == sorted(keys)
    assert len(s.available_indices(0)) == 10 and len(s.available_indices(100)) == 40
    sizes = [len(s.available_indices(t)) for t in range(0, 120, 10)]
    assert sizes == sorted(sizes)
    early = s.sample(0, 8)
    assert set(early) <= set(s.available_indices(0)) and len(set(early)) == 8
    assert all(ex[i]["metadata"]["difficulty"] == "easy" for i in s.available_indices(0)[:5])
    assert np.array_equal(s.sample(3, 8), CurriculumSampler(ex, c, seed=1).sample(3, 8))
    assert len(s.batch(200, 64)) == 64  # larger than the data: with replacement


def test_explicit_difficulties_and_errors():
    s = CurriculumSampler(["a", "b", "c"], CompetenceCurriculum(initial_competence=0.3), difficulties=[3, 1, 2])
    assert s.order.tolist() == [1, 2, 0] and s.available_indices(0).tolist() == [1]
    with pytest.raises(ValueError):
        CurriculumSampler([])
    with pytest.raises(ValueError):
        CurriculumSampler(["a"], difficulties=[1, 2])
