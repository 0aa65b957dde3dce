import numpy as np
import pytest

from simplex_training.engine import Tensor
from simplex_training.engine.gradcheck import gradcheck
from simplex_training.pluginmanager import get_host

R = np.random.default_rng(0)


@pytest.mark.parametrize("name", ["rms_norm", "layer_norm", "group_norm", "batch_norm"])
def test_registered(name):
    assert "layers.norms" in get_host().infos
    assert name in get_host().registry("layers")


def test_rmsnorm_and_layernorm_statistics():
    L = get_host().registry("layers")
    x = R.standard_normal((3, 5, 16)) * 4 + 2
    y = L["rms_norm"](16, 1e-6, dtype=np.float64)(Tensor(x)).data
    assert np.allclose((y**2).mean(-1), 1, atol=1e-4)
    z = L["layer_norm"](16, 1e-6, dtype=np.float64)(Tensor(x)).data
    assert np.allclose(z.mean(-1), 0, atol=1e-9) and np.allclose(z.var(-1), 1, atol=1e-4)


@pytest.mark.parametrize("name", ["rms_norm", "layer_norm"])
def test_fused_norm_gradients(name):
    layer = get_host().registry("layers")[name](6, dtype=np.float64)
    x = R.standard_normal((2, 3, 6))
    w = R.standard_normal(6)

    def fn(xx, ww):
        layer.weight = ww
        return layer(xx)

    assert gradcheck(fn, [x, w]).ok


def test_group_norm_statistics_and_gradients():
    gn = get_host().registry("layers")["group_norm"](2, 4, dtype=np.float64)
    x = R.standard_normal((3, 4, 5)) * 3 + 1
    y = gn(Tensor(x)).data.reshape(3, 2, -1)
    assert np.allclose(y.mean(-1), 0, atol=1e-9) and np.allclose(y.var(-1), 1, atol=1e-3)

    def fn(xx, w, b):
        gn.weight, gn.bias = w, b
        return gn(xx)

    assert gradcheck(fn, [x, R.standard_normal(4), R.standard_normal(4)]).ok
    with pytest.raises(ValueError, match="divisible"):
        get_host().registry("layers")["group_norm"](3, 4)


def test_batch_norm_train_and_eval():
    bn = get_host().registry("layers")["batch_norm"](3, momentum=0.5, dtype=np.float64)
    x = R.standard_normal((8, 3)) * 2 + 5
    y = bn(Tensor(x)).data
    assert np.allclose(y.mean(0), 0, atol=1e-9)
    assert np.allclose(bn.running_mean, 0.5 * x.mean(0))
    bn.eval()
    z = bn(Tensor(x)).data
    assert np.allclose(z, (x - bn.running_mean) / np.sqrt(bn.running_var + bn.eps))
    bn.train()

    def fn(xx, w, b):
        bn.weight, bn.bias = w, b
        return bn(xx)

    assert gradcheck(fn, [x, R.standard_normal(3), R.standard_normal(3)]).ok
