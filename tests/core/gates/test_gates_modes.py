"""DualGate modes (training / inference / hybrid), its learnable parameters, StraightThroughGate."""

import numpy as np
import pytest

from simplex_training.engine import Tensor
from simplex_training.engine.gradcheck import gradcheck
from simplex_training.engine.optim import AdamW
from simplex_training.gates.modes import DualGate, GateKind, GateMode, StraightThroughGate

X = np.linspace(-2, 2, 9)


def test_gate_modes():
    assert GateMode().kind is GateKind.TRAINING
    assert GateMode.training(0.5).temperature == 0.5
    assert GateMode.inference().kind is GateKind.INFERENCE
    assert GateMode.hybrid().kind is GateKind.HYBRID
    assert GateMode("hybrid").kind is GateKind.HYBRID
    with pytest.raises(ValueError):
        GateMode.training(0.0)


def test_training_output_is_in_open_unit_interval_with_nonzero_derivative():
    g = DualGate(0.5, dtype=np.float64)
    x = Tensor(X, requires_grad=True)
    y = g(x)
    assert ((y.data > 0) & (y.data < 1)).all()
    y.sum().backward()
    assert (x.grad > 0).all()


def test_inference_output_is_hard_and_deterministic():
    g = DualGate(0.5).eval()
    assert g.mode.kind is GateKind.INFERENCE
    y = g(X)
    assert np.array_equal(y.data, (X >= 0.5).astype(np.float32)) and not y.requires_grad
    assert np.array_equal(g(X).data, y.data)


def test_hybrid_is_hard_value_with_soft_derivative():
    g = DualGate(0.25, 0.5, mode=GateMode.hybrid(), dtype=np.float64)
    soft = DualGate(0.25, 0.5, dtype=np.float64)
    xh, xs = Tensor(X, requires_grad=True), Tensor(X, requires_grad=True)
    yh = g(xh)
    assert np.array_equal(yh.data, (X >= 0.25).astype(np.float64))
    yh.sum().backward()
    soft(xs).sum().backward()
    assert np.allclose(xh.grad, xs.grad) and np.isfinite(xh.grad).all()
    assert np.allclose(g.threshold.grad, soft.threshold.grad)
    assert np.allclose(g.log_temperature.grad, soft.log_temperature.grad)


def test_train_eval_switch_and_set_mode():
    g = DualGate(0.0, mode=GateMode.hybrid(2.0))
    assert g.mode == GateMode.hybrid(2.0)
    g.eval()
    assert g.mode.kind is GateKind.INFERENCE
    g.train()
    assert g.mode.kind is GateKind.HYBRID  # eval/train keep the chosen soft behaviour
    g.set_mode(GateMode.inference())
    assert not g.training
    g.set_mode(GateMode.training(0.3))
    assert g.training and g.mode.kind is GateKind.TRAINING and abs(g.temperature_value - 0.3) < 1e-6


def test_learnable_temperature_is_used_by_forward():
    g = DualGate(0.0, 1.0, dtype=np.float64)
    y1 = g(X).data
    g.set_temperature(0.1)
    y2 = g(X).data
    assert np.allclose(y2, 1 / (1 + np.exp(-X / 0.1)))
    assert not np.allclose(y1, y2)
    g.set_temperature(1e-9)  # clamped to min_temperature
    assert g.temperature_value == pytest.approx(g.min_temperature)


def test_dual_gate_gradcheck_in_threshold_and_log_temperature():
    g = DualGate(0.0, dtype=np.float64)

    def fn(x, thr, lt):
        g.threshold, g.log_temperature = thr, lt
        return g(x)

    assert gradcheck(fn, [X, np.array(0.3), np.array(np.log(0.7))]).ok


def test_per_feature_thresholds_and_frozen_parameters():
    g = DualGate(np.array([0.0, 1.0, -1.0]), learn_temperature=False, dtype=np.float64)
    x = Tensor(np.zeros((2, 3)), requires_grad=True)
    g(x).sum().backward()
    assert g.threshold.grad.shape == (3,) and g.log_temperature.grad is None
    assert len([p for p in g.parameters() if p.requires_grad]) == 1


def test_threshold_and_temperature_learn_a_step_function():
    """Fit 1[x >= 0.7] from samples: theta -> 0.7 and the temperature shrinks (sharper gate)."""
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, 512)
    y = (x >= 0.7).astype(np.float64)
    g = DualGate(0.0, 1.0, dtype=np.float64)
    opt = AdamW(g.parameters(), lr=0.05, weight_decay=0.0)
    for _ in range(300):
        loss = ((g(x) - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert abs(float(g.threshold.data) - 0.7) < 0.05
    assert g.temperature_value < 0.2
    g.eval()
    assert (g(x).data == y).mean() > 0.98


def test_straight_through_gate():
    g = StraightThroughGate(0.5, low=-1.0, high=1.0)
    x = Tensor(np.array([0.1, 0.5, 0.9]), requires_grad=True)
    y = g(x)
    assert y.data.tolist() == [-1.0, 1.0, 1.0]
    y.backward(np.array([1.0, 2.0, 3.0]))
    assert x.grad.tolist() == [1.0, 2.0, 3.0]
    g.eval()
    assert g(x).data.tolist() == [-1.0, 1.0, 1.0] and not g(x).requires_grad
