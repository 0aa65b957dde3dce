"""The loss curve (train and validation) and the learning-rate curve of a run as PNGs, written atomically.

:func:`plot_lr` draws the learning rate of every step (the learned or annealed one included) and,
when the log has them, the hypergradients (``learned``) or the annealing temperature.

Uses matplotlib's non-interactive Agg canvas directly (no pyplot, no global backend switch), so it
works headless and in worker processes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _smooth(values: list[float], window: int) -> list[float]:
    out, acc = [], 0.0
    for i, v in enumerate(values):
        acc += v
        if i >= window:
            acc -= values[i - window]
        out.append(acc / min(i + 1, window))
    return out


def plot_loss(history: Sequence[dict[str, Any]], path: str | Path, title: str = "") -> Path:
    """Draw ``type == "train"`` losses (raw and smoothed) and ``type == "eval"`` validation losses."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from simplex_training.atomic import atomic_write_bytes

    train = [(r["step"], r["loss"]) for r in history if r.get("type") == "train"]
    val = [(r["step"], r["val_loss"]) for r in history if r.get("type") == "eval"]
    fig = Figure(figsize=(7, 4), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    if train:
        steps, losses = zip(*train, strict=True)
        ax.plot(steps, losses, color="tab:blue", alpha=0.3, linewidth=1, label="train (per step)")
        window = max(1, len(losses) // 20)
        if window > 1:
            ax.plot(steps, _smooth(list(losses), window), color="tab:blue", linewidth=2,
                    label=f"train (mean of {window})")
    if val:
        vs, vl = zip(*val, strict=True)
        ax.plot(vs, vl, color="tab:orange", marker="o", linewidth=2, label="validation")
        best = min(range(len(vl)), key=lambda i: vl[i])
        ax.scatter([vs[best]], [vl[best]], s=120, facecolors="none", edgecolors="tab:red", zorder=3,
                   label=f"best {vl[best]:.3f} @ {vs[best]}")
    values = [v for _, v in train + val if v > 0]
    if values and max(values) / min(values) > 20:  # a wide range: a log axis keeps the tail readable
        from matplotlib.ticker import FuncFormatter

        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
        ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _pos: f"{v:g}" if f"{v:.0e}"[0] in "25" else ""))
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("loss (nats / token)")
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    if train or val:
        ax.legend(loc="upper right")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    atomic_write_bytes(path, buf.getvalue())
    return Path(path)


def plot_lr(history: Sequence[dict[str, Any]], path: str | Path, title: str = "") -> Path:
    """Draw the per-step ``lr`` of ``type == "train"`` records; on a second axis ``hypergrad`` or ``temperature``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from simplex_training.atomic import atomic_write_bytes

    train = [r for r in history if r.get("type") == "train"]
    fig = Figure(figsize=(7, 4), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    if train:
        ax.plot([r["step"] for r in train], [r["lr"] for r in train], color="tab:green", linewidth=2,
                label="learning rate")
    for key, color, label in (("hypergrad", "tab:purple", "hypergradient dL/d lr"),
                              ("temperature", "tab:red", "annealing temperature")):
        pts = [(r["step"], r[key]) for r in train if isinstance(r.get(key), (int, float))]
        if pts:
            ax2 = ax.twinx()
            steps, values = zip(*pts, strict=True)
            ax2.plot(steps, values, color=color, alpha=0.6, linewidth=1, label=label)
            ax2.set_ylabel(label, color=color)
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("learning rate")
    ax.ticklabel_format(axis="y", style="sci", scilimits=(-2, 2))
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    if train:
        ax.legend(loc="upper right")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    atomic_write_bytes(path, buf.getvalue())
    return Path(path)
