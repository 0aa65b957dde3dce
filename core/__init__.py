"""simplex-training: train specialist language models on a CPU, export GGUF for llama.cpp.

The public API is imported lazily so that ``import simplex_training`` (and ``simplex-train --help``)
stays cheap; numpy, numba and Faker load only when a command needs them.
"""

from __future__ import annotations

from simplex_training.hookspecs import hookimpl

__version__ = "0.1.0"

__all__ = ["hookimpl", "__version__", "get_host"]


def get_host():  # noqa: ANN201 - re-exported accessor
    """The process-wide :class:`~simplex_training.pluginmanager.PluginHost`."""
    from simplex_training.pluginmanager import get_host as _get_host

    return _get_host()
