"""The ``local`` executor: in this process for ``parallel=1``, else spawned worker processes."""

from __future__ import annotations

import os

import pytest

from simplex_training.executor import Job
from simplex_training.plugins.executors.local import LocalExecutor


def test_one_at_a_time_runs_in_this_process():
    """parallel=1 runs here, so a job may be a closure and see in-process state."""
    seen = []
    jobs = [Job("a", lambda: seen.append("a") or os.getpid()), Job("b", lambda: 1 / 0), Job("c", lambda: "c")]
    got = dict(LocalExecutor().run(jobs, 1))
    assert seen == ["a"] and got["a"] == os.getpid() and got["c"] == "c"
    assert isinstance(got["b"], ZeroDivisionError)


def test_workers_run_in_other_processes_with_their_thread_share():
    got = dict(LocalExecutor(threads="1").run([Job(k, os.getenv, ("NUMBA_NUM_THREADS",)) for k in "ab"], 2))
    assert got == {"a": "1", "b": "1"}


def test_a_worker_that_dies_is_reported_and_the_run_ends():
    got = dict(LocalExecutor().run([Job("dies", os._exit, (3,)), Job("other", abs, (-2,))], 2))
    assert set(got) == {"dies", "other"}
    assert isinstance(got["dies"], Exception)  # BrokenProcessPool: the job's worker is gone


def test_threads_must_be_positive():
    with pytest.raises(ValueError, match="threads must be >= 1"):
        LocalExecutor(threads="0")


def test_workers_end_when_their_parent_is_killed(tmp_path):
    """A killed train-all (here SIGKILL, which runs no cleanup) leaves no worker process training on."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import multiprocessing, time, os\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from simplex_training.executor import worker_init\n"
        "if __name__ == '__main__':\n"
        "    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context('spawn'),\n"
        "                               initializer=worker_init, initargs=(1,))\n"
        "    pids = {pool.submit(os.getpid).result() for _ in range(4)}\n"
        "    pool.submit(time.sleep, 60)\n"
        "    print(' '.join(map(str, pids)), flush=True)\n"
        "    time.sleep(60)\n")
    (tmp_path / "parent.py").write_text(script)
    proc = subprocess.Popen([sys.executable, str(tmp_path / "parent.py")], stdout=subprocess.PIPE, text=True)
    workers = [int(p) for p in proc.stdout.readline().split()]
    assert workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    def alive(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    deadline = time.monotonic() + 20
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(p) for p in workers)
