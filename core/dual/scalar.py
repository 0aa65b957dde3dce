"""Forward-mode dual numbers ``a + b·ε`` (ε² = 0) for scalar functions.

Scope
-----
:class:`Dual` carries a value ``val`` and a tangent ``der``. The tangent is either a float (one
direction) or a 1-D numpy array of ``k`` directions, so one evaluation yields ``k`` partial
derivatives at once: :meth:`Dual.seeded` gives every input its own one-hot tangent, which is how
per-parameter gradients are obtained. The original seeded every learnable parameter with
``der = 1`` and so could only ever compute the directional derivative along the all-ones vector
(``../shared/reference/original-system.md`` §2.1, §9); identity seeding fixes that.

Rules: the usual forward-mode chain rule ``f(a + bε) = f(a) + f'(a)·b·ε``. Non-smooth functions
(``relu``, ``abs``, ``min``, ``max``, ``clamp``) pick the branch selected by the values (a
subgradient; ties take the first argument / the zero slope of ``relu`` at 0, slope +1 of ``abs`` at
0). Comparisons compare values only.

Reference: Griewank & Walther, *Evaluating Derivatives* (2nd ed., SIAM 2008), ch. 3.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Union

import numpy as np

__all__ = ["Dual", "Number", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "gelu",
           "softplus", "dabs", "dmin", "dmax", "clamp", "value_of"]

Tangent = Union[float, np.ndarray]
Number = Union["Dual", float, int]

_GELU_C = math.sqrt(2.0 / math.pi)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


class Dual:
    """A value and its derivative(s): ``val`` (float) and ``der`` (float or array of k)."""

    __slots__ = ("val", "der")

    def __init__(self, val: float, der: Tangent = 0.0) -> None:
        self.val = float(val)
        self.der = der

    # -- constructors --------------------------------------------------------------------------

    @classmethod
    def constant(cls, val: float, k: int | None = None) -> Dual:
        """A constant: derivative 0 (a float, or ``k`` zeros when ``k`` is given)."""
        return cls(val, 0.0 if k is None else np.zeros(k))

    @classmethod
    def variable(cls, val: float) -> Dual:
        """The independent variable of a one-direction derivative: ``der = 1``."""
        return cls(val, 1.0)

    @classmethod
    def seeded(cls, values: Sequence[float]) -> list[Dual]:
        """Identity seeding: input ``i`` gets tangent ``e_i`` so outputs carry full gradients."""
        eye = np.eye(len(values))
        return [cls(v, eye[i]) for i, v in enumerate(values)]

    # -- helpers -------------------------------------------------------------------------------

    def _chain(self, val: float, slope: float) -> Dual:
        return Dual(val, self.der * slope)

    @property
    def gradient(self) -> np.ndarray:
        """The tangent as an array (length 1 for a scalar tangent)."""
        return np.atleast_1d(np.asarray(self.der, dtype=float))

    def __repr__(self) -> str:
        return f"Dual(val={self.val!r}, der={self.der!r})"

    # -- arithmetic ----------------------------------------------------------------------------

    def __add__(self, other: Number) -> Dual:
        if isinstance(other, Dual):
            return Dual(self.val + other.val, self.der + other.der)
        return Dual(self.val + other, self.der)

    __radd__ = __add__

    def __sub__(self, other: Number) -> Dual:
        if isinstance(other, Dual):
            return Dual(self.val - other.val, self.der - other.der)
        return Dual(self.val - other, self.der)

    def __rsub__(self, other: Number) -> Dual:
        return Dual(other - self.val, -self.der)

    def __mul__(self, other: Number) -> Dual:
        if isinstance(other, Dual):
            return Dual(self.val * other.val, self.der * other.val + other.der * self.val)
        return Dual(self.val * other, self.der * other)

    __rmul__ = __mul__

    def __truediv__(self, other: Number) -> Dual:
        if isinstance(other, Dual):
            q = self.val / other.val
            return Dual(q, (self.der - other.der * q) / other.val)
        return Dual(self.val / other, self.der / other)

    def __rtruediv__(self, other: Number) -> Dual:
        q = other / self.val
        return Dual(q, -self.der * q / self.val)

    def __neg__(self) -> Dual:
        return Dual(-self.val, -self.der)

    def __pos__(self) -> Dual:
        return self

    def __pow__(self, p: Number) -> Dual:
        if isinstance(p, Dual):  # x^p = exp(p ln x), x > 0
            v = self.val ** p.val
            return Dual(v, v * (p.der * math.log(self.val) + p.val * self.der / self.val))
        if p == 0:
            return Dual(1.0, self.der * 0.0)
        return Dual(self.val ** p, self.der * (p * self.val ** (p - 1)))

    def __rpow__(self, base: float) -> Dual:
        v = base ** self.val
        return Dual(v, self.der * (v * math.log(base)))

    def __abs__(self) -> Dual:
        return self.abs()

    # -- comparisons (values only) -------------------------------------------------------------

    def __lt__(self, other: Number) -> bool:
        return self.val < value_of(other)

    def __le__(self, other: Number) -> bool:
        return self.val <= value_of(other)

    def __gt__(self, other: Number) -> bool:
        return self.val > value_of(other)

    def __ge__(self, other: Number) -> bool:
        return self.val >= value_of(other)

    def __eq__(self, other: object) -> bool:  # type: ignore[override]
        return isinstance(other, (Dual, int, float)) and self.val == value_of(other)

    __hash__ = None  # type: ignore[assignment]

    def __float__(self) -> float:
        return self.val

    # -- elementary functions ------------------------------------------------------------------

    def exp(self) -> Dual:
        v = math.exp(self.val)
        return self._chain(v, v)

    def expm1(self) -> Dual:
        """``exp(x) - 1``, accurate for small x (where ``1 - exp(-x)`` loses its digits)."""
        return self._chain(math.expm1(self.val), math.exp(self.val))

    def log(self) -> Dual:
        return self._chain(math.log(self.val), 1.0 / self.val)

    def sqrt(self) -> Dual:
        v = math.sqrt(self.val)
        return self._chain(v, 0.5 / v)

    def sin(self) -> Dual:
        return self._chain(math.sin(self.val), math.cos(self.val))

    def cos(self) -> Dual:
        return self._chain(math.cos(self.val), -math.sin(self.val))

    def tanh(self) -> Dual:
        v = math.tanh(self.val)
        return self._chain(v, 1.0 - v * v)

    def sigmoid(self) -> Dual:
        v = _sigmoid(self.val)
        return self._chain(v, v * (1.0 - v))

    def relu(self) -> Dual:
        return self._chain(self.val, 1.0) if self.val > 0 else self._chain(0.0, 0.0)

    def gelu(self) -> Dual:
        """GELU, tanh approximation: ``x/2 (1 + tanh(c (x + 0.044715 x^3)))``."""
        x = self.val
        u = _GELU_C * (x + 0.044715 * x**3)
        th = math.tanh(u)
        slope = 0.5 * (1.0 + th) + 0.5 * x * (1.0 - th * th) * _GELU_C * (1.0 + 3 * 0.044715 * x * x)
        return self._chain(0.5 * x * (1.0 + th), slope)

    def softplus(self) -> Dual:
        x = self.val
        v = max(x, 0.0) + math.log1p(math.exp(-abs(x)))
        return self._chain(v, _sigmoid(x))

    def abs(self) -> Dual:
        return self._chain(abs(self.val), 1.0 if self.val >= 0 else -1.0)

    def min(self, other: Number) -> Number:
        return dmin(self, other)

    def max(self, other: Number) -> Number:
        return dmax(self, other)

    def clamp(self, lo: Number, hi: Number) -> Number:
        return clamp(self, lo, hi)


def value_of(x: Number) -> float:
    """The value of a Dual or a plain number."""
    return x.val if isinstance(x, Dual) else float(x)


def _lift(name: str, fn):  # type: ignore[no-untyped-def]
    def f(x: Number) -> Number:
        return getattr(x, name)() if isinstance(x, Dual) else fn(float(x))

    f.__name__ = name
    f.__doc__ = f"``{name}`` of a Dual (forward-mode rule) or of a plain number."
    return f


exp = _lift("exp", math.exp)
expm1 = _lift("expm1", math.expm1)
log = _lift("log", math.log)
sqrt = _lift("sqrt", math.sqrt)
sin = _lift("sin", math.sin)
cos = _lift("cos", math.cos)
tanh = _lift("tanh", math.tanh)
sigmoid = _lift("sigmoid", _sigmoid)
relu = _lift("relu", lambda x: max(x, 0.0))
gelu = _lift("gelu", lambda x: Dual(x).gelu().val)
softplus = _lift("softplus", lambda x: Dual(x).softplus().val)
dabs = _lift("abs", abs)


def _pick(chosen: Number, other: Number) -> Number:
    """The chosen branch, lifted to a constant Dual when the other argument is a Dual."""
    if isinstance(chosen, Dual) or not isinstance(other, Dual):
        return chosen
    return Dual(chosen, other.der * 0.0)


def dmin(a: Number, b: Number) -> Number:
    """Minimum picking the branch (ties: ``a``); the derivative is the chosen argument's."""
    return _pick(a, b) if value_of(a) <= value_of(b) else _pick(b, a)


def dmax(a: Number, b: Number) -> Number:
    """Maximum picking the branch (ties: ``a``)."""
    return _pick(a, b) if value_of(a) >= value_of(b) else _pick(b, a)


def clamp(x: Number, lo: Number, hi: Number) -> Number:
    """``max(min(x, hi), lo)``: derivative of ``x`` inside, of the bound outside."""
    return dmax(dmin(x, hi), lo)
