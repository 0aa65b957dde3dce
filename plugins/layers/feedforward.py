"""Layer plugin: ``SwiGLU`` feed-forward, down(silu(gate(x)) * up(x)) (llama's FFN)."""

from __future__ import annotations

import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F
from simplex_training.hookspecs import hookimpl
from simplex_training.model.module import Module, normal_init
from simplex_training.plugins.layers.linear import Linear


class SwiGLU(Module):
    name = "swiglu"

    def __init__(self, dim: int, hidden: int, *, rng: np.random.Generator | None = None,
                 out_std: float | None = None, weights: dict | None = None, dtype=np.float32):  # noqa: ANN001
        rng = rng if rng is not None else np.random.default_rng(0)
        w = weights or {}
        self.ffn_gate = Linear(dim, hidden, rng=rng, std=0.02, weight=w.get("ffn_gate"), dtype=dtype)
        self.ffn_up = Linear(dim, hidden, rng=rng, std=0.02, weight=w.get("ffn_up"), dtype=dtype)
        self.ffn_down = Linear(hidden, dim, rng=rng, std=0.02 if out_std is None else out_std,
                               weight=w.get("ffn_down"), dtype=dtype)

    def __call__(self, x: Tensor) -> Tensor:
        return self.ffn_down(F.swiglu(self.ffn_gate(x), self.ffn_up(x)))  # (B, T, C)

    @classmethod
    def example(cls, rng: np.random.Generator, dtype=np.float32) -> tuple[SwiGLU, list[np.ndarray]]:  # noqa: ANN001
        """Layer contract example: dim 4, hidden 6, weights N(0, 0.5^2) (gates away from 0), x (2, 3, 4)."""
        shapes = {"ffn_gate": (6, 4), "ffn_up": (6, 4), "ffn_down": (4, 6)}
        weights = {k: Parameter(normal_init(rng, shape, 0.5, dtype)) for k, shape in shapes.items()}
        return cls(4, 6, weights=weights, dtype=dtype), [normal_init(rng, (2, 3, 4), 1.0, dtype)]


class _Plugin:
    @hookimpl
    def register_layers(self, register):  # noqa: ANN001
        register(SwiGLU)


plugin = _Plugin()
