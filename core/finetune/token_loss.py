"""Which answer tokens a trained model still gets wrong: the test loss per target token.

A specialist can learn an answer format and still miss one word of it every time: complaint_handling
on the embedded base writes ``med econom`` for "medium" because the base never trained the
embedding rows of `` med`` and ``ium`` (docs/results.md). The mean loss of each target token id over
the test split points at such tokens; ``metrics.json`` keeps the hardest as ``hard_tokens`` and
``simplex-train train`` prints those a model gives less than 1/e probability on average.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from simplex_training.finetune.batches import IGNORE, Tokenized, collate, eval_batches
from simplex_training.tokenizer.spm import SPMTokenizer

HARD_LOSS = 1.0  # nats: the model's mean probability for the token is below 1/e


def token_loss_sums(model: Any, items: Sequence[Tokenized], pad_id: int, batch_size: int,
                    vocab_size: int) -> tuple[np.ndarray, np.ndarray]:
    """(sum of losses, count) per target token id over ``items``, with dropout off and no graph."""
    from simplex_training.engine import Tensor, no_grad

    sums = np.zeros(vocab_size, dtype=np.float64)
    counts = np.zeros(vocab_size, dtype=np.int64)
    inner = getattr(model, "model", model)
    was = inner.training
    model.eval()
    try:
        with no_grad():
            for batch in eval_batches(list(items), batch_size):
                x, y, _ = collate(batch, pad_id)
                scored = y != IGNORE
                h = inner.hidden(x).data[scored]  # (N, C): only the scored positions meet the vocabulary
                z = np.asarray(inner.head(Tensor(h)).data, dtype=np.float64)  # (N, V)
                tgt = y[scored]
                top = z.max(axis=1, keepdims=True)
                lse = np.log(np.exp(z - top).sum(axis=1)) + top[:, 0]
                np.add.at(sums, tgt, lse - z[np.arange(len(tgt)), tgt])
                np.add.at(counts, tgt, 1)
    finally:
        model.train(was)
    return sums, counts


def hardest_tokens(sums: np.ndarray, counts: np.ndarray, tok: SPMTokenizer, *, top: int = 10,
                   min_count: int = 3) -> list[dict[str, Any]]:
    """The ``top`` target tokens seen at least ``min_count`` times, by mean loss (highest first)."""
    ids = np.flatnonzero(counts >= min_count)
    means = sums[ids] / counts[ids]
    order = np.lexsort((ids, -means))[:top]  # ties by id: deterministic
    return [{"id": int(ids[i]), "piece": tok.pieces[int(ids[i])], "count": int(counts[ids[i]]),
             "mean_loss": round(float(means[i]), 4)} for i in order]


def describe(hard: Sequence[dict[str, Any]], threshold: float = HARD_LOSS) -> str | None:
    """One line naming the tokens above ``threshold``, or None when there are none."""
    bad = [h for h in hard if h["mean_loss"] >= threshold]
    if not bad:
        return None
    parts = ", ".join(f"{h['piece']!r} {h['mean_loss']:.2f} ({h['count']}x)" for h in bad)
    return f"answer tokens the specialist rarely gets right (mean test loss in nats): {parts}"
