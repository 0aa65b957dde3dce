"""The llama-architecture configuration shared by the engine, GGUF I/O and the exporters.

Weights are named as in GGUF (``token_embd.weight``, ``blk.{i}.attn_q.weight`` ...) and stored like
PyTorch ``nn.Linear.weight``: shape (out_features, in_features), numpy C-order. See
``../shared/reference/gguf-llama-cpp.md`` §1.2 and §2.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class LlamaConfig:
    vocab_size: int = 4096  # number of tokens in the tokenizer (= rows of token_embd)
    dim: int = 256  # embedding width (llama.embedding_length)
    n_layers: int = 4  # transformer blocks (llama.block_count)
    n_heads: int = 8  # query heads (llama.attention.head_count)
    n_kv_heads: int = 4  # key/value heads, divides n_heads (grouped-query attention)
    ffn_dim: int = 688  # SwiGLU hidden width (llama.feed_forward_length)
    rope_base: float = 10000.0  # RoPE theta base (llama.rope.freq_base)
    norm_eps: float = 1e-5  # RMSNorm epsilon (llama.attention.layer_norm_rms_epsilon)
    context_length: int = 512  # maximum positions (llama.context_length)
    tied_output: bool = True  # True: logits use token_embd.weight, no output.weight tensor

    def __post_init__(self) -> None:
        if self.dim % self.n_heads:
            raise ValueError(f"dim {self.dim} is not divisible by n_heads {self.n_heads}")
        if self.n_heads % self.n_kv_heads:
            raise ValueError(f"n_heads {self.n_heads} is not divisible by n_kv_heads {self.n_kv_heads}")
        if self.head_dim % 2:
            raise ValueError(f"head_dim {self.head_dim} must be even for RoPE")

    @property
    def head_dim(self) -> int:
        return self.dim // self.n_heads

    def to_dict(self) -> dict:
        return asdict(self)

    def weight_shapes(self) -> dict[str, tuple[int, ...]]:
        """Every weight of the model by GGUF name, numpy shape (out, in)."""
        hd, kv = self.head_dim, self.n_kv_heads * self.head_dim
        shapes: dict[str, tuple[int, ...]] = {"token_embd.weight": (self.vocab_size, self.dim)}
        for i in range(self.n_layers):
            b = f"blk.{i}."
            shapes[b + "attn_norm.weight"] = (self.dim,)
            shapes[b + "attn_q.weight"] = (self.n_heads * hd, self.dim)
            shapes[b + "attn_k.weight"] = (kv, self.dim)
            shapes[b + "attn_v.weight"] = (kv, self.dim)
            shapes[b + "attn_output.weight"] = (self.dim, self.n_heads * hd)
            shapes[b + "ffn_norm.weight"] = (self.dim,)
            shapes[b + "ffn_gate.weight"] = (self.ffn_dim, self.dim)
            shapes[b + "ffn_up.weight"] = (self.ffn_dim, self.dim)
            shapes[b + "ffn_down.weight"] = (self.dim, self.ffn_dim)
        shapes["output_norm.weight"] = (self.dim,)
        if not self.tied_output:
            shapes["output.weight"] = (self.vocab_size, self.dim)
        return shapes
