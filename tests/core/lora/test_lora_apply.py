"""apply_lora / LoRAModel / LoRAConfig: targeting, freezing, presets, state dict, merge, QLoRA."""

from __future__ import annotations

import numpy as np
import pytest

from simplex_training.catalog import LORA_PRESETS
from simplex_training.engine.optim import AdamW
from simplex_training.lora import LoRAConfig, LoRALinear, apply_lora, merged_weights
from simplex_training.model.config import LlamaConfig
from simplex_training.model.llama import LlamaModel
from simplex_training.model.reference import random_weights

BLOCK = ("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down")


def _model(tied: bool = False, seed: int = 0) -> LlamaModel:
    cfg = LlamaConfig(vocab_size=96, dim=64, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=128, context_length=32,
                      tied_output=tied)
    return LlamaModel(cfg, weights=random_weights(cfg, seed=seed))


def _ids() -> np.ndarray:
    return np.random.default_rng(0).integers(0, 96, size=(2, 9))


def _randomize(lm, seed: int = 1) -> None:  # noqa: ANN001
    rng = np.random.default_rng(seed)
    lm.load_adapter_state_dict({k: rng.standard_normal(v.shape) * 0.05 for k, v in lm.adapter_state_dict().items()})


def _names(model, targets, exclude=()) -> list[str]:  # noqa: ANN001
    return list(apply_lora(model, LoRAConfig(targets=list(targets), exclude=list(exclude))).named_adapters())


def test_short_names_all_glob_and_exclude():
    assert _names(_model(), ["q", "v"]) == [f"blk.{i}.attn_{k}.weight" for i in range(2) for k in "qv"]
    assert _names(_model(), ["all"]) == [f"blk.{i}.{k}.weight" for i in range(2) for k in BLOCK]
    assert _names(_model(), ["all", "output"])[-1] == "output.weight"
    assert _names(_model(), ["q_proj", "down_proj"]) == ["blk.0.attn_q.weight", "blk.0.ffn_down.weight",
                                                          "blk.1.attn_q.weight", "blk.1.ffn_down.weight"]
    assert _names(_model(), ["blk.*.attn_q.weight"]) == ["blk.0.attn_q.weight", "blk.1.attn_q.weight"]
    assert _names(_model(), ["blk.1.ffn_*"]) == [f"blk.1.{k}.weight" for k in ("ffn_gate", "ffn_up", "ffn_down")]
    assert _names(_model(), ["all"], exclude=["blk.0.", "down"]) == [f"blk.1.{k}.weight" for k in BLOCK[:-1]]
    assert _names(_model(), ["output.weight"]) == ["output.weight"]  # exact, not "attn_output.weight"
    assert _names(_model(), ["o"], exclude=["blk.1.attn_output.weight"]) == ["blk.0.attn_output.weight"]


def test_bad_targets_raise_clear_errors():
    with pytest.raises(ValueError, match="tied embeddings"):
        apply_lora(_model(tied=True), LoRAConfig(targets=["q", "output"]))
    with pytest.raises(ValueError, match="tied embeddings"):
        apply_lora(_model(tied=True), LoRAConfig(targets=["lm_head"]))
    with pytest.raises(ValueError, match="token embedding is never adapted"):
        LoRAConfig(targets=["token_embd"])
    with pytest.raises(ValueError, match="matches no linear layer"):
        apply_lora(_model(), LoRAConfig(targets=["blk.9.*"]))
    with pytest.raises(ValueError, match="leave no layer"):
        apply_lora(_model(), LoRAConfig(targets=["q"], exclude=["q"]))
    assert _names(_model(tied=True), ["all"])[-1] == "blk.1.ffn_down.weight"


def test_config_validation():
    for kwargs, msg in [({"rank": 0}, "rank"), ({"alpha": 0}, "alpha"), ({"dropout": 1.0}, "dropout"),
                        ({"quantize_base": "q5_k"}, "quantize_base"), ({"targets": []}, "empty"),
                        ({"init": "xavier"}, "init")]:
        with pytest.raises(ValueError, match=msg):
            LoRAConfig(**kwargs)


@pytest.mark.parametrize("name", sorted(LORA_PRESETS))
def test_presets(name):
    cfg = LoRAConfig.from_preset(name)
    p = LORA_PRESETS[name]
    assert (cfg.rank, cfg.alpha, cfg.targets, cfg.rslora, cfg.dropout) == (p["rank"], p["alpha"], p["targets"],
                                                                           p["rslora"], p["dropout"])
    expected_scale = p["alpha"] / (np.sqrt(p["rank"]) if p["rslora"] else p["rank"])
    assert cfg.scale == pytest.approx(expected_scale)
    lm = apply_lora(_model(), cfg)
    n_kinds = 7 if "all" in p["targets"] else len(p["targets"])
    assert len(lm.named_adapters()) == 2 * n_kinds
    assert LoRAConfig.from_preset(name, rank=4).rank == 4
    with pytest.raises(ValueError, match="unknown LoRA preset"):
        LoRAConfig.from_preset("huge")


def test_apply_freezes_base_and_counts_parameters():
    model = _model()
    lm = apply_lora(model, LoRAConfig(rank=4, targets=["q", "v"]))
    trainable = [p for p in model.parameters() if p.requires_grad]
    assert {id(p) for p in trainable} == {id(p) for p in lm.lora_parameters()}
    assert lm.num_trainable() == 2 * (4 * 64 + 64 * 4) + 2 * (4 * 64 + 32 * 4)
    assert lm.num_total() == sum(int(np.prod(s)) for s in model.config.weight_shapes().values()) + lm.num_trainable()
    assert isinstance(model.blocks[0].attn.attn_q, LoRALinear)
    assert model.named_weights()["blk.0.attn_q.weight"] is model.blocks[0].attn.attn_q.weight
    with pytest.raises(ValueError, match="already has a LoRA adapter"):
        apply_lora(model, LoRAConfig(targets=["q"]))


def test_training_step_touches_only_a_and_b():
    model = _model()
    lm = apply_lora(model, LoRAConfig(rank=4, targets=["all", "output"], dropout=0.1))
    _randomize(lm)
    before = model.state_dict()
    opt = AdamW(lm.lora_parameters(), lr=1e-2)
    ids = _ids()
    lm.loss(ids[:, :-1], ids[:, 1:]).backward()
    assert all(p.grad is None for p in model.named_weights().values())
    assert all(p.grad is not None for p in lm.lora_parameters())
    opt.step()
    assert len(opt.state) == len(lm.lora_parameters())
    after = model.state_dict()
    assert all(np.array_equal(before[k], after[k]) for k in before)


def test_fresh_adapter_is_identity_and_eval_is_deterministic():
    ref = _model()(_ids()).data
    model = _model()
    lm = apply_lora(model, LoRAConfig.from_preset("complex"))
    assert np.array_equal(lm(_ids()).data, ref)
    _randomize(lm)
    lm.eval()
    assert np.array_equal(lm(_ids()).data, lm(_ids()).data)
    lm.train()
    assert not np.array_equal(lm(_ids()).data, lm(_ids()).data)  # dropout 0.1 in training


def test_state_dict_round_trip_and_errors():
    lm = apply_lora(_model(), LoRAConfig(rank=4, targets=["q", "o"]))
    _randomize(lm)
    state = lm.adapter_state_dict()
    assert state["blk.0.attn_q.weight.lora_a"].shape == (4, 64)
    assert state["blk.0.attn_q.weight.lora_b"].shape == (64, 4)
    other = apply_lora(_model(), LoRAConfig(rank=4, targets=["q", "o"], seed=5))
    other.load_adapter_state_dict(state)
    assert all(np.array_equal(state[k], v) for k, v in other.adapter_state_dict().items())
    missing = dict(state)
    del missing["blk.1.attn_output.weight.lora_b"]
    with pytest.raises(ValueError, match="missing tensor 'blk.1.attn_output.weight.lora_b'"):
        other.load_adapter_state_dict(missing)
    with pytest.raises(ValueError, match="unexpected tensor 'blk.0.attn_v.weight.lora_a'"):
        other.load_adapter_state_dict({**state, "blk.0.attn_v.weight.lora_a": np.zeros((4, 64))})
    bad = {**state, "blk.0.attn_q.weight.lora_a": np.zeros((4, 32))}
    with pytest.raises(ValueError, match=r"'blk.0.attn_q.weight.lora_a' has shape \(4, 32\), expected \(4, 64\)"):
        other.load_adapter_state_dict(bad)


def test_model_merge_unmerge_and_merged_weights():
    model = _model()
    w0 = model.state_dict()
    lm = apply_lora(model, LoRAConfig(rank=8, alpha=16, targets=["all", "output"], rslora=True))
    _randomize(lm)
    lm.eval()
    y = lm(_ids()).data
    merged = merged_weights(lm)
    assert np.array_equal(model.state_dict()["blk.0.attn_q.weight"], w0["blk.0.attn_q.weight"])  # untouched
    layer = lm.named_adapters()["blk.1.ffn_up.weight"]
    expect = w0["blk.1.ffn_up.weight"] + layer.scale * layer.lora_B.data @ layer.lora_A.data
    assert np.abs(merged["blk.1.ffn_up.weight"] - expect).max() < 1e-6
    assert np.array_equal(merged["token_embd.weight"], w0["token_embd.weight"])
    assert np.abs(LlamaModel(model.config, weights=merged)(_ids()).data - y).max() < 1e-4
    lm.merge()
    assert np.abs(lm(_ids()).data - y).max() <= 1e-5
    assert all(np.array_equal(v, merged_weights(lm)[k]) for k, v in merged.items())  # independent of merge()
    lm.unmerge()
    assert all(np.array_equal(v, w0[k]) for k, v in model.state_dict().items())
    assert np.array_equal(lm(_ids()).data, y)


@pytest.mark.parametrize("qtype", ["q8_0", "q4_0"])
def test_qlora_model(qtype):
    model = _model()
    lm = apply_lora(model, LoRAConfig(rank=4, targets=["all"], quantize_base=qtype))
    _randomize(lm)
    layer = lm.named_adapters()["blk.0.ffn_down.weight"]
    assert "weight" not in vars(layer) and layer.qweight.dtype == np.uint8
    assert all("attn_q.weight" not in n for n, _ in model.named_parameters())  # no float copy of targeted bases
    merged = merged_weights(lm)
    ref = LlamaModel(model.config, weights=merged)
    lm.eval()
    assert np.abs(lm(_ids()).data - ref(_ids()).data).max() < 1e-4
    with pytest.raises(ValueError, match="quantized"):
        lm.merge()
    ids = _ids()
    lm.train()
    lm.loss(ids[:, :-1], ids[:, 1:]).backward()
    assert all(p.grad is not None for p in lm.lora_parameters())


def test_qlora_failure_leaves_the_model_untouched():
    cfg = LlamaConfig(vocab_size=96, dim=48, n_layers=1, n_heads=4, n_kv_heads=2, ffn_dim=64, context_length=32)
    model = LlamaModel(cfg)
    with pytest.raises(ValueError, match="multiple of 32"):
        apply_lora(model, LoRAConfig(targets=["all"], quantize_base="q8_0"))
    assert all(p.requires_grad for p in model.parameters())
    assert not isinstance(model.blocks[0].attn.attn_q, LoRALinear)
