"""write_llama_gguf: metadata keys and their GGUF types, tensor types, tied output, atomicity,
input validation."""

from __future__ import annotations

import gguf
import numpy as np
import pytest

from simplex_training.gguf import writer as writer_mod
from simplex_training.gguf.writer import write_llama_gguf
from simplex_training.model.config import LlamaConfig
from simplex_training.model.reference import random_weights
from simplex_training.tokenizer.chat import CHAT_TEMPLATE
from simplex_training.tokenizer.spm import SPACE, SPMTokenizer

T = gguf.GGUFValueType
Q = gguf.GGMLQuantizationType


@pytest.fixture(scope="module")
def tok() -> SPMTokenizer:
    return SPMTokenizer.from_pieces([(SPACE, -1.0), ("a", -2.0), (SPACE + "a", -3.0), ("b", -4.0)])


def _config(tok: SPMTokenizer, **kw) -> LlamaConfig:
    base = dict(vocab_size=tok.vocab_size, dim=64, n_layers=1, n_heads=4, n_kv_heads=2, ffn_dim=96, context_length=128)
    return LlamaConfig(**{**base, **kw})


def _fields(path) -> tuple[dict[str, tuple[object, list]], dict[str, object]]:
    reader = gguf.GGUFReader(path)
    return {k: (f.contents(), f.types) for k, f in reader.fields.items()}, {t.name: t for t in reader.tensors}


def test_metadata_keys_and_types(tmp_path, tok):
    config = _config(tok, rope_base=500000.0, norm_eps=1e-6)
    extra = {"simplex.specialist": "x", "simplex.steps": 7}
    path = write_llama_gguf(tmp_path / "m.gguf", config, random_weights(config), tok, name="tiny", extra_metadata=extra)
    fields, tensors = _fields(path)
    expect = {
        "general.architecture": ("llama", T.STRING),
        "general.name": ("tiny", T.STRING),
        "general.file_type": (0, T.UINT32),
        "llama.context_length": (128, T.UINT32),
        "llama.embedding_length": (64, T.UINT32),
        "llama.block_count": (1, T.UINT32),
        "llama.feed_forward_length": (96, T.UINT32),
        "llama.attention.head_count": (4, T.UINT32),
        "llama.attention.head_count_kv": (2, T.UINT32),
        "llama.rope.dimension_count": (16, T.UINT32),
        "llama.rope.freq_base": (500000.0, T.FLOAT32),
        "llama.vocab_size": (tok.vocab_size, T.UINT32),
        "tokenizer.ggml.model": ("llama", T.STRING),
        "tokenizer.ggml.bos_token_id": (1, T.UINT32),
        "tokenizer.ggml.eos_token_id": (2, T.UINT32),
        "tokenizer.ggml.unknown_token_id": (0, T.UINT32),
        "tokenizer.ggml.eot_token_id": (5, T.UINT32),
        "tokenizer.ggml.add_bos_token": (True, T.BOOL),
        "tokenizer.ggml.add_eos_token": (False, T.BOOL),
        "tokenizer.ggml.add_space_prefix": (True, T.BOOL),
        "tokenizer.chat_template": (CHAT_TEMPLATE, T.STRING),
        "simplex.specialist": ("x", T.STRING),
        "simplex.steps": (7, T.UINT32),
    }
    for key, (value, vtype) in expect.items():
        assert fields[key][0] == value and fields[key][1] == [vtype], key
    eps, types = fields["llama.attention.layer_norm_rms_epsilon"]
    assert types == [T.FLOAT32] and abs(eps - 1e-6) < 1e-12
    assert fields["tokenizer.ggml.tokens"] == (tok.pieces, [T.ARRAY, T.STRING])
    assert fields["tokenizer.ggml.scores"][1] == [T.ARRAY, T.FLOAT32]
    assert fields["tokenizer.ggml.token_type"] == (tok.types, [T.ARRAY, T.INT32])
    assert "output.weight" not in tensors  # tied
    assert set(tensors) == set(config.weight_shapes())
    assert list(tensors["blk.0.attn_k.weight"].shape) == [64, 32]  # ggml order (in, out)


@pytest.mark.parametrize(("dtype", "qtype", "ftype"), [("f16", Q.F16, 1), ("bf16", Q.BF16, 32), ("q8_0", Q.Q8_0, 7)])
def test_tensor_types(tmp_path, tok, dtype, qtype, ftype):
    config = _config(tok, tied_output=False)
    path = write_llama_gguf(tmp_path / "m.gguf", config, random_weights(config), tok, dtype=dtype)
    fields, tensors = _fields(path)
    assert fields["general.file_type"][0] == ftype
    assert "output.weight" in tensors
    for name, t in tensors.items():
        assert t.tensor_type == (Q.F32 if name.endswith("norm.weight") else qtype), name
    if dtype == "q8_0":
        assert fields["general.quantization_version"][0] == gguf.GGML_QUANT_VERSION


def test_q8_0_keeps_f32_for_rows_not_multiple_of_32(tmp_path, tok):
    config = _config(tok, ffn_dim=80)  # ffn_down rows have 80 elements
    with pytest.warns(UserWarning, match="blk.0.ffn_down.weight"):
        path = write_llama_gguf(tmp_path / "m.gguf", config, random_weights(config), tok, dtype="q8_0")
    _, tensors = _fields(path)
    assert tensors["blk.0.ffn_down.weight"].tensor_type == Q.F32
    assert tensors["blk.0.ffn_up.weight"].tensor_type == Q.Q8_0


def test_atomic_write_leaves_nothing_on_failure(tmp_path, tok, monkeypatch):
    config = _config(tok)
    target = tmp_path / "m.gguf"
    target.write_bytes(b"previous")

    def boom(self, *a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer_mod.gguf.GGUFWriter, "write_tensors_to_file", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        write_llama_gguf(target, config, random_weights(config), tok)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["m.gguf"]


def test_invalid_inputs(tmp_path, tok):
    config = _config(tok)
    weights = random_weights(config)
    with pytest.raises(ValueError, match="dtype"):
        write_llama_gguf(tmp_path / "m.gguf", config, weights, tok, dtype="q3")
    with pytest.raises(ValueError, match="tokenizer has"):
        write_llama_gguf(tmp_path / "m.gguf", _config(tok, vocab_size=tok.vocab_size + 1), weights, tok)
    with pytest.raises(ValueError, match="missing"):
        write_llama_gguf(tmp_path / "m.gguf", config, {k: v for k, v in weights.items() if "ffn_up" not in k}, tok)
    bad = dict(weights, **{"blk.0.attn_q.weight": np.zeros((64, 63), np.float32)})
    with pytest.raises(ValueError, match="shape"):
        write_llama_gguf(tmp_path / "m.gguf", config, bad, tok)
    nan = dict(weights, **{"output_norm.weight": np.full(64, np.nan, np.float32)})
    with pytest.raises(ValueError, match="NaN"):
        write_llama_gguf(tmp_path / "m.gguf", config, nan, tok)
    with pytest.raises(ValueError, match="set by the writer"):
        write_llama_gguf(tmp_path / "m.gguf", config, weights, tok, extra_metadata={"general.name": "x"})
    assert not list(tmp_path.iterdir())
