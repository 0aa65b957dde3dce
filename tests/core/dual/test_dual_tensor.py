"""DualTensor: every op's tangents against central finite differences (k = 3 random directions)."""

import numpy as np
import pytest

from simplex_training.dual import (DualTensor, binary_cross_entropy, concat, cross_entropy,
                                   layer_norm, mse_loss, stack)

K, H = 3, 1e-6


def check(f, *inputs, seed=0, rtol=1e-5, atol=1e-7):
    """Push K random directions through ``f`` and compare with central differences."""
    rng = np.random.default_rng(seed)
    xs = [np.asarray(x, dtype=np.float64) for x in inputs]
    dirs = [rng.standard_normal((K,) + x.shape) for x in xs]
    out = f(*[DualTensor(x, d) for x, d in zip(xs, dirs)])
    assert out.tangent.shape == (K,) + out.shape
    for j in range(K):
        plus = f(*[DualTensor.constant(x + H * d[j]) for x, d in zip(xs, dirs)]).value
        minus = f(*[DualTensor.constant(x - H * d[j]) for x, d in zip(xs, dirs)]).value
        np.testing.assert_allclose(out.tangent[j], (plus - minus) / (2 * H), rtol=rtol, atol=atol)
    return out


R = np.random.default_rng(42)
A34, B34, B4, C1 = R.standard_normal((3, 4)), R.standard_normal((3, 4)), R.standard_normal(4), R.standard_normal((3, 1))
POS = R.uniform(0.5, 2.0, (3, 4))

BINARY = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1.0), "pow_dual": lambda a, b: (a * a + 1.0) ** b,
}


@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("other", [B34, B4, C1], ids=["same", "row", "col"])
def test_binary_ops_with_broadcasting(op, other):
    check(BINARY[op], A34, other)
    check(BINARY[op], other, A34)


UNARY = {
    "neg": (lambda x: -x, A34), "exp": (lambda x: x.exp(), A34), "log": (lambda x: x.log(), POS),
    "sqrt": (lambda x: x.sqrt(), POS), "abs": (lambda x: x.abs(), A34), "pow": (lambda x: x**2.5, POS),
    "rpow": (lambda x: 3.0**x, A34), "sigmoid": (lambda x: x.sigmoid(), A34 * 5),
    "tanh": (lambda x: x.tanh(), A34), "relu": (lambda x: x.relu(), A34), "gelu": (lambda x: x.gelu(), A34 * 2),
    "softmax": (lambda x: x.softmax(), A34), "log_softmax": (lambda x: x.log_softmax(), A34),
    "scalar_ops": (lambda x: 2.0 - x * 3.0 + 1.5 / (x * x + 1.0), A34),
    "array_left": (lambda x: B34 * x + B4 - C1 / (x * x + 2.0), A34),
    "transpose": (lambda x: x.T * np.arange(3.0), A34), "reshape": (lambda x: x.reshape(2, 6), A34),
    "sum": (lambda x: x.sum(), A34), "sum_axis": (lambda x: x.sum(axis=0), A34),
    "sum_keep": (lambda x: x.exp().sum(axis=-1, keepdims=True), A34),
    "mean": (lambda x: x.mean(axis=1), A34), "mean_all": (lambda x: (x * x).mean(), A34),
    "max_all": (lambda x: x.max(), A34), "max_axis": (lambda x: x.max(axis=1), A34),
    "max_keep": (lambda x: x.max(axis=0, keepdims=True), A34),
    "index_basic": (lambda x: x[1:, ::2], A34), "index_fancy": (lambda x: x[[0, 2, 2], [1, 3, 0]], A34),
    "index_mixed": (lambda x: x.reshape(3, 2, 2)[[0, 2], :, [1, 0]], A34),
    "index_bool": (lambda x: x[A34 > 0], A34),
    "layer_norm": (lambda x: layer_norm(x), A34),
    "layer_norm_affine": (lambda x: layer_norm(x, weight=B4, bias=-B4), A34),
    "mse": (lambda x: mse_loss(x, B34), A34),
    "cross_entropy": (lambda x: cross_entropy(x, np.array([0, 3, 1])), A34),
    "bce": (lambda x: binary_cross_entropy(x.sigmoid(), (B34 > 0).astype(float)), A34),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_ops(name):
    f, x = UNARY[name]
    check(f, x)


MATMUL_SHAPES = [((3, 4), (4, 5)), ((4,), (4, 2)), ((3, 4), (4,)), ((4,), (4,)),
                 ((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 5)), ((4,), (2, 4, 3)),
                 ((2, 3, 4), (4,))]


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES, ids=[f"{a}@{b}" for a, b in MATMUL_SHAPES])
def test_matmul(sa, sb):
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    out = check(lambda x, y: x @ y, a, b)
    np.testing.assert_allclose(out.value, a @ b)
    check(lambda x: x @ b, a)
    check(lambda y: a @ y, b)


def test_concat_stack_and_transpose_axes():
    check(lambda a, b: concat([a, b.exp()], axis=1), A34, B34)
    check(lambda a, b: concat([a, b], axis=-2), A34, B34)
    check(lambda a, b: stack([a, b * a], axis=1), A34, B34)
    x = R.standard_normal((2, 3, 4))
    check(lambda t: t.transpose(1, 2, 0).exp(), x)
    check(lambda t: t.transpose((2, 0, 1)) * 2.0, x)


def test_constructors_and_seeding():
    x = DualTensor.variable(A34, seed_index=1, k=3)
    assert x.k == 3 and np.all(x.tangent[1] == 1) and np.all(x.tangent[0] == 0)
    c = DualTensor.constant(A34, k=2)
    assert c.tangent.shape == (2, 3, 4) and not c.tangent.any()
    w, b = DualTensor.seeded([A34, B4])
    loss = ((w @ b) ** 2).sum()
    grad = loss.gradient()
    assert grad.shape == (16,)
    r = A34 @ B4
    np.testing.assert_allclose(grad[:12].reshape(3, 4), 2 * r[:, None] * B4[None, :])
    np.testing.assert_allclose(grad[12:], 2 * A34.T @ r)
    with pytest.raises(ValueError):
        DualTensor(A34, np.zeros((2, 4, 3)))
    with pytest.raises(ValueError):
        cross_entropy(DualTensor.constant(A34), np.array([0, 9, 1]))


def test_max_is_a_subgradient_picking_the_first_maximum():
    x = DualTensor.variable(np.array([1.0, 3.0, 3.0, 0.0]), tangents=np.eye(4))
    np.testing.assert_array_equal(x.max().tangent, [0, 1, 0, 0])
    r = x.relu()
    assert r.tangent[3, 3] == 0.0 and r.tangent[0, 0] == 1.0
