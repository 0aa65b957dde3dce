"""Benchmark problems and end-to-end self-learning annealing on them."""

import math

import numpy as np
import pytest

from simplex_training.anneal import TSP, AnnealConfig, LearnableSchedule, Rastrigin, self_learn_anneal, simple_anneal, tsp_brute_force
from simplex_training.anneal.problems import near_optimum


def test_tsp_energy_neighbor_and_known_optimum():
    p = TSP.circle(8)
    assert p.known_optimum == pytest.approx(16 * math.sin(math.pi / 8))
    assert tsp_brute_force(p) == pytest.approx(p.known_optimum)
    rng = np.random.default_rng(0)
    tour = p.initial(rng)
    for _ in range(20):
        new = p.neighbor(tour, rng)
        assert sorted(new) == list(range(8)) and not np.array_equal(new, tour)
        tour = new
    square = TSP(np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float))
    assert square.energy(np.array([0, 1, 2, 3])) == pytest.approx(4.0)
    assert square.energy(np.array([0, 2, 1, 3])) == pytest.approx(2 + 2 * math.sqrt(2))
    with pytest.raises(ValueError):
        tsp_brute_force(TSP.random(10, 0))


def test_annealing_finds_the_known_tsp_optimum():
    p = TSP.circle(10)
    r = simple_anneal(p.energy, p.initial(np.random.default_rng(1)), p.neighbor, 4000, np.random.default_rng(2),
                      schedule=lambda t: 0.5 * math.exp(-t / 500))
    assert near_optimum(r.best_energy, p.known_optimum, rel=1e-9)


def test_rastrigin():
    p = Rastrigin(4)
    assert p.energy(np.zeros(4)) == 0.0
    assert p.energy(np.array([1.0, 0, 0, 0])) == pytest.approx(1.0)
    x = p.neighbor(np.full(4, 5.1), np.random.default_rng(0))
    assert np.all(np.abs(x) <= 5.12)
    assert p.near_optimum(np.full(4, 0.2)) and not p.near_optimum(np.array([0, 0, 0, 0.9]))


def test_self_learn_anneal_improves_a_tsp_tour():
    p = TSP.random(20, seed=4)
    init = p.initial(np.random.default_rng(0))
    res = self_learn_anneal(p.energy, init, p.neighbor, AnnealConfig.quick(epochs=10, steps_per_epoch=600, convergence=200), seed=1)
    assert res.best_energy < 0.6 * p.energy(init)
    assert res.best_energy == pytest.approx(p.energy(res.best_state)) and sorted(res.best_state) == list(range(20))
    assert res.evaluations == sum(h["steps"] + 1 for h in res.history)
    assert len(res.history) == 10 and res.history[-1]["params"] == res.schedule.snapshot()
    assert res.schedule.snapshot() != pytest.approx(LearnableSchedule().snapshot())  # it learned something


def test_self_learn_anneal_reaches_the_rastrigin_optimum_neighbourhood():
    p = Rastrigin(2)
    init = np.array([4.2, -3.7])
    cfg = AnnealConfig.thorough(epochs=12, steps_per_epoch=1000, meta_lr=1e-2)
    res = self_learn_anneal(p.energy, init, p.neighbor, cfg, seed=0, warm_start=True)
    assert p.near_optimum(res.best_state) and res.best_energy < 0.5
