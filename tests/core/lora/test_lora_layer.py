"""LoRALinear: identity at init, gradients only on A/B, gradcheck, dropout, merge, rsLoRA, QLoRA."""

from __future__ import annotations

import gguf
import numpy as np
import pytest

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine.gradcheck import gradcheck
from simplex_training.engine.optim import AdamW
from simplex_training.lora.layer import LoRALinear, lora_scale, quantized_linear
from simplex_training.plugins.layers.linear import Linear


def _linear(in_f: int = 64, out_f: int = 48, seed: int = 0, dtype=np.float32) -> Linear:  # noqa: ANN001
    w = (np.random.default_rng(seed).standard_normal((out_f, in_f)) / np.sqrt(in_f)).astype(dtype)
    return Linear(in_f, out_f, weight=Parameter(w))


def _x(shape=(2, 5, 64), seed: int = 1, dtype=np.float32) -> Tensor:  # noqa: ANN001
    return Tensor(np.random.default_rng(seed).standard_normal(shape).astype(dtype))


def _reference(x: np.ndarray, w: np.ndarray, a: np.ndarray, b: np.ndarray, scale: float) -> np.ndarray:
    x64 = x.astype(np.float64)
    return x64 @ w.T.astype(np.float64) + scale * (x64 @ a.T.astype(np.float64)) @ b.T.astype(np.float64)


def _randomize_b(layer: LoRALinear, seed: int = 2) -> None:
    layer.lora_B.data[...] = np.random.default_rng(seed).standard_normal(layer.lora_B.shape) * 0.1


def test_zero_b_output_equals_base():
    base = _linear()
    w = base.weight.data.copy()
    layer = LoRALinear(base, rank=4, alpha=8)
    x = _x()
    assert np.array_equal(layer(x).data, base(x).data)
    assert np.allclose(layer(x).data, x.data @ w.T, atol=1e-5)
    assert layer.lora_A.shape == (4, 64) and layer.lora_B.shape == (48, 4) and not layer.lora_B.data.any()


def test_forward_matches_reference_with_nonzero_b():
    layer = LoRALinear(_linear(), rank=4, alpha=8)
    _randomize_b(layer)
    x = _x()
    ref = _reference(x.data, layer.weight.data, layer.lora_A.data, layer.lora_B.data, 2.0)
    assert np.abs(layer(x).data - ref).max() < 1e-5
    x2 = Tensor(x.data[0])  # 2-D input (T, in) -> (T, out)
    assert layer(x2).shape == (5, 48) and np.abs(layer(x2).data - ref[0]).max() < 1e-5


def test_kaiming_and_gaussian_init():
    layer = LoRALinear(_linear(in_f=256), rank=64, alpha=64, rng=np.random.default_rng(0))
    assert np.abs(layer.lora_A.data).max() <= 1 / 16 and np.abs(layer.lora_A.data).max() > 0.9 / 16
    layer = LoRALinear(_linear(in_f=256), rank=64, alpha=64, init="gaussian", rng=np.random.default_rng(0))
    assert abs(layer.lora_A.data.std() - 1 / 64) < 1e-3


def test_gradients_only_on_a_and_b_and_optimizer_state_only_for_them():
    base = _linear()
    layer = LoRALinear(base, rank=4, alpha=8)
    _randomize_b(layer)
    assert [n for n, p in layer.named_parameters() if p.requires_grad] == ["lora_A", "lora_B"]
    opt = AdamW([p for p in layer.parameters() if p.requires_grad], lr=1e-2)
    x = _x()
    x.requires_grad = True
    layer(x).sum().backward()
    assert layer.weight.grad is None and not layer.weight.requires_grad
    assert layer.lora_A.grad is not None and layer.lora_B.grad is not None and x.grad is not None
    w_before = layer.weight.data.copy()
    opt.step()
    assert len(opt.state) == 2 and {s["m"].shape for s in opt.state.values()} == {(4, 64), (48, 4)}
    assert np.array_equal(layer.weight.data, w_before)


def test_gradcheck_a_b_and_x_in_float64():
    base = _linear(in_f=6, out_f=5, dtype=np.float64)
    layer = LoRALinear(base, rank=3, alpha=6, rslora=True)
    rng = np.random.default_rng(3)
    a0, b0 = rng.standard_normal((3, 6)), rng.standard_normal((5, 3))
    x0 = rng.standard_normal((2, 4, 6))

    def fn(x: Tensor, a: Tensor, b: Tensor) -> Tensor:
        layer.lora_A, layer.lora_B = a, b
        return layer(x)

    result = gradcheck(fn, [x0, a0, b0])
    assert result.ok, result


def test_dropout_path_is_the_composed_ops_bit_for_bit():
    """Training with dropout runs one fused op; it must equal linear + dropout -> A -> scale -> B."""
    from simplex_training.engine import functional as F

    layer = LoRALinear(_linear(), rank=4, alpha=8, dropout=0.3, dropout_rng=np.random.default_rng(11))
    _randomize_b(layer)
    x = _x()
    x.requires_grad = True
    g = np.random.default_rng(4).standard_normal((2, 5, 48)).astype(np.float32)
    y = layer(x)
    y.backward(g)
    got = [y.data, x.grad, layer.lora_A.grad, layer.lora_B.grad]

    x_ref = Tensor(x.data.copy(), requires_grad=True)
    a_ref, b_ref = Parameter(layer.lora_A.data.copy()), Parameter(layer.lora_B.data.copy())
    h = F.dropout(x_ref, 0.3, np.random.default_rng(11))  # the same first draw: the same mask
    y_ref = F.linear(x_ref, layer.weight) + F.linear(F.linear(h, a_ref) * layer.scale, b_ref)
    y_ref.backward(g)
    want = [y_ref.data, x_ref.grad, a_ref.grad, b_ref.grad]
    for name, u, v in zip(("y", "dx", "dA", "dB"), got, want, strict=True):
        assert u.tobytes() == v.tobytes(), name
    assert (h.data == 0).mean() > 0.2  # the mask dropped something


def test_gradcheck_with_dropout_in_float64():
    from simplex_training.lora.layer import lora_linear

    rng = np.random.default_rng(5)
    w = Tensor(rng.standard_normal((5, 6)))
    x0, a0, b0 = rng.standard_normal((3, 4, 6)), rng.standard_normal((3, 6)), rng.standard_normal((5, 3))

    def fn(x: Tensor, a: Tensor, b: Tensor) -> Tensor:
        return lora_linear(x, w, a, b, 1.5, dropout=0.4, seed=1234)  # a fixed seed: a fixed mask

    result = gradcheck(fn, [x0, a0, b0])
    assert result.ok, result


def test_rslora_scale():
    assert lora_scale(16, 32) == 2.0 and lora_scale(16, 32, rslora=True) == 8.0
    assert LoRALinear(_linear(), rank=8, alpha=16, rslora=True).scale == pytest.approx(16 / np.sqrt(8))


def _dropout_probe(p: float, seed: int = 0) -> LoRALinear:
    """y = dropout(x): zero base, A = B = I, scale 1."""
    n = 32
    base = Linear(n, n, weight=Parameter(np.zeros((n, n), dtype=np.float32)))
    layer = LoRALinear(base, rank=n, alpha=n, dropout=p, dropout_rng=np.random.default_rng(seed))
    layer.lora_A.data[...] = np.eye(n)
    layer.lora_B.data[...] = np.eye(n)
    return layer


def test_dropout_mask_statistics():
    layer = _dropout_probe(0.25)
    x = Tensor(np.ones((200, 32), dtype=np.float32))
    y = layer(x).data
    kept = y != 0
    assert abs(1 - kept.mean() - 0.25) < 0.01  # Bernoulli(0.25) over 6400 elements
    assert np.allclose(y[kept], 1 / 0.75)  # inverted dropout
    assert not np.array_equal(layer(x).data, y)  # a new mask every call


def test_dropout_is_reproducible_from_the_generator_and_off_in_eval():
    x = Tensor(np.ones((50, 32), dtype=np.float32))
    assert np.array_equal(_dropout_probe(0.5, seed=7)(x).data, _dropout_probe(0.5, seed=7)(x).data)
    layer = _dropout_probe(0.5)
    layer.eval()
    assert np.array_equal(layer(x).data, x.data) and np.array_equal(layer(x).data, layer(x).data)


def test_merge_unmerge_agreement_and_exact_restore():
    layer = LoRALinear(_linear(), rank=8, alpha=16)
    _randomize_b(layer)
    x = _x()
    w0 = layer.weight.data.copy()
    y = layer(x).data
    layer.merge()
    assert layer.merged and not np.array_equal(layer.weight.data, w0)
    assert np.abs(layer(x).data - y).max() <= 1e-5
    layer.merge()  # idempotent
    layer.unmerge()
    assert not layer.merged and np.array_equal(layer.weight.data, w0)
    assert np.array_equal(layer(x).data, y)


def test_enabled_flag():
    base = _linear()
    layer = LoRALinear(base, rank=4, alpha=8)
    _randomize_b(layer)
    x = _x()
    layer.enabled = False
    assert np.array_equal(layer(x).data, base(x).data)
    layer.enabled = True
    layer.merge()
    with pytest.raises(RuntimeError, match="unmerge"):
        layer.enabled = False


@pytest.mark.parametrize("qtype", ["q8_0", "q4_0"])
def test_qlora_forward_matches_dequantized_reference(qtype):
    base = _linear()
    w = base.weight.data.copy()
    layer = LoRALinear(base, rank=4, alpha=8, quantize=qtype)
    _randomize_b(layer)
    assert not any(isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.shape == w.shape for v in vars(layer).values())
    assert "weight" not in vars(layer) and layer.qweight.dtype == np.uint8
    assert [n for n, p in layer.named_parameters()] == ["lora_A", "lora_B"]
    gtype = getattr(gguf.GGMLQuantizationType, qtype.upper())
    deq = gguf.quants.dequantize(gguf.quants.quantize(w, gtype), gtype)
    x = _x()
    ref = _reference(x.data, deq, layer.lora_A.data, layer.lora_B.data, 2.0)
    assert np.abs(layer(x).data - ref).max() < 1e-4
    tol = 0.01 if qtype == "q8_0" else 0.15  # quantization error of the base itself
    assert np.abs(layer.weight.data - w).max() < tol
    x.requires_grad = True
    layer(x).sum().backward()
    assert layer.lora_A.grad is not None and x.grad is not None
    assert np.allclose(x.grad, (np.ones((10, 48)) @ (deq + 2.0 * layer.lora_B.data @ layer.lora_A.data)).reshape(x.shape),
                       atol=1e-4)


def test_quantized_linear_gradcheck_on_x():
    rng = np.random.default_rng(0)
    q = gguf.quants.quantize(rng.standard_normal((4, 32)).astype(np.float32), gguf.GGMLQuantizationType.Q8_0)
    assert gradcheck(lambda x: quantized_linear(x, q, gguf.GGMLQuantizationType.Q8_0), [rng.standard_normal((3, 32))])


def test_qlora_rows_must_be_multiples_of_32():
    with pytest.raises(ValueError, match="multiple of 32"):
        LoRALinear(_linear(in_f=48), rank=4, alpha=8, quantize="q4_0")
    with pytest.raises(ValueError, match="unknown base quantization"):
        LoRALinear(_linear(), rank=4, alpha=8, quantize="q5_k")
    with pytest.raises(ValueError, match="cannot merge"):
        LoRALinear(_linear(), rank=4, alpha=8, quantize="q8_0").merge()


def test_bad_hyper_parameters():
    with pytest.raises(ValueError, match="rank"):
        LoRALinear(_linear(), rank=0, alpha=8)
    with pytest.raises(ValueError, match="dropout"):
        LoRALinear(_linear(), rank=2, alpha=8, dropout=1.0)
