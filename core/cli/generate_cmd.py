"""``simplex-train generate``: synthetic data for one specialist as JSONL, written atomically."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click


def split_paths(out: Path) -> dict[str, Path]:
    """``data/x.jsonl`` -> ``data/x.train.jsonl``, ``data/x.val.jsonl``, ``data/x.test.jsonl``."""
    stem = out.name[: -len(".jsonl")] if out.name.endswith(".jsonl") else out.name
    return {name: out.with_name(f"{stem}.{name}.jsonl") for name in ("train", "val", "test")}


@click.command()
@click.argument("specialist_id")
@click.option("-n", "n", type=click.IntRange(min=1), default=1000, show_default=True, help="Number of examples.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same bytes).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output JSONL file (default: standard output).")
@click.option("--split", "split_spec", default=None, metavar="TRAIN,VAL,TEST",
              help="Write three files OUT.train/.val/.test.jsonl with these fractions, e.g. 0.8,0.1,0.1.")
@click.option("--locale", default="en_US", show_default=True, help="Faker locale for names, places, dates.")
@click.option("--difficulty", type=click.Choice(["easy", "medium", "hard"]), default="medium", show_default=True)
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on for a terminal).")
def generate(specialist_id: str, n: int, seed: int, output: Path | None, split_spec: str | None,
             locale: str, difficulty: str, progress: bool | None) -> None:
    """Generate N synthetic examples for SPECIALIST_ID as JSONL (prompt, response, metadata)."""
    from simplex_training.atomic import atomic_write
    from simplex_training.data import SplitAssigner, parse_split
    from simplex_training.pluginmanager import get_host

    host = get_host()
    entry = host.registry("specialists")[specialist_id]
    gen = host.registry("generators")[entry.generator]
    fractions = None
    if split_spec is not None:
        try:
            fractions = parse_split(split_spec)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--split") from None
        if output is None:
            raise click.UsageError("--split needs -o/--output (three files are written beside it)")
    try:
        examples = gen.generate(n, seed=seed, locale=locale, difficulty=difficulty)
        show = progress if progress is not None else (sys.stderr.isatty() and n >= 200)
        with contextlib.ExitStack() as stack:
            if output is None:
                sinks = {"all": sys.stdout}
            elif fractions is None:
                sinks = {"all": stack.enter_context(atomic_write(output))}
            else:
                sinks = {k: stack.enter_context(atomic_write(p)) for k, p in split_paths(output).items()}
            assigner = SplitAssigner(fractions) if fractions else None
            bar = _progress(stack, show, n, specialist_id)
            counts = dict.fromkeys(sinks, 0)
            for ex in examples:
                key = assigner.next() if assigner else "all"
                sinks[key].write(ex.to_json() + "\n")
                counts[key] += 1
                bar()
    except ValueError as exc:  # bad locale, difficulty...
        raise click.UsageError(str(exc)) from None
    if output is not None:
        where = ", ".join(f"{k}: {c}" for k, c in counts.items()) if fractions else f"{counts['all']}"
        click.echo(f"wrote {n} examples of {specialist_id} to {output if not fractions else output.parent} ({where})", err=True)


def _progress(stack: contextlib.ExitStack, show: bool, total: int, label: str):  # noqa: ANN202
    if not show:
        return lambda: None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    prog = stack.enter_context(
        Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                 transient=True)
    )
    task = prog.add_task(label, total=total)
    return lambda: prog.advance(task)
