"""The autograd ``Tensor``: a numpy array plus a reverse-mode gradient graph.

Public API
----------
``Tensor(data, requires_grad=False, name=None, dtype=None)``
    Wraps a numpy array. Floating arrays keep their dtype (float32 or float64); anything else
    (python scalars, lists, integer arrays) becomes float32 unless ``dtype`` is given.
    Attributes: ``.data`` (np.ndarray), ``.grad`` (np.ndarray | None, same shape/dtype as data),
    ``.requires_grad``, ``.name``; properties ``.shape``, ``.dtype``, ``.ndim``, ``.size``, ``.T``.
``Tensor.backward(grad=None, retain_graph=False)``
    Topological reverse pass. A scalar output is seeded with 1. Gradients ACCUMULATE into the
    ``.grad`` of leaf tensors (call ``zero_grad()`` or set ``.grad = None`` between steps).
    Non-leaf gradients are released once propagated unless ``retain_grad()`` was called; the graph
    is freed unless ``retain_graph=True``.
``Tensor.detach()``, ``Tensor.numpy()``, ``Tensor.item()``, ``Tensor.zero_grad()``,
``Tensor.retain_grad()``, ``Tensor.astype(dtype)``
``no_grad()`` context manager and ``is_grad_enabled()``.
Operators ``+ - * / ** @``, unary ``-`` and ``[...]``, plus methods ``sum mean max reshape
transpose permute exp log sqrt relu tanh sigmoid silu gelu softmax log_softmax`` — implemented in
the ``ops_*`` modules and re-exported as functions by :mod:`simplex_training.engine.functional`.

Gradient contract for op authors
--------------------------------
Every op builds its output with :func:`make_output` and a ``_backward(g)`` closure that receives
the output's gradient ``g`` and calls :func:`accumulate` ONLY for inputs with ``requires_grad``
(so a frozen weight costs no gradient work). ``accumulate`` never mutates an array it did not
allocate: non-leaf gradients are summed out of place, a leaf's first gradient is copied unless the
op says it is a fresh array (``fresh=True``), later ones are added in place into the leaf's own
buffer. Binary ops refuse to mix float32 and float64 (no silent upcast).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

__all__ = ["Tensor", "no_grad", "enable_grad", "is_grad_enabled", "as_tensor", "make_output",
           "accumulate", "unbroadcast", "DEFAULT_DTYPE"]

DEFAULT_DTYPE = np.float32
_FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))

_grad_enabled: bool = True


def is_grad_enabled() -> bool:
    """True unless inside a :func:`no_grad` block."""
    return _grad_enabled


@contextlib.contextmanager
def no_grad() -> Iterator[None]:
    """Disable graph construction: ops return tensors with ``requires_grad=False``."""
    global _grad_enabled
    previous, _grad_enabled = _grad_enabled, False
    try:
        yield
    finally:
        _grad_enabled = previous


@contextlib.contextmanager
def enable_grad() -> Iterator[None]:
    """Re-enable graph construction inside a :func:`no_grad` block."""
    global _grad_enabled
    previous, _grad_enabled = _grad_enabled, True
    try:
        yield
    finally:
        _grad_enabled = previous


def _to_array(data: Any, dtype: Any = None) -> np.ndarray:
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return np.asarray(data, dtype=dtype)
    arr = np.asarray(data)
    if arr.dtype in _FLOAT_DTYPES:
        return arr
    return arr.astype(DEFAULT_DTYPE)


class Tensor:
    """A numpy array with an optional gradient and the closure that back-propagates into it."""

    __slots__ = ("data", "grad", "requires_grad", "name", "_prev", "_backward", "_op",
                 "_retain", "__weakref__")
    __array_priority__ = 1000  # make ``ndarray + Tensor`` call Tensor.__radd__

    def __init__(self, data: Any, requires_grad: bool = False, name: str | None = None,
                 dtype: Any = None) -> None:
        self.data: np.ndarray = _to_array(data, dtype)
        if requires_grad and self.data.dtype not in _FLOAT_DTYPES:
            raise TypeError(f"only float32/float64 tensors can require grad, got {self.data.dtype}")
        self.grad: np.ndarray | None = None
        self.requires_grad: bool = bool(requires_grad)
        self.name: str | None = name
        self._prev: tuple[Tensor, ...] = ()
        self._backward: Callable[[np.ndarray], None] | None = None
        self._op: str = ""
        self._retain: bool = False

    # ------------------------------------------------------------------ array-like properties
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def is_leaf(self) -> bool:
        return self._backward is None and not self._prev

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        extra = f", name={self.name!r}" if self.name else ""
        rg = ", requires_grad=True" if self.requires_grad else ""
        return f"Tensor(shape={self.shape}, dtype={self.dtype}{rg}{extra})"

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied)."""
        return self.data

    def item(self) -> float:
        return float(self.data.reshape(-1)[0]) if self.data.size == 1 else float(self.data)

    def detach(self) -> Tensor:
        """A tensor sharing ``data`` with no graph and ``requires_grad=False``."""
        return Tensor(self.data, requires_grad=False, name=self.name)

    def zero_grad(self) -> None:
        self.grad = None

    def retain_grad(self) -> Tensor:
        """Keep this non-leaf tensor's ``.grad`` after ``backward()``."""
        self._retain = True
        return self

    # ------------------------------------------------------------------ backward
    def backward(self, grad: np.ndarray | None = None, retain_graph: bool = False) -> None:
        """Reverse-mode pass from this tensor; seeds ``grad`` (ones for a scalar output)."""
        if not self.requires_grad:
            raise RuntimeError("backward() on a tensor that does not require grad")
        if grad is None:
            if self.data.size != 1:
                raise RuntimeError(f"backward() needs an explicit grad for shape {self.shape}")
            seed = np.ones(self.shape, dtype=self.dtype)
        else:
            seed = np.asarray(grad, dtype=self.dtype)
            if seed.shape != self.shape:
                raise ValueError(f"grad shape {seed.shape} != tensor shape {self.shape}")
        accumulate(self, seed, fresh=grad is None)
        for node in reversed(_topological_order(self)):
            fn = node._backward
            if fn is None:
                continue  # leaf
            g = node.grad
            if g is not None:
                fn(g)
            if not node._retain:
                node.grad = None
            if not retain_graph:
                node._backward = None
                node._prev = ()

    # ------------------------------------------------------------------ operators
    def __add__(self, other: Any) -> Tensor:
        return _ew.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _ew.add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return _ew.sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return _ew.sub(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return _ew.mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return _ew.mul(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return _ew.div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _ew.div(other, self)

    def __neg__(self) -> Tensor:
        return _ew.neg(self)

    def __pow__(self, exponent: float) -> Tensor:
        return _ew.pow(self, exponent)

    def __matmul__(self, other: Any) -> Tensor:
        return _mm.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _mm.matmul(other, self)

    def __getitem__(self, index: Any) -> Tensor:
        return _shape.getitem(self, index)

    # ------------------------------------------------------------------ methods
    def exp(self) -> Tensor:
        return _ew.exp(self)

    def log(self) -> Tensor:
        return _ew.log(self)

    def sqrt(self) -> Tensor:
        return _ew.sqrt(self)

    def relu(self) -> Tensor:
        return _ew.relu(self)

    def tanh(self) -> Tensor:
        return _ew.tanh(self)

    def sigmoid(self) -> Tensor:
        return _ew.sigmoid(self)

    def silu(self) -> Tensor:
        return _ew.silu(self)

    def gelu(self, approximate: str = "tanh") -> Tensor:
        return _ew.gelu(self, approximate)

    def astype(self, dtype: Any) -> Tensor:
        return _ew.astype(self, dtype)

    def sum(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        return _red.sum(self, axis, keepdims)

    def mean(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        return _red.mean(self, axis, keepdims)

    def max(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        return _red.max(self, axis, keepdims)

    def reshape(self, *shape: Any) -> Tensor:
        return _shape.reshape(self, *shape)

    def transpose(self, *axes: Any) -> Tensor:
        return _shape.transpose(self, *axes)

    def permute(self, *axes: Any) -> Tensor:
        return _shape.transpose(self, *axes)

    @property
    def T(self) -> Tensor:  # noqa: N802 - numpy spelling
        return _shape.transpose(self)

    def softmax(self) -> Tensor:
        return _nn.softmax(self)

    def log_softmax(self) -> Tensor:
        return _nn.log_softmax(self)


# ---------------------------------------------------------------------- helpers for op modules
def as_tensor(x: Any, like: Tensor | None = None) -> Tensor:
    """``x`` itself if a Tensor, else a constant tensor (with ``like``'s dtype when given)."""
    if isinstance(x, Tensor):
        return x
    return Tensor(x, dtype=like.dtype if like is not None else None)


def make_output(data: np.ndarray, parents: tuple[Tensor, ...],
                backward: Callable[[np.ndarray], None], op: str) -> Tensor:
    """Wrap an op result; attach the graph only if grad mode is on and a parent requires grad."""
    out = Tensor.__new__(Tensor)
    out.data = data
    out.grad = None
    out.name = None
    out._retain = False
    out._op = op
    if _grad_enabled and any(p.requires_grad for p in parents):
        out.requires_grad = True
        out._prev = parents
        out._backward = backward
    else:
        out.requires_grad = False
        out._prev = ()
        out._backward = None
    return out


def accumulate(t: Tensor, g: np.ndarray, fresh: bool = False) -> None:
    """Add ``g`` into ``t.grad`` (see the module docstring for the ownership rules)."""
    if not t.requires_grad:
        return
    if g.dtype != t.data.dtype:
        g = g.astype(t.data.dtype)
    if g.shape != t.data.shape:
        raise ValueError(f"gradient shape {g.shape} != tensor shape {t.data.shape} ({t._op})")
    if t.grad is None:
        if t.is_leaf and not (fresh and g.flags.c_contiguous):
            g = np.array(g, copy=True, order="C")
        t.grad = g
    elif t.is_leaf:
        t.grad += g
    else:
        t.grad = t.grad + g


def unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``g`` over the axes that broadcasting expanded to reach ``g.shape`` from ``shape``."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1)
    return g.sum(axis=axes, keepdims=False).reshape(shape) if axes else g.reshape(shape)


def _topological_order(root: Tensor) -> list[Tensor]:
    """Nodes reachable from ``root`` that require grad, parents before children (iterative DFS)."""
    order: list[Tensor] = []
    visited: set[int] = {id(root)}
    stack: list[tuple[Tensor, int]] = [(root, 0)]
    while stack:
        node, i = stack[-1]
        if i < len(node._prev):
            stack[-1] = (node, i + 1)
            child = node._prev[i]
            if child.requires_grad and id(child) not in visited:
                visited.add(id(child))
                stack.append((child, 0))
        else:
            stack.pop()
            order.append(node)
    return order


# The op modules import this module, so they are bound after Tensor exists.
from simplex_training.engine import ops_elementwise as _ew  # noqa: E402
from simplex_training.engine import ops_matmul as _mm  # noqa: E402
from simplex_training.engine import ops_nn as _nn  # noqa: E402
from simplex_training.engine import ops_reduce as _red  # noqa: E402
from simplex_training.engine import ops_shape as _shape  # noqa: E402
