"""Batched generation with a KV cache: greedy, or sampling with temperature, top-k and top-p.

Prompts of equal token length are decoded together (no padding is needed, so every row's
positions and causal mask are exact); different lengths form separate batches. Decoding runs under
``no_grad`` and stops per row at a stop token or after ``max_new_tokens``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from simplex_training.engine import no_grad
from simplex_training.model.llama import LlamaModel


def sample_next(logits: np.ndarray, rng: np.random.Generator | None, temperature: float = 0.0, top_k: int = 0,
                top_p: float = 1.0) -> np.ndarray:
    """Next token per row of logits (B, V): argmax when temperature is 0, else a filtered sample."""
    if temperature <= 0.0:
        return logits.argmax(axis=-1)
    if rng is None:
        raise ValueError("sampling needs an explicit np.random.Generator")
    z = logits.astype(np.float64) / temperature
    if top_k > 0:
        kth = np.sort(z, axis=-1)[:, -min(top_k, z.shape[-1])][:, None]
        z = np.where(z < kth, -np.inf, z)
    p = np.exp(z - z.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    if top_p < 1.0:
        order = np.argsort(-p, axis=-1)
        sorted_p = np.take_along_axis(p, order, axis=-1)
        keep_sorted = np.cumsum(sorted_p, axis=-1) - sorted_p < top_p  # smallest prefix reaching top_p
        keep = np.zeros_like(keep_sorted)
        np.put_along_axis(keep, order, keep_sorted, axis=-1)
        p = np.where(keep, p, 0.0)
        p /= p.sum(axis=-1, keepdims=True)
    u = rng.random(p.shape[0])[:, None]
    return np.minimum((np.cumsum(p, axis=-1) < u).sum(axis=-1), p.shape[-1] - 1)


def generate(model: LlamaModel, prompts: Sequence[Sequence[int]], max_new_tokens: int, *,
             stop_ids: Sequence[int] = (), temperature: float = 0.0, top_k: int = 0, top_p: float = 1.0,
             seed: int = 0, batch_size: int = 16) -> list[list[int]]:
    """Continue each prompt; returns the new tokens per prompt (a stop token is kept, then it ends)."""
    from simplex_training.plugins.layers.attention import KVCache

    cfg = model.config
    rng = np.random.default_rng(seed) if temperature > 0 else None
    stops = set(stop_ids)
    results: list[list[int]] = [[] for _ in prompts]
    groups: dict[int, list[int]] = defaultdict(list)
    for i, p in enumerate(prompts):
        if not p:
            raise ValueError(f"prompt {i} is empty")
        groups[len(p)].append(i)
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            for length in sorted(groups):
                idx_all = groups[length]
                for s in range(0, len(idx_all), batch_size):
                    idx = idx_all[s : s + batch_size]
                    n_new = min(max_new_tokens, cfg.context_length - length)
                    caches = [KVCache.empty(len(idx), cfg.n_kv_heads, length + n_new, cfg.head_dim,
                                            model.tok_embeddings.weight.dtype) for _ in range(cfg.n_layers)]
                    ids = np.array([prompts[i] for i in idx])
                    logits = model(ids, 0, caches, last_only=True).data[:, -1]
                    done = np.zeros(len(idx), dtype=bool)
                    for step in range(n_new):
                        nxt = sample_next(logits, rng, temperature, top_k, top_p)
                        for row, i in enumerate(idx):
                            if not done[row]:
                                results[i].append(int(nxt[row]))
                                done[row] = int(nxt[row]) in stops
                        if done.all() or step == n_new - 1:
                            break
                        logits = model(nxt[:, None], length + step, caches).data[:, -1]
    finally:
        model.train(was_training)
    return results
