"""The ``learnable_lr`` schedule plugin registers ``learned`` (LearnableLR)."""

import pytest

from simplex_training.engine.optim import AdamW
from simplex_training.plugins.schedules.learnable_lr import plugin
from simplex_training.schedules import HypergradientController, LearnableLR
from simplex_training.schedules.problems import SoftmaxRegression, train


def test_registered_through_the_entry_point(simplex_host):
    schedules = simplex_host.registry("schedules")
    assert schedules["learned"] is LearnableLR
    assert schedules.plugin_of("learned") == "schedules.learnable_lr"


def test_hookimpl_registers_the_class():
    got = []
    plugin.register_schedules(got.append)
    assert got == [LearnableLR]


def test_registered_class_drives_a_controller(simplex_host):
    cls = simplex_host.registry("schedules")["learned"]
    sched = cls(initial_lr=1e-3, warmup_steps=1.0)
    assert sched(0) == 1e-6 and sched(5) == pytest.approx(1e-3 * 0.9995, rel=1e-3)
    pb = SoftmaxRegression(seed=0)
    opt = AdamW(pb.parameters(), lr=1e-3)
    ctrl = HypergradientController(opt, sched, meta_every=5)
    train(pb, opt, 30, controller=ctrl)
    assert len(ctrl.meta_history) == 5 and sched.params()["initial_lr"] > 1e-3
