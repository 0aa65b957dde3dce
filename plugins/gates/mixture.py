"""Gate plugin: top-k mixture router and learnable temperature.

Registers ``MixtureGate``, ``LearnableTemperature`` from :mod:`simplex_training.gates.mixture`.
"""

from __future__ import annotations

from simplex_training.gates.mixture import MixtureGate, LearnableTemperature
from simplex_training.hookspecs import hookimpl

__all__ = ["MixtureGate", "LearnableTemperature", "plugin"]


class _Plugin:
    @hookimpl
    def register_gates(self, register):  # noqa: ANN001
        register(MixtureGate)
        register(LearnableTemperature)


plugin = _Plugin()
