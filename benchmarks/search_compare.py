"""Annealed vs random hyperparameter search (and Optuna TPE when installed) at the same trial budget.

Usage: ``python benchmarks/search_compare.py [--budget 10] [--steps 15] [--seeds 3] [--parallel 2]
[--specialists sentiment_analysis,sql_generation] [--methods anneal,random,tpe] [--base PATH]
[--out search_compare.json]``

Protocol: for every specialist and seed, each method gets exactly ``budget`` trials
(:func:`simplex_training.finetune.search.search`; trial 0 is the default settings for all methods,
training seed = the search seed, so the methods are paired), each a ``steps``-step LoRA run on the
embedded base (or ``--base``) with small data (400 generated examples, 32 validation examples,
sequences <= 256 tokens) scored on its validation loss. Reported: the best validation loss per
method and seed, its mean over seeds, and the default settings' loss (trial 0). The searches run
one per worker process (spawned, single-threaded), ``--parallel`` at a time; within a search the
trials are sequential (round size 1: classic sequential annealing).

Optuna's TPE sampler (same space: lr log-uniform, the other settings categorical, trial 0
enqueued as the default settings) runs when ``import optuna`` works; otherwise the output says it
was skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

SMALL = {"n_examples": 400, "val_max_examples": 32, "max_seq_len": 256}


def _have_optuna() -> bool:
    try:
        import optuna  # noqa: F401
    except ImportError:
        return False
    return True


def run_tpe(specialist: str, budget: int, steps: int, seed: int, out: str, base: str | None) -> dict[str, Any]:
    import optuna

    from simplex_training.catalog import LORA_PRESETS
    from simplex_training.finetune.config import FinetuneConfig
    from simplex_training.finetune.search import run_trial
    from simplex_training.finetune.search_space import GRADES, LR_RANGE, TARGETS, initial_point
    from simplex_training.pluginmanager import get_host

    entry = get_host().registry("specialists")[specialist]
    start = initial_point(FinetuneConfig.from_dict(SMALL), LORA_PRESETS[entry.lora_preset])
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    study.enqueue_trial(start)

    def objective(trial: Any) -> float:
        point = {"lr": float(f"{trial.suggest_float('lr', *LR_RANGE, log=True):.3g}")}
        point.update({k: trial.suggest_categorical(k, list(v)) for k, v in GRADES.items()})
        point["targets"] = trial.suggest_categorical("targets", list(TARGETS))
        try:
            return run_trial({"specialist": specialist, "base": base, "data": None, "steps": steps, "seed": seed,
                              "base_settings": SMALL, "point": point,
                              "work_dir": f"{out}/tpe/{specialist}/{seed}/{trial.number:03d}"})["val_loss"]
        except Exception:  # noqa: BLE001 - a failing trial, as in search()
            return float("inf")

    study.optimize(objective, n_trials=budget)
    losses = [t.value for t in study.trials]
    return {"best": min(losses), "default": losses[0], "trials": budget}


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """One (specialist, method, seed) search in this worker process."""
    from simplex_training.finetune.search import search

    t0 = time.perf_counter()
    if job["method"] == "tpe":
        res = run_tpe(job["specialist"], job["budget"], job["steps"], job["seed"], job["out"], job["base"])
    else:
        r = search(job["specialist"], job["budget"], steps=job["steps"], seed=job["seed"], method=job["method"],
                   out_dir=f"{job['out']}/{job['method']}/{job['seed']}", base=job["base"], config_overrides=SMALL)
        ok = [t for t in r["trials"] if t.get("val_loss") is not None]
        res = {"best": r["best"]["val_loss"], "default": r["trials"][0].get("val_loss"), "trials": len(r["trials"]),
               "failed": sum(t["status"] == "failed" for t in r["trials"]), "best_params": r["best"]["params"],
               "trial_of_best": r["best"]["trial"], "ok": len(ok)}
    return {**job, **res, "seconds": round(time.perf_counter() - t0, 1)}


def _init() -> None:
    from simplex_training.finetune.batch import _worker_init

    _worker_init(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=int, default=10)
    ap.add_argument("--steps", type=int, default=15)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--parallel", type=int, default=2)
    ap.add_argument("--specialists", default="sentiment_analysis,sql_generation")
    ap.add_argument("--base", default=None)
    ap.add_argument("--workdir", default="runs/search_compare")
    ap.add_argument("--out", default="search_compare.json")
    ap.add_argument("--methods", default="anneal,random,tpe", help="comma-separated subset of anneal,random,tpe")
    args = ap.parse_args()
    methods = [m for m in args.methods.split(",") if m]
    if "tpe" in methods and not _have_optuna():
        methods.remove("tpe")
        print("optuna TPE: skipped (`import optuna` failed: install the bench extra)", file=sys.stderr)
    jobs = [{"specialist": s, "method": m, "seed": seed, "budget": args.budget, "steps": args.steps,
             "base": args.base, "out": args.workdir}
            for s in args.specialists.split(",") for seed in range(args.seeds) for m in methods]
    t0 = time.perf_counter()
    if args.parallel <= 1:
        _init()
        results = [run_job(j) for j in jobs]
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(args.parallel, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_init) as pool:
            results = list(pool.map(run_job, jobs))
    wall = time.perf_counter() - t0
    summary: dict[str, Any] = {}
    print(f"{'specialist':<22} {'method':<7} " + " ".join(f"seed {s:<3}" for s in range(args.seeds))
          + "   mean    default(trial 0)")
    for s in args.specialists.split(","):
        for m in methods:
            rows = sorted((r for r in results if r["specialist"] == s and r["method"] == m), key=lambda r: r["seed"])
            best = [r["best"] for r in rows]
            mean = sum(best) / len(best)
            default = sum(r["default"] for r in rows) / len(rows)
            summary[f"{s}/{m}"] = {"best": best, "mean": mean, "default_mean": default}
            print(f"{s:<22} {m:<7} " + " ".join(f"{b:8.4f}" for b in best) + f" {mean:8.4f}   {default:.4f}")
    doc = {"budget": args.budget, "steps": args.steps, "seeds": args.seeds, "methods": methods,
           "optuna": "tpe" in methods, "data": SMALL, "wall_seconds": round(wall, 1), "summary": summary,
           "runs": results, "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                        "platform": platform.platform()}}
    Path(args.out).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(f"{len(jobs)} searches x {args.budget} trials in {wall:.0f}s; written {args.out}")


if __name__ == "__main__":
    main()
