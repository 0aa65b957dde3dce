"""Gate plugin: learned structured pruning mask (straight-through).

Registers ``NeuronMask`` from :mod:`simplex_training.gates.masks`.
"""

from __future__ import annotations

from simplex_training.gates.masks import NeuronMask
from simplex_training.hookspecs import hookimpl

__all__ = ["NeuronMask", "plugin"]


class _Plugin:
    @hookimpl
    def register_gates(self, register):  # noqa: ANN001
        register(NeuronMask)


plugin = _Plugin()
