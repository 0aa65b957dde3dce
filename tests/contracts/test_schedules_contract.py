"""Contract of every registered schedule class (:mod:`simplex_training.schedules.contract`).

Each class has a ``name`` and an example (``cls.example()`` or ``cls()``); ``schedule(step)`` is finite
and deterministic over steps 0 to 10**9; a ``state_dict`` round trip restores the values. Learnable
schedules (``LearnableSchedule`` subclasses) also have ``dual_value`` tangents equal to finite
differences of ``value`` in ``u``, stay inside their bounds under any ``apply_step`` + ``project``,
and restore ``u`` and bounds from their state.
"""

import json

import pytest

from simplex_training.pluginmanager import get_host
from simplex_training.schedules.contract import (
    check_schedule_class,
    check_schedule_contract,
    has_default_constructor,
    is_learnable,
)

SCHEDULES = get_host().registry("schedules")
BUILT_IN_LEARNABLE = {"learned", "distillation", "pruning", "quantization", "curriculum"}


def test_the_built_in_schedules_are_registered_and_the_learnable_ones_get_the_learnable_checks():
    assert BUILT_IN_LEARNABLE | {"constant", "linear", "cosine", "annealing"} <= set(SCHEDULES)
    assert {name for name in SCHEDULES if is_learnable(SCHEDULES[name])} >= BUILT_IN_LEARNABLE


def test_classes_without_a_default_constructor_define_example():
    needs_example = sorted(name for name in SCHEDULES if not has_default_constructor(SCHEDULES[name]))
    assert {"constant", "linear", "cosine"} <= set(needs_example)
    for name in needs_example:
        assert callable(getattr(SCHEDULES[name], "example", None)), name


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_schedule_contract(name):
    schedule = check_schedule_class(SCHEDULES[name], name)
    values = [schedule(step) for step in (0, 10, 1000)]
    state = json.dumps(schedule.state_dict(), sort_keys=True) if hasattr(schedule, "state_dict") else None
    check_schedule_contract(schedule)
    # the check works on copies: the schedule it was given is unchanged
    assert [schedule(step) for step in (0, 10, 1000)] == values
    if state is not None:
        assert json.dumps(schedule.state_dict(), sort_keys=True) == state


def test_learned_lr_keeps_the_contract_with_its_plateau_boost_active():
    """The plateau boost enters the value only after a flat loss window, so the registry's example
    (no losses) never checks its derivative; here it does, and the round trip restores the losses."""
    cls = SCHEDULES["learned"]
    sched = cls(oscillation_amp=0.3, plateau_boost=2.0)
    for _ in range(sched.losses.maxlen):
        sched.record(0.5)
    assert sched.on_plateau() and sched.dual_value(300).der[cls.param_names().index("plateau_boost")] != 0.0
    check_schedule_contract(sched, make=cls)
