"""Files around a fine-tuning run: loading the base and an adapter, and writing every export.

Scope: :func:`load_base` (a llama GGUF with its tokenizer; any reader problem is re-raised as
:class:`BaseModelError` naming the path), :func:`base_info` (what a checkpoint records about the
base), :func:`load_adapter` (an ``adapter.gguf``, a PEFT directory or a run directory, applied to a
fresh model of the base), :func:`write_exports` (``adapter.gguf``, ``merged.gguf`` F16,
``Modelfile``, ``adapter_model.safetensors`` + ``adapter_config.json``) through the ``exporters``
registry; every exporter writes atomically.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from simplex_training.errors import SimplexError

RUN_FILES = ("adapter.gguf", "merged.gguf", "Modelfile", "adapter_model.safetensors", "adapter_config.json",
             "metrics.json", "loss.png", "train_log.jsonl")


class BaseModelError(SimplexError):
    """The base model file cannot be used (not a llama GGUF, no tokenizer, no chat tokens)."""


def resolve_base(base: str | Path | None) -> Path:
    from simplex_training.assets import default_base_path

    return Path(base) if base is not None else default_base_path()


def load_base(path: str | Path) -> tuple[Any, dict[str, Any], Any, dict[str, Any]]:
    """(config, float32 weights, tokenizer, metadata) of a base GGUF, or :class:`BaseModelError`."""
    from simplex_training.gguf.reader import GGUFFormatError, read_llama_gguf
    from simplex_training.tokenizer.chat import ASSISTANT, END, USER

    path = Path(path)
    if not path.is_file():
        raise BaseModelError(f"base model {path} not found")
    try:
        config, weights, tok, meta = read_llama_gguf(path)
    except GGUFFormatError as exc:
        raise BaseModelError(f"cannot use base model {path}: {exc}") from None
    if tok is None:
        raise BaseModelError(f"cannot use base model {path}: it has no tokenizer (tokenizer.ggml.model)")
    missing = [p for p in (USER, ASSISTANT, END) if tok.token_id(p) is None]
    if missing:
        raise BaseModelError(f"cannot use base model {path}: its vocabulary lacks the chat tokens {', '.join(missing)} "
                             "(bases made by `simplex-train pretrain` have them)")
    return config, weights, tok, meta


def base_info(config: Any, weights: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """Vocabulary size, shape and a content hash of the base (checked when resuming)."""
    h = hashlib.sha256()
    for name in sorted(weights):
        h.update(name.encode())
        h.update(weights[name].tobytes())
    return {"vocab_size": int(config.vocab_size), "config": config.to_dict(), "sha256": h.hexdigest()[:16],
            "name": str(meta.get("general.name", ""))}


def exporter(name: str) -> Any:
    from simplex_training.pluginmanager import get_host

    return get_host().registry("exporters")[name]


def adapter_meta(specialist_id: str, cfg: Any, data_source: str) -> dict[str, str | int | float | bool]:
    """Extra adapter GGUF keys that let ``simplex-train eval`` rebuild the held-out test split."""
    return {"simplex.specialist": specialist_id, "simplex.finetune.config": json.dumps(cfg.to_dict()),
            "simplex.finetune.data": data_source}


def write_exports(out: Path, specialist_id: str, lora_model: Any, config: Any, tok: Any, base_meta: dict[str, Any],
                  meta: dict[str, str | int | float | bool]) -> dict[str, Path]:
    """Write the adapter GGUF, the merged F16 GGUF, the Modelfile and the PEFT files into ``out``."""
    from simplex_training.lora.merge import merged_weights

    files = {"adapter.gguf": exporter("gguf_adapter").export(out / "adapter.gguf", lora_model, config,
                                                             lora_model.config, name=f"{specialist_id}-lora", **meta)}
    files["merged.gguf"] = exporter("gguf").export(out / "merged.gguf", config, merged_weights(lora_model), tok,
                                                   dtype="f16", name=specialist_id,
                                                   **{"simplex.specialist": specialist_id})
    files["Modelfile"] = exporter("modelfile").export(out / "Modelfile", "merged.gguf")
    base_name = str(base_meta.get("general.name") or "simplex-base")
    exporter("peft").export(out, lora_model, config, lora_model.config, base_model_name_or_path=base_name)
    files["adapter_model.safetensors"] = out / "adapter_model.safetensors"
    files["adapter_config.json"] = out / "adapter_config.json"
    return files


def _lora_config_from_gguf(state: dict[str, Any], meta: dict[str, Any]) -> Any:
    from simplex_training.lora.apply import LoRAConfig

    targets = sorted({k.rpartition(".")[0] for k in state})
    rank = int(meta.get("simplex.lora.rank") or next(v.shape[0] for k, v in state.items() if k.endswith(".lora_a")))
    if "simplex.lora.alpha" in meta:
        return LoRAConfig(rank=rank, alpha=float(meta["simplex.lora.alpha"]), targets=targets,
                          rslora=bool(meta.get("simplex.lora.rslora", False)))
    return LoRAConfig(rank=rank, alpha=float(meta["adapter.lora.alpha"]), targets=targets)  # llama.cpp: alpha / r


def load_adapter(path: str | Path, config: Any, weights: dict[str, Any],
                 specialist: str | None = None) -> tuple[Any, dict[str, Any]]:
    """(a LoRAModel on a fresh copy of the base with the adapter loaded, adapter metadata). With
    ``specialist``, an adapter whose file names another specialist is refused."""
    from simplex_training.lora.apply import apply_lora
    from simplex_training.model.llama import LlamaModel
    from simplex_training.plugins.exporters.gguf_adapter import check_adapter_compatible, read_gguf_adapter
    from simplex_training.plugins.exporters.peft import CONFIG_NAME, load_peft_adapter

    p = Path(path)
    if p.is_dir() and (p / "adapter.gguf").is_file():
        p = p / "adapter.gguf"
    if not p.exists():
        raise SimplexError(f"adapter {p} not found")
    try:
        if p.is_dir():
            if not (p / CONFIG_NAME).is_file():
                raise SimplexError(f"{p}: neither adapter.gguf nor a PEFT adapter ({CONFIG_NAME}) in this directory")
            state, lora_cfg = load_peft_adapter(p, config)
            meta: dict[str, Any] = {}
        else:
            meta = check_adapter_compatible(config, p)
            state, meta = read_gguf_adapter(p)
            lora_cfg = _lora_config_from_gguf(state, meta)
        lora_model = apply_lora(LlamaModel(config, weights=weights), lora_cfg)
        lora_model.load_adapter_state_dict(state)
    except SimplexError:
        raise
    except (ValueError, FileNotFoundError) as exc:
        raise SimplexError(f"cannot load adapter {p}: {exc}") from None
    trained_for = meta.get("simplex.specialist")
    if specialist is not None and trained_for not in (None, specialist):
        raise SimplexError(f"{p} is an adapter for '{trained_for}', not '{specialist}': name '{trained_for}' "
                           "or give that specialist's adapter")
    return lora_model, meta
