import numpy as np
import pytest

from simplex_training.engine import Tensor, no_grad
from simplex_training.engine.gradcheck import gradcheck
from simplex_training.pluginmanager import get_host

L = get_host().registry("layers")


def test_registered():
    assert "layers.attention" in get_host().infos
    assert {"grouped_query_attention", "multi_head_attention"} <= set(L.names())


def test_shapes_and_fewer_kv_parameters():
    gqa = L["grouped_query_attention"](32, 8, 2)
    mha = L["multi_head_attention"](32, 8)
    x = Tensor(np.random.default_rng(0).standard_normal((2, 5, 32)).astype(np.float32))
    assert gqa(x, np.arange(5)).shape == (2, 5, 32) == mha(x, np.arange(5)).shape
    assert gqa.num_parameters() < mha.num_parameters()


def test_causal_future_tokens_do_not_change_the_past():
    att = L["grouped_query_attention"](16, 4, 2, dtype=np.float64)
    x = np.random.default_rng(1).standard_normal((1, 6, 16))
    y1 = att(Tensor(x), np.arange(6)).data
    x2 = x.copy()
    x2[0, 4:] += 5.0
    y2 = att(Tensor(x2), np.arange(6)).data
    assert np.allclose(y1[0, :4], y2[0, :4]) and not np.allclose(y1[0, 4:], y2[0, 4:])


@pytest.mark.parametrize("positions", ["rotary", "alibi"])
def test_gradients(positions):
    att = L["grouped_query_attention"](8, 4, 2, positions=positions, dtype=np.float64)
    x = np.random.default_rng(2).standard_normal((1, 4, 8))
    wq = att.attn_q.weight.data.copy()

    def fn(xx, q):
        att.attn_q.weight = q
        return att(xx, np.arange(4))

    assert gradcheck(fn, [x, wq], rtol=1e-3).ok


def test_kv_cache_decoding_equals_full_pass():
    from simplex_training.plugins.layers.attention import KVCache

    att = L["grouped_query_attention"](16, 4, 2, dtype=np.float64)
    x = np.random.default_rng(3).standard_normal((2, 7, 16))
    with no_grad():
        full = att(Tensor(x), np.arange(7)).data
        cache = KVCache.empty(2, 2, 7, 4, np.float64)
        first = att(Tensor(x[:, :4]), np.arange(4), cache).data
        rest = [att(Tensor(x[:, t : t + 1]), np.arange(t, t + 1), cache).data for t in range(4, 7)]
    assert np.allclose(np.concatenate([first] + rest, axis=1), full)
    with pytest.raises(ValueError, match="KV cache full"):
        cache.append(np.zeros((2, 2, 1, 4)), np.zeros((2, 2, 1, 4)))


@pytest.mark.parametrize("positions", ["rotary", "alibi"])
def test_left_padded_rows_in_a_cache_equal_the_rows_alone(positions):
    from simplex_training.plugins.layers.attention import KVCache

    att = L["grouped_query_attention"](16, 4, 2, positions=positions, dtype=np.float64)
    rng = np.random.default_rng(4)
    rows = [rng.standard_normal((1, n, 16)) for n in (3, 6)]
    pad = np.array([3, 0])
    x = np.concatenate([np.concatenate([rng.standard_normal((1, 3, 16)), rows[0]], axis=1), rows[1]])
    pos = np.maximum(np.arange(6)[None] - pad[:, None], 0)
    with no_grad():
        both = att(Tensor(x), pos, KVCache.empty(2, 2, 6, 4, np.float64, start=pad)).data
        for b, r in enumerate(rows):
            alone = att(Tensor(r), np.arange(r.shape[1]), KVCache.empty(1, 2, 6, 4, np.float64)).data
            np.testing.assert_allclose(both[b, pad[b]:], alone[0], rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="start"):
        KVCache.empty(2, 2, 6, 4, start=np.array([0, 6]))


def test_bad_head_counts():
    with pytest.raises(ValueError):
        L["grouped_query_attention"](30, 4, 2)
