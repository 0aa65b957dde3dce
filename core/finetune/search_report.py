"""The files of a hyperparameter search: ``results.jsonl``, ``results.md`` and ``best_config.json`` (atomic).

``best_config.json`` is a :class:`~simplex_training.finetune.config.FinetuneConfig` mapping (the
search's base settings without ``steps``/``epochs``, plus the best point's lr, batch size and LoRA
rank/alpha/dropout/targets), so ``simplex-train train ID --config best_config.json`` trains it at
full length. The search's own metadata is in ``results.jsonl`` only (a config file may hold
settings only).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from simplex_training.finetune.search_space import TARGETS, to_overrides

HEAD = ("rank", "trial", "val_loss", "lr", "lora_rank", "alpha", "dropout", "batch", "targets", "status", "seconds")


def best_config(base_settings: dict[str, Any], point: dict[str, Any]) -> dict[str, Any]:
    """The base settings updated with ``point`` (LoRA settings merged)."""
    over = to_overrides(point)
    cfg = {k: v for k, v in base_settings.items() if k not in ("steps", "epochs")}
    cfg.update({k: v for k, v in over.items() if k != "lora"})
    cfg["lora"] = {**cfg.get("lora", {}), **over["lora"]}
    return cfg


def _row(i: int, t: dict[str, Any]) -> list[str]:
    p = t["params"]
    loss = t.get("val_loss")
    status = t["status"] + (f": {t['error']}" if t.get("error") else "")
    return [str(i), str(t["trial"]), "-" if loss is None else f"{loss:.4f}", f"{p['lr']:.3g}", str(p["rank"]),
            f"{p['alpha_ratio'] * p['rank']:g}", f"{p['dropout']:g}", str(p["batch_size"]),
            ",".join(TARGETS[p["targets"]]), status.replace("|", "\\|").replace("\n", " "),
            "-" if t.get("seconds") is None else f"{t['seconds']:.1f}"]


def render_markdown(specialist_id: str, method: str, trials: Sequence[dict[str, Any]]) -> str:
    """Trials sorted by validation loss (failed ones last, in trial order)."""
    ordered = sorted(trials, key=lambda t: (t.get("val_loss") is None, t.get("val_loss") or math.inf, t["trial"]))
    lines = [f"# Hyperparameter search: {specialist_id} ({method}, {len(trials)} trials)", "",
             "| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    lines += ["| " + " | ".join(_row(i + 1, t)) + " |" for i, t in enumerate(ordered)]
    return "\n".join(lines) + "\n"


def write_reports(folder: Path, specialist_id: str, trials: Sequence[dict[str, Any]], best: dict[str, Any] | None,
                  base_settings: dict[str, Any], method: str) -> dict[str, Path]:
    from simplex_training.atomic import atomic_write_text

    files = {"results.jsonl": folder / "results.jsonl", "results.md": folder / "results.md"}
    atomic_write_text(files["results.jsonl"], "".join(json.dumps(t) + "\n" for t in trials))
    atomic_write_text(files["results.md"], render_markdown(specialist_id, method, trials))
    if best is not None:
        files["best_config.json"] = folder / "best_config.json"
        atomic_write_text(files["best_config.json"],
                          json.dumps(best_config(base_settings, best["params"]), indent=2) + "\n")
    return files
