"""pass@1 in a sandboxed subprocess: passing, failing, endless, raising and missing programs."""

import time

from simplex_training.metrics.code import extract_code, pass_at_1, run_tests

TESTS = ["assert add(1, 2) == 3", "assert add(-1, 1) == 0"]


def test_passing_failing_timeout_and_exception():
    programs = [
        "def add(a, b):\n    return a + b\n",                    # passes
        "def add(a, b):\n    return a - b\n",                    # wrong answer
        "def add(a, b):\n    while True:\n        pass\n",       # endless loop -> timeout
        "def add(a, b):\n    raise RuntimeError('boom')\n",      # raises
        "def plus(a, b):\n    return a + b\n",                   # entry point missing
        "def add(a, b)\n    return a + b\n",                     # syntax error
    ]
    start = time.monotonic()
    results = pass_at_1(programs, [TESTS] * len(programs), timeout=1.0)
    elapsed = time.monotonic() - start
    assert [r.passed for r in results] == [True, False, False, False, False, False]
    assert results[0].tests_passed == 2 and results[0].error is None
    assert results[1].error == "AssertionError" and results[1].tests_passed == 0  # -1 != 3, -2 != 0
    assert results[2].error == "Timeout"
    assert results[3].error == "RuntimeError"
    assert results[4].error == "NameError"
    assert results[5].error == "SyntaxError"
    assert elapsed < 10.0


def test_partial_pass_is_a_fail_and_exit_is_caught():
    r = run_tests("def add(a, b):\n    return 3\n", TESTS, timeout=5.0)
    assert not r.passed and r.tests_passed == 1 and r.tests_total == 2
    r = run_tests("import sys\nsys.exit(0)\n", TESTS, timeout=5.0)
    assert not r.passed and r.error == "SystemExit"
    r = run_tests("import os\nos._exit(0)\n", TESTS, timeout=5.0)
    assert not r.passed and r.error == "Crash"


def test_memory_limit_and_empty_code():
    r = run_tests("big = bytearray(4 * 1024 ** 3)\ndef add(a, b):\n    return a + b\n", TESTS, timeout=5.0)
    assert not r.passed and r.error == "MemoryError"
    assert run_tests("   ", TESTS).error == "Empty"


def test_extract_code():
    assert extract_code("Here:\n```python\ndef f():\n    return 1\n```\nDone") == "def f():\n    return 1\n"
    assert extract_code("```\nx = 1\n```") == "x = 1\n"
    assert extract_code("def f(): pass") == "def f(): pass"
    assert extract_code(None) == ""
