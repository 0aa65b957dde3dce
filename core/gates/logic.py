"""Learnable soft-logic gates and circuits of them (inputs and outputs are probabilities).

Scope
-----
``SoftLogicGate(op, n_inputs, temperature)``
    q_i = sigmoid((w_i * logit(p_i) + b) / T) then the op on the q_i (product / probabilistic-sum
    forms of :mod:`simplex_training.gates.ops_logic`). ``w = 1, b = 0`` (the initial values) make
    q_i = sharpen(p_i, T), i.e. exactly the plain soft op; a learned negative w_i negates input
    i, b shifts every input's evidence. T is a learnable, log-parameterised, clamped Parameter.
    In eval mode the output is hardened to 1[y >= 0.5].
``LogicCircuit(n_inputs)``
    Layers of gates. Layer 0 is the circuit input (``n_inputs`` probabilities); ``add_layer``
    appends layer 1, 2, ...; ``connect(from_layer, from_gate, to_layer, to_gate, to_input)``
    wires one gate input. A gate with no connections reads every output of the previous layer
    (its ``num_inputs`` must match that width); a partially wired gate is an error.

Operations: and, or, not (1 input), xor / implies / iff (2 inputs), nand, nor. An inactive gate
(``set_active(False)``) outputs the uninformative constant 0.5.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F
from simplex_training.gates.modes import log_clamped_exp
from simplex_training.gates.ops import hard_gate
from simplex_training.gates.ops_logic import (and_all, logit, or_all, soft_iff, soft_implies,
                                              soft_xor)
from simplex_training.model.module import Module

__all__ = ["SoftLogicGate", "LogicCircuit", "LOGIC_OPS"]

LOGIC_OPS = ("and", "or", "not", "xor", "implies", "iff", "nand", "nor")
_BINARY = {"xor": soft_xor, "implies": soft_implies, "iff": soft_iff}


class SoftLogicGate(Module):
    name = "soft_logic_gate"
    hard_in_eval = True

    def __init__(self, op: str = "and", n_inputs: int = 2, temperature: float = 1.0, *,
                 learn_temperature: bool = True, min_temperature: float = 0.01,
                 max_temperature: float = 100.0, dtype: Any = np.float32) -> None:
        if op not in LOGIC_OPS:
            raise ValueError(f"unknown logic op '{op}'; choose from {LOGIC_OPS}")
        if op == "not" and n_inputs != 1:
            raise ValueError("'not' takes exactly 1 input")
        if op in _BINARY and n_inputs != 2:
            raise ValueError(f"'{op}' takes exactly 2 inputs")
        if n_inputs < 1:
            raise ValueError(f"a gate needs at least one input, got {n_inputs}")
        if not 0 < min_temperature <= temperature <= max_temperature:
            raise ValueError(f"temperature {temperature} outside [{min_temperature}, {max_temperature}]")
        self._op, self._n = op, int(n_inputs)
        self.min_temperature, self.max_temperature = float(min_temperature), float(max_temperature)
        self.weight = Parameter(np.ones(n_inputs, dtype=dtype), name="weight")
        self.bias = Parameter(np.array(0.0, dtype=dtype), name="bias")
        self.log_temperature = Parameter(np.array(math.log(temperature), dtype=dtype),
                                         requires_grad=learn_temperature, name="log_temperature")
        self.active = True

    # ------------------------------------------------------------------ presets
    @classmethod
    def and_gate(cls, n_inputs: int = 2, **kw: Any) -> SoftLogicGate:
        return cls("and", n_inputs, kw.pop("temperature", 0.5), **kw)

    @classmethod
    def or_gate(cls, n_inputs: int = 2, **kw: Any) -> SoftLogicGate:
        return cls("or", n_inputs, kw.pop("temperature", 0.5), **kw)

    @classmethod
    def not_gate(cls, **kw: Any) -> SoftLogicGate:
        return cls("not", 1, **kw)

    @classmethod
    def xor_gate(cls, **kw: Any) -> SoftLogicGate:
        return cls("xor", 2, **kw)

    # ------------------------------------------------------------------ introspection
    @property
    def op(self) -> str:
        return self._op

    def operation(self) -> str:
        return self._op

    @property
    def num_inputs(self) -> int:
        return self._n

    def set_active(self, active: bool) -> None:
        self.active = bool(active)

    def temperature(self) -> Tensor:
        return log_clamped_exp(self.log_temperature, self.min_temperature, self.max_temperature)

    # ------------------------------------------------------------------ forward
    def forward(self, inputs: Any) -> Tensor:
        """``inputs``: (..., n_inputs) probabilities, or a sequence of n_inputs (...) tensors."""
        p = _stack(inputs, self.weight.dtype)
        if p.shape[-1] != self._n:
            raise ValueError(f"gate '{self._op}' expects {self._n} inputs, got {p.shape[-1]}")
        if not self.active:
            return Tensor(np.full(p.shape[:-1], 0.5, dtype=p.dtype))
        q = F.sigmoid((logit(p) * self.weight + self.bias) / self.temperature())
        y = self._apply(q)
        return hard_gate(y, 0.5) if not self.training else y

    __call__ = forward

    def _apply(self, q: Tensor) -> Tensor:
        op = self._op
        if op == "not":
            return 1.0 - q[..., 0]
        if op in _BINARY:
            return _BINARY[op](q[..., 0], q[..., 1], None)
        y = and_all(q, None) if op in ("and", "nand") else or_all(q, None)
        return 1.0 - y if op in ("nand", "nor") else y

    def example_input(self, rng: np.random.Generator) -> np.ndarray:
        return rng.random((4, self._n)).astype(self.weight.dtype)


def _stack(inputs: Any, dtype: Any) -> Tensor:
    if isinstance(inputs, Tensor):
        return inputs
    if isinstance(inputs, (list, tuple)):
        return F.stack([t if isinstance(t, Tensor) else Tensor(t, dtype=dtype) for t in inputs], axis=-1)
    return Tensor(inputs, dtype=dtype)


class LogicCircuit(Module):
    name = "logic_circuit"
    hard_in_eval = True

    def __init__(self, n_inputs: int) -> None:
        if n_inputs < 1:
            raise ValueError(f"a circuit needs at least one input, got {n_inputs}")
        self.n_inputs = int(n_inputs)
        self.gates: list[SoftLogicGate] = []
        self._layers: list[list[int]] = []  # gate indices per layer (layer l is _layers[l - 1])
        self._wires: dict[tuple[int, int], dict[int, tuple[int, int]]] = {}

    def add_layer(self, gates: Sequence[SoftLogicGate]) -> int:
        """Append a layer; returns its number (1 for the first, layer 0 being the inputs)."""
        if not gates:
            raise ValueError("a layer needs at least one gate")
        start = len(self.gates)
        self.gates.extend(gates)
        self._layers.append(list(range(start, start + len(gates))))
        return len(self._layers)

    def width(self, layer: int) -> int:
        return self.n_inputs if layer == 0 else len(self._layers[layer - 1])

    def gate(self, layer: int, index: int) -> SoftLogicGate:
        return self.gates[self._layers[layer - 1][index]]

    def connect(self, from_layer: int, from_gate: int, to_layer: int, to_gate: int, to_input: int) -> None:
        if not 0 <= from_layer < to_layer <= len(self._layers):
            raise ValueError(f"cannot wire layer {from_layer} to layer {to_layer} "
                             f"(layers 0..{len(self._layers)}, wires go forward)")
        if not 0 <= from_gate < self.width(from_layer):
            raise ValueError(f"layer {from_layer} has no output {from_gate}")
        if not 0 <= to_gate < self.width(to_layer):
            raise ValueError(f"layer {to_layer} has no gate {to_gate}")
        if not 0 <= to_input < self.gate(to_layer, to_gate).num_inputs:
            raise ValueError(f"gate ({to_layer}, {to_gate}) has no input {to_input}")
        self._wires.setdefault((to_layer, to_gate), {})[to_input] = (from_layer, from_gate)

    @property
    def num_layers(self) -> int:
        return len(self._layers)

    @property
    def num_gates(self) -> int:
        return len(self.gates)

    @property
    def num_active_gates(self) -> int:
        return sum(g.active for g in self.gates)

    def forward(self, x: Any) -> Tensor:
        """``x``: (..., n_inputs) probabilities -> (..., width of the last layer)."""
        if not self._layers:
            raise ValueError("the circuit has no layers")
        x = x if isinstance(x, Tensor) else Tensor(x)
        if x.shape[-1] != self.n_inputs:
            raise ValueError(f"circuit expects {self.n_inputs} inputs, got {x.shape[-1]}")
        outs: list[list[Tensor]] = [[x[..., i] for i in range(self.n_inputs)]]
        for layer in range(1, len(self._layers) + 1):
            row = []
            for j in range(self.width(layer)):
                g = self.gate(layer, j)
                wires = self._wires.get((layer, j))
                if wires is None:
                    if g.num_inputs != len(outs[-1]):
                        raise ValueError(f"unwired gate ({layer}, {j}) has {g.num_inputs} inputs but "
                                         f"layer {layer - 1} has {len(outs[-1])} outputs")
                    ins = outs[-1]
                else:
                    missing = sorted(set(range(g.num_inputs)) - set(wires))
                    if missing:
                        raise ValueError(f"gate ({layer}, {j}) inputs {missing} are not connected")
                    ins = [outs[fl][fg] for fl, fg in (wires[i] for i in range(g.num_inputs))]
                row.append(g(ins))
            outs.append(row)
        return F.stack(outs[-1], axis=-1)

    __call__ = forward

    def example_input(self, rng: np.random.Generator) -> np.ndarray:
        return rng.random((4, self.n_inputs)).astype(np.float32)
