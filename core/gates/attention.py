"""Multi-head self-attention whose logits are divided by a learnable temperature.

Scope
-----
``TemperatureAttention(dim, n_heads, temperature=1.0, learn_temperature=True, per_head=False,
causal=False, hard_inference=False, rng=None)``

    q, k, v = x Wq^T, x Wk^T, x Wv^T split into ``n_heads`` heads of size d = dim / n_heads
    A = softmax(q k^T / (sqrt(d) * T) + mask)        per head, T a LearnableTemperature
    y = concat_heads(A v) Wo^T

T lives in [min_temperature, max_temperature] (default [0.01, 10]); small T sharpens the attention
towards the best-matching key, large T flattens it towards a uniform average. ``per_head=True``
gives every head its own temperature. ``hard_inference=True`` makes eval-mode attention a true
one-hot argmax over keys.

Fixes versus the original (``neural/temp_attention.sx``): the four projections are separate
Parameters drawn one after another from one explicit generator (the original re-seeded per
matrix, so Q = K = V = O, and stored them without gradients); heads really are separate (the
original computed a single head); "hard" attention is an argmax instead of softmax(100 x); the
temperature receives a real gradient.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F
from simplex_training.gates.mixture import LearnableTemperature
from simplex_training.model.module import Module, normal_init

__all__ = ["TemperatureAttention"]

_NEG = -1e30


class TemperatureAttention(Module):
    name = "temperature_attention"
    hard_in_eval = False

    def __init__(self, dim: int = 16, n_heads: int = 2, *, temperature: float = 1.0,
                 learn_temperature: bool = True, min_temperature: float = 0.01,
                 max_temperature: float = 10.0, per_head: bool = False, causal: bool = False,
                 hard_inference: bool = False, rng: np.random.Generator | None = None,
                 dtype: Any = np.float32) -> None:
        if dim % n_heads:
            raise ValueError(f"dim {dim} is not divisible by n_heads {n_heads}")
        rng = rng if rng is not None else np.random.default_rng(0)
        self.dim, self.n_heads, self.head_dim = int(dim), int(n_heads), dim // n_heads
        self.causal, self.hard_inference = bool(causal), bool(hard_inference)
        std = 1.0 / math.sqrt(dim)
        # drawn in sequence from one generator: four distinct matrices, stored (out, in)
        self.wq = Parameter(normal_init(rng, (dim, dim), std, dtype), name="attn_q")
        self.wk = Parameter(normal_init(rng, (dim, dim), std, dtype), name="attn_k")
        self.wv = Parameter(normal_init(rng, (dim, dim), std, dtype), name="attn_v")
        self.wo = Parameter(normal_init(rng, (dim, dim), std, dtype), name="attn_output")
        self.temperature = LearnableTemperature(temperature, min_temperature, max_temperature,
                                                shape=(n_heads, 1, 1) if per_head else (), dtype=dtype)
        if not learn_temperature:
            self.temperature.raw.freeze()

    def set_temperature(self, value: float) -> None:
        self.temperature.set(value)

    def _split(self, x: Tensor, w: Parameter) -> Tensor:
        B, T, _ = x.shape
        return F.linear(x, w).reshape(B, T, self.n_heads, self.head_dim).transpose(0, 2, 1, 3)

    def attention_weights(self, x: Any, mask: np.ndarray | None = None) -> Tensor:
        """(B, H, T, T) attention probabilities (one-hot in eval with ``hard_inference``)."""
        x = x if isinstance(x, Tensor) else Tensor(x, dtype=self.wq.dtype)
        if x.ndim != 3 or x.shape[-1] != self.dim:
            raise ValueError(f"expected input (B, T, {self.dim}), got {x.shape}")
        q, k = self._split(x, self.wq), self._split(x, self.wk)
        scores = (q @ k.transpose(0, 1, 3, 2)) * (1.0 / math.sqrt(self.head_dim))
        scores = scores / self.temperature.value()
        bias = self._bias(x.shape[0], x.shape[1], mask, x.dtype)
        if bias is not None:
            scores = scores + Tensor(bias)
        if self.hard_inference and not self.training:
            s = scores.data
            hard = np.zeros_like(s)
            np.put_along_axis(hard, s.argmax(axis=-1)[..., None], 1.0, axis=-1)
            return Tensor(hard)
        return F.softmax(scores)

    def _bias(self, B: int, T: int, mask: np.ndarray | None, dtype: Any) -> np.ndarray | None:
        bias = None
        if self.causal:
            bias = np.where(np.triu(np.ones((T, T), dtype=bool), k=1), _NEG, 0.0).astype(dtype)[None, None]
        if mask is not None:
            keep = np.asarray(mask, dtype=bool)
            if keep.shape != (B, T):
                raise ValueError(f"padding mask must be (B, T) = {(B, T)}, got {keep.shape}")
            pad = np.where(keep, 0.0, _NEG).astype(dtype)[:, None, None, :]
            bias = pad if bias is None else bias + pad
        return bias

    def forward(self, x: Any, mask: np.ndarray | None = None) -> Tensor:
        """(B, T, dim) -> (B, T, dim); ``mask`` (B, T) is True for real (non-padding) keys."""
        x = x if isinstance(x, Tensor) else Tensor(x, dtype=self.wq.dtype)
        a = self.attention_weights(x, mask)
        B, T, C = x.shape
        y = (a @ self._split(x, self.wv)).transpose(0, 2, 1, 3).reshape(B, T, C)
        return F.linear(y, self.wo)

    __call__ = forward

    def example_input(self, rng: np.random.Generator) -> np.ndarray:
        return rng.standard_normal((2, 5, self.dim)).astype(self.wq.dtype)
