import numpy as np

from simplex_training.engine import Tensor
from simplex_training.engine.gradcheck import gradcheck
from simplex_training.pluginmanager import get_host


def test_registered():
    assert "layers.linear" in get_host().infos
    assert get_host().registry("layers")["linear"].name == "linear"


def test_linear_matches_numpy_and_gradients():
    Linear = get_host().registry("layers")["linear"]
    lin = Linear(5, 3, bias=True, rng=np.random.default_rng(0), dtype=np.float64)
    x = np.random.default_rng(1).standard_normal((2, 4, 5))
    assert np.allclose(lin(Tensor(x)).data, x @ lin.weight.data.T + lin.bias.data)

    def fn(xx, w, b):
        lin.weight, lin.bias = w, b
        return lin(xx)

    assert gradcheck(fn, [x, lin.weight.data.copy(), lin.bias.data.copy()]).ok


def test_wrong_weight_shape_is_an_error():
    import pytest

    from simplex_training.engine import Parameter

    Linear = get_host().registry("layers")["linear"]
    with pytest.raises(ValueError, match="shape"):
        Linear(4, 3, weight=Parameter(np.zeros((4, 3), dtype=np.float32)))
