"""Forward-mode derivative helpers built on :class:`Dual` and :class:`DualTensor`.

Scope
-----
``jvp(f, x, v)``
    value and Jacobian-vector product(s) of ``f`` at ``x`` along ``v`` (one direction of shape
    ``x.shape`` or a stack ``(k, *x.shape)``): one forward pass.
``gradient(f, x, chunk=64)``
    the full gradient of a scalar ``f`` by forward mode with ``x.size`` identity tangents, pushed
    ``chunk`` directions per pass (memory ``O(chunk · size of every intermediate)``). Cost grows
    with ``x.size``; reverse mode (``simplex_training.engine``) is the right tool for many inputs.
``derivative(f, x)``
    ``f'(x)`` for a scalar function of a scalar, via :meth:`Dual.variable`.

``f`` receives a DualTensor (``jvp``, ``gradient``) or a Dual (``derivative``) and must return one.
Reference: Griewank & Walther, *Evaluating Derivatives* (2nd ed.), §3.1 (tangent propagation).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from simplex_training.dual.scalar import Dual
from simplex_training.dual.tensor import DualTensor

__all__ = ["jvp", "gradient", "derivative", "value_and_gradient"]


def jvp(f: Callable[[DualTensor], DualTensor], x: Any, v: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(f(x), J_f(x) v)``; with ``v`` of shape ``(k, *x.shape)`` the product has shape ``(k, *out)``."""
    x = np.asarray(x, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    single = v.shape == x.shape
    out = f(DualTensor.variable(x, tangents=v[None] if single else v))
    return out.value, (out.tangent[0] if single else out.tangent)


def value_and_gradient(f: Callable[[DualTensor], DualTensor], x: Any, chunk: int = 64) -> tuple[float, np.ndarray]:
    """``(f(x), grad f(x))`` for scalar ``f``, using ``ceil(x.size / chunk)`` forward passes."""
    x = np.asarray(x, dtype=np.float64)
    n = x.size
    grad = np.empty(n)
    value = float("nan")
    for start in range(0, max(n, 1), chunk):
        stop = min(start + chunk, n)
        tan = np.zeros((stop - start, n))
        tan[np.arange(stop - start), np.arange(start, stop)] = 1.0
        out = f(DualTensor.variable(x, tangents=tan.reshape((stop - start,) + x.shape)))
        if out.value.size != 1:
            raise ValueError(f"gradient() needs a scalar function, got output shape {out.shape}")
        value = float(out.value.reshape(()))
        grad[start:stop] = out.tangent.reshape(stop - start)
    return value, grad.reshape(x.shape)


def gradient(f: Callable[[DualTensor], DualTensor], x: Any, chunk: int = 64) -> np.ndarray:
    """``grad f(x)`` (shape ``x.shape``) by forward mode with identity tangents, in chunks."""
    return value_and_gradient(f, x, chunk)[1]


def derivative(f: Callable[[Dual], Dual], x: float) -> float:
    """``f'(x)`` of a scalar function via one dual evaluation."""
    out = f(Dual.variable(x))
    return float(out.der) if isinstance(out, Dual) else 0.0
