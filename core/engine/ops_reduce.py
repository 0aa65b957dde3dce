"""Reductions over axes: ``sum``, ``mean``, ``max`` (keepdims supported), forward with backward.

Public API (also ``Tensor.sum/mean/max`` and :mod:`simplex_training.engine.functional`):
``sum(x, axis=None, keepdims=False)``, ``mean(x, axis=None, keepdims=False)``,
``max(x, axis=None, keepdims=False)`` — ``axis`` is None (all), an int or a tuple of ints.
The gradient of ``max`` is shared equally among tied maxima (like ``torch.amax``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from simplex_training.engine.tensor import Tensor, accumulate, make_output

__all__ = ["sum", "mean", "max"]

Axis = int | Sequence[int] | None


def _axes(axis: Axis, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    return tuple(sorted(int(a) % ndim for a in axes)) if ndim else ()


def _expand(g: np.ndarray, axes: tuple[int, ...], keepdims: bool, shape: tuple[int, ...]
            ) -> np.ndarray:
    """Broadcast an upstream gradient of a reduction back to the input shape (read-only view)."""
    if not keepdims:
        g = np.expand_dims(g, axes) if axes else g
    return np.broadcast_to(g, shape)


def sum(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    axes = _axes(axis, x.ndim)

    def _backward(g: np.ndarray) -> None:
        accumulate(x, _expand(g, axes, keepdims, x.shape))

    return make_output(np.asarray(x.data.sum(axis=axes, keepdims=keepdims)), (x,), _backward,
                       "sum")


def mean(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    axes = _axes(axis, x.ndim)
    count = 1
    for a in axes:
        count *= x.shape[a]

    def _backward(g: np.ndarray) -> None:
        accumulate(x, _expand(g * (1.0 / count), axes, keepdims, x.shape))

    out = np.asarray(x.data.mean(axis=axes, keepdims=keepdims), dtype=x.dtype)
    return make_output(out, (x,), _backward, "mean")


def max(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    axes = _axes(axis, x.ndim)
    top = x.data.max(axis=axes, keepdims=True)

    def _backward(g: np.ndarray) -> None:
        hit = x.data == top
        share = hit / hit.sum(axis=axes, keepdims=True).astype(x.dtype)
        accumulate(x, _expand(g, axes, keepdims, x.shape) * share, fresh=True)

    out = top if keepdims else np.asarray(top.reshape([n for i, n in enumerate(top.shape)
                                                       if i not in axes]))
    return make_output(out, (x,), _backward, "max")
