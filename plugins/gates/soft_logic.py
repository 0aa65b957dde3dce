"""Gate plugin: learnable soft-logic gates and circuits on probabilities.

Registers ``SoftLogicGate``, ``LogicCircuit`` from :mod:`simplex_training.gates.logic`.
"""

from __future__ import annotations

from simplex_training.gates.logic import SoftLogicGate, LogicCircuit
from simplex_training.hookspecs import hookimpl

__all__ = ["SoftLogicGate", "LogicCircuit", "plugin"]


class _Plugin:
    @hookimpl
    def register_gates(self, register):  # noqa: ANN001
        register(SoftLogicGate)
        register(LogicCircuit)


plugin = _Plugin()
