"""The ``quantization`` schedule plugin registers ``quantization`` (LearnableQuantization)."""

import json

import pytest

from simplex_training.plugins.schedules.quantization import plugin
from simplex_training.schedules.quantization import LearnableQuantization


def test_registered_through_the_entry_point(simplex_host):
    schedules = simplex_host.registry("schedules")
    assert schedules["quantization"] is LearnableQuantization
    assert schedules.plugin_of("quantization") == "schedules.quantization"


def test_hookimpl_registers_the_class():
    got = []
    plugin.register_schedules(got.append)
    assert got == [LearnableQuantization]


def test_registered_class_is_a_learnable_schedule_with_a_json_state(simplex_host):
    sched = simplex_host.registry("schedules")["quantization"]()
    values = [sched(t) for t in (0, 100, 10000)]
    assert all(isinstance(v, float) for v in values)
    d = sched.dual_value(100)
    assert d.val == values[1] and len(d.der) == sched.n_params
    other = LearnableQuantization()
    other.load_state_dict(json.loads(json.dumps(sched.state_dict())))
    assert [other(t) for t in (0, 100, 10000)] == values


def test_initial_bits_must_be_finite_and_positive():
    for bad in (float("nan"), -1.0, float("inf")):
        with pytest.raises(ValueError, match="initial_bits must be finite and > 0"):
            LearnableQuantization(initial_bits=bad)
