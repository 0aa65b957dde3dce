"""``simplex-train search`` run as a user runs it (subprocesses, single-threaded, on the tiny base)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

ONE_THREAD = {"NUMBA_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
              "SIMPLEX_TRAINING_THREADS": "1"}
SMALL = {"n_examples": 40, "val_max_examples": 8, "max_seq_len": 128, "eval_examples": 4, "batch_size": 4}


def run(*args):
    proc = subprocess.run([sys.executable, "-c", "from simplex_training.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, env={**os.environ, **ONE_THREAD}, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture(scope="module")
def base(tiny_base):
    """The session's tiny base (tests/conftest.py)."""
    return tiny_base


def test_search_in_parallel_processes_writes_results_and_a_usable_config(base, tmp_path):
    (tmp_path / "cfg.json").write_text(json.dumps(SMALL))
    args = ("search", "sentiment_analysis", "--budget", 4, "--parallel", 2, "--steps", 2, "--seed", 3,
            "--base", base, "--config", tmp_path / "cfg.json")
    proc = run(*args, "--out", tmp_path / "a")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("  trial ") == 4 and "best: trial" in proc.stdout
    folder = tmp_path / "a" / "sentiment_analysis" / "search"
    assert {p.name for p in folder.iterdir()} >= {"results.jsonl", "results.md", "best_config.json", "trials"}
    trials = [json.loads(x) for x in (folder / "results.jsonl").read_text().splitlines()]
    assert len(trials) == 4 and all(t["status"] == "ok" for t in trials)
    # the same seed and round size give the same search, whatever the completion order of the workers
    again = run(*args, "--out", tmp_path / "b")
    assert again.returncode == 0, again.stderr
    other = [json.loads(x) for x in (tmp_path / "b" / "sentiment_analysis" / "search" / "results.jsonl")
             .read_text().splitlines()]
    assert [(t["params"], t["val_loss"]) for t in trials] == [(t["params"], t["val_loss"]) for t in other]


def test_random_method(base, tmp_path):
    (tmp_path / "cfg.yaml").write_text("n_examples: 40\nval_max_examples: 8\nmax_seq_len: 128\n")
    proc = run("search", "sentiment_analysis", "--budget", 2, "--steps", 1, "--method", "random", "--base", base,
               "--config", tmp_path / "cfg.yaml", "--out", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "random search, 2 trials" in proc.stderr and "accepted" not in proc.stderr


def test_usage_errors():
    proc = run("search", "sentiment_analysys")
    assert proc.returncode == 2 and "sentiment_analysis" in proc.stderr  # suggestion
    proc = run("search", "sentiment_analysis", "--method", "tpe")
    assert proc.returncode == 2 and "Invalid value for '--method'" in proc.stderr
    proc = run("search", "sentiment_analysis", "--budget", 0)
    assert proc.returncode == 2
    assert "search" in run("--help").stdout
    assert "best_config.json" in run("search", "--help").stdout
