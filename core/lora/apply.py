"""Put LoRA adapters on a :class:`~simplex_training.model.llama.LlamaModel` and manage them.

Scope: :class:`LoRAConfig` (hyper-parameters and module targeting), :func:`apply_lora` (freeze
the base, replace targeted ``Linear`` modules in place by :class:`~simplex_training.lora.layer.
LoRALinear`) and :class:`LoRAModel` (the adapted model: trainable parameters, adapter state dict,
merge/unmerge, parameter counts).

Targets (``LoRAConfig.targets`` and ``exclude``) are matched against GGUF weight names
(``blk.3.attn_q.weight``...), item by item:

* a short name -- ``q k v o gate up down output`` (PEFT spellings ``q_proj`` ... ``down_proj``,
  ``lm_head`` are accepted too) -- selects that projection in every block;
* ``"all"`` selects the seven block projections q, k, v, o, gate, up, down (like PEFT's
  ``all-linear``, the output head only when ``output`` is listed as well);
* an item with ``* ? [`` is a glob over GGUF names (``blk.*.attn_q.weight``);
* a full GGUF name (ending ``.weight``) matches itself only;
* anything else matches names that contain it (``blk.0.`` = every projection of block 0), the
  substring rule of the original Simplex ``LoRAConfig.should_apply`` (``original-system.md`` §2.5).

``token_embd`` is never adapted (llama.cpp aborts on an embedding LoRA of a tied model,
``gguf-llama-cpp.md`` §4), and asking for ``output`` on a tied model raises ``ValueError``.
"""

from __future__ import annotations

import fnmatch
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simplex_training.engine import Parameter
from simplex_training.lora.layer import INITS, QUANT_TYPES, LoRALinear, lora_scale

SHORT_NAMES: dict[str, str] = {
    "q": "attn_q", "k": "attn_k", "v": "attn_v", "o": "attn_output",
    "gate": "ffn_gate", "up": "ffn_up", "down": "ffn_down", "output": "output",
    "q_proj": "attn_q", "k_proj": "attn_k", "v_proj": "attn_v", "o_proj": "attn_output",
    "gate_proj": "ffn_gate", "up_proj": "ffn_up", "down_proj": "ffn_down", "lm_head": "output",
}
ALL_BLOCK = ("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down")
_ATTN = ("attn_q", "attn_k", "attn_v", "attn_output")
_FORBIDDEN = ("token_embd", "token_embd.weight", "embed_tokens", "tok_embeddings")


@dataclass
class LoRAConfig:
    rank: int = 8
    alpha: float = 16.0
    dropout: float = 0.0
    targets: list[str] = field(default_factory=lambda: ["q", "v"])
    exclude: list[str] = field(default_factory=list)
    rslora: bool = False
    quantize_base: str | None = None  # None | "q8_0" | "q4_0" (QLoRA)
    seed: int = 0
    init: str = "kaiming"  # "kaiming" (PEFT default) or "gaussian" (std 1/r)

    def __post_init__(self) -> None:
        if isinstance(self.targets, str):
            self.targets = [self.targets]
        if isinstance(self.exclude, str):
            self.exclude = [self.exclude]
        self.targets, self.exclude = list(self.targets), list(self.exclude)
        if int(self.rank) != self.rank or self.rank < 1:
            raise ValueError(f"LoRA rank must be a positive integer, got {self.rank}")
        if not self.alpha > 0:
            raise ValueError(f"LoRA alpha must be > 0, got {self.alpha}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"LoRA dropout must be in [0, 1), got {self.dropout}")
        if not self.targets:
            raise ValueError("LoRA targets are empty")
        if self.quantize_base is not None and self.quantize_base not in QUANT_TYPES:
            raise ValueError(f"quantize_base must be None or one of {', '.join(QUANT_TYPES)}, got {self.quantize_base!r}")
        if self.init not in INITS:
            raise ValueError(f"unknown LoRA init {self.init!r} (choose {', '.join(INITS)})")
        for t in self.targets:
            if t.lower() in _FORBIDDEN:
                raise ValueError(f"LoRA on {t!r} is not supported: the token embedding is never adapted "
                                 "(llama.cpp aborts on an embedding LoRA of a tied model)")

    @property
    def scale(self) -> float:
        return lora_scale(self.rank, self.alpha, self.rslora)

    @classmethod
    def from_preset(cls, name: str, **overrides: Any) -> LoRAConfig:
        """A config from ``simplex_training.catalog.LORA_PRESETS[name]`` (fields can be overridden)."""
        from simplex_training.catalog import LORA_PRESETS

        if name not in LORA_PRESETS:
            raise ValueError(f"unknown LoRA preset {name!r} (known: {', '.join(LORA_PRESETS)})")
        p = dict(LORA_PRESETS[name])
        kwargs: dict[str, Any] = {"rank": int(p["rank"]), "alpha": float(p["alpha"]), "targets": list(p["targets"]),
                                  "dropout": float(p.get("dropout", 0.0)), "rslora": bool(p.get("rslora", False))}
        kwargs.update(overrides)
        return cls(**kwargs)


def _is_glob(item: str) -> bool:
    return any(c in item for c in "*?[")


def _item_matches(item: str, name: str) -> bool:
    if item in SHORT_NAMES:
        return name.rsplit(".", 2)[-2] == SHORT_NAMES[item]
    if item == "all":
        return name != "output.weight"
    if _is_glob(item):
        return fnmatch.fnmatchcase(name, item)
    if item.endswith(".weight"):  # a full GGUF name ("output.weight" is inside "attn_output.weight")
        return item == name
    return item in name


def linear_names(model: Any) -> list[str]:
    """GGUF names of the model's adaptable Linear weights (block projections, then ``output``)."""
    names = [f"blk.{i}.{k}.weight" for i in range(len(model.blocks)) for k in ALL_BLOCK]
    if model.output is not None:
        names.append("output.weight")
    return names


def select_targets(model: Any, cfg: LoRAConfig) -> list[str]:
    """The GGUF weight names ``cfg`` adapts on ``model`` (in model order); clear errors otherwise."""
    candidates = linear_names(model)
    tied = model.output is None
    chosen: set[str] = set()
    for item in cfg.targets:
        hits = [n for n in candidates if _item_matches(item, n)]
        if tied and _item_matches(item, "output.weight") and item != "all" and not hits:
            raise ValueError(f"LoRA target {item!r} asks for the output head, but this model has tied embeddings "
                             "(no output Linear; logits reuse token_embd, which is never adapted)")
        if not hits:
            raise ValueError(f"LoRA target {item!r} matches no linear layer (candidates look like "
                             f"{candidates[0]!r}; token_embd and norms are never adapted)")
        chosen.update(hits)
    for item in cfg.exclude:
        chosen = {n for n in chosen if not _item_matches(item, n)}
    if not chosen:
        raise ValueError(f"LoRA targets {cfg.targets} minus exclude {cfg.exclude} leave no layer to adapt")
    return [n for n in candidates if n in chosen]


def _locate(model: Any, name: str) -> tuple[Any, str]:
    """(parent module, attribute) holding the Linear of GGUF weight ``name``."""
    if name == "output.weight":
        return model, "output"
    _, i, kind, _ = name.split(".")
    block = model.blocks[int(i)]
    return (block.attn if kind in _ATTN else block.ffn), kind


def _rng(seed: int, name: str, stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(name.encode()), stream]))


class LoRAModel:
    """A base model whose targeted Linears are :class:`LoRALinear`; calls go to the model."""

    def __init__(self, model: Any, config: LoRAConfig, adapters: dict[str, LoRALinear]) -> None:
        self.model = model
        self.config = config
        self._adapters = adapters

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.model(*args, **kwargs)

    def loss(self, *args: Any, **kwargs: Any) -> Any:
        return self.model.loss(*args, **kwargs)

    def train(self, mode: bool = True) -> LoRAModel:
        self.model.train(mode)
        return self

    def eval(self) -> LoRAModel:
        return self.train(False)

    # -- adapters ----------------------------------------------------------------------------

    def named_adapters(self) -> dict[str, LoRALinear]:
        """GGUF base weight name -> its LoRALinear, in model order."""
        return dict(self._adapters)

    def lora_parameters(self) -> list[Parameter]:
        """The trainable parameters: A and B of every adapter (nothing else)."""
        return [p for layer in self._adapters.values() for p in (layer.lora_A, layer.lora_B)]

    def named_lora_parameters(self) -> Iterator[tuple[str, Parameter]]:
        for name, layer in self._adapters.items():
            yield f"{name}.lora_a", layer.lora_A
            yield f"{name}.lora_b", layer.lora_B

    def set_enabled(self, enabled: bool) -> None:
        for layer in self._adapters.values():
            layer.enabled = enabled

    def merge(self) -> None:
        for layer in self._adapters.values():
            layer.merge()

    def unmerge(self) -> None:
        for layer in self._adapters.values():
            layer.unmerge()

    # -- state -------------------------------------------------------------------------------

    def adapter_state_dict(self) -> dict[str, np.ndarray]:
        """``{"<base>.lora_a": A (r, in), "<base>.lora_b": B (out, r)}`` (copies)."""
        return {k: p.data.copy() for k, p in self.named_lora_parameters()}

    def expected_shapes(self) -> dict[str, tuple[int, int]]:
        return {k: p.shape for k, p in self.named_lora_parameters()}

    def load_adapter_state_dict(self, state: Mapping[str, np.ndarray]) -> None:
        """Copy A and B from ``state``; every tensor is checked before anything is written."""
        expected = self.expected_shapes()
        missing = [k for k in expected if k not in state]
        extra = sorted(k for k in state if k not in expected)
        if missing:
            raise ValueError(f"adapter state is missing tensor {missing[0]!r} ({len(missing)} missing)")
        if extra:
            raise ValueError(f"adapter state has unexpected tensor {extra[0]!r} ({len(extra)} unexpected; "
                             f"this model adapts {len(self._adapters)} layers)")
        for k, shape in expected.items():
            got = np.shape(state[k])
            if tuple(got) != tuple(shape):
                raise ValueError(f"adapter tensor {k!r} has shape {tuple(got)}, expected {tuple(shape)}")
            if not np.isfinite(np.asarray(state[k])).all():
                raise ValueError(f"adapter tensor {k!r} contains NaN or infinite values")
        if any(layer.merged for layer in self._adapters.values()):
            raise RuntimeError("unmerge() before loading adapter weights")
        for k, p in self.named_lora_parameters():
            p.data[...] = np.asarray(state[k], dtype=p.dtype)

    # -- counts ------------------------------------------------------------------------------

    def num_trainable(self) -> int:
        return sum(p.size for p in self.lora_parameters())

    def num_total(self) -> int:
        """Base parameters (quantized ones counted by element) plus the adapters."""
        base = sum(int(np.prod(s)) for s in self.model.config.weight_shapes().values())
        return base + self.num_trainable()

    def __repr__(self) -> str:
        return (f"LoRAModel({len(self._adapters)} adapters, r={self.config.rank}, scale={self.config.scale:.4g}, "
                f"trainable={self.num_trainable()}/{self.num_total()})")


def apply_lora(model: Any, cfg: LoRAConfig) -> LoRAModel:
    """Freeze every base parameter and replace the targeted Linears of ``model`` by LoRALinear."""
    names = select_targets(model, cfg)
    layers: dict[str, LoRALinear] = {}
    params = model.parameters()
    flags = [p.requires_grad for p in params]
    try:  # build everything first: a failure leaves the model untouched
        for name in names:
            parent, attr = _locate(model, name)
            base = getattr(parent, attr)
            if isinstance(base, LoRALinear):
                raise ValueError("it already has a LoRA adapter")
            layers[name] = LoRALinear(base, cfg.rank, cfg.alpha, dropout=cfg.dropout, rslora=cfg.rslora,
                                      quantize=cfg.quantize_base, rng=_rng(cfg.seed, name, 0),
                                      dropout_rng=_rng(cfg.seed, name, 1), init=cfg.init)
    except ValueError as exc:
        for p, flag in zip(params, flags, strict=True):
            p.requires_grad = flag
        raise ValueError(f"{name}: {exc}") from exc
    model.freeze()
    for name, layer in layers.items():
        parent, attr = _locate(model, name)
        layer.training = getattr(model, "training", True)
        setattr(parent, attr, layer)
    return LoRAModel(model, cfg, layers)
