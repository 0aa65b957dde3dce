"""The ``fixed_lr`` schedule plugin registers constant / linear / cosine."""

import pytest

from simplex_training.engine.lr_schedules import ConstantSchedule, CosineSchedule, LinearSchedule
from simplex_training.plugins.schedules.fixed_lr import plugin


def test_registered_through_the_entry_point(simplex_host):
    schedules = simplex_host.registry("schedules")
    for name, cls in (("constant", ConstantSchedule), ("linear", LinearSchedule), ("cosine", CosineSchedule)):
        assert schedules[name] is cls
        assert schedules.plugin_of(name) == "schedules.fixed_lr"


def test_hookimpl_and_the_registered_classes_work():
    got = []
    plugin.register_schedules(got.append)
    assert got == [ConstantSchedule, LinearSchedule, CosineSchedule]
    cos = got[2](1.0, total_steps=10, warmup_steps=0, min_lr=0.0)
    assert cos(0) == 1.0 and cos(5) == pytest.approx(0.5) and cos(10) == pytest.approx(0.0)
    assert got[0](0.1, warmup_steps=2)(0) == pytest.approx(0.05)
