"""read_llama_gguf: write -> read round trips for every writable type, and GGUFFormatError for
damaged or unsupported files (always naming the file, never a raw gguf-py traceback)."""

from __future__ import annotations

import gguf
import numpy as np
import pytest

from simplex_training.errors import SimplexError
from simplex_training.gguf.reader import GGUFFormatError, read_llama_config, read_llama_gguf
from simplex_training.gguf.writer import write_llama_gguf
from simplex_training.model.config import LlamaConfig
from simplex_training.model.reference import random_weights
from simplex_training.tokenizer.spm import SPACE, SPMTokenizer

Q = gguf.GGMLQuantizationType


@pytest.fixture(scope="module")
def tok() -> SPMTokenizer:
    return SPMTokenizer.from_pieces([(SPACE, -1.0), ("a", -2.0), (SPACE + "a", -3.0), ("é", -4.0)])


def _config(tok: SPMTokenizer, tied: bool = True) -> LlamaConfig:
    return LlamaConfig(
        vocab_size=tok.vocab_size, dim=64, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=96,
        rope_base=20000.0, norm_eps=1e-6, context_length=128, tied_output=tied,
    )  # fmt: skip


def _roundtrip(q: np.ndarray, qtype: Q) -> np.ndarray:
    return gguf.quants.dequantize(gguf.quants.quantize(q, qtype), qtype)


@pytest.mark.parametrize("dtype", ["f32", "f16", "bf16", "q8_0", "q4_0"])
@pytest.mark.parametrize("tied", [True, False], ids=["tied", "untied"])
def test_round_trip(tmp_path, tok, dtype, tied):
    config = _config(tok, tied)
    weights = random_weights(config, seed=3)
    path = write_llama_gguf(tmp_path / "m.gguf", config, weights, tok, dtype=dtype, name="rt")
    got_config, got, got_tok, meta = read_llama_gguf(path)
    assert got_config == config == read_llama_config(path)
    assert set(got) == set(weights)
    qtype = {"f32": Q.F32, "f16": Q.F16, "bf16": Q.BF16, "q8_0": Q.Q8_0, "q4_0": Q.Q4_0}[dtype]
    for name, w in weights.items():
        assert got[name].dtype == np.float32 and got[name].shape == w.shape
        if w.ndim == 1 or qtype == Q.F32:
            np.testing.assert_array_equal(got[name], w)
        elif qtype == Q.F16:
            np.testing.assert_array_equal(got[name], w.astype(np.float16).astype(np.float32))
        else:
            np.testing.assert_array_equal(got[name], _roundtrip(w, qtype))
    assert got_tok is not None and got_tok.to_dict() == tok.to_dict()
    assert meta["general.name"] == "rt" and "tokenizer.ggml.tokens" not in meta


def test_q4_0_written_directly_with_gguf_quants(tmp_path, tok):
    """A file assembled with GGUFWriter + gguf.quants (not our writer), no tokenizer."""
    config = _config(tok, tied=False)
    weights = random_weights(config, seed=4)
    path = tmp_path / "q4.gguf"
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_context_length(128), w.add_embedding_length(64), w.add_block_count(2), w.add_feed_forward_length(96)
    w.add_head_count(4), w.add_head_count_kv(2), w.add_layer_norm_rms_eps(1e-6), w.add_rope_freq_base(20000.0)
    for name, arr in weights.items():
        if arr.ndim == 2:
            w.add_tensor(name, gguf.quants.quantize(arr, Q.Q4_0), raw_dtype=Q.Q4_0)
        else:
            w.add_tensor(name, arr)
    w.write_header_to_file(), w.write_kv_data_to_file(), w.write_tensors_to_file(), w.close()
    got_config, got, got_tok, _ = read_llama_gguf(path)
    assert got_tok is None and got_config == config
    np.testing.assert_array_equal(got["output.weight"], _roundtrip(weights["output.weight"], Q.Q4_0))
    assert np.abs(got["output.weight"] - weights["output.weight"]).max() < 0.2


def _write_raw(path, arch="llama", skip=(), tensors=None, tokenizer_model="llama", tok=None):
    w = gguf.GGUFWriter(str(path), arch)
    keys = {
        "context_length": lambda: w.add_context_length(128),
        "embedding_length": lambda: w.add_embedding_length(64),
        "block_count": lambda: w.add_block_count(1),
        "feed_forward_length": lambda: w.add_feed_forward_length(96),
        "head_count": lambda: w.add_head_count(4),
        "eps": lambda: w.add_layer_norm_rms_eps(1e-5),
    }
    for key, add in keys.items():
        if key not in skip:
            add()
    if tok is not None:
        w.add_tokenizer_model(tokenizer_model)
        w.add_token_list(tok.pieces)
    for name, arr in (tensors or {}).items():
        w.add_tensor(name, arr)
    w.write_header_to_file(), w.write_kv_data_to_file(), w.write_tensors_to_file(), w.close()
    return path


def _error(path, *fragments):
    with pytest.raises(GGUFFormatError) as info:
        read_llama_gguf(path)
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    assert isinstance(info.value, SimplexError)
    return message


def test_bad_magic_and_missing_file(tmp_path):
    path = tmp_path / "x.gguf"
    path.write_bytes(b"PK\x03\x04not a gguf file at all")
    _error(path, "not a GGUF file")
    _error(tmp_path / "absent.gguf", "cannot read")


def test_truncated(tmp_path, tok):
    config = _config(tok)
    full = write_llama_gguf(tmp_path / "full.gguf", config, random_weights(config), tok).read_bytes()
    for cut in (12, 200, len(full) // 2, len(full) - 100):
        path = tmp_path / f"cut{cut}.gguf"
        path.write_bytes(full[:cut])
        _error(path, "truncated")


def test_wrong_architecture(tmp_path):
    _error(_write_raw(tmp_path / "g.gguf", arch="gpt2"), "architecture 'gpt2'")
    with pytest.raises(GGUFFormatError, match="architecture 'gpt2'"):  # the shape alone is checked alike
        read_llama_config(tmp_path / "g.gguf")


def test_missing_required_key(tmp_path, tok):
    weights = random_weights(LlamaConfig(vocab_size=tok.vocab_size, dim=64, n_layers=1, n_heads=4, ffn_dim=96))
    _error(_write_raw(tmp_path / "k.gguf", skip=("context_length",), tensors=weights, tok=tok), "llama.context_length")


def test_unsupported_tensor_type(tmp_path, tok):
    config = LlamaConfig(vocab_size=tok.vocab_size, dim=64, n_layers=1, n_heads=4, n_kv_heads=4, ffn_dim=96)
    weights = random_weights(config)
    weights["token_embd.weight"] = weights["token_embd.weight"].astype(np.float64)
    _error(_write_raw(tmp_path / "t.gguf", tensors=weights, tok=tok), "token_embd.weight", "unsupported type F64")


def test_unsupported_tokenizer_and_extra_tensor(tmp_path, tok):
    config = LlamaConfig(vocab_size=tok.vocab_size, dim=64, n_layers=1, n_heads=4, n_kv_heads=4, ffn_dim=96)
    weights = random_weights(config)
    _error(_write_raw(tmp_path / "b.gguf", tensors=weights, tok=tok, tokenizer_model="gpt2"), "tokenizer model 'gpt2'")
    extra = dict(weights, **{"blk.0.attn_q.bias": np.zeros(64, np.float32)})
    _error(_write_raw(tmp_path / "e.gguf", tensors=extra, tok=tok), "blk.0.attn_q.bias")
