"""The ``peft`` exporter: key names, shapes, adapter_config.json, q/k RoPE permutation round trip."""

from __future__ import annotations

import json

import numpy as np
import pytest
from safetensors.numpy import load_file

from simplex_training.lora import LoRAConfig, apply_lora
from simplex_training.model.config import LlamaConfig
from simplex_training.model.llama import LlamaModel
from simplex_training.plugins.exporters.peft import (PEFTExporter, from_peft_state, load_peft_adapter, permute, plugin,
                                                     to_peft_state, unpermute)


def _config(tied: bool = False) -> LlamaConfig:
    return LlamaConfig(vocab_size=80, dim=64, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=96, context_length=32,
                       tied_output=tied)


def _lora(cfg: LlamaConfig, **kw):  # noqa: ANN003, ANN202
    lm = apply_lora(LlamaModel(cfg), LoRAConfig(**{"rank": 4, "alpha": 8.0, "targets": ["all", "output"], **kw}))
    rng = np.random.default_rng(0)
    lm.load_adapter_state_dict({k: rng.standard_normal(v.shape) for k, v in lm.adapter_state_dict().items()})
    return lm


def test_plugin_registers_the_exporter():
    registered = []
    plugin.register_exporters(registered.append)
    assert len(registered) == 1 and registered[0].name == "peft" and callable(registered[0].export)


def test_permute_matches_the_converter_definition_and_inverts():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((32, 5))
    hd = 8
    p = permute(w, 4)
    for h in range(4):  # GGUF row 2i+j of a head == HF row j*hd/2 + i
        for i in range(hd // 2):
            for j in range(2):
                assert np.array_equal(p[h * hd + 2 * i + j], w[h * hd + j * hd // 2 + i])
    assert np.array_equal(unpermute(permute(w, 4), 4), w) and np.array_equal(permute(unpermute(w, 2), 2), w)


def test_export_keys_shapes_and_config(tmp_path):
    cfg = _config()
    lm = _lora(cfg, rslora=True, dropout=0.05)
    out = PEFTExporter().export(tmp_path / "peft", lm, cfg, lm.config, base_model_name_or_path="org/base")
    tensors = load_file(str(out / "adapter_model.safetensors"))
    assert len(tensors) == 30
    a = tensors["base_model.model.model.layers.1.self_attn.k_proj.lora_A.weight"]
    b = tensors["base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight"]
    assert a.shape == (4, 64) and b.shape == (32, 4) and a.dtype == np.float32
    assert tensors["base_model.model.model.layers.0.mlp.down_proj.lora_A.weight"].shape == (4, 96)
    assert tensors["base_model.model.lm_head.lora_B.weight"].shape == (80, 4)
    conf = json.loads((out / "adapter_config.json").read_text())
    assert conf["peft_type"] == "LORA" and conf["task_type"] == "CAUSAL_LM" and conf["r"] == 4
    assert conf["lora_alpha"] == 8.0 and conf["lora_dropout"] == 0.05 and conf["use_rslora"] is True
    assert conf["bias"] == "none" and conf["fan_in_fan_out"] is False and conf["inference_mode"] is True
    assert conf["base_model_name_or_path"] == "org/base"
    assert conf["target_modules"] == sorted(["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
                                             "down_proj", "lm_head"])
    assert not list(out.glob(".*.tmp"))


def test_q_and_k_lora_b_are_unpermuted_to_hf_layout(tmp_path):
    cfg = _config()
    lm = _lora(cfg)
    state = lm.adapter_state_dict()
    peft = to_peft_state(state, cfg)
    pre = "base_model.model.model.layers.0."
    assert np.array_equal(peft[pre + "self_attn.q_proj.lora_B.weight"], unpermute(state["blk.0.attn_q.weight.lora_b"], 4))
    assert np.array_equal(peft[pre + "self_attn.k_proj.lora_B.weight"], unpermute(state["blk.0.attn_k.weight.lora_b"], 2))
    assert np.array_equal(peft[pre + "self_attn.q_proj.lora_A.weight"], state["blk.0.attn_q.weight.lora_a"])
    assert np.array_equal(peft[pre + "self_attn.v_proj.lora_B.weight"], state["blk.0.attn_v.weight.lora_b"])
    # An HF base W_hf converted with permute + the PEFT delta permuted == our merged weight.
    layer = lm.named_adapters()["blk.0.attn_k.weight"]
    w_hf = unpermute(layer.weight.data, 2)
    delta_hf = peft[pre + "self_attn.k_proj.lora_B.weight"] @ peft[pre + "self_attn.k_proj.lora_A.weight"]
    assert np.array_equal(permute(w_hf + layer.scale * delta_hf, 2),
                          layer.weight.data + layer.scale * (layer.lora_B.data @ layer.lora_A.data))


def test_round_trip_our_peft_our_is_exact(tmp_path):
    cfg = _config()
    lm = _lora(cfg, rank=8, alpha=16.0, rslora=True)
    out = PEFTExporter().export(tmp_path / "peft", lm, cfg)
    state, lora_cfg = load_peft_adapter(out, cfg)
    expected = lm.adapter_state_dict()
    assert set(state) == set(expected) and all(np.array_equal(state[k], expected[k]) for k in state)
    assert (lora_cfg.rank, lora_cfg.alpha, lora_cfg.rslora) == (8, 16.0, True)
    again = apply_lora(LlamaModel(cfg), lora_cfg)
    assert list(again.named_adapters()) == list(lm.named_adapters())
    again.load_adapter_state_dict(state)
    assert from_peft_state(to_peft_state(expected, cfg), cfg).keys() == expected.keys()


def test_partial_layers_use_a_regex_target(tmp_path):
    cfg = _config(tied=True)
    lm = apply_lora(LlamaModel(cfg), LoRAConfig(rank=2, targets=["blk.1.attn_q.weight", "v"]))
    out = PEFTExporter().export(tmp_path / "p", lm, cfg)
    target = json.loads((out / "adapter_config.json").read_text())["target_modules"]
    assert isinstance(target, str)
    import re

    assert re.fullmatch(target, "model.layers.1.self_attn.q_proj") and re.fullmatch(target, "model.layers.0.self_attn.v_proj")
    assert not re.fullmatch(target, "model.layers.0.self_attn.q_proj")
    state, lora_cfg = load_peft_adapter(out, cfg)
    assert sorted(state) == sorted(lm.adapter_state_dict())


def test_reader_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="adapter_model.safetensors"):
        load_peft_adapter(tmp_path, _config())
    with pytest.raises(ValueError, match="embed_tokens"):
        from_peft_state({"base_model.model.model.embed_tokens.lora_A.weight": np.zeros((2, 2))}, _config())


def test_export_refuses_a_config_that_does_not_describe_the_model(tmp_path):
    cfg = _config()
    with pytest.raises(ValueError, match="does not describe"):
        PEFTExporter().export(tmp_path / "p", _lora(cfg), cfg, LoRAConfig(rank=8, alpha=8.0))
