"""A vectorisable, accurate float32 ``exp`` for numba kernels (numpy-free, no SVML needed).

numba lowers ``math.exp`` on float32 to a scalar libm call, which blocks SIMD vectorisation of the
softmax / cross-entropy / sigmoid loops. ``exp32`` is the Cephes ``expf`` algorithm written in plain
IEEE arithmetic (so LLVM vectorises it without fast-math and results do not depend on the vector
width): Cody-Waite range reduction x = n ln2 + r, a degree-7 polynomial for e^r, and 2^n built
from exponent bits (split in two factors so n = 128 does not overflow early).
Max relative error vs float64 exp ~6e-8 (same as libm expf); x < -87.33 returns 0 (no denormals),
x > 88.72 returns inf.

``fexp(x)``: use inside njit code; float32 -> ``exp32``, other floats -> ``math.exp``.
``one_like(x)``: the constant 1 in x's float type (a bare ``1.0`` literal would promote float32
arithmetic to float64 inside kernels).
NOTE: numba's on-disk cache does not track this module as a dependency of the kernels that call
it; after editing it, delete ``kernels/__pycache__/*.nb[ci]``.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import types
from numba.extending import intrinsic, overload

__all__ = ["exp32", "fexp", "one_like"]


@intrinsic
def _bits_as_f32(typingctx, i):  # type: ignore[no-untyped-def]  # noqa: ANN001, ARG001
    """Reinterpret the low 32 bits of an integer as a float32 (an LLVM bitcast)."""
    if not isinstance(i, types.Integer):
        return None

    def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]  # noqa: ANN001, ARG001
        i32 = context.get_value_type(types.int32)
        v = args[0]
        if i.bitwidth > 32:
            v = builder.trunc(v, i32)
        elif i.bitwidth < 32:
            v = builder.sext(v, i32)
        return builder.bitcast(v, context.get_value_type(types.float32))

    return types.float32(i), codegen


_LOG2E = np.float32(1.44269504088896341)
_C1 = np.float32(0.693359375)  # ln 2 split in a high part exact in float32 ...
_C2 = np.float32(-2.12194440e-4)  # ... and the remainder
_P0 = np.float32(1.9875691500e-4)
_P1 = np.float32(1.3981999507e-3)
_P2 = np.float32(8.3334519073e-3)
_P3 = np.float32(4.1665795894e-2)
_P4 = np.float32(1.6666665459e-1)
_P5 = np.float32(5.0000001201e-1)
_LO = np.float32(-87.33654)
_HI = np.float32(88.8)
_HALF = np.float32(0.5)
_ONE = np.float32(1.0)
_ZERO = np.float32(0.0)


@numba.njit(inline="always", fastmath=False, cache=True)
def exp32(x: np.float32) -> np.float32:
    xc = min(max(x, _LO), _HI)
    fx = math.floor(xc * _LOG2E + _HALF)
    r = xc - fx * _C1
    r = r - fx * _C2
    z = r * r
    y = (((((_P0 * r + _P1) * r + _P2) * r + _P3) * r + _P4) * r + _P5) * z + r + _ONE
    n = np.int64(fx)
    h = n >> 1
    y = y * _bits_as_f32((h + 127) << 23) * _bits_as_f32((n - h + 127) << 23)
    return _ZERO if x < _LO else y


def fexp(x: float) -> float:
    """Python fallback (numba uses the overload below)."""
    return math.exp(x)


@overload(fexp, inline="always")
def _fexp_overload(x):  # type: ignore[no-untyped-def]  # noqa: ANN001
    if x == types.float32:
        return lambda x: exp32(x)
    if isinstance(x, types.Float):
        return lambda x: math.exp(x)
    return None


def one_like(x: float) -> float:
    """1 in the type of ``x`` (python fallback; numba uses the overload below)."""
    return type(x)(1)


@overload(one_like, inline="always")
def _one_like_overload(x):  # type: ignore[no-untyped-def]  # noqa: ANN001
    if x == types.float32:
        return lambda x: _ONE
    if isinstance(x, types.Float):
        return lambda x: 1.0
    return None
