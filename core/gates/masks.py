"""Learned compression gates: structured pruning masks and per-tensor bit-width choice.

Scope
-----
``NeuronMask(n_units, axis=-1, init_logit=2.0, temperature=0.5)``
    One logit per FFN hidden neuron (``axis=-1`` on (..., hidden)) or per attention head
    (``axis=1`` on (B, H, T, D)). p = sigmoid(logit); the mask is
    ``straight_through(p, 0.5, temperature)``: training already uses the HARD 0/1 mask in the
    forward pass, while the gradient is the soft sigmoid derivative (Bengio et al. 2013), so the
    network trains exactly the sub-network it will be exported as. ``sparsity_penalty()`` is the
    expected kept fraction mean(p) (add lambda * it to the loss); ``hard_mask()`` is the boolean
    keep-vector for export (logit >= 0).
``BitWidthChooser(bits=(2, 4, 8), tau=1.0)``
    One logit per candidate width. Training: pi = gumbel_softmax(logits, tau, rng) (Jang et al.
    2017) and the output is the expected fake-quantised weight sum_k pi_k Q_{b_k}(w); eval: the
    weight quantised at the argmax width. Q_b is symmetric per-tensor fake quantisation on
    [-max|w|, max|w|] with 2^(b-1) - 1 positive levels and a straight-through gradient
    (:func:`simplex_training.gates.ops.fake_quantize`). ``expected_bits()`` = softmax(logits) . bits
    is the differentiable size term for a size penalty.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F
from simplex_training.gates.ops import fake_quantize, gumbel_softmax, hard_gate, straight_through
from simplex_training.model.module import Module

__all__ = ["NeuronMask", "BitWidthChooser"]


class NeuronMask(Module):
    name = "neuron_mask"
    hard_in_eval = False  # the mask is hard; the masked activations are not 0/1

    def __init__(self, n_units: int = 8, *, axis: int = -1, init_logit: float = 2.0,
                 temperature: float = 0.5, dtype: Any = np.float32) -> None:
        if n_units < 1:
            raise ValueError(f"need at least one unit, got {n_units}")
        if not temperature > 0:
            raise ValueError(f"temperature must be > 0, got {temperature}")
        self.n_units, self.axis, self.temperature = int(n_units), int(axis), float(temperature)
        self.logits = Parameter(np.full(n_units, init_logit, dtype=dtype), name="mask_logits")

    def probabilities(self) -> Tensor:
        return F.sigmoid(self.logits)

    def mask(self) -> Tensor:
        """The (n_units,) 0/1 mask: straight-through in training, a constant in eval."""
        p = self.probabilities()
        if not self.training:
            return hard_gate(p.detach(), 0.5)
        return straight_through(p, 0.5, self.temperature)

    def forward(self, x: Any) -> Tensor:
        """``x`` with the units along ``axis`` multiplied by the mask."""
        x = x if isinstance(x, Tensor) else Tensor(x, dtype=self.logits.dtype)
        axis = self.axis % x.ndim
        if x.shape[axis] != self.n_units:
            raise ValueError(f"axis {self.axis} of {x.shape} has {x.shape[axis]} units, mask has {self.n_units}")
        shape = [1] * x.ndim
        shape[axis] = self.n_units
        return x * self.mask().reshape(*shape)

    __call__ = forward

    def sparsity_penalty(self) -> Tensor:
        """Expected fraction of kept units, mean(sigmoid(logits)); differentiable."""
        return self.probabilities().mean()

    def hard_mask(self) -> np.ndarray:
        """Boolean keep-vector for export (sigmoid(logit) >= 0.5)."""
        return self.logits.data >= 0

    def kept(self) -> int:
        return int(self.hard_mask().sum())

    def sparsity(self) -> float:
        """Fraction of pruned units."""
        return 1.0 - self.kept() / self.n_units

    def example_input(self, rng: np.random.Generator) -> np.ndarray:
        return rng.standard_normal((4, self.n_units)).astype(self.logits.dtype)


class BitWidthChooser(Module):
    name = "bit_width_chooser"
    hard_in_eval = False

    def __init__(self, bits: Sequence[int] = (2, 4, 8), *, tau: float = 1.0, hard: bool = False,
                 init_logits: Sequence[float] | None = None, rng: np.random.Generator | None = None,
                 dtype: Any = np.float32) -> None:
        self.bits = tuple(int(b) for b in bits)
        if not self.bits or min(self.bits) < 2 or len(set(self.bits)) != len(self.bits):
            raise ValueError(f"bits must be distinct widths >= 2, got {bits}")
        if not tau > 0:
            raise ValueError(f"tau must be > 0, got {tau}")
        self.tau, self.hard = float(tau), bool(hard)
        self.rng = rng if rng is not None else np.random.default_rng(0)
        init = np.zeros(len(self.bits)) if init_logits is None else np.asarray(init_logits, dtype=np.float64)
        if init.shape != (len(self.bits),):
            raise ValueError(f"init_logits must have {len(self.bits)} entries, got {init.shape}")
        self.logits = Parameter(init.astype(dtype), name="bit_logits")

    def probabilities(self) -> Tensor:
        """Noise-free choice probabilities softmax(logits / tau)."""
        return gumbel_softmax(self.logits, self.tau, None)

    def sample(self) -> Tensor:
        """A Gumbel-softmax relaxed (or, with ``hard``, straight-through one-hot) choice."""
        return gumbel_softmax(self.logits, self.tau, self.rng, hard=self.hard)

    def expected_bits(self) -> Tensor:
        return (self.probabilities() * Tensor(np.asarray(self.bits, dtype=self.logits.dtype))).sum()

    def size_penalty(self) -> Tensor:
        """expected_bits / max(bits), in (0, 1]."""
        return self.expected_bits() * (1.0 / max(self.bits))

    def chosen_bits(self) -> int:
        return self.bits[int(np.argmax(self.logits.data))]

    def forward(self, w: Any) -> Tensor:
        """Training: sum_k pi_k Q_{b_k}(w) with pi a Gumbel-softmax sample; eval: Q_{argmax}(w)."""
        w = w if isinstance(w, Tensor) else Tensor(w, dtype=self.logits.dtype)
        if not self.training:
            return fake_quantize(w, self.chosen_bits())
        pi = self.sample()
        stacked = F.stack([fake_quantize(w, b) for b in self.bits], axis=0)  # (K, *w.shape)
        return (pi.reshape(len(self.bits), *([1] * w.ndim)) * stacked).sum(axis=0)

    __call__ = forward

    def example_input(self, rng: np.random.Generator) -> np.ndarray:
        return rng.standard_normal((8, 8)).astype(self.logits.dtype)
