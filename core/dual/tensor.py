"""``DualTensor``: forward-mode automatic differentiation on numpy arrays with k tangents.

Scope
-----
A :class:`DualTensor` holds float64 ``value`` (shape ``S``) and ``tangent`` (shape ``(k, *S)``): ``k``
directional derivatives pushed through every op in one forward pass. With identity seeding
(:meth:`DualTensor.seeded`) the ``k`` directions are the coordinate axes of the inputs, so the
tangent of a scalar output *is* its gradient (this is what the original's ``DualTensor`` could not
do: every variable had tangent 1, §2.1/§9 of ``../shared/reference/original-system.md``).

Ops: ``+ - * / **`` with numpy broadcasting (plain arrays / numbers are constants), ``neg exp log
sqrt abs sigmoid tanh relu gelu`` (tanh approximation), ``softmax``/``log_softmax`` (last axis),
``@`` (2-D, vector and batched), ``transpose reshape sum mean max`` (``max`` is a subgradient:
the first maximal element), indexing (any numpy index), :func:`concat`, :func:`stack`. Layer norm
and losses are in :mod:`simplex_training.dual.nn`.

Tangent rules are applied with numpy broadcasting/``matmul`` over the leading tangent axis (a single
BLAS call for ``(k·m, n) @ (n, p)``); numba is not used because these paths are already BLAS- or
ufunc-bound.

Reference: Griewank & Walther, *Evaluating Derivatives* (2nd ed., SIAM 2008), ch. 3 (tangent mode).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Union

import numpy as np

__all__ = ["DualTensor", "concat", "stack", "matmul", "as_dual"]

ArrayLike = Union[np.ndarray, float, int, Sequence[float]]
_GELU_C = float(np.sqrt(2.0 / np.pi))


def _expand(tan: np.ndarray, ndim: int) -> np.ndarray:
    """Insert unit axes after the tangent axis so ``tan[k, *S]`` broadcasts against ``ndim`` dims."""
    missing = ndim - (tan.ndim - 1)
    if missing <= 0:
        return tan
    return tan.reshape((tan.shape[0],) + (1,) * missing + tan.shape[1:])


def _tan_to(tan: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return np.broadcast_to(_expand(tan, len(shape)), (tan.shape[0],) + shape)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class DualTensor:
    """A value array and ``k`` tangent arrays (``tangent.shape == (k, *value.shape)``)."""

    __array_ufunc__ = None  # ``ndarray (op) DualTensor`` defers to our reflected operators

    def __init__(self, value: ArrayLike, tangent: np.ndarray) -> None:
        self.value = np.asarray(value, dtype=np.float64)
        self.tangent = np.asarray(tangent, dtype=np.float64)
        if self.tangent.shape[1:] != self.value.shape:
            raise ValueError(f"tangent shape {self.tangent.shape} is not (k, *{self.value.shape})")

    # -- constructors --------------------------------------------------------------------------

    @classmethod
    def constant(cls, value: ArrayLike, k: int = 1) -> DualTensor:
        v = np.asarray(value, dtype=np.float64)
        return cls(v, np.zeros((k,) + v.shape))

    @classmethod
    def variable(cls, value: ArrayLike, seed_index: int = 0, k: int = 1,
                 tangents: np.ndarray | None = None) -> DualTensor:
        """A variable: explicit ``tangents`` (``(k, *S)``), or ones in direction ``seed_index``."""
        v = np.asarray(value, dtype=np.float64)
        if tangents is not None:
            return cls(v, np.asarray(tangents, dtype=np.float64).reshape((-1,) + v.shape))
        if not 0 <= seed_index < k:
            raise ValueError(f"seed_index {seed_index} outside 0..{k - 1}")
        tan = np.zeros((k,) + v.shape)
        tan[seed_index] = 1.0
        return cls(v, tan)

    @classmethod
    def seeded(cls, values_list: Sequence[ArrayLike]) -> list[DualTensor]:
        """Identity seeding over all elements of all inputs: ``k = sum(sizes)``.

        Direction ``offset_p + j`` is element ``j`` (C order) of input ``p``; the tangent of a
        scalar output then equals the concatenated flattened gradients.
        """
        arrays = [np.asarray(v, dtype=np.float64) for v in values_list]
        k = sum(a.size for a in arrays)
        out, offset = [], 0
        for a in arrays:
            tan = np.zeros((k, a.size))
            tan[offset:offset + a.size] = np.eye(a.size)
            out.append(cls(a, tan.reshape((k,) + a.shape)))
            offset += a.size
        return out

    # -- properties ----------------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    @property
    def ndim(self) -> int:
        return self.value.ndim

    @property
    def k(self) -> int:
        return self.tangent.shape[0]

    @property
    def T(self) -> DualTensor:
        return self.transpose()

    def __len__(self) -> int:
        return len(self.value)

    def __repr__(self) -> str:
        return f"DualTensor(shape={self.shape}, k={self.k})"

    def gradient(self) -> np.ndarray:
        """The tangent of a one-element tensor as a flat ``(k,)`` array."""
        if self.value.size != 1:
            raise ValueError("gradient() needs a one-element output")
        return self.tangent.reshape(self.k)

    def _unary(self, value: np.ndarray, slope: np.ndarray | float) -> DualTensor:
        return DualTensor(value, self.tangent * slope)

    # -- arithmetic ----------------------------------------------------------------------------

    def __add__(self, other: Any) -> DualTensor:
        if isinstance(other, DualTensor):
            v = self.value + other.value
            return DualTensor(v, _tan_to(self.tangent, v.shape) + _tan_to(other.tangent, v.shape))
        v = self.value + np.asarray(other, dtype=np.float64)
        return DualTensor(v, np.array(_tan_to(self.tangent, v.shape)))

    __radd__ = __add__

    def __neg__(self) -> DualTensor:
        return DualTensor(-self.value, -self.tangent)

    def __sub__(self, other: Any) -> DualTensor:
        return self + (-other)

    def __rsub__(self, other: Any) -> DualTensor:
        return (-self) + other

    def __mul__(self, other: Any) -> DualTensor:
        if isinstance(other, DualTensor):
            v = self.value * other.value
            n = v.ndim
            return DualTensor(v, _expand(self.tangent, n) * other.value + _expand(other.tangent, n) * self.value)
        o = np.asarray(other, dtype=np.float64)
        v = self.value * o
        return DualTensor(v, np.array(_tan_to(self.tangent, v.shape) * o))

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> DualTensor:
        if isinstance(other, DualTensor):
            return self * other.reciprocal()
        return self * (1.0 / np.asarray(other, dtype=np.float64))

    def __rtruediv__(self, other: Any) -> DualTensor:
        return self.reciprocal() * other

    def reciprocal(self) -> DualTensor:
        r = 1.0 / self.value
        return self._unary(r, -r * r)

    def __pow__(self, p: Any) -> DualTensor:
        if isinstance(p, DualTensor):  # x^p = exp(p log x) for x > 0
            return (p * self.log()).exp()
        p = np.asarray(p, dtype=np.float64)
        v = self.value ** p
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = np.where(p == 0, 0.0, p * self.value ** (p - 1.0))
        return DualTensor(v, _tan_to(self.tangent, v.shape) * slope)

    def __rpow__(self, base: Any) -> DualTensor:
        b = np.asarray(base, dtype=np.float64)
        v = b ** self.value
        return DualTensor(v, _tan_to(self.tangent, v.shape) * (v * np.log(b)))

    def __matmul__(self, other: Any) -> DualTensor:
        if not isinstance(other, DualTensor):
            other = DualTensor.constant(other, self.k)
        return matmul(self, other)

    def __rmatmul__(self, other: Any) -> DualTensor:
        return matmul(DualTensor.constant(other, self.k), self)

    # -- elementwise functions -----------------------------------------------------------------

    def exp(self) -> DualTensor:
        v = np.exp(self.value)
        return self._unary(v, v)

    def log(self) -> DualTensor:
        return self._unary(np.log(self.value), 1.0 / self.value)

    def sqrt(self) -> DualTensor:
        v = np.sqrt(self.value)
        return self._unary(v, 0.5 / v)

    def abs(self) -> DualTensor:
        return self._unary(np.abs(self.value), np.where(self.value >= 0, 1.0, -1.0))

    def sigmoid(self) -> DualTensor:
        v = _sigmoid(self.value)
        return self._unary(v, v * (1.0 - v))

    def tanh(self) -> DualTensor:
        v = np.tanh(self.value)
        return self._unary(v, 1.0 - v * v)

    def relu(self) -> DualTensor:
        mask = (self.value > 0).astype(np.float64)
        return self._unary(self.value * mask, mask)

    def gelu(self) -> DualTensor:
        """GELU, tanh approximation (as in GPT-2 / ``torch.nn.functional.gelu(approximate='tanh')``)."""
        x = self.value
        th = np.tanh(_GELU_C * (x + 0.044715 * x**3))
        slope = 0.5 * (1.0 + th) + 0.5 * x * (1.0 - th * th) * _GELU_C * (1.0 + 3 * 0.044715 * x * x)
        return self._unary(0.5 * x * (1.0 + th), slope)

    def softmax(self) -> DualTensor:
        """Softmax over the last axis: ``dy = y (dx - sum(y dx))``."""
        z = self.value - self.value.max(axis=-1, keepdims=True)
        y = np.exp(z)
        y /= y.sum(axis=-1, keepdims=True)
        inner = (self.tangent * y).sum(axis=-1, keepdims=True)
        return DualTensor(y, y * (self.tangent - inner))

    def log_softmax(self) -> DualTensor:
        """Log-softmax over the last axis: ``d = dx - sum(softmax dx)``."""
        z = self.value - self.value.max(axis=-1, keepdims=True)
        lse = np.log(np.exp(z).sum(axis=-1, keepdims=True))
        y = np.exp(z - lse)
        return DualTensor(z - lse, self.tangent - (self.tangent * y).sum(axis=-1, keepdims=True))

    # -- shape ---------------------------------------------------------------------------------

    def transpose(self, *axes: int) -> DualTensor:
        if not axes:
            axes = tuple(range(self.ndim))[::-1]
        elif len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        return DualTensor(self.value.transpose(axes), self.tangent.transpose((0,) + tuple(a % self.ndim + 1 for a in axes)))

    def reshape(self, *shape: int) -> DualTensor:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        v = self.value.reshape(shape)
        return DualTensor(v, self.tangent.reshape((self.k,) + v.shape))

    def __getitem__(self, index: Any) -> DualTensor:
        positions = np.arange(self.value.size).reshape(self.shape)[index]
        flat = self.tangent.reshape(self.k, -1)
        return DualTensor(self.value[index], flat[:, positions])

    # -- reductions ----------------------------------------------------------------------------

    def _tan_axis(self, axis: int | tuple[int, ...] | None) -> int | tuple[int, ...]:
        if axis is None:
            return tuple(range(1, self.ndim + 1))
        if isinstance(axis, int):
            return axis % self.ndim + 1
        return tuple(a % self.ndim + 1 for a in axis)

    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> DualTensor:
        return DualTensor(self.value.sum(axis=axis, keepdims=keepdims),
                          self.tangent.sum(axis=self._tan_axis(axis), keepdims=keepdims))

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> DualTensor:
        s = self.sum(axis, keepdims)
        n = self.value.size // max(s.value.size, 1) if s.value.size else 1
        return s * (1.0 / n)

    def max(self, axis: int | None = None, keepdims: bool = False) -> DualTensor:
        """Maximum; the tangent is that of the first maximal element (a subgradient)."""
        if axis is None:
            i = int(np.argmax(self.value))
            out = self.reshape(-1)[i]
            return out.reshape((1,) * self.ndim) if keepdims else out
        idx = np.expand_dims(np.argmax(self.value, axis=axis), axis)
        v = np.take_along_axis(self.value, idx, axis)
        t = np.take_along_axis(self.tangent, idx[None].repeat(self.k, 0), axis % self.ndim + 1)
        if not keepdims:
            v, t = v.squeeze(axis), t.squeeze(axis % self.ndim + 1)
        return DualTensor(v, t)


def as_dual(x: Any, k: int) -> DualTensor:
    """``x`` itself if it is a DualTensor, else a constant with ``k`` zero tangents."""
    return x if isinstance(x, DualTensor) else DualTensor.constant(x, k)


def matmul(a: DualTensor, b: DualTensor) -> DualTensor:
    """``a @ b`` with tangent ``da @ b + a @ db`` (2-D, 1-D and batched operands)."""
    v = a.value @ b.value
    k, n = a.k, a.shape[-1]
    if a.ndim == 1 and b.ndim == 1:  # dot product
        ta, tb = a.tangent @ b.value, b.tangent @ a.value
    elif b.ndim == 1:  # (..., m, n) @ (n,) -> (..., m)
        ta = a.tangent @ b.value
        tb = (a.value @ b.tangent.reshape((k,) + (1,) * (a.ndim - 2) + (n, 1)))[..., 0]
    elif a.ndim == 1:  # (n,) @ (..., n, p) -> (..., p)
        ta = (a.tangent.reshape((k,) + (1,) * (b.ndim - 2) + (1, n)) @ b.value)[..., 0, :]
        tb = a.value @ b.tangent
    elif b.ndim == 2:  # one GEMM over the tangent axis
        ta = (a.tangent.reshape(-1, n) @ b.value).reshape((k,) + a.shape[:-1] + (b.shape[-1],))
        tb = a.value @ _expand(b.tangent, v.ndim)
    else:
        ta = _expand(a.tangent, v.ndim) @ b.value
        tb = a.value @ _expand(b.tangent, v.ndim)
    return DualTensor(v, _tan_to(ta, v.shape) + _tan_to(tb, v.shape))


def concat(tensors: Sequence[DualTensor], axis: int = 0) -> DualTensor:
    ndim = tensors[0].ndim
    return DualTensor(np.concatenate([t.value for t in tensors], axis=axis),
                      np.concatenate([t.tangent for t in tensors], axis=axis % ndim + 1))


def stack(tensors: Sequence[DualTensor], axis: int = 0) -> DualTensor:
    ndim = tensors[0].ndim + 1
    return DualTensor(np.stack([t.value for t in tensors], axis=axis),
                      np.stack([t.tangent for t in tensors], axis=axis % ndim + 1))
