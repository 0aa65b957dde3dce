"""``simplex-train search``: annealed (or random) hyperparameter search for one specialist."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("specialist_id")
@click.option("--budget", type=click.IntRange(min=1), default=12, show_default=True,
              help="Number of trials (short training runs), trial 0 being the base settings.")
@click.option("--parallel", type=click.IntRange(min=1), default=1, show_default=True,
              help="Trials run at once, each in its own single-threaded process (at most the CPU count); "
                   "trials are proposed in rounds of this size.")
@click.option("--steps", type=click.IntRange(min=1), default=40, show_default=True,
              help="Optimizer steps per trial (scored on the validation loss after them).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed of the search and of every trial's training; the search is deterministic for it.")
@click.option("--method", type=click.Choice(["anneal", "random"]), default="anneal", show_default=True,
              help="anneal: simulated annealing over neighbouring settings; random: uniform samples (baseline).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("runs"),
              show_default=True, help="Output directory; files go to OUT/ID/search/.")
@click.option("--base", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Base model GGUF; default: the embedded base.")
@click.option("--data", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Training data JSONL; default: the specialist's generator.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="JSON or YAML base settings the search starts from (and keeps in best_config.json).")
def search(specialist_id: str, budget: int, parallel: int, steps: int, seed: int, method: str, out_dir: Path,
           base: Path | None, data: Path | None, config_file: str | None) -> None:
    """Search lr, LoRA rank/alpha/dropout, batch size and target modules for SPECIALIST_ID.

    \b
    Writes OUT/ID/search/: results.jsonl (one trial per line), results.md (sorted by validation
    loss), best_config.json (use it: simplex-train train ID --config OUT/ID/search/best_config.json).
    A failing trial is recorded and the search goes on.
    """
    from simplex_training.finetune.config import load_config_file
    from simplex_training.finetune.search import search as run_search
    from simplex_training.finetune.search_space import describe
    from simplex_training.pluginmanager import get_host

    get_host().registry("specialists")[specialist_id]  # unknown id: exit 2 with suggestions before any work
    overrides = load_config_file(config_file) if config_file else {}
    click.echo(f"{specialist_id}: {method} search, {budget} trials of {steps} steps, {parallel} at a time",
               err=True)

    def report(t: dict) -> None:
        loss = "failed: " + str(t.get("error")) if t["status"] == "failed" else f"val {t['val_loss']:.4f}"
        moved = "" if "accepted" not in t else ("  accepted" if t["accepted"] else "  rejected")
        click.echo(f"  trial {t['trial']:>3}  {describe(t['params'])}  {loss}{moved}", err=True)

    result = run_search(specialist_id, budget, parallel=parallel, steps=steps, seed=seed, out_dir=out_dir,
                        method=method, base=base, data=data, config_overrides=overrides, on_trial=report)
    best = result["best"]
    folder = out_dir / specialist_id / "search"
    if best is None:
        from simplex_training.errors import SimplexError

        raise SimplexError(f"every trial failed; see {folder / 'results.md'}")
    click.echo(f"best: trial {best['trial']} val {best['val_loss']:.4f} ({result['describe']})")
    click.echo(f"files in {folder}; train it with: simplex-train train {specialist_id} "
               f"--config {folder / 'best_config.json'}")
