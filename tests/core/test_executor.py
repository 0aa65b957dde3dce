"""Executors as ``train_all`` uses them: made from a name and options, and a job an executor loses
becomes a failed row of the summary, not a crash."""

from __future__ import annotations

import pytest

from simplex_training.errors import SimplexError, UnknownNameError
from simplex_training.executor import Executor, make_executor, parse_options
from simplex_training.finetune.batch import train_all
from simplex_training.hookspecs import hookimpl

SMALL = {"n_examples": 40, "eval_every": 2, "checkpoint_every": 2, "eval_examples": 4, "batch_size": 4}


class Backwards(Executor):
    """A third party's executor: in this process, last job first; ``lose`` names a job it loses."""

    name = "backwards"

    def __init__(self, lose: str = ""):
        self.lose = lose

    def run(self, jobs, parallel):
        for job in reversed(jobs):
            yield job.key, RuntimeError("worker lost") if job.key == self.lose else job.fn(*job.args)


class _Plugin:
    @hookimpl
    def register_executors(self, register):
        register(Backwards)


def test_options_are_key_value_pairs():
    assert parse_options(["address=tcp://h:1", "threads=2", "empty="]) == {
        "address": "tcp://h:1", "threads": "2", "empty": ""}
    with pytest.raises(SimplexError, match="executor option 'address' is not KEY=VALUE"):
        parse_options(["address"])


def test_an_executor_is_made_by_name_and_its_options_are_checked(register_plugin):
    host = register_plugin(_Plugin(), "test.backwards")
    executors = host.registry("executors")
    assert make_executor(executors, "backwards", {"lose": "x"}).lose == "x"
    with pytest.raises(SimplexError, match=r"executor 'backwards' has no option 'adress' \(its options: lose\)"):
        make_executor(executors, "backwards", {"adress": "x"})
    with pytest.raises(SimplexError, match=r"executor 'local': invalid literal for int\(\) with base 10: 'abc'"):
        make_executor(executors, "local", {"threads": "abc"})
    with pytest.raises(SimplexError, match=r"executor 'local': threads must be >= 1"):
        make_executor(executors, "local", {"threads": "0"})
    with pytest.raises(UnknownNameError, match="backwards"):
        make_executor(executors, "backward")


def test_an_executor_is_registered_as_a_class(simplex_host):
    from simplex_training.errors import RegistrationError

    register = simplex_host.registry("executors").register_for("test.instance")
    with pytest.raises(RegistrationError, match="invalid executor: an executor is a class with a name and a run"):
        register(Backwards())  # an instance: train-all could not make it with options


def test_train_all_runs_on_the_chosen_executor_and_records_a_lost_job(tiny_base, tmp_path, register_plugin):
    register_plugin(_Plugin(), "test.backwards")
    seen = []
    doc = train_all(["sentiment_analysis", "spam_detection"], out_dir=tmp_path, base=tiny_base, steps=2,
                    config_overrides=SMALL, executor="backwards", executor_options={"lose": "spam_detection"},
                    on_result=lambda r: seen.append(r["id"]))
    assert seen == ["spam_detection", "sentiment_analysis"]  # the executor's order
    assert doc["failed"] == ["spam_detection"] and [r["id"] for r in doc["rows"]][0] == "sentiment_analysis"
    lost = next(r for r in doc["rows"] if r["id"] == "spam_detection")
    assert lost["error"] == "RuntimeError: worker lost"


def test_a_worker_that_cannot_see_the_output_directory_trains_nothing(tmp_path):
    from simplex_training.finetune.batch import run_one

    res = run_one("sentiment_analysis", str(tmp_path), {}, marker=".train-all-elsewhere")
    assert res["status"] == "failed" and "not visible on worker" in res["error"] and "shared file system" in res["error"]
    assert list(tmp_path.iterdir()) == []


def test_train_all_leaves_no_marker_behind(tiny_base, tmp_path, register_plugin):
    register_plugin(_Plugin(), "test.backwards")
    train_all(["sentiment_analysis"], out_dir=tmp_path, base=tiny_base, steps=2, config_overrides=SMALL,
              executor="backwards")
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".train-all-")]
