"""LearnableQuantization: bit schedule, fake quantisation, STE slope, QAT noise."""

import math

import numpy as np
import pytest

from simplex_training.engine import Tensor
from simplex_training.schedules.quantization import LearnableQuantization, fake_quant


def test_bits_schedule_matches_the_seed():
    q = LearnableQuantization()
    assert q.params() == pytest.approx(dict(final_bits=4.0, quant_rate=1e-4, noise_scale=0.1, ste_slope=1.0))
    for t in (0, 1000, 10**5, 10**7):
        assert q.bits(t) == pytest.approx(16 - 12 * (1 - math.exp(-1e-4 * t)))
    d = q.dual_value(5000, space="params")
    e = math.exp(-0.5)
    assert d.der[0] == pytest.approx(1 - e) and d.der[1] == pytest.approx(-12 * 5000 * e)


def test_fake_quant_levels_and_clamp():
    x = np.array([-3.0, -1.0, -0.34, 0.0, 0.3, 0.99, 1.0, 2.5])
    out = fake_quant(x, 2.0)  # 3 levels between -1 and 1: {-1, -1/3, 1/3, 1}
    assert out == pytest.approx([-1, -1, -1 / 3, 1 / 3, 1 / 3, 1, 1, 1])  # 0 -> 1.5 rounds half up
    levels = 2.0**4 - 1
    y = np.linspace(-1, 1, 101)
    assert fake_quant(y, 4.0) == pytest.approx(np.floor((y + 1) / 2 * levels + 0.5) / levels * 2 - 1)
    assert np.abs(fake_quant(y, 16.0) - y).max() <= 1.0 / (2**16 - 1) + 1e-15


def test_ste_slope_and_engine_op():
    q = LearnableQuantization(ste_slope=0.5)
    x = np.array([-2.0, -0.5, 0.2, 1.0, 1.5])
    assert q.ste_grad(x).tolist() == [0.0, 0.5, 0.5, 0.5, 0.0]
    t = Tensor(x.copy(), requires_grad=True)
    out = q.fake_quant_tensor(t, 0)
    assert out.data == pytest.approx(q.quantize(x, 0))
    (out * Tensor(np.arange(5.0))).sum().backward()
    assert t.grad.tolist() == [0.0, 0.5, 1.0, 1.5, 0.0]


def test_qat_noise_is_random_and_bounded():
    q = LearnableQuantization(noise_scale=0.5)
    x = np.zeros(1000)
    a = q.qat_noise(x, 0, np.random.default_rng(0))
    b = q.qat_noise(x, 0, np.random.default_rng(1))
    half = 0.5 * 0.5 * q.step_size(0)
    assert np.abs(a).max() <= half and not np.allclose(a, b) and abs(a.mean()) < 0.1 * half


def test_bounds_hold():
    q = LearnableQuantization()
    for g in (np.full(4, 1e12), np.full(4, -1e12), np.full(4, np.nan)):
        q.meta_update(g, lr=1e3, clip=None)
        p = q.params()
        assert 2.0 <= p["final_bits"] <= 16.0 and p["quant_rate"] > 0 and p["ste_slope"] >= 0.1 - 1e-12
        assert 2.0 - 1e-9 <= q.bits(10**6) <= 16.0
