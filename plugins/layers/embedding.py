"""Layer plugin: ``Embedding`` (token id -> row of a (V, C) table; scatter-add backward)."""

from __future__ import annotations

import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F
from simplex_training.hookspecs import hookimpl
from simplex_training.model.module import Module, normal_init


class Embedding(Module):
    name = "embedding"

    def __init__(self, num_embeddings: int, dim: int, *, rng: np.random.Generator | None = None,
                 std: float = 0.02, padding_idx: int | None = None, weight: Parameter | None = None,
                 dtype=np.float32):  # noqa: ANN001
        if weight is None:
            rng = rng if rng is not None else np.random.default_rng(0)
            data = normal_init(rng, (num_embeddings, dim), std, dtype)
            if padding_idx is not None:
                data[padding_idx] = 0.0  # a real zero row, and its gradient is masked below
            weight = Parameter(data)
        self.weight = weight
        self.padding_idx = padding_idx

    def __call__(self, ids: np.ndarray) -> Tensor:
        ids = np.asarray(ids)
        out = F.embedding(self.weight, ids)  # (B, T) -> (B, T, C)
        if self.padding_idx is not None:
            keep = (ids != self.padding_idx)[..., None].astype(self.weight.dtype)
            out = out * Tensor(keep)  # padding rows contribute neither output nor gradient
        return out

    @classmethod
    def example(cls, rng: np.random.Generator, dtype=np.float32) -> tuple[Embedding, list[np.ndarray]]:  # noqa: ANN001
        """Layer contract example: a (7, 4) table with padding row 0, ids (2, 4) with repeats and padding."""
        layer = cls(7, 4, rng=rng, std=1.0, padding_idx=0, dtype=dtype)
        return layer, [np.array([[1, 5, 1, 0], [6, 0, 5, 3]])]


class _Plugin:
    @hookimpl
    def register_layers(self, register):  # noqa: ANN001
        register(Embedding)


plugin = _Plugin()
