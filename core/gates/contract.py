"""The behaviour every registered gate class promises, as a reusable check.

A gate class has a ``name`` class attribute, a ``hard_in_eval`` flag, is a
:class:`~simplex_training.model.module.Module` (``train()``/``eval()``), is callable on one Tensor
input and has ``example_input(rng) -> np.ndarray`` giving a valid input. Contract:

* eval mode: two calls on the same input return identical, finite values; with ``hard_in_eval``
  every value is exactly 0 or 1;
* train mode: the output requires grad and a backward pass gives finite gradients, not all zero,
  to the input or to the gate's trainable parameters.

``check_gate_contract(gate)`` raises ``AssertionError`` naming the broken rule; the test suites of
simplex-training (and of third-party gate plugins) call it.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from simplex_training.engine import Tensor

__all__ = ["check_gate_contract", "has_default_constructor"]


def has_default_constructor(cls: type) -> bool:
    """True when ``cls()`` needs no arguments."""
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    return all(p.default is not inspect.Parameter.empty
               or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params)


def _fail(gate: Any, rule: str) -> None:
    raise AssertionError(f"gate '{getattr(gate, 'name', type(gate).__name__)}': {rule}")


def check_gate_contract(gate: Any, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    x = np.asarray(gate.example_input(rng))
    was_training = gate.training
    try:
        gate.eval()
        y1 = np.array(gate(Tensor(x)).data, copy=True)
        y2 = gate(Tensor(x)).data
        if not np.isfinite(y1).all():
            _fail(gate, "eval output is not finite")
        if y1.shape != y2.shape or not np.array_equal(y1, y2):
            _fail(gate, "eval output is not deterministic")
        if gate.hard_in_eval and not np.isin(y1, (0.0, 1.0)).all():
            _fail(gate, "eval output is not hard (values other than 0 and 1)")
        gate.train()
        params = [p for p in gate.parameters() if p.requires_grad]
        for p in params:
            p.grad = None
        xt = Tensor(x, requires_grad=True)
        out = gate(xt)
        if not out.requires_grad:
            _fail(gate, "train output does not require grad")
        weights = np.random.default_rng(seed + 1).standard_normal(out.shape).astype(out.dtype)
        (out * Tensor(weights)).sum().backward()
        grads = [g for g in [xt.grad] + [p.grad for p in params] if g is not None]
        if not grads or not all(np.isfinite(g).all() for g in grads):
            _fail(gate, "train backward gives no or non-finite gradients")
        if not any(np.abs(g).max() > 0 for g in grads):
            _fail(gate, "train backward gives only zero gradients")
    finally:
        gate.train(was_training)
