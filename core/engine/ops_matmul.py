"""Matrix products through numpy BLAS: batched ``matmul`` and the fused ``linear``.

Public API (also ``Tensor.__matmul__`` and :mod:`simplex_training.engine.functional`):
``matmul(a, b)``   a (..., M, K) @ b (..., K, N) with numpy broadcasting of the batch dims.
                   When b is 2-D (a weight) the batch dims of a are folded into one GEMM, and
                   dB = A2^T dC2 is a single GEMM too (no per-batch products then summed).
``linear(x, weight, bias=None)``  y = x @ weight.T + bias with weight (out, in) as nn.Linear.
Only inputs with ``requires_grad`` get gradient GEMMs (frozen W: dX only, no dW).
Every 2-D product goes through :func:`~simplex_training.engine.kernels.gemm.gemm` (row blocks over
the engine's thread pool, single-threaded BLAS per block), transposes as BLAS flags, no copies.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simplex_training.engine.kernels.bmm import bmm
from simplex_training.engine.kernels.gemm import gemm
from simplex_training.engine.kernels.parallel import blas_single
from simplex_training.engine.tensor import Tensor, accumulate, as_tensor, make_output, unbroadcast

__all__ = ["matmul", "linear"]


def _pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    a = as_tensor(a, like=b if isinstance(b, Tensor) else None)
    b = as_tensor(b, like=a)
    if a.dtype != b.dtype:
        raise TypeError(f"matmul dtype mismatch {a.dtype} vs {b.dtype}")
    if a.ndim < 2 or b.ndim < 2:
        raise ValueError(f"matmul needs >= 2-D operands, got {a.shape} @ {b.shape}")
    return a, b


def matmul(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    if b.ndim == 2:
        K, N = b.shape
        lead = a.shape[:-1]
        a2 = a.data.reshape(-1, K)  # (M', K)
        out = gemm(a2, b.data).reshape(*lead, N)

        def _backward(g: np.ndarray) -> None:
            g2 = g.reshape(-1, N)  # (M', N)
            if a.requires_grad:
                accumulate(a, gemm(g2, b.data.T).reshape(a.shape), fresh=True)
            if b.requires_grad:
                accumulate(b, gemm(a2.T, g2), fresh=True)

        return make_output(out, (a, b), _backward, "matmul")

    def _backward_batched(g: np.ndarray) -> None:
        if a.requires_grad:
            accumulate(a, unbroadcast(_batched(g, b.data.swapaxes(-1, -2)), a.shape), fresh=True)
        if b.requires_grad:
            accumulate(b, unbroadcast(_batched(a.data.swapaxes(-1, -2), g), b.shape), fresh=True)

    return make_output(_batched(a.data, b.data), (a, b), _backward_batched, "matmul")


def _batched(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Stacked product: per-matrix GEMMs over the engine pool (:func:`bmm`) when the batch dims
    agree, else numpy's broadcasting matmul, single-threaded BLAS either way (see kernels.parallel)."""
    if x.ndim == y.ndim and x.shape[:-2] == y.shape[:-2]:
        return bmm(x, y)
    with blas_single():
        return x @ y


def dense_forward(op: str, x: Tensor, weight: Tensor, bias: Tensor | None,
                  others: tuple[Tensor, ...] = (), names: str = "x, weight and bias"
                  ) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    """Checks of a linear layer's inputs, then ``(x2, y, lead)``: x as (N, in), x2 @ weight.T + bias, x's lead shape.

    ``others`` (e.g. LoRA's A and B) must share x's dtype too; ``names`` lists them in the error.
    """
    tensors = (weight, *others) + (() if bias is None else (bias,))
    if any(t.dtype != x.dtype for t in tensors):
        raise TypeError(f"{op}: {names} must share a dtype")
    n_in = weight.shape[1]
    if x.shape[-1] != n_in:
        raise ValueError(f"{op}: x {x.shape} does not match weight {weight.shape}")
    x2 = x.data.reshape(-1, n_in)  # (N, in)
    y = gemm(x2, weight.data.T)  # (N, out)
    if bias is not None:
        y += bias.data
    return x2, y, x.shape[:-1]


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x (..., in) @ weight.T (in, out) + bias (out,) -> (..., out)."""
    x2, y, lead = dense_forward("linear", x, weight, bias)
    n_out = weight.shape[0]
    parents = (x, weight) if bias is None else (x, weight, bias)

    def _backward(g: np.ndarray) -> None:
        g2 = g.reshape(-1, n_out)  # (N, out)
        if x.requires_grad:
            accumulate(x, gemm(g2, weight.data).reshape(x.shape), fresh=True)
        if weight.requires_grad:
            accumulate(weight, gemm(g2.T, x2), fresh=True)
        if bias is not None and bias.requires_grad:
            accumulate(bias, g2.sum(axis=0), fresh=True)

    return make_output(y.reshape(*lead, n_out), parents, _backward, "linear")
