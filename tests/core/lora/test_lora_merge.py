"""merged_weights + write_merged_gguf: the merged model written by the ``gguf`` exporter reads back."""

from __future__ import annotations

import numpy as np
import pytest

from simplex_training.gguf.reader import read_llama_gguf
from simplex_training.lora import LoRAConfig, apply_lora, merged_weights, write_merged_gguf
from simplex_training.model.config import LlamaConfig
from simplex_training.model.llama import LlamaModel
from simplex_training.model.reference import random_weights
from simplex_training.tokenizer.spm import SPACE, SPMTokenizer


def _lora(tok: SPMTokenizer):  # noqa: ANN202
    cfg = LlamaConfig(vocab_size=tok.vocab_size, dim=64, n_layers=1, n_heads=4, n_kv_heads=2, ffn_dim=64,
                      context_length=32, tied_output=False)
    lm = apply_lora(LlamaModel(cfg, weights=random_weights(cfg)), LoRAConfig(rank=4, targets=["all", "output"]))
    rng = np.random.default_rng(0)
    lm.load_adapter_state_dict({k: rng.standard_normal(v.shape) * 0.1 for k, v in lm.adapter_state_dict().items()})
    return lm


@pytest.mark.parametrize(("dtype", "file_type", "tol"), [(None, 1, 2e-3), ("f32", 0, 0.0), ("q8_0", 7, 2e-2)])
def test_merged_gguf_reads_back(tmp_path, dtype, file_type, tol):
    tok = SPMTokenizer.from_pieces([(SPACE, -1.0), ("a", -2.0)])
    lm = _lora(tok)
    kwargs = {} if dtype is None else {"dtype": dtype}
    path = write_merged_gguf(tmp_path / "merged.gguf", lm, tok, name="merged", **kwargs)
    config, weights, _, meta = read_llama_gguf(path)
    assert config == lm.model.config and meta["general.file_type"] == file_type  # F16 by default
    expected = merged_weights(lm)
    for name, arr in expected.items():
        assert np.abs(weights[name] - arr).max() <= tol * max(1.0, np.abs(arr).max()), name
    assert not np.allclose(expected["output.weight"], lm.model.state_dict()["output.weight"])


def test_disabled_adapters_merge_to_the_base():
    tok = SPMTokenizer.from_pieces([(SPACE, -1.0), ("a", -2.0)])
    lm = _lora(tok)
    lm.set_enabled(False)
    base = lm.model.state_dict()
    assert all(np.array_equal(v, base[k]) for k, v in merged_weights(lm).items())
