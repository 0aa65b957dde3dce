"""NeuronMask (straight-through pruning, with a learn-to-prune demo) and BitWidthChooser."""

import numpy as np
import pytest

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F
from simplex_training.engine.optim import AdamW
from simplex_training.gates.masks import BitWidthChooser, NeuronMask
from simplex_training.gates.ops import fake_quantize


def test_mask_is_hard_in_training_with_a_soft_gradient():
    m = NeuronMask(4, init_logit=0.0, dtype=np.float64)
    m.logits.data[:] = [2.0, -2.0, 0.5, -0.5]
    x = Tensor(np.ones((3, 4)), requires_grad=True)
    y = m(x)
    assert np.array_equal(y.data, np.tile([1.0, 0.0, 1.0, 0.0], (3, 1)))
    y.sum().backward()
    assert (np.abs(m.logits.grad) > 0).all()  # even the closed units get a gradient
    assert np.array_equal(x.grad, np.tile([1.0, 0.0, 1.0, 0.0], (3, 1)))


def test_mask_eval_hard_mask_and_counts():
    m = NeuronMask(4, dtype=np.float64)
    m.logits.data[:] = [2.0, -2.0, 0.0, -0.1]
    assert m.hard_mask().tolist() == [True, False, True, False]
    assert m.kept() == 2 and m.sparsity() == 0.5
    m.eval()
    mask = m.mask()
    assert mask.data.tolist() == [1.0, 0.0, 1.0, 0.0] and not mask.requires_grad
    assert m.sparsity_penalty().item() == pytest.approx(np.mean(1 / (1 + np.exp(-m.logits.data))))


def test_head_mask_on_attention_heads_axis():
    m = NeuronMask(3, axis=1, dtype=np.float64)
    m.logits.data[:] = [1.0, -1.0, 1.0]
    out = m(np.ones((2, 3, 4, 5))).data
    assert np.allclose(out[:, 1], 0.0) and np.allclose(out[:, [0, 2]], 1.0)
    with pytest.raises(ValueError, match="units"):
        m(np.ones((2, 4, 4, 5)))


def _prune_run(seed: int, use_mask: bool, lam: float = 0.05, steps: int = 300, prune_steps: int = 200):
    """y depends on features 0-3 only; hidden unit i reads feature i, so units 4-7 are useless."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((256, 8))
    y = np.tanh(x[:, :4]) @ np.array([1.0, -0.8, 0.6, 1.2]) + 0.05 * rng.standard_normal(256)
    u, c, b = Parameter(rng.normal(1, 0.1, 8)), Parameter(rng.normal(0, 0.3, 8)), Parameter(np.zeros(()))
    mask = NeuronMask(8, dtype=np.float64) if use_mask else None
    opt = AdamW([u, c, b] + (mask.parameters() if mask else []), lr=0.05, weight_decay=0.0)

    def mse():
        h = F.tanh(Tensor(x) * u)
        h = mask(h) if mask else h
        return (((h * c).sum(axis=-1) + b - Tensor(y)) ** 2).mean()

    for step in range(steps):
        loss = mse()
        if mask and step < prune_steps:  # prune phase, then fine-tune without the penalty
            loss = loss + lam * mask.sparsity_penalty()
        opt.zero_grad()
        loss.backward()
        opt.step()
    if mask:
        mask.eval()
    return float(mse().data), mask


def test_neuron_mask_learns_to_prune_the_useless_half():
    dense_loss, _ = _prune_run(0, use_mask=False)
    loss, mask = _prune_run(0, use_mask=True)
    assert mask.hard_mask().tolist() == [True] * 4 + [False] * 4
    assert loss < 1.2 * dense_loss + 1e-3
    assert dense_loss < 0.01  # the dense model does fit (noise variance 0.0025)


@pytest.mark.parametrize("bits", [(2, 4, 8), (4, 8)])
def test_bit_width_chooser_outputs(bits):
    w = np.random.default_rng(0).standard_normal((6, 5))
    ch = BitWidthChooser(bits, rng=np.random.default_rng(1), dtype=np.float64)
    wt = Tensor(w, requires_grad=True)
    out = ch(wt)
    out.sum().backward()
    assert np.allclose(wt.grad, 1.0)  # straight-through: sum_k pi_k * identity
    assert ch.logits.grad is not None and np.isfinite(ch.logits.grad).all()
    assert abs(ch.expected_bits().item() - np.mean(bits)) < 1e-9  # uniform init
    ch.logits.data[:] = np.arange(len(bits))
    ch.eval()
    assert ch.chosen_bits() == bits[-1]
    assert np.array_equal(ch(w).data, fake_quantize(Tensor(w), bits[-1]).data)
    assert np.array_equal(ch(w).data, ch(w).data)


def test_bit_width_chooser_validation():
    with pytest.raises(ValueError):
        BitWidthChooser((1, 4))
    with pytest.raises(ValueError):
        BitWidthChooser((4, 4))
    with pytest.raises(ValueError):
        BitWidthChooser((2, 4), init_logits=[0.0])


def _choose(lam: float, steps: int = 150) -> int:
    w = np.random.default_rng(0).standard_normal(256)
    ch = BitWidthChooser((2, 4, 8), rng=np.random.default_rng(1), dtype=np.float64)
    opt = AdamW(ch.parameters(), lr=0.1, weight_decay=0.0)
    for _ in range(steps):
        loss = ((ch(w) - Tensor(w)) ** 2).mean() + lam * ch.size_penalty()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return ch.chosen_bits()


def test_bit_width_follows_the_error_size_trade_off():
    assert _choose(0.0) == 8  # quantisation error dominates: the widest grid
    assert _choose(1.0) < 8  # a size penalty: a narrower width
    assert _choose(10.0) == 2  # size dominates: the narrowest width
