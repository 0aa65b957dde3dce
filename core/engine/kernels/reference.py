"""Plain-numpy reference implementations of every numba kernel (for tests, run them in float64).

They follow the maths literally (explicit K/V head repetition for GQA, explicit masks, one-hot
targets) and trade speed for obviousness. Each returns the same tuple layout as its kernel.

``attention_ref_forward(q, k, v, causal=True, scale=None, key_start=None) -> out``
``attention_ref_backward(dout, q, k, v, causal=True, scale=None, key_start=None) -> (dq, dk, dv)``
``rmsnorm_ref_forward(x, w, eps) -> y``;  ``rmsnorm_ref_backward(dy, x, w, eps) -> (dx, dw)``
``rope_ref(x, positions, base) -> out``  (explicit loop over pairs, adjacent-pair layout)
``swiglu_ref_forward(gate, up)``;  ``swiglu_ref_backward(gate, up, dout) -> (dgate, dup)``
``xent_ref(logits, targets, ignore_index) -> (mean loss, dlogits of the mean)``
``adamw_ref(p, g, m, v, lr, beta1, beta2, eps, wd, step) -> (p, m, v)`` (new arrays)
``embedding_ref_backward(ids, dout, vocab_size) -> dweight``
"""

from __future__ import annotations

import math

import numpy as np


def _mask_and_repeat(q: np.ndarray, k: np.ndarray, v: np.ndarray, causal: bool,
                     key_start: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    B, Hq, Tq, D = q.shape
    Hkv, Tk = k.shape[1], k.shape[2]
    G = Hq // Hkv
    kr = np.repeat(k, G, axis=1)  # (B, Hq, Tk, D): head h -> kv head h // G
    vr = np.repeat(v, G, axis=1)
    keys = np.arange(Tk)[None, :]
    query_pos = (Tk - Tq) + np.arange(Tq)[:, None]  # (Tq, 1)
    last = query_pos if causal else np.full((Tq, 1), Tk - 1)
    allowed = np.broadcast_to(keys <= last, (B, 1, Tq, Tk))
    if key_start is not None:  # row b's query i sees keys from min(key_start[b], i) (padding: itself)
        first = np.minimum(np.asarray(key_start).reshape(B, 1, 1, 1), last[None, None])
        allowed = allowed & (keys[None, None] >= first)
    return kr, vr, allowed, G


def attention_ref_forward(q: np.ndarray, k: np.ndarray, v: np.ndarray, causal: bool = True,
                          scale: float | None = None, key_start: np.ndarray | None = None) -> np.ndarray:
    kr, vr, allowed, _ = _mask_and_repeat(q, k, v, causal, key_start)
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    s = np.where(allowed, (q @ kr.swapaxes(-1, -2)) * scale, -np.inf)
    p = np.exp(s - s.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    return p @ vr


def attention_ref_backward(dout: np.ndarray, q: np.ndarray, k: np.ndarray, v: np.ndarray,
                           causal: bool = True, scale: float | None = None,
                           key_start: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kr, vr, allowed, G = _mask_and_repeat(q, k, v, causal, key_start)
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    s = np.where(allowed, (q @ kr.swapaxes(-1, -2)) * scale, -np.inf)
    p = np.exp(s - s.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    dvr = p.swapaxes(-1, -2) @ dout
    dp = dout @ vr.swapaxes(-1, -2)
    ds = p * (dp - (p * dp).sum(axis=-1, keepdims=True)) * scale
    dq = ds @ kr
    dkr = ds.swapaxes(-1, -2) @ q
    B, Hkv = k.shape[0], k.shape[1]
    dk = dkr.reshape(B, Hkv, G, *k.shape[2:]).sum(axis=2)  # sum the query heads sharing a kv head
    dv = dvr.reshape(B, Hkv, G, *v.shape[2:]).sum(axis=2)
    return dq, dk, dv


def rmsnorm_ref_forward(x: np.ndarray, w: np.ndarray, eps: float) -> np.ndarray:
    return x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps) * w


def rmsnorm_ref_backward(dy: np.ndarray, x: np.ndarray, w: np.ndarray, eps: float
                         ) -> tuple[np.ndarray, np.ndarray]:
    C = x.shape[-1]
    r = 1.0 / np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps)
    xhat = x * r
    dxhat = dy * w
    dx = r * dxhat - x * r ** 3 * (dxhat * x).sum(axis=-1, keepdims=True) / C
    dw = (dy * xhat).reshape(-1, C).sum(axis=0)
    return dx, dw


def rope_ref(x: np.ndarray, positions: np.ndarray, base: float) -> np.ndarray:
    B, H, T, D = x.shape
    pos = np.broadcast_to(np.asarray(positions).reshape(-1, T), (B, T))
    out = np.empty_like(x)
    for b in range(B):
        for t in range(T):
            for i in range(D // 2):
                theta = float(pos[b, t]) * base ** (-2.0 * i / D)
                c, s = math.cos(theta), math.sin(theta)
                x0, x1 = x[b, :, t, 2 * i], x[b, :, t, 2 * i + 1]
                out[b, :, t, 2 * i] = x0 * c - x1 * s
                out[b, :, t, 2 * i + 1] = x0 * s + x1 * c
    return out


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def swiglu_ref_forward(gate: np.ndarray, up: np.ndarray) -> np.ndarray:
    return gate * _sigmoid(gate) * up


def swiglu_ref_backward(gate: np.ndarray, up: np.ndarray, dout: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray]:
    s = _sigmoid(gate)
    return dout * up * (s + gate * s * (1.0 - s)), dout * gate * s


def xent_ref(logits: np.ndarray, targets: np.ndarray, ignore_index: int = -100
             ) -> tuple[float, np.ndarray]:
    x = logits.reshape(-1, logits.shape[-1])
    t = np.asarray(targets).reshape(-1)
    valid = t != ignore_index
    count = int(valid.sum())
    lse = np.log(np.exp(x - x.max(axis=-1, keepdims=True)).sum(axis=-1)) + x.max(axis=-1)
    onehot = np.zeros_like(x)
    onehot[np.arange(len(t))[valid], t[valid]] = 1.0
    if count == 0:
        return 0.0, np.zeros_like(logits)
    loss = float(((lse - (x * onehot).sum(axis=-1)) * valid).sum() / count)
    softmax = np.exp(x - lse[:, None])
    d = (softmax - onehot) * valid[:, None] / count
    return loss, d.reshape(logits.shape)


def adamw_ref(p: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray, lr: float,
              beta1: float, beta2: float, eps: float, wd: float, step: int
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = p * (1.0 - lr * wd)
    m = beta1 * m + (1.0 - beta1) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    m_hat = m / (1.0 - beta1 ** step)
    v_hat = v / (1.0 - beta2 ** step)
    return p - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def embedding_ref_backward(ids: np.ndarray, dout: np.ndarray, vocab_size: int) -> np.ndarray:
    flat = np.asarray(ids).reshape(-1)
    d = dout.reshape(flat.size, -1)
    dweight = np.zeros((vocab_size, d.shape[1]), dtype=dout.dtype)
    np.add.at(dweight, flat, d)
    return dweight


def dropout_ref_keep(n: int, seed: int, p: float) -> np.ndarray:
    """Keep mask of :func:`..dropout.dropout_apply` for ``n`` elements: splitmix64 in numpy uint64."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + np.arange(n, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(32)) >= np.uint64(min(int(round(p * 2.0**32)), 2**32))
