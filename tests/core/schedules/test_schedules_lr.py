"""LearnableLR: the seed's formula, forward-mode derivatives vs finite differences, bounds, state."""

import json
import math

import numpy as np
import pytest

from simplex_training.schedules.lr import LR_SPECS, LearnableLR, seed_lr

NAMES = [s.name for s in LR_SPECS]
SEED_DEFAULTS = dict(initial_lr=2e-4, decay_rate=1e-4, warmup_steps=100.0, oscillation_amp=0.0,
                     oscillation_freq=0.01, plateau_boost=1.5)


def test_defaults_are_the_seeds():
    assert LearnableLR().params() == pytest.approx(SEED_DEFAULTS)
    s = LearnableLR()
    assert (s.min_lr, s.plateau_threshold, s.losses.maxlen) == (1e-6, 1e-3, 10)


@pytest.mark.parametrize("t", [0, 1, 50, 99, 100, 101, 500, 5000])
def test_formula_matches_the_seed_by_hand(t):
    expected = max(2e-4 * min(t / 100, 1.0) * math.exp(-1e-4 * t), 1e-6)
    assert LearnableLR().value(t) == pytest.approx(expected, rel=1e-12)


def test_formula_with_oscillation_and_plateau_boost():
    kw = dict(initial_lr=1e-3, decay_rate=1e-3, warmup_steps=10.0, oscillation_amp=0.3,
              oscillation_freq=0.2, plateau_boost=2.0)
    s = LearnableLR(**kw)
    losses = []
    for t in range(40):
        assert s.value(t) == pytest.approx(seed_lr(t, losses, **kw), rel=1e-12)
        loss = 1.0 if t < 15 else 0.5 + 0.001 * (t % 2)  # flat from step 15 on: plateau
        s.record(loss)
        losses.append(loss)
    assert s.on_plateau()
    assert s.value(40) == pytest.approx(2.0 * 1e-3 * math.exp(-0.04) * (1 + 0.3 * math.sin(8.0)))


def test_plateau_needs_ten_losses_with_small_population_variance():
    s = LearnableLR()
    for _ in range(9):
        s.record(1.0)
    assert not s.on_plateau()
    s.record(1.0)
    assert s.on_plateau()
    s.record(float("nan"))  # ignored
    assert s.on_plateau()
    for x in (0.0, 0.1) * 5:
        s.record(x)  # population variance 0.0025 >= 1e-3
    assert not s.on_plateau()


@pytest.mark.parametrize("space", ["u", "params"])
@pytest.mark.parametrize("t", [7, 60, 300])
def test_forward_mode_derivatives_equal_finite_differences(space, t):
    s = LearnableLR(initial_lr=1e-3, decay_rate=2e-3, warmup_steps=120.0, oscillation_amp=0.2,
                    oscillation_freq=0.05, plateau_boost=1.7)
    for _ in range(10):
        s.record(0.3)  # plateau active: the boost has a derivative too
    d = s.dual_value(t, space=space)
    assert d.val == pytest.approx(s.value(t), rel=1e-14)
    for i, name in enumerate(NAMES):
        if name == "warmup_steps" and t >= 120:
            assert d.der[i] == 0.0  # past warmup min(t/W, 1) = 1
            continue
        if space == "u":
            h = 1e-6
            up, down = s.u.copy(), s.u.copy()
            up[i] += h
            down[i] -= h
            fd = (_value_at_u(s, up, t) - _value_at_u(s, down, t)) / (2 * h)
        else:
            p = s.params()
            h = 1e-6 * max(abs(p[name]), 1e-3)
            fd = (_value_with(s, name, p[name] + h, t) - _value_with(s, name, p[name] - h, t)) / (2 * h)
        assert d.der[i] == pytest.approx(fd, rel=1e-6, abs=1e-14), name


def _value_at_u(s, u, t):
    c = LearnableLR(bounds={"initial_lr": (1e-7, 1.0)})
    c.u, c.losses = u.copy(), s.losses
    return c.value(t)


def _value_with(s, name, v, t):
    c = LearnableLR(**{**s.params(), name: v})
    c.losses = s.losses
    return c.value(t)


def test_floor_and_warmup_start_have_no_derivative():
    s = LearnableLR()
    d = s.dual_value(0)  # warmup factor 0: the floor lr_min is a constant
    assert d.val == 1e-6 and np.all(d.der == 0)


def test_adversarial_meta_steps_never_make_a_rate_invalid():
    rng = np.random.default_rng(0)
    s = LearnableLR()
    for grad in [np.full(6, 1e30), np.full(6, -1e30), np.full(6, np.nan), np.full(6, np.inf),
                 np.array([np.inf, -np.inf, np.nan, 1e300, -1e300, 0.0])]:
        s.meta_update(grad, lr=1e6, clip=None)
        _assert_valid(s)
        s.apply_step(grad)
        _assert_valid(s)
    for _ in range(200):
        s.meta_update(rng.normal(size=6) * 10.0 ** rng.integers(-5, 30), lr=float(10.0 ** rng.integers(-3, 6)))
        _assert_valid(s)
    with pytest.raises(ValueError):
        s.meta_update(np.ones(6), lr=-1.0)


def test_the_originals_fake_gradient_no_longer_collapses_the_schedule():
    """The seed applied ``theta -= lr * 1.0`` (seed tangents); here the same steps stay in bounds."""
    s = LearnableLR()
    for _ in range(1000):
        s.meta_update(np.ones(6), lr=1e-3 / math.sqrt(20))
        _assert_valid(s)
    assert s.params()["initial_lr"] > 0 and s.params()["decay_rate"] > 0


def _assert_valid(s):
    p = s.params()
    assert all(math.isfinite(v) for v in p.values())
    for spec in LR_SPECS:
        lo, hi = s.bounds[spec.name]
        assert lo - 1e-12 * abs(lo) <= p[spec.name] <= hi + 1e-12 * abs(hi), spec.name
    assert p["initial_lr"] > 0 and p["decay_rate"] > 0 and p["warmup_steps"] >= 1 and p["plateau_boost"] > 1
    for t in (0, 1, 10, 1000, 10**6):
        lr = s.value(t)
        assert math.isfinite(lr) and lr >= s.min_lr


def test_state_dict_is_json_and_round_trips():
    s = LearnableLR(initial_lr=3e-4, bounds={"initial_lr": (1e-6, 0.5)}, min_lr=1e-7)
    for x in range(12):
        s.record(x * 0.1)
    s.meta_update(np.arange(6.0), lr=0.1)
    state = json.loads(json.dumps(s.state_dict()))
    c = LearnableLR()
    c.load_state_dict(state)
    assert c.params() == pytest.approx(s.params())
    assert c.bounds == s.bounds and c.min_lr == 1e-7 and list(c.losses) == list(s.losses)
    assert [c.value(t) for t in (0, 5, 500)] == [s.value(t) for t in (0, 5, 500)]
    with pytest.raises(ValueError):
        c.load_state_dict({**state, "name": "pruning"})


def test_bad_arguments():
    with pytest.raises(TypeError):
        LearnableLR(learning_rate=1.0)
    with pytest.raises(ValueError):
        LearnableLR(bounds={"initial_lr": (0.0, 1.0)})  # log parameter: lower bound must be > 0
    with pytest.raises(ValueError):
        LearnableLR(min_lr=0.0)
    assert LearnableLR(initial_lr=1.0).params()["initial_lr"] == pytest.approx(1e-2)  # clipped into the seed's box
