"""Fixtures for the fine-tuning tests: the tiny base's parts, single-threaded kernels (``tiny_base`` is in tests/conftest.py).

The engine's results do not depend on the number of threads, and on a shared, loaded 2-core machine
multi-threaded numba kernels and BLAS oversubscribe the cores (measured: 24 tiny training steps in
21 s with the default threads, 0.5 s with one), so these tests run with one thread.
"""

from __future__ import annotations


import pytest


@pytest.fixture(autouse=True)
def _one_thread():
    import numba
    from threadpoolctl import threadpool_limits

    previous = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            yield
    finally:
        numba.set_num_threads(previous)


@pytest.fixture(scope="session")
def tiny_parts(tiny_base):
    """(config, weights, tokenizer, metadata) of the tiny base."""
    from simplex_training.finetune.artifacts import load_base

    return load_base(tiny_base)
