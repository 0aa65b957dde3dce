"""Contract of every registered executor (:func:`simplex_training.executor.check_executor_contract`):
every job's result or exception comes back once, a failing job does not stop the others, and no
more than ``parallel`` jobs run at once; one at a time as well as two."""

import pytest

from simplex_training.executor import Executor, check_executor_contract
from simplex_training.pluginmanager import get_host

EXECUTORS = get_host().registry("executors")


def test_the_built_in_executors_are_registered():
    assert {"local", "dask"} <= set(EXECUTORS)


@pytest.mark.parametrize("name", sorted(EXECUTORS))
@pytest.mark.parametrize("parallel", [1, 2])
def test_executor_contract(name, parallel):
    cls = EXECUTORS[name]
    assert issubclass(cls, Executor) and cls.name == name
    check_executor_contract(cls(), parallel=parallel)
