"""Episodes: the stop condition fires, evaluations are counted, runs are deterministic; fixed
schedules and Metropolis annealing."""

import math

import numpy as np
import pytest

from simplex_training.anneal import LearnableSchedule, Rastrigin, fixed, run_budget, run_episode, simple_anneal


def flat(_x):
    return 3.0


def walk(x, rng):
    return x + rng.standard_normal()


@pytest.mark.parametrize("patience", [0, 10, 200])
def test_stop_fires_on_a_flat_objective(patience):
    r = run_episode(LearnableSchedule(), flat, 0.0, walk, 10_000, np.random.default_rng(0), patience=patience)
    assert r.stopped and r.steps == patience + 1 and r.evaluations == patience + 2
    # reheat is at its maximum by then, yet it did not reset the stagnation counter
    assert LearnableSchedule().reheat(patience + 1) > LearnableSchedule().reheat(0)


def test_stop_waits_for_stagnation_and_can_be_disabled():
    calls = []

    def improving(x):
        calls.append(x)
        return -float(len(calls))  # every proposal is a new best

    r = run_episode(LearnableSchedule(initial_temp=0.01), improving, 0.0, walk, 300, np.random.default_rng(0), patience=5)
    assert not r.stopped and r.steps == 300 and len(calls) == 301
    r = run_episode(LearnableSchedule(), flat, 0.0, walk, 300, np.random.default_rng(0), patience=None)
    assert not r.stopped and r.steps == 300


def test_episode_is_deterministic_and_float_mode_matches_dual_mode():
    prob = Rastrigin(4)
    x0 = prob.initial(np.random.default_rng(1))
    a = run_episode(LearnableSchedule(), prob.energy, x0, prob.neighbor, 400, np.random.default_rng(9), patience=100)
    b = run_episode(LearnableSchedule(), prob.energy, x0, prob.neighbor, 400, np.random.default_rng(9), patience=100,
                    differentiate=False)
    assert a.best_energy == b.best_energy and a.steps == b.steps and a.accepted == b.accepted
    assert a.soft_best.val == pytest.approx(b.soft_best) and a.soft_mean.val == pytest.approx(b.soft_mean)
    np.testing.assert_allclose(a.temperatures.value, b.temperatures)
    assert a.best_energy <= a.initial_energy and np.all(np.diff(a.best_curve) <= 0)
    assert a.temperatures.shape == (100,) and a.temperatures.tangent.shape == (9, 100)


def test_run_budget_spends_exactly_the_budget_with_restarts():
    prob = Rastrigin(3)
    x0 = prob.initial(np.random.default_rng(2))
    r = run_budget(LearnableSchedule(), prob.energy, x0, prob.neighbor, 1234, np.random.default_rng(0), patience=40)
    assert r.evaluations == 1234 and r.episodes > 1 and len(r.best_curve) == 1234
    assert r.best_energy == pytest.approx(prob.energy(r.best_state)) and r.best_curve[-1] == r.best_energy
    with pytest.raises(ValueError):
        run_budget(LearnableSchedule(), prob.energy, x0, prob.neighbor, 1, np.random.default_rng(0))


@pytest.mark.parametrize("name,sched,t,expected", [
    ("exponential", fixed.exponential(2.0, 0.05), 10, 2.0 * math.exp(-0.5)),
    ("linear", fixed.linear(1.0, 0.1, 100), 50, 0.55),
    ("linear_end", fixed.linear(1.0, 0.1, 100), 500, 0.1),
    ("logarithmic", fixed.logarithmic(3.0), 5, 3.0 / math.log(7.0)),
    ("cosine_start", fixed.cosine(1.0, 0.0, 100), 0, 1.0),
    ("cosine_mid", fixed.cosine(1.0, 0.0, 100), 50, 0.5),
    ("cosine_end", fixed.cosine(1.0, 0.1, 100), 100, 0.1),
])
def test_fixed_schedules(name, sched, t, expected):
    assert sched(t) == pytest.approx(expected)


def test_simple_anneal_is_metropolis_and_counts_evaluations():
    prob = Rastrigin(2)
    x0 = np.array([3.0, -3.0])
    r = simple_anneal(prob.energy, x0, prob.neighbor, 500, np.random.default_rng(0))
    assert r.evaluations == 501 and r.best_energy < prob.energy(x0)
    cold = simple_anneal(prob.energy, x0, prob.neighbor, 300, np.random.default_rng(0), schedule=lambda t: 1e-9)
    assert np.all(np.diff(cold.best_curve) <= 0)
    hot = simple_anneal(flat, 0.0, walk, 100, np.random.default_rng(0))
    assert hot.accepted == 100  # dE = 0 is always accepted (U < e^0)
