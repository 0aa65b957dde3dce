"""Exporter plugin ``gguf_adapter``: a LoRA adapter as a llama.cpp adapter GGUF (``--lora``).

Format (``../shared/reference/gguf-llama-cpp.md`` §4, llama.cpp ``src/llama-adapter.cpp``):
``general.architecture = llama``, ``general.type = adapter``, ``adapter.type = lora``,
``adapter.lora.alpha`` (f32), and F32 tensors ``<base>.lora_a`` (numpy (r, in)) and
``<base>.lora_b`` (numpy (out, r)). llama.cpp scales by ``alpha / r`` (r read from each lora_b),
so the alpha written is ``scale * r``: plain LoRA keeps alpha, rsLoRA writes ``alpha * sqrt(r)``.
Informational keys ``simplex.lora.*`` / ``simplex.base.*`` record the original hyper-parameters
and the base shape (llama.cpp ignores them). ``token_embd`` adapters are refused (llama.cpp
aborts on them with tied bases). The file is written to a temporary file and renamed into place.

Also :func:`read_gguf_adapter` (state dict + metadata) and :func:`check_adapter_compatible`
(names and shapes against a base config, with errors naming the offending tensor).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import gguf
import numpy as np

from simplex_training.errors import SimplexError
from simplex_training.gguf.writer import atomic_gguf_writer
from simplex_training.hookspecs import hookimpl
from simplex_training.model.config import LlamaConfig
from simplex_training.registry import Register


class AdapterCompatibilityError(SimplexError, ValueError):
    """An adapter does not fit a base model; the message names the tensor (or key) at fault."""


def gguf_alpha(rank: int, scale: float) -> float:
    """The ``adapter.lora.alpha`` llama.cpp needs for ``scale`` (its runtime scale is alpha / r)."""
    return float(scale) * float(rank)


def _check_shapes(base_config: LlamaConfig, shapes: dict[str, tuple[int, ...]], source: str) -> None:
    base = base_config.weight_shapes()
    pairs: dict[str, dict[str, tuple[int, ...]]] = {}
    for name, shape in shapes.items():
        stem, _, half = name.rpartition(".")
        if half not in ("lora_a", "lora_b"):
            raise AdapterCompatibilityError(f"{source}: tensor {name!r} is not a .lora_a/.lora_b tensor")
        if stem.startswith("token_embd"):
            raise AdapterCompatibilityError(f"{source}: tensor {name!r}: token_embd adapters are not supported")
        if stem not in base:
            hint = " (the base has tied embeddings, no output.weight)" if stem == "output.weight" else ""
            raise AdapterCompatibilityError(f"{source}: tensor {name!r}: base tensor {stem!r} does not exist in the "
                                            f"base model{hint}")
        pairs.setdefault(stem, {})[half] = tuple(shape)
    for stem, pair in pairs.items():
        if set(pair) != {"lora_a", "lora_b"}:
            missing = ({"lora_a", "lora_b"} - set(pair)).pop()
            raise AdapterCompatibilityError(f"{source}: tensor {stem}.{missing!s} is missing (LoRA pairs need both)")
        out_f, in_f = base[stem]
        a, b = pair["lora_a"], pair["lora_b"]
        if len(a) != 2 or a[1] != in_f:
            raise AdapterCompatibilityError(f"{source}: tensor {stem}.lora_a has shape {a}, expected (r, {in_f}) "
                                            f"for base {stem} {base[stem]}")
        if len(b) != 2 or b[0] != out_f or b[1] != a[0]:
            raise AdapterCompatibilityError(f"{source}: tensor {stem}.lora_b has shape {b}, expected ({out_f}, {a[0]}) "
                                            f"for base {stem} {base[stem]}")


def read_gguf_adapter(path: str | os.PathLike[str]) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """(``{"<base>.lora_a": A, ...}`` float32 numpy arrays, metadata dict) of an adapter GGUF."""
    path = Path(path)
    try:
        reader = gguf.GGUFReader(path, "r")
    except Exception as exc:  # noqa: BLE001 - gguf raises several types for bad files
        raise AdapterCompatibilityError(f"{path}: not a readable GGUF file ({exc})") from exc
    meta: dict[str, Any] = {}
    for key, fld in reader.fields.items():
        if key.startswith("GGUF."):
            continue
        with contextlib.suppress(Exception):
            meta[key] = fld.contents()
    if meta.get("general.type") != "adapter" or meta.get("adapter.type") != "lora":
        raise AdapterCompatibilityError(f"{path}: not a LoRA adapter (general.type={meta.get('general.type')!r}, "
                                        f"adapter.type={meta.get('adapter.type')!r})")
    state: dict[str, np.ndarray] = {}
    for t in reader.tensors:
        state[t.name] = np.array(gguf.quants.dequantize(t.data, t.tensor_type), dtype=np.float32)
    return state, meta


def check_adapter_compatible(base_config: LlamaConfig, adapter_path: str | os.PathLike[str]) -> dict[str, Any]:
    """Raise :class:`AdapterCompatibilityError` unless the adapter GGUF fits ``base_config``.

    Checks the architecture, every tensor's base name and shape (as llama.cpp does), and the base
    vocabulary size recorded by this exporter. Returns the adapter metadata.
    """
    path = Path(adapter_path)
    reader = gguf.GGUFReader(path, "r")
    fields = {k: f.contents() for k, f in reader.fields.items() if not k.startswith("GGUF.")}
    arch = fields.get("general.architecture")
    if arch != "llama" or fields.get("general.type") != "adapter" or fields.get("adapter.type") != "lora":
        raise AdapterCompatibilityError(f"{path}: not a llama LoRA adapter (general.architecture={arch!r}, "
                                        f"general.type={fields.get('general.type')!r})")
    # ReaderTensor.shape is in ggml order; reversed it is the numpy shape (reference §1.3).
    shapes = {t.name: tuple(int(d) for d in reversed(list(t.shape))) for t in reader.tensors}
    _check_shapes(base_config, shapes, str(path))
    vocab = fields.get("simplex.base.vocab_size")
    if vocab is not None and int(vocab) != base_config.vocab_size:
        raise AdapterCompatibilityError(f"{path}: adapter was trained on a base with a vocabulary of {vocab} tokens, "
                                        f"this base has {base_config.vocab_size} (key simplex.base.vocab_size)")
    return fields


class GGUFAdapterExporter:
    """Writes a :class:`~simplex_training.lora.apply.LoRAModel`'s adapters as a llama.cpp LoRA GGUF."""

    name = "gguf_adapter"

    def export(self, path: str | os.PathLike[str], lora_model: Any, base_config: LlamaConfig, lora_cfg: Any = None,
               name: str = "simplex-adapter", **meta: str | int | float | bool) -> Path:
        """Write the adapter GGUF atomically and return its path.

        :param lora_cfg: the :class:`~simplex_training.lora.apply.LoRAConfig` (default: the model's).
        :param meta: extra string/int/float/bool keys (e.g. ``simplex.specialist``).
        """
        lora_cfg = lora_cfg if lora_cfg is not None else lora_model.config
        adapters = lora_model.named_adapters()
        if not adapters:
            raise ValueError("the LoRA model has no adapters to export")
        alphas = {round(gguf_alpha(layer.rank, layer.scale), 6) for layer in adapters.values()}
        if len(alphas) != 1:
            raise ValueError(f"adapters need one alpha/r scale per file; found alphas {sorted(alphas)}")
        alpha = gguf_alpha(lora_cfg.rank, lora_cfg.scale)
        if abs(alpha - alphas.pop()) > 1e-5 * alpha:
            raise ValueError(f"lora_cfg (r={lora_cfg.rank}, alpha={lora_cfg.alpha}, rslora={lora_cfg.rslora}) does not "
                             "describe the model's adapters")
        state = lora_model.adapter_state_dict()
        _check_shapes(base_config, {k: v.shape for k, v in state.items()}, "adapter")
        path = Path(path)
        with atomic_gguf_writer(path) as writer:
            writer.add_type(gguf.GGUFType.ADAPTER)
            writer.add_name(name)
            writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
            writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, alpha)
            writer.add_uint32("simplex.lora.rank", int(lora_cfg.rank))
            writer.add_float32("simplex.lora.alpha", float(lora_cfg.alpha))
            writer.add_bool("simplex.lora.rslora", bool(lora_cfg.rslora))
            writer.add_float32("simplex.lora.dropout", float(lora_cfg.dropout))
            writer.add_uint32("simplex.base.vocab_size", int(base_config.vocab_size))
            writer.add_uint32("simplex.base.embedding_length", int(base_config.dim))
            writer.add_uint32("simplex.base.block_count", int(base_config.n_layers))
            for key, value in meta.items():
                _add(writer, key, value)
            for tname, arr in state.items():
                writer.add_tensor(tname, np.ascontiguousarray(arr, dtype=np.float32))
        return path

    def example_args(self, workdir: Path) -> dict[str, Any]:
        """Arguments of a small example export (a tiny LoRA model; ``workdir`` is not needed)."""
        from simplex_training.export_contract import tiny_lora_model

        lora_model, base_config = tiny_lora_model()
        return {"lora_model": lora_model, "base_config": base_config}


def _add(writer: gguf.GGUFWriter, key: str, value: object) -> None:
    if key in writer.kv_data[0]:
        raise ValueError(f"metadata key {key!r} is set by the exporter")
    if isinstance(value, bool):
        writer.add_bool(key, value)
    elif isinstance(value, int):
        writer.add_uint32(key, value) if 0 <= value < 2**32 else writer.add_int64(key, value)
    elif isinstance(value, float):
        writer.add_float32(key, value)
    elif isinstance(value, str):
        writer.add_string(key, value)
    else:
        raise ValueError(f"metadata {key!r}: unsupported value type {type(value).__name__}")


class _GGUFAdapterPlugin:
    def __repr__(self) -> str:
        return "GGUFAdapterExporterPlugin()"

    @hookimpl
    def register_exporters(self, register: Register) -> None:
        register(GGUFAdapterExporter())


plugin = _GGUFAdapterPlugin()
