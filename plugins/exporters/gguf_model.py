"""Exporter plugin ``gguf``: write a trained llama model and its tokenizer as one GGUF file.

Scope: a thin plugin wrapper around :func:`simplex_training.gguf.writer.write_llama_gguf`; the
file loads in llama.cpp (``../shared/reference/gguf-llama-cpp.md`` §1, §3). Registered through
the ``register_exporters`` hook (entry point ``exporters.gguf``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from simplex_training.gguf.writer import DTYPES, write_llama_gguf
from simplex_training.hookspecs import hookimpl
from simplex_training.model.config import LlamaConfig
from simplex_training.registry import Register
from simplex_training.tokenizer.spm import SPMTokenizer


class GGUFModelExporter:
    """Exports ``(config, weights, tokenizer)`` to a llama.cpp-compatible GGUF file."""

    name = "gguf"
    dtypes = tuple(DTYPES)

    def export(
        self,
        path: str | os.PathLike[str],
        config: LlamaConfig,
        weights: Mapping[str, np.ndarray],
        tokenizer: SPMTokenizer,
        dtype: str = "f16",
        **meta: Any,
    ) -> Path:
        """Write the GGUF file atomically and return its path.

        :param dtype: type of the 2-D weights (see :data:`simplex_training.gguf.writer.DTYPES`).
        :param meta: ``name`` (``general.name``), ``chat_template``, and any other key/value
            written as extra metadata (str, int, float or bool values).
        """
        name = str(meta.pop("name", "simplex-model"))
        kwargs: dict[str, Any] = {}
        if "chat_template" in meta:
            kwargs["chat_template"] = meta.pop("chat_template")
        return write_llama_gguf(
            path, config, weights, tokenizer, dtype=dtype, name=name, extra_metadata=meta or None, **kwargs
        )

    def example_args(self, workdir: Path) -> dict[str, Any]:
        """Arguments of a small example export (a tiny random llama; ``workdir`` is not needed)."""
        from simplex_training.export_contract import tiny_llama

        config, weights, tokenizer = tiny_llama()
        return {"config": config, "weights": weights, "tokenizer": tokenizer}


class _GGUFExporterPlugin:
    def __repr__(self) -> str:
        return "GGUFExporterPlugin()"

    @hookimpl
    def register_exporters(self, register: Register) -> None:
        register(GGUFModelExporter())


plugin = _GGUFExporterPlugin()
