"""LearnablePruning: sparsity schedule, importance, masks (ties kept), dual derivatives."""

import math

import numpy as np
import pytest

from simplex_training.schedules.pruning import PRUNE_SPECS, LearnablePruning


def test_defaults_and_target_sparsity_match_the_seed():
    p = LearnablePruning()
    assert p.params() == pytest.approx(dict(final_sparsity=0.5, pruning_rate=1e-4, magnitude_weight=1.0,
                                            gradient_weight=0.1))
    for t in (0, 100, 10000, 10**6):
        assert p.target_sparsity(t) == pytest.approx(0.5 * (1 - math.exp(-1e-4 * t)))
    assert not p.should_recover(0.1) and p.should_recover(0.11)


def test_importance_and_threshold_index():
    p = LearnablePruning()
    w, g = np.array([1.0, -2.0, 0.5]), np.array([10.0, 0.0, -1.0])
    assert p.importance(w, g) == pytest.approx([2.0, 2.0, 0.6])
    assert LearnablePruning.threshold_index(0.0, 10) == 0
    assert LearnablePruning.threshold_index(0.55, 10) == 5
    assert LearnablePruning.threshold_index(1.0, 10) == 9


def test_hard_mask_keeps_ties_and_prunes_at_most_floor_s_n():
    p = LearnablePruning(final_sparsity=0.5, pruning_rate=1.0)  # s(t) ~ 0.5 for large t
    w = np.array([0.1, 0.2, 0.2, 0.2, 0.2, 0.9, 1.0, 0.3])  # ties at the threshold value 0.2
    g = np.zeros_like(w)
    mask = p.hard_mask(w, g, 100)
    # floor(0.5 * 8) = 4 -> thr = sorted[4] = 0.2; the original's strict '>' pruned all four 0.2s
    assert mask.tolist() == [0, 1, 1, 1, 1, 1, 1, 1]
    assert p.sparsity_of(mask) <= p.target_sparsity(100)
    assert (w > 0.2).sum() == 3  # what a strict '>' would have kept


def test_hard_mask_without_ties_reaches_the_target_and_prunes_nothing_at_zero():
    rng = np.random.default_rng(0)
    w, g = rng.normal(size=(20, 10)), rng.normal(size=(20, 10))
    p = LearnablePruning(final_sparsity=0.3, pruning_rate=1.0)
    mask = p.hard_mask(w, g, 1000)
    assert mask.shape == w.shape and mask.sum() == 200 - 60
    assert LearnablePruning().hard_mask(w, g, 0).all()  # s(0) = 0: nothing pruned (the seed pruned one)
    assert np.array_equal(p.apply(w, g, 1000), w * mask)


def test_soft_mask_is_sigmoid_of_ten_times_the_margin():
    rng = np.random.default_rng(1)
    w, g = rng.normal(size=30), rng.normal(size=30)
    p = LearnablePruning(final_sparsity=0.4, pruning_rate=0.01)
    scores = p.importance(w, g)
    thr = np.sort(scores)[int(math.floor(p.value(50) * 30))]
    assert p.soft_mask(w, g, 50) == pytest.approx(1 / (1 + np.exp(-10 * (scores - thr))))


def test_dual_soft_mask_derivatives_equal_finite_differences():
    rng = np.random.default_rng(2)
    w, g = rng.normal(size=12), rng.normal(size=12)
    p = LearnablePruning(final_sparsity=0.4, pruning_rate=0.01, magnitude_weight=0.8, gradient_weight=0.3)
    dual = p.dual_soft_mask(w, g, 50)
    assert dual.value == pytest.approx(p.soft_mask(w, g, 50))
    for i, spec in enumerate(PRUNE_SPECS[2:], start=2):  # a, b: through scores and threshold
        h = 1e-6
        vals = []
        for s in (1, -1):
            c = LearnablePruning(final_sparsity=0.4, pruning_rate=0.01)
            c.u = p.u.copy()
            c.u[i] += s * h
            vals.append(c.soft_mask(w, g, 50))
        assert dual.tangent[i] == pytest.approx((vals[0] - vals[1]) / (2 * h), rel=1e-5, abs=1e-9), spec.name
    d = p.dual_value(50)
    for i in (0, 1):
        c = LearnablePruning()
        c.u = p.u.copy()
        c.u[i] += 1e-6
        assert d.der[i] == pytest.approx((c.value(50) - p.value(50)) / 1e-6, rel=1e-4)


def test_rates_stay_valid_under_adversarial_updates():
    p = LearnablePruning()
    for g in (np.full(4, 1e12), np.full(4, -1e12), np.full(4, np.nan)):
        p.meta_update(g, lr=1e3, clip=None)
        v = p.params()
        assert 0 < v["final_sparsity"] <= 0.9 + 1e-12 and v["pruning_rate"] > 0
        assert v["magnitude_weight"] > 0 and v["gradient_weight"] > 0
