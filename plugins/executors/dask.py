"""Executor plugin ``dask``: jobs on a Dask ``distributed`` cluster.

``--executor dask --executor-option address=tcp://scheduler:8786`` sends every job to that
cluster's scheduler; without an address, the ``DASK_SCHEDULER_ADDRESS`` environment variable (Dask's
own setting) names one, and without either it starts a local cluster of ``parallel`` single-threaded
worker processes for the run. At most ``parallel`` jobs are submitted at a time. Every worker needs
simplex-training (and any plugin a job uses) installed, and must see the output directory at the
same path (a shared file system), since each job writes its specialist's results there.

A job that raises comes back as its exception; a worker that dies is retried by Dask on another
worker (``distributed.scheduler.allowed-failures``) before the job is reported as failed.
Needs the ``distributed`` package: ``pip install 'simplex-training[cluster]'``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from simplex_training.errors import SimplexError
from simplex_training.executor import THREAD_VARIABLES, Executor, Job
from simplex_training.hookspecs import hookimpl
from simplex_training.registry import Register


class DaskExecutor(Executor):
    """A Dask cluster; ``address``: its scheduler (default ``DASK_SCHEDULER_ADDRESS``, else a local cluster)."""

    name = "dask"

    def __init__(self, address: str | None = None):
        self.address = address or os.environ.get("DASK_SCHEDULER_ADDRESS") or None

    def run(self, jobs: Sequence[Job], parallel: int) -> Iterator[tuple[str, Any]]:
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:
            raise SimplexError("the dask executor needs the distributed package: "
                               "pip install 'simplex-training[cluster]'") from None
        if not jobs:
            return
        cluster = None
        if self.address is None:
            cluster = LocalCluster(n_workers=min(parallel, len(jobs)), threads_per_worker=1, processes=True,
                                   dashboard_address=None, env=dict.fromkeys(THREAD_VARIABLES, "1"))
        try:
            with Client(cluster if cluster is not None else self.address) as client:
                run_id = uuid.uuid4().hex[:8]
                waiting = list(jobs)
                keys = {}

                def submit() -> Any:
                    job = waiting.pop(0)
                    fut = client.submit(job.fn, *job.args, key=f"simplex-{job.key}-{run_id}", pure=False)
                    keys[fut.key] = job.key
                    return fut

                running = as_completed([submit() for _ in range(min(parallel, len(waiting)))])
                for fut in running:
                    try:
                        result = fut.result()
                    except Exception as exc:  # noqa: BLE001 - the job raised, or its workers died
                        result = exc
                    yield keys[fut.key], result
                    fut.release()
                    if waiting:
                        running.add(submit())
        finally:
            if cluster is not None:
                cluster.close()


class _DaskPlugin:
    @hookimpl
    def register_executors(self, register: Register) -> None:
        register(DaskExecutor)


plugin = _DaskPlugin()
