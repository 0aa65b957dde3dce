"""The test loss per answer token: agrees with the validation loss and a direct computation; the
hardest tokens are ordered, filtered and described."""

from __future__ import annotations

import numpy as np

from simplex_training.finetune.batches import IGNORE, collate, tokenize
from simplex_training.finetune.data import generator_data
from simplex_training.finetune.token_loss import describe, hardest_tokens, token_loss_sums
from simplex_training.finetune.trainer import validation_loss
from simplex_training.lora import LoRAConfig, apply_lora
from simplex_training.model.llama import LlamaModel


def _model_and_items(tiny_parts):
    config, weights, tok, _ = tiny_parts
    model = apply_lora(LlamaModel(config, weights=weights), LoRAConfig(rank=4, alpha=8, targets=["q", "v"]))
    data = generator_data("sentiment_analysis", 40, seed=0)
    return model, tokenize(tok, data.train, 128)[0], tok, config


def test_sums_match_the_validation_loss_and_count_every_target(tiny_parts):
    model, items, tok, config = _model_and_items(tiny_parts)
    sums, counts = token_loss_sums(model, items, tok.eos_id, 8, config.vocab_size)
    _, y, n = collate(items, tok.eos_id)
    assert counts.sum() == n
    assert np.array_equal(counts, np.bincount(y[y != IGNORE], minlength=config.vocab_size))
    assert np.isclose(sums.sum() / counts.sum(), validation_loss(model, items, tok.eos_id, 8), rtol=1e-5)
    assert model.model.training  # the mode the model was in is restored


def test_sums_are_each_targets_negative_log_probability(tiny_parts):
    """Against a direct float64 computation, one sequence at a time (no padding, no batching)."""
    model, items, tok, config = _model_and_items(tiny_parts)
    items = items[:5]
    sums, counts = token_loss_sums(model, items, tok.eos_id, 2, config.vocab_size)
    want = np.zeros(config.vocab_size)
    model.eval()
    for it in items:
        z = np.asarray(model(it.ids[None, :-1]).data[0], np.float64)
        logp = z - z.max(1, keepdims=True)
        logp -= np.log(np.exp(logp).sum(1, keepdims=True))
        for t, target in enumerate(it.labels[1:]):
            if target != IGNORE:
                want[target] -= logp[t, target]
    model.train()
    assert np.allclose(sums, want, rtol=1e-5, atol=1e-6)
    hard = hardest_tokens(sums, counts, tok, top=3)
    assert [h["mean_loss"] for h in hard] == sorted((h["mean_loss"] for h in hard), reverse=True)
    assert all(h["count"] >= 3 and h["piece"] == tok.pieces[h["id"]] for h in hard)


def test_hardest_tokens_orders_filters_and_describes():
    class Tok:
        pieces = ["<unk>", "▁med", "ium", "▁low", "x"]

    sums = np.array([0.0, 20.6, 46.3, 0.05, 9.0])
    counts = np.array([0, 10, 10, 10, 2])
    hard = hardest_tokens(sums, counts, Tok(), top=3)
    assert [h["piece"] for h in hard] == ["ium", "▁med", "▁low"]  # "x" is seen twice only
    assert hard[0] == {"id": 2, "piece": "ium", "count": 10, "mean_loss": 4.63}
    line = describe(hard)
    assert "'ium' 4.63 (10x)" in line and "'▁med' 2.06 (10x)" in line and "▁low" not in line
    assert describe(hard[2:]) is None
