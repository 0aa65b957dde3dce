"""``simplex-train pretrain``: build the embedded base model from scratch (reproducible), or continue
pretraining a finished GGUF (``--init``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click

PRESETS = ("default", "tiny")


@click.command()
@click.option("--work", type=click.Path(file_okay=False, path_type=Path), default=Path("runs/pretrain"),
              show_default=True, help="Work directory: tokenizer, token stream, checkpoint, log.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output GGUF (default: WORK/base.gguf).")
@click.option("--preset", type=click.Choice(PRESETS), default="default", show_default=True,
              help="default: the shipped base (4 layers, dim 256); tiny: a seconds-long smoke run.")
@click.option("--steps", type=click.IntRange(min=1), default=None, help="Override the first stage's steps.")
@click.option("--reading/--no-reading", default=True, show_default=True,
              help="Run the second, reading stage (copying and look-up lessons) after the first.")
@click.option("--numeracy-steps", type=click.IntRange(min=0), default=None,
              help="Steps of the numeracy phase (arithmetic, comparisons, dates, multi-field records) "
                   "after the reading phases; 0: none. Default: the preset's (6,000 for default, as shipped).")
@click.option("--coverage-steps", type=click.IntRange(min=0), default=None,
              help="Steps of the coverage phase (every piece and byte of the vocabulary made a target) "
                   "at the end; 0: none. Default: the preset's (2,000 for default, as shipped).")
@click.option("--digits-steps", type=click.IntRange(min=0), default=0, show_default=True,
              help="Steps of a digits phase (numbers by place value, sums and differences column by column) "
                   "after the coverage phase; the embedded base has none (docs/base-model.md).")
@click.option("--equality-steps", type=click.IntRange(min=0), default=0, show_default=True,
              help="Steps of an equality phase (are two values the same, is one in a list, how often does a "
                   "word occur) at the end; the embedded base has none (docs/base-model.md).")
@click.option("--recall-steps", type=click.IntRange(min=0), default=0, show_default=True,
              help="Steps of a recall phase (one of several like facts picked by the key a question names) "
                   "at the end; the embedded base has none (docs/base-model.md).")
@click.option("--lesson-loss", type=click.Choice(("all", "answers")), default="all", show_default=True,
              help="Which tokens of a reading-stage lesson the loss counts: all (prompt and answer, as the "
                   "embedded base was trained) or answers (the response only, as fine-tuning does).")
@click.option("--init", "init", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Continue pretraining this GGUF (its weights, shape and tokenizer) instead of starting from "
                   "scratch: only the phases given with --numeracy-steps, --coverage-steps, --digits-steps, "
                   "--equality-steps or --recall-steps run.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--resume/--no-resume", default=True, show_default=True, help="Continue from WORK/checkpoint.npz.")
@click.option("--install", is_flag=True, help="Copy the result into the package as the embedded base.")
def pretrain(work: Path, output: Path | None, preset: str, steps: int | None, reading: bool, numeracy_steps: int | None,
             coverage_steps: int | None, digits_steps: int, equality_steps: int, recall_steps: int, lesson_loss: str,
             init: Path | None, seed: int, resume: bool, install: bool) -> None:
    """Pretrain a small llama base on the general synthetic corpus and write it as GGUF."""
    from dataclasses import replace

    from simplex_training.cli.progress import training_progress
    from simplex_training.pretrain.run import PretrainConfig, continued_config, pretrain as run_pretrain, tiny_config

    cfg = PretrainConfig(seed=seed) if preset == "default" else tiny_config(seed)
    phases = (("numeracy", numeracy_steps), ("coverage", coverage_steps), ("digits", digits_steps),
              ("equality", equality_steps), ("recall", recall_steps))
    if init is not None:
        if steps is not None or not reading:
            raise click.UsageError("--init continues a finished base: it has no first stage (--steps) and runs "
                                   "the phases given (--no-reading leaves nothing to run)")
        if not any(n for _, n in phases):
            raise click.UsageError("--init needs the steps of at least one phase: --numeracy-steps, "
                                   "--coverage-steps, --digits-steps, --equality-steps or --recall-steps")
        cfg = continued_config(cfg, init, {c: n for c, n in phases if n})
    else:
        if steps is not None:
            cfg = replace(cfg, steps=steps)
        if not reading:
            cfg = replace(cfg, reading=None)
        else:
            for corpus, n in phases:
                if n is not None:
                    cfg = replace(cfg, reading=cfg.reading.with_phase(corpus, n))
    if cfg.reading is not None:
        cfg = replace(cfg, reading=replace(cfg.reading, lesson_loss=lesson_loss))
    output = output or work / "base.gguf"
    with training_progress(cfg.total_steps, "pretrain") as update:
        summary = run_pretrain(cfg, work, output, resume=resume, log=lambda m: click.echo(m, err=True), progress=update)
    click.echo(json.dumps({k: v for k, v in summary.items() if k != "config"}, indent=2))
    click.echo(f"wrote {output} ({output.stat().st_size / 1e6:.1f} MB)", err=True)
    if install:
        from importlib import resources

        dest = Path(str(resources.files("simplex_training.assets"))) / "base.gguf"
        shutil.copyfile(output, dest)
        click.echo(f"installed as the embedded base: {dest}", err=True)
