"""Shape ops: ``reshape``, ``transpose``/``permute``, indexing, ``concat``, ``stack``.

Public API (also on ``Tensor`` and in :mod:`simplex_training.engine.functional`):
``reshape(x, *shape)``, ``transpose(x, *axes)`` (no axes: reverse; numpy semantics),
``permute(x, *axes)``, ``swapaxes(x, a, b)``, ``getitem(x, index)`` (basic slicing and integer/boolean
array indexing; repeated indices accumulate via ``np.add.at``), ``concat(tensors, axis=0)``,
``stack(tensors, axis=0)``. Forward results are numpy views where numpy gives views.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from simplex_training.engine.tensor import Tensor, accumulate, make_output

__all__ = ["reshape", "transpose", "permute", "swapaxes", "getitem", "concat", "stack"]


def _shape_arg(shape: tuple[Any, ...]) -> tuple[int, ...]:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def reshape(x: Tensor, *shape: Any) -> Tensor:
    new_shape = _shape_arg(shape)

    def _backward(g: np.ndarray) -> None:
        accumulate(x, g.reshape(x.shape))

    return make_output(x.data.reshape(new_shape), (x,), _backward, "reshape")


def transpose(x: Tensor, *axes: Any) -> Tensor:
    perm = _shape_arg(axes) if axes else tuple(reversed(range(x.ndim)))
    perm = tuple(int(a) % x.ndim for a in perm)
    inverse = tuple(np.argsort(perm))

    def _backward(g: np.ndarray) -> None:
        accumulate(x, g.transpose(inverse))

    return make_output(x.data.transpose(perm), (x,), _backward, "transpose")


def permute(x: Tensor, *axes: Any) -> Tensor:
    return transpose(x, *axes)


def swapaxes(x: Tensor, a: int, b: int) -> Tensor:
    perm = list(range(x.ndim))
    perm[a], perm[b] = perm[b], perm[a]
    return transpose(x, *perm)


def _is_basic(index: Any) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, np.integer, slice)) or i is None or i is Ellipsis
               for i in items)


def _unwrap(index: Any) -> Any:
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in index)
    return index


def _distinct_rows(index: Any) -> bool:
    """A 1-D integer array of strictly increasing indices (no index twice: plain assignment suffices)."""
    return (isinstance(index, np.ndarray) and index.ndim == 1 and index.dtype.kind in "iu"
            and (index.size == 0 or index[0] >= 0) and bool(np.all(index[1:] > index[:-1])))


def getitem(x: Tensor, index: Any) -> Tensor:
    index = _unwrap(index)
    assign = _is_basic(index) or _distinct_rows(index)

    def _backward(g: np.ndarray) -> None:
        gx = np.zeros(x.shape, dtype=x.dtype)
        if assign:
            gx[index] = g
        else:
            np.add.at(gx, index, g)
        accumulate(x, gx, fresh=True)

    return make_output(np.asarray(x.data[index]), (x,), _backward, "getitem")


def _check_dtypes(tensors: Sequence[Tensor]) -> None:
    dtypes = {t.dtype for t in tensors}
    if len(dtypes) > 1:
        raise TypeError(f"mixed dtypes {sorted(map(str, dtypes))}: cast explicitly")


def concat(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    tensors = tuple(tensors)
    _check_dtypes(tensors)
    axis = axis % tensors[0].ndim
    bounds = np.cumsum([t.shape[axis] for t in tensors])[:-1]

    def _backward(g: np.ndarray) -> None:
        for t, piece in zip(tensors, np.split(g, bounds, axis=axis), strict=True):
            if t.requires_grad:
                accumulate(t, piece)

    return make_output(np.concatenate([t.data for t in tensors], axis=axis), tensors, _backward,
                       "concat")


def stack(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    tensors = tuple(tensors)
    _check_dtypes(tensors)
    axis = axis % (tensors[0].ndim + 1)

    def _backward(g: np.ndarray) -> None:
        for i, t in enumerate(tensors):
            if t.requires_grad:
                accumulate(t, np.take(g, i, axis=axis), fresh=True)

    return make_output(np.stack([t.data for t in tensors], axis=axis), tensors, _backward,
                       "stack")
