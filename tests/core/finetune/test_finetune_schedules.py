"""``--schedule learned`` and ``--schedule annealing`` in the fine-tuning loop, and resume with ``learned``."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simplex_training.finetune.anneal_state import AnnealTrainingState
from simplex_training.finetune.batches import tokenize
from simplex_training.finetune.config import ConfigError, FinetuneConfig
from simplex_training.finetune.data import generator_data
from simplex_training.finetune.lr_control import lr_schedule_kind, lr_schedule_names
from simplex_training.finetune.trainer import finetune
from simplex_training.lora import LoRAConfig, apply_lora
from simplex_training.model.llama import LlamaModel


@pytest.fixture(scope="module")
def items(tiny_parts):
    _, _, tok, _ = tiny_parts
    data = generator_data("sentiment_analysis", 60, seed=0)
    return tokenize(tok, data.train, 128)[0], tokenize(tok, data.val, 128)[0]


def run(tiny_parts, items, work, cfg, **kwargs):
    config, weights, tok, _ = tiny_parts
    model = apply_lora(LlamaModel(config, weights=weights), LoRAConfig(rank=4, alpha=8, targets=["q", "v"],
                                                                       dropout=0.1))
    return model, finetune(model, items[0], items[1], cfg, pad_id=tok.eos_id, work_dir=work, **kwargs)


def test_every_registered_lr_schedule_is_accepted_and_others_are_not():
    assert {"constant", "linear", "cosine", "learned", "annealing"} <= set(lr_schedule_names())
    assert lr_schedule_kind("learned") == "learned" and lr_schedule_kind("annealing") == "annealing"
    assert lr_schedule_kind("distillation") is None and lr_schedule_kind("nope") is None
    for name in lr_schedule_names():
        assert FinetuneConfig(schedule=name).schedule == name
    with pytest.raises(ConfigError, match="not a registered learning-rate schedule.*learned"):
        FinetuneConfig(schedule="distillation")
    with pytest.raises(ConfigError, match="schedule_options meta_lr not understood by schedule 'cosine'"):
        FinetuneConfig(schedule_options={"meta_lr": 0.1})
    assert FinetuneConfig.from_dict({"schedule": "learned", "schedule_options": {"meta_every": 3}}).schedule_options


def test_bad_schedule_option_values_are_config_errors(tiny_parts, items, tmp_path):
    for schedule, options in (("learned", {"meta_optimizer": "lbfgs"}), ("annealing", {"final_temp": 2.0})):
        with pytest.raises(ConfigError, match=f"schedule '{schedule}' with options"):
            run(tiny_parts, items, tmp_path, FinetuneConfig(steps=1, schedule=schedule, schedule_options=options))


def test_learned_schedule_learns_from_real_hypergradients(tiny_parts, items, tmp_path):
    cfg = FinetuneConfig(steps=12, batch_size=6, lr=2e-3, eval_every=4, patience=0, schedule="learned",
                         schedule_options={"meta_every": 2, "meta_lr": 0.1})
    _, res = run(tiny_parts, items, tmp_path, cfg)
    train = [r for r in res.history if r["type"] == "train"]
    meta = [r for r in res.history if r["type"] == "meta"]
    hs = [r["hypergrad"] for r in train[1:]]
    assert "hypergrad" not in train[0] and len(hs) == 11 and all(math.isfinite(h) for h in hs)
    assert len(meta) == 5  # one meta step per 2 hypergradients
    lr0 = [m["params"]["initial_lr"] for m in meta]
    # the meta step follows the sign of the measured hypergradient: h < 0 (a larger lr lowers the loss) -> lr0 up
    assert np.sign(lr0[-1] - cfg.lr) == -np.sign(np.mean(hs))
    # warmup 1 step, clock t = step + 1, decay ln(lr / min_lr) / steps: lr(1) = lr e^{-ln(10)/12}
    assert train[0]["lr"] == pytest.approx(cfg.lr * math.exp(-math.log(10) / 12))
    lrs = [r["lr"] for r in train]
    assert len(set(lrs)) == len(lrs)


@pytest.mark.parametrize("schedule, options", [("learned", {"meta_every": 3}),
                                               ("annealing", {"reheat_threshold": 1, "patience": 0})])
def test_resume_with_learned_or_annealing_schedule_is_bit_identical(tiny_parts, items, tmp_path, schedule, options):
    # the existing resume test (test_finetune_trainer.py), with the learned schedule: the schedule
    # parameters, meta-Adam moments, hypergradient history and the pending direction u_t come back
    # (and, for annealing, the cooling clock, stagnation and best validation loss). min_delta is above
    # what the validation loss moves in 11 steps (about 0.15), so stagnation builds up whatever the
    # tiny base's exact weights: the resumed run must restore a non-zero count.
    cfg = FinetuneConfig(steps=11, batch_size=6, grad_accum=2, lr=5e-3, eval_every=3, checkpoint_every=4, patience=0,
                         seed=3, schedule=schedule, schedule_options=options, min_delta=0.2)
    full, full_res = run(tiny_parts, items, tmp_path / "full", cfg)

    class Killed(Exception):
        pass

    def kill_at_6(step, rec):
        if step == 6:
            raise Killed

    with pytest.raises(Killed):
        run(tiny_parts, items, tmp_path / "cut", cfg, progress=kill_at_6)
    resumed, res = run(tiny_parts, items, tmp_path / "cut", cfg, resume=True)
    assert res.resumed_from == 4 and res.steps == 11
    a, b = full.adapter_state_dict(), resumed.adapter_state_dict()
    assert all(np.array_equal(a[k], b[k]) for k in a)
    strip = [{k: v for k, v in r.items() if k != "tok_per_s"} for r in full_res.history]
    assert strip == [{k: v for k, v in r.items() if k != "tok_per_s"} for r in res.history]
    if schedule == "learned":
        assert any(r["type"] == "meta" and r["step"] > 4 for r in res.history)
    else:
        assert [r["stagnation"] for r in res.history if r["type"] == "eval"][-1] > 0


def test_anneal_state_stop_fires_on_a_flat_curve_not_on_an_improving_one():
    flat = AnnealTrainingState(100, reheat_threshold=2, patience=4)
    temps, stops = [], []
    for _ in range(8):
        flat.record(1.0)
        temps.append(flat.temperature(10))
        stops.append(flat.should_stop())
    # first evaluation sets the best; then g = 1, 2, ... and the stop fires at g = 5 > 4
    assert stops == [False] * 5 + [True] * 3
    assert all(b > a for a, b in zip(temps[1:], temps[2:]))  # reheat grows with stagnation
    assert flat.reheating and flat.reheat() > 0.45
    improving = AnnealTrainingState(100, reheat_threshold=2, patience=4)
    for i in range(200):
        improving.record(1.0 - 1e-3 * i)
        assert not improving.should_stop() and improving.stagnation == 0
    never = AnnealTrainingState(100, patience=0)
    for _ in range(50):
        never.record(1.0)
    assert not never.should_stop()
    # cooling: without stagnation T goes from 1 to final_temp over the run
    cool = AnnealTrainingState(100, final_temp=0.5)
    assert cool.temperature(0) == pytest.approx(1.0, abs=0.01) and cool.temperature(100) == pytest.approx(0.5, abs=0.01)
    restored = AnnealTrainingState(7)
    restored.load_state_dict(flat.state_dict())
    assert restored.state_dict() == flat.state_dict() and restored.should_stop()


def test_annealing_schedule_in_the_loop_reheats_and_stops(tiny_parts, items, tmp_path):
    # min_delta 10: no evaluation after the first counts as an improvement -> a flat validation curve
    cfg = FinetuneConfig(steps=20, batch_size=8, lr=5e-3, eval_every=1, patience=0, min_delta=10,
                         schedule="annealing", schedule_options={"reheat_threshold": 2, "patience": 3})
    messages: list[str] = []
    _, res = run(tiny_parts, items, tmp_path, cfg, log=messages.append)
    evals = [r for r in res.history if r["type"] == "eval"]
    train = [r for r in res.history if r["type"] == "train"]
    assert res.stopped_early and res.stop_reason == "annealing" and res.steps == 5
    assert [e["stagnation"] for e in evals] == [0, 1, 2, 3, 4] and evals[-1]["anneal_stop"]
    assert [e["reheating"] for e in evals] == [False, False, True, True, True]
    assert all({"temperature", "stagnation", "reheat"} <= set(r) for r in train)
    assert train[-1]["reheat"] > train[1]["reheat"]
    assert any("reheating" in m for m in messages) and any("annealing stop rule" in m for m in messages)
    # lr = cosine x min(T, 1): never above the cosine schedule
    from simplex_training.engine.lr_schedules import CosineSchedule

    cos = CosineSchedule(cfg.lr, total_steps=20, warmup_steps=cfg.warmup(20), min_lr=cfg.floor_lr())
    assert all(r["lr"] <= cos(r["step"] - 1) + 1e-15 for r in train)


def test_plot_lr_writes_a_png(tmp_path):
    from simplex_training.finetune.plot import plot_lr

    history = [{"type": "train", "step": i, "lr": 1e-3 * (1 + i), "hypergrad": -0.1 * i} for i in range(1, 6)]
    path = plot_lr(history, tmp_path / "lr.png", title="t")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
