import numpy as np

from simplex_training.engine.gradcheck import gradcheck
from simplex_training.pluginmanager import get_host


def test_registered():
    assert "layers.embedding" in get_host().infos


def test_gather_and_scatter_add_gradient():
    Embedding = get_host().registry("layers")["embedding"]
    emb = Embedding(10, 4, rng=np.random.default_rng(0), dtype=np.float64)
    ids = np.array([[1, 3, 1], [9, 0, 3]])
    assert np.array_equal(emb(ids).data, emb.weight.data[ids])

    def fn(w):
        emb.weight = w
        return emb(ids)

    assert gradcheck(fn, [emb.weight.data.copy()]).ok


def test_padding_row_is_zero_and_gets_no_gradient():
    Embedding = get_host().registry("layers")["embedding"]
    emb = Embedding(6, 3, padding_idx=0)
    ids = np.array([[0, 2, 0, 5]])
    out = emb(ids)
    assert np.all(out.data[0, 0] == 0) and np.all(emb.weight.data[0] == 0)
    out.sum().backward()
    assert np.all(emb.weight.grad[0] == 0) and np.all(emb.weight.grad[2] == 1)
