import numpy as np
import pytest

from simplex_training.engine import Tensor
from simplex_training.engine.gradcheck import gradcheck
from simplex_training.pluginmanager import get_host

L = get_host().registry("layers")


def test_registered():
    assert "layers.positions" in get_host().infos
    for name in ("sinusoidal_positions", "learned_positions", "rotary", "alibi"):
        assert name in L


def test_sinusoidal_table_values():
    pe = L["sinusoidal_positions"](10, 8, dtype=np.float64)
    assert np.isclose(pe.table[3, 0], np.sin(3.0)) and np.isclose(pe.table[3, 1], np.cos(3.0))
    assert np.isclose(pe.table[2, 4], np.sin(2 / 10000 ** (4 / 8)))
    x = np.zeros((1, 4, 8))
    assert np.allclose(pe(Tensor(x), offset=2).data[0], pe.table[2:6])


def test_learned_positions_get_gradients():
    lp = L["learned_positions"](6, 4, dtype=np.float64)
    out = lp(Tensor(np.zeros((2, 3, 4))))
    out.sum().backward()
    assert np.all(lp.weight.grad[:3] == 2) and np.all(lp.weight.grad[3:] == 0)


def test_rotary_is_adjacent_pair_and_position_sensitive():
    rot = L["rotary"](4, base=10000.0)
    x = np.random.default_rng(0).standard_normal((1, 1, 3, 4))
    y = rot(Tensor(x), np.arange(3)).data
    pos, i = 2, 1
    theta = pos * 10000.0 ** (-2 * i / 4)
    a, b = x[0, 0, pos, 2 * i], x[0, 0, pos, 2 * i + 1]
    assert np.isclose(y[0, 0, pos, 2 * i], a * np.cos(theta) - b * np.sin(theta), atol=1e-6)
    assert np.isclose(y[0, 0, pos, 2 * i + 1], a * np.sin(theta) + b * np.cos(theta), atol=1e-6)
    assert np.allclose(y[0, 0, 0], x[0, 0, 0])  # position 0 is not rotated
    assert gradcheck(lambda t: rot(t, np.arange(3)), [x]).ok


def test_alibi_slopes_and_bias_shape():
    al = L["alibi"](8)
    assert np.allclose(al.slopes, [2 ** (-8 * (h + 1) / 8) for h in range(8)])
    bias = al.bias(5, 5)
    assert bias.shape == (8, 5, 5)
    assert bias[0, 4, 4] == 0 and np.isclose(bias[0, 4, 0], -4 * al.slopes[0])


@pytest.mark.parametrize("name", ["sinusoidal_positions", "learned_positions"])
def test_positions_past_the_table_are_a_clear_error(name):
    layer = L[name](4, 2)
    assert layer(Tensor(np.zeros((1, 2, 2), np.float32)), offset=2).shape == (1, 2, 2)
    with pytest.raises(ValueError, match=r"positions 3\.\.4 are outside the table of 4 positions"):
        layer(Tensor(np.zeros((1, 2, 2), np.float32)), offset=3)
