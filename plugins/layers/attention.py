"""Layer plugins: ``GroupedQueryAttention`` and ``MultiHeadAttention`` (GQA with kv = heads).

Projections are bias-free Linears named like GGUF (``attn_q``, ``attn_k``, ``attn_v``,
``attn_output``). Positions: rotary (default, llama) or ALiBi (a score bias; composed from
primitive ops, so slower than the fused kernel path). ``kv_cache`` is a :class:`KVCache` for
decoding under ``no_grad``; its ``start`` marks each row's left padding, which no real position
attends to (``F.attention``'s ``key_start``). The layer-contract examples (``example(rng, dtype)``)
cover both paths: grouped-query attention with rotary, multi-head attention with ALiBi.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F
from simplex_training.hookspecs import hookimpl
from simplex_training.model.module import Module, normal_init
from simplex_training.plugins.layers.linear import Linear
from simplex_training.plugins.layers.positions import ALiBi, Rotary


@dataclass
class KVCache:
    """Pre-allocated keys and values (B, Hkv, Tmax, D) for one layer; ``length`` positions filled.

    ``start`` (B,) ints, optional: row b's first ``start[b]`` slots are left padding (prompts of
    different lengths decoded together). Real positions never attend to them, and the model counts
    row b's positions from its slot ``start[b]``.
    """

    k: np.ndarray
    v: np.ndarray
    length: int = 0
    start: np.ndarray | None = None

    @classmethod
    def empty(cls, batch: int, n_kv: int, t_max: int, head_dim: int, dtype=np.float32,  # noqa: ANN001
              start: np.ndarray | None = None) -> KVCache:
        shape = (batch, n_kv, t_max, head_dim)
        if start is not None:
            start = np.asarray(start, dtype=np.int64)
            if start.shape != (batch,) or (start < 0).any() or (start >= t_max).any():
                raise ValueError(f"KV cache start must hold {batch} slots in 0..{t_max - 1}")
        return cls(np.zeros(shape, dtype), np.zeros(shape, dtype), start=start)

    def append(self, k: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        t = k.shape[2]
        if self.length + t > self.k.shape[2]:
            raise ValueError(f"KV cache full: {self.length} + {t} > {self.k.shape[2]} positions")
        self.k[:, :, self.length : self.length + t] = k
        self.v[:, :, self.length : self.length + t] = v
        self.length += t
        return self.k[:, :, : self.length], self.v[:, :, : self.length]

    def keep(self, rows: np.ndarray) -> None:
        """Keep only ``rows`` (indices, in order) of the batch: the others are dropped, e.g. rows that
        finished decoding."""
        self.k, self.v = self.k[rows], self.v[rows]
        if self.start is not None:
            self.start = self.start[rows]


class GroupedQueryAttention(Module):
    name = "grouped_query_attention"

    def __init__(self, dim: int, n_heads: int, n_kv_heads: int, *, rope_base: float = 10000.0,
                 positions: str = "rotary", rng: np.random.Generator | None = None, out_std: float | None = None,
                 weights: dict | None = None, dtype=np.float32):  # noqa: ANN001
        if dim % n_heads or n_heads % n_kv_heads:
            raise ValueError(f"dim {dim}, heads {n_heads}, kv heads {n_kv_heads} do not divide")
        self.n_heads, self.n_kv, self.head_dim = n_heads, n_kv_heads, dim // n_heads
        rng = rng if rng is not None else np.random.default_rng(0)
        w = weights or {}
        kv_dim = n_kv_heads * self.head_dim
        self.attn_q = Linear(dim, dim, rng=rng, std=0.02, weight=w.get("attn_q"), dtype=dtype)
        self.attn_k = Linear(dim, kv_dim, rng=rng, std=0.02, weight=w.get("attn_k"), dtype=dtype)
        self.attn_v = Linear(dim, kv_dim, rng=rng, std=0.02, weight=w.get("attn_v"), dtype=dtype)
        self.attn_output = Linear(dim, dim, rng=rng, std=0.02 if out_std is None else out_std,
                                  weight=w.get("attn_output"), dtype=dtype)
        if positions == "rotary":
            self.pos = Rotary(self.head_dim, rope_base)
        elif positions == "alibi":
            self.pos = ALiBi(n_heads)
        else:
            raise ValueError(f"unknown position scheme '{positions}' (rotary or alibi)")

    def __call__(self, x: Tensor, positions: np.ndarray, kv_cache: KVCache | None = None) -> Tensor:
        B, T, C = x.shape
        H, Hkv, D = self.n_heads, self.n_kv, self.head_dim
        q = self.attn_q(x).reshape(B, T, H, D).transpose(0, 2, 1, 3)  # (B, H, T, D)
        k = self.attn_k(x).reshape(B, T, Hkv, D).transpose(0, 2, 1, 3)  # (B, Hkv, T, D)
        v = self.attn_v(x).reshape(B, T, Hkv, D).transpose(0, 2, 1, 3)
        if isinstance(self.pos, Rotary):
            q, k = self.pos(q, positions), self.pos(k, positions)
        key_start = None
        if kv_cache is not None:
            kd, vd = kv_cache.append(k.data, v.data)
            k, v, key_start = Tensor(kd), Tensor(vd), kv_cache.start
        if isinstance(self.pos, ALiBi):
            y = self._alibi_attention(q, k, v, key_start)
        else:
            y = F.attention(q, k, v, causal=True, key_start=key_start)  # (B, H, T, D)
        y = y.transpose(0, 2, 1, 3).reshape(B, T, C)
        return self.attn_output(y)

    def _alibi_attention(self, q: Tensor, k: Tensor, v: Tensor, key_start: np.ndarray | None = None) -> Tensor:
        B, H, Tq, D = q.shape
        Tk, G = k.shape[2], H // self.n_kv
        if G > 1:  # repeat kv heads for the composed path
            k = F.concat([k[:, i // G : i // G + 1] for i in range(H)], axis=1)
            v = F.concat([v[:, i // G : i // G + 1] for i in range(H)], axis=1)
        scores = (q @ k.transpose(0, 1, 3, 2)) * (1.0 / np.sqrt(D))  # (B, H, Tq, Tk)
        bias = self.pos.bias(Tq, Tk, q.dtype)
        qpos, kpos = np.arange(Tk - Tq, Tk)[:, None], np.arange(Tk)[None, :]
        hidden = np.broadcast_to(kpos > qpos, (1, 1, Tq, Tk))  # future keys
        if key_start is not None:  # and, for real positions, the row's left padding
            first = np.minimum(np.asarray(key_start).reshape(-1, 1, 1, 1), qpos)
            hidden = hidden | (kpos < first)
        bias = np.where(hidden, np.asarray(-1e30, q.dtype), bias[None])
        return F.softmax(scores + Tensor(bias)) @ v

    @classmethod
    def example(cls, rng: np.random.Generator,
                dtype=np.float32) -> tuple[GroupedQueryAttention, list[np.ndarray]]:  # noqa: ANN001
        """Layer contract example: dim 8, 4 query heads sharing 2 kv heads, rotary; x (2, 3, 8), positions 0..2."""
        layer = cls(8, 4, 2, weights=_example_weights(rng, 8, 4, dtype), dtype=dtype)
        return layer, [normal_init(rng, (2, 3, 8), 1.0, dtype), np.arange(3)]


class MultiHeadAttention(GroupedQueryAttention):
    name = "multi_head_attention"

    def __init__(self, dim: int, n_heads: int, **kwargs):  # noqa: ANN003
        super().__init__(dim, n_heads, n_heads, **kwargs)

    @classmethod
    def example(cls, rng: np.random.Generator,
                dtype=np.float32) -> tuple[MultiHeadAttention, list[np.ndarray]]:  # noqa: ANN001
        """Layer contract example: dim 6, 3 heads, ALiBi; x (2, 3, 6), positions 0..2."""
        layer = cls(6, 3, positions="alibi", weights=_example_weights(rng, 6, 6, dtype), dtype=dtype)
        return layer, [normal_init(rng, (2, 3, 6), 1.0, dtype), np.arange(3)]


def _example_weights(rng: np.random.Generator, dim: int, kv_dim: int, dtype) -> dict[str, Parameter]:  # noqa: ANN001
    """Projection weights N(0, 0.5^2): scores of order 1, so the softmax is far from uniform in the examples."""
    shapes = {"attn_q": (dim, dim), "attn_k": (kv_dim, dim), "attn_v": (kv_dim, dim), "attn_output": (dim, dim)}
    return {k: Parameter(normal_init(rng, shape, 0.5, dtype)) for k, shape in shapes.items()}


class _Plugin:
    @hookimpl
    def register_layers(self, register):  # noqa: ANN001
        register(GroupedQueryAttention)
        register(MultiHeadAttention)


plugin = _Plugin()
