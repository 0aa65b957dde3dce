"""The ``distillation`` schedule plugin registers ``distillation`` (LearnableDistillation)."""

import json

import pytest

from simplex_training.plugins.schedules.distillation import plugin
from simplex_training.schedules.distill import LearnableDistillation


def test_registered_through_the_entry_point(simplex_host):
    schedules = simplex_host.registry("schedules")
    assert schedules["distillation"] is LearnableDistillation
    assert schedules.plugin_of("distillation") == "schedules.distillation"


def test_hookimpl_registers_the_class():
    got = []
    plugin.register_schedules(got.append)
    assert got == [LearnableDistillation]


def test_registered_class_is_a_learnable_schedule_with_a_json_state(simplex_host):
    sched = simplex_host.registry("schedules")["distillation"]()
    values = [sched(t) for t in (0, 100, 10000)]
    assert all(isinstance(v, float) for v in values)
    d = sched.dual_value(100)
    assert d.val == values[1] and len(d.der) == sched.n_params
    other = LearnableDistillation()
    other.load_state_dict(json.loads(json.dumps(sched.state_dict())))
    assert [other(t) for t in (0, 100, 10000)] == values


def test_min_temp_must_be_finite_and_positive():
    for bad in (float("nan"), 0.0, float("inf")):
        with pytest.raises(ValueError, match="min_temp must be finite and > 0"):
            LearnableDistillation(min_temp=bad)
