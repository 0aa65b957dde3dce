"""Differentiable gate primitives: custom engine ops with hand-written backward passes.

Scope
-----
Threshold gates in their three modes, a range clamp, Gumbel-softmax sampling, top-k routing and
symmetric fake quantisation. The soft Boolean ops (``soft_and`` ... ``or_all``) live in
:mod:`simplex_training.gates.ops_logic` and are re-exported here.

Public API
----------
``soft_gate(x, threshold=0.0, temperature=1.0)``        sigmoid((x - thr) / T); grads to x, thr, T
``hard_gate(x, threshold=0.0)``                          1[x >= thr]; a constant (no gradient)
``straight_through(x, threshold=0.0, temperature=1.0)`` value 1[x >= thr], gradient of soft_gate
``ste_identity(x, threshold=0.0, low=0.0, high=1.0)``    value high/low by x >= thr, gradient 1 to x
``clamp(x, lo, hi)``                                    clip; see the docstring for its gradient
``gumbel_noise(shape, rng, dtype)``                      g = -log(-log u), u clipped to (1e-10, 1-1e-10)
``gumbel_softmax(logits, tau, rng, hard=False, axis=-1)`` softmax((logits + g) / tau) along ``axis``
``top_k_renormalise(p, k, axis=-1)``                    keep the k largest, divide by their sum
``fake_quantize(w, bits)``                              symmetric per-tensor grid, identity gradient

``threshold`` and ``temperature`` may be python floats, numpy arrays or Tensors (e.g. learnable
Parameters); they broadcast against ``x`` and receive summed gradients. Every output has ``x``'s
dtype; a Tensor operand of another float dtype raises ``TypeError`` (as in the engine).

References: Bengio, Léonard & Courville 2013, "Estimating or propagating gradients through
stochastic neurons" (straight-through estimator); Jang, Gu & Poole 2017, "Categorical
reparameterization with Gumbel-softmax" (and Maddison et al. 2017, the Concrete distribution).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simplex_training.engine.tensor import Tensor, accumulate, as_tensor, make_output, unbroadcast
from simplex_training.gates.ops_logic import (and_all, logit, or_all, sharpen, soft_and, soft_iff,
                                              soft_implies, soft_nand, soft_nor, soft_not, soft_or,
                                              soft_xor)

__all__ = ["soft_gate", "hard_gate", "straight_through", "ste_identity", "clamp", "gumbel_noise",
           "gumbel_softmax", "top_k_renormalise", "fake_quantize", "logit", "sharpen", "soft_and",
           "soft_or", "soft_not", "soft_xor", "soft_implies", "soft_iff", "soft_nand", "soft_nor",
           "and_all", "or_all", "sigmoid_np", "GUMBEL_EPS"]

GUMBEL_EPS = 1e-10


def sigmoid_np(z: np.ndarray) -> np.ndarray:
    """Overflow-free logistic function (keeps the dtype)."""
    return 0.5 * (np.tanh(0.5 * z) + 1.0)


def _like(x: Any, ref: Tensor) -> Tensor:
    t = as_tensor(x, like=ref)
    if t.dtype != ref.dtype:
        raise TypeError(f"dtype mismatch {t.dtype} vs {ref.dtype}: cast explicitly with astype()")
    return t


def _x(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _give(t: Tensor, g: np.ndarray) -> None:
    """Accumulate a freshly computed gradient, summed over broadcast axes."""
    if t.requires_grad:
        r = np.asarray(unbroadcast(g, t.shape), dtype=t.dtype)
        accumulate(t, r if r.flags.c_contiguous else np.array(r, order="C"), fresh=True)


def _threshold_backward(g: np.ndarray, dydz: np.ndarray, z: np.ndarray, x: Tensor, thr: Tensor,
                        tau: Tensor) -> None:
    """Gradients of y = f((x - thr) / T) given dy/dz: x gets dydz/T, thr -dydz/T, T -dydz z/T."""
    gx = g * dydz / tau.data
    gthr = -gx if thr.requires_grad else None
    gtau = -gx * z if tau.requires_grad else None
    _give(x, gx)
    if gthr is not None:
        _give(thr, gthr)
    if gtau is not None:
        _give(tau, gtau)


def soft_gate(x: Any, threshold: Any = 0.0, temperature: Any = 1.0) -> Tensor:
    """sigmoid((x - threshold) / temperature), differentiable in all three arguments."""
    x = _x(x)
    thr, tau = _like(threshold, x), _like(temperature, x)
    z = (x.data - thr.data) / tau.data
    y = sigmoid_np(z)

    def _backward(g: np.ndarray) -> None:
        _threshold_backward(g, y * (1.0 - y), z, x, thr, tau)

    return make_output(y, (x, thr, tau), _backward, "soft_gate")


def hard_gate(x: Any, threshold: Any = 0.0) -> Tensor:
    """1[x >= threshold] as a constant tensor in x's dtype (inference mode: no gradient)."""
    x = _x(x)
    thr = _like(threshold, x)
    return Tensor((x.data >= thr.data).astype(x.dtype))


def straight_through(x: Any, threshold: Any = 0.0, temperature: Any = 1.0) -> Tensor:
    """Hard value 1[x >= thr] with the soft sigmoid((x - thr)/T) derivative (hybrid mode)."""
    x = _x(x)
    thr, tau = _like(threshold, x), _like(temperature, x)
    z = (x.data - thr.data) / tau.data
    y = (x.data >= thr.data).astype(x.dtype)
    y = np.broadcast_to(y, z.shape).copy() if y.shape != z.shape else y

    def _backward(g: np.ndarray) -> None:
        s = sigmoid_np(z)
        _threshold_backward(g, s * (1.0 - s), z, x, thr, tau)

    return make_output(y, (x, thr, tau), _backward, "straight_through")


def ste_identity(x: Any, threshold: Any = 0.0, low: float = 0.0, high: float = 1.0) -> Tensor:
    """Value ``high`` where x >= thr else ``low``; the gradient passes to x unchanged."""
    x = _x(x)
    thr = _like(threshold, x)
    y = np.where(x.data >= thr.data, high, low).astype(x.dtype)

    def _backward(g: np.ndarray) -> None:
        _give(x, np.array(g, copy=True))

    return make_output(y, (x,), _backward, "ste_identity")


def clamp(x: Any, lo: float, hi: float) -> Tensor:
    """Clip to [lo, hi]. Inside the range the gradient is 1. Outside it is kept only when a
    gradient-descent step would move x back towards the range (g > 0 above ``hi``, g < 0 below
    ``lo``), so a clamped parameter cannot get stuck at a bound; elsewhere it is 0."""
    x = _x(x)
    y = np.clip(x.data, lo, hi)

    def _backward(g: np.ndarray) -> None:
        keep = ((x.data >= lo) & (x.data <= hi)) | ((x.data > hi) & (g > 0)) | ((x.data < lo) & (g < 0))
        _give(x, np.where(keep, g, 0.0).astype(x.dtype))

    return make_output(y, (x,), _backward, "clamp")


def gumbel_noise(shape: tuple[int, ...], rng: np.random.Generator, dtype: Any = np.float32) -> np.ndarray:
    """Standard Gumbel samples -log(-log u) with u ~ U(0, 1) clipped to (1e-10, 1 - 1e-10)."""
    u = np.clip(rng.random(shape), GUMBEL_EPS, 1.0 - GUMBEL_EPS)
    return (-np.log(-np.log(u))).astype(dtype)


def _one_hot_argmax(y: np.ndarray, axis: int) -> np.ndarray:
    out = np.zeros_like(y)
    np.put_along_axis(out, np.expand_dims(np.argmax(y, axis=axis), axis), 1.0, axis=axis)
    return out


def gumbel_softmax(logits: Any, tau: Any = 1.0, rng: np.random.Generator | None = None,
                   hard: bool = False, axis: int = -1) -> Tensor:
    """A relaxed one-hot sample softmax((logits + g) / tau) along ``axis`` (leading axes are a batch).

    ``rng=None`` adds no noise (a plain tempered softmax). ``hard=True`` returns one-hot(argmax)
    with the gradient of the soft sample (straight-through). ``tau`` may be a Tensor.
    """
    logits = _x(logits)
    t = _like(tau, logits)
    noise = gumbel_noise(logits.shape, rng, logits.dtype) if rng is not None else 0.0
    z = (logits.data + noise) / t.data
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    y = e / e.sum(axis=axis, keepdims=True)
    out = _one_hot_argmax(y, axis) if hard else y

    def _backward(g: np.ndarray) -> None:
        gs = y * (g - (g * y).sum(axis=axis, keepdims=True))  # softmax VJP w.r.t. z
        gtau = -gs * z / t.data if t.requires_grad else None
        _give(logits, gs / t.data)
        if gtau is not None:
            _give(t, gtau)

    return make_output(out, (logits, t), _backward, "gumbel_softmax")


def top_k_renormalise(p: Any, k: int, axis: int = -1) -> Tensor:
    """Zero all but the ``k`` largest entries along ``axis`` and renormalise them to sum to 1.

    Ties go to the lower index. The gradient flows through the kept entries only:
    dL/dp_j = (g_j - sum_i g_i y_i) / S for kept j (S = sum of the kept p), 0 otherwise.
    """
    p = _x(p)
    n = p.shape[axis]
    if k < 1:
        raise ValueError(f"top-k needs k >= 1, got {k}")
    order = np.argsort(-p.data, axis=axis, kind="stable")
    keep = np.zeros(p.shape, dtype=bool)
    np.put_along_axis(keep, np.take(order, np.arange(min(k, n)), axis=axis), True, axis=axis)
    kept = np.where(keep, p.data, 0.0).astype(p.dtype)
    s = kept.sum(axis=axis, keepdims=True)
    y = kept / s

    def _backward(g: np.ndarray) -> None:
        gp = (g - (g * y).sum(axis=axis, keepdims=True)) / s
        _give(p, np.where(keep, gp, 0.0).astype(p.dtype))

    return make_output(y, (p,), _backward, "top_k_renormalise")


def fake_quantize(w: Any, bits: int) -> Tensor:
    """Symmetric per-tensor fake quantisation with a straight-through (identity) gradient.

    scale = max|w| / (2^(bits-1) - 1); w_hat = clip(round(w / scale), -qmax, qmax) * scale.
    An all-zero tensor is returned unchanged.
    """
    if bits < 2:
        raise ValueError(f"symmetric quantisation needs at least 2 bits, got {bits}")
    w = _x(w)
    qmax = 2 ** (bits - 1) - 1
    amax = float(np.abs(w.data).max()) if w.data.size else 0.0
    if amax == 0.0:
        y = w.data.copy()
    else:
        scale = amax / qmax
        y = (np.clip(np.round(w.data / scale), -qmax, qmax) * scale).astype(w.dtype)

    def _backward(g: np.ndarray) -> None:
        _give(w, np.array(g, copy=True))

    return make_output(y, (w,), _backward, f"fake_quantize{bits}")
