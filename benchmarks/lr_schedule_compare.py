"""Learned learning-rate schedule vs fixed cosine schedules at three learning rates, on several specialists.

Usage: ``python benchmarks/lr_schedule_compare.py [--specialists a,b,...] [--steps 200]
[--lrs 5e-4,2e-3,8e-3] [--learned-lr 2e-3] [--variants JSON] [--seed 0] [--parallel 2] [--base PATH]
[--out benchmarks/results-lr-schedules.json] [--plot docs/img/learned-lr-schedules.png]``

Protocol (one seed, paired): for every specialist, four LoRA runs on the embedded base (or
``--base``) with the same data (``n_examples`` generated examples, the first ``val_max_examples``
of the validation split), the same initialisation and batch order and the same step budget:
``schedule=cosine`` at each of the ``--lrs`` (5 % warm-up, floor lr/10: the pipeline's default
schedule) and ``schedule=learned`` started at ``--learned-lr`` (the pipeline's default lr) with the
pipeline's default meta settings (``simplex_training.finetune.lr_control.LEARNED_DEFAULTS``), or
with each of ``--variants`` (a JSON list of ``schedule_options`` mappings, e.g.
``'[{}, {"meta_every": 2}]'``; ``{}`` is the default), each compared on its own. The
learned run's meta-gradients are paid for inside its budget: it sees exactly the same training
batches, and the hypergradient costs one dot product per step, no extra forward pass.

Score: the best validation loss over the evaluations (every ``--eval-every`` steps and at the
end) — the adapter the pipeline keeps. Reported per specialist: the four scores, the best and the
median fixed score, whether learned <= best fixed ("win") and learned <= median fixed
("not worse than the median"), and the learned run's lr trace (plotted to ``--plot``).

Runs go one per spawned single-threaded worker process, ``--parallel`` at a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SPECIALISTS = ("sentiment_analysis", "entity_extraction", "sql_generation", "math_reasoning",
               "document_summarization", "translation", "confidence_calibration", "fact_checking")
DATA = {"n_examples": 1200, "val_max_examples": 100, "max_seq_len": 384}


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """One training run; returns its validation curve, lr trace and timing."""
    from simplex_training.finetune.config import FinetuneConfig
    from simplex_training.finetune.pipeline import make_lora
    from simplex_training.finetune.search import _prepared
    from simplex_training.finetune.trainer import finetune
    from simplex_training.model.llama import LlamaModel
    from simplex_training.pluginmanager import get_host

    start = time.perf_counter()
    cfg = FinetuneConfig.from_dict({**DATA, "lr": job["lr"], "schedule": job["schedule"], "steps": job["steps"],
                                    "epochs": None, "eval_every": job["eval_every"], "patience": 0,
                                    "checkpoint_every": job["steps"], "seed": job["seed"],
                                    "schedule_options": job.get("schedule_options", {})})
    config, weights, tok, train, val = _prepared(job["specialist"], job["base"], None, cfg)
    entry = get_host().registry("specialists")[job["specialist"]]
    model = make_lora(LlamaModel(config, weights=weights), entry, cfg)
    with tempfile.TemporaryDirectory(prefix="lrbench-") as work:
        res = finetune(model, train, val, cfg, pad_id=tok.eos_id, work_dir=work)
    evals = [(r["step"], r["val_loss"]) for r in res.history if r.get("type") == "eval"]
    lrs = [r["lr"] for r in res.history if r.get("type") == "train"]
    return {**{k: job[k] for k in ("specialist", "schedule", "lr")},
            "options": job.get("schedule_options", {}), "best_val_loss": res.best_val_loss,
            "best_step": res.best_step, "final_val_loss": evals[-1][1] if evals else None, "evals": evals,
            "lr_trace": lrs, "train_loss": res.final_train_loss, "seconds": round(time.perf_counter() - start, 1)}


def _worker_init() -> None:
    from simplex_training.finetune.batch import _worker_init as limit_threads

    limit_threads(1)


def run_all(jobs: list[dict[str, Any]], parallel: int) -> list[dict[str, Any]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if parallel <= 1:
        return [run_job(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=parallel, initializer=_worker_init,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(run_job, j) for j in jobs]
        out = []
        for job, fut in zip(jobs, futures):
            res = fut.result()
            print(f"  {job['specialist']:24s} {job['schedule']:8s} lr={job['lr']:.0e}  "
                  f"best val {res['best_val_loss']:.4f}  ({res['seconds']:.0f} s)", flush=True)
            out.append(res)
        return out


def compare(runs: list[dict[str, Any]], specialists: list[str]) -> list[dict[str, Any]]:
    rows = []
    for sid in specialists:
        fixed = {r["lr"]: r["best_val_loss"] for r in runs if r["specialist"] == sid and r["schedule"] == "cosine"}
        for learned in (r for r in runs if r["specialist"] == sid and r["schedule"] == "learned"):
            rows.append(_row(sid, fixed, learned))
    return rows


def _row(sid: str, fixed: dict[float, float], learned: dict[str, Any]) -> dict[str, Any]:
    best_lr = min(fixed, key=fixed.__getitem__)
    median = statistics.median(fixed.values())
    lv, trace = learned["best_val_loss"], learned["lr_trace"]
    return {"specialist": sid, "options": learned["options"],
            "fixed": {f"{k:.0e}": v for k, v in sorted(fixed.items())}, "best_fixed_lr": best_lr,
            "best_fixed": fixed[best_lr], "median_fixed": median, "learned": lv, "win": lv <= fixed[best_lr],
            "not_worse_than_median": lv <= median, "learned_lr_start": trace[0] if trace else None,
            "learned_lr_max": max(trace, default=None), "learned_lr_end": trace[-1] if trace else None}


def markdown(rows: list[dict[str, Any]], lrs: list[float]) -> str:
    head = ("| specialist | " + " | ".join(f"cosine {lr:.0e}" for lr in lrs)
            + " | learned | meta options | ≤ best | ≤ median |")
    lines = [head, "|" + "---|" * (len(lrs) + 5)]
    for r in rows:
        fixed = " | ".join(f"{r['fixed'][f'{lr:.0e}']:.4f}" for lr in lrs)
        opts = json.dumps(r["options"]) if r["options"] else "defaults"
        lines.append(f"| {r['specialist']} | {fixed} | {r['learned']:.4f} | {opts} | {'yes' if r['win'] else 'no'} | "
                     f"{'yes' if r['not_worse_than_median'] else 'no'} |")
    wins = sum(r["win"] for r in rows)
    ok = sum(r["not_worse_than_median"] for r in rows)
    lines.append(f"\nlearned ≤ best fixed on {wins}/{len(rows)}; ≤ median fixed on {ok}/{len(rows)}")
    return "\n".join(lines)


def plot(runs: list[dict[str, Any]], specialists: list[str], lrs: list[float], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = 4
    rows_n = (len(specialists) + cols - 1) // cols
    fig, axes = plt.subplots(rows_n, cols, figsize=(4 * cols, 3 * rows_n), squeeze=False)
    for ax, sid in zip(axes.flat, specialists):
        for r in runs:
            if r["specialist"] != sid:
                continue
            if r["schedule"] == "learned":
                label = "learned " + (json.dumps(r["options"]) if r["options"] else "(defaults)")
                ax.plot(range(1, len(r["lr_trace"]) + 1), r["lr_trace"], lw=2, label=label)
            else:
                ax.plot(range(1, len(r["lr_trace"]) + 1), r["lr_trace"], color="0.6", lw=1, ls="--")
        ax.set_yscale("log")
        ax.set_title(sid, fontsize=9)
        ax.set_xlabel("step", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(specialists):]:
        ax.axis("off")
    axes.flat[0].set_ylabel("learning rate")
    axes.flat[0].legend(fontsize=7, title=f"dashed: cosine {', '.join(f'{x:.0e}' for x in lrs)}", title_fontsize=6)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--specialists", default=",".join(SPECIALISTS))
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--eval-every", type=int, default=25)
    ap.add_argument("--lrs", default="5e-4,2e-3,8e-3")
    ap.add_argument("--learned-lr", type=float, default=2e-3)
    ap.add_argument("--variants", default="[{}]", help="JSON list of schedule_options of the learned runs")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--parallel", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--base", default=None)
    ap.add_argument("--out", default="benchmarks/results-lr-schedules.json")
    ap.add_argument("--plot", default="docs/img/learned-lr-schedules.png")
    args = ap.parse_args(argv)
    specialists = [s for s in args.specialists.split(",") if s]
    lrs = [float(x) for x in args.lrs.split(",")]
    common = {"steps": args.steps, "eval_every": args.eval_every, "seed": args.seed, "base": args.base}
    jobs = []
    variants = json.loads(args.variants)
    for sid in specialists:
        jobs += [{"specialist": sid, "schedule": "cosine", "lr": lr, **common} for lr in lrs]
        jobs += [{"specialist": sid, "schedule": "learned", "lr": args.learned_lr, "schedule_options": v, **common}
                 for v in variants]
    t0 = time.perf_counter()
    print(f"{len(jobs)} runs of {args.steps} steps, {args.parallel} at a time", flush=True)
    runs = run_all(jobs, args.parallel)
    rows = compare(runs, specialists)
    table = markdown(rows, lrs)
    print(table)
    result = {"machine": {"platform": platform.platform(), "processor": platform.processor(),
                          "cpus": os.cpu_count(), "python": sys.version.split()[0]},
              "settings": {**common, "lrs": lrs, "learned_lr": args.learned_lr, "data": DATA},
              "wall_seconds": round(time.perf_counter() - t0, 1), "rows": rows, "runs": runs, "table": table}
    from simplex_training.atomic import atomic_write

    with atomic_write(args.out) as fh:
        fh.write(json.dumps(result, indent=1))
    plot(runs, specialists, lrs, Path(args.plot))
    print(f"wrote {args.out} and {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
