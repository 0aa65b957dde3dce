"""Layer plugin: ``Linear`` (y = x W^T + b, W stored (out, in) like nn.Linear and GGUF)."""

from __future__ import annotations

import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F
from simplex_training.hookspecs import hookimpl
from simplex_training.model.module import Module, normal_init


class Linear(Module):
    name = "linear"

    def __init__(self, in_features: int, out_features: int, bias: bool = False, *,
                 rng: np.random.Generator | None = None, std: float | None = None,
                 weight: Parameter | None = None, dtype=np.float32):  # noqa: ANN001
        self.in_features, self.out_features = in_features, out_features
        if weight is None:
            rng = rng if rng is not None else np.random.default_rng(0)
            std = std if std is not None else 1.0 / np.sqrt(in_features)  # LeCun normal
            weight = Parameter(normal_init(rng, (out_features, in_features), std, dtype))
        if weight.shape != (out_features, in_features):
            raise ValueError(f"Linear weight shape {weight.shape} != {(out_features, in_features)}")
        self.weight = weight
        self.bias = Parameter(np.zeros(out_features, dtype=dtype)) if bias else None

    def __call__(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight, self.bias)  # (..., in) -> (..., out)

    @classmethod
    def example(cls, rng: np.random.Generator, dtype=np.float32) -> tuple[Linear, list[np.ndarray]]:  # noqa: ANN001
        """Layer contract example: Linear 4 -> 3 with a random bias, on x (2, 3, 4)."""
        layer = cls(4, 3, bias=True, rng=rng, dtype=dtype)
        layer.bias.data[...] = normal_init(rng, (3,), 1.0, dtype)
        return layer, [normal_init(rng, (2, 3, 4), 1.0, dtype)]


class _Plugin:
    @hookimpl
    def register_layers(self, register):  # noqa: ANN001
        register(Linear)


plugin = _Plugin()
