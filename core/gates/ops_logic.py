"""Soft Boolean logic on PROBABILITIES, as custom engine ops with explicit backward passes.

Input convention (chosen and documented, see ``docs/gates.md``): every input is a probability
p in [0, 1] that a proposition is true -- NOT a logit. Each input is first sharpened by the
temperature T:

    q = sharpen(p, T) = sigmoid(logit(p) / T),   logit(p) = log p - log(1 - p)

with p clipped to [1e-7, 1 - 1e-7] inside the logit. T = 1 leaves p unchanged (up to that clip),
T -> 0 pushes q to exactly 0 or 1 (p = 0.5 stays 0.5), T > 1 softens towards 0.5.
``temperature=None`` skips sharpening (q = p exactly) -- used by circuits whose inputs are
already sharpened. On q the ops are the product / probabilistic-sum forms (exact probabilities
for independent events):

    AND = qa qb            OR = qa + qb - qa qb      NOT = 1 - qa
    XOR = qa + qb - 2 qa qb                           IMPLIES = 1 - qa (1 - qb)
    IFF = 1 - XOR          NAND = 1 - AND            NOR = 1 - OR
    and_all = prod_i q_i   or_all = 1 - prod_i (1 - q_i)

NAND/NOR are 1 - AND / 1 - OR on the same probabilities (the original re-applied the sigmoid to
an already squashed value). IFF is 1 - XOR (smooth) instead of the original 1 - |qa - qb|.
Gradients flow to ``a``, ``b`` and a Tensor ``temperature``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from simplex_training.engine.tensor import Tensor, accumulate, as_tensor, make_output, unbroadcast

__all__ = ["logit", "sharpen", "soft_and", "soft_or", "soft_not", "soft_xor", "soft_implies", "soft_iff",
           "soft_nand", "soft_nor", "and_all", "or_all", "LOGIC_EPS", "BINARY_OPS"]

LOGIC_EPS = 1e-7

Arr = np.ndarray
# name -> (f(qa, qb), df/dqa, df/dqb)
BINARY_OPS: dict[str, tuple[Callable[[Arr, Arr], Arr], Callable[[Arr, Arr], Arr],
                            Callable[[Arr, Arr], Arr]]] = {
    "and": (lambda a, b: a * b, lambda a, b: b, lambda a, b: a),
    "or": (lambda a, b: a + b - a * b, lambda a, b: 1.0 - b, lambda a, b: 1.0 - a),
    "xor": (lambda a, b: a + b - 2.0 * a * b, lambda a, b: 1.0 - 2.0 * b, lambda a, b: 1.0 - 2.0 * a),
    "implies": (lambda a, b: 1.0 - a + a * b, lambda a, b: b - 1.0, lambda a, b: a),
    "iff": (lambda a, b: 1.0 - a - b + 2.0 * a * b, lambda a, b: 2.0 * b - 1.0, lambda a, b: 2.0 * a - 1.0),
    "nand": (lambda a, b: 1.0 - a * b, lambda a, b: -b, lambda a, b: -a),
    "nor": (lambda a, b: (1.0 - a) * (1.0 - b), lambda a, b: b - 1.0, lambda a, b: a - 1.0),
}


def _sig(z: Arr) -> Arr:
    return 0.5 * (np.tanh(0.5 * z) + 1.0)


def _tensor(x: Any, like: Tensor | None = None) -> Tensor:
    t = x if isinstance(x, Tensor) else as_tensor(x, like=like)
    if like is not None and t.dtype != like.dtype:
        raise TypeError(f"dtype mismatch {t.dtype} vs {like.dtype}: cast explicitly with astype()")
    return t


def _give(t: Tensor, g: Arr) -> None:
    if t.requires_grad:
        r = np.asarray(unbroadcast(g, t.shape), dtype=t.dtype)
        accumulate(t, r if r.flags.c_contiguous else np.array(r, order="C"), fresh=True)


def _sharpen_np(p: Arr, tau: Tensor | None) -> tuple[Arr, Arr, Arr | None]:
    """q, dq/dp and dq/dT (None without a temperature)."""
    if tau is None:
        return p, np.ones_like(p), None
    pc = np.clip(p, LOGIC_EPS, 1.0 - LOGIC_EPS)
    z = (np.log(pc) - np.log1p(-pc)) / tau.data
    q = _sig(z)
    s = q * (1.0 - q)
    inside = (p > LOGIC_EPS) & (p < 1.0 - LOGIC_EPS)
    dq_dp = np.where(inside, s / (tau.data * pc * (1.0 - pc)), 0.0).astype(p.dtype)
    return q.astype(p.dtype, copy=False), dq_dp, (-s * z / tau.data).astype(p.dtype)


def logit(p: Any) -> Tensor:
    """log p - log(1 - p) with p clipped to [1e-7, 1 - 1e-7] (zero gradient where clipped)."""
    p = _tensor(p)
    pc = np.clip(p.data, LOGIC_EPS, 1.0 - LOGIC_EPS)
    y = (np.log(pc) - np.log1p(-pc)).astype(p.dtype)

    def _backward(g: Arr) -> None:
        inside = (p.data > LOGIC_EPS) & (p.data < 1.0 - LOGIC_EPS)
        _give(p, np.where(inside, g / (pc * (1.0 - pc)), 0.0))

    return make_output(y, (p,), _backward, "logit")


def sharpen(p: Any, temperature: Any = 1.0) -> Tensor:
    """sigmoid(logit(p) / T): a probability made crisper (T < 1) or softer (T > 1)."""
    p = _tensor(p)
    tau = None if temperature is None else _tensor(temperature, like=p)
    q, dq_dp, dq_dt = _sharpen_np(p.data, tau)

    def _backward(g: Arr) -> None:
        _give(p, g * dq_dp)
        if tau is not None and dq_dt is not None:
            _give(tau, g * dq_dt)

    parents = (p,) if tau is None else (p, tau)
    return make_output(np.array(q, copy=True), parents, _backward, "sharpen")


def _binary(op: str, a: Any, b: Any, temperature: Any) -> Tensor:
    f, dfa, dfb = BINARY_OPS[op]
    a = _tensor(a, like=b if isinstance(b, Tensor) else None)
    b = _tensor(b, like=a)
    tau = None if temperature is None else _tensor(temperature, like=a)
    qa, dqa, dta = _sharpen_np(a.data, tau)
    qb, dqb, dtb = _sharpen_np(b.data, tau)
    y = np.asarray(f(qa, qb), dtype=a.dtype)

    def _backward(g: Arr) -> None:
        ga, gb = g * dfa(qa, qb), g * dfb(qa, qb)
        _give(a, ga * dqa)
        _give(b, gb * dqb)
        if tau is not None and dta is not None and dtb is not None:
            _give(tau, ga * dta + gb * dtb)

    parents = (a, b) if tau is None else (a, b, tau)
    return make_output(y, parents, _backward, f"soft_{op}")


def soft_and(a: Any, b: Any, temperature: Any = 1.0) -> Tensor:
    return _binary("and", a, b, temperature)


def soft_or(a: Any, b: Any, temperature: Any = 1.0) -> Tensor:
    return _binary("or", a, b, temperature)


def soft_xor(a: Any, b: Any, temperature: Any = 1.0) -> Tensor:
    return _binary("xor", a, b, temperature)


def soft_implies(a: Any, b: Any, temperature: Any = 1.0) -> Tensor:
    return _binary("implies", a, b, temperature)


def soft_iff(a: Any, b: Any, temperature: Any = 1.0) -> Tensor:
    return _binary("iff", a, b, temperature)


def soft_nand(a: Any, b: Any, temperature: Any = 1.0) -> Tensor:
    return _binary("nand", a, b, temperature)


def soft_nor(a: Any, b: Any, temperature: Any = 1.0) -> Tensor:
    return _binary("nor", a, b, temperature)


def soft_not(a: Any, temperature: Any = 1.0) -> Tensor:
    """1 - sharpen(a, T)."""
    a = _tensor(a)
    tau = None if temperature is None else _tensor(temperature, like=a)
    q, dq, dt = _sharpen_np(a.data, tau)

    def _backward(g: Arr) -> None:
        _give(a, -g * dq)
        if tau is not None and dt is not None:
            _give(tau, -g * dt)

    return make_output((1.0 - q).astype(a.dtype), (a,) if tau is None else (a, tau), _backward, "soft_not")


def _prod_except(q: Arr, axis: int) -> Arr:
    """prod_{j != i} q_j along ``axis`` for every i, without dividing (safe when some q = 0)."""
    m = np.moveaxis(q, axis, -1)
    ones = np.ones(m.shape[:-1] + (1,), dtype=m.dtype)
    left = np.concatenate([ones, np.cumprod(m[..., :-1], axis=-1)], axis=-1)
    right = np.flip(np.concatenate([ones, np.cumprod(np.flip(m, -1)[..., :-1], axis=-1)], axis=-1), -1)
    return np.moveaxis(left * right, -1, axis)


def _reduce(kind: str, p: Any, temperature: Any, axis: int) -> Tensor:
    p = _tensor(p)
    tau = None if temperature is None else _tensor(temperature, like=p)
    q, dq, dt = _sharpen_np(p.data, tau)
    base = q if kind == "and" else 1.0 - q
    y = base.prod(axis=axis)
    y = y if kind == "and" else 1.0 - y

    def _backward(g: Arr) -> None:
        gq = np.expand_dims(g, axis) * _prod_except(base, axis)  # d y / d q (sign included below)
        _give(p, gq * dq)
        if tau is not None and dt is not None:
            _give(tau, gq * dt)

    return make_output(np.asarray(y, dtype=p.dtype), (p,) if tau is None else (p, tau), _backward,
                       f"{kind}_all")


def and_all(p: Any, temperature: Any = 1.0, axis: int = -1) -> Tensor:
    """Multi-input AND: prod_i sharpen(p_i, T) along ``axis``."""
    return _reduce("and", p, temperature, axis)


def or_all(p: Any, temperature: Any = 1.0, axis: int = -1) -> Tensor:
    """Multi-input OR: 1 - prod_i (1 - sharpen(p_i, T)) along ``axis``."""
    return _reduce("or", p, temperature, axis)
