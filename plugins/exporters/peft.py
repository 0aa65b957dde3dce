"""Exporter plugin ``peft``: a LoRA adapter in Hugging Face PEFT format, and its reader.

Writes ``adapter_model.safetensors`` and ``adapter_config.json`` into a directory (peers.md §1:
PEFT save format; ``original-system.md`` §8 item 4). Keys::

    base_model.model.model.layers.{i}.self_attn.{q,k,v,o}_proj.lora_{A,B}.weight
    base_model.model.model.layers.{i}.mlp.{gate,up,down}_proj.lora_{A,B}.weight
    base_model.model.lm_head.lora_{A,B}.weight

with ``lora_A.weight`` (r, in) and ``lora_B.weight`` (out, r), the layout of nn.Linear.

RoPE layout. simplex-training (like llama.cpp's GGUF) applies RoPE to adjacent pairs; HF llama
uses rotate-half. ``convert_hf_to_gguf.py`` maps an HF model to GGUF by permuting the rows of
q_proj (``permute(w, n_head, n_head)``) and k_proj (``permute(w, n_head, n_head_kv)``), see
``gguf-llama-cpp.md`` §2. A PEFT adapter targets the HF-layout base, so lora_B of q and k is
written with the inverse permutation (lora_A is unchanged: the permutation acts on output rows).
Converting the written HF base + adapter back with ``permute`` (as ``convert_lora_to_gguf.py``
does to lora_B) gives our tensors exactly; :func:`load_peft_adapter` applies ``permute`` on read.

``adapter_config.json`` stores the PEFT ``lora_alpha`` (PEFT applies ``use_rslora`` itself), and
``target_modules`` as PEFT module names, or as a full-match regex when only some layers are
adapted. safetensors is written with the ``safetensors`` package's numpy API; both files are
written atomically (temporary file + rename).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import load_file, save

from simplex_training.atomic import atomic_write_files
from simplex_training.hookspecs import hookimpl
from simplex_training.model.config import LlamaConfig
from simplex_training.registry import Register

WEIGHTS_NAME = "adapter_model.safetensors"
CONFIG_NAME = "adapter_config.json"
# GGUF projection -> (HF sub-module path, PEFT target module name)
_HF = {
    "attn_q": ("self_attn.q_proj", "q_proj"), "attn_k": ("self_attn.k_proj", "k_proj"),
    "attn_v": ("self_attn.v_proj", "v_proj"), "attn_output": ("self_attn.o_proj", "o_proj"),
    "ffn_gate": ("mlp.gate_proj", "gate_proj"), "ffn_up": ("mlp.up_proj", "up_proj"),
    "ffn_down": ("mlp.down_proj", "down_proj"),
}
_FROM_HF = {v[0]: k for k, v in _HF.items()}
_PREFIX = "base_model.model."
_KEY = re.compile(r"^base_model\.model\.(?:model\.layers\.(\d+)\.(self_attn\.[qkvo]_proj|mlp\.(?:gate|up|down)_proj)|"
                  r"(lm_head))\.lora_([AB])\.weight$")


def permute(w: np.ndarray, n_head: int) -> np.ndarray:
    """HF (rotate-half) rows -> GGUF (adjacent-pair) rows, per head (``convert_hf_to_gguf`` ``permute``)."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def unpermute(w: np.ndarray, n_head: int) -> np.ndarray:
    """The inverse of :func:`permute`: GGUF rows -> HF rows."""
    return w.reshape(n_head, w.shape[0] // n_head // 2, 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def _heads(kind: str, config: LlamaConfig) -> int | None:
    return {"attn_q": config.n_heads, "attn_k": config.n_kv_heads}.get(kind)


def module_path(base_name: str) -> str:
    """GGUF weight name -> HF module path (``blk.0.attn_q.weight`` -> ``model.layers.0.self_attn.q_proj``)."""
    if base_name == "output.weight":
        return "lm_head"
    parts = base_name.split(".")
    if len(parts) != 4 or parts[0] != "blk" or parts[2] not in _HF:
        raise ValueError(f"no PEFT module for {base_name!r} (token_embd and norms are never adapted)")
    return f"model.layers.{parts[1]}.{_HF[parts[2]][0]}"


def to_peft_state(state: dict[str, np.ndarray], config: LlamaConfig) -> dict[str, np.ndarray]:
    """Our ``<base>.lora_a/.lora_b`` state dict -> PEFT keys (q/k lora_B un-permuted to HF rows)."""
    out: dict[str, np.ndarray] = {}
    for key, arr in state.items():
        base, _, half = key.rpartition(".")
        kind = base.split(".")[2] if base.startswith("blk.") else "output"
        arr = np.ascontiguousarray(arr, dtype=np.float32)
        n_head = _heads(kind, config)
        if half == "lora_b" and n_head is not None:
            arr = np.ascontiguousarray(unpermute(arr, n_head))
        out[f"{_PREFIX}{module_path(base)}.lora_{'A' if half == 'lora_a' else 'B'}.weight"] = arr
    return out


def from_peft_state(peft: dict[str, np.ndarray], config: LlamaConfig) -> dict[str, np.ndarray]:
    """PEFT keys -> our state dict (q/k lora_B permuted to GGUF rows); unknown keys raise."""
    out: dict[str, np.ndarray] = {}
    for key, arr in peft.items():
        m = _KEY.match(key)
        if m is None:
            raise ValueError(f"PEFT tensor {key!r} is not a llama LoRA A/B weight this project can load")
        layer, sub, head, ab = m.groups()
        kind = "output" if head else _FROM_HF[sub]
        base = "output.weight" if head else f"blk.{layer}.{kind}.weight"
        arr = np.asarray(arr, dtype=np.float32)
        n_head = _heads(kind, config)
        if ab == "B" and n_head is not None:
            arr = np.ascontiguousarray(permute(arr, n_head))
        out[f"{base}.lora_{ab.lower()}"] = arr
    return out


def _target_modules(names: list[str], n_layers: int) -> list[str] | str:
    """PEFT module names when whole kinds are adapted in every layer, else a full-match regex."""
    kinds: dict[str, set[str]] = {}
    for n in names:
        kind = "output" if n == "output.weight" else n.split(".")[2]
        kinds.setdefault(kind, set()).add(n)
    whole = all(kind == "output" or len(v) == n_layers for kind, v in kinds.items())
    if whole:
        return sorted(_HF[k][1] if k != "output" else "lm_head" for k in kinds)
    return "|".join(re.escape(module_path(n)) for n in names)


class PEFTExporter:
    """Writes ``adapter_model.safetensors`` + ``adapter_config.json`` for an HF llama base."""

    name = "peft"

    def export(self, path: str | os.PathLike[str], lora_model: Any, base_config: LlamaConfig, lora_cfg: Any = None,
               base_model_name_or_path: str = "", **extra: Any) -> Path:
        """Write both files into directory ``path`` (created) and return it.

        :param base_model_name_or_path: the HF base model id (PEFT uses it to find the base).
        :param extra: more ``adapter_config.json`` fields (e.g. ``revision``).
        """
        lora_cfg = lora_cfg if lora_cfg is not None else lora_model.config
        state = lora_model.adapter_state_dict()
        names = list(lora_model.named_adapters())
        if not names:
            raise ValueError("the LoRA model has no adapters to export")
        layers = lora_model.named_adapters().values()
        if any((layer.rank, layer.alpha, layer.rslora) != (lora_cfg.rank, lora_cfg.alpha, lora_cfg.rslora)
               for layer in layers):
            raise ValueError(f"lora_cfg (r={lora_cfg.rank}, alpha={lora_cfg.alpha}, rslora={lora_cfg.rslora}) does not "
                             "describe every adapter of the model (PEFT stores one r / lora_alpha per file)")
        peft_state = to_peft_state(state, base_config)
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        config = {
            "peft_type": "LORA",
            "task_type": "CAUSAL_LM",
            "base_model_name_or_path": base_model_name_or_path,
            "r": int(lora_cfg.rank),
            "lora_alpha": float(lora_cfg.alpha),
            "lora_dropout": float(lora_cfg.dropout),
            "target_modules": _target_modules(names, base_config.n_layers),
            "use_rslora": bool(lora_cfg.rslora),
            "bias": "none",
            "fan_in_fan_out": False,
            "inference_mode": True,
            "init_lora_weights": True,
            "modules_to_save": None,
            "layers_to_transform": None,
            "use_dora": False,
            **extra,
        }
        atomic_write_files({out / WEIGHTS_NAME: save(peft_state, metadata={"format": "pt"}),
                            out / CONFIG_NAME: (json.dumps(config, indent=2, sort_keys=True) + "\n").encode()})
        return out

    def example_args(self, workdir: Path) -> dict[str, Any]:
        """Arguments of a small example export (a tiny LoRA model; ``workdir`` is not needed)."""
        from simplex_training.export_contract import tiny_lora_model

        lora_model, base_config = tiny_lora_model()
        return {"lora_model": lora_model, "base_config": base_config, "base_model_name_or_path": "simplex/tiny"}


def load_peft_adapter(path: str | os.PathLike[str], base_config: LlamaConfig) -> tuple[dict[str, np.ndarray], Any]:
    """Read a PEFT LoRA directory: (our adapter state dict, :class:`~simplex_training.lora.LoRAConfig`).

    ``base_config`` gives the head counts needed to permute q/k lora_B into the GGUF row layout.
    The returned config's targets are the exact GGUF names found in the file.
    """
    from simplex_training.lora.apply import LoRAConfig

    d = Path(path)
    for fname in (WEIGHTS_NAME, CONFIG_NAME):
        if not (d / fname).is_file():
            raise FileNotFoundError(f"{d}: no {fname} (not a PEFT adapter directory)")
    cfg = json.loads((d / CONFIG_NAME).read_text())
    if cfg.get("peft_type", "LORA") != "LORA":
        raise ValueError(f"{d / CONFIG_NAME}: peft_type {cfg.get('peft_type')!r} is not LORA")
    if cfg.get("fan_in_fan_out"):
        raise ValueError(f"{d / CONFIG_NAME}: fan_in_fan_out adapters (Conv1D layout) are not supported")
    state = from_peft_state(load_file(str(d / WEIGHTS_NAME)), base_config)
    targets = sorted({k.rpartition(".")[0] for k in state})
    lora_cfg = LoRAConfig(rank=int(cfg["r"]), alpha=float(cfg.get("lora_alpha", 8)),
                          dropout=float(cfg.get("lora_dropout", 0.0)), targets=targets,
                          rslora=bool(cfg.get("use_rslora", False)))
    return state, lora_cfg


class _PEFTPlugin:
    def __repr__(self) -> str:
        return "PEFTExporterPlugin()"

    @hookimpl
    def register_exporters(self, register: Register) -> None:
        register(PEFTExporter())


plugin = _PEFTPlugin()
