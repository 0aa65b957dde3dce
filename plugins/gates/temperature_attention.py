"""Gate plugin: multi-head attention with a learnable temperature.

Registers ``TemperatureAttention`` from :mod:`simplex_training.gates.attention`.
"""

from __future__ import annotations

from simplex_training.gates.attention import TemperatureAttention
from simplex_training.hookspecs import hookimpl

__all__ = ["TemperatureAttention", "plugin"]


class _Plugin:
    @hookimpl
    def register_gates(self, register):  # noqa: ANN001
        register(TemperatureAttention)


plugin = _Plugin()
