"""Layer plugin: ``SwiGLU`` feed-forward, down(silu(gate(x)) * up(x)) (llama's FFN)."""

from __future__ import annotations

import numpy as np

from simplex_training.engine import Tensor
from simplex_training.engine import functional as F
from simplex_training.hookspecs import hookimpl
from simplex_training.model.module import Module
from simplex_training.plugins.layers.linear import Linear


class SwiGLU(Module):
    name = "swiglu"

    def __init__(self, dim: int, hidden: int, *, rng: np.random.Generator | None = None,
                 out_std: float | None = None, weights: dict | None = None, dtype=np.float32):  # noqa: ANN001
        rng = rng if rng is not None else np.random.default_rng(0)
        w = weights or {}
        self.ffn_gate = Linear(dim, hidden, rng=rng, std=0.02, weight=w.get("ffn_gate"), dtype=dtype)
        self.ffn_up = Linear(dim, hidden, rng=rng, std=0.02, weight=w.get("ffn_up"), dtype=dtype)
        self.ffn_down = Linear(hidden, dim, rng=rng, std=out_std or 0.02, weight=w.get("ffn_down"), dtype=dtype)

    def __call__(self, x: Tensor) -> Tensor:
        return self.ffn_down(F.swiglu(self.ffn_gate(x), self.ffn_up(x)))  # (B, T, C)


class _Plugin:
    @hookimpl
    def register_layers(self, register):  # noqa: ANN001
        register(SwiGLU)


plugin = _Plugin()
