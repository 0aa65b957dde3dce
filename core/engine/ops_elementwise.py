"""Elementwise ops with numpy broadcasting, each forward next to its backward.

Public API (also on ``Tensor`` and in :mod:`simplex_training.engine.functional`):
``add(a, b)``, ``sub(a, b)``, ``mul(a, b)``, ``div(a, b)``, ``neg(x)``, ``pow(x, p: float)``,
``exp(x)``, ``log(x)``, ``sqrt(x)``, ``relu(x)``, ``tanh(x)``, ``sigmoid(x)``, ``silu(x)``,
``gelu(x, approximate="tanh" | "none")``, ``astype(x, dtype)``.

``a``/``b`` may be Tensors, numpy arrays or python scalars; a non-Tensor operand is a constant cast
to the Tensor operand's dtype. Two Tensors of different float dtypes raise ``TypeError``.
Gradients of broadcast operands are summed over the broadcast axes.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from simplex_training.engine.kernels import gelu as _gelu_k
from simplex_training.engine.tensor import Tensor, accumulate, as_tensor, make_output, unbroadcast

__all__ = ["add", "sub", "mul", "div", "neg", "pow", "exp", "log", "sqrt", "relu", "tanh",
           "sigmoid", "silu", "gelu", "astype"]


def _pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        if a.dtype != b.dtype:
            raise TypeError(f"dtype mismatch {a.dtype} vs {b.dtype}: cast explicitly with astype()")
        return a, b
    if isinstance(a, Tensor):
        return a, as_tensor(b, like=a)
    if isinstance(b, Tensor):
        return as_tensor(a, like=b), b
    return as_tensor(a), as_tensor(b)


def _grad_for(g: np.ndarray, t: Tensor) -> tuple[np.ndarray, bool]:
    """``g`` reduced to ``t``'s shape and whether the result is a new array."""
    r = unbroadcast(g, t.shape)
    return r, r is not g


# ---------------------------------------------------------------------- add / sub
def add(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)

    def _backward(g: np.ndarray) -> None:
        for t in (a, b):
            if t.requires_grad:
                accumulate(t, *_grad_for(g, t))

    return make_output(a.data + b.data, (a, b), _backward, "add")


def sub(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)

    def _backward(g: np.ndarray) -> None:
        if a.requires_grad:
            accumulate(a, *_grad_for(g, a))
        if b.requires_grad:
            accumulate(b, unbroadcast(-g, b.shape), fresh=True)

    return make_output(a.data - b.data, (a, b), _backward, "sub")


def neg(x: Tensor) -> Tensor:
    def _backward(g: np.ndarray) -> None:
        accumulate(x, -g, fresh=True)

    return make_output(-x.data, (x,), _backward, "neg")


# ---------------------------------------------------------------------- mul / div / pow
def mul(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)

    def _backward(g: np.ndarray) -> None:
        if a.requires_grad:
            accumulate(a, unbroadcast(g * b.data, a.shape), fresh=True)
        if b.requires_grad:
            accumulate(b, unbroadcast(g * a.data, b.shape), fresh=True)

    return make_output(a.data * b.data, (a, b), _backward, "mul")


def div(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    out = a.data / b.data

    def _backward(g: np.ndarray) -> None:
        gb = g / b.data
        if a.requires_grad:
            accumulate(a, unbroadcast(gb, a.shape), fresh=True)
        if b.requires_grad:
            accumulate(b, unbroadcast(-gb * out, b.shape), fresh=True)

    return make_output(out, (a, b), _backward, "div")


def pow(x: Tensor, p: float) -> Tensor:  # noqa: A001 - maths name
    if isinstance(p, Tensor):
        raise TypeError("pow supports a scalar exponent only")
    p = float(p)

    def _backward(g: np.ndarray) -> None:
        accumulate(x, g * (p * x.data ** (p - 1.0)), fresh=True)

    return make_output(x.data ** p, (x,), _backward, "pow")


# ---------------------------------------------------------------------- exp / log / sqrt
def exp(x: Tensor) -> Tensor:
    out = np.exp(x.data)

    def _backward(g: np.ndarray) -> None:
        accumulate(x, g * out, fresh=True)

    return make_output(out, (x,), _backward, "exp")


def log(x: Tensor) -> Tensor:
    def _backward(g: np.ndarray) -> None:
        accumulate(x, g / x.data, fresh=True)

    return make_output(np.log(x.data), (x,), _backward, "log")


def sqrt(x: Tensor) -> Tensor:
    out = np.sqrt(x.data)

    def _backward(g: np.ndarray) -> None:
        accumulate(x, g * 0.5 / out, fresh=True)

    return make_output(out, (x,), _backward, "sqrt")


# ---------------------------------------------------------------------- activations
def relu(x: Tensor) -> Tensor:
    positive = x.data > 0

    def _backward(g: np.ndarray) -> None:
        accumulate(x, g * positive, fresh=True)

    return make_output(np.where(positive, x.data, x.data.dtype.type(0)), (x,), _backward, "relu")


def tanh(x: Tensor) -> Tensor:
    out = np.tanh(x.data)

    def _backward(g: np.ndarray) -> None:
        accumulate(x, g * (1.0 - out * out), fresh=True)

    return make_output(out, (x,), _backward, "tanh")


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * z) + 1.0)  # stable for large |z|, keeps dtype


def sigmoid(x: Tensor) -> Tensor:
    out = _sigmoid(x.data)

    def _backward(g: np.ndarray) -> None:
        accumulate(x, g * out * (1.0 - out), fresh=True)

    return make_output(out, (x,), _backward, "sigmoid")


def silu(x: Tensor) -> Tensor:
    s = _sigmoid(x.data)

    def _backward(g: np.ndarray) -> None:
        accumulate(x, g * (s * (1.0 + x.data * (1.0 - s))), fresh=True)

    return make_output(x.data * s, (x,), _backward, "silu")


_GELU_C = math.sqrt(2.0 / math.pi)
_GELU_A = 0.044715


def gelu(x: Tensor, approximate: str = "tanh") -> Tensor:
    """GELU; ``approximate="tanh"`` (GPT-2 / ggml) or ``"none"`` (exact, with erf)."""
    z = x.data
    if approximate == "tanh":
        t = np.tanh(_GELU_C * (z + _GELU_A * z * z * z))
        out = 0.5 * z * (1.0 + t)

        def _backward(g: np.ndarray) -> None:
            dt = (1.0 - t * t) * (_GELU_C * (1.0 + 3.0 * _GELU_A * z * z))
            accumulate(x, g * (0.5 * (1.0 + t) + 0.5 * z * dt), fresh=True)

    elif approximate in ("none", "erf", "exact"):
        out = _gelu_k.gelu_erf_forward(z)

        def _backward(g: np.ndarray) -> None:
            accumulate(x, _gelu_k.gelu_erf_backward(z, g), fresh=True)

    else:
        raise ValueError(f"gelu approximate must be 'tanh' or 'none', got {approximate!r}")
    return make_output(out, (x,), _backward, "gelu")


def astype(x: Tensor, dtype: Any) -> Tensor:
    """Cast (e.g. float32 -> float64 for a check); the gradient is cast back."""
    dtype = np.dtype(dtype)
    if dtype == x.dtype:
        return x

    def _backward(g: np.ndarray) -> None:
        accumulate(x, g.astype(x.dtype), fresh=True)

    return make_output(x.data.astype(dtype), (x,), _backward, "astype")

