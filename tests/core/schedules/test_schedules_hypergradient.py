"""HypergradientController: h_t equals the finite-difference derivative of the next loss w.r.t. lr_t.

This is the test that the original's defect (meta-gradients read from the seed tangent 1.0, §9 of
the reference) is fixed: the controller's ``h_t = -g_{t+1} · u_t`` is compared with
``(L_{t+1}(lr_t + e) - L_{t+1}(lr_t - e)) / 2e`` obtained by re-running step ``t`` from a snapshot.
"""

import json
import math

import numpy as np
import pytest

from simplex_training.engine.optim import SGD, AdamW, Optimizer
from simplex_training.schedules.hypergradient import HypergradientController
from simplex_training.schedules.lr import LearnableLR
from simplex_training.schedules.problems import SoftmaxRegression, train


def _fd_check(problem, params, opt, loss_at, steps=6, rel=1e-6):
    """Run ``steps`` steps with a controller; at every step compare h_{t-1} with finite differences."""
    ctrl = HypergradientController(opt, LearnableLR(initial_lr=opt.lr, warmup_steps=3.0, decay_rate=1e-2,
                                                    oscillation_amp=0.3, oscillation_freq=0.5),
                                   meta_every=2)
    checked = 0
    snap = None
    for t in range(steps):
        opt.zero_grad()
        loss = loss_at(t)
        loss.backward()
        ctrl.record(t, loss.item())
        if snap is not None:  # gradients of step t are here: h_{t-1} and its finite difference
            h = ctrl.hypergradient()
            fd = _next_loss_fd(params, opt, snap, lambda: loss_at(t).item())
            assert h == pytest.approx(fd, rel=rel, abs=1e-12), (t, h, fd)
            checked += 1
        lr = ctrl.before_step(t)
        snap = ([p.data.copy() for p in params], [p.grad.copy() for p in params], opt.state_dict(), lr)
        opt.step()
        ctrl.after_step()
    assert checked == steps - 1
    assert [s for s, _, _ in ctrl.history] == list(range(steps - 1))  # h of the last step is pending
    return ctrl


def _next_loss_fd(params, opt, snap, next_loss):
    data, grads, state, lr = snap
    current = ([p.data.copy() for p in params], [p.grad.copy() for p in params], opt.state_dict(), opt.lr)
    out = []
    eps = 1e-5  # theta_{t+1} is linear in lr_t: an absolute step (lr_0 is the 1e-6 floor)
    for sign in (1.0, -1.0):
        for p, d, g in zip(params, data, grads):
            p.data[...] = d
            p.grad = g.copy()
        opt.load_state_dict(state)
        opt.lr = lr + sign * eps
        opt.step()
        out.append(next_loss())
    for p, d, g in zip(params, *current[:2]):  # restore the real run
        p.data[...] = d
        p.grad = g
    opt.load_state_dict(current[2])
    opt.lr = current[3]
    return (out[0] - out[1]) / (2 * eps)


@pytest.mark.parametrize("make_opt", [
    lambda ps: AdamW(ps, lr=0.05, weight_decay=0.0),
    lambda ps: AdamW(ps, lr=0.05, weight_decay=0.1),
    lambda ps: SGD(ps, lr=0.5),
    lambda ps: SGD(ps, lr=0.3, momentum=0.9, weight_decay=0.01),
], ids=["adamw", "adamw-decay", "sgd", "sgd-momentum-decay"])
def test_hypergradient_equals_finite_difference_softmax_regression(make_opt):
    pb = SoftmaxRegression(n=64, dim=5, classes=3, batch_size=16, seed=1)
    opt = make_opt(pb.parameters())
    ctrl = _fd_check(pb, pb.parameters(), opt, lambda t: pb.loss(pb.batch(t)))
    assert ctrl.meta_history  # meta updates happened in between (the schedule changed)


class _PlainSGD(Optimizer):
    """An optimizer the controller does not know: u_t comes from parameter deltas."""

    kind = "plain"

    def _update(self, p, g, state, wd):
        p.data -= self.lr * (g + 0.5 * p.data)


def test_hypergradient_for_an_unknown_optimizer_uses_parameter_deltas():
    pb = SoftmaxRegression(n=64, dim=5, classes=3, batch_size=16, seed=2)
    pb.W.data[...] = 0.1
    opt = _PlainSGD(pb.parameters(), lr=0.4, weight_decay=0.0)
    _fd_check(pb, pb.parameters(), opt, lambda t: pb.loss(pb.batch(t)), rel=1e-5)


def test_hypergradient_equals_finite_difference_tiny_llama():
    from simplex_training.model.config import LlamaConfig
    from simplex_training.model.llama import LlamaModel

    cfg = LlamaConfig(vocab_size=11, dim=8, n_layers=1, n_heads=2, n_kv_heads=1, ffn_dim=12, context_length=8)
    model = LlamaModel(cfg, seed=3, dtype=np.float64)
    params = model.parameters()
    rng = np.random.default_rng(0)
    ids = rng.integers(0, cfg.vocab_size, size=(3, 2, 7))
    opt = AdamW(params, lr=0.02, weight_decay=0.01)
    _fd_check(model, params, opt, lambda t: model.loss(ids[t % 3][:, :-1], ids[t % 3][:, 1:]), steps=4)


def test_skipped_step_records_no_direction():
    pb = SoftmaxRegression(n=32, dim=3, classes=2, batch_size=8)
    opt = AdamW(pb.parameters(), lr=0.01)
    ctrl = HypergradientController(opt)
    pb.loss(pb.batch(0)).backward()
    pb.W.grad[0, 0] = np.nan
    ctrl.before_step(0)
    assert opt.step() is False
    ctrl.after_step()  # detects the skip from opt.step_count
    assert ctrl.hypergradient() is None and ctrl.t == 1


def test_learned_schedule_fixes_a_ten_times_too_small_lr():
    """AdamW at lr 1e-3 where ~1e-2 is right: the learned schedule raises lr and ends lower."""
    steps, lr0 = 300, 1e-3
    pb_fixed = SoftmaxRegression(seed=0)
    fixed = train(pb_fixed, AdamW(pb_fixed.parameters(), lr=lr0, weight_decay=0.0), steps)
    pb = SoftmaxRegression(seed=0)
    opt = AdamW(pb.parameters(), lr=lr0, weight_decay=0.0)
    ctrl = HypergradientController(opt, LearnableLR(initial_lr=lr0, warmup_steps=1.0), meta_every=5)
    learned = train(pb, opt, steps, controller=ctrl)
    assert max(learned.lrs) > 5 * lr0
    assert ctrl.schedule.params()["initial_lr"] > 5 * lr0
    assert learned.final_loss < 0.6 * fixed.final_loss
    hs = np.array([h for _, _, h in ctrl.history])
    assert hs.size == steps - 1 and np.mean(hs[:50]) < 0  # raising lr lowers the loss: h < 0


def test_learned_schedule_lowers_a_too_large_sgd_lr():
    pb = SoftmaxRegression(seed=0, scale=3.0)
    opt = SGD(pb.parameters(), lr=2.0)
    ctrl = HypergradientController(opt, LearnableLR(initial_lr=2.0, warmup_steps=1.0,
                                                    bounds={"initial_lr": (1e-6, 10.0)}), meta_every=5)
    learned = train(pb, opt, 200, controller=ctrl)
    assert ctrl.schedule.params()["initial_lr"] < 1.0
    pb_fixed = SoftmaxRegression(seed=0, scale=3.0)
    fixed = train(pb_fixed, SGD(pb_fixed.parameters(), lr=2.0), 200)
    assert learned.final_loss < 0.7 * fixed.final_loss


def test_learn_mask_sgd_meta_optimizer_and_state_round_trip():
    pb = SoftmaxRegression(seed=0)
    opt = AdamW(pb.parameters(), lr=1e-3)
    ctrl = HypergradientController(opt, LearnableLR(initial_lr=1e-3, warmup_steps=1.0), meta_every=4,
                                   meta_optimizer="sgd", meta_lr=0.5, learn=["initial_lr"])
    before = ctrl.schedule.params()
    train(pb, opt, 40, controller=ctrl)
    after = ctrl.schedule.params()
    assert len(ctrl.meta_history) == 9
    assert after["initial_lr"] != before["initial_lr"]
    assert {k: v for k, v in after.items() if k != "initial_lr"} == \
        pytest.approx({k: v for k, v in before.items() if k != "initial_lr"})
    state = json.loads(json.dumps(ctrl.state_dict()))
    other = HypergradientController(AdamW(pb.parameters(), lr=1.0), LearnableLR(), meta_optimizer="sgd")
    other.load_state_dict(state)
    assert other.schedule.params() == pytest.approx(after) and other.t == 40
    assert other.before_step() == pytest.approx(ctrl.schedule.value(40))
    with pytest.raises(ValueError):
        HypergradientController(opt, learn=["nope"])
    with pytest.raises(ValueError):
        HypergradientController(opt, meta_optimizer="rmsprop")


def test_step_convenience_and_default_schedule():
    pb = SoftmaxRegression(seed=0)
    opt = AdamW(pb.parameters(), lr=3e-3)
    ctrl = HypergradientController(opt)
    assert ctrl.schedule.params()["initial_lr"] == pytest.approx(3e-3)
    for step in range(5):
        opt.zero_grad()
        loss = pb.loss(pb.batch(step))
        loss.backward()
        assert ctrl.step(loss.item()) is True
    assert len(ctrl.history) == 4 and len(ctrl.losses) == 5
    assert all(math.isfinite(h) for _, _, h in ctrl.history)
