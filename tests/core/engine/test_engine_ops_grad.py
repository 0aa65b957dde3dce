"""Every differentiable op: autograd gradient vs float64 central finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from simplex_training.engine import functional as F
from simplex_training.engine.gradcheck import gradcheck

RNG = np.random.default_rng(1234)


def rand(*shape: int, low: float | None = None) -> np.ndarray:
    a = RNG.standard_normal(shape)
    return np.abs(a) + low if low is not None else a


CASES = {
    "add_broadcast": (lambda a, b: a + b, [rand(2, 3, 4), rand(3, 1)]),
    "sub_broadcast": (lambda a, b: a - b, [rand(2, 1, 4), rand(3, 4)]),
    "mul_broadcast": (lambda a, b: a * b, [rand(2, 3, 4), rand(4)]),
    "div_broadcast": (lambda a, b: a / b, [rand(2, 3), rand(3, low=0.5)]),
    "rsub_rdiv_scalar": (lambda a: (2.0 - a) * 3.0 + 1.5 / a, [rand(5, low=0.5)]),
    "neg": (lambda a: -a, [rand(3, 2)]),
    "pow": (lambda a: a ** 2.5, [rand(4, 3, low=0.2)]),
    "exp": (lambda a: a.exp(), [rand(3, 4)]),
    "log": (lambda a: a.log(), [rand(3, 4, low=0.2)]),
    "sqrt": (lambda a: a.sqrt(), [rand(3, 4, low=0.2)]),
    "relu": (lambda a: a.relu(), [rand(4, 5)]),
    "tanh": (lambda a: a.tanh(), [rand(4, 5)]),
    "sigmoid": (lambda a: a.sigmoid(), [rand(4, 5)]),
    "silu": (lambda a: a.silu(), [rand(4, 5)]),
    "gelu_tanh": (lambda a: F.gelu(a, "tanh"), [rand(4, 5)]),
    "gelu_erf": (lambda a: F.gelu(a, "none"), [rand(4, 5)]),
    "matmul_batched": (lambda a, b: a @ b, [rand(2, 3, 4, 5), rand(2, 3, 5, 2)]),
    "matmul_broadcast_batch": (lambda a, b: a @ b, [rand(2, 3, 4, 5), rand(3, 5, 2)]),
    "matmul_weight_T": (lambda x, w: x @ w.T, [rand(2, 3, 4), rand(5, 4)]),
    "linear_bias": (lambda x, w, b: F.linear(x, w, b), [rand(2, 3, 4), rand(5, 4), rand(5)]),
    "sum_axis": (lambda a: a.sum(axis=1), [rand(2, 3, 4)]),
    "sum_keepdims_tuple": (lambda a: a.sum(axis=(0, 2), keepdims=True), [rand(2, 3, 4)]),
    "sum_all": (lambda a: a.sum(), [rand(2, 3)]),
    "mean_axis": (lambda a: a.mean(axis=-1, keepdims=True), [rand(2, 3, 4)]),
    "max_axis": (lambda a: a.max(axis=1), [rand(3, 5, 2)]),
    "max_all_keepdims": (lambda a: a.max(keepdims=True), [rand(3, 4)]),
    "reshape": (lambda a: a.reshape(3, 8) * 2.0, [rand(2, 3, 4)]),
    "transpose": (lambda a: a.transpose(2, 0, 1), [rand(2, 3, 4)]),
    "permute": (lambda a: a.permute(0, 2, 1, 3), [rand(2, 3, 4, 2)]),
    "T": (lambda a: a.T, [rand(3, 4)]),
    "getitem_slice": (lambda a: a[:, 1:3, ::2], [rand(2, 4, 5)]),
    "getitem_fancy_repeat": (lambda a: a[np.array([0, 2, 0, 0])], [rand(3, 4)]),
    "getitem_rows_increasing": (lambda a: a[np.array([0, 2, 3])], [rand(5, 4)]),
    "getitem_rows_negative": (lambda a: a[np.array([-1, 1, 4])], [rand(5, 4)]),
    "getitem_bool": (lambda a: a[np.array([True, False, True])], [rand(3, 2)]),
    "concat": (lambda a, b: F.concat([a, b], axis=1), [rand(2, 3, 2), rand(2, 1, 2)]),
    "stack": (lambda a, b: F.stack([a, b], axis=-1), [rand(2, 3), rand(2, 3)]),
    "softmax": (lambda a: F.softmax(a), [rand(3, 5)]),
    "log_softmax": (lambda a: F.log_softmax(a), [rand(2, 3, 5)]),
    "rms_norm": (lambda x, w: F.rms_norm(x, w, 1e-5), [rand(2, 3, 6), rand(6)]),
    "layer_norm": (lambda x, w, b: F.layer_norm(x, w, b, 1e-5), [rand(2, 3, 6), rand(6), rand(6)]),
    "layer_norm_no_affine": (lambda x: F.layer_norm(x, None, None), [rand(4, 5)]),
    "swiglu": (lambda g, u: F.swiglu(g, u), [rand(2, 3, 7), rand(2, 3, 7)]),
    "rope": (lambda x: F.rope(x, np.arange(3, 7), 10000.0), [rand(2, 2, 4, 6)]),
    "rope_batch_positions": (lambda x: F.rope(x, np.array([[0, 1, 2], [5, 9, 2]]), 100.0),
                             [rand(2, 1, 3, 4)]),
    "embedding_repeated_ids": (lambda w: F.embedding(w, np.array([[1, 3, 1], [0, 1, 4]])),
                               [rand(5, 3)]),
    "dropout_fixed_rng": (lambda a: F.dropout(a, 0.4, np.random.default_rng(7)), [rand(4, 6)]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_matches_finite_differences(name: str) -> None:
    fn, inputs = CASES[name]
    result = gradcheck(fn, inputs)
    assert result.ok, result


@pytest.mark.parametrize("ignore", [False, True])
def test_cross_entropy_gradient(ignore: bool) -> None:
    targets = np.array([[1, 4, 0], [2, 2, 3]])
    if ignore:
        targets[0, 1] = targets[1, 2] = -100
    result = gradcheck(lambda z: F.cross_entropy(z, targets), [rand(2, 3, 5)])
    assert result.ok, result
    result2d = gradcheck(lambda z: F.cross_entropy(z, targets.reshape(-1), reduction="sum"),
                         [rand(6, 5)])
    assert result2d.ok, result2d


@pytest.mark.parametrize("hq,hkv", [(4, 2), (2, 2), (4, 1)])
def test_attention_gradient_gqa(hq: int, hkv: int) -> None:
    B, T, D = 1, 4, 3
    result = gradcheck(lambda q, k, v: F.attention(q, k, v),
                       [rand(B, hq, T, D), rand(B, hkv, T, D), rand(B, hkv, T, D)])
    assert result.ok, result


def test_attention_gradient_kv_prefix_and_non_causal() -> None:
    q, k, v = rand(1, 2, 2, 3), rand(1, 1, 5, 3), rand(1, 1, 5, 3)
    assert gradcheck(lambda q, k, v: F.attention(q, k, v), [q, k, v]).ok
    assert gradcheck(lambda q, k, v: F.attention(q, k, v, causal=False), [q, k, v]).ok


@pytest.mark.parametrize("causal", [True, False])
def test_attention_gradient_key_start(causal: bool) -> None:
    starts = np.array([0, 2])
    result = gradcheck(lambda q, k, v: F.attention(q, k, v, causal=causal, key_start=starts),
                       [rand(2, 4, 4, 3), rand(2, 2, 4, 3), rand(2, 2, 4, 3)])
    assert result.ok, result


def test_composite_block_gradient() -> None:
    """A tiny pre-norm attention + SwiGLU block, differentiated end to end."""
    B, T, C, H, D = 1, 3, 4, 2, 2

    def block(x, wn, wq, wk, wv, wg, wu) -> F.Tensor:
        h = F.rms_norm(x, wn)
        q = F.linear(h, wq).reshape(B, T, H, D).transpose(0, 2, 1, 3)
        k = F.linear(h, wk).reshape(B, T, 1, D).transpose(0, 2, 1, 3)
        v = F.linear(h, wv).reshape(B, T, 1, D).transpose(0, 2, 1, 3)
        pos = np.arange(T)
        a = F.attention(F.rope(q, pos), F.rope(k, pos), v).transpose(0, 2, 1, 3).reshape(B, T, C)
        x = x + a
        return x + F.swiglu(F.linear(x, wg), F.linear(x, wu)).sum(axis=-1, keepdims=True)

    inputs = [rand(B, T, C), rand(C), rand(C, C), rand(D, C), rand(D, C), rand(5, C), rand(5, C)]
    result = gradcheck(block, inputs)
    assert result.ok, result
