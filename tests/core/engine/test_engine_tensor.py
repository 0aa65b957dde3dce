"""Tensor core: graph construction, accumulation, no_grad, detach, dtypes, frozen parameters."""

from __future__ import annotations

import numpy as np
import pytest

from simplex_training.engine import Parameter, Tensor, enable_grad, is_grad_enabled, no_grad
from simplex_training.engine import functional as F


def test_scalar_backward_and_accumulation() -> None:
    x = Parameter(np.array([1.0, 2.0, 3.0], dtype=np.float32))
    y = (x * x).sum()
    y.backward()
    np.testing.assert_allclose(x.grad, [2.0, 4.0, 6.0])
    (x * 3.0).sum().backward()  # gradients accumulate across backward calls
    np.testing.assert_allclose(x.grad, [5.0, 7.0, 9.0])
    x.zero_grad()
    assert x.grad is None


def test_shared_input_used_twice_and_diamond() -> None:
    x = Parameter(np.array([2.0], dtype=np.float64))
    a = x * 3.0
    b = x + x  # same tensor twice in one op
    (a * b).sum().backward()  # d/dx 6x^2 = 12x
    np.testing.assert_allclose(x.grad, [24.0])


def test_add_passthrough_grads_are_not_aliased() -> None:
    a = Parameter(np.zeros(3, dtype=np.float32))
    b = Parameter(np.zeros(3, dtype=np.float32))
    (a + b).sum().backward()
    assert not np.shares_memory(a.grad, b.grad)
    a.grad *= 5.0
    np.testing.assert_array_equal(b.grad, np.ones(3))


def test_backward_needs_grad_for_non_scalar() -> None:
    x = Parameter(np.ones((2, 2), dtype=np.float32))
    with pytest.raises(RuntimeError):
        (x * 2.0).backward()
    (x * 2.0).backward(np.full((2, 2), 0.5, dtype=np.float32))
    np.testing.assert_allclose(x.grad, np.ones((2, 2)))


def test_non_leaf_grad_released_unless_retained() -> None:
    x = Parameter(np.ones(3, dtype=np.float32))
    h = x * 2.0
    kept = (x * 3.0).retain_grad()
    (h.sum() + kept.sum()).backward()
    assert h.grad is None
    np.testing.assert_array_equal(kept.grad, np.ones(3))


def test_no_grad_and_detach() -> None:
    x = Parameter(np.ones(3, dtype=np.float32))
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        y = x * 2.0
        with enable_grad():
            assert (x * 2.0).requires_grad
    assert is_grad_enabled()
    assert not y.requires_grad and y.is_leaf
    d = (x * 2.0).detach()
    assert not d.requires_grad and d.is_leaf
    z = (d * x).sum()
    z.backward()
    np.testing.assert_array_equal(x.grad, d.data)


def test_float32_preserved_everywhere() -> None:
    rng = np.random.default_rng(0)
    f32 = np.float32
    x = Parameter(rng.standard_normal((2, 4, 8)).astype(f32))
    w = Parameter(np.ones(8, dtype=f32))
    W = Parameter(rng.standard_normal((6, 8)).astype(f32))
    h = F.rms_norm(x * np.float64(2.0) + 1.0, w)  # numpy float64 scalar must not upcast
    h = F.gelu(F.silu(h), "none") / 2 - h.exp().log() ** 2.0
    logits = F.linear(h, W)
    q = h.reshape(2, 4, 2, 4).transpose(0, 2, 1, 3)
    a = F.attention(F.rope(q, np.arange(4)), q, q)
    loss = F.cross_entropy(logits, np.zeros((2, 4), dtype=np.int64)) + a.mean()
    for t in (h, logits, a, loss, F.softmax(h), F.layer_norm(h, w, w), F.swiglu(h, h)):
        assert t.dtype == np.float32, t
    loss.backward()
    for p in (x, w, W):
        assert p.grad.dtype == np.float32


def test_mixed_dtypes_refused() -> None:
    a = Tensor(np.ones(2, dtype=np.float32))
    b = Tensor(np.ones(2, dtype=np.float64))
    with pytest.raises(TypeError):
        _ = a + b
    with pytest.raises(TypeError):
        _ = a @ Tensor(np.ones((2, 2)))
    c = a.astype(np.float64) + b
    assert c.dtype == np.float64


def test_astype_gradient_is_cast_back() -> None:
    x = Parameter(np.array([1.0, 2.0], dtype=np.float32))
    (x.astype(np.float64) ** 2).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad, [2.0, 4.0])


def test_default_dtype_and_properties() -> None:
    t = Tensor([[1, 2, 3]], name="t")
    assert t.dtype == np.float32 and t.shape == (1, 3) and t.ndim == 2 and t.size == 3
    assert t.numpy() is t.data and t.name == "t"
    assert Tensor(np.arange(3.0)).dtype == np.float64
    with pytest.raises(TypeError):
        Tensor(np.arange(3), requires_grad=True, dtype=np.int64)


def test_frozen_weight_gets_no_grad_and_no_dw_work(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(0)
    x = Parameter(rng.standard_normal((2, 3, 4)).astype(np.float32))
    W = Parameter(rng.standard_normal((5, 4)).astype(np.float32)).freeze()
    norm_w = Parameter(np.ones(4, dtype=np.float32)).freeze()
    calls: list[tuple[int, ...]] = []

    from simplex_training.engine.kernels import rmsnorm as rms_k
    original = rms_k.rmsnorm_backward

    def spy(dy, x2, w, rstd, need_x=True, need_w=True):  # type: ignore[no-untyped-def]
        assert need_w is False  # the frozen norm weight's dw is never computed
        calls.append(dy.shape)
        return original(dy, x2, w, rstd, need_x, need_w)

    monkeypatch.setattr(rms_k, "rmsnorm_backward", spy)
    (F.linear(F.rms_norm(x, norm_w), W).sum() + (x @ W.T).sum()).backward()
    assert W.grad is None and norm_w.grad is None
    assert x.grad is not None and calls
    # the matmul backward only runs GEMMs for inputs that require grad
    g = Tensor(np.ones((2, 3, 5), dtype=np.float32))
    out = F.matmul(Tensor(x.data), W.T)
    assert not out.requires_grad
    W.unfreeze()
    (F.linear(Tensor(x.data), W) * g).sum().backward()
    np.testing.assert_allclose(W.grad, np.ones((5, 2 * 3)) @ x.data.reshape(6, 4), rtol=1e-5)


def test_deep_graph_no_recursion_limit() -> None:
    x = Parameter(np.ones(1, dtype=np.float64))
    y = x
    for _ in range(5000):
        y = y * 1.0 + 0.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0])
