"""Self-learned annealing vs fixed exponential cooling at equal numbers of objective evaluations.

Usage: ``python benchmarks/anneal_compare.py [--quick] [--out results.json]``

Two protocols, both counting every objective evaluation (see docs/self-learning.md):

A. **Held-out transfer.** Per problem family, a schedule is meta-trained on *training* instances
   (its meta-training evaluations are reported, not charged to the held-out runs); then every
   method gets exactly ``budget`` evaluations on each *held-out* instance (different cities /
   start points / noise): the learned schedule, the seed schedule (untrained), the learned schedule
   trained with the seed's meta-loss, and Metropolis with exponential cooling (the seed's alpha and
   one cooling to T_min exactly at the end of the budget). Schedules restart from the best state
   when their stop condition fires (``run_budget``), so they use the whole budget too.
B. **Charged.** On each held-out instance, ``self_learn_anneal`` (learning on that instance) is
   charged all its evaluations; Metropolis gets the same number in one run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from simplex_training.anneal import (TSP, AnnealConfig, LearnableSchedule, MetaOptimizer, Rastrigin, fixed,
                                     run_budget, self_learn_anneal, simple_anneal)
from simplex_training.anneal.schedule import MIN_TEMP

FAMILIES = {"tsp30": ("tsp", 30), "tsp50": ("tsp", 50), "rastrigin5": ("rastrigin", 5), "rastrigin10": ("rastrigin", 10)}


def make(kind: str, size: int, seed: int) -> tuple[Any, Any]:
    """Instance ``seed`` of a family and its start state (both from ``seed``)."""
    prob: Any = TSP.random(size, seed) if kind == "tsp" else Rastrigin(size)
    return prob, prob.initial(np.random.default_rng(10_000 + seed))


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def summarise(rows: list[dict[str, float]]) -> dict[str, float]:
    e = np.array([r["best"] for r in rows])
    return {"mean": float(e.mean()), "std": float(e.std()), "evals": float(np.mean([r["evals"] for r in rows])),
            "ms": 1000 * float(np.mean([r["sec"] for r in rows])), "runs": len(rows)}


def protocol_a(name: str, args: argparse.Namespace) -> dict[str, Any]:
    kind, size = FAMILIES[name]
    train = [make(kind, size, s) for s in range(args.train_instances)]
    tasks = [(p.energy, x0, p.neighbor) for p, x0 in train]
    cfg = AnnealConfig(epochs=args.meta_epochs, steps_per_epoch=args.budget - 1, meta_lr=args.meta_lr,
                       reg=1e-4, convergence=args.patience)
    learned: dict[str, tuple[LearnableSchedule, int, float]] = {}
    for label, c in (("learned", cfg), ("learned-seed-loss", replace(cfg, quality="best", var_weight=0.01))):
        opt = MetaOptimizer(LearnableSchedule(), c, seed=args.seed)
        res, sec = timed(lambda: opt.optimize(tasks))
        learned[label] = (res.schedule, res.evaluations, sec)
    steps = args.budget - 1
    methods: dict[str, Callable[[Any, Any, np.random.Generator], tuple[float, int]]] = {
        "learned": lambda p, x, r: _budget(learned["learned"][0], p, x, r, args),
        "learned-seed-loss": lambda p, x, r: _budget(learned["learned-seed-loss"][0], p, x, r, args),
        "seed-schedule": lambda p, x, r: _budget(LearnableSchedule(), p, x, r, args),
        "metropolis-exp(a=0.01)": lambda p, x, r: _metro(p, x, r, steps, fixed.exponential(1.0, 0.01)),
        "metropolis-exp(to T_min)": lambda p, x, r: _metro(p, x, r, steps, fixed.exponential(1.0, math.log(1.0 / MIN_TEMP) / steps)),
    }
    results: dict[str, list[dict[str, float]]] = {m: [] for m in methods}
    for inst in range(args.test_instances):
        prob, x0 = make(kind, size, 1000 + inst)
        for m, run in methods.items():
            (best, evals), sec = timed(lambda: run(prob, x0, np.random.default_rng(args.seed * 7919 + inst)))
            results[m].append({"best": best, "evals": evals, "sec": sec})
    return {"methods": {m: summarise(r) for m, r in results.items()},
            "meta_training": {k: {"evaluations": v[1], "seconds": v[2], "schedule": v[0].snapshot()} for k, v in learned.items()},
            "initial_energy_mean": float(np.mean([make(kind, size, 1000 + i)[0].energy(make(kind, size, 1000 + i)[1])
                                                  for i in range(args.test_instances)]))}


def _budget(s: LearnableSchedule, p: Any, x0: Any, rng: np.random.Generator, args: argparse.Namespace) -> tuple[float, int]:
    r = run_budget(s, p.energy, x0, p.neighbor, args.budget, rng, patience=args.patience)
    return r.best_energy, r.evaluations


def _metro(p: Any, x0: Any, rng: np.random.Generator, steps: int, sched: fixed.FixedSchedule) -> tuple[float, int]:
    r = simple_anneal(p.energy, x0, p.neighbor, steps, rng, schedule=sched)
    return r.best_energy, r.evaluations


def protocol_b(name: str, args: argparse.Namespace) -> dict[str, Any]:
    kind, size = FAMILIES[name]
    cfg = AnnealConfig(epochs=args.charged_epochs, steps_per_epoch=args.budget - 1, meta_lr=args.meta_lr,
                       reg=1e-4, convergence=args.patience)
    results: dict[str, list[dict[str, float]]] = {"self-learn (charged)": [], "metropolis-exp(to T_min), same evals": []}
    for inst in range(args.test_instances):
        prob, x0 = make(kind, size, 1000 + inst)
        res, sec = timed(lambda: self_learn_anneal(prob.energy, x0, prob.neighbor, cfg, seed=args.seed + inst, warm_start=True))
        results["self-learn (charged)"].append({"best": res.best_energy, "evals": res.evaluations, "sec": sec})
        steps = res.evaluations - 1
        (best, evals), sec = timed(lambda: _metro(prob, x0, np.random.default_rng(args.seed + inst), steps,
                                                  fixed.exponential(1.0, math.log(1.0 / MIN_TEMP) / steps)))
        results["metropolis-exp(to T_min), same evals"].append({"best": best, "evals": evals, "sec": sec})
    return {"methods": {m: summarise(r) for m, r in results.items()}}


def print_table(title: str, data: dict[str, Any]) -> None:
    print(f"\n{title}")
    print(f"{'problem':<12} {'method':<40} {'best energy mean':>16} {'std':>8} {'evals/run':>10} {'ms/run':>8}")
    for prob, block in data.items():
        for m, s in block["methods"].items():
            print(f"{prob:<12} {m:<40} {s['mean']:>16.4f} {s['std']:>8.4f} {s['evals']:>10.0f} {s['ms']:>8.1f}")
        for label, mt in block.get("meta_training", {}).items():
            print(f"{prob:<12}   ({label}: meta-training {mt['evaluations']} evals on training instances, {mt['seconds']:.1f} s)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer instances and epochs (smoke run)")
    ap.add_argument("--out", default=None, help="write the results as JSON to this path")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    args.budget, args.patience, args.meta_lr = 1000, 200, 0.05
    args.train_instances, args.test_instances = (2, 3) if args.quick else (5, 10)
    args.meta_epochs, args.charged_epochs = (10, 3) if args.quick else (60, 10)
    t0 = time.perf_counter()
    a = {name: protocol_a(name, args) for name in FAMILIES}
    print_table(f"Protocol A: held-out instances, {args.budget} evaluations per run", a)
    b = {name: protocol_b(name, args) for name in FAMILIES}
    print_table("Protocol B: meta-training charged to the learned method", b)
    meta = {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
            "python": sys.version.split()[0], "numpy": np.__version__, "seconds": time.perf_counter() - t0,
            "settings": {k: v for k, v in vars(args).items() if k != "out"}}
    print(f"\ntotal {meta['seconds']:.1f} s on {meta['machine']}")
    if args.out:
        with open(args.out, "w") as fh:
            json.dump({"meta": meta, "protocol_a": a, "protocol_b": b}, fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
