"""Gumbel-softmax: seeded noise, simplex outputs, hard one-hot with soft gradient, tau, frequencies."""

import numpy as np

from simplex_training.engine import Tensor
from simplex_training.gates import ops
from simplex_training.gates.gumbel import GumbelSoftmaxGate

LOGITS = np.array([1.0, 0.5, -0.3, 2.0, 0.0])


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_noise_is_gumbel_distributed_and_reproducible():
    g = ops.gumbel_noise((200_000,), np.random.default_rng(1), np.float64)
    assert abs(g.mean() - 0.5772156649) < 0.01  # Euler-Mascheroni constant
    assert abs(g.var() - np.pi**2 / 6) < 0.03
    assert np.array_equal(g, ops.gumbel_noise((200_000,), np.random.default_rng(1), np.float64))
    assert np.isfinite(ops.gumbel_noise((10,), np.random.default_rng(2))).all()


def test_same_seed_same_sample_other_seed_other_sample():
    a = ops.gumbel_softmax(Tensor(LOGITS), 1.0, np.random.default_rng(7)).data
    b = ops.gumbel_softmax(Tensor(LOGITS), 1.0, np.random.default_rng(7)).data
    c = ops.gumbel_softmax(Tensor(LOGITS), 1.0, np.random.default_rng(8)).data
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_soft_sample_is_on_the_simplex():
    y = ops.gumbel_softmax(Tensor(LOGITS), 1.0, np.random.default_rng(0)).data
    assert abs(y.sum() - 1.0) < 1e-10 and ((y > 0) & (y < 1)).all()


def test_batched_rows_sum_to_one():
    logits = np.random.default_rng(0).standard_normal((4, 5))
    y = ops.gumbel_softmax(Tensor(logits), 0.7, np.random.default_rng(1)).data
    assert y.shape == (4, 5) and np.allclose(y.sum(axis=-1), 1.0, atol=1e-10)
    y0 = ops.gumbel_softmax(Tensor(logits), 0.7, np.random.default_rng(1), axis=0).data
    assert np.allclose(y0.sum(axis=0), 1.0, atol=1e-10)


def test_hard_sample_is_one_hot_with_the_soft_gradient():
    rng_seed = 4
    x_h = Tensor(LOGITS.copy(), requires_grad=True)
    h = ops.gumbel_softmax(x_h, 0.5, np.random.default_rng(rng_seed), hard=True)
    x_s = Tensor(LOGITS.copy(), requires_grad=True)
    s = ops.gumbel_softmax(x_s, 0.5, np.random.default_rng(rng_seed))
    assert sorted(h.data.tolist()) == [0, 0, 0, 0, 1] and h.data.argmax() == s.data.argmax()
    w = np.arange(5.0)
    (h * Tensor(w)).sum().backward()
    (s * Tensor(w)).sum().backward()
    assert np.allclose(x_h.grad, x_s.grad) and np.abs(x_h.grad).max() > 0


def _mean_entropy(tau, n=2000):
    logits = np.tile(LOGITS, (n, 1))
    y = ops.gumbel_softmax(Tensor(logits), tau, np.random.default_rng(0)).data
    return float(-(y * np.log(y + 1e-30)).sum(axis=-1).mean())


def test_hotter_tau_gives_higher_entropy():
    ents = [_mean_entropy(t) for t in (0.1, 0.5, 1.0, 5.0)]
    assert all(a < b for a, b in zip(ents, ents[1:], strict=False)), ents
    assert ents[-1] <= np.log(5) + 1e-9


def test_argmax_frequencies_match_softmax_of_logits():
    n = 40_000
    y = ops.gumbel_softmax(Tensor(np.tile(LOGITS, (n, 1))), 1.0, np.random.default_rng(11), hard=True).data
    freq = y.mean(axis=0)
    assert np.abs(freq - _softmax(LOGITS)).max() < 0.012  # ~4 standard errors
    # the Gumbel-max argmax does not depend on tau
    y2 = ops.gumbel_softmax(Tensor(np.tile(LOGITS, (n, 1))), 3.0, np.random.default_rng(11), hard=True).data
    assert np.array_equal(y, y2)


def test_gate_train_samples_eval_is_deterministic_one_hot():
    gate = GumbelSoftmaxGate(0.5, seed=3)
    logits = np.random.default_rng(0).standard_normal((4, 5))
    a, b = gate(logits).data, gate(logits).data
    assert not np.array_equal(a, b) and np.allclose(a.sum(-1), 1.0)
    gate.reseed(3)
    assert np.array_equal(gate(logits).data, a)
    gate.eval()
    e = gate(logits).data
    assert np.array_equal(e, gate(logits).data)
    assert np.array_equal(e.argmax(-1), logits.argmax(-1)) and np.allclose(e.sum(-1), 1.0)
