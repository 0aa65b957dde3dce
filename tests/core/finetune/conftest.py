"""Fixtures for the fine-tuning tests: a tiny pretrained base (built once per session), single-threaded kernels.

The engine's results do not depend on the number of threads, and on a shared, loaded 2-core machine
multi-threaded numba kernels and BLAS oversubscribe the cores (measured: 24 tiny training steps in
21 s with the default threads, 0.5 s with one), so these tests run with one thread.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest


def build_tiny_base(root: Path) -> Path:
    """A seconds-long pretrained llama GGUF (dim 64, 2 layers, vocab 512, context 256), cached in ``root``."""
    from simplex_training.pretrain.run import pretrain, tiny_config

    path = root / "tiny-base.gguf"
    if not path.exists():
        cfg = tiny_config(0)
        cfg = replace(cfg, model=replace(cfg.model, context_length=256), steps=60)
        pretrain(cfg, root / "tiny-base-work", path, log=lambda m: None)
    return path


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
def tiny_base(tmp_path_factory) -> Path:
    import numba
    from threadpoolctl import threadpool_limits

    previous = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            return build_tiny_base(tmp_path_factory.getbasetemp())
    finally:
        numba.set_num_threads(previous)


@pytest.fixture(scope="session")
def tiny_parts(tiny_base):
    """(config, weights, tokenizer, metadata) of the tiny base."""
    from simplex_training.finetune.artifacts import load_base

    return load_base(tiny_base)
