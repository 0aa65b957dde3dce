"""Gate primitives: float64 gradchecks, straight-through gradients, soft -> hard limit, top-k, quant."""

import numpy as np
import pytest

from simplex_training.engine import Tensor
from simplex_training.engine.gradcheck import gradcheck
from simplex_training.gates import ops

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4))


def _grads(fn, *arrays):
    ts = [Tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in arrays]
    out = fn(*ts)
    w = np.random.default_rng(5).standard_normal(out.shape)
    (out * Tensor(w)).sum().backward()
    return out, [t.grad for t in ts]


def test_soft_gate_gradcheck_in_x_threshold_and_temperature():
    assert gradcheck(ops.soft_gate, [X, np.array(0.3), np.array(0.7)]).ok
    assert gradcheck(ops.soft_gate, [X, RNG.standard_normal(4), RNG.uniform(0.5, 2.0, (3, 1))]).ok


def test_soft_gate_is_the_sigmoid_formula():
    out = ops.soft_gate(Tensor(X), 0.2, 0.5).data
    assert np.allclose(out, 1.0 / (1.0 + np.exp(-(X - 0.2) / 0.5)))
    assert ((out > 0) & (out < 1)).all()


def test_hard_gate_is_a_constant_step():
    x = Tensor(np.array([-1.0, 0.0, 0.5, 2.0]), requires_grad=True)
    y = ops.hard_gate(x, 0.5)
    assert y.data.tolist() == [0.0, 0.0, 1.0, 1.0] and not y.requires_grad


def test_straight_through_value_is_hard_and_gradient_is_the_soft_derivative():
    thr, tau = np.array(0.1), np.array(0.6)
    hard, g_st = _grads(ops.straight_through, X, thr, tau)
    _, g_soft = _grads(ops.soft_gate, X, thr, tau)
    assert np.array_equal(hard.data, (X >= 0.1).astype(np.float64))
    for a, b in zip(g_st, g_soft, strict=True):
        assert np.allclose(a, b)
    assert np.abs(g_st[0]).min() > 0  # non-zero, non-NaN derivative everywhere


def test_ste_identity_value_is_hard_and_gradient_is_the_identity():
    out, (gx,) = _grads(lambda x: ops.ste_identity(x, 0.0, low=-1.0, high=2.0), X)
    assert set(np.unique(out.data)) <= {-1.0, 2.0}
    w = np.random.default_rng(5).standard_normal(X.shape)
    assert np.allclose(gx, w)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_ops_keep_the_input_dtype(dtype):
    x = Tensor(X.astype(dtype))
    for y in (ops.soft_gate(x, 0.0, 1.0), ops.hard_gate(x), ops.straight_through(x),
              ops.ste_identity(x), ops.fake_quantize(x, 4), ops.gumbel_softmax(x, 1.0, None)):
        assert y.dtype == dtype


def test_soft_gate_converges_to_the_hard_gate_as_temperature_goes_to_zero():
    x = np.linspace(-3, 3, 601)
    x = x[np.abs(x - 0.25) >= 0.05]  # inputs away from the threshold
    errs = [np.abs(ops.soft_gate(Tensor(x), 0.25, t).data - ops.hard_gate(Tensor(x), 0.25).data).max()
            for t in (1.0, 0.1, 0.01, 0.001)]
    assert all(a > b for a, b in zip(errs, errs[1:], strict=False)), errs
    assert errs[0] > 0.4 and errs[-1] < 1e-12


def test_clamp_gradcheck_inside_and_gradient_rule_outside():
    assert gradcheck(lambda x: ops.clamp(x, -2.0, 2.0), [X * 0.5]).ok
    x = Tensor(np.array([-3.0, 0.0, 3.0]), requires_grad=True)
    ops.clamp(x, -1.0, 1.0).backward(np.array([1.0, 1.0, 1.0]))
    assert x.grad.tolist() == [0.0, 1.0, 1.0]  # above hi with g > 0: descent moves it back inside
    x.grad = None
    ops.clamp(x, -1.0, 1.0).backward(np.array([-1.0, -1.0, -1.0]))
    assert x.grad.tolist() == [-1.0, -1.0, 0.0]


def test_gumbel_softmax_gradcheck_with_fixed_noise():
    res = gradcheck(lambda z, t: ops.gumbel_softmax(z, t, np.random.default_rng(3)), [X, np.array(0.8)])
    assert res.ok
    res = gradcheck(lambda z: ops.gumbel_softmax(z, 0.5, np.random.default_rng(3), axis=0), [X])
    assert res.ok


def test_top_k_renormalise_keeps_exactly_k_and_sums_to_one():
    p = ops.gumbel_softmax(Tensor(RNG.standard_normal((6, 5))), 1.0, None)
    y = ops.top_k_renormalise(p, 2).data
    assert ((y > 0).sum(axis=-1) == 2).all() and np.allclose(y.sum(axis=-1), 1.0)
    top2 = np.sort(p.data, axis=-1)[:, -2:]
    assert np.allclose(np.sort(y, axis=-1)[:, -2:], top2 / top2.sum(axis=-1, keepdims=True))
    assert gradcheck(lambda z: ops.top_k_renormalise(ops.gumbel_softmax(z, 1.0, None), 3), [X]).ok
    with pytest.raises(ValueError):
        ops.top_k_renormalise(p, 0)


def test_top_k_gradient_is_zero_for_dropped_entries():
    p = Tensor(np.array([[0.1, 0.5, 0.15, 0.25]]), requires_grad=True)
    ops.top_k_renormalise(p, 2).backward(np.array([[1.0, 2.0, 3.0, 4.0]]))
    assert p.grad[0, 0] == 0 and p.grad[0, 2] == 0 and np.abs(p.grad[0, [1, 3]]).min() > 0


@pytest.mark.parametrize("bits", [2, 4, 8])
def test_fake_quantize_grid_and_straight_through_gradient(bits):
    w = RNG.standard_normal(50)
    q = ops.fake_quantize(Tensor(w), bits).data
    qmax = 2 ** (bits - 1) - 1
    scale = np.abs(w).max() / qmax
    levels = q / scale
    assert np.allclose(levels, np.round(levels)) and np.abs(levels).max() <= qmax + 1e-9
    assert np.abs(q - w).max() <= scale / 2 + 1e-12
    _, (g,) = _grads(lambda t: ops.fake_quantize(t, bits), w)
    assert np.allclose(g, np.random.default_rng(5).standard_normal(w.shape))


def test_fake_quantize_error_shrinks_with_bits_and_zero_tensor_passes():
    w = RNG.standard_normal(200)
    errs = [np.abs(ops.fake_quantize(Tensor(w), b).data - w).mean() for b in (2, 4, 8)]
    assert errs[0] > errs[1] > errs[2]
    assert np.array_equal(ops.fake_quantize(Tensor(np.zeros(3)), 4).data, np.zeros(3))
    with pytest.raises(ValueError):
        ops.fake_quantize(Tensor(w), 1)


def test_mixed_float_dtypes_are_refused():
    with pytest.raises(TypeError):
        ops.soft_gate(Tensor(X.astype(np.float32)), Tensor(np.array(0.0)), 1.0)
