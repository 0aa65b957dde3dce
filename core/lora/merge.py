"""Merged weights of a LoRA model: ``W + scale * B @ A`` for every adapted layer, as new arrays.

Scope: :func:`merged_weights` (GGUF name -> float32 array, the model is not modified; works for
QLoRA too, where the base is dequantized) and :func:`write_merged_gguf`, which hands them to the
``gguf`` exporter's writer (F16 by default; ``f32`` and ``q8_0`` on request, see
:data:`simplex_training.gguf.writer.DTYPES`). The delta is computed in float64 and added to the
unmerged base (a layer merged in place contributes its kept original array), so the result does
not depend on whether ``LoRAModel.merge()`` was called.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from simplex_training.lora.apply import LoRAModel


def merged_weights(lora_model: LoRAModel) -> dict[str, np.ndarray]:
    """Every weight of the base model by GGUF name, with the adapters folded in (float32)."""
    adapters = lora_model.named_adapters()
    out: dict[str, np.ndarray] = {}
    for name, param in lora_model.model.named_weights().items():
        layer = adapters.get(name)
        if layer is None:
            out[name] = np.array(param.data, dtype=np.float32, copy=True)
            continue
        base = layer.dequantized_base().astype(np.float64)
        if layer.enabled:
            base += layer.scale * (layer.lora_B.data.astype(np.float64) @ layer.lora_A.data.astype(np.float64))
        out[name] = base.astype(np.float32)
    return out


def write_merged_gguf(path: str | os.PathLike[str], lora_model: LoRAModel, tokenizer: Any, dtype: str = "f16",
                      **meta: Any) -> Path:
    """Write the merged model as a llama.cpp GGUF with the ``gguf`` exporter; returns the path."""
    from simplex_training.plugins.exporters.gguf_model import GGUFModelExporter

    return GGUFModelExporter().export(path, lora_model.model.config, merged_weights(lora_model), tokenizer,
                                      dtype=dtype, **meta)
