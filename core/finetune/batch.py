"""``train_all``: train many specialists, in parallel, and summarise them in one table.

Each specialist runs :func:`~simplex_training.finetune.pipeline.train_specialist` as one job of an
executor (:mod:`simplex_training.executor`): by default ``local``, processes on this machine
(``parallel=1``: in this process, one after the other); ``dask`` sends them to a cluster. A
specialist whose ``metrics.json`` is complete and was made with the same base model (content hash)
and settings is skipped; one made with another base or other settings is trained again. An
interrupted specialist continues from its checkpoint when that checkpoint fits (``resume="auto"``),
else starts over. A failing specialist is recorded with its error message and the others go on.

The summary (``OUT/summary.json`` and ``OUT/summary.md``, atomic) has one row per catalog metric
of each specialist: id, metric, value (after training), threshold, pass, seconds; a failed
specialist has one row with its error.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any


def run_one(specialist_id: str, out_dir: str, kwargs: dict[str, Any], marker: str | None = None) -> dict[str, Any]:
    """Train one specialist; never raises: returns ``{"id", "status", ...}``. ``marker``: a file
    ``train_all`` made in ``out_dir``; a worker that cannot see it is on a machine without that
    directory, and trains nothing (its results would be lost on that machine)."""
    from simplex_training.finetune.pipeline import train_specialist

    start = time.perf_counter()
    if marker is not None and not (Path(out_dir) / marker).is_file():
        import socket

        return {"id": specialist_id, "status": "failed", "seconds": 0.0,
                "error": f"the output directory {out_dir} is not visible on worker {socket.gethostname()}: "
                         "every worker must see it at the same path (a shared file system)"}
    try:
        res = train_specialist(specialist_id, out_dir=out_dir, **kwargs)
    except BaseException as exc:  # noqa: BLE001 - a worker reports every failure, KeyboardInterrupt included
        if isinstance(exc, KeyboardInterrupt):
            raise
        return {"id": specialist_id, "status": "failed", "error": f"{type(exc).__name__}: {exc}",
                "seconds": round(time.perf_counter() - start, 1)}
    return {"id": specialist_id, "status": "trained", "seconds": round(res.training["total_seconds"], 1),
            "passed": res.passed, "comparison": res.metrics["comparison"]}


def _from_metrics(out_dir: Path, specialist_id: str) -> dict[str, Any]:
    doc = json.loads((out_dir / specialist_id / "metrics.json").read_text(encoding="utf-8"))
    seconds = doc.get("training", {}).get("total_seconds")
    return {"id": specialist_id, "status": "skipped", "seconds": None if seconds is None else round(seconds, 1),
            "passed": bool(doc.get("passed")), "comparison": doc.get("comparison", {})}


def summary_rows(results: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for r in results:
        metrics = (r.get("comparison") or {}).get("metrics", {})
        if r["status"] == "failed" or not metrics:
            rows.append({"id": r["id"], "status": r["status"], "metric": None, "value": None, "threshold": None,
                         "pass": False, "seconds": r.get("seconds"), "error": r.get("error")})
            continue
        for name, m in metrics.items():
            before, after = m.get("before"), m.get("after")
            better = None
            if before is not None and after is not None:
                better = after > before if m.get("higher_is_better", True) else after < before
            rows.append({"id": r["id"], "status": r["status"], "metric": name, "value": after, "before": before,
                         "beats_base": better, "threshold": m.get("threshold"), "pass": bool(m.get("passed")),
                         "seconds": r.get("seconds")})
    return rows


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v).replace("|", "\\|").replace("\n", " ")


# (column title, row key) of the Markdown summary
COLUMNS = (("id", "id"), ("status", "status"), ("metric", "metric"), ("base", "before"), ("specialist", "value"),
           ("beats base", "beats_base"), ("threshold", "threshold"), ("pass", "pass"), ("seconds", "seconds"))


def render_markdown(rows: Sequence[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(t for t, _ in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(_fmt(row.get(k)) for _, k in COLUMNS) + " |")
    failed = [row for row in rows if row.get("error")]
    if failed:
        lines += ["", "Failures:", ""] + [f"- `{row['id']}`: {_fmt(row['error'])}" for row in failed]
    return "\n".join(lines) + "\n"


def write_summary(out_dir: Path, results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    from simplex_training.atomic import atomic_write_text

    rows = summary_rows(results)
    ids = [r["id"] for r in results]
    doc = {"specialists": len(ids), "failed": [r["id"] for r in results if r["status"] == "failed"],
           "passed": [r["id"] for r in results if r.get("passed")],
           "skipped": [r["id"] for r in results if r["status"] == "skipped"], "rows": rows}
    atomic_write_text(out_dir / "summary.json", json.dumps(doc, indent=2) + "\n")
    atomic_write_text(out_dir / "summary.md", render_markdown(rows))
    return doc


def train_all(ids: Sequence[str], parallel: int = 1, out_dir: str | Path = "runs",
              on_result: Callable[[dict[str, Any]], None] | None = None,
              log: Callable[[str], None] = lambda m: None, executor: str = "local",
              executor_options: Mapping[str, str] | None = None, **kwargs: Any) -> dict[str, Any]:
    """Train every id (skipping complete ones), ``parallel`` at a time on the registered executor
    ``executor`` (made with ``executor_options``); returns the summary document.

    ``kwargs`` go to :func:`~simplex_training.finetune.pipeline.train_specialist` (``base``,
    ``steps``, ``seed``, ``config_overrides``...). Unknown ids raise before anything starts.
    """
    from simplex_training.finetune.pipeline import base_hash, is_complete, run_identity, stale_reason
    from simplex_training.pluginmanager import get_host

    if parallel < 1:
        raise ValueError(f"parallel must be >= 1, got {parallel}")
    registry = get_host().registry("specialists")
    for sid in ids:
        registry[sid]  # UnknownNameError with suggestions
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    settings = {k: kwargs.get(k) for k in ("base", "config_overrides", "steps", "epochs", "seed", "schedule")}
    base_sha256 = base_hash(kwargs.get("base"))
    kwargs = {"resume": "auto", **kwargs}
    results: dict[str, dict[str, Any]] = {}
    todo = []
    for sid in dict.fromkeys(ids):
        complete = is_complete(out, sid)
        why = stale_reason(out, sid, run_identity(sid, base_sha256=base_sha256, **settings)) if complete else None
        if why is not None:
            log(f"{sid}: its results in {out / sid} were made with {why}; training it again")
        if complete and why is None:
            results[sid] = _from_metrics(out, sid)
            if on_result:
                on_result(results[sid])
        else:
            todo.append(sid)
    if todo:
        from simplex_training.executor import Job, make_executor

        runner = make_executor(get_host().registry("executors"), executor, executor_options)
        marker = out / f".train-all-{uuid.uuid4().hex[:12]}"
        marker.touch()
        try:
            jobs = [Job(sid, run_one, (sid, str(out.resolve()), kwargs, marker.name)) for sid in todo]
            for sid, res in runner.run(jobs, parallel):
                if isinstance(res, BaseException):  # a job the executor lost: its worker died, or it could not start
                    res = {"id": sid, "status": "failed", "error": f"{type(res).__name__}: {res}"}
                results[sid] = res
                if on_result:
                    on_result(res)
        finally:
            marker.unlink(missing_ok=True)
        missing = [sid for sid in todo if sid not in results]
        if missing:
            raise RuntimeError(f"executor '{executor}' returned no result for {', '.join(missing)}")
    ordered = [results[sid] for sid in dict.fromkeys(ids)]
    return write_summary(out, ordered)
