"""``simplex-train train-all``: train many specialists in parallel processes and summarise them."""

from __future__ import annotations

from pathlib import Path

import click


@click.command(name="train-all")
@click.option("--category", default=None, help="Only specialists of this catalog category.")
@click.option("--ids", default=None, metavar="A,B,...", help="Comma-separated specialist ids.")
@click.option("--parallel", type=click.IntRange(min=1), default=1, show_default=True,
              help="Specialists trained at once, each in its own process.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("runs"),
              show_default=True, help="Output directory (OUT/ID/ per specialist, OUT/summary.{json,md}).")
@click.option("--steps", type=click.IntRange(min=1), default=None, help="Optimizer steps per specialist.")
@click.option("--base", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Base model GGUF; default: the embedded base.")
@click.option("--seed", type=click.IntRange(min=0), default=None)
@click.option("--executor", default="local", show_default=True,
              help="What runs the jobs: local (processes on this machine), dask (a Dask cluster), or a plugin's.")
@click.option("--executor-option", "executor_options", multiple=True, metavar="KEY=VALUE",
              help="An option of the executor, e.g. address=tcp://scheduler:8786 for dask; repeatable.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="JSON or YAML file of fine-tuning settings applied to every specialist.")
def train_all(category: str | None, ids: str | None, parallel: int, out_dir: Path, steps: int | None,
              base: Path | None, seed: int | None, executor: str, executor_options: tuple[str, ...],
              config_file: str | None) -> None:
    """Train every specialist (or --category / --ids), skipping those already complete in OUT.

    A specialist complete in OUT with another base model or other settings is trained again; one
    interrupted earlier continues from its checkpoint.

    A failing specialist is recorded in the summary and the others go on; the exit code is 1 when
    any failed. With --executor dask, every worker must see OUT at the same path.
    """
    from simplex_training.errors import SimplexError
    from simplex_training.finetune.batch import train_all as run_all
    from simplex_training.finetune.config import load_config_file
    from simplex_training.pluginmanager import get_host

    registry = get_host().registry("specialists")
    if ids:
        chosen = [s.strip() for s in ids.split(",") if s.strip()]
        for sid in chosen:
            registry[sid]
    else:
        chosen = sorted(registry)
    if category:
        known = sorted({registry[s].category for s in registry})
        if category not in known:
            from simplex_training.errors import UnknownNameError

            raise UnknownNameError("category", category, known)
        chosen = [s for s in chosen if registry[s].category == category]
    if not chosen:
        raise click.UsageError("no specialist matches --ids/--category")
    from simplex_training.executor import make_executor, parse_options

    options = parse_options(executor_options)
    make_executor(get_host().registry("executors"), executor, options)  # a wrong name or option fails before any job
    overrides = load_config_file(config_file) if config_file else None
    click.echo(f"training {len(chosen)} specialist(s), {parallel} at a time ({executor}), into {out_dir}", err=True)

    def report(r: dict) -> None:
        verdict = r["status"]
        if verdict == "trained":
            verdict = "passed" if r.get("passed") else "trained, below threshold"
        extra = f": {r['error']}" if r.get("error") else ""
        click.echo(f"  {r['id']}: {verdict}{extra}", err=True)

    doc = run_all(chosen, parallel=parallel, out_dir=out_dir, on_result=report, log=lambda m: click.echo(m, err=True),
                  base=base, steps=steps, seed=seed, config_overrides=overrides, executor=executor,
                  executor_options=options)
    click.echo((out_dir / "summary.md").read_text(encoding="utf-8"))
    click.echo(f"{len(doc['passed'])}/{doc['specialists']} passed, {len(doc['failed'])} failed, "
               f"{len(doc['skipped'])} skipped (already complete); summary in {out_dir / 'summary.json'}", err=True)
    if doc["failed"]:
        raise SimplexError(f"{len(doc['failed'])} specialist(s) failed: {', '.join(doc['failed'])}")
