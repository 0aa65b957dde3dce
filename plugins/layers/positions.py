"""Layer plugins: position schemes.

* ``SinusoidalPositions``: fixed PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(...),
  added to the token embeddings.
* ``LearnedPositions``: a trained (context, d) table added to the embeddings.
* ``Rotary``: llama.cpp's RoPE on adjacent pairs (x[2i], x[2i+1]) of each head, theta =
  pos * base^(-2i/D), applied to queries and keys.
* ``ALiBi``: no embedding; a per-head linear distance penalty -slope_h * (i - j) added to the
  attention scores, slopes 2^(-8h/H) (Press et al., 2022). Calling it adds the penalty to scores
  (B, H, Tq, Tk); causal masking stays with the caller.

Each class has ``example(rng, dtype)`` for the layer contract
(:mod:`simplex_training.model.layer_contract`).
"""

from __future__ import annotations

import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F
from simplex_training.hookspecs import hookimpl
from simplex_training.model.module import Module, normal_init


def _check_span(offset: int, length: int, context_length: int, name: str) -> None:
    """Positions ``offset .. offset + length - 1`` must lie in the table (a clear error, not a broadcast one)."""
    if offset < 0 or offset + length > context_length:
        raise ValueError(f"{name}: positions {offset}..{offset + length - 1} are outside the table of "
                         f"{context_length} positions (context length)")


class SinusoidalPositions(Module):
    name = "sinusoidal_positions"

    def __init__(self, context_length: int, dim: int, dtype=np.float32):  # noqa: ANN001
        pos = np.arange(context_length)[:, None]
        i = np.arange(0, dim, 2)[None, :]
        angle = pos / np.power(10000.0, i / dim)
        table = np.zeros((context_length, dim))
        table[:, 0::2] = np.sin(angle)
        table[:, 1::2] = np.cos(angle[:, : dim // 2])
        self.table = table.astype(dtype)

    def __call__(self, x: Tensor, offset: int = 0) -> Tensor:  # x (B, T, C)
        _check_span(offset, x.shape[1], len(self.table), self.name)
        return x + Tensor(self.table[offset : offset + x.shape[1]])

    @classmethod
    def example(cls, rng: np.random.Generator,
                dtype=np.float32) -> tuple[SinusoidalPositions, list[np.ndarray]]:  # noqa: ANN001
        """Layer contract example: context 8, dim 4, x (2, 3, 4)."""
        return cls(8, 4, dtype=dtype), [normal_init(rng, (2, 3, 4), 1.0, dtype)]


class LearnedPositions(Module):
    name = "learned_positions"

    def __init__(self, context_length: int, dim: int, *, rng: np.random.Generator | None = None, dtype=np.float32):  # noqa: ANN001
        rng = rng if rng is not None else np.random.default_rng(0)
        self.weight = Parameter(normal_init(rng, (context_length, dim), 0.02, dtype))

    def __call__(self, x: Tensor, offset: int = 0) -> Tensor:
        _check_span(offset, x.shape[1], self.weight.shape[0], self.name)
        return x + self.weight[offset : offset + x.shape[1]]

    @classmethod
    def example(cls, rng: np.random.Generator,
                dtype=np.float32) -> tuple[LearnedPositions, list[np.ndarray]]:  # noqa: ANN001
        """Layer contract example: context 5, dim 4, x (2, 3, 4) (rows 3 and 4 get no gradient)."""
        return cls(5, 4, rng=rng, dtype=dtype), [normal_init(rng, (2, 3, 4), 1.0, dtype)]


class Rotary(Module):
    name = "rotary"

    def __init__(self, head_dim: int, base: float = 10000.0):
        if head_dim % 2:
            raise ValueError("rotary needs an even head_dim")
        self.head_dim, self.base = head_dim, base

    def __call__(self, x: Tensor, positions: np.ndarray) -> Tensor:  # x (B, H, T, D)
        return F.rope(x, positions, self.base)

    @classmethod
    def example(cls, rng: np.random.Generator, dtype=np.float32) -> tuple[Rotary, list[np.ndarray]]:  # noqa: ANN001
        """Layer contract example: head_dim 4, base 100, x (1, 2, 3, 4) at positions 1, 4, 2."""
        return cls(4, base=100.0), [normal_init(rng, (1, 2, 3, 4), 1.0, dtype), np.array([1, 4, 2])]


class ALiBi(Module):
    name = "alibi"

    def __init__(self, n_heads: int):
        self.slopes = np.array([2.0 ** (-8.0 * (h + 1) / n_heads) for h in range(n_heads)])

    def bias(self, tq: int, tk: int, dtype=np.float32) -> np.ndarray:  # noqa: ANN001
        """(H, Tq, Tk) additive bias; query rows are the last Tq of Tk positions."""
        qpos = np.arange(tk - tq, tk)[:, None]
        kpos = np.arange(tk)[None, :]
        dist = (qpos - kpos).astype(np.float64)
        return (-self.slopes[:, None, None] * dist[None]).astype(dtype)

    def __call__(self, scores: Tensor) -> Tensor:
        """scores (B, H, Tq, Tk) plus the distance penalty; no causal mask."""
        return scores + Tensor(self.bias(scores.shape[-2], scores.shape[-1], scores.dtype)[None])

    @classmethod
    def example(cls, rng: np.random.Generator, dtype=np.float32) -> tuple[ALiBi, list[np.ndarray]]:  # noqa: ANN001
        """Layer contract example: 2 heads, scores (1, 2, 2, 3) (queries are the last 2 of 3 positions)."""
        return cls(2), [normal_init(rng, (1, 2, 2, 3), 1.0, dtype)]


class _Plugin:
    @hookimpl
    def register_layers(self, register):  # noqa: ANN001
        for cls in (SinusoidalPositions, LearnedPositions, Rotary, ALiBi):
            register(cls)


plugin = _Plugin()
