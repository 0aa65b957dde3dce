"""``LoRALinear``: a frozen ``Linear`` plus a trainable low-rank update (LoRA, rsLoRA, QLoRA).

Math (Hu et al. 2021; PEFT ``peft.tuners.lora.layer.Linear``; llama.cpp ``build_lora_mm``,
``../shared/reference/gguf-llama-cpp.md`` §4)::

    y = x W^T + b + scale * (dropout(x) A^T) B^T      A (r, in), B (out, r), W (out, in)
    scale = alpha / r              (rsLoRA: alpha / sqrt(r), Kalajdzievski 2023)

Initialisation: ``B = 0`` so a fresh adapter is the identity; ``A`` follows PEFT's default
(``init="kaiming"``: ``kaiming_uniform_(a=sqrt(5))`` = U(-1/sqrt(in), 1/sqrt(in))) or PEFT's
``init_lora_weights="gaussian"`` (``init="gaussian"``: N(0, 1/r^2), i.e. std 1/r). The original
Simplex library used A ~ N(0, 1)/sqrt(r) stored transposed (``original-system.md`` §2.5); the
PEFT/llama.cpp layout (A (r, in), B (out, r)) is used here because it is what both formats store.

Dropout is a real inverted-Bernoulli mask on the LoRA input only, drawn from an explicit
``np.random.Generator``; it is off in eval mode. ``merge()`` adds ``scale * B @ A`` into ``W`` in
place (computed in float64) and keeps the original array, which ``unmerge()`` puts back bit-exactly.

QLoRA (``quantize="q8_0"`` or ``"q4_0"``): the base weight is stored as ggml blocks (uint8, via
``gguf.quants.quantize``); every forward dequantizes it into a temporary array that is released
when the op returns, and the backward pass dequantizes again for dX. The base gets no gradient
(no dW GEMM). ``layer.weight`` on a quantized layer returns a fresh, frozen, dequantized
Parameter (a read-only view for exporters; writing to it does not change the layer).
"""

from __future__ import annotations

from typing import Any

import gguf
import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F
from simplex_training.engine.kernels import dropout as _dropout_k
from simplex_training.engine.kernels.gemm import gemm
from simplex_training.engine.ops_matmul import dense_forward
from simplex_training.engine.tensor import accumulate, make_output
from simplex_training.model.module import Module

QUANT_TYPES: dict[str, gguf.GGMLQuantizationType] = {
    "q8_0": gguf.GGMLQuantizationType.Q8_0,
    "q4_0": gguf.GGMLQuantizationType.Q4_0,
}
INITS = ("kaiming", "gaussian")


def lora_scale(rank: int, alpha: float, rslora: bool = False) -> float:
    """``alpha / r``, or ``alpha / sqrt(r)`` with rsLoRA."""
    return float(alpha) / (float(np.sqrt(rank)) if rslora else float(rank))


def quantized_linear(x: Tensor, qweight: np.ndarray, qtype: gguf.GGMLQuantizationType,
                     bias: Tensor | None = None) -> Tensor:
    """``x @ dequantize(qweight).T (+ bias)``; the float weight lives only inside the op.

    Gradient flows to ``x`` (dequantizing again in backward) and to a trainable ``bias``; never
    to the quantized weight.
    """
    w = gguf.quants.dequantize(qweight, qtype).astype(x.dtype, copy=False)  # (out, in)
    n_out, n_in = w.shape
    if x.shape[-1] != n_in:
        raise ValueError(f"quantized_linear: x {x.shape} does not match weight ({n_out}, {n_in})")
    lead = x.shape[:-1]
    y = gemm(x.data.reshape(-1, n_in), w.T)
    del w
    if bias is not None:
        y += bias.data
    parents = (x,) if bias is None else (x, bias)

    def _backward(g: np.ndarray) -> None:
        g2 = g.reshape(-1, n_out)
        if x.requires_grad:
            wd = gguf.quants.dequantize(qweight, qtype).astype(g.dtype, copy=False)
            accumulate(x, gemm(g2, wd).reshape(x.shape), fresh=True)
        if bias is not None and bias.requires_grad:
            accumulate(bias, g2.sum(axis=0), fresh=True)

    return make_output(y.reshape(*lead, n_out), parents, _backward, "quantized_linear")


def lora_linear(x: Tensor, weight: Tensor, a: Tensor, b: Tensor, scale: float,
                bias: Tensor | None = None, *, dropout: float = 0.0, seed: int = 0) -> Tensor:
    """``x W^T (+ bias) + ((dropout(x) A^T) * scale) B^T`` as one op.

    Same products, in the same order and dtype, as the composed ops ``linear(x, W) +
    linear(linear(dropout(x), A) * scale, B)``, without their intermediate tensors: the low-rank
    update is added into the base output in place, and x gets one gradient (base + low-rank)
    instead of two summed by the autograd. Only inputs with ``requires_grad`` get gradient GEMMs.
    With ``dropout > 0`` the LoRA path's input is ``dropout_apply(x, seed, dropout)`` (the mask
    of :func:`~simplex_training.engine.functional.dropout` with that seed), kept for A's gradient;
    the backward pass recomputes the mask from the seed for x's gradient.
    """
    x2, y, lead = dense_forward("lora_linear", x, weight, bias, (a, b), "x, weight, A, B and bias")
    n_out = weight.shape[0]
    h = _dropout_k.dropout_apply(x2, seed, dropout) if dropout else x2  # the LoRA path's input
    z = gemm(h, a.data.T)  # (N, r)
    z *= z.dtype.type(scale)
    y += gemm(z, b.data.T)
    parents = (x, weight, a, b) if bias is None else (x, weight, a, b, bias)

    def _backward(g: np.ndarray) -> None:
        g2 = g.reshape(-1, n_out)  # (N, out)
        need_z = x.requires_grad or a.requires_grad
        if need_z:
            dz = gemm(g2, b.data)  # (N, r)
            dz *= dz.dtype.type(scale)
        if x.requires_grad:
            dx = gemm(g2, weight.data)
            if dropout:
                _dropout_k.dropout_add(gemm(dz, a.data), seed, dropout, dx)
            else:
                dx += gemm(dz, a.data)
            accumulate(x, dx.reshape(x.shape), fresh=True)
        if weight.requires_grad:
            accumulate(weight, gemm(g2.T, x2), fresh=True)
        if a.requires_grad:
            accumulate(a, gemm(dz.T, h), fresh=True)
        if b.requires_grad:
            accumulate(b, gemm(g2.T, z), fresh=True)
        if bias is not None and bias.requires_grad:
            accumulate(bias, g2.sum(axis=0), fresh=True)

    return make_output(y.reshape(*lead, n_out), parents, _backward, "lora_linear")


class LoRALinear(Module):
    """Wraps a ``Linear`` (anything with ``weight`` (out, in) and optional ``bias``)."""

    name = "lora_linear"

    def __init__(self, base: Any, rank: int, alpha: float, *, dropout: float = 0.0, rslora: bool = False,
                 quantize: str | None = None, rng: np.random.Generator | None = None,
                 dropout_rng: np.random.Generator | None = None, init: str = "kaiming") -> None:
        if rank < 1:
            raise ValueError(f"LoRA rank must be >= 1, got {rank}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"LoRA dropout must be in [0, 1), got {dropout}")
        if init not in INITS:
            raise ValueError(f"unknown LoRA init {init!r} (choose {', '.join(INITS)})")
        weight: Parameter = base.weight
        out_f, in_f = weight.shape
        dtype = weight.dtype
        self.in_features, self.out_features = int(in_f), int(out_f)
        self.rank, self.alpha, self.rslora = int(rank), float(alpha), bool(rslora)
        self.scale = lora_scale(rank, alpha, rslora)
        self.dropout = float(dropout)
        self.quantize = quantize
        rng = rng if rng is not None else np.random.default_rng(0)
        self.dropout_rng = dropout_rng if dropout_rng is not None else np.random.default_rng(1)
        self.bias = getattr(base, "bias", None)
        if self.bias is not None:
            self.bias.freeze()
        if quantize is None:
            self.weight = weight.freeze()
        else:
            if quantize not in QUANT_TYPES:
                raise ValueError(f"unknown base quantization {quantize!r} (choose {', '.join(QUANT_TYPES)})")
            qtype = QUANT_TYPES[quantize]
            block = gguf.GGML_QUANT_SIZES[qtype][0]
            if in_f % block:
                raise ValueError(f"{quantize} needs rows whose length is a multiple of {block}; "
                                 f"this weight has rows of {in_f} (shape {weight.shape})")
            self.qtype = qtype
            self.qweight = gguf.quants.quantize(np.asarray(weight.data, dtype=np.float32), qtype)
            self._dtype = dtype
        if init == "kaiming":
            bound = 1.0 / np.sqrt(in_f)
            a = rng.uniform(-bound, bound, size=(rank, in_f))
        else:
            a = rng.standard_normal((rank, in_f)) / rank
        self.lora_A = Parameter(a.astype(dtype))
        self.lora_B = Parameter(np.zeros((out_f, rank), dtype=dtype))
        self._enabled = True
        self._orig: np.ndarray | None = None

    # -- base weight -------------------------------------------------------------------------

    def __getattr__(self, item: str) -> Any:
        if item == "weight" and "qweight" in self.__dict__:  # quantized: a transient float copy
            return Parameter(self.dequantized_base(), requires_grad=False)
        raise AttributeError(f"{type(self).__name__!s} has no attribute {item!r}")

    @property
    def merged(self) -> bool:
        return self._orig is not None

    @property
    def enabled(self) -> bool:
        """False: the forward pass is the base layer alone (the adapter is kept, not applied)."""
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        if self.merged and not value:
            raise RuntimeError("cannot disable a merged LoRA layer; unmerge() first")
        self._enabled = bool(value)

    def dequantized_base(self) -> np.ndarray:
        """The base weight (out, in) as a float array, without the LoRA delta (a new array)."""
        if "qweight" in self.__dict__:
            return gguf.quants.dequantize(self.qweight, self.qtype).astype(self._dtype)
        return (self._orig if self._orig is not None else self.weight.data).copy()

    def delta(self) -> np.ndarray:
        """``scale * B @ A`` (out, in), computed in float64, returned in the weight dtype."""
        d = self.scale * (self.lora_B.data.astype(np.float64) @ self.lora_A.data.astype(np.float64))
        return d.astype(self.lora_A.dtype)

    # -- forward -----------------------------------------------------------------------------

    def _base(self, x: Tensor) -> Tensor:
        if "qweight" in self.__dict__:
            return quantized_linear(x, self.qweight, self.qtype, self.bias)
        return F.linear(x, self.weight, self.bias)

    def __call__(self, x: Tensor) -> Tensor:
        if self.enabled and not self.merged and "qweight" not in self.__dict__:
            p = self.dropout if self.training else 0.0
            # the seed F.dropout would draw: the same masks whichever path runs
            seed = int(self.dropout_rng.integers(0, 2**63 - 1)) if p else 0
            return lora_linear(x, self.weight, self.lora_A, self.lora_B, self.scale, self.bias,
                               dropout=p, seed=seed)
        y = self._base(x)
        if not self.enabled or self.merged:
            return y
        h = F.dropout(x, self.dropout, self.dropout_rng, training=self.training)
        z = F.linear(h, self.lora_A) * self.scale  # (..., r)
        return y + F.linear(z, self.lora_B)  # (..., out)

    # -- merge -------------------------------------------------------------------------------

    def merge(self) -> None:
        """``W += scale * B @ A`` in place; the original array is kept for :meth:`unmerge`."""
        if "qweight" in self.__dict__:
            raise ValueError("cannot merge into a quantized (QLoRA) base in place; use "
                             "simplex_training.lora.merge.merged_weights() for dequantized merged weights")
        if not self.enabled:
            raise RuntimeError("cannot merge a disabled LoRA layer")
        if self.merged:
            return
        w = self.weight.data
        self._orig = w.copy()
        w[...] = (w.astype(np.float64) + self.scale * (self.lora_B.data.astype(np.float64)
                                                        @ self.lora_A.data.astype(np.float64))).astype(w.dtype)

    def unmerge(self) -> None:
        """Restore the original base weight bit-exactly (no-op when not merged)."""
        if self._orig is None:
            return
        self.weight.data[...] = self._orig
        self._orig = None

    def extra_repr(self) -> str:
        q = f", quantize={self.quantize}" if self.quantize else ""
        return (f"in={self.in_features}, out={self.out_features}, r={self.rank}, alpha={self.alpha}, "
                f"scale={self.scale:.4g}, dropout={self.dropout}{q}")

    def __repr__(self) -> str:
        return f"LoRALinear({self.extra_repr()})"
