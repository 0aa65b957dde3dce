"""``simplex-train train``: fine-tune one specialist (LoRA) and export it for llama.cpp and Ollama."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click


def print_comparison(comparison: dict, evaluation: dict | None = None) -> None:
    """One line per catalog metric: base -> specialist, threshold, PASS/FAIL; then the answer tokens the
    specialist rarely gets right, if any."""
    from simplex_training.finetune.token_loss import describe

    for name, row in comparison["metrics"].items():
        before = "-" if row["before"] is None else f"{row['before']:.3f}"
        after = "-" if row["after"] is None else f"{row['after']:.3f}"
        sign = ">=" if row["higher_is_better"] else "<="
        click.echo(f"  {name:<18} base {before:>6} -> specialist {after:>6}   threshold {sign} {row['threshold']:.2f}  "
                   f"{'PASS' if row['passed'] else 'FAIL'}")
    err = (evaluation or {}).get("after", {}).get("error")
    if err:
        click.echo(f"  evaluation: {err}")
    hard = describe((evaluation or {}).get("hard_tokens") or [])
    if hard:
        click.echo(f"  {hard}")


def print_report(metrics: dict, out: Path) -> None:
    """A short human summary of a run's metrics.json."""
    tr = metrics["training"]
    click.echo(f"{metrics['specialist']}: {tr['steps']} steps in {tr['seconds']:.0f}s"
               + (" (stopped early)" if tr["stopped_early"] else "")
               + (f", best validation loss {tr['best_val_loss']:.4f} at step {tr['best_step']}"
                  if tr.get("best_val_loss") is not None else ""))
    print_comparison(metrics["comparison"], metrics)
    click.echo(f"{'PASSED' if metrics['passed'] else 'FAILED'}; files in {out}")


def check_schedule(value: str | None) -> str | None:
    """``--schedule``: any registered schedule that provides a learning rate."""
    if value is None:
        return None
    from simplex_training.finetune.lr_control import lr_schedule_kind, lr_schedule_names

    if lr_schedule_kind(value) is None:
        raise click.BadParameter(f"{value!r} is not a learning-rate schedule (choose from "
                                 f"{', '.join(lr_schedule_names())})")
    return value


@click.command()
@click.argument("specialist_id")
@click.option("--base", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Base model GGUF (llama architecture); default: the embedded base.")
@click.option("--data", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Training data JSONL (prompt/response, prompt/completion, text or messages); "
                   "default: the specialist's generator.")
@click.option("--skip-bad", is_flag=True, help="Skip malformed JSONL lines (counted) instead of stopping.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("runs"),
              show_default=True, help="Output directory; files go to OUT/ID/.")
@click.option("--steps", type=click.IntRange(min=1), default=None,
              help="Optimizer steps (default: enough for the specialist's token budget, about 500k "
                   "training tokens unless its catalog entry sets more).")
@click.option("--epochs", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Train for this many passes over the data instead of --steps.")
@click.option("--seed", type=click.IntRange(min=0), default=None, help="Seed of data, initialisation, order.")
@click.option("--resume", is_flag=True, help="Continue from OUT/ID/checkpoints/ (bit-identical to an unbroken run).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="JSON or YAML file of fine-tuning settings (lr, batch_size, lora: {rank: ...}, ...).")
@click.option("--schedule", default=None, callback=lambda ctx, param, value: check_schedule(value),
              help="Learning-rate schedule: cosine (default), linear, constant, learned (hypergradient-"
                   "driven) or annealing (cosine x annealing temperature with reheat and a stop rule), "
                   "or a plugin's LR schedule.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on for a terminal).")
def train(specialist_id: str, base: Path | None, data: Path | None, skip_bad: bool, out_dir: Path, steps: int | None,
          epochs: float | None, seed: int | None, resume: bool, config_file: str | None, schedule: str | None,
          progress: bool | None) -> None:
    """Fine-tune SPECIALIST_ID with LoRA, evaluate base vs specialist, and export.

    \b
    Writes OUT/ID/: adapter.gguf (llama.cpp --lora), merged.gguf (F16), Modelfile (Ollama),
    adapter_model.safetensors + adapter_config.json (PEFT), metrics.json, loss.png,
    train_log.jsonl, checkpoints/.
    """
    from simplex_training.cli.progress import training_progress
    from simplex_training.finetune.config import load_config_file
    from simplex_training.finetune.pipeline import build_config, train_specialist
    from simplex_training.pluginmanager import get_host

    if steps is not None and epochs is not None:
        raise click.UsageError("give --steps or --epochs, not both")
    entry = get_host().registry("specialists")[specialist_id]  # unknown id: exit 2 with suggestions before any work
    overrides = load_config_file(config_file) if config_file else {}
    build_config(overrides, steps=steps, epochs=epochs, seed=seed, schedule=schedule,
                 defaults=entry.training, entry=entry)  # bad settings: an error before any work
    with contextlib.ExitStack() as stack:
        bar: list = []

        def update(step: int, rec: dict) -> None:
            if not bar:  # the total is known once training starts (epochs -> steps)
                bar.append(stack.enter_context(training_progress(rec.get("total_steps", step), specialist_id,
                                                                 start=step - 1, enabled=progress)))
            bar[0](step, rec)

        result = train_specialist(specialist_id, base=base, data=data, out_dir=out_dir, resume=resume,
                                  config_overrides=overrides, steps=steps, epochs=epochs, seed=seed,
                                  schedule=schedule, skip_bad=skip_bad, progress=update,
                                  log=lambda m: click.echo(m, err=True))
    print_report(result.metrics, result.out_dir)
