"""Dual scalars: every rule against its analytic derivative and a central finite difference."""

import math

import numpy as np
import pytest

from simplex_training.dual import Dual, derivative
from simplex_training.dual import scalar as ds

H = 1e-6


def central(f, x, h=H):
    return (f(x + h) - f(x - h)) / (2 * h)


def val(d):
    return d.val if isinstance(d, Dual) else float(d)


CASES = [  # (name, dual function, analytic derivative, point)
    ("add", lambda x: x + 2.5, lambda x: 1.0, 0.3),
    ("radd", lambda x: 2.5 + x, lambda x: 1.0, 0.3),
    ("sub", lambda x: x - 1.0, lambda x: 1.0, 0.3),
    ("rsub", lambda x: 1.0 - x, lambda x: -1.0, 0.3),
    ("mul", lambda x: x * x * 3.0, lambda x: 6 * x, 0.7),
    ("rmul", lambda x: 3.0 * x, lambda x: 3.0, 0.7),
    ("div", lambda x: x / (1.0 + x * x), lambda x: (1 - x * x) / (1 + x * x) ** 2, 0.4),
    ("rdiv", lambda x: 2.0 / x, lambda x: -2.0 / x**2, 1.3),
    ("neg", lambda x: -x, lambda x: -1.0, 0.2),
    ("pow", lambda x: x**3.5, lambda x: 3.5 * x**2.5, 1.2),
    ("pow_dual", lambda x: x**x, lambda x: x**x * (math.log(x) + 1), 1.3),
    ("rpow", lambda x: 2.0**x, lambda x: 2.0**x * math.log(2.0), 0.9),
    ("exp", lambda x: ds.exp(x), math.exp, 0.5),
    ("expm1", lambda x: ds.expm1(x), math.exp, 0.5),
    ("expm1_tiny", lambda x: ds.expm1(x), math.exp, 1e-12),
    ("log", lambda x: ds.log(x), lambda x: 1 / x, 2.0),
    ("sqrt", lambda x: ds.sqrt(x), lambda x: 0.5 / math.sqrt(x), 2.0),
    ("sin", lambda x: ds.sin(x), math.cos, 0.8),
    ("cos", lambda x: ds.cos(x), lambda x: -math.sin(x), 0.8),
    ("tanh", lambda x: ds.tanh(x), lambda x: 1 - math.tanh(x) ** 2, 0.6),
    ("sigmoid", lambda x: ds.sigmoid(x), lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2, -0.9),
    ("sigmoid_far", lambda x: ds.sigmoid(x), lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2, -30.0),
    ("relu+", lambda x: ds.relu(x), lambda x: 1.0, 0.5),
    ("relu-", lambda x: ds.relu(x), lambda x: 0.0, -0.5),
    ("softplus", lambda x: ds.softplus(x), lambda x: 1 / (1 + math.exp(-x)), 0.3),
    ("abs+", lambda x: abs(x), lambda x: 1.0, 0.5),
    ("abs-", lambda x: ds.dabs(x), lambda x: -1.0, -0.5),
    ("min", lambda x: ds.dmin(x * 2.0, 1.0), lambda x: 2.0, 0.2),
    ("max", lambda x: ds.dmax(x * 2.0, 1.0), lambda x: 0.0, 0.2),
    ("clamp_in", lambda x: ds.clamp(x, -1.0, 1.0), lambda x: 1.0, 0.2),
    ("clamp_out", lambda x: x.clamp(-1.0, 1.0), lambda x: 0.0, 1.5),
    ("composite", lambda x: ds.exp(ds.sin(x) * x) / ds.sqrt(1.0 + x * x),
     lambda x: (math.exp(math.sin(x) * x) * (math.cos(x) * x + math.sin(x)) / math.sqrt(1 + x * x)
                - math.exp(math.sin(x) * x) * x / (1 + x * x) ** 1.5), 0.9),
]


@pytest.mark.parametrize("name,f,df,x0", CASES, ids=[c[0] for c in CASES])
def test_rule_matches_analytic_and_finite_difference(name, f, df, x0):
    out = f(Dual.variable(x0))
    assert out.der == pytest.approx(df(x0), rel=1e-9, abs=1e-12)
    fd = central(lambda x: val(f(Dual.constant(x))), x0)
    assert out.der == pytest.approx(fd, rel=1e-5, abs=1e-7)


def test_gelu_tanh_approximation():
    g = Dual.variable(0.7).gelu()
    c = math.sqrt(2 / math.pi)
    assert g.val == pytest.approx(0.5 * 0.7 * (1 + math.tanh(c * (0.7 + 0.044715 * 0.7**3))))
    assert g.der == pytest.approx(central(lambda x: Dual(x).gelu().val, 0.7), rel=1e-6)


def test_seeded_gives_every_partial_derivative():
    x, y, z = Dual.seeded([0.5, -1.2, 2.0])
    f = x * y + ds.sin(z) * x * x
    expected = [-1.2 + 2 * 0.5 * math.sin(2.0), 0.5, math.cos(2.0) * 0.25]
    np.testing.assert_allclose(f.der, expected, rtol=1e-12)
    assert f.gradient.shape == (3,)


def test_constant_has_zero_derivative_and_comparisons_use_values():
    c = Dual.constant(3.0)
    assert (c * c + 1).der == 0.0
    assert Dual.constant(2.0, k=4).der.shape == (4,)
    a, b = Dual(1.0, 5.0), Dual(2.0, -1.0)
    assert a < b and b > a and a <= 1.0 and b >= 2 and a == Dual(1.0, 9.0) and a != b
    assert ds.dmax(a, b) is b and ds.dmin(a, b) is a


def test_derivative_helper():
    assert derivative(lambda x: x * ds.exp(x), 1.0) == pytest.approx(2 * math.e)


def test_expm1_keeps_the_digits_of_small_arguments():
    assert ds.expm1(Dual(1e-12, 1.0)).val == math.expm1(1e-12) == pytest.approx(1e-12, rel=1e-9, abs=0)
    assert ds.expm1(1e-12) == math.expm1(1e-12) and 1.0 - math.exp(-1e-12) != pytest.approx(1e-12, rel=1e-6, abs=0)
