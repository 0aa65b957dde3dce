"""The fine-tuning loop on a tiny base: loss falls, resume after a kill is bit-identical, early stopping."""

from __future__ import annotations

import json

import numpy as np
import pytest

from simplex_training.finetune.batches import tokenize
from simplex_training.finetune.config import ConfigError, FinetuneConfig
from simplex_training.finetune.data import generator_data
from simplex_training.finetune.state import ResumeError, check_identity
from simplex_training.finetune.trainer import finetune
from simplex_training.lora import LoRAConfig, apply_lora
from simplex_training.model.llama import LlamaModel


@pytest.fixture(scope="module")
def items(tiny_parts):
    _, _, tok, _ = tiny_parts
    data = generator_data("sentiment_analysis", 60, seed=0)
    return tokenize(tok, data.train, 128)[0], tokenize(tok, data.val, 128)[0]


def lora_model(tiny_parts, targets=("q", "v")):
    config, weights, _, _ = tiny_parts
    return apply_lora(LlamaModel(config, weights=weights), LoRAConfig(rank=4, alpha=8, targets=list(targets),
                                                                     dropout=0.1))


def run(tiny_parts, items, work, cfg, targets=("q", "v"), **kwargs):
    model = lora_model(tiny_parts, targets)
    result = finetune(model, items[0], items[1], cfg, pad_id=tiny_parts[2].eos_id, work_dir=work, **kwargs)
    return model, result


def test_loss_decreases(tiny_parts, items, tmp_path):
    cfg = FinetuneConfig(steps=24, batch_size=8, lr=2e-2, warmup_steps=2, eval_every=8, patience=0)
    model, res = run(tiny_parts, items, tmp_path, cfg, targets=["all"])
    evals = [r["val_loss"] for r in res.history if r["type"] == "eval"]
    losses = [r["loss"] for r in res.history if r["type"] == "train"]
    assert len(evals) == 3 and evals[-1] < evals[0] - 0.1
    assert np.mean(losses[-5:]) < np.mean(losses[:5]) - 0.1
    assert res.steps == 24 and res.best_step == 24 and not res.stopped_early
    log = [json.loads(line) for line in (tmp_path / "train_log.jsonl").read_text().splitlines()]
    assert log == res.history and {"loss", "lr", "tok_per_s", "grad_norm"} <= set(log[0])
    assert (tmp_path / "checkpoints" / "checkpoint.npz").exists()
    assert any(np.abs(v).max() > 0 for k, v in model.adapter_state_dict().items() if k.endswith("lora_b"))


class Killed(Exception):
    pass


def test_resume_after_kill_is_bit_identical(tiny_parts, items, tmp_path):
    cfg = FinetuneConfig(steps=11, batch_size=6, grad_accum=2, lr=5e-3, eval_every=3, checkpoint_every=4, patience=0,
                         seed=3)
    full, full_res = run(tiny_parts, items, tmp_path / "full", cfg)
    # the run crosses an epoch boundary, so the data position (epoch, batch index) must be restored
    assert [r for r in full_res.history if r["type"] == "train"][-1]["epoch"] >= 1

    def kill_at_6(step, rec):
        if step == 6:  # between the checkpoints of steps 4 and 8
            raise Killed

    with pytest.raises(Killed):
        run(tiny_parts, items, tmp_path / "cut", cfg, progress=kill_at_6)
    resumed, res = run(tiny_parts, items, tmp_path / "cut", cfg, resume=True)
    assert res.resumed_from == 4 and res.steps == 11
    assert full_res.seconds_before_resume == 0 and 0 < res.seconds_before_resume < res.seconds  # steps 1-4 counted
    a, b = full.adapter_state_dict(), resumed.adapter_state_dict()
    assert all(np.array_equal(a[k], b[k]) for k in a)  # bit-identical
    for m1, m2 in zip(full.named_adapters().values(), resumed.named_adapters().values(), strict=True):
        assert m1.dropout_rng.bit_generator.state == m2.dropout_rng.bit_generator.state
    strip = [{k: v for k, v in r.items() if k != "tok_per_s"} for r in full_res.history]
    assert strip == [{k: v for k, v in r.items() if k != "tok_per_s"} for r in res.history]  # log cut back, same curve


def test_early_stopping_counts_evaluations_and_keeps_the_best(tiny_parts, items, tmp_path):
    from simplex_training.checkpoint import load_checkpoint

    # lr far too high: validation gets worse after the first evaluation
    cfg = FinetuneConfig(steps=40, batch_size=8, lr=0.3, warmup_steps=0, schedule="constant", eval_every=2,
                         patience=2, checkpoint_every=100)
    model, res = run(tiny_parts, items, tmp_path, cfg)
    evals = [r for r in res.history if r["type"] == "eval"]
    assert res.stopped_early and res.steps < 40
    assert sum(not e["best"] for e in evals[-2:]) == 2 and len(evals) == res.steps // 2  # patience in evaluations
    assert res.best_val_loss == pytest.approx(min(e["val_loss"] for e in evals), abs=1e-6)
    arrays, state = load_checkpoint(tmp_path / "checkpoints" / "checkpoint.npz")
    best = {k[5:]: v for k, v in arrays.items() if k.startswith("best.")}
    last = {k[8:]: v for k, v in arrays.items() if k.startswith("adapter.")}
    final = model.adapter_state_dict()
    assert all(np.array_equal(final[k], best[k]) for k in final)  # the best adapter is what the run returns
    assert any(not np.array_equal(last[k], best[k]) for k in last)
    assert state["progress"]["stopped_early"] and state["progress"]["best_step"] == res.best_step


def test_patience_zero_never_stops(tiny_parts, items, tmp_path):
    cfg = FinetuneConfig(steps=6, batch_size=8, lr=0.3, schedule="constant", eval_every=1, patience=0, min_delta=10)
    _, res = run(tiny_parts, items, tmp_path, cfg)
    assert res.steps == 6 and not res.stopped_early and res.best_step == 1


def test_resume_refuses_other_settings_or_vocabulary(tiny_parts, items, tmp_path):
    cfg = FinetuneConfig(steps=2, batch_size=8, checkpoint_every=1, eval_every=1)
    run(tiny_parts, items, tmp_path, cfg, base_info={"vocab_size": 512})
    with pytest.raises(ResumeError, match=r"other training settings \(lr=0.002 -> 0.001\)"):
        run(tiny_parts, items, tmp_path, FinetuneConfig(steps=2, batch_size=8, lr=1e-3, checkpoint_every=1,
                                                       eval_every=1), resume=True, base_info={"vocab_size": 512})
    with pytest.raises(ResumeError, match="vocabulary of 512 tokens, this base has 4096"):
        check_identity("ckpt", {"base": {"vocab_size": 512}}, {"base": {"vocab_size": 4096}})
    with pytest.raises(ResumeError, match="other training data"):
        run(tiny_parts, (items[0][:-1], items[1]), tmp_path, cfg, resume=True, base_info={"vocab_size": 512})



def test_resume_auto_continues_a_fitting_checkpoint_and_starts_over_otherwise(tiny_parts, items, tmp_path):
    """``resume="auto"`` (what train-all uses): the same run continues from its checkpoint; a run with
    other settings says why it does not and starts from step 0 instead of failing."""
    cfg = FinetuneConfig(steps=8, batch_size=8, eval_every=2, checkpoint_every=4, patience=0)
    full, _ = run(tiny_parts, items, tmp_path / "full", cfg)

    def kill_at_6(step, rec):
        if step == 6:
            raise Killed

    with pytest.raises(Killed):
        run(tiny_parts, items, tmp_path / "cut", cfg, progress=kill_at_6)
    logs = []
    resumed, res = run(tiny_parts, items, tmp_path / "cut", cfg, resume="auto", log=logs.append)
    assert res.resumed_from == 4 and res.steps == 8
    a, b = full.adapter_state_dict(), resumed.adapter_state_dict()
    assert all(np.array_equal(a[k], b[k]) for k in a)
    other = FinetuneConfig(steps=8, batch_size=8, eval_every=2, checkpoint_every=4, patience=0, lr=1e-3)
    logs.clear()
    _, res = run(tiny_parts, items, tmp_path / "cut", other, resume="auto", log=logs.append)
    assert res.resumed_from is None and res.steps == 8
    assert any(m.startswith("not resuming:") and "lr=0.002 -> 0.001" in m and "step 0" in m for m in logs), logs
    (tmp_path / "cut" / "checkpoints" / "checkpoint.npz").write_bytes(b"not a checkpoint")
    logs.clear()
    _, res = run(tiny_parts, items, tmp_path / "cut", cfg, resume="auto", log=logs.append)
    assert res.resumed_from is None and any("damaged" in m for m in logs), logs

def test_config_validation():
    with pytest.raises(ConfigError, match="unknown fine-tuning setting.*learning_rate"):
        FinetuneConfig.from_dict({"learning_rate": 1})
    with pytest.raises(ConfigError, match="patience must be >= 0"):
        FinetuneConfig(patience=-1)
    cfg = FinetuneConfig.from_dict({"lora": {"rank": 4}, "epochs": 2})
    assert cfg.lora == {"rank": 4} and cfg.total_steps(10, 50.0) == 20 and cfg.warmup(20) == 1
    assert FinetuneConfig(grad_accum=3, epochs=1).total_steps(10, 50.0) == 4
    assert FinetuneConfig(token_budget=8000, batch_size=4).total_steps(5, 20.0) == 100  # tokens / (batch * length)
    assert FinetuneConfig(token_budget=10).total_steps(5, 20.0) == FinetuneConfig.MIN_STEPS


KILL_SCRIPT = """
import os, signal, sys
from simplex_training.finetune.artifacts import load_base
from simplex_training.finetune.batches import tokenize
from simplex_training.finetune.config import FinetuneConfig
from simplex_training.finetune.data import generator_data
from simplex_training.finetune.trainer import finetune
from simplex_training.lora import LoRAConfig, apply_lora
from simplex_training.model.llama import LlamaModel

config, weights, tok, _ = load_base(sys.argv[1])
data = generator_data("sentiment_analysis", 60, seed=0)
model = apply_lora(LlamaModel(config, weights=weights), LoRAConfig(rank=4, alpha=8, targets=["q", "v"], dropout=0.1))
cfg = FinetuneConfig(steps=9, batch_size=6, lr=5e-3, eval_every=3, checkpoint_every=4, patience=0, seed=5)

def die(step, rec):
    if step == 7:
        os.kill(os.getpid(), signal.SIGKILL)

finetune(model, tokenize(tok, data.train, 128)[0], tokenize(tok, data.val, 128)[0], cfg, pad_id=tok.eos_id,
         work_dir=sys.argv[2], progress=die)
"""


def test_resume_after_a_real_sigkill(tiny_base, tiny_parts, items, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "NUMBA_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "SIMPLEX_TRAINING_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(tiny_base), str(tmp_path / "cut")], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == -9, proc.stderr  # SIGKILL at step 7: checkpoint of step 4 on disk, log up to 7
    assert '"step": 7' in (tmp_path / "cut" / "train_log.jsonl").read_text()
    cfg = FinetuneConfig(steps=9, batch_size=6, lr=5e-3, eval_every=3, checkpoint_every=4, patience=0, seed=5)
    full, _ = run(tiny_parts, items, tmp_path / "full", cfg)
    resumed, res = run(tiny_parts, items, tmp_path / "cut", cfg, resume=True)
    assert res.resumed_from == 4 and res.steps == 9
    a, b = full.adapter_state_dict(), resumed.adapter_state_dict()
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_truncate_log_drops_later_and_cut_lines(tmp_path):
    from simplex_training.finetune.state import truncate_log

    path = tmp_path / "log.jsonl"
    path.write_text('{"step": 1}\n{"step": 2}\n{"step": 3}\n{"st')
    assert truncate_log(path, 2) == [{"step": 1}, {"step": 2}]
    assert path.read_text() == '{"step": 1}\n{"step": 2}\n'
    assert truncate_log(path, 0) == [] and path.read_text() == ""
