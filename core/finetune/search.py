"""``search``: annealed (or random) hyperparameter search for one specialist, trials in parallel processes.

Each trial is a short fine-tuning run (``steps`` optimizer steps, one validation at the end, no
early stopping, no generation or exports) of the point's settings (:mod:`.search_space`: lr, LoRA
rank, alpha, dropout, batch size, targets) on top of the base settings (``config_overrides``),
scored on its validation loss. Trial 0 is always the base settings themselves.

``method="anneal"`` is simulated annealing with the temperature of
:class:`simplex_training.anneal.LearnableSchedule` over trials ``t`` and stagnation ``g`` (trials
since the best improved): energy ``E = val_loss / val_loss(trial 0)``; ``T0 = 0.02``, cooling to
``T0 / 10`` at the end of the budget, reheat ``T0 sigmoid(g - rho)`` with ``rho = max(2, budget/5)``.
A proposal is a neighbour of the current point (one or two hyperparameters perturbed); it is
accepted when it improves on the current energy, else with the schedule's soft acceptance
probability ``A = sigmoid(-dE / T)`` drawn hard (``A > U``). ``method="random"`` samples the space
uniformly (lr log-uniform): the baseline.

Proposals are made in rounds of ``round_size`` (default ``parallel``), all from the current point
at the round's start, evaluated concurrently and then accepted or rejected in proposal order, so a
search is deterministic for (seed, budget, round size, settings) whatever the completion order.
Points already evaluated are not proposed again (up to 50 redraws). Workers are spawned processes,
single-threaded each. A failing trial (an exception, or a crashed worker) is recorded with its
error, has infinite energy and the search goes on.

Files (``OUT/ID/search/``, rewritten atomically after every round): ``results.jsonl`` (one trial
per line), ``results.md`` (trials sorted by validation loss) and ``best_config.json``: the base
settings (without ``steps``/``epochs``) plus the best point, a config file that
``simplex-train train ID --config best_config.json`` accepts. ``trials/NNN/train_log.jsonl`` keep
each trial's log.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from simplex_training.finetune.search_space import (Point, describe, initial_point, neighbor, point_key,
                                                    random_point, to_overrides)

METHODS = ("anneal", "random")
T0 = 0.02
_CACHE: dict[str, Any] = {}  # per process: base and tokenized data, keyed by what determines them


def _prepared(specialist_id: str, base: str | None, data: str | None, cfg: Any) -> tuple[Any, ...]:
    from simplex_training.finetune.artifacts import load_base, resolve_base
    from simplex_training.finetune.batches import tokenize
    from simplex_training.finetune.pipeline import load_data

    key = json.dumps([specialist_id, base, data, cfg.n_examples, cfg.generator_seed(), list(cfg.split),
                      cfg.max_seq_len])
    if key not in _CACHE:
        config, weights, tok, meta = load_base(resolve_base(base))
        loaded = load_data(specialist_id, data, cfg)
        max_len = min(cfg.max_seq_len, config.context_length)
        _CACHE.clear()
        _CACHE[key] = (config, weights, tok, tokenize(tok, loaded.train, max_len)[0],
                       tokenize(tok, loaded.val, max_len)[0])
    return _CACHE[key]


def run_trial(trial: dict[str, Any]) -> dict[str, Any]:
    """Train one point for ``trial["steps"]`` steps; returns ``{"val_loss", "seconds", ...}`` (may raise)."""
    from simplex_training.finetune.config import FinetuneConfig
    from simplex_training.finetune.pipeline import make_lora
    from simplex_training.finetune.trainer import finetune
    from simplex_training.model.llama import LlamaModel
    from simplex_training.pluginmanager import get_host

    start = time.perf_counter()
    settings = dict(trial["base_settings"])
    point = to_overrides(trial["point"])
    settings.update({k: v for k, v in point.items() if k != "lora"})
    settings["lora"] = {**settings.get("lora", {}), **point["lora"]}
    settings.update(steps=trial["steps"], epochs=None, seed=trial["seed"], eval_every=trial["steps"], patience=0,
                    checkpoint_every=trial["steps"])
    cfg = FinetuneConfig.from_dict(settings)
    config, weights, tok, train, val = _prepared(trial["specialist"], trial["base"], trial["data"], cfg)
    entry = get_host().registry("specialists")[trial["specialist"]]
    model = make_lora(LlamaModel(config, weights=weights), entry, cfg)
    work = Path(trial["work_dir"])
    res = finetune(model, train, val, cfg, pad_id=tok.eos_id, work_dir=work)
    shutil.rmtree(work / "checkpoints", ignore_errors=True)
    if res.best_val_loss is None or not math.isfinite(res.best_val_loss):
        raise ValueError("no finite validation loss")
    return {"val_loss": float(res.best_val_loss), "train_loss": res.final_train_loss, "steps": res.steps,
            "trainable": model.num_trainable(), "seconds": round(time.perf_counter() - start, 2)}


def _safe(trial: dict[str, Any]) -> dict[str, Any]:
    """:func:`run_trial` that never raises (looked up at call time, so tests can replace it)."""
    try:
        return {"status": "ok", **run_trial(trial)}
    except Exception as exc:  # noqa: BLE001 - a failing trial is a result
        return {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}


def _worker_init() -> None:
    from simplex_training.executor import worker_init

    worker_init(1)


class _Runner:
    """Runs trials in this process (``parallel=1``) or in a pool of spawned single-threaded workers."""

    def __init__(self, parallel: int) -> None:
        self.workers = max(1, min(parallel, os.cpu_count() or 1))
        self.pool: Any = None

    def _pool(self) -> Any:
        if self.pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_worker_init,
                                            mp_context=multiprocessing.get_context("spawn"))
        return self.pool

    def run(self, trials: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if self.workers == 1:
            return [_safe(t) for t in trials]
        from concurrent.futures.process import BrokenProcessPool

        futures = [self._pool().submit(_safe, t) for t in trials]
        out = []
        for fut in futures:
            try:
                out.append(fut.result())
            except Exception as exc:  # noqa: BLE001 - a crashed worker process
                out.append({"status": "failed", "error": f"worker crashed: {type(exc).__name__}: {exc}"})
                if isinstance(exc, BrokenProcessPool):
                    self.close()  # a new pool for the next round
        return out

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


def start(entry: Any, config_overrides: dict[str, Any] | None) -> tuple[dict[str, Any], Point]:
    """The search's settings without a length (the entry's training defaults, then ``--config``) and
    its first point: what a plain ``train`` would use, default learning rate included."""
    from simplex_training.catalog import LORA_PRESETS
    from simplex_training.finetune.pipeline import build_config, lora_preset, merge_settings

    settings = merge_settings(entry.training, config_overrides)
    base_settings = {k: v for k, v in settings.items() if k not in ("steps", "epochs")}
    cfg = build_config(base_settings, entry=entry)
    preset, overrides = lora_preset(entry, cfg)  # as a plain `train` picks it
    return base_settings, initial_point(cfg, {**LORA_PRESETS[preset], **overrides})


def search(specialist_id: str, budget: int, *, parallel: int = 1, steps: int = 40, seed: int = 0,
           out_dir: str | Path = "runs", method: str = "anneal", base: str | Path | None = None,
           data: str | Path | None = None, config_overrides: dict[str, Any] | None = None,
           round_size: int | None = None,
           on_trial: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Search ``budget`` trials (module docstring); returns ``{"best", "trials", "files", ...}``."""
    from simplex_training.finetune.config import ConfigError
    from simplex_training.finetune.search_report import write_reports
    from simplex_training.pluginmanager import get_host

    if method not in METHODS:
        raise ConfigError(f"search method must be one of {', '.join(METHODS)}, got {method!r}")
    if budget < 1 or parallel < 1 or steps < 1:
        raise ConfigError("budget, parallel and steps must be >= 1")
    entry = get_host().registry("specialists")[specialist_id]
    base_settings, start_point = start(entry, config_overrides)
    folder = Path(out_dir) / specialist_id / "search"
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    from simplex_training.anneal.schedule import LearnableSchedule

    schedule = LearnableSchedule(initial_temp=T0, cool_rate=max(math.log(10) / budget, 1e-4),
                                 reheat_threshold=max(2.0, budget / 5), reheat_intensity=T0, reheat_decay=1.0)
    size = round_size or parallel
    trials: list[dict[str, Any]] = []
    seen: dict[str, dict[str, Any]] = {}
    current, e_current, ref, g = start_point, math.inf, None, 0
    best: dict[str, Any] | None = None
    common = {"specialist": specialist_id, "base": None if base is None else str(base),
              "data": None if data is None else str(data), "steps": steps, "seed": seed, "base_settings": base_settings}
    runner = _Runner(parallel)
    try:
        while len(trials) < budget:
            n = min(size, budget - len(trials))
            points = [start_point] if not trials else []
            keys = {point_key(p) for p in points}
            while len(points) < n:
                for _ in range(50):
                    cand = neighbor(current, rng) if method == "anneal" else random_point(rng)
                    if point_key(cand) not in seen and point_key(cand) not in keys:
                        break
                points.append(cand)
                keys.add(point_key(cand))
            todo = [{**common, "point": p, "work_dir": str(folder / "trials" / f"{len(trials) + i:03d}")}
                    for i, p in enumerate(points) if point_key(p) not in seen]
            results = iter(runner.run(todo))
            for p in points:
                k = point_key(p)
                res = dict(seen[k], status="cached") if k in seen else next(results)
                seen.setdefault(k, res)
                rec: dict[str, Any] = {"trial": len(trials), "method": method, "params": p, **res}
                loss = res.get("val_loss") if res["status"] != "failed" else None
                if ref is None and loss is not None:
                    ref = loss
                energy = loss / ref if loss is not None and ref else math.inf
                if method == "anneal":
                    T = float(schedule.temperature(len(trials), g))
                    dE = energy - e_current
                    prob = 1.0 if dE < 0 else (0.0 if not math.isfinite(energy) else
                                                float(schedule.accept_probability(dE, T)))
                    accepted = dE < 0 or (math.isfinite(energy) and prob > rng.random())
                    rec.update(temperature=round(T, 6), stagnation=g, accept_prob=round(prob, 6), accepted=accepted)
                    if accepted:
                        current, e_current = p, energy
                if loss is not None and (best is None or loss < best["val_loss"]):
                    best, g = rec, 0
                else:
                    g += 1
                trials.append(rec)
                if on_trial is not None:
                    on_trial(rec)
            files = write_reports(folder, specialist_id, trials, best, base_settings, method)
    finally:
        runner.close()
    return {"specialist": specialist_id, "method": method, "budget": budget, "seed": seed, "steps": steps,
            "best": best, "trials": trials, "files": files, "describe": describe(best["params"]) if best else None}
