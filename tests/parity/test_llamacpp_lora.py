"""Parity of LoRA exports with llama.cpp (llama-cpp-python): an adapter GGUF applied with
``lora_path`` and the merged F32 GGUF both give our LoRA model's logits (F32 files, F32 KV cache,
``../shared/reference/gguf-llama-cpp.md`` §4, §6, §8), for a tied base and an untied base
(with an ``output`` LoRA), plain LoRA and rsLoRA; and a vocabulary-mismatched base is refused by
our loader with an error naming the tensor. llama-cpp-python is imported normally (a missing
install fails loudly)."""

from __future__ import annotations

import random

import llama_cpp
import numpy as np
import pytest

from simplex_training.engine import no_grad
from simplex_training.gguf.writer import write_llama_gguf
from simplex_training.lora import LoRAConfig, apply_lora, write_merged_gguf
from simplex_training.model.config import LlamaConfig
from simplex_training.model.llama import LlamaModel
from simplex_training.model.reference import random_weights
from simplex_training.plugins.exporters.gguf_adapter import (AdapterCompatibilityError, GGUFAdapterExporter,
                                                             check_adapter_compatible)
from simplex_training.tokenizer.spm import SPMTokenizer
from simplex_training.tokenizer.trainer import train_spm

pytestmark = pytest.mark.llama_cpp

VOCAB = 400
TOL = 1e-4


def _corpus() -> list[str]:
    rng = random.Random(1)
    syl = ["ka", "ro", "mi", "te", "su", "lo", "an", "ber", "qu", "ix", "zo", "pel", "da", "fu", "é", "日"]
    words = ["the", "adapter", "merge", "rank", "alpha"]
    words += ["".join(rng.choice(syl) for _ in range(rng.randint(1, 3))) for _ in range(200)]
    return [" ".join(rng.choice(words) for _ in range(25)) + "\n" for _ in range(150)]


@pytest.fixture(scope="module")
def tokenizer() -> SPMTokenizer:
    return train_spm(_corpus(), VOCAB)


def _config(tied: bool, vocab: int = VOCAB) -> LlamaConfig:
    return LlamaConfig(vocab_size=vocab, dim=64, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=128, context_length=256,
                       tied_output=tied)


def _load(path, lora_path=None) -> llama_cpp.Llama:  # noqa: ANN001
    kwargs = {"lora_path": str(lora_path), "lora_scale": 1.0} if lora_path is not None else {}
    return llama_cpp.Llama(model_path=str(path), n_ctx=256, n_batch=256, logits_all=True, verbose=False,
                           type_k=llama_cpp.GGML_TYPE_F32, type_v=llama_cpp.GGML_TYPE_F32, n_threads=2, seed=0,
                           **kwargs)


def _llama_logits(llm: llama_cpp.Llama, ids: list[int]) -> np.ndarray:
    llm.reset()
    llm.eval(ids)
    return np.array(llm.scores[: llm.n_tokens], dtype=np.float64)


def _lora_model(config: LlamaConfig, targets: list[str], rslora: bool, seed: int):  # noqa: ANN202
    lm = apply_lora(LlamaModel(config, weights=random_weights(config, seed=seed)),
                    LoRAConfig(rank=8, alpha=16.0, targets=targets, rslora=rslora, dropout=0.1, seed=seed))
    rng = np.random.default_rng(seed)
    # non-zero B (and random A) of a size that moves the logits by O(1)
    lm.load_adapter_state_dict({k: rng.standard_normal(v.shape) * (0.05 if k.endswith("lora_b") else 0.3)
                                for k, v in lm.adapter_state_dict().items()})
    return lm.eval()


CASES = [
    pytest.param(False, ["all", "output"], False, id="untied-output-lora"),
    pytest.param(True, ["all"], True, id="tied-rslora"),
]


@pytest.mark.parametrize(("tied", "targets", "rslora"), CASES)
def test_adapter_and_merged_gguf_match_our_lora_forward(tmp_path, tokenizer, tied, targets, rslora):
    config = _config(tied)
    lm = _lora_model(config, targets, rslora, seed=3 + tied)
    base_path = write_llama_gguf(tmp_path / "base.gguf", config, lm.model.state_dict(), tokenizer, dtype="f32")
    adapter_path = GGUFAdapterExporter().export(tmp_path / "adapter.gguf", lm, config, lm.config)
    merged_path = write_merged_gguf(tmp_path / "merged.gguf", lm, tokenizer, dtype="f32")
    check_adapter_compatible(config, adapter_path)

    ids = tokenizer.encode("the adapter merge rank alpha kamiro " * 4, add_bos=True)[:48]
    with no_grad():
        ours = lm(np.asarray(ids)[None]).data[0].astype(np.float64)
        base_only = LlamaModel(config, weights=lm.model.state_dict())(np.asarray(ids)[None]).data[0]

    adapted = _llama_logits(_load(base_path, adapter_path), ids)
    merged = _llama_logits(_load(merged_path), ids)
    plain = _llama_logits(_load(base_path), ids)
    d_adapter, d_merged = np.abs(adapted - ours).max(), np.abs(merged - ours).max()
    print(f"\n{'tied' if tied else 'untied'} rslora={rslora}: |adapter - ours| {d_adapter:.2e}, "
          f"|merged - ours| {d_merged:.2e}, |base - ours| {np.abs(plain - ours).max():.2e}")
    assert np.abs(ours - base_only).max() > 0.5  # the adapter really changes the logits
    assert np.abs(plain - base_only).max() < TOL
    assert d_adapter <= TOL
    assert d_merged <= TOL


def test_vocabulary_mismatched_base_is_refused_by_our_loader(tmp_path, tokenizer):
    config = _config(tied=False)
    lm = _lora_model(config, ["q", "v", "output"], rslora=False, seed=7)
    adapter_path = GGUFAdapterExporter().export(tmp_path / "adapter.gguf", lm, config)
    other = _config(tied=False, vocab=VOCAB - 40)
    with pytest.raises(AdapterCompatibilityError, match=r"output\.weight\.lora_b has shape \(400, 8\), expected \(360, 8\)"):
        check_adapter_compatible(other, adapter_path)
    tied_other = _config(tied=True, vocab=VOCAB - 40)
    with pytest.raises(AdapterCompatibilityError, match="output.weight' does not exist in the base model"):
        check_adapter_compatible(tied_other, adapter_path)
