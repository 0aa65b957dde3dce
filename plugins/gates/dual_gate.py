"""Gate plugin: dual-mode threshold gate and the straight-through step.

Registers ``DualGate``, ``StraightThroughGate`` from :mod:`simplex_training.gates.modes`.
"""

from __future__ import annotations

from simplex_training.gates.modes import DualGate, StraightThroughGate
from simplex_training.hookspecs import hookimpl

__all__ = ["DualGate", "StraightThroughGate", "plugin"]


class _Plugin:
    @hookimpl
    def register_gates(self, register):  # noqa: ANN001
        register(DualGate)
        register(StraightThroughGate)


plugin = _Plugin()
