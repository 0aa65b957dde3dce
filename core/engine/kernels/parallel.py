"""The engine's one thread pool: chunked parallel loops that neither spin nor wait for late threads.

Why not OpenBLAS's own threads and numba's ``prange``? On a small, shared machine (2 cores with a
training run in the background) both spin-wait between calls and split work statically, so a
descheduled thread stalls everyone while its partner burns CPU: measured on the reference model,
a step took 4.0 s wall / 2.7 s CPU with 2 BLAS + 2 numba threads against 0.87 s / 0.58 s with one.

Here work is cut into chunks whose boundaries depend only on the problem shape (never on the
thread count or on timing, so results are bit-identical for any number of threads); the calling
thread and the helper threads claim chunks from a shared counter until none are left. The caller
only waits for chunks that a helper has already started: a helper that is not scheduled in time
finds the counter exhausted and does nothing. Idle helpers block on a queue (no spinning).
Every BLAS call made from chunks runs single-threaded (:func:`blas_single`), and the numba kernels
are compiled serial and ``nogil``.

``workers() -> int``   threads a parallel loop may use now:
    min(``SIMPLEX_TRAINING_THREADS`` or cpu_count (max 8), ``numba.get_num_threads()``), so
    ``NUMBA_NUM_THREADS=1`` / ``numba.set_num_threads(1)`` also makes the engine single-threaded.
``parallel_for(fn, n_chunks)``   fn(i) for i in range(n_chunks), chunks spread over the pool.
``blas_single()``   context manager: BLAS limited to one thread (re-entrant, thread-safe).
``for_ranges(kernel, n, grain, *args)``   kernel(*args, lo, hi) over ranges of [0, n) in the pool.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import threading
from collections.abc import Callable, Iterator

import numba
import numba.np.ufunc.parallel as _numba_parallel

__all__ = ["workers", "parallel_for", "for_ranges", "blas_single"]

_MAX = int(os.environ.get("SIMPLEX_TRAINING_THREADS", 0)) or min(os.cpu_count() or 1, 8)
_local = threading.local()  # .helper: True on pool threads (no nested parallel loops)
_queue: queue.SimpleQueue = queue.SimpleQueue()
_started = 0
_start_lock = threading.Lock()


def workers() -> int:
    """Threads available to a parallel loop started from this thread now."""
    if _MAX <= 1 or getattr(_local, "helper", False):
        return 1
    if _numba_parallel._is_initialized:  # numba.set_num_threads() may have lowered it
        n = numba.get_num_threads()
    else:  # do not start numba's own thread pool just to read the setting
        n = numba.config.NUMBA_NUM_THREADS
    return max(1, min(_MAX, n))


class _Job:
    __slots__ = ("fn", "n", "counter", "done", "lock", "event", "error")

    def __init__(self, fn: Callable[[int], None], n: int) -> None:
        self.fn = fn
        self.n = n
        self.counter = itertools.count()  # next() is atomic under the GIL
        self.done = 0
        self.lock = threading.Lock()
        self.event = threading.Event()
        self.error: BaseException | None = None

    def work(self) -> None:
        n, fn = self.n, self.fn
        while True:
            i = next(self.counter)
            if i >= n:
                return
            try:
                if self.error is None:
                    fn(i)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
                self.error = exc
            with self.lock:
                self.done += 1
                if self.done == n:
                    self.event.set()


def _helper() -> None:
    _local.helper = True
    while True:
        job = _queue.get()
        job.work()


def _ensure_helpers(k: int) -> None:
    global _started
    if _started >= k:
        return
    with _start_lock:
        while _started < k:
            threading.Thread(target=_helper, name=f"simplex-engine-{_started}", daemon=True).start()
            _started += 1


def _after_fork_in_child() -> None:
    """Threads do not survive fork: start fresh helpers (and a fresh queue) when needed."""
    global _queue, _started, _start_lock, _blas_lock, _blas_depth
    _queue = queue.SimpleQueue()
    _started = 0
    _start_lock = threading.Lock()
    _blas_lock = threading.Lock()
    _blas_depth = 0
    _blas_saved.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def parallel_for(fn: Callable[[int], None], n: int) -> None:
    """Run fn(0) .. fn(n-1), possibly concurrently; returns when all are done (re-raises)."""
    w = min(workers(), n)
    if w <= 1:
        for i in range(n):
            fn(i)
        return
    _ensure_helpers(w - 1)
    job = _Job(fn, n)
    for _ in range(w - 1):
        _queue.put(job)
    job.work()
    job.event.wait()
    job.fn = None  # a helper that dequeues the job late finds no chunk; drop the arrays now
    if job.error is not None:
        raise job.error


# ---------------------------------------------------------------------- BLAS thread limit
_blas_lock = threading.Lock()
_blas_depth = 0
_blas_saved: list[tuple[object, int]] = []
_blas_libs: list | None = None


def _libs() -> list:
    global _blas_libs
    if _blas_libs is None:
        from threadpoolctl import ThreadpoolController

        _blas_libs = list(ThreadpoolController().select(user_api="blas").lib_controllers)
    return _blas_libs


@contextlib.contextmanager
def blas_single() -> Iterator[None]:
    """BLAS limited to one thread inside the block (the outermost block restores the setting)."""
    global _blas_depth
    with _blas_lock:
        if _blas_depth == 0:
            _blas_saved.clear()
            for lib in _libs():
                n = lib.get_num_threads()
                if n != 1:
                    lib.set_num_threads(1)
                    _blas_saved.append((lib, n))
        _blas_depth += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_depth -= 1
            if _blas_depth == 0:
                for lib, n in _blas_saved:
                    lib.set_num_threads(n)
                _blas_saved.clear()


# ---------------------------------------------------------------------- serial kernels on ranges
CHUNKS_PER_WORKER = 4  # more chunks than threads: a late thread just takes fewer


def for_ranges(kernel: Callable[..., None], n: int, grain: int, *args: object) -> None:
    """``kernel(*args, lo, hi)`` over [0, n) split into ranges of at least ``grain`` items.

    For kernels whose items are independent (rows, elements, column blocks), so the result does
    not depend on the split; ``kernel`` should be a serial ``nogil`` numba function.
    """
    w = workers()
    if w <= 1 or n < 2 * grain:
        kernel(*args, 0, n)
        return
    k = min(w * CHUNKS_PER_WORKER, n // grain)
    size = -(-n // k)
    k = -(-n // size)

    def run(i: int) -> None:
        lo = i * size
        kernel(*args, lo, min(lo + size, n))

    parallel_for(run, k)
