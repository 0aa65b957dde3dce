"""Fine-tuning checkpoints and the training log: save, check, restore exactly.

A checkpoint (:func:`simplex_training.checkpoint.save_checkpoint`, one atomic ``.npz``) holds

* arrays ``adapter.<base>.lora_a|b`` (the current adapter), ``best.<...>`` (the best one so far)
  and ``opt.*`` (AdamW moments);
* JSON state: ``identity`` (training config, base model summary, data fingerprints), ``progress``
  (step, epoch, batch index, early-stopping counters, elapsed time, tokens seen), the optimizer
  scalars, ``schedule`` (its parameters and the next learning rate: for the fixed schedules a record,
  since they are pure functions of the step; for ``learned`` and ``annealing`` the state that is
  restored, including the hypergradient controller's pending update direction) and ``rng``: every
  dropout generator's ``bit_generator.state``.

Resuming checks the identity first, with specific messages for the usual mistakes: another base
vocabulary, another base model, other data, other training settings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from simplex_training.errors import SimplexError

VERSION = 1


class ResumeError(SimplexError):
    """A checkpoint cannot be resumed with this base, data or configuration."""


def save_state(path: Path, identity: dict[str, Any], progress: dict[str, Any], model: Any, opt: Any,
               generators: dict[str, np.random.Generator], extra_arrays: dict[str, np.ndarray],
               schedule: dict[str, Any] | None = None) -> None:
    from simplex_training.checkpoint import optimizer_arrays, save_checkpoint

    opt_arrays, opt_state = optimizer_arrays(opt.state_dict())
    arrays = {f"adapter.{k}": v for k, v in model.adapter_state_dict().items()} | opt_arrays | extra_arrays
    state = {"version": VERSION, "identity": identity, "progress": dict(progress), "optimizer": opt_state,
             "schedule": schedule or {}, "rng": {name: g.bit_generator.state for name, g in generators.items()}}
    path.parent.mkdir(parents=True, exist_ok=True)
    save_checkpoint(path, arrays, state)


def _diff(saved: dict[str, Any], now: dict[str, Any]) -> list[str]:
    keys = sorted(set(saved) | set(now))
    return [f"{k}={saved.get(k)!r} -> {now.get(k)!r}" for k in keys if saved.get(k) != now.get(k)]


def identity_mismatch(saved: dict[str, Any], now: dict[str, Any]) -> tuple[str, str] | None:
    """``(part, what differs)`` between a checkpoint's identity and this run's, or None; ``part`` is
    ``base``, ``data`` or ``config``."""
    sb, nb = saved.get("base", {}), now.get("base", {})
    if sb.get("vocab_size") is not None and nb.get("vocab_size") is not None and sb["vocab_size"] != nb["vocab_size"]:
        return "base", (f"the checkpoint's adapter was trained on a base with a vocabulary of {sb['vocab_size']} "
                        f"tokens, this base has {nb['vocab_size']}")
    if sb != nb:
        return "base", f"the checkpoint was made with another base model ({'; '.join(_diff(sb, nb))})"
    if saved.get("data") != now.get("data"):
        return "data", "the checkpoint was made with other training data (the tokenized train/val sets differ)"
    diff = _diff(saved.get("config", {}), now.get("config", {}))
    if diff:
        return "config", f"the checkpoint was made with other training settings ({'; '.join(diff)})"
    return None


_ADVICE = {"base": "use the same --base or start without --resume",
           "data": "use the same --data / seed or start without --resume",
           "config": "use the same settings or start without --resume"}


def check_identity(path: Path, saved: dict[str, Any], now: dict[str, Any]) -> None:
    """Raise :class:`ResumeError` naming what differs between a checkpoint and this run."""
    found = identity_mismatch(saved, now)
    if found is not None:
        part, why = found
        raise ResumeError(f"{path}: {why}; {_ADVICE[part]}")


def checkpoint_mismatch(path: Path, identity: dict[str, Any]) -> str | None:
    """Why the checkpoint at ``path`` cannot continue this run (unreadable, another version, another
    base, data or settings), or None when it can; restores nothing."""
    from simplex_training.checkpoint import load_checkpoint

    try:
        _, state = load_checkpoint(path)
    except SimplexError as exc:
        return str(exc)
    if state.get("version") != VERSION or "identity" not in state:
        return f"{path}: not a fine-tuning checkpoint of this version"
    found = identity_mismatch(state["identity"], identity)
    return None if found is None else f"{path}: {found[1]}"


def load_state(path: Path, identity: dict[str, Any], model: Any, opt: Any,
               generators: dict[str, np.random.Generator]) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Restore adapter, optimizer and generators from ``path``; returns (arrays, state)."""
    from simplex_training.checkpoint import load_checkpoint, restore_optimizer_state

    arrays, state = load_checkpoint(path)
    if state.get("version") != VERSION or "identity" not in state:
        raise ResumeError(f"{path}: not a fine-tuning checkpoint of this version")
    check_identity(path, state["identity"], identity)
    adapter = {k[len("adapter."):]: v for k, v in arrays.items() if k.startswith("adapter.")}
    try:
        model.load_adapter_state_dict(adapter)
        opt.load_state_dict(restore_optimizer_state(state["optimizer"], arrays))
    except ValueError as exc:
        raise ResumeError(f"{path}: checkpoint does not fit this model: {exc}") from None
    rng = state.get("rng", {})
    if set(rng) != set(generators):
        raise ResumeError(f"{path}: checkpoint has random generators for {sorted(rng)[:3]}..., this model needs "
                          f"{sorted(generators)[:3]}...")
    for name, g in generators.items():
        g.bit_generator.state = rng[name]
    return arrays, state


def truncate_log(path: Path, step: int) -> list[dict[str, Any]]:
    """Keep the log records with ``step <= step`` (rewritten atomically); returns them."""
    from simplex_training.atomic import atomic_write_text

    kept: list[dict[str, Any]] = []
    if step > 0 and path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by the kill
            if isinstance(rec, dict) and rec.get("step", 0) <= step:
                kept.append(rec)
    atomic_write_text(path, "".join(json.dumps(r) + "\n" for r in kept))
    return kept
