"""Batched generation with a KV cache: greedy, or sampling with temperature, top-k and top-p.

Prompts are sorted by token length and decoded ``batch_size`` at a time, the shorter ones of a batch
left-padded to its longest: each KV cache's ``start`` holds a row's padding, which no real position
attends to, and the row's positions count from its first real token, so a row decodes as it would
alone (up to float rounding). Decoding runs under ``no_grad`` and stops per row at a stop token or
after ``max_new_tokens`` (fewer when the row would leave the context). Once at most half of a
batch's rows are still going, the finished ones are dropped from it and from its caches, so a few
long answers do not keep the whole batch computing (a sampled step draws one number per row left).
"""

from __future__ import annotations

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


def _batches(lengths: Sequence[int], batch_size: int, max_new: int, context: int) -> list[list[int]]:
    """Prompt indices sorted by length, in runs of at most ``batch_size``. A run ends early where its
    longest prompt plus the new tokens its shortest may still take would pass the context."""
    out: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        run = out[-1] if out else None
        if (run is None or len(run) == batch_size
                or lengths[i] + min(max_new, context - lengths[run[0]]) > context):
            out.append([i])
        else:
            run.append(i)
    return out


COMPACT_AT = 0.5  # drop a batch's finished rows once no more than this fraction of its rows go on
PREFILL_SCORE_BYTES = 1 << 28  # attention scores of one prefill chunk: at most 256 MiB


def _prefill(model: LlamaModel, ids: np.ndarray, pad: np.ndarray, t_max: int) -> tuple[np.ndarray, list]:
    """Last-position logits (B, V) of left-padded prompts ``ids`` and KV caches of ``t_max`` slots.

    Rows go through the model in chunks small enough that one layer's attention scores
    (rows x heads x length^2) stay under :data:`PREFILL_SCORE_BYTES`; their keys and values are
    copied into the batch's caches.
    """
    from simplex_training.plugins.layers.attention import KVCache

    cfg, (B, T) = model.config, ids.shape
    dtype = model.tok_embeddings.weight.dtype
    caches = [KVCache.empty(B, cfg.n_kv_heads, t_max, cfg.head_dim, dtype, start=pad) for _ in range(cfg.n_layers)]
    rows = max(1, PREFILL_SCORE_BYTES // (np.dtype(dtype).itemsize * cfg.n_heads * T * T))
    if rows >= B:
        return model(ids, 0, caches, last_only=True).data[:, -1], caches
    logits = []
    for lo in range(0, B, rows):
        part = slice(lo, lo + rows)
        sub = [KVCache.empty(len(ids[part]), cfg.n_kv_heads, T, cfg.head_dim, dtype, start=pad[part])
               for _ in range(cfg.n_layers)]
        logits.append(model(ids[part], 0, sub, last_only=True).data[:, -1])
        for c, s in zip(caches, sub, strict=True):
            c.k[part, :, :T], c.v[part, :, :T] = s.k, s.v
    for c in caches:
        c.length = T
    return np.concatenate(logits), caches


def generate(model: LlamaModel, prompts: Sequence[Sequence[int]], max_new_tokens: int, *,
             stop_ids: Sequence[int] = (), temperature: float = 0.0, top_k: int = 0, top_p: float = 1.0,
             seed: int = 0, batch_size: int = 64) -> list[list[int]]:
    """Continue each prompt; returns the new tokens per prompt (a stop token is kept, then it ends)."""
    cfg = model.config
    rng = np.random.default_rng(seed) if temperature > 0 else None
    stops = set(stop_ids)
    results: list[list[int]] = [[] for _ in prompts]
    for i, p in enumerate(prompts):
        if not p:
            raise ValueError(f"prompt {i} is empty")
        if len(p) > cfg.context_length:
            raise ValueError(f"prompt {i} has {len(p)} tokens, more than the context length {cfg.context_length}")
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            for idx in _batches([len(p) for p in prompts], batch_size, max_new_tokens, cfg.context_length):
                lengths = np.array([len(prompts[i]) for i in idx])
                length = int(lengths.max())
                pad = length - lengths
                limits = np.minimum(max_new_tokens, cfg.context_length - lengths)  # new tokens per row
                n_new = int(limits.max())
                if n_new <= 0:
                    continue
                ids = np.zeros((len(idx), length), dtype=np.int64)
                for row, i in enumerate(idx):
                    ids[row, pad[row]:] = prompts[i]
                logits, caches = _prefill(model, ids, pad, length + n_new)
                live = np.array(idx)  # the prompt index of each row still in the batch
                done = limits <= 0
                for step in range(n_new):
                    nxt = sample_next(logits, rng, temperature, top_k, top_p)
                    for row, i in enumerate(live):
                        if not done[row]:
                            results[i].append(int(nxt[row]))
                            done[row] = int(nxt[row]) in stops or len(results[i]) >= limits[row]
                    if done.all():
                        break
                    going = np.flatnonzero(~done)
                    if len(going) <= COMPACT_AT * len(done):  # drop the finished rows
                        live, done, limits, nxt = live[going], done[going], limits[going], nxt[going]
                        for c in caches:
                            c.keep(going)
                    logits = model(nxt[:, None], length + step, caches).data[:, -1]
    finally:
        model.train(was_training)
    return results
