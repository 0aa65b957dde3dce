"""Optional oracle: attention (GQA), rms_norm, rope, swiglu and cross_entropy vs PyTorch autograd."""

from __future__ import annotations

import numpy as np
import pytest

from simplex_training.engine import Parameter
from simplex_training.engine import functional as F

torch = pytest.importorskip("torch")


def _torch_rope(x, pos, base):  # type: ignore[no-untyped-def]
    D = x.shape[-1]
    inv = base ** (-torch.arange(0, D, 2, dtype=torch.float64) / D)
    theta = torch.as_tensor(pos, dtype=torch.float64)[:, None] * inv  # (T, D/2)
    c, s = torch.cos(theta), torch.sin(theta)
    x0, x1 = x[..., 0::2], x[..., 1::2]
    return torch.stack([x0 * c - x1 * s, x0 * s + x1 * c], dim=-1).flatten(-2)


@pytest.mark.parametrize("hq,hkv", [(4, 2), (4, 4)])
def test_block_gradients_match_torch(hq: int, hkv: int) -> None:
    rng = np.random.default_rng(0)
    B, T, D, V = 2, 6, 8, 13
    C = hq * D
    arrays = {
        "x": rng.standard_normal((B, T, C)), "w_norm": 1 + 0.1 * rng.standard_normal(C),
        "wq": rng.standard_normal((hq * D, C)) * 0.2, "wk": rng.standard_normal((hkv * D, C)) * 0.2,
        "wv": rng.standard_normal((hkv * D, C)) * 0.2, "wg": rng.standard_normal((V, C)) * 0.2,
        "wu": rng.standard_normal((V, C)) * 0.2,
    }
    targets = rng.integers(0, V, size=(B, T))
    targets[0, 2] = -100
    pos = np.arange(T)

    ours = {k: Parameter(v) for k, v in arrays.items()}
    h = F.rms_norm(ours["x"], ours["w_norm"], 1e-5)
    q = F.rope(F.linear(h, ours["wq"]).reshape(B, T, hq, D).transpose(0, 2, 1, 3), pos)
    k = F.rope(F.linear(h, ours["wk"]).reshape(B, T, hkv, D).transpose(0, 2, 1, 3), pos)
    v = F.linear(h, ours["wv"]).reshape(B, T, hkv, D).transpose(0, 2, 1, 3)
    a = F.attention(q, k, v).transpose(0, 2, 1, 3).reshape(B, T, C)
    logits = F.swiglu(F.linear(a, ours["wg"]), F.linear(a, ours["wu"]))
    loss = F.cross_entropy(logits, targets)
    loss.backward()

    th = {k: torch.tensor(v, requires_grad=True) for k, v in arrays.items()}
    x = th["x"]
    h_t = x * torch.rsqrt((x * x).mean(-1, keepdim=True) + 1e-5) * th["w_norm"]
    q_t = _torch_rope((h_t @ th["wq"].T).reshape(B, T, hq, D).transpose(1, 2), pos, 10000.0)
    k_t = _torch_rope((h_t @ th["wk"].T).reshape(B, T, hkv, D).transpose(1, 2), pos, 10000.0)
    v_t = (h_t @ th["wv"].T).reshape(B, T, hkv, D).transpose(1, 2)
    a_t = torch.nn.functional.scaled_dot_product_attention(
        q_t, k_t.repeat_interleave(hq // hkv, 1), v_t.repeat_interleave(hq // hkv, 1),
        is_causal=True)
    a_t = a_t.transpose(1, 2).reshape(B, T, C)
    logits_t = torch.nn.functional.silu(a_t @ th["wg"].T) * (a_t @ th["wu"].T)
    loss_t = torch.nn.functional.cross_entropy(logits_t.reshape(-1, V),
                                               torch.as_tensor(targets).reshape(-1),
                                               ignore_index=-100)
    loss_t.backward()

    np.testing.assert_allclose(loss.item(), loss_t.item(), rtol=1e-10)
    for name, p in ours.items():
        np.testing.assert_allclose(p.grad, th[name].grad.numpy(), rtol=1e-8, atol=1e-10,
                                   err_msg=name)
