"""A training progress bar (loss, learning rate, tokens/s, ETA) shared by pretrain and train."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any


@contextlib.contextmanager
def training_progress(total: int, description: str, start: int = 0,
                      enabled: bool | None = None) -> Iterator[Callable[[int, dict[str, Any]], None]]:
    """Yield ``update(step, record)``; draws a rich bar on a terminal, prints every 50 steps otherwise."""
    show_bar = sys.stderr.isatty() if enabled is None else enabled
    if not show_bar:
        def update(step: int, rec: dict[str, Any]) -> None:
            if step % 50 == 0 or step == total:
                print(f"{description} step {step}/{total} loss {rec.get('loss', float('nan')):.4f} "
                      f"lr {rec.get('lr', 0):.2e} {rec.get('tok_per_s', 0):.0f} tok/s", file=sys.stderr, flush=True)

        yield update
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("loss {task.fields[loss]}  lr {task.fields[lr]}  {task.fields[tps]} tok/s"),
                  TimeElapsedColumn(), TimeRemainingColumn(), transient=False) as prog:
        task = prog.add_task(description, total=total, completed=start, loss="-", lr="-", tps="-")

        def update(step: int, rec: dict[str, Any]) -> None:
            prog.update(task, completed=step, loss=f"{rec.get('loss', float('nan')):.4f}",
                        lr=f"{rec.get('lr', 0):.1e}", tps=f"{rec.get('tok_per_s', 0):.0f}")

        yield update
