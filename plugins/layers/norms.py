"""Layer plugins: normalisations ``RMSNorm``, ``LayerNorm``, ``GroupNorm``, ``BatchNorm``.

RMSNorm and LayerNorm use the engine's fused kernels; GroupNorm and BatchNorm are composed from
differentiable primitives (their gradients follow by autograd).
"""

from __future__ import annotations

import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F
from simplex_training.hookspecs import hookimpl
from simplex_training.model.module import Module, normal_init


def _affine_example(layer: Module, rng: np.random.Generator, x_shape: tuple[int, ...],
                    dtype) -> tuple[Module, list[np.ndarray]]:  # noqa: ANN001
    """Randomise a fresh norm's weight (around 1) and bias (around 0); draw x (mean 1, std 2). For the contract."""
    layer.weight.data += normal_init(rng, layer.weight.shape, 0.5, dtype)
    if getattr(layer, "bias", None) is not None:
        layer.bias.data[...] = normal_init(rng, layer.bias.shape, 0.5, dtype)
    return layer, [(normal_init(rng, x_shape, 2.0, np.float64) + 1.0).astype(dtype)]


class RMSNorm(Module):
    """x / sqrt(mean(x^2) + eps) * w over the last axis (llama's norm)."""

    name = "rms_norm"

    def __init__(self, dim: int, eps: float = 1e-5, *, weight: Parameter | None = None, dtype=np.float32):  # noqa: ANN001
        self.weight = weight if weight is not None else Parameter(np.ones(dim, dtype=dtype))
        self.eps = eps

    def __call__(self, x: Tensor) -> Tensor:
        return F.rms_norm(x, self.weight, self.eps)

    @classmethod
    def example(cls, rng: np.random.Generator, dtype=np.float32) -> tuple[RMSNorm, list[np.ndarray]]:  # noqa: ANN001
        """Layer contract example: dim 6, random weight, x (2, 3, 6)."""
        return _affine_example(cls(6, dtype=dtype), rng, (2, 3, 6), dtype)


class LayerNorm(Module):
    """(x - mean) / sqrt(var + eps) * w + b over the last axis."""

    name = "layer_norm"

    def __init__(self, dim: int, eps: float = 1e-5, bias: bool = True, dtype=np.float32):  # noqa: ANN001
        self.weight = Parameter(np.ones(dim, dtype=dtype))
        self.bias = Parameter(np.zeros(dim, dtype=dtype)) if bias else None
        self.eps = eps

    def __call__(self, x: Tensor) -> Tensor:
        return F.layer_norm(x, self.weight, self.bias, self.eps)

    @classmethod
    def example(cls, rng: np.random.Generator, dtype=np.float32) -> tuple[LayerNorm, list[np.ndarray]]:  # noqa: ANN001
        """Layer contract example: dim 6, random weight and bias, x (2, 3, 6)."""
        return _affine_example(cls(6, dtype=dtype), rng, (2, 3, 6), dtype)


class GroupNorm(Module):
    """Normalise channel groups of x (B, C, ...) by their mean and variance, then scale and shift."""

    name = "group_norm"

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, dtype=np.float32):  # noqa: ANN001
        if num_channels % num_groups:
            raise ValueError(f"num_channels {num_channels} is not divisible by num_groups {num_groups}")
        self.groups, self.channels, self.eps = num_groups, num_channels, eps
        self.weight = Parameter(np.ones(num_channels, dtype=dtype))
        self.bias = Parameter(np.zeros(num_channels, dtype=dtype))

    def __call__(self, x: Tensor) -> Tensor:
        B, C = x.shape[0], x.shape[1]
        rest = x.shape[2:]
        g = x.reshape(B, self.groups, -1)  # (B, G, C/G * ...)
        mu = g.mean(axis=-1, keepdims=True)
        d = g - mu
        var = (d * d).mean(axis=-1, keepdims=True)
        y = (d / (var + self.eps).sqrt()).reshape(B, C, *rest)
        shape = (1, C) + (1,) * len(rest)
        return y * self.weight.reshape(*shape) + self.bias.reshape(*shape)

    @classmethod
    def example(cls, rng: np.random.Generator, dtype=np.float32) -> tuple[GroupNorm, list[np.ndarray]]:  # noqa: ANN001
        """Layer contract example: 2 groups of 4 channels, random weight and bias, x (3, 4, 5)."""
        return _affine_example(cls(2, 4, dtype=dtype), rng, (3, 4, 5), dtype)


class BatchNorm(Module):
    """Batch statistics in training (with running averages), running statistics in eval."""

    name = "batch_norm"

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, dtype=np.float32):  # noqa: ANN001
        self.eps, self.momentum = eps, momentum
        self.weight = Parameter(np.ones(num_features, dtype=dtype))
        self.bias = Parameter(np.zeros(num_features, dtype=dtype))
        self.running_mean = np.zeros(num_features, dtype=dtype)
        self.running_var = np.ones(num_features, dtype=dtype)

    def __call__(self, x: Tensor) -> Tensor:
        # x: (N, C) or (N, C, L); statistics over every axis but the channel axis 1
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
        if self.training:
            mu = x.mean(axis=axes, keepdims=True)
            d = x - mu
            var = (d * d).mean(axis=axes, keepdims=True)
            n = x.size // x.shape[1]
            m = self.momentum
            self.running_mean = ((1 - m) * self.running_mean + m * mu.data.reshape(-1)).astype(self.running_mean.dtype)
            unbiased = var.data.reshape(-1) * n / max(n - 1, 1)
            self.running_var = ((1 - m) * self.running_var + m * unbiased).astype(self.running_var.dtype)
            y = d / (var + self.eps).sqrt()
        else:
            mu = Tensor(self.running_mean.reshape(shape))
            y = (x - mu) / Tensor(np.sqrt(self.running_var.reshape(shape) + self.eps))
        return y * self.weight.reshape(*shape) + self.bias.reshape(*shape)

    @classmethod
    def example(cls, rng: np.random.Generator, dtype=np.float32) -> tuple[BatchNorm, list[np.ndarray]]:  # noqa: ANN001
        """Layer contract example: 3 features, random weight and bias, x (4, 3, 2)."""
        return _affine_example(cls(3, dtype=dtype), rng, (4, 3, 2), dtype)


class _Plugin:
    @hookimpl
    def register_layers(self, register):  # noqa: ANN001
        for cls in (RMSNorm, LayerNorm, GroupNorm, BatchNorm):
            register(cls)


plugin = _Plugin()
