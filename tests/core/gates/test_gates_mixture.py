"""MixtureGate routing (distinct init, top-k, temperatures) and LearnableTemperature."""

import numpy as np
import pytest

from simplex_training.engine.gradcheck import gradcheck
from simplex_training.gates.mixture import LearnableTemperature, MixtureGate

X = np.random.default_rng(1).standard_normal((6, 8))


def test_router_weights_are_not_identical_and_seeded():
    g = MixtureGate(8, 4, rng=np.random.default_rng(0))
    w = g.weight.data
    assert g.num_experts == 4 and w.shape == (8, 4)
    assert len({tuple(col) for col in w.T}) == 4  # every expert has its own column
    assert np.array_equal(w, MixtureGate(8, 4, rng=np.random.default_rng(0)).weight.data)
    out = g(X.astype(np.float32)).data
    assert not np.allclose(out, 0.25)  # identical weights would route uniformly


def test_selection_sums_to_one():
    g = MixtureGate(8, 5)
    out = g(X.astype(np.float32)).data
    assert out.shape == (6, 5) and np.allclose(out.sum(-1), 1.0, atol=1e-6)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_top_k_leaves_exactly_k_nonzero_and_renormalises(k):
    g = MixtureGate(8, 5, top_k=k, dtype=np.float64)
    out = g(X).data
    assert ((out > 0).sum(-1) == k).all() and np.allclose(out.sum(-1), 1.0)
    g.set_top_k(None)
    full = g(X).data
    top = np.sort(full, axis=-1)[:, -k:]
    assert np.allclose(np.sort(out, axis=-1)[:, -k:], top / top.sum(-1, keepdims=True))
    g.set_top_k(k)
    assert np.array_equal(g.selected(X), out > 0)


def test_top_k_gradient_and_gradcheck():
    g = MixtureGate(8, 5, top_k=2, dtype=np.float64)

    def fn(x, w):
        g.weight = w
        return g(x)

    assert gradcheck(fn, [X, g.weight.data.copy()]).ok


def test_inference_uses_the_small_temperature():
    g = MixtureGate(8, 4, temperature=1.0, inference_temperature=0.01, dtype=np.float64)
    soft = g(X).data
    g.eval()
    assert g.current_temperature() == 0.01
    hard = g(X).data
    assert np.array_equal(hard.argmax(-1), soft.argmax(-1))
    assert (hard.max(-1) >= soft.max(-1)).all()  # colder => sharper routing
    assert np.array_equal(hard, g(X).data)
    with pytest.raises(ValueError):
        g.set_top_k(9)


def test_learnable_temperature_defaults_and_clamping():
    t = LearnableTemperature(1.0, 0.1, 10.0, 0.01)
    assert t.get() == pytest.approx(1.0) and t.min_value == 0.1 and t.max_value == 10.0
    t.set(100.0)
    assert t.get() == pytest.approx(10.0)
    t.set(0.001)
    assert t.get() == pytest.approx(0.1)
    t.update(1e6)  # huge descent step down: stays at the floor
    assert t.get() == pytest.approx(0.1)
    t.update(-1e6)
    assert t.get() == pytest.approx(10.0)


def test_update_is_gradient_descent_on_the_loss():
    t = LearnableTemperature(1.0, 0.1, 10.0, lr=0.1)
    t.update(-1.0)  # dL/dT < 0: the loss falls as T rises, so T increases
    assert t.get() > 1.0
    t2 = LearnableTemperature(1.0, 0.1, 10.0, lr=0.1)
    t2.update(1.0)
    assert t2.get() < 1.0


def test_dloss_dT_has_the_right_sign_through_the_graph():
    """A loss that prefers flatter (higher-entropy) distributions has dL/dT < 0; descent raises T."""
    logits = np.array([[3.0, 0.0, -1.0]])
    t = LearnableTemperature(1.0, 0.1, 10.0, dtype=np.float64)
    p = (t(logits)).softmax()
    neg_entropy = (p * p.log()).sum()
    neg_entropy.backward()
    dl_draw = float(t.raw.grad)
    dl_dT = dl_draw / t.get()
    assert dl_dT < 0
    t.update(dl_dT, lr=0.5)
    assert t.get() > 1.0


def test_temperature_value_gradcheck_and_forward():
    t = LearnableTemperature(2.0, dtype=np.float64)
    assert np.allclose(t(np.array([2.0, 4.0])).data, [1.0, 2.0])

    def fn(raw, z):
        t.raw = raw
        return t(z)

    assert gradcheck(fn, [np.array(np.log(2.0)), np.array([1.0, -3.0])]).ok


def test_schedule_and_reset():
    t = LearnableTemperature(1.0, 0.1, 10.0, decay=0.5)
    assert t.step() == pytest.approx(0.5) and t.step() == pytest.approx(0.25)
    for _ in range(10):
        t.step()
    assert t.get() == pytest.approx(0.1)
    t.reset()
    assert t.get() == pytest.approx(1.0) and t.step_count == 0
