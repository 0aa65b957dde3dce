"""LearnableDistillation: seed formulas, loss value, dual derivatives vs finite differences."""

import math

import numpy as np
import pytest

from simplex_training.engine import Tensor
from simplex_training.schedules.distill import DISTILL_SPECS, LearnableDistillation

NAMES = [s.name for s in DISTILL_SPECS]


def _data(seed=0, b=4, c=5):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(b, c)) * 2, rng.normal(size=(b, c)) * 3, rng.integers(0, c, size=b)


def _reference_loss(zs, zt, y, T, a):
    def softmax(z):
        e = np.exp(z - z.max(-1, keepdims=True))
        return e / e.sum(-1, keepdims=True)
    pt, ps = softmax(zt / T), softmax(zs / T)
    kl = np.where(pt > 1e-10, pt * (np.log(np.maximum(pt, 1e-300)) - np.log(ps)), 0.0).sum(-1).mean()
    ce = -np.log(softmax(zs)[np.arange(len(y)), y]).mean()
    return a * T * T * kl + (1 - a) * ce


def test_defaults_and_schedules_match_the_seed():
    d = LearnableDistillation()
    assert d.params() == pytest.approx(dict(initial_temp=4.0, temp_decay=1e-4, alpha_start=0.7, alpha_decay=1e-4))
    for t in (0, 10, 1000, 20000):
        assert d.temperature(t) == pytest.approx(max(4.0 * math.exp(-1e-4 * t), 1.0))
        assert d.value(t) == d.temperature(t)
        assert d.alpha(t) == pytest.approx(0.7 * math.exp(-1e-4 * t))
    assert d.temperature(50000) == 1.0  # the floor T_min = 1


@pytest.mark.parametrize("t", [0, 500, 30000])
def test_loss_value_matches_the_formula(t):
    zs, zt, y = _data()
    d = LearnableDistillation()
    ref = _reference_loss(zs, zt, y, d.temperature(t), d.alpha(t))
    assert d.loss_value(zs, zt, y, t) == pytest.approx(ref, rel=1e-12)
    assert d.loss_value(zs[0], zt[0], y[:1], t) == pytest.approx(_reference_loss(zs[:1], zt[:1], y[:1],
                                                                               d.temperature(t), d.alpha(t)))


@pytest.mark.parametrize("space", ["params", "u"])
def test_loss_derivatives_equal_finite_differences(space):
    zs, zt, y = _data(1)
    d = LearnableDistillation(initial_temp=3.0, temp_decay=2e-4, alpha_start=0.6, alpha_decay=3e-4)
    t = 1500
    dual = d.dual_loss(zs, zt, y, t, space=space)
    assert dual.val == pytest.approx(d.loss_value(zs, zt, y, t))
    for i, name in enumerate(NAMES):
        if space == "u":
            h = 1e-6
            vals = []
            for s in (1, -1):
                c = LearnableDistillation()
                c.u = d.u.copy()
                c.u[i] += s * h
                vals.append(c.loss_value(zs, zt, y, t))
        else:
            v = d.params()[name]
            h = 1e-6 * v
            vals = [LearnableDistillation(**{**d.params(), name: v + s * h}).loss_value(zs, zt, y, t) for s in (1, -1)]
        fd = (vals[0] - vals[1]) / (2 * h)
        assert dual.der[i] == pytest.approx(fd, rel=1e-5, abs=1e-10), name
    assert dual.der[0] != 0.0  # dloss/dT0 is real (teacher side included)


def test_temperature_derivative_is_zero_on_the_floor():
    d = LearnableDistillation(initial_temp=2.0, temp_decay=0.1)
    assert d.dual_value(100).val == 1.0 and np.all(d.dual_value(100).der == 0)


def test_engine_tensor_loss_matches_and_backpropagates():
    zs, zt, y = _data(2)
    d = LearnableDistillation()
    x = Tensor(zs.copy(), requires_grad=True)
    loss = d.loss(x, zt, y, 700)
    assert loss.item() == pytest.approx(d.loss_value(zs, zt, y, 700), rel=1e-10)
    loss.backward()
    eps, i, j = 1e-6, 1, 2
    up, down = zs.copy(), zs.copy()
    up[i, j] += eps
    down[i, j] -= eps
    fd = (d.loss_value(up, zt, y, 700) - d.loss_value(down, zt, y, 700)) / (2 * eps)
    assert x.grad[i, j] == pytest.approx(fd, rel=1e-6)


def test_bounds_hold_under_adversarial_updates():
    d = LearnableDistillation()
    for g in (np.full(4, 1e9), np.full(4, -1e9), np.full(4, np.nan)):
        for _ in range(5):
            d.meta_update(g, lr=100.0, clip=None)
        p = d.params()
        assert 1.0 <= p["initial_temp"] <= 20.0 + 1e-9 and 0.0 < p["alpha_start"] < 1.0
        assert p["temp_decay"] > 0 and p["alpha_decay"] > 0
