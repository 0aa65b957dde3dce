"""Neural-network ops: embedding, softmax family, cross-entropy, norms, dropout, SwiGLU.

Public API (also in :mod:`simplex_training.engine.functional`):
``embedding(weight (V, C), ids int (...)) -> (..., C)``  gather; backward is a scatter-add kernel.
``softmax(x)``, ``log_softmax(x)``                       over the last axis.
``cross_entropy(logits (N, V) | (B, T, V), targets int (N,) | (B, T), ignore_index=-100,
reduction="mean" | "sum") -> scalar``  mean over non-ignored targets; 0 (zero grad) if none.
``rms_norm(x (..., C), weight (C,), eps=1e-5)``           x / sqrt(mean(x^2) + eps) * weight.
``layer_norm(x (..., C), weight (C,) | None, bias (C,) | None, eps=1e-5)``
``dropout(x, p, rng: np.random.Generator, training=True)`` Bernoulli(1-p) mask scaled by 1/(1-p).
``swiglu(gate, up)``                                        silu(gate) * up (fused kernel).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simplex_training.engine.kernels import dropout as _dropout_k
from simplex_training.engine.kernels import embedding as _emb_k
from simplex_training.engine.kernels import rmsnorm as _rms_k
from simplex_training.engine.kernels import softmax_cross_entropy as _xent_k
from simplex_training.engine.kernels import swiglu as _swiglu_k
from simplex_training.engine.tensor import Tensor, accumulate, make_output

__all__ = ["embedding", "softmax", "log_softmax", "cross_entropy", "rms_norm", "layer_norm",
           "dropout", "swiglu"]


def _ids(ids: Any) -> np.ndarray:
    arr = ids.data if isinstance(ids, Tensor) else np.asarray(ids)
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and np.all(arr == np.round(arr)):
            return arr.astype(np.int64)
        raise TypeError(f"ids/targets must be integers, got {arr.dtype}")
    return arr


def _same_dtype(*ts: Tensor | None) -> None:
    dtypes = {t.dtype for t in ts if t is not None}
    if len(dtypes) > 1:
        raise TypeError(f"mixed dtypes {sorted(map(str, dtypes))}: cast explicitly")


# ---------------------------------------------------------------------- embedding
def embedding(weight: Tensor, ids: Any) -> Tensor:
    idx = _ids(ids)
    V = weight.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= V):
        raise IndexError(f"token id out of range [0, {V})")

    def _backward(g: np.ndarray) -> None:
        accumulate(weight, _emb_k.embedding_backward(idx, g, V), fresh=True)

    return make_output(np.take(weight.data, idx, axis=0), (weight,), _backward, "embedding")


# ---------------------------------------------------------------------- softmax family
def softmax(x: Tensor) -> Tensor:
    z = x.data - x.data.max(axis=-1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=-1, keepdims=True)
    y = z  # (..., V)

    def _backward(g: np.ndarray) -> None:
        gy = g * y
        accumulate(x, gy - y * gy.sum(axis=-1, keepdims=True), fresh=True)

    return make_output(y, (x,), _backward, "softmax")


def log_softmax(x: Tensor) -> Tensor:
    m = x.data.max(axis=-1, keepdims=True)
    lse = m + np.log(np.exp(x.data - m).sum(axis=-1, keepdims=True))
    y = x.data - lse

    def _backward(g: np.ndarray) -> None:
        accumulate(x, g - np.exp(y) * g.sum(axis=-1, keepdims=True), fresh=True)

    return make_output(y, (x,), _backward, "log_softmax")


def cross_entropy(logits: Tensor, targets: Any, ignore_index: int = -100,
                  reduction: str = "mean") -> Tensor:
    if reduction not in ("mean", "sum"):
        raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")
    V = logits.shape[-1]
    tgt = _ids(targets)
    if tgt.shape != logits.shape[:-1]:
        raise ValueError(f"targets {tgt.shape} do not match logits {logits.shape}")
    logits2 = logits.data.reshape(-1, V)  # (N, V)
    tgt1 = tgt.reshape(-1)
    losses, probs, count = _xent_k.xent_forward(logits2, tgt1, ignore_index)
    denom = max(count, 1) if reduction == "mean" else 1
    loss = np.asarray(losses.sum() / denom, dtype=logits.dtype)  # 0 when every target is ignored

    def _backward(g: np.ndarray) -> None:
        scale = float(g) / denom
        d = _xent_k.xent_backward(probs, tgt1, scale, ignore_index)
        accumulate(logits, d.reshape(logits.shape), fresh=True)

    return make_output(loss, (logits,), _backward, "cross_entropy")


# ---------------------------------------------------------------------- normalisation
def rms_norm(x: Tensor, weight: Tensor, eps: float = 1e-5) -> Tensor:
    _same_dtype(x, weight)
    C = x.shape[-1]
    if weight.shape != (C,):
        raise ValueError(f"rms_norm weight {weight.shape} does not match x {x.shape}")
    x2 = np.ascontiguousarray(x.data).reshape(-1, C)  # (N, C)
    y, rstd = _rms_k.rmsnorm_forward(x2, weight.data, eps)

    def _backward(g: np.ndarray) -> None:
        dx, dw = _rms_k.rmsnorm_backward(g.reshape(-1, C), x2, weight.data, rstd,
                                         x.requires_grad, weight.requires_grad)
        if dx is not None:
            accumulate(x, dx.reshape(x.shape), fresh=True)
        if dw is not None:
            accumulate(weight, dw, fresh=True)

    return make_output(y.reshape(x.shape), (x, weight), _backward, "rms_norm")


def layer_norm(x: Tensor, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    _same_dtype(x, weight, bias)
    C = x.shape[-1]
    x2 = x.data.reshape(-1, C)  # (N, C)
    mu = x2.mean(axis=-1, keepdims=True)
    xc = x2 - mu
    rstd = 1.0 / np.sqrt((xc * xc).mean(axis=-1, keepdims=True) + eps)  # (N, 1)
    xhat = xc * rstd
    y = xhat * weight.data if weight is not None else xhat.copy()
    if bias is not None:
        y += bias.data
    parents = tuple(t for t in (x, weight, bias) if t is not None)

    def _backward(g: np.ndarray) -> None:
        g2 = g.reshape(-1, C)
        if x.requires_grad:
            dxhat = g2 * weight.data if weight is not None else g2
            dx = rstd * (dxhat - dxhat.mean(axis=-1, keepdims=True)
                         - xhat * (dxhat * xhat).mean(axis=-1, keepdims=True))
            accumulate(x, dx.reshape(x.shape), fresh=True)
        if weight is not None and weight.requires_grad:
            accumulate(weight, (g2 * xhat).sum(axis=0), fresh=True)
        if bias is not None and bias.requires_grad:
            accumulate(bias, g2.sum(axis=0), fresh=True)

    return make_output(y.reshape(x.shape), parents, _backward, "layer_norm")


# ---------------------------------------------------------------------- dropout / swiglu
def dropout(x: Tensor, p: float, rng: np.random.Generator, training: bool = True) -> Tensor:
    """Inverted dropout; identity (the same tensor) when not training or p == 0.

    One number is drawn from ``rng`` per call: the seed of the mask (:mod:`..kernels.dropout`),
    which the backward pass recomputes instead of storing.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return x
    if p == 1.0:
        def _backward_all(g: np.ndarray) -> None:
            accumulate(x, np.zeros(x.shape, dtype=x.dtype), fresh=True)

        return make_output(np.zeros(x.shape, dtype=x.dtype), (x,), _backward_all, "dropout")
    seed = int(rng.integers(0, 2**63 - 1))

    def _backward(g: np.ndarray) -> None:
        accumulate(x, _dropout_k.dropout_apply(g, seed, p), fresh=True)

    return make_output(_dropout_k.dropout_apply(x.data, seed, p), (x,), _backward, "dropout")


def swiglu(gate: Tensor, up: Tensor) -> Tensor:
    _same_dtype(gate, up)

    def _backward(g: np.ndarray) -> None:
        dgate, dup = _swiglu_k.swiglu_backward(gate.data, up.data, g, gate.requires_grad,
                                               up.requires_grad)
        if dgate is not None:
            accumulate(gate, dgate, fresh=True)
        if dup is not None:
            accumulate(up, dup, fresh=True)

    return make_output(_swiglu_k.swiglu_forward(gate.data, up.data), (gate, up), _backward,
                       "swiglu")
