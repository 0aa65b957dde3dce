"""The ``annealing`` schedule plugin: registration, temperature tracking, stop, state round trip."""

import math

import numpy as np
import pytest

from simplex_training.anneal import LearnableSchedule
from simplex_training.plugins.schedules.annealing import AnnealingTemperature, plugin


def test_registered_through_the_entry_point(simplex_host):
    schedules = simplex_host.registry("schedules")
    assert schedules["annealing"] is AnnealingTemperature
    assert schedules.plugin_of("annealing") == "schedules.annealing"


def test_hookimpl_registers_the_class():
    got = []
    plugin.register_schedules(got.append)
    assert got == [AnnealingTemperature]


def test_temperature_follows_the_schedule_and_stagnation():
    sched = AnnealingTemperature()
    assert sched(0) == pytest.approx(1.0 + 0.5 / (1 + math.exp(5.0)))
    assert sched.observe(10.0) == pytest.approx(LearnableSchedule().temperature(1, 0))
    assert sched.stagnation == 0 and sched.best == 10.0
    for _ in range(60):
        sched.observe(10.0)  # flat: stagnation grows, reheat term rises
    assert sched.stagnation == 60
    assert sched(0, 60) > sched(0, 0)
    assert sched.should_stop(59) and not sched.should_stop(60)
    sched.observe(9.0)
    assert sched.stagnation == 0


def test_acceptance_and_overrides():
    sched = AnnealingTemperature(initial_temp=0.5, accept_threshold=0.0)
    T = sched()
    assert sched.accept_probability(0.3) == pytest.approx(1 / (1 + math.exp(0.3 / T)))
    rng = np.random.default_rng(0)
    assert sum(sched.accept(-5.0, rng) for _ in range(50)) == 50
    assert sum(sched.accept(50.0, rng) for _ in range(50)) == 0
    with pytest.raises(TypeError):
        AnnealingTemperature(LearnableSchedule(), initial_temp=2.0)


def test_state_dict_round_trip():
    a = AnnealingTemperature(cool_rate=0.05)
    for e in (3.0, 2.0, 2.5, 2.5):
        a.observe(e)
    b = AnnealingTemperature()
    b.load_state_dict(a.state_dict())
    assert (b.step, b.stagnation, b.best) == (4, 2, 2.0)
    assert b() == pytest.approx(a())


def test_a_fresh_state_is_plain_json():
    import json

    fresh = AnnealingTemperature().state_dict()
    text = json.dumps(fresh, allow_nan=False)  # raises on Infinity / NaN
    b = AnnealingTemperature()
    b.load_state_dict(json.loads(text))
    assert b.best == float("inf") and fresh["best"] is None
