"""The ``curriculum`` schedule plugin registers ``curriculum`` (CompetenceCurriculum)."""

import json

from simplex_training.plugins.schedules.curriculum import plugin
from simplex_training.schedules.curriculum import CompetenceCurriculum


def test_registered_through_the_entry_point(simplex_host):
    schedules = simplex_host.registry("schedules")
    assert schedules["curriculum"] is CompetenceCurriculum
    assert schedules.plugin_of("curriculum") == "schedules.curriculum"


def test_hookimpl_registers_the_class():
    got = []
    plugin.register_schedules(got.append)
    assert got == [CompetenceCurriculum]


def test_registered_class_is_a_learnable_schedule_with_a_json_state(simplex_host):
    sched = simplex_host.registry("schedules")["curriculum"]()
    values = [sched(t) for t in (0, 100, 10000)]
    assert all(isinstance(v, float) for v in values)
    d = sched.dual_value(100)
    assert d.val == values[1] and len(d.der) == sched.n_params
    other = CompetenceCurriculum()
    other.load_state_dict(json.loads(json.dumps(sched.state_dict())))
    assert [other(t) for t in (0, 100, 10000)] == values
