"""The trainable llama-architecture decoder, built from registered layer plugins.

Forward pass (``../shared/reference/gguf-llama-cpp.md`` §2), per block::

    h = x + attn_output(attention(rope(q), rope(k), v))     with q, k, v from rms_norm(x) * attn_norm
    x = h + ffn_down(silu(ffn_gate(h2)) * ffn_up(h2))       with h2 = rms_norm(h) * ffn_norm

then ``logits = rms_norm(x) * output_norm @ W_out^T`` (``W_out`` = ``token_embd`` when tied).
Parameters are exposed by their GGUF names (:meth:`LlamaModel.named_weights`), so exporting and
loading are a dictionary copy. Layer classes come from the ``layers`` registry, so a plugin can
replace one by registering under the same name in its own host.
"""

from __future__ import annotations

import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine import functional as F
from simplex_training.model.config import LlamaConfig
from simplex_training.model.module import Module


def _layers():  # noqa: ANN202
    from simplex_training.pluginmanager import get_host

    return get_host().registry("layers")


class Block(Module):
    def __init__(self, cfg: LlamaConfig, i: int, w: dict, rng: np.random.Generator, dtype) -> None:  # noqa: ANN001
        L = _layers()
        out_std = 0.02 / np.sqrt(2 * cfg.n_layers)  # scaled residual projections (GPT-2)
        p = f"blk.{i}."
        self.attn_norm = L["rms_norm"](cfg.dim, cfg.norm_eps, weight=w.get(p + "attn_norm.weight"), dtype=dtype)
        self.attn = L["grouped_query_attention"](
            cfg.dim, cfg.n_heads, cfg.n_kv_heads, rope_base=cfg.rope_base, rng=rng, out_std=out_std, dtype=dtype,
            weights={k: w.get(f"{p}{k}.weight") for k in ("attn_q", "attn_k", "attn_v", "attn_output")},
        )
        self.ffn_norm = L["rms_norm"](cfg.dim, cfg.norm_eps, weight=w.get(p + "ffn_norm.weight"), dtype=dtype)
        self.ffn = L["swiglu"](
            cfg.dim, cfg.ffn_dim, rng=rng, out_std=out_std, dtype=dtype,
            weights={k: w.get(f"{p}{k}.weight") for k in ("ffn_gate", "ffn_up", "ffn_down")},
        )

    def __call__(self, x: Tensor, positions: np.ndarray, cache=None) -> Tensor:  # noqa: ANN001
        h = x + self.attn(self.attn_norm(x), positions, cache)
        return h + self.ffn(self.ffn_norm(h))


class LlamaModel(Module):
    """A llama decoder. ``weights`` (GGUF name -> array) loads a model; else it is initialised."""

    def __init__(self, config: LlamaConfig, weights: dict[str, np.ndarray] | None = None, seed: int = 0,
                 dtype=np.float32) -> None:  # noqa: ANN001
        self.config = config
        rng = np.random.default_rng(seed)
        w: dict[str, Parameter] = {}
        if weights is not None:
            expected = config.weight_shapes()
            missing = sorted(set(expected) - set(weights))
            extra = sorted(set(weights) - set(expected))
            if missing or extra:
                raise ValueError(f"weights do not match the config: missing {missing[:5]}, unexpected {extra[:5]}")
            for name, shape in expected.items():
                arr = np.ascontiguousarray(weights[name], dtype=dtype)
                if arr.shape != shape:
                    raise ValueError(f"weight {name} has shape {arr.shape}, expected {shape}")
                w[name] = Parameter(arr, name=name)
        L = _layers()
        self.tok_embeddings = L["embedding"](config.vocab_size, config.dim, rng=rng, weight=w.get("token_embd.weight"),
                                             dtype=dtype)
        self.blocks = [Block(config, i, w, rng, dtype) for i in range(config.n_layers)]
        self.norm = L["rms_norm"](config.dim, config.norm_eps, weight=w.get("output_norm.weight"), dtype=dtype)
        self.output = None
        if not config.tied_output:
            self.output = L["linear"](config.dim, config.vocab_size, rng=rng, std=0.02, weight=w.get("output.weight"),
                                      dtype=dtype)
        for name, p in self.named_weights().items():
            p.name = name

    # -- names ---------------------------------------------------------------------------------

    def named_weights(self) -> dict[str, Parameter]:
        """Every parameter by its GGUF tensor name."""
        out = {"token_embd.weight": self.tok_embeddings.weight}
        for i, b in enumerate(self.blocks):
            p = f"blk.{i}."
            out[p + "attn_norm.weight"] = b.attn_norm.weight
            for k in ("attn_q", "attn_k", "attn_v", "attn_output"):
                out[f"{p}{k}.weight"] = getattr(b.attn, k).weight
            out[p + "ffn_norm.weight"] = b.ffn_norm.weight
            for k in ("ffn_gate", "ffn_up", "ffn_down"):
                out[f"{p}{k}.weight"] = getattr(b.ffn, k).weight
        out["output_norm.weight"] = self.norm.weight
        if self.output is not None:
            out["output.weight"] = self.output.weight
        return out

    def state_dict(self) -> dict[str, np.ndarray]:
        return {name: p.data.copy() for name, p in self.named_weights().items()}

    def load_state_dict(self, weights: dict[str, np.ndarray]) -> None:
        for name, p in self.named_weights().items():
            if weights[name].shape != p.shape:
                raise ValueError(f"weight {name} has shape {weights[name].shape}, expected {p.shape}")
            p.data[...] = weights[name]

    # -- forward -------------------------------------------------------------------------------

    def __call__(self, ids: np.ndarray, start_pos: int = 0, caches: list | None = None,
                 last_only: bool = False) -> Tensor:
        """Logits (B, T, V) for token ids (B, T) at positions start_pos.. (with KV caches when decoding).

        ``last_only`` gives (B, 1, V), the last position's logits only (what decoding needs from a prompt).
        With caches whose ``start`` is set (left-padded prompts), row b's positions count from its
        slot ``start[b]``: position = slot - start[b], the padding slots sitting at position 0.
        """
        h = self.hidden(ids, start_pos, caches)
        return self.head(h[:, -1:] if last_only else h)

    def hidden(self, ids: np.ndarray, start_pos: int = 0, caches: list | None = None) -> Tensor:
        """The final normalised hidden states (B, T, C), the input of :meth:`head`."""
        ids = np.asarray(ids)
        if ids.ndim == 1:
            ids = ids[None]
        T = ids.shape[1]
        positions = np.arange(start_pos, start_pos + T)
        pad = getattr(caches[0], "start", None) if caches else None
        if pad is not None:
            positions = np.maximum(positions[None, :] - pad[:, None], 0)  # (B, T)
        if positions.max() + 1 > self.config.context_length:
            raise ValueError(f"sequence of {positions.max() + 1} tokens exceeds the context length "
                             f"{self.config.context_length}")
        x = self.tok_embeddings(ids)  # (B, T, C)
        for i, block in enumerate(self.blocks):
            x = block(x, positions, caches[i] if caches is not None else None)
        return self.norm(x)

    def head(self, h: Tensor) -> Tensor:
        """Logits (..., V) of hidden states (..., C): the output matrix, or the token embeddings when tied."""
        if self.output is None:
            return F.linear(h, self.tok_embeddings.weight)
        return self.output(h)

    def loss(self, ids: np.ndarray, targets: np.ndarray, ignore_index: int = -100) -> Tensor:
        """Mean next-token cross-entropy; ``targets`` (B, T) with ``ignore_index`` where unscored.

        Logits are computed at the scored positions only: a fine-tuning batch scores its responses,
        and the vocabulary projection of every prompt position would be work thrown away.
        """
        h = self.hidden(ids)
        B, T, C = h.shape
        flat = np.asarray(targets).reshape(-1)
        if flat.shape[0] != B * T:
            raise ValueError(f"targets {np.shape(targets)} do not match ids {np.shape(ids)}")
        rows = np.flatnonzero(flat != ignore_index)
        h2 = h.reshape(B * T, C)
        if rows.size < B * T:
            h2, flat = h2[rows], flat[rows]
        return F.cross_entropy(self.head(h2), flat, ignore_index=ignore_index)
