"""LearnableSchedule: formula values, the fixed reheat shape, positivity, per-parameter tangents."""

import math

import numpy as np
import pytest

from simplex_training.anneal import PARAMS, LearnableSchedule
from simplex_training.dual import Dual


def sig(x):
    return 1 / (1 + math.exp(-x))


def test_seed_defaults():
    snap = LearnableSchedule().snapshot()
    assert snap == pytest.approx({"initial_temp": 1.0, "cool_rate": 0.01, "reheat_threshold": 50.0,
                                  "reheat_intensity": 0.5, "reheat_decay": 0.1, "oscillation_amp": 0.0,
                                  "oscillation_freq": 0.1, "accept_threshold": 0.0, "accept_sharpness": 1.0,
                                  "min_temp": 0.001})


@pytest.mark.parametrize("t,g", [(0, 0), (10, 0), (100, 30), (250, 80), (37, 400)])
def test_temperature_formula(t, g):
    s = LearnableSchedule(oscillation_amp=0.3, oscillation_freq=0.2)
    expected = max(1.0 * math.exp(-0.01 * t) * (1 + 0.3 * math.sin(0.2 * t)) + 0.5 * sig(0.1 * (g - 50)), 0.001)
    assert s.temperature(t, g) == pytest.approx(expected, rel=1e-12)
    assert s.temperature(t, g, s.dual_params()).val == pytest.approx(expected, rel=1e-12)


def test_temperature_cools_and_is_floored():
    s = LearnableSchedule()
    assert s.temperature(10, 0) < 1.0  # the original's own test, which its formula failed (T = 1.40)
    assert s.temperature(10, 0) == pytest.approx(math.exp(-0.1) + 0.5 * sig(-5.0))
    assert LearnableSchedule(reheat_intensity=1e-4).temperature(5000, 0) == 0.001


def test_reheat_grows_with_stagnation():
    s = LearnableSchedule()
    r = [s.reheat(g) for g in range(0, 200, 5)]
    assert all(b > a for a, b in zip(r, r[1:]))
    assert r[0] == pytest.approx(sig(-5.0)) and s.reheat(50) == pytest.approx(0.5) and s.reheat(150) > 0.99
    temps = [s.temperature(300, g) for g in (0, 25, 50, 100, 200)]
    assert all(b > a for a, b in zip(temps, temps[1:]))
    assert temps[-1] - temps[0] == pytest.approx(0.5 * (sig(15.0) - sig(-5.0)))


def test_accept_probability():
    s = LearnableSchedule(accept_threshold=0.2, accept_sharpness=2.0)
    assert s.accept_probability(1.0, 0.5) == pytest.approx(sig((0.2 - 1.0) / (0.5 * 2.0)))
    assert s.accept_probability(-10.0, 0.01) == pytest.approx(1.0)
    assert s.accept_probability(10.0, 0.01) == pytest.approx(0.0)


def test_dual_params_carry_one_tangent_per_parameter():
    s = LearnableSchedule(oscillation_amp=0.4, accept_threshold=-0.3)
    p = s.dual_params()
    jac = s.jacobian_diag()
    for i, (name, d) in enumerate(p.items()):
        assert isinstance(d, Dual) and d.der.shape == (9,)
        assert np.count_nonzero(d.der) == 1 and d.der[i] == pytest.approx(jac[i])


@pytest.mark.parametrize("t,g", [(7, 0), (60, 70), (200, 10)])
def test_temperature_and_acceptance_tangents_match_finite_differences(t, g):
    s = LearnableSchedule(oscillation_amp=0.4, accept_threshold=0.1, accept_sharpness=0.7)
    p = s.dual_params()
    T = s.temperature(t, g, p)
    A = s.accept_probability(0.25, T, p)
    h = 1e-6
    for i in range(9):
        sp, sm = s.copy(), s.copy()
        sp.u[i] += h
        sm.u[i] -= h
        fd_T = (sp.temperature(t, g) - sm.temperature(t, g)) / (2 * h)
        fd_A = (sp.accept_probability(0.25, sp.temperature(t, g)) - sm.accept_probability(0.25, sm.temperature(t, g))) / (2 * h)
        assert T.der[i] == pytest.approx(fd_T, rel=1e-6, abs=1e-10)
        assert A.der[i] == pytest.approx(fd_A, rel=1e-6, abs=1e-10)


@pytest.mark.parametrize("scale", [1e3, -1e3, 1e12, -1e300])
def test_parameters_stay_valid_under_adversarial_updates(scale):
    s = LearnableSchedule()
    rng = np.random.default_rng(0)
    for _ in range(20):
        s.apply_step(scale * rng.standard_normal(9))
        v = s.values()
        assert np.all(np.isfinite(v))
        for spec, x in zip(PARAMS, v):
            assert spec.lower - 1e-9 * abs(spec.lower) <= x <= spec.upper + 1e-9 * abs(spec.upper), spec.name
            if spec.transform == "log":
                assert x > 0
        assert abs(v[5]) < 1  # 1 + beta sin(...) stays positive
        assert s.temperature(10, 3) >= s.min_temp
    s.apply_step(np.full(9, np.nan))
    assert np.all(np.isfinite(s.values()))


def test_original_clamps_are_lower_bounds():
    s = LearnableSchedule()
    s.apply_step(np.full(9, -1e6))
    snap = s.snapshot()
    assert snap["initial_temp"] == pytest.approx(1e-3) and snap["cool_rate"] == pytest.approx(1e-4)
    assert snap["reheat_threshold"] == pytest.approx(1.0) and snap["accept_sharpness"] == pytest.approx(0.01)


def test_state_dict_and_unknown_parameters():
    s = LearnableSchedule(cool_rate=0.02)
    assert LearnableSchedule.from_state_dict(s.state_dict()).snapshot() == pytest.approx(s.snapshot())
    with pytest.raises(TypeError):
        LearnableSchedule(cooling=0.1)
