"""Neural-network functions on :class:`~simplex_training.dual.tensor.DualTensor`.

Scope: layer normalisation over the last axis and the three losses of the original
``DualTensor`` (``../shared/reference/original-system.md`` §2.1): mean-squared error,
cross-entropy with integer class targets (mean over rows) and binary cross-entropy on
probabilities. Every function is a composition of DualTensor primitives except where a fused
tangent rule is cheaper and exact (``cross_entropy`` through ``log_softmax``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simplex_training.dual.tensor import DualTensor, as_dual

__all__ = ["layer_norm", "mse_loss", "cross_entropy", "binary_cross_entropy"]


def layer_norm(x: DualTensor, weight: Any = None, bias: Any = None, eps: float = 1e-5) -> DualTensor:
    """``(x - mean) / sqrt(var + eps) * weight + bias`` over the last axis (biased variance)."""
    mu = x.mean(axis=-1, keepdims=True)
    centred = x - mu
    var = (centred * centred).mean(axis=-1, keepdims=True)
    y = centred / (var + eps).sqrt()
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def mse_loss(pred: DualTensor, target: Any) -> DualTensor:
    """Mean of ``(pred - target)^2`` over all elements."""
    diff = pred - target
    return (diff * diff).mean()


def cross_entropy(logits: DualTensor, targets: np.ndarray) -> DualTensor:
    """Mean negative log-likelihood of integer ``targets`` (shape ``logits.shape[:-1]``)."""
    t = np.asarray(targets, dtype=np.int64)
    if t.shape != logits.shape[:-1]:
        raise ValueError(f"targets shape {t.shape} does not match logits {logits.shape}")
    if t.size and (t.min() < 0 or t.max() >= logits.shape[-1]):
        raise ValueError("target class out of range")
    logp = logits.log_softmax().reshape(-1, logits.shape[-1])
    picked = logp[np.arange(t.size), t.reshape(-1)]
    return -picked.mean()


def binary_cross_entropy(probs: DualTensor, targets: Any, eps: float = 1e-12) -> DualTensor:
    """``-mean(t log p + (1 - t) log(1 - p))`` on probabilities; ``p`` is kept in ``[eps, 1-eps]``.

    Inside that interval the derivative is exact; an element clipped at a bound has zero tangent.
    """
    t = np.asarray(targets, dtype=np.float64)
    inside = (probs.value > eps) & (probs.value < 1.0 - eps)
    p = DualTensor(np.clip(probs.value, eps, 1.0 - eps), probs.tangent * inside)
    one = as_dual(np.ones_like(p.value), p.k)
    return -(t * p.log() + (1.0 - t) * (one - p).log()).mean()
