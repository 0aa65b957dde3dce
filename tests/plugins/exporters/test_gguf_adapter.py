"""The ``gguf_adapter`` exporter: metadata, tensor names/shapes, rsLoRA alpha, compatibility checks."""

from __future__ import annotations

import gguf
import numpy as np
import pytest

from simplex_training.lora import LoRAConfig, apply_lora
from simplex_training.model.config import LlamaConfig
from simplex_training.model.llama import LlamaModel
from simplex_training.plugins.exporters.gguf_adapter import (AdapterCompatibilityError, GGUFAdapterExporter,
                                                             check_adapter_compatible, plugin, read_gguf_adapter)


def _config(**kw) -> LlamaConfig:  # noqa: ANN003
    base = dict(vocab_size=80, dim=64, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=96, context_length=32,
                tied_output=False)
    return LlamaConfig(**{**base, **kw})


def _lora(cfg: LlamaConfig, **kw):  # noqa: ANN003, ANN202
    lm = apply_lora(LlamaModel(cfg), LoRAConfig(**{"rank": 4, "alpha": 8.0, "targets": ["all", "output"], **kw}))
    rng = np.random.default_rng(0)
    lm.load_adapter_state_dict({k: rng.standard_normal(v.shape) for k, v in lm.adapter_state_dict().items()})
    return lm


def test_plugin_registers_the_exporter():
    registered = []
    plugin.register_exporters(registered.append)
    assert len(registered) == 1 and registered[0].name == "gguf_adapter" and callable(registered[0].export)


def test_export_metadata_and_tensors(tmp_path):
    cfg = _config()
    lm = _lora(cfg)
    path = GGUFAdapterExporter().export(tmp_path / "a" / "adapter.gguf", lm, cfg, lm.config, name="spec",
                                        **{"simplex.specialist": "sql"})
    assert path.is_file() and not list(path.parent.glob(".*.tmp"))
    reader = gguf.GGUFReader(path)
    f = {k: v.contents() for k, v in reader.fields.items() if not k.startswith("GGUF.")}
    assert f["general.architecture"] == "llama" and f["general.type"] == "adapter" and f["adapter.type"] == "lora"
    assert reader.fields["adapter.lora.alpha"].types == [gguf.GGUFValueType.FLOAT32]
    assert f["adapter.lora.alpha"] == pytest.approx(8.0) and f["general.name"] == "spec"
    assert f["simplex.specialist"] == "sql" and f["simplex.base.vocab_size"] == 80
    tensors = {t.name: t for t in reader.tensors}
    assert len(tensors) == 2 * 15
    a, b = tensors["blk.0.ffn_down.weight.lora_a"], tensors["blk.0.ffn_down.weight.lora_b"]
    assert a.tensor_type == gguf.GGMLQuantizationType.F32 and a.data.shape == (4, 96) and b.data.shape == (64, 4)
    assert list(a.shape) == [96, 4]  # ggml order
    state, meta = read_gguf_adapter(path)
    expected = lm.adapter_state_dict()
    assert set(state) == set(expected) and all(np.array_equal(state[k], expected[k]) for k in state)
    assert meta["simplex.lora.rank"] == 4


def test_rslora_alpha_is_folded_in(tmp_path):
    cfg = _config()
    lm = _lora(cfg, rank=16, alpha=32.0, rslora=True)
    path = GGUFAdapterExporter().export(tmp_path / "adapter.gguf", lm, cfg)
    _, meta = read_gguf_adapter(path)
    assert meta["adapter.lora.alpha"] == pytest.approx(32.0 * 4.0)  # alpha * sqrt(r): llama.cpp scale = alpha/r
    assert meta["adapter.lora.alpha"] / 16 == pytest.approx(lm.config.scale)
    assert meta["simplex.lora.alpha"] == pytest.approx(32.0) and meta["simplex.lora.rslora"] is True


def test_check_adapter_compatible(tmp_path):
    cfg = _config()
    path = GGUFAdapterExporter().export(tmp_path / "adapter.gguf", _lora(cfg), cfg)
    assert check_adapter_compatible(cfg, path)["adapter.type"] == "lora"
    wide = _config(vocab_size=90)
    p90 = GGUFAdapterExporter().export(tmp_path / "v90.gguf", _lora(wide), wide)
    with pytest.raises(AdapterCompatibilityError, match=r"output\.weight\.lora_b has shape \(90, 4\), expected \(80, 4\)"):
        check_adapter_compatible(cfg, p90)
    with pytest.raises(AdapterCompatibilityError, match=r"blk\.0\.attn_q\.weight\.lora_a has shape \(4, 64\), expected"):
        check_adapter_compatible(_config(dim=128, n_heads=8, n_kv_heads=4), path)
    with pytest.raises(AdapterCompatibilityError, match="'output.weight' does not exist.*tied"):
        check_adapter_compatible(_config(tied_output=True), path)
    with pytest.raises(AdapterCompatibilityError, match="blk.1.attn_q.weight' does not exist"):
        check_adapter_compatible(_config(n_layers=1), path)


def test_vocab_size_recorded_for_tied_adapters(tmp_path):
    cfg = _config(tied_output=True)
    lm = apply_lora(LlamaModel(cfg), LoRAConfig(rank=2, targets=["q"]))
    path = GGUFAdapterExporter().export(tmp_path / "adapter.gguf", lm, cfg)
    check_adapter_compatible(cfg, path)
    with pytest.raises(AdapterCompatibilityError, match="vocabulary of 80 tokens, this base has 81"):
        check_adapter_compatible(_config(tied_output=True, vocab_size=81), path)


def test_export_refuses_a_mismatched_base(tmp_path):
    cfg = _config()
    with pytest.raises(AdapterCompatibilityError, match="lora_b"):
        GGUFAdapterExporter().export(tmp_path / "x.gguf", _lora(cfg), _config(vocab_size=81))
    assert not list(tmp_path.iterdir())


def test_reader_rejects_a_model_file(tmp_path):
    from simplex_training.gguf.writer import write_llama_gguf
    from simplex_training.model.reference import random_weights
    from simplex_training.tokenizer.spm import SPACE, SPMTokenizer

    tok = SPMTokenizer.from_pieces([(SPACE, -1.0), ("a", -2.0)])
    cfg = _config(vocab_size=tok.vocab_size)
    p = write_llama_gguf(tmp_path / "m.gguf", cfg, random_weights(cfg), tok)
    with pytest.raises(AdapterCompatibilityError, match="not a LoRA adapter"):
        read_gguf_adapter(p)
    with pytest.raises(AdapterCompatibilityError, match="not a llama LoRA adapter"):
        check_adapter_compatible(cfg, p)


def test_export_refuses_a_config_that_does_not_describe_the_model(tmp_path):
    cfg = _config()
    with pytest.raises(ValueError, match="does not describe"):
        GGUFAdapterExporter().export(tmp_path / "x.gguf", _lora(cfg), cfg, LoRAConfig(rank=4, alpha=8.0, rslora=True))
