"""``simplex-train train / eval / export / train-all`` on a tiny base, run as a user runs them (subprocesses).

The subprocesses run single-threaded (``NUMBA_NUM_THREADS=1`` ...): results do not depend on it, and
multi-threaded kernels oversubscribe a shared, loaded 2-core machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

ONE_THREAD = {"NUMBA_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
              "SIMPLEX_TRAINING_THREADS": "1"}
SMALL = {"n_examples": 40, "eval_every": 2, "checkpoint_every": 2, "eval_examples": 4, "batch_size": 4}
RUN_FILES = ("adapter.gguf", "merged.gguf", "Modelfile", "adapter_model.safetensors", "adapter_config.json",
             "metrics.json", "loss.png", "train_log.jsonl", "checkpoints/checkpoint.npz")


def run(*args, cwd=None):
    proc = subprocess.run([sys.executable, "-c", "from simplex_training.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, env={**os.environ, **ONE_THREAD}, timeout=300, cwd=cwd)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture(scope="module")
def base(tiny_base):
    """The session's tiny base (tests/conftest.py)."""
    return tiny_base


@pytest.fixture(scope="module")
def trained(base, tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-train")
    (root / "cfg.json").write_text(json.dumps(SMALL))
    proc = run("train", "sentiment_analysis", "--base", base, "--out", root / "out", "--steps", 3, "--seed", 1,
               "--config", root / "cfg.json", "--schedule", "linear")
    assert proc.returncode == 0, proc.stderr
    return root, proc


def test_train_writes_every_file(trained):
    from simplex_training.gguf.reader import read_llama_gguf

    root, proc = trained
    out = root / "out" / "sentiment_analysis"
    for name in RUN_FILES:
        assert (out / name).is_file(), name
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["complete"] and metrics["config"]["schedule"] == "linear" and metrics["config"]["seed"] == 1
    assert set(metrics["comparison"]["metrics"]) == {"accuracy", "macro_f1"} and metrics["training"]["steps"] == 3
    assert "accuracy" in proc.stdout and "files in" in proc.stdout
    hard = metrics["hard_tokens"]  # after 3 steps the tiny model misses most answer tokens
    assert hard[0]["mean_loss"] >= 1.0 and f"{hard[0]['piece']!r} {hard[0]['mean_loss']:.2f}" in proc.stdout
    assert (out / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "FROM ./merged.gguf" in (out / "Modelfile").read_text()
    assert json.loads((out / "adapter_config.json").read_text())["r"] == 8  # the catalog's "simple" preset
    config, _, tok, meta = read_llama_gguf(out / "merged.gguf")
    assert meta["general.file_type"] == 1 and tok.vocab_size == config.vocab_size == 512  # F16
    log = [json.loads(line) for line in (out / "train_log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in log if r["type"] == "train"] == [1, 2, 3]


def test_resume_of_a_finished_run_keeps_the_adapter(trained, base):
    root, _ = trained
    out = root / "out" / "sentiment_analysis"
    before = (out / "adapter.gguf").read_bytes()
    proc = run("train", "sentiment_analysis", "--base", base, "--out", root / "out", "--steps", 3, "--seed", 1,
               "--config", root / "cfg.json", "--schedule", "linear", "--resume")
    assert proc.returncode == 0 and "resumed" in proc.stderr
    assert (out / "adapter.gguf").read_bytes() == before
    proc = run("train", "sentiment_analysis", "--base", base, "--out", root / "out", "--steps", 4, "--seed", 1,
               "--config", root / "cfg.json", "--resume")
    assert proc.returncode == 1 and "other training settings" in proc.stderr and "steps=3 -> 4" in proc.stderr
    assert (out / "metrics.json").is_file()  # a refused resume leaves the finished run intact


def test_eval_json(trained, base):
    root, _ = trained
    proc = run("eval", "sentiment_analysis", "--adapter", root / "out" / "sentiment_analysis", "--base", base,
               "--n", 3, "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["n_test"] == 3 and {"before", "after", "comparison", "passed"} <= set(doc)
    assert doc["comparison"]["metrics"]["accuracy"]["threshold"] == 0.85
    saved = json.loads((root / "out" / "sentiment_analysis" / "metrics.json").read_text())
    assert doc["samples"][0]["prompt"] == saved["samples"][0]["prompt"]  # the same held-out test split


def test_eval_by_a_metadata_field(trained, base):
    root, _ = trained
    run_dir = root / "out" / "sentiment_analysis"
    proc = run("eval", "sentiment_analysis", "--adapter", run_dir, "--base", base, "--n", 4, "--json", "--by", "label")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    groups = doc["by"]["groups"]
    assert doc["by"]["field"] == "label" and sum(g["n"] for g in groups.values()) == 4
    assert all({"accuracy", "macro_f1"} <= set(g["before"]) & set(g["after"]) for g in groups.values())
    text = run("eval", "sentiment_analysis", "--adapter", run_dir, "--base", base, "--n", 4, "--by", "label")
    assert text.returncode == 0 and "  by label:" in text.stdout
    assert all(f"    {name}" in text.stdout for name in groups)
    bad = run("eval", "sentiment_analysis", "--adapter", run_dir, "--base", base, "--n", 4, "--by", "kind")
    assert bad.returncode == 1 and "no test example has metadata field 'kind'" in bad.stderr


def test_eval_and_export_refuse_another_specialists_adapter(trained, base, tmp_path):
    root, _ = trained
    run_dir = root / "out" / "sentiment_analysis"
    for args in (["eval", "spam_detection", "--adapter", run_dir, "--base", base, "-n", 2],
                 ["export", "spam_detection", "--adapter", run_dir, "--base", base, "--format", "peft",
                  "-o", tmp_path / "peft"]):
        proc = run(*args)
        assert proc.returncode == 1 and "is an adapter for 'sentiment_analysis', not 'spam_detection'" in proc.stderr
    assert not (tmp_path / "peft").exists()


def test_eval_without_n_reproduces_the_runs_metrics_and_writes_predictions(trained, base):
    root, _ = trained
    run_dir = root / "out" / "sentiment_analysis"
    preds = root / "preds.jsonl"
    proc = run("eval", "sentiment_analysis", "--adapter", run_dir, "--base", base, "--json", "--predictions", preds)
    assert proc.returncode == 0, proc.stderr
    doc, saved = json.loads(proc.stdout), json.loads((run_dir / "metrics.json").read_text())
    # the run's eval_examples, and the test loss over the whole test split, as training reported them
    assert doc["n_test"] == saved["n_test"] == SMALL["eval_examples"]
    assert doc["after"] == pytest.approx(saved["after"], rel=1e-6) and doc["before"] == pytest.approx(saved["before"])
    rows = [json.loads(line) for line in preds.read_text().splitlines()]
    assert len(rows) == SMALL["eval_examples"] and set(rows[0]) == {"prompt", "gold", "before", "after"}
    assert rows[: len(doc["samples"])] == doc["samples"]


def test_ask_answers_as_eval_decodes_and_names_bad_lines(trained, base):
    root, _ = trained
    run_dir = root / "out" / "sentiment_analysis"
    preds = root / "ask-preds.jsonl"
    assert run("eval", "sentiment_analysis", "--adapter", run_dir, "--base", base, "-n", 3,
               "--predictions", preds).returncode == 0
    rows = [json.loads(line) for line in preds.read_text().splitlines()]
    specialist = None
    for with_adapter, field in ((True, "after"), (False, "before")):
        proc = run("ask", "--base", base, "--file", preds, "--json", *(["--adapter", run_dir] if with_adapter else []))
        assert proc.returncode == 0, proc.stderr
        answers = [json.loads(line) for line in proc.stdout.splitlines()]
        assert [a["prompt"] for a in answers] == [r["prompt"] for r in rows]
        # greedy and the same chat template: eval's answers (cut at its token limit) start ask's
        assert all(a["answer"].startswith(r[field]) for a, r in zip(answers, rows, strict=True))
        specialist = specialist or answers[0]["answer"]
    one = run("ask", "--base", base, "--adapter", run_dir, "--max-tokens", 3, rows[0]["prompt"])
    assert one.returncode == 0 and one.stdout.endswith("\n") and specialist.startswith(one.stdout[:-1])
    bad = root / "bad.jsonl"
    bad.write_text('{"prompt": "fine"}\n\n{"text": "no prompt"}\n')
    proc = run("ask", "--base", base, "--file", bad)
    assert proc.returncode == 1 and "bad.jsonl line 3" in proc.stderr and "'prompt'" in proc.stderr
    assert run("ask", "--base", base).returncode == 2


def test_export_formats(trained, base):
    from simplex_training.gguf.reader import read_llama_gguf
    from simplex_training.plugins.exporters.gguf_adapter import read_gguf_adapter

    root, _ = trained
    adapter = root / "out" / "sentiment_analysis" / "adapter.gguf"
    exp = root / "exp"
    for fmt, dtype, target in (("gguf", "q8_0", exp / "m.gguf"), ("gguf_adapter", None, exp / "a.gguf"),
                               ("peft", None, exp / "peft"), ("modelfile", None, exp / "ollama")):
        extra = ["--dtype", dtype] if dtype else []
        proc = run("export", "sentiment_analysis", "--adapter", adapter, "--base", base, "--format", fmt, "-o",
                   target, *extra)
        assert proc.returncode == 0, proc.stderr
    assert read_llama_gguf(exp / "m.gguf")[3]["general.file_type"] == 7  # Q8_0
    state, meta = read_gguf_adapter(exp / "a.gguf")
    assert meta["simplex.specialist"] == "sentiment_analysis" and any(k.endswith(".lora_b") for k in state)
    assert (exp / "peft" / "adapter_model.safetensors").is_file() and (exp / "peft" / "adapter_config.json").is_file()
    assert "FROM ./sentiment_analysis.gguf" in (exp / "ollama" / "Modelfile").read_text()
    proc = run("export", "sentiment_analysis", "--adapter", adapter, "--base", base, "--format", "peft",
               "--dtype", "f32")
    assert proc.returncode == 2 and "--dtype applies to merged models" in proc.stderr


def test_unknown_id_exits_2_with_suggestions(tmp_path):
    for args in (["train", "sentimet_analysis"], ["eval", "sentimet_analysis", "--adapter", tmp_path],
                 ["export", "sentimet_analysis", "--adapter", tmp_path], ["train-all", "--ids", "sentimet_analysis"]):
        proc = run(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "unknown specialist 'sentimet_analysis'; did you mean sentiment_analysis" in proc.stderr


def test_usage_errors_and_bad_data(base, tmp_path):
    proc = run("train", "sentiment_analysis", "--steps", 2, "--epochs", 1)
    assert proc.returncode == 2 and "--steps or --epochs" in proc.stderr
    proc = run("train", "sentiment_analysis", "--schedule", "step")
    assert proc.returncode == 2 and "Invalid value for '--schedule'" in proc.stderr
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps({"prompt": f"Review {i}: ok", "response": "Sentiment: positive"}) + "\n"
                            for i in range(20)) + '{"prompt": "x"}\n')
    proc = run("train", "sentiment_analysis", "--base", base, "--data", data, "--out", tmp_path, "--steps", 1)
    assert proc.returncode == 1 and f"{data} line 21: has 'prompt' but no 'response'" in proc.stderr
    (tmp_path / "cfg.yaml").write_text("eval_examples: 2\nbatch_size: 4\nlora: {rank: 2}\n")
    proc = run("train", "sentiment_analysis", "--base", base, "--data", data, "--out", tmp_path, "--steps", 1,
               "--skip-bad", "--config", tmp_path / "cfg.yaml")
    assert proc.returncode == 0 and "skipped: " in proc.stderr and "line 21" in proc.stderr
    assert json.loads((tmp_path / "sentiment_analysis" / "adapter_config.json").read_text())["r"] == 2
    (tmp_path / "bad.yaml").write_text("learning_rate: 1\n")
    proc = run("train", "sentiment_analysis", "--base", base, "--config", tmp_path / "bad.yaml")
    assert proc.returncode == 1 and "unknown fine-tuning setting(s) learning_rate" in proc.stderr


def test_train_all_cli(base, tmp_path):
    (tmp_path / "cfg.json").write_text(json.dumps(SMALL))
    args = ["train-all", "--ids", "sentiment_analysis", "--out", tmp_path, "--steps", 2, "--base", base,
            "--config", tmp_path / "cfg.json"]
    proc = run(*args)
    assert proc.returncode == 0, proc.stderr
    assert "| sentiment_analysis | trained | accuracy |" in proc.stdout
    assert (tmp_path / "summary.json").is_file() and (tmp_path / "summary.md").is_file()
    proc = run(*args)
    assert "| sentiment_analysis | skipped |" in proc.stdout and "1 skipped" in proc.stderr
    proc = run("train-all", "--category", "nonsense", "--out", tmp_path)
    assert proc.returncode == 2 and "unknown category 'nonsense'" in proc.stderr
    proc = run("train-all", "--ids", "sentiment_analysis", "--out", tmp_path, "--executor", "daks")
    assert proc.returncode != 0 and "unknown executor 'daks'" in proc.stderr and "dask" in proc.stderr
    proc = run("train-all", "--ids", "sentiment_analysis", "--out", tmp_path, "--executor", "dask",
               "--executor-option", "adress=tcp://h:1")
    assert proc.returncode != 0 and "executor 'dask' has no option 'adress' (its options: address)" in proc.stderr
