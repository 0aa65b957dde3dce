"""The ``dask`` executor: a local cluster when no scheduler is named, a named scheduler otherwise."""

from __future__ import annotations

import os
import sys

import pytest

from simplex_training.errors import SimplexError
from simplex_training.executor import Job
from simplex_training.plugins.executors.dask import DaskExecutor


def test_the_scheduler_comes_from_the_option_or_dasks_own_variable(monkeypatch):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://from-env:8786")
    assert DaskExecutor().address == "tcp://from-env:8786"
    assert DaskExecutor(address="tcp://given:8786").address == "tcp://given:8786"
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS")
    assert DaskExecutor().address is None


def test_jobs_run_on_a_named_scheduler_in_single_threaded_workers():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  env={"NUMBA_NUM_THREADS": "1"}) as cluster:
        got = dict(DaskExecutor(address=cluster.scheduler_address).run(
            [Job(k, os.getpid) for k in "abc"] + [Job("bad", int, ("x",))], 2))
    assert set(got) == {"a", "b", "c", "bad"} and os.getpid() not in {got[k] for k in "abc"}
    assert isinstance(got["bad"], ValueError)


def test_without_distributed_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(SimplexError, match=r"pip install 'simplex-training\[cluster\]'"):
        list(DaskExecutor().run([Job("a", abs, (-1,))], 1))


def test_an_unreachable_scheduler_is_an_error_of_the_run():
    pytest.importorskip("distributed")
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), pytest.raises(OSError):
        list(DaskExecutor(address="tcp://127.0.0.1:9").run([Job("a", abs, (-1,))], 1))


def test_train_all_trains_specialists_on_a_local_dask_cluster(tiny_base, tmp_path):
    pytest.importorskip("distributed")
    from simplex_training.finetune.batch import train_all
    from simplex_training.finetune.pipeline import is_complete

    small = {"n_examples": 40, "eval_every": 2, "checkpoint_every": 2, "eval_examples": 4, "batch_size": 4}
    doc = train_all(["sentiment_analysis", "spam_detection"], parallel=2, out_dir=tmp_path, base=tiny_base, steps=2,
                    config_overrides=small, executor="dask")
    assert doc["failed"] == [] and is_complete(tmp_path, "sentiment_analysis") and is_complete(tmp_path, "spam_detection")
