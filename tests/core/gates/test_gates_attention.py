"""TemperatureAttention: distinct projections, real heads, temperature effect and gradient, masks."""

import numpy as np
import pytest

from simplex_training.engine import Tensor
from simplex_training.engine.gradcheck import gradcheck
from simplex_training.gates.attention import TemperatureAttention

X = np.random.default_rng(3).standard_normal((2, 5, 8))


def _attn(**kw):
    return TemperatureAttention(8, 2, rng=np.random.default_rng(0), dtype=np.float64, **kw)


def test_projections_are_distinct_parameters():
    a = _attn()
    ws = [a.wq.data, a.wk.data, a.wv.data, a.wo.data]
    assert all(not np.allclose(ws[i], ws[j]) for i in range(4) for j in range(i + 1, 4))
    assert len(a.parameters()) == 5  # four projections + the temperature


def test_shapes_and_heads():
    a = _attn()
    assert a(X).shape == (2, 5, 8)
    w = a.attention_weights(X).data
    assert w.shape == (2, 2, 5, 5) and np.allclose(w.sum(-1), 1.0)
    assert not np.allclose(w[:, 0], w[:, 1])  # two genuinely different heads


def test_temperature_changes_the_output():
    cold, hot = _attn(temperature=0.1), _attn(temperature=10.0)
    assert not np.allclose(cold(X).data, hot(X).data)
    ent = [-(w * np.log(w + 1e-30)).sum(-1).mean()
           for w in (cold.attention_weights(X).data, hot.attention_weights(X).data)]
    assert ent[0] < ent[1] <= np.log(5) + 1e-9


def test_gradcheck_through_projections_and_temperature():
    a = TemperatureAttention(4, 2, temperature=0.7, rng=np.random.default_rng(1), dtype=np.float64)
    x = np.random.default_rng(2).standard_normal((1, 3, 4))

    def fn(xx, wq, wk, raw):
        a.wq, a.wk, a.temperature.raw = wq, wk, raw
        return a(xx)

    assert gradcheck(fn, [x, a.wq.data.copy(), a.wk.data.copy(), a.temperature.raw.data.copy()]).ok


def test_temperature_receives_a_gradient_and_can_be_frozen():
    a = _attn()
    a(X).sum().backward()
    assert a.temperature.raw.grad is not None and float(a.temperature.raw.grad) != 0
    b = _attn(learn_temperature=False)
    b(X).sum().backward()
    assert b.temperature.raw.grad is None and b.wq.grad is not None


def test_per_head_temperature():
    a = _attn(per_head=True)
    a.temperature.set(np.array([0.1, 10.0]).reshape(2, 1, 1))
    w = a.attention_weights(X).data
    ent = -(w * np.log(w + 1e-30)).sum(-1).mean(axis=(0, 2))
    assert ent[0] < ent[1]
    a(X).sum().backward()
    assert a.temperature.raw.grad.shape == (2, 1, 1)


def test_causal_and_padding_masks():
    a = _attn(causal=True)
    w = a.attention_weights(X).data
    assert np.allclose(np.triu(w[0, 0], k=1), 0.0)
    mask = np.array([[True] * 5, [True, True, True, False, False]])
    w = _attn().attention_weights(X, mask).data
    assert np.allclose(w[1, :, :, 3:], 0.0) and np.allclose(w.sum(-1), 1.0)
    with pytest.raises(ValueError, match="padding mask"):
        _attn().attention_weights(X, np.ones((2, 4), bool))


def test_hard_inference_is_argmax_attention_and_deterministic():
    a = _attn(hard_inference=True)
    soft = a.attention_weights(X).data
    a.eval()
    hard = a.attention_weights(X).data
    assert set(np.unique(hard)) == {0.0, 1.0} and np.allclose(hard.sum(-1), 1.0)
    assert np.array_equal(hard.argmax(-1), soft.argmax(-1))
    assert np.array_equal(a(X).data, a(X).data)


def test_wrong_input_shape():
    with pytest.raises(ValueError):
        _attn()(Tensor(np.zeros((5, 8))))
    with pytest.raises(ValueError):
        TemperatureAttention(10, 3)
