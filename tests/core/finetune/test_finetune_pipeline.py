"""train_specialist on a tiny base (user data formats, clear errors) and train_all (failures, skips, processes)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from simplex_training.data import TrainingExample
from simplex_training.errors import DataError, SimplexError
from simplex_training.finetune.batch import train_all
from simplex_training.finetune.pipeline import is_complete, train_specialist
from simplex_training.generator import Generator
from simplex_training.hookspecs import hookimpl

SMALL = {"n_examples": 40, "eval_every": 2, "checkpoint_every": 2, "eval_examples": 4, "batch_size": 4}


def test_user_jsonl_of_mixed_formats_trains_and_exports(tiny_base, tmp_path):
    rows = []
    for i in range(12):
        rows += [{"prompt": f"Review {i}: works well.\nSentiment?", "completion": "Sentiment: positive",
                  "metadata": {"label": "positive"}},
                 {"messages": [{"role": "user", "content": f"Review {i}: broke."},
                               {"role": "assistant", "content": "Sentiment: negative"},
                               {"role": "user", "content": "Sure?"}, {"role": "assistant", "content": "Yes."}]},
                 {"text": f"Note {i}: plain text is trained whole."}]
    data = tmp_path / "mine.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows) + "{broken\n")
    logs = []
    res = train_specialist("sentiment_analysis", base=tiny_base, data=data, out_dir=tmp_path / "out", steps=3,
                           config_overrides=SMALL, skip_bad=True, log=logs.append)
    assert any("line 37" in m and "not valid JSON" in m for m in logs)
    assert res.training["data"]["skipped"] == 1 and res.metrics["complete"] and is_complete(tmp_path / "out",
                                                                                           "sentiment_analysis")
    assert res.metrics["n_test"] >= 1  # only the prompt/completion rows are scored by generation
    assert "accuracy" in res.metrics["after"] and "test_loss" in res.metrics["after"]
    env = res.metrics["environment"]  # what else the numbers depend on: versions, CPU, BLAS kernels
    assert env["packages"]["numpy"] == np.__version__ and env["packages"]["faker"] and env["cpu"]
    assert env["blas"] and all(b["internal_api"] for b in env["blas"])
    hard = res.metrics["hard_tokens"]  # the specialist's answer tokens with the highest mean test loss
    assert hard and [h["mean_loss"] for h in hard] == sorted((h["mean_loss"] for h in hard), reverse=True)
    with pytest.raises(DataError, match="line 37"):
        train_specialist("sentiment_analysis", base=tiny_base, data=data, out_dir=tmp_path / "o2", steps=1,
                         config_overrides=SMALL)


def test_unsupported_base_names_the_path(tmp_path):
    import gguf

    path = tmp_path / "gpt2.gguf"
    w = gguf.GGUFWriter(str(path), "gpt2")
    w.add_tensor("token_embd.weight", np.zeros((4, 8), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    with pytest.raises(SimplexError, match=rf"cannot use base model {path}: .*'gpt2' is not supported"):
        train_specialist("sentiment_analysis", base=path, out_dir=tmp_path, steps=1)
    with pytest.raises(SimplexError, match="not found"):
        train_specialist("sentiment_analysis", base=tmp_path / "nope.gguf", out_dir=tmp_path, steps=1)


def test_empty_dataset_is_an_error(tiny_base, tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(DataError, match="empty.jsonl: no usable examples"):
        train_specialist("sentiment_analysis", base=tiny_base, data=tmp_path / "empty.jsonl", out_dir=tmp_path)


def test_resume_onto_a_base_with_another_vocabulary_is_refused(tiny_base, tiny_parts, tmp_path):
    from simplex_training.gguf.writer import write_llama_gguf
    from simplex_training.model.llama import LlamaModel
    from simplex_training.tokenizer.spm import SPMTokenizer

    config, _, tok, _ = tiny_parts
    train_specialist("sentiment_analysis", base=tiny_base, out_dir=tmp_path, steps=2, config_overrides=SMALL)
    other_tok = SPMTokenizer.from_pieces([(p, -float(i)) for i, p in enumerate(tok.pieces[262:462])])
    other_cfg = type(config)(**{**config.to_dict(), "vocab_size": other_tok.vocab_size})
    other = write_llama_gguf(tmp_path / "other.gguf", other_cfg, LlamaModel(other_cfg).state_dict(), other_tok)
    with pytest.raises(SimplexError, match=f"vocabulary of 512 tokens, this base has {other_tok.vocab_size}"):
        train_specialist("sentiment_analysis", base=other, out_dir=tmp_path, steps=2, resume=True,
                         config_overrides=SMALL)


class _Broken(Generator):
    name = "broken_gen"
    task_type = "classification"
    labels = ("a", "b")

    def example(self, ctx) -> TrainingExample:  # noqa: ANN001
        raise RuntimeError("this generator is broken on purpose")


class _BrokenPlugin:
    @hookimpl
    def register_specialists(self, register) -> None:  # noqa: ANN001
        register({"id": "broken_one", "name": "Broken", "category": "testing", "description": "fails",
                  "task_type": "classification", "lora_preset": "simple", "size_class": "small",
                  "generator": "broken_gen", "labels": ["a", "b"],
                  "metrics": [{"name": "accuracy", "threshold": 0.5}]})

    @hookimpl
    def register_generators(self, register) -> None:  # noqa: ANN001
        register(_Broken())


def test_train_all_records_a_failure_and_goes_on(tiny_base, tmp_path, register_plugin):
    register_plugin(_BrokenPlugin(), "test.broken_one")
    seen = []
    doc = train_all(["broken_one", "sentiment_analysis"], parallel=1, out_dir=tmp_path, base=tiny_base, steps=2,
                    config_overrides=SMALL, on_result=seen.append)
    assert doc["failed"] == ["broken_one"] and doc["specialists"] == 2
    rows = {(r["id"], r["metric"]): r for r in doc["rows"]}
    assert "broken on purpose" in rows[("broken_one", None)]["error"]
    ok = rows[("sentiment_analysis", "accuracy")]
    assert ok["status"] == "trained" and ok["threshold"] == 0.85 and ok["seconds"] > 0
    md = (tmp_path / "summary.md").read_text()
    assert "| sentiment_analysis | trained | accuracy |" in md and "broken on purpose" in md
    assert md.startswith("| id | status | metric | base | specialist | beats base | threshold | pass | seconds |")
    assert ok["beats_base"] == (ok["value"] > ok["before"])
    assert json.loads((tmp_path / "summary.json").read_text()) == doc
    again = train_all(["sentiment_analysis"], parallel=1, out_dir=tmp_path, base=tiny_base, steps=2,
                      config_overrides=SMALL)
    assert again["skipped"] == ["sentiment_analysis"]  # complete metrics.json: not retrained
    skipped = {(r["id"], r["metric"]): r for r in again["rows"]}[("sentiment_analysis", "accuracy")]
    assert skipped["seconds"] == ok["seconds"] and skipped["value"] == ok["value"]  # the same row, as trained
    with pytest.raises(SimplexError, match="unknown specialist 'sentimnt_analysis'"):
        train_all(["sentimnt_analysis"], out_dir=tmp_path)



def test_train_all_trains_again_what_another_base_or_other_settings_made(tiny_base, tmp_path):
    """A complete result is reused only for the same base (content hash) and settings."""
    from simplex_training.finetune.pipeline import run_identity

    train_all(["sentiment_analysis"], out_dir=tmp_path, base=tiny_base, steps=2, config_overrides=SMALL)
    metrics_path = tmp_path / "sentiment_analysis" / "metrics.json"
    doc = json.loads(metrics_path.read_text())
    assert doc["base"]["sha256"] == run_identity("sentiment_analysis", base=tiny_base)["base_sha256"]
    logs = []
    again = train_all(["sentiment_analysis"], out_dir=tmp_path, base=tiny_base, steps=3, config_overrides=SMALL,
                      log=logs.append)
    assert again["skipped"] == [] and json.loads(metrics_path.read_text())["config"]["steps"] == 3
    assert any("other settings (steps)" in m and "training it again" in m for m in logs), logs
    doc = json.loads(metrics_path.read_text())
    doc["base"]["sha256"] = "0" * 16  # as if another base had made it
    metrics_path.write_text(json.dumps(doc))
    logs.clear()
    again = train_all(["sentiment_analysis"], out_dir=tmp_path, base=tiny_base, steps=3, config_overrides=SMALL,
                      log=logs.append)
    assert again["skipped"] == [] and any("another base model" in m for m in logs), logs
    same = train_all(["sentiment_analysis"], out_dir=tmp_path, base=tiny_base, steps=3, config_overrides=SMALL)
    assert same["skipped"] == ["sentiment_analysis"]


class _BudgetedPlugin:
    """A specialist whose catalog entry carries its own training defaults."""

    @hookimpl
    def register_specialists(self, register) -> None:  # noqa: ANN001
        register({"id": "budgeted_sentiment", "name": "Budgeted", "category": "testing", "description": "d",
                  "task_type": "classification", "lora_preset": "simple", "size_class": "small",
                  "generator": "sentiment_analysis", "labels": ["positive", "negative", "neutral", "mixed"],
                  "metrics": [{"name": "accuracy", "threshold": 0.5}],
                  "training": {"steps": 3, "eval_examples": 2, "lr": 0.003}})


def test_catalog_training_defaults_apply_and_options_override_them(tiny_base, tmp_path, register_plugin):
    from simplex_training.finetune.pipeline import build_config

    register_plugin(_BudgetedPlugin(), "test.budgeted")
    doc = train_all(["budgeted_sentiment"], out_dir=tmp_path, base=tiny_base, config_overrides=SMALL)
    saved = json.loads((tmp_path / "budgeted_sentiment" / "metrics.json").read_text())["config"]
    assert (saved["steps"], saved["lr"], saved["eval_examples"]) == (3, 0.003, 4)  # entry, entry, config file
    assert doc["failed"] == []
    again = train_all(["budgeted_sentiment"], out_dir=tmp_path, base=tiny_base, config_overrides=SMALL)
    assert again["skipped"] == ["budgeted_sentiment"]  # the entry's defaults are part of the run's identity
    defaults = {"steps": 3, "lr": 0.003, "lora": {"rank": 4}}
    assert build_config({"epochs": 2.0}, defaults=defaults).steps is None  # one length choice, the user's
    assert build_config({"token_budget": 9}, defaults=defaults).to_dict()["steps"] is None
    merged = build_config({"lora": {"alpha": 8}}, steps=5, defaults=defaults)
    assert (merged.steps, merged.lr, merged.lora) == (5, 0.003, {"rank": 4, "alpha": 8})


def test_the_default_lr_follows_the_lora_scale():
    from simplex_training.finetune.config import default_lr
    from simplex_training.finetune.pipeline import build_config, lora_config
    from simplex_training.pluginmanager import get_host

    specialists = get_host().registry("specialists")
    for sid, scale in (("sentiment_analysis", 2.0), ("table_qa", 2.0), ("sql_generation", 64 / 32**0.5)):
        entry = specialists[sid]
        cfg = build_config(defaults=entry.training, entry=entry)
        assert lora_config(entry, cfg).scale == pytest.approx(scale)
        assert cfg.lr * scale == pytest.approx(4e-3)  # scale x lr of the simple and standard presets at 2e-3
        assert build_config({"lr": 1e-3}, defaults=entry.training, entry=entry).lr == 1e-3  # set: used as given
        assert build_config(defaults={**entry.training, "lr": 5e-3}, entry=entry).lr == 5e-3
    entry = specialists["sql_generation"]  # a config file's LoRA settings count: alpha 16 at rsLoRA r=32
    assert build_config({"lora": {"alpha": 16}}, defaults=entry.training, entry=entry).lr == pytest.approx(
        default_lr(16 / 32**0.5))
    assert build_config({"lora_preset": "simple"}, defaults=entry.training, entry=entry).lr == 2e-3
    assert default_lr(1.0) == 2e-3  # a smaller scale keeps 2e-3


def test_train_all_runs_specialists_in_processes(tiny_base, tmp_path):
    doc = train_all(["sentiment_analysis", "spam_detection"], parallel=2, out_dir=tmp_path, base=tiny_base, steps=2,
                    config_overrides=SMALL)
    assert doc["failed"] == [] and doc["skipped"] == []
    assert {r["id"] for r in doc["rows"]} == {"sentiment_analysis", "spam_detection"}
    assert is_complete(tmp_path, "sentiment_analysis") and is_complete(tmp_path, "spam_detection")


def test_summary_rows_say_whether_the_specialist_beats_the_base_in_the_metric_direction():
    from simplex_training.finetune.batch import summary_rows

    def result(name, before, after, higher):
        return {"id": "x", "status": "trained", "seconds": 1.0, "comparison": {"metrics": {name: {
            "before": before, "after": after, "threshold": 0.5, "higher_is_better": higher, "passed": True}}}}

    rows = summary_rows([result("accuracy", 0.2, 0.9, True), result("ece", 0.4, 0.05, False),
                         result("ece", 0.05, 0.4, False), result("accuracy", 0.9, 0.9, True)])
    assert [r["beats_base"] for r in rows] == [True, True, False, False]


class _Stop(Exception):
    pass


def test_a_resumed_run_counts_the_training_time_before_it(tiny_base, tmp_path):
    """``total_seconds`` (train-all's "seconds") covers the training done before a kill, not only
    the run that resumed it."""
    def stop_at_4(step, rec):
        if step == 4:
            raise _Stop

    with pytest.raises(_Stop):
        train_specialist("sentiment_analysis", base=tiny_base, out_dir=tmp_path, steps=6, config_overrides=SMALL,
                         progress=stop_at_4)
    res = train_specialist("sentiment_analysis", base=tiny_base, out_dir=tmp_path, steps=6, config_overrides=SMALL,
                           resume=True)
    t = res.training
    assert t["resumed_from"] == 4 and 0 < t["seconds_before_resume"] < t["seconds"]
    assert t["total_seconds"] >= t["seconds"] + t["eval_seconds"]
