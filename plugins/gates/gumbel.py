"""Gate plugin: Gumbel-softmax categorical gate.

Registers ``GumbelSoftmaxGate`` from :mod:`simplex_training.gates.gumbel`.
"""

from __future__ import annotations

from simplex_training.gates.gumbel import GumbelSoftmaxGate
from simplex_training.hookspecs import hookimpl

__all__ = ["GumbelSoftmaxGate", "plugin"]


class _Plugin:
    @hookimpl
    def register_gates(self, register):  # noqa: ANN001
        register(GumbelSoftmaxGate)


plugin = _Plugin()
