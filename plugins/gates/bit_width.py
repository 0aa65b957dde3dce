"""Gate plugin: learned per-tensor bit width (Gumbel-softmax).

Registers ``BitWidthChooser`` from :mod:`simplex_training.gates.masks`.
"""

from __future__ import annotations

from simplex_training.gates.masks import BitWidthChooser
from simplex_training.hookspecs import hookimpl

__all__ = ["BitWidthChooser", "plugin"]


class _Plugin:
    @hookimpl
    def register_gates(self, register):  # noqa: ANN001
        register(BitWidthChooser)


plugin = _Plugin()
