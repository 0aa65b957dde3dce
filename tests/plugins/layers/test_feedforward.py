import numpy as np

from simplex_training.engine import Tensor
from simplex_training.engine.gradcheck import gradcheck
from simplex_training.pluginmanager import get_host


def test_registered():
    assert "layers.feedforward" in get_host().infos


def test_swiglu_matches_numpy_and_gradients():
    ffn = get_host().registry("layers")["swiglu"](6, 10, rng=np.random.default_rng(0), dtype=np.float64)
    x = np.random.default_rng(1).standard_normal((2, 3, 6))
    g, u = x @ ffn.ffn_gate.weight.data.T, x @ ffn.ffn_up.weight.data.T
    expect = (g / (1 + np.exp(-g)) * u) @ ffn.ffn_down.weight.data.T
    assert np.allclose(ffn(Tensor(x)).data, expect)
    wg = ffn.ffn_gate.weight.data.copy()

    def fn(xx, w):
        ffn.ffn_gate.weight = w
        return ffn(xx)

    assert gradcheck(fn, [x, wg]).ok
