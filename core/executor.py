"""Executors: what runs ``train-all``'s training jobs (local processes, a cluster engine...).

An executor is a class registered through the ``register_executors`` hook. ``train-all --executor
NAME --executor-option KEY=VALUE`` makes one with ``cls(**options)`` (values are strings) and hands
its :meth:`Executor.run` every specialist still to train as a :class:`Job`. The built-ins are
``local`` (processes on this machine) and ``dask`` (a Dask ``distributed`` cluster).

What every executor does, checked for each registered one by :func:`check_executor_contract` (in
``tests/contracts/test_executors_contract.py``, and by a plugin author's own tests):

* runs each job once, ``job.fn(*job.args)``, and yields ``(job.key, result)`` as each one ends;
* yields ``(job.key, exception)`` for a job that raised or whose worker died, and goes on with the
  others: one failing specialist does not stop a batch;
* runs at most ``parallel`` jobs at once;
* needs nothing but its options' defaults: ``cls()`` works (``dask`` then starts a local cluster).

A job's function is importable by name (a module-level function) and its arguments are picklable,
so jobs can run in other processes or on other machines. Those must see the same files: ``train-all``'s
output directory is where each job writes its results.
"""

from __future__ import annotations

import inspect
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar


@dataclass(frozen=True)
class Job:
    """One unit of work: ``fn(*args)`` under the name ``key`` (a specialist id for ``train-all``)."""

    key: str
    fn: Callable[..., Any]
    args: tuple[Any, ...] = ()


class Executor:
    """Base class of executors; a subclass sets ``name`` and implements :meth:`run`."""

    name: ClassVar[str] = ""

    def run(self, jobs: Sequence[Job], parallel: int) -> Iterator[tuple[str, Any]]:
        """Run ``jobs``, at most ``parallel`` at once; yield ``(key, result or exception)`` for each
        as it ends. Raises only for a failure of the executor itself (e.g. no cluster to reach)."""
        raise NotImplementedError


def validate_executor(obj: Any) -> type:
    """What ``register_executors`` accepts: a class with a ``run`` method (made later, with options)."""
    if not isinstance(obj, type) or not callable(getattr(obj, "run", None)):
        raise TypeError(f"an executor is a class with a name and a run(jobs, parallel) method, not {obj!r}")
    return obj


def make_executor(registry: Mapping[str, Any], name: str, options: Mapping[str, str] | None = None) -> Executor:
    """The executor ``name`` made with ``options``; an unknown option is an error naming the known ones."""
    from simplex_training.errors import SimplexError

    cls = registry[name]  # UnknownNameError with suggestions
    options = dict(options or {})
    params = inspect.signature(cls).parameters
    known = [p for p in params if params[p].kind in (inspect.Parameter.KEYWORD_ONLY,
                                                     inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    unknown = sorted(set(options) - set(known))
    if unknown and not takes_any:
        raise SimplexError(f"executor '{name}' has no option {unknown[0]!r} "
                           f"(its options: {', '.join(known) if known else 'none'})")
    try:
        return cls(**options)
    except (TypeError, ValueError) as exc:  # a value it cannot use, e.g. threads=abc
        raise SimplexError(f"executor '{name}': {exc}") from exc


def parse_options(pairs: Sequence[str]) -> dict[str, str]:
    """``["KEY=VALUE", ...]`` as a dict; a pair without ``=`` is an error that quotes it."""
    from simplex_training.errors import SimplexError

    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise SimplexError(f"executor option {pair!r} is not KEY=VALUE")
        out[key.strip()] = value
    return out


# -- worker processes on this machine -------------------------------------------------------------

THREAD_VARIABLES = ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "SIMPLEX_TRAINING_THREADS")


def limit_threads(threads: int) -> None:
    """Limit every thread pool of this process (numba, BLAS, the engine's GEMM pool) to ``threads``."""
    for var in THREAD_VARIABLES:
        os.environ[var] = str(threads)
    import numba
    from threadpoolctl import threadpool_limits

    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    threadpool_limits(limits=threads)


def worker_init(threads: int) -> None:
    """The initializer of a worker process: ``threads`` threads, and an end when its parent is gone
    (a killed parent leaves no worker training on)."""
    limit_threads(threads)
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()


def _exit_when_orphaned(parent: int, every: float = 0.5) -> None:
    """End this worker when its parent is gone (its finished jobs' results are already written)."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


# -- the contract ---------------------------------------------------------------------------------


def contract_job(directory: str, value: int, seconds: float = 0.3) -> dict[str, int]:
    """A job of the contract check: it counts the jobs running beside it (marker files in
    ``directory``), raises for a negative ``value``, and returns ``{"value", "running"}``."""
    marker = Path(directory) / f"running-{value}-{os.getpid()}-{time.monotonic_ns()}"
    marker.touch()
    try:
        running = sum(1 for p in Path(directory).iterdir() if p.name.startswith("running-"))
        time.sleep(seconds)
        if value < 0:
            raise ValueError(f"job {value} fails on purpose")
        return {"value": value * value, "running": running}
    finally:
        marker.unlink()


def check_executor_contract(executor: Executor, parallel: int = 2, n: int = 5) -> None:
    """Run ``n`` jobs (one of them failing) with ``parallel`` at once and check what comes back:
    every key once, right results, the failure as an exception, no more than ``parallel`` at once."""
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [Job(f"job{i}", contract_job, (tmp, -1 if i == 1 else i)) for i in range(n)]
        got = list(executor.run(jobs, parallel))
    keys = [k for k, _ in got]
    assert sorted(keys) == sorted(j.key for j in jobs), f"{executor.name}: keys returned {keys}"
    results = dict(got)
    assert isinstance(results["job1"], Exception) and "fails on purpose" in str(results["job1"]), results["job1"]
    for i in (0, *range(2, n)):
        assert results[f"job{i}"]["value"] == i * i, results[f"job{i}"]
    most = max(r["running"] for k, r in results.items() if k != "job1")
    assert most <= parallel, f"{executor.name}: {most} jobs ran at once with parallel={parallel}"
