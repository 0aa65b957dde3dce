"""Hyperparameter search: the space, determinism, failing trials, both methods, best_config through ``train``."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from simplex_training.finetune import search as search_mod
from simplex_training.finetune.config import FinetuneConfig
from simplex_training.finetune.search_space import (GRADES, KEYS, LR_RANGE, TARGETS, initial_point, neighbor,
                                                    random_point, to_overrides)

SMALL = {"n_examples": 40, "val_max_examples": 8, "max_seq_len": 128, "eval_examples": 4, "batch_size": 4}


def in_space(p):
    return (LR_RANGE[0] <= p["lr"] <= LR_RANGE[1] and p["targets"] in TARGETS
            and all(p[k] in v for k, v in GRADES.items()) and set(p) == set(KEYS))


def test_space_neighbours_change_one_or_two_settings_and_stay_inside():
    from simplex_training.catalog import LORA_PRESETS

    start = initial_point(FinetuneConfig(), LORA_PRESETS["standard"])
    assert start == {"lr": 2e-3, "rank": 16, "alpha_ratio": 2.0, "dropout": 0.05, "batch_size": 8, "targets": "all"}
    assert initial_point(FinetuneConfig(lora={"rank": 5, "targets": ["q", "k", "v", "o"]}),
                         LORA_PRESETS["complex"])["targets"] == "qkvo"
    rng = np.random.default_rng(0)
    changed = []
    p = start
    for _ in range(300):
        q = neighbor(p, rng)
        n = sum(q[k] != p[k] for k in KEYS)
        assert in_space(q) and n <= 2
        changed.append(n)
        p = q
    assert set(changed) >= {1, 2}
    assert all(in_space(random_point(rng)) for _ in range(50))
    over = to_overrides(start)
    cfg = FinetuneConfig.from_dict(over)
    assert cfg.lora == {"rank": 16, "alpha": 32.0, "dropout": 0.05, "targets": ["all"]}


def run_search(tiny_base, out, **kw):
    args = {"budget": 4, "steps": 2, "seed": 1, "base": tiny_base, "config_overrides": SMALL, **kw}
    return search_mod.search("sentiment_analysis", out_dir=out, **args)


def summary(result):
    return [(t["params"], t.get("val_loss"), t["status"], t.get("accepted")) for t in result["trials"]]


def test_search_is_deterministic_and_writes_its_files(tiny_base, tmp_path):
    a = run_search(tiny_base, tmp_path / "a")
    b = run_search(tiny_base, tmp_path / "b")
    assert summary(a) == summary(b) and len(a["trials"]) == 4
    from simplex_training.pluginmanager import get_host

    entry = get_host().registry("specialists")["sentiment_analysis"]
    assert a["trials"][0]["params"] == initial_point(FinetuneConfig.from_dict(SMALL), entry.lora)
    folder = tmp_path / "a" / "sentiment_analysis" / "search"
    lines = [json.loads(x) for x in (folder / "results.jsonl").read_text().splitlines()]
    assert [x["trial"] for x in lines] == [0, 1, 2, 3] and all("temperature" in x for x in lines)
    losses = [float(row.split("|")[3]) for row in (folder / "results.md").read_text().splitlines()[4:]]
    assert losses == sorted(losses) and min(losses) == pytest.approx(a["best"]["val_loss"], abs=1e-4)
    best = json.loads((folder / "best_config.json").read_text())
    assert best["lr"] == a["best"]["params"]["lr"] and best["n_examples"] == 40 and "steps" not in best
    FinetuneConfig.from_dict(best)  # a valid config file


def test_a_failing_trial_is_recorded_and_the_search_goes_on(tiny_base, tmp_path, monkeypatch):
    real = search_mod.run_trial

    def flaky(trial):
        if trial["work_dir"].endswith("001"):
            raise RuntimeError("out of memory (simulated)")
        return real(trial)

    monkeypatch.setattr(search_mod, "run_trial", flaky)
    result = run_search(tiny_base, tmp_path, budget=3)
    statuses = [t["status"] for t in result["trials"]]
    assert statuses == ["ok", "failed", "ok"]
    failed = result["trials"][1]
    assert "out of memory (simulated)" in failed["error"] and failed["accepted"] is False
    assert result["best"]["status"] == "ok"
    md = (tmp_path / "sentiment_analysis" / "search" / "results.md").read_text()
    assert md.strip().splitlines()[-1].count("failed: RuntimeError: out of memory") == 1  # failures listed last


def test_random_and_anneal_both_run_from_the_same_start(tiny_base, tmp_path):
    ann = run_search(tiny_base, tmp_path / "anneal", budget=3)
    rnd = run_search(tiny_base, tmp_path / "random", budget=3, method="random")
    assert ann["trials"][0]["params"] == rnd["trials"][0]["params"]
    assert all(t["status"] == "ok" for t in ann["trials"] + rnd["trials"])
    assert "accepted" not in rnd["trials"][1] and "accepted" in ann["trials"][1]
    # anneal proposes neighbours (1-2 settings changed), random samples anything
    start = ann["trials"][0]["params"]
    assert sum(ann["trials"][1]["params"][k] != start[k] for k in KEYS) <= 2
    assert rnd["trials"][1]["params"] != ann["trials"][1]["params"]


def test_best_config_round_trip_through_train(tiny_base, tmp_path):
    result = run_search(tiny_base, tmp_path, budget=2)
    best = tmp_path / "sentiment_analysis" / "search" / "best_config.json"
    env = {**os.environ, "NUMBA_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "SIMPLEX_TRAINING_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-c", "from simplex_training.cli import main; main()", "train",
                           "sentiment_analysis", "--base", str(tiny_base), "--out", str(tmp_path / "out"), "--steps",
                           "2", "--config", str(best), "--no-progress"], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    metrics = json.loads((tmp_path / "out" / "sentiment_analysis" / "metrics.json").read_text())
    p = result["best"]["params"]
    assert metrics["config"]["lr"] == p["lr"] and metrics["config"]["batch_size"] == p["batch_size"]
    assert metrics["training"]["lora"]["rank"] == p["rank"]
    assert metrics["training"]["lora"]["alpha"] == p["rank"] * p["alpha_ratio"]
    assert (tmp_path / "out" / "sentiment_analysis" / "lr.png").exists()


def test_the_search_starts_where_train_would_default_lr_included():
    from simplex_training.finetune.pipeline import build_config
    from simplex_training.finetune.search import start
    from simplex_training.pluginmanager import get_host

    specialists = get_host().registry("specialists")
    for sid in ("sentiment_analysis", "sql_generation"):  # scale 2 and the rsLoRA code preset (scale 11.3)
        entry = specialists[sid]
        settings, point = start(entry, {"steps": 7})
        assert "steps" not in settings
        assert point["lr"] == pytest.approx(build_config(defaults=entry.training, entry=entry).lr, rel=1e-2)
    assert start(specialists["sql_generation"], {"lr": 1e-3})[1]["lr"] == 1e-3
