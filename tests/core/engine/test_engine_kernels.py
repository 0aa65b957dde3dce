"""numba kernels vs their plain-numpy float64 references, layouts, GQA, KV prefix, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from simplex_training.engine import Parameter, Tensor, no_grad
from simplex_training.engine import functional as F
from simplex_training.engine.kernels import adamw as adamw_k
from simplex_training.engine.kernels import attention as attn_k
from simplex_training.engine.kernels import dropout as dropout_k
from simplex_training.engine.kernels import embedding as emb_k
from simplex_training.engine.kernels import gemm as gemm_k
from simplex_training.engine.kernels import reference as ref
from simplex_training.engine.kernels import rmsnorm as rms_k
from simplex_training.engine.kernels import rope as rope_k
from simplex_training.engine.kernels import softmax_cross_entropy as xent_k
from simplex_training.engine.kernels import swiglu as swiglu_k

RNG = np.random.default_rng(99)
TOL = {np.float64: dict(rtol=1e-10, atol=1e-12), np.float32: dict(rtol=2e-4, atol=2e-5)}
DTYPES = [np.float64, np.float32]


def rand(*shape: int, dtype: type = np.float64) -> np.ndarray:
    return RNG.standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("hq,hkv,tq,tk", [(4, 2, 6, 6), (3, 3, 5, 5), (4, 2, 2, 7), (4, 1, 1, 5)])
def test_attention_kernel_vs_reference(dtype: type, hq: int, hkv: int, tq: int, tk: int) -> None:
    B, D = 2, 8
    q, k, v = rand(B, hq, tq, D, dtype=dtype), rand(B, hkv, tk, D, dtype=dtype), rand(
        B, hkv, tk, D, dtype=dtype)
    dout = rand(B, hq, tq, D, dtype=dtype)
    out, probs = attn_k.attention_forward(q, k, v)
    dq, dk, dv = attn_k.attention_backward(dout, q, k, v, probs)
    f64 = [a.astype(np.float64) for a in (q, k, v, dout)]
    ref_out = ref.attention_ref_forward(*f64[:3])
    ref_grads = ref.attention_ref_backward(f64[3], *f64[:3])
    assert out.dtype == dq.dtype == dk.dtype == dv.dtype == dtype
    np.testing.assert_allclose(out, ref_out, **TOL[dtype])
    for got, want in zip((dq, dk, dv), ref_grads, strict=True):
        np.testing.assert_allclose(got, want, **TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("causal,tq", [(True, 6), (True, 2), (False, 6)])
def test_attention_key_start_vs_reference(dtype: type, causal: bool, tq: int) -> None:
    B, Hq, Hkv, Tk, D = 3, 4, 2, 6, 8
    q, k, v = rand(B, Hq, tq, D, dtype=dtype), rand(B, Hkv, Tk, D, dtype=dtype), rand(B, Hkv, Tk, D, dtype=dtype)
    dout = rand(B, Hq, tq, D, dtype=dtype)
    starts = np.array([0, 2, 5])
    out, probs = attn_k.attention_forward(q, k, v, causal, key_start=starts)
    grads = attn_k.attention_backward(dout, q, k, v, probs, causal, key_start=starts)
    f64 = [a.astype(np.float64) for a in (q, k, v, dout)]
    np.testing.assert_allclose(out, ref.attention_ref_forward(*f64[:3], causal, key_start=starts), **TOL[dtype])
    for got, want in zip(grads, ref.attention_ref_backward(f64[3], *f64[:3], causal, key_start=starts),
                         strict=True):
        np.testing.assert_allclose(got, want, **TOL[dtype])
    p = probs.reshape(B, Hkv, 2, tq, Tk)
    pos = Tk - tq + np.arange(tq)
    for b, st in enumerate(starts):  # a real position gives the padding keys no weight
        assert not p[b, :, :, pos >= st, :st].any()


def test_attention_key_start_rows_equal_unpadded_rows() -> None:
    """A row left-padded by s keys gives, at its real positions, what the unpadded row gives."""
    q, k, v = rand(1, 4, 5, 8), rand(1, 2, 5, 8), rand(1, 2, 5, 8)
    s = 3
    pad = [np.concatenate([rand(1, a.shape[1], s, 8), a], axis=2) for a in (q, k, v)]
    plain = F.attention(Tensor(q), Tensor(k), Tensor(v)).data
    padded = F.attention(*(Tensor(a) for a in pad), key_start=np.array([s])).data
    np.testing.assert_allclose(padded[:, :, s:], plain, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="key_start"):
        F.attention(*(Tensor(a) for a in pad), key_start=np.array([8]))


def test_attention_only_requested_grads() -> None:
    q, k, v = rand(1, 2, 3, 4), rand(1, 1, 3, 4), rand(1, 1, 3, 4)
    out, probs = attn_k.attention_forward(q, k, v)
    dq, dk, dv = attn_k.attention_backward(out, q, k, v, probs, need_k=False, need_v=False)
    assert dq is not None and dk is None and dv is None


def test_gqa_equals_repeated_kv_heads() -> None:
    q, k, v = rand(2, 4, 5, 6), rand(2, 2, 5, 6), rand(2, 2, 5, 6)
    gqa = F.attention(Tensor(q), Tensor(k), Tensor(v)).data
    mha = F.attention(Tensor(q), Tensor(np.repeat(k, 2, axis=1)),
                      Tensor(np.repeat(v, 2, axis=1))).data
    np.testing.assert_allclose(gqa, mha, rtol=1e-12, atol=1e-12)


def test_kv_prefix_decoding_matches_full_attention_rows() -> None:
    q, k, v = rand(1, 4, 7, 8, dtype=np.float32), rand(1, 2, 7, 8, dtype=np.float32), rand(
        1, 2, 7, 8, dtype=np.float32)
    with no_grad():
        full = F.attention(Tensor(q), Tensor(k), Tensor(v)).data
        for tq in (1, 3):
            last = F.attention(Tensor(q[:, :, -tq:]), Tensor(k), Tensor(v)).data
            np.testing.assert_allclose(last, full[:, :, -tq:], rtol=1e-5, atol=1e-6)
    first = F.attention(Tensor(q[:, :, :1]), Tensor(k[:, :, :1]), Tensor(v[:, :, :1])).data
    np.testing.assert_allclose(first[:, :, 0], np.repeat(v[:, :, 0], 2, axis=1), rtol=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
def test_rmsnorm_kernel_vs_reference(dtype: type) -> None:
    x, w, dy = rand(130, 16, dtype=dtype), rand(16, dtype=dtype), rand(130, 16, dtype=dtype)
    y, rstd = rms_k.rmsnorm_forward(x, w, 1e-5)
    dx, dw = rms_k.rmsnorm_backward(dy, x, w, rstd)
    f = [a.astype(np.float64) for a in (x, w, dy)]
    np.testing.assert_allclose(y, ref.rmsnorm_ref_forward(f[0], f[1], 1e-5), **TOL[dtype])
    rdx, rdw = ref.rmsnorm_ref_backward(f[2], f[0], f[1], 1e-5)
    np.testing.assert_allclose(dx, rdx, **TOL[dtype])
    np.testing.assert_allclose(dw, rdw, **TOL[dtype])
    assert y.dtype == dx.dtype == dw.dtype == dtype
    only_x = rms_k.rmsnorm_backward(dy, x, w, rstd, need_w=False)
    assert only_x[1] is None and np.array_equal(only_x[0], dx)


@pytest.mark.parametrize("dtype", DTYPES)
def test_rope_adjacent_pair_layout(dtype: type) -> None:
    x = rand(2, 3, 5, 8, dtype=dtype)
    pos = np.array([[0, 1, 2, 3, 4], [7, 8, 9, 10, 500]])
    out = F.rope(Tensor(x), pos, 10000.0).data
    np.testing.assert_allclose(out, ref.rope_ref(x.astype(np.float64), pos, 10000.0), **TOL[dtype])
    # explicit check of the pairing: element 0 rotates with element 1, not with element D/2
    theta = 7.0  # position 7, pair 0 -> theta = pos * base**0
    c, s = np.cos(theta), np.sin(theta)
    np.testing.assert_allclose(out[1, :, 0, 0], x[1, :, 0, 0] * c - x[1, :, 0, 1] * s,
                               **TOL[dtype])
    np.testing.assert_allclose(out[1, :, 0, 1], x[1, :, 0, 0] * s + x[1, :, 0, 1] * c,
                               **TOL[dtype])
    cos, sin = rope_k.rope_tables(pos, 8, 10000.0, dtype)
    back = rope_k.rope_backward(out, cos, sin)  # the inverse rotation restores x
    np.testing.assert_allclose(back, x, **TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
def test_swiglu_kernel_vs_reference(dtype: type) -> None:
    g, u, d = rand(3, 4, 9, dtype=dtype), rand(3, 4, 9, dtype=dtype), rand(3, 4, 9, dtype=dtype)
    np.testing.assert_allclose(swiglu_k.swiglu_forward(g, u),
                               ref.swiglu_ref_forward(g.astype(np.float64), u), **TOL[dtype])
    got = swiglu_k.swiglu_backward(g, u, d)
    want = ref.swiglu_ref_backward(*(a.astype(np.float64) for a in (g, u, d)))
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, **TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_vs_reference_with_ignore_index(dtype: type) -> None:
    logits = rand(2, 5, 11, dtype=dtype) * 3
    targets = RNG.integers(0, 11, size=(2, 5))
    targets[0, :3] = -100
    z = Parameter(logits)
    loss = F.cross_entropy(z, targets)
    loss.backward()
    want_loss, want_grad = ref.xent_ref(logits.astype(np.float64), targets)
    np.testing.assert_allclose(loss.item(), want_loss, **TOL[dtype])
    np.testing.assert_allclose(z.grad, want_grad, **TOL[dtype])
    assert np.all(z.grad[0, :3] == 0)


def test_cross_entropy_all_ignored_is_zero_with_zero_grad() -> None:
    z = Parameter(rand(4, 6, dtype=np.float32))
    loss = F.cross_entropy(z, np.full(4, -100))
    assert loss.item() == 0.0
    loss.backward()
    assert np.all(z.grad == 0)


def test_cross_entropy_custom_ignore_and_bad_target() -> None:
    z = rand(3, 4)
    a = F.cross_entropy(Tensor(z), np.array([1, 0, 3]), ignore_index=0).item()
    b = F.cross_entropy(Tensor(z[[0, 2]]), np.array([1, 3])).item()
    assert a == pytest.approx(b, rel=1e-12)
    with pytest.raises(ValueError):
        xent_k.xent_forward(z, np.array([1, 4, 0]))


def test_embedding_scatter_add_vs_reference() -> None:
    ids = RNG.integers(0, 7, size=(3, 40))
    dout = rand(3, 40, 70, dtype=np.float32)
    got = emb_k.embedding_backward(ids, dout, 7)
    np.testing.assert_allclose(got, ref.embedding_ref_backward(ids, dout, 7), rtol=1e-5,
                               atol=1e-5)


@pytest.mark.parametrize("dtype", DTYPES)
def test_adamw_kernel_vs_reference(dtype: type) -> None:
    p, g = rand(5, 7, dtype=dtype), rand(5, 7, dtype=dtype)
    m, v = rand(5, 7, dtype=dtype) * 0.1, np.abs(rand(5, 7, dtype=dtype)) * 0.01
    want = ref.adamw_ref(*(a.astype(np.float64) for a in (p, g, m, v)), 1e-2, 0.9, 0.95, 1e-8,
                         0.1, 3)
    adamw_k.adamw_update(p, g, m, v, 1e-2, 0.9, 0.95, 1e-8, 0.1, 3)
    for got, w in zip((p, m, v), want, strict=True):
        np.testing.assert_allclose(got, w, **TOL[dtype])


def test_dropout_mask_statistics_and_scaling() -> None:
    x = Parameter(np.ones((400, 500), dtype=np.float32))
    y = F.dropout(x, 0.3, np.random.default_rng(0))
    kept = y.data != 0
    assert abs(kept.mean() - 0.7) < 0.005
    np.testing.assert_allclose(y.data[kept], 1.0 / 0.7, rtol=1e-6)
    assert y.dtype == np.float32
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, y.data)  # same mask, same scale
    assert F.dropout(x, 0.3, np.random.default_rng(0), training=False) is x
    assert np.array_equal(F.dropout(x, 0.3, np.random.default_rng(0)).data, y.data)
    assert not np.array_equal(F.dropout(x, 0.3, np.random.default_rng(1)).data, y.data)
    assert np.all(F.dropout(x, 1.0, np.random.default_rng(0)).data == 0)


def on_one_thread(fn):  # noqa: ANN001, ANN201
    """``fn()`` with the engine's thread pool limited to the calling thread."""
    from simplex_training.engine.kernels import parallel

    saved = parallel._MAX
    try:
        parallel._MAX = 1
        return fn()
    finally:
        parallel._MAX = saved


@pytest.mark.parametrize("dtype", DTYPES)
def test_dropout_kernel_vs_reference_any_thread_count(dtype: type) -> None:
    x = rand(3, 50_000, dtype=dtype)  # several parallel ranges
    keep = ref.dropout_ref_keep(x.size, 12345, 0.25).reshape(x.shape)
    want = np.where(keep, x * dtype(1 / 0.75), 0)
    got = dropout_k.dropout_apply(x, 12345, 0.25)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, want.astype(dtype))
    assert on_one_thread(lambda: dropout_k.dropout_apply(x, 12345, 0.25)).tobytes() == got.tobytes()
    assert abs(keep.mean() - 0.75) < 0.005
    assert not np.array_equal(dropout_k.dropout_apply(x, 12346, 0.25), got)
    # a transposed (non-contiguous) input is masked in its logical C order
    np.testing.assert_array_equal(dropout_k.dropout_apply(x.T, 7, 0.5),
                                  dropout_k.dropout_apply(np.ascontiguousarray(x.T), 7, 0.5))
    with pytest.raises(ValueError, match="dropout probability"):
        dropout_k.dropout_apply(x, 1, 1.0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_dropout_add_is_out_plus_dropout_apply_bit_for_bit(dtype: type) -> None:
    x, base = rand(3, 50_000, dtype=dtype), rand(3, 50_000, dtype=dtype)  # several parallel ranges
    out = base.copy()
    assert dropout_k.dropout_add(x, 99, 0.25, out) is out
    assert out.tobytes() == (base + dropout_k.dropout_apply(x, 99, 0.25)).tobytes()
    one = base.copy()
    on_one_thread(lambda: dropout_k.dropout_add(x, 99, 0.25, one))
    assert one.tobytes() == out.tobytes()
    with pytest.raises(ValueError, match="C-contiguous"):
        dropout_k.dropout_add(x, 99, 0.25, base.T.copy().T)
    with pytest.raises(ValueError, match="dropout probability"):
        dropout_k.dropout_add(x, 99, 1.0, base.copy())


@pytest.mark.parametrize("shape", [(2048, 256, 16), (16, 2048, 256), (600, 256, 700), (300, 40, 20)])
def test_gemm_blocks_match_numpy_and_any_thread_count(shape: tuple[int, int, int]) -> None:
    M, K, N = shape
    a, b = rand(M, K, dtype=np.float32), rand(N, K, dtype=np.float32).T  # b a transposed view
    axis, block = gemm_k.plan(M, K, N)
    split = block < (M if axis == 0 else N)
    assert split == (2 * M * K * N >= gemm_k.MIN_PARALLEL_FLOPS)  # these shapes are split when big enough
    got = gemm_k.gemm(a, b)
    np.testing.assert_allclose(got, a.astype(np.float64) @ b.astype(np.float64), rtol=1e-4, atol=1e-4)
    assert on_one_thread(lambda: gemm_k.gemm(a, b)).tobytes() == got.tobytes()


def _training_run() -> list[np.ndarray]:
    rng = np.random.default_rng(5)
    B, T, C, V, H, D = 2, 16, 32, 50, 4, 8
    emb = Parameter(rng.standard_normal((V, C)).astype(np.float32) * 0.1)
    wq = Parameter(rng.standard_normal((C, C)).astype(np.float32) * 0.1)
    wk = Parameter(rng.standard_normal((C // 2, C)).astype(np.float32) * 0.1)
    norm = Parameter(np.ones(C, dtype=np.float32))
    ids = rng.integers(0, V, size=(B, T))
    x = F.embedding(emb, ids)
    h = F.rms_norm(x, norm)
    q = F.rope(F.linear(h, wq).reshape(B, T, H, D).transpose(0, 2, 1, 3), np.arange(T))
    k = F.rope(F.linear(h, wk).reshape(B, T, H // 2, D).transpose(0, 2, 1, 3), np.arange(T))
    a = F.attention(q, k, k).transpose(0, 2, 1, 3).reshape(B, T, C)
    a = F.dropout(a, 0.1, np.random.default_rng(3))
    logits = F.linear(F.swiglu(a, x), emb)
    loss = F.cross_entropy(logits, np.roll(ids, -1, axis=1))
    loss.backward()
    return [loss.data] + [p.grad for p in (emb, wq, wk, norm)]


def test_determinism_bit_identical() -> None:
    first, second = _training_run(), _training_run()
    for a, b in zip(first, second, strict=True):
        assert a.dtype == np.float32
        assert a.tobytes() == b.tobytes()
