"""AdamW / SGD vs hand-written numpy, non-finite skip, clipping, state dicts, LR schedules."""

from __future__ import annotations

import logging
import math

import numpy as np
import pytest

from simplex_training.engine import Parameter
from simplex_training.engine.lr_schedules import (SCHEDULES, ConstantSchedule, CosineSchedule,
                                                  LinearSchedule, make_schedule)
from simplex_training.engine.optim import SGD, AdamW, clip_grad_norm


def _params(dtype: type = np.float64) -> list[Parameter]:
    rng = np.random.default_rng(0)
    return [Parameter(rng.standard_normal((3, 4)).astype(dtype), name="w"),
            Parameter(rng.standard_normal(4).astype(dtype), name="b")]


def _numpy_adamw(p, grads, lr, b1, b2, eps, wd):  # type: ignore[no-untyped-def]
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    for t, g in enumerate(grads, start=1):
        p = p - lr * wd * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        p = p - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
    return p, m, v


def test_adamw_matches_handwritten_numpy() -> None:
    rng = np.random.default_rng(1)
    (w,) = _params()[:1]
    start = w.data.copy()
    grads = [rng.standard_normal(w.shape) for _ in range(4)]
    opt = AdamW([w], lr=0.01, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    for g in grads:
        w.grad = g.copy()
        assert opt.step() is True
    want_p, want_m, want_v = _numpy_adamw(start, grads, 0.01, 0.9, 0.95, 1e-8, 0.1)
    np.testing.assert_allclose(w.data, want_p, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(opt.state[0]["m"], want_m, rtol=1e-12)
    np.testing.assert_allclose(opt.state[0]["v"], want_v, rtol=1e-12)
    assert opt.step_count == 4 and opt.state[0]["step"] == 4


def test_adamw_float32_and_param_groups_and_frozen() -> None:
    w, b = _params(np.float32)
    frozen = Parameter(np.ones(2, dtype=np.float32)).freeze()
    opt = AdamW([{"params": [w]}, {"params": [b, frozen], "weight_decay": 0.0}], lr=0.1,
                weight_decay=0.5)
    b_before = b.data.copy()
    w.grad = np.zeros_like(w.data)
    b.grad = np.zeros_like(b.data)
    opt.step()
    assert w.data.dtype == np.float32
    np.testing.assert_allclose(b.data, b_before)  # zero grad, no decay for this group
    assert 2 not in opt.state  # frozen parameter: no state
    assert set(opt.state) == {0, 1}


def test_step_skipped_on_non_finite_gradient(caplog: pytest.LogCaptureFixture) -> None:
    w, b = _params()
    opt = AdamW([w, b], lr=0.1)
    before = (w.data.copy(), b.data.copy())
    w.grad = np.ones_like(w.data)
    b.grad = np.array([1.0, np.nan, 0.0, 0.0])
    with caplog.at_level(logging.WARNING, logger="simplex_training.optim"):
        assert opt.step() is False
    assert any("non-finite" in r.message for r in caplog.records)
    assert np.array_equal(w.data, before[0]) and np.array_equal(b.data, before[1])
    assert opt.step_count == 0 and not opt.state
    b.grad = np.array([np.inf, 0.0, 0.0, 0.0])
    assert SGD([w, b], lr=0.1).step() is False


def test_sgd_momentum_weight_decay_vs_numpy() -> None:
    (w,) = _params()[:1]
    p = w.data.copy()
    rng = np.random.default_rng(2)
    grads = [rng.standard_normal(w.shape) for _ in range(3)]
    opt = SGD([w], lr=0.05, momentum=0.9, weight_decay=0.01)
    buf = None
    for g in grads:
        w.grad = g.copy()
        opt.step()
        d = g + 0.01 * p
        buf = d if buf is None else 0.9 * buf + d
        p = p - 0.05 * buf
    np.testing.assert_allclose(w.data, p, rtol=1e-12)


def test_clip_grad_norm() -> None:
    w, b = _params()
    w.grad = np.full(w.shape, 3.0)
    b.grad = np.full(b.shape, 4.0)
    expected = math.sqrt(12 * 9 + 4 * 16)
    assert clip_grad_norm([w, b], 1.0) == pytest.approx(expected)
    total = math.sqrt(float((w.grad ** 2).sum() + (b.grad ** 2).sum()))
    assert total == pytest.approx(1.0, rel=1e-5)
    assert clip_grad_norm([w, b], 10.0) == pytest.approx(1.0, rel=1e-5)  # below: untouched
    assert math.sqrt(float((w.grad ** 2).sum() + (b.grad ** 2).sum())) == pytest.approx(1.0, 1e-5)
    b.grad[0] = np.nan
    assert math.isnan(clip_grad_norm([w, b], 1.0))


def test_state_dict_round_trip_resumes_identically() -> None:
    rng = np.random.default_rng(3)
    grads = [[rng.standard_normal(s) for s in ((3, 4), (4,))] for _ in range(5)]

    def run(split: int | None) -> np.ndarray:
        params = _params(np.float32)
        opt = AdamW(params, lr=0.01, weight_decay=0.1)
        for i, gs in enumerate(grads):
            if split is not None and i == split:
                sd = opt.state_dict()
                assert isinstance(sd["step"], int) and isinstance(sd["state"][0]["step"], int)
                assert all(isinstance(a, np.ndarray) for s in sd["state"].values()
                           for k, a in s.items() if k != "step")
                opt = AdamW(params, lr=0.5)  # fresh optimizer, wrong lr until loaded
                opt.load_state_dict(sd)
                assert opt.lr == 0.01
            for p, g in zip(params, gs, strict=True):
                p.grad = g.astype(np.float32)
            opt.step()
        return np.concatenate([p.data.ravel() for p in params])

    assert run(None).tobytes() == run(2).tobytes()
    with pytest.raises(ValueError):
        SGD(_params()).load_state_dict(AdamW(_params()).state_dict())


def test_schedules_warmup_and_endpoints() -> None:
    cos = CosineSchedule(1e-3, total_steps=110, warmup_steps=10, min_lr=1e-4)
    assert cos(0) == pytest.approx(1e-4)
    assert cos(4) == pytest.approx(5e-4)
    assert cos(9) == pytest.approx(1e-3)
    assert cos(10) == pytest.approx(1e-3)
    assert cos(60) == pytest.approx(0.5 * (1e-3 + 1e-4))
    assert cos(110) == pytest.approx(1e-4) and cos(500) == pytest.approx(1e-4)
    lin = LinearSchedule(1.0, total_steps=10, warmup_steps=0, min_lr=0.0)
    assert [lin(s) for s in (0, 5, 10, 20)] == pytest.approx([1.0, 0.5, 0.0, 0.0])
    const = ConstantSchedule(0.3, warmup_steps=3)
    assert [const(s) for s in (0, 1, 2, 3, 1000)] == pytest.approx([0.1, 0.2, 0.3, 0.3, 0.3])
    lrs = [cos(s) for s in range(10, 111)]
    assert all(a >= b for a, b in zip(lrs, lrs[1:]))  # monotone decay after warmup
    assert set(SCHEDULES) == {"constant", "linear", "cosine"}
    assert make_schedule("cosine", 1.0, total_steps=4).name == "cosine"
    with pytest.raises(ValueError):
        make_schedule("step", 1.0)
    for bad in ({"lr": float("nan")}, {"lr": -1.0}, {"lr": 1.0, "min_lr": float("inf")}, {"lr": 1.0, "total_steps": -1}):
        with pytest.raises(ValueError, match="must be finite and >= 0"):
            CosineSchedule(**bad)
