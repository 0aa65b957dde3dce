"""The same llama model in PyTorch eager (CPU), for side-by-side speed comparison only.

Mirrors simplex_training.model.llama: RMSNorm, adjacent-pair RoPE, GQA causal attention
(scaled_dot_product_attention with enable_gqa), SwiGLU, tied output. Benchmarks only: the
project never imports torch at run time.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class TorchLlama(nn.Module):
    def __init__(self, vocab: int, dim: int, n_layers: int, n_heads: int, n_kv: int, ffn: int, eps: float = 1e-5,
                 base: float = 10000.0, max_t: int = 512):
        super().__init__()
        self.h, self.kv, self.d = n_heads, n_kv, dim // n_heads
        self.emb = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList()
        for _ in range(n_layers):
            b = nn.Module()
            b.n1, b.n2 = nn.RMSNorm(dim, eps=eps), nn.RMSNorm(dim, eps=eps)
            b.q = nn.Linear(dim, dim, bias=False)
            b.k = nn.Linear(dim, n_kv * self.d, bias=False)
            b.v = nn.Linear(dim, n_kv * self.d, bias=False)
            b.o = nn.Linear(dim, dim, bias=False)
            b.g = nn.Linear(dim, ffn, bias=False)
            b.u = nn.Linear(dim, ffn, bias=False)
            b.dn = nn.Linear(ffn, dim, bias=False)
            self.blocks.append(b)
        self.norm = nn.RMSNorm(dim, eps=eps)
        inv = base ** (-torch.arange(0, self.d, 2, dtype=torch.float32) / self.d)
        ang = torch.arange(max_t, dtype=torch.float32)[:, None] * inv[None]
        self.register_buffer("cos", ang.cos(), persistent=False)
        self.register_buffer("sin", ang.sin(), persistent=False)

    def rope(self, x: torch.Tensor) -> torch.Tensor:  # (B, H, T, D), adjacent pairs
        T = x.shape[2]
        x1, x2 = x[..., 0::2], x[..., 1::2]
        c, s = self.cos[:T], self.sin[:T]
        return torch.stack((x1 * c - x2 * s, x1 * s + x2 * c), dim=-1).flatten(-2)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.hidden(ids) @ self.emb.weight.T

    def hidden(self, ids: torch.Tensor) -> torch.Tensor:
        """Final normalised hidden states (B, T, dim); logits are these times the tied embeddings."""
        B, T = ids.shape
        x = self.emb(ids)
        for b in self.blocks:
            h = b.n1(x)
            q = self.rope(b.q(h).view(B, T, self.h, self.d).transpose(1, 2))
            k = self.rope(b.k(h).view(B, T, self.kv, self.d).transpose(1, 2))
            v = b.v(h).view(B, T, self.kv, self.d).transpose(1, 2)
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
            x = x + b.o(y.transpose(1, 2).reshape(B, T, -1))
            h2 = b.n2(x)
            x = x + b.dn(F.silu(b.g(h2)) * b.u(h2))
        return self.norm(x)


class TorchLoRA(nn.Module):
    """y = W x + s B A dropout(x) on a frozen nn.Linear (PEFT-style), for the frozen-base comparison."""

    def __init__(self, base: nn.Linear, r: int, alpha: float, dropout: float = 0.0):
        super().__init__()
        self.base = base
        self.p = dropout
        self.a = nn.Parameter(torch.randn(r, base.in_features) / r**0.5)
        self.b = nn.Parameter(torch.zeros(base.out_features, r))
        self.s = alpha / r

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.dropout(x, self.p, self.training) if self.p else x
        return self.base(x) + self.s * F.linear(F.linear(h, self.a), self.b)
