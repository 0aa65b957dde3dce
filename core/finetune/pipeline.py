"""``train_specialist``: one specialist from data to every file llama.cpp, Ollama and PEFT need.

Writes ``OUT/ID/``: ``adapter.gguf`` (llama.cpp ``--lora``), ``merged.gguf`` (F16, base + adapter),
``Modelfile`` (Ollama, ``FROM ./merged.gguf``), ``adapter_model.safetensors`` +
``adapter_config.json`` (PEFT), ``metrics.json`` (base vs specialist on the test split, thresholds,
pass/fail), ``loss.png``, ``lr.png`` (the learning rate per step: learned, annealed or fixed),
``train_log.jsonl`` and ``checkpoints/``. ``metrics.json`` is removed when
a run starts and written last, with ``"complete": true``, so its presence means the run finished.

Expected failures are :class:`~simplex_training.errors.SimplexError` subclasses with one-line
messages: an unknown specialist id (with suggestions), a base that is not a usable llama GGUF
(the path is named), malformed or empty data (file and line), resuming onto another base
(vocabulary or weights differ), bad settings.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from simplex_training.errors import DataError, SimplexError
from simplex_training.finetune.config import ConfigError, FinetuneConfig, default_lr


@dataclass
class SpecialistResult:
    specialist: str
    out_dir: Path
    passed: bool
    metrics: dict[str, Any]
    training: dict[str, Any]
    files: dict[str, Path] = field(default_factory=dict)


LENGTH_KEYS = ("steps", "epochs", "token_budget")  # one choice: how long to train


def merge_settings(defaults: dict[str, Any] | None, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """``defaults`` (a catalog entry's ``training``) updated with ``overrides``. ``lora`` mappings
    merge key by key; when ``overrides`` says how long to train (steps, epochs or token_budget), none
    of the defaults' length settings is kept."""
    data, overrides = dict(defaults or {}), dict(overrides or {})
    if any(overrides.get(k) is not None for k in LENGTH_KEYS):
        for k in LENGTH_KEYS:
            data.pop(k, None)
    if isinstance(data.get("lora"), dict) and isinstance(overrides.get("lora"), dict):
        overrides["lora"] = {**data["lora"], **overrides["lora"]}
    return {**data, **overrides}


def build_config(overrides: dict[str, Any] | None = None, *, steps: int | None = None, epochs: float | None = None,
                 seed: int | None = None, schedule: str | None = None,
                 defaults: dict[str, Any] | None = None, entry: Any = None) -> FinetuneConfig:
    """Built-in defaults <- ``defaults`` (the catalog entry's ``training``) <- ``overrides`` (a config
    file's mapping) <- explicit arguments. When none of them sets ``lr`` and ``entry`` (the catalog
    entry) is given, the learning rate is :func:`~simplex_training.finetune.config.default_lr` of
    the run's LoRA scale."""
    data = merge_settings(defaults, overrides)
    if steps is not None or epochs is not None:
        data.pop("token_budget", None)
    if steps is not None:
        data["steps"], data["epochs"] = steps, None
    elif epochs is not None:
        data["steps"], data["epochs"] = None, epochs
    if seed is not None:
        data["seed"] = seed
    if schedule is not None:
        data["schedule"] = schedule
    cfg = FinetuneConfig.from_dict(data)
    if entry is not None and "lr" not in data:
        cfg = replace(cfg, lr=default_lr(lora_config(entry, cfg).scale))
    return cfg


def lora_preset(entry: Any, cfg: FinetuneConfig) -> tuple[str, dict[str, Any]]:
    """The run's LoRA preset and the overrides kept on it: the entry's preset and overrides, or
    ``cfg.lora_preset`` alone (a preset from the config drops the entry's overrides)."""
    if cfg.lora_preset is None:
        return entry.lora_preset, dict(entry.lora_overrides)
    return cfg.lora_preset, {}


def lora_config(entry: Any, cfg: FinetuneConfig) -> Any:
    """The run's LoRA settings: :func:`lora_preset`, then ``cfg.lora``."""
    from simplex_training.lora.apply import LoRAConfig

    preset, overrides = lora_preset(entry, cfg)
    try:
        return LoRAConfig.from_preset(preset, **{"seed": cfg.seed, **overrides, **cfg.lora})
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"LoRA settings (preset {preset!r}, overrides {cfg.lora}): {exc}") from None


def load_data(specialist_id: str, data: str | Path | None, cfg: FinetuneConfig, skip_bad: bool = False) -> Any:
    from simplex_training.finetune.data import generator_data, load_user_data

    if data is None:
        return generator_data(specialist_id, cfg.n_examples, cfg.generator_seed(), cfg.split)
    return load_user_data(data, cfg.split, skip_bad=skip_bad)


def make_lora(model: Any, entry: Any, cfg: FinetuneConfig) -> Any:
    from simplex_training.lora.apply import apply_lora

    lora_cfg = lora_config(entry, cfg)
    try:
        return apply_lora(model, lora_cfg)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"LoRA settings (preset {lora_preset(entry, cfg)[0]!r}, overrides "
                          f"{cfg.lora}): {exc}") from None


def train_specialist(specialist_id: str, base: str | Path | None = None, data: str | Path | None = None,
                     out_dir: str | Path = "runs", *, steps: int | None = None, epochs: float | None = None,
                     seed: int | None = None, resume: bool | str = False, config_overrides: dict[str, Any] | None = None,
                     schedule: str | None = None, skip_bad: bool = False,
                     progress: Callable[[int, dict[str, Any]], None] | None = None,
                     log: Callable[[str], None] = lambda m: None) -> SpecialistResult:
    """Fine-tune, evaluate and export one specialist into ``out_dir/specialist_id`` (module docstring)."""
    from simplex_training.atomic import atomic_write_text
    from simplex_training.finetune.artifacts import adapter_meta, base_info, load_base, resolve_base, write_exports
    from simplex_training.finetune.batches import tokenize
    from simplex_training.finetune.environment import environment
    from simplex_training.finetune.evaluate import evaluate_before_after
    from simplex_training.finetune.plot import plot_loss, plot_lr
    from simplex_training.finetune.trainer import finetune
    from simplex_training.model.llama import LlamaModel
    from simplex_training.pluginmanager import get_host

    started = time.perf_counter()
    entry = get_host().registry("specialists")[specialist_id]
    cfg = build_config(config_overrides, steps=steps, epochs=epochs, seed=seed, schedule=schedule,
                       defaults=entry.training, entry=entry)
    base_path = resolve_base(base)
    config, weights, tok, base_meta = load_base(base_path)
    out = Path(out_dir) / specialist_id
    if resume is True and (out / "adapter.gguf").exists():
        from simplex_training.plugins.exporters.gguf_adapter import check_adapter_compatible

        check_adapter_compatible(config, out / "adapter.gguf")  # names the vocabulary mismatch
    loaded = load_data(specialist_id, data, cfg, skip_bad)
    for msg in loaded.skipped:
        log(f"skipped: {msg}")
    max_len = min(cfg.max_seq_len, config.context_length)
    train, train_stats = tokenize(tok, loaded.train, max_len)
    val, _ = tokenize(tok, loaded.val, max_len)
    test_items, _ = tokenize(tok, loaded.test, max_len)
    if not train:
        raise DataError(f"{loaded.source}: no training example has a response token within max_seq_len {max_len}")
    if train_stats.truncated or train_stats.dropped:
        log(f"{train_stats.truncated} of {len(loaded.train)} training examples truncated to {max_len} tokens, "
            f"{train_stats.dropped} dropped (nothing left to learn)")
    out.mkdir(parents=True, exist_ok=True)
    lora_model = make_lora(LlamaModel(config, weights=weights), entry, cfg)
    log(f"{specialist_id}: base {base_path.name} ({config.n_layers} layers, dim {config.dim}, vocab "
        f"{config.vocab_size}); LoRA r={lora_model.config.rank} on {len(lora_model.named_adapters())} layers, "
        f"{lora_model.num_trainable():,} trainable of {lora_model.num_total():,}; data: {loaded.source} "
        f"{loaded.counts()}")
    base_summary = base_info(config, weights, base_meta)
    result = finetune(lora_model, train, val, cfg, pad_id=tok.eos_id, work_dir=out, resume=resume,
                      base_info=base_summary, progress=progress, log=log,
                      on_start=lambda: (out / "metrics.json").unlink(missing_ok=True))
    examples = [ex for ex in (r.as_example() for r in loaded.test) if ex is not None][: cfg.eval_examples]
    t_eval = time.perf_counter()
    report = evaluate_before_after(entry, lora_model, tok, examples, test_items=test_items, pad_id=tok.eos_id,
                                   margin=cfg.new_tokens_margin, batch_size=cfg.eval_batch_size)
    eval_seconds = time.perf_counter() - t_eval
    source = "generator" if data is None else str(Path(data).resolve())
    files = write_exports(out, specialist_id, lora_model, config, tok, base_meta,
                          adapter_meta(specialist_id, cfg, source))
    files["loss.png"] = plot_loss(result.history, out / "loss.png", title=f"{specialist_id} (LoRA on {base_path.name})")
    files["lr.png"] = plot_lr(result.history, out / "lr.png", title=f"{specialist_id}: {cfg.schedule} learning rate")
    files["train_log.jsonl"] = out / "train_log.jsonl"
    training = {**result.summary(), "eval_seconds": round(eval_seconds, 2),
                "total_seconds": round(time.perf_counter() - started + result.seconds_before_resume, 2),
                "data": loaded.counts(),
                "train_tokens": train_stats.as_dict(), "lora": {**lora_model.config.__dict__},
                "trainable_parameters": lora_model.num_trainable()}
    metrics = {"specialist": specialist_id, "complete": True, "passed": report["passed"],
               "base": {"path": str(base_path), "name": base_meta.get("general.name"),
                        "sha256": base_summary["sha256"]},
               "data_source": loaded.source, "config": cfg.to_dict(), "training": training,
               "environment": environment(), **report}
    atomic_write_text(out / "metrics.json", json.dumps(metrics, indent=2, default=str) + "\n")
    files["metrics.json"] = out / "metrics.json"
    return SpecialistResult(specialist_id, out, bool(report["passed"]), metrics, training, files)


def is_complete(out_dir: str | Path, specialist_id: str) -> bool:
    """True when ``out_dir/specialist_id/metrics.json`` is a finished run's (and its exports exist)."""
    from simplex_training.finetune.artifacts import RUN_FILES

    folder = Path(out_dir) / specialist_id
    try:
        doc = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(isinstance(doc, dict) and doc.get("complete")) and all((folder / f).exists() for f in RUN_FILES)


def run_identity(specialist_id: str, *, base: str | Path | None = None,
                 config_overrides: dict[str, Any] | None = None, steps: int | None = None,
                 epochs: float | None = None, seed: int | None = None, schedule: str | None = None,
                 base_sha256: str | None = None) -> dict[str, Any]:
    """What a finished run of ``specialist_id`` records in ``metrics.json`` about its inputs, for
    these arguments: the base's content hash (as in checkpoints; computed unless ``base_sha256`` is
    given) and every setting, the entry's training defaults included (``train-all`` compares them)."""
    from simplex_training.pluginmanager import get_host

    entry = get_host().registry("specialists")[specialist_id]
    cfg = build_config(config_overrides, steps=steps, epochs=epochs, seed=seed, schedule=schedule,
                       defaults=entry.training, entry=entry)
    return {"base_sha256": base_sha256 or base_hash(base),
            "config": json.loads(json.dumps(cfg.to_dict(), default=str))}


def base_hash(base: str | Path | None = None) -> str:
    """The content hash of the weights of ``base`` (None: the embedded base), as metrics.json records it."""
    from simplex_training.finetune.artifacts import base_info, load_base, resolve_base

    config, weights, _, meta = load_base(resolve_base(base))
    return base_info(config, weights, meta)["sha256"]


def stale_reason(out_dir: str | Path, specialist_id: str, identity: dict[str, Any]) -> str | None:
    """Why the complete run in ``out_dir/specialist_id`` is not one of ``identity`` (another base
    model, other settings), or None when it is."""
    doc = json.loads((Path(out_dir) / specialist_id / "metrics.json").read_text(encoding="utf-8"))
    reasons = []
    if (doc.get("base") or {}).get("sha256") != identity["base_sha256"]:
        reasons.append("another base model")
    saved = doc.get("config") or {}
    changed = sorted(k for k in set(saved) | set(identity["config"]) if saved.get(k) != identity["config"].get(k))
    if changed:
        reasons.append(f"other settings ({', '.join(changed)})")
    return "; ".join(reasons) or None


__all__ = ["SpecialistResult", "train_specialist", "build_config", "merge_settings", "is_complete", "run_identity",
           "base_hash", "stale_reason", "SimplexError"]
