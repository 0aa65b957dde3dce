"""Executor plugin ``local``: jobs in processes on this machine (the default of ``train-all``).

``parallel=1`` runs the jobs in this process, one after the other (plugins registered in-process,
e.g. in tests or notebooks, are then visible). Otherwise each job runs in a worker of a
``ProcessPoolExecutor`` with the ``spawn`` context (no forked numba/BLAS thread state), and each
worker gets ``cpu_count // parallel`` threads (numba, BLAS, the engine's GEMM pool) so that workers
do not oversubscribe the cores. A worker ends itself when its parent is gone, so a killed
``train-all`` leaves no training processes behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from simplex_training.executor import Executor, Job, worker_init
from simplex_training.hookspecs import hookimpl
from simplex_training.registry import Register


class LocalExecutor(Executor):
    """Processes on this machine; ``threads``: per worker (default ``cpu_count // parallel``)."""

    name = "local"

    def __init__(self, threads: str | int | None = None):
        self.threads = int(threads) if threads is not None else None
        if self.threads is not None and self.threads < 1:
            raise ValueError(f"threads must be >= 1, got {self.threads}")

    def run(self, jobs: Sequence[Job], parallel: int) -> Iterator[tuple[str, Any]]:
        if parallel == 1 or len(jobs) <= 1:
            for job in jobs:
                try:
                    yield job.key, job.fn(*job.args)
                except Exception as exc:  # noqa: BLE001 - reported for this job; the others go on
                    yield job.key, exc
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        threads = self.threads or max(1, (os.cpu_count() or 1) // parallel)
        with ProcessPoolExecutor(max_workers=min(parallel, len(jobs)), mp_context=multiprocessing.get_context("spawn"),
                                 initializer=worker_init, initargs=(threads,)) as pool:
            futures = {pool.submit(job.fn, *job.args): job.key for job in jobs}
            for fut in as_completed(futures):
                try:
                    yield futures[fut], fut.result()
                except Exception as exc:  # noqa: BLE001 - the job raised, or its worker died (e.g. killed)
                    yield futures[fut], exc


class _LocalPlugin:
    @hookimpl
    def register_executors(self, register: Register) -> None:
        register(LocalExecutor)


plugin = _LocalPlugin()
