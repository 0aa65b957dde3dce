"""``Module``: the minimal container layers and models are built from.

A module owns :class:`~simplex_training.engine.Parameter` attributes and child modules; it lists
them by dotted name, switches train/eval mode, and freezes or unfreezes everything below it.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from simplex_training.engine import Parameter


class Module:
    """Base class: parameters and children are found by walking instance attributes in order."""

    training: bool = True

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """Every Parameter reachable from this module's attributes, directly or in child modules, lists,
        tuples and dicts (``blocks.0.attn_q.weight``, ``weights.attn_q``), each once, first path wins."""
        seen: set[int] = set()
        for name, p in self._walk(vars(self), prefix):
            if id(p) not in seen:
                seen.add(id(p))
                yield name, p

    @staticmethod
    def _walk(items: dict, prefix: str) -> Iterator[tuple[str, Parameter]]:
        for name, value in items.items():
            if isinstance(value, Parameter):
                yield f"{prefix}{name}", value
            elif isinstance(value, Module):
                yield from value.named_parameters(f"{prefix}{name}.")
            elif isinstance(value, (list, tuple)):
                yield from Module._walk(dict(enumerate(value)), f"{prefix}{name}.")
            elif isinstance(value, dict):
                yield from Module._walk(value, f"{prefix}{name}.")

    def parameters(self) -> list[Parameter]:
        return [p for _, p in self.named_parameters()]

    def modules(self) -> Iterator[Module]:
        yield self
        for value in vars(self).values():
            items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else [value]
            for item in items:
                if isinstance(item, Module):
                    yield from item.modules()

    def train(self, mode: bool = True) -> Module:
        for m in self.modules():
            m.training = mode
        return self

    def eval(self) -> Module:
        return self.train(False)

    def freeze(self) -> Module:
        for p in self.parameters():
            p.freeze()
        return self

    def unfreeze(self) -> Module:
        for p in self.parameters():
            p.unfreeze()
        return self

    def num_parameters(self, trainable_only: bool = False) -> int:
        return sum(p.size for p in self.parameters() if p.requires_grad or not trainable_only)


def normal_init(rng: np.random.Generator, shape: tuple[int, ...], std: float, dtype=np.float32) -> np.ndarray:  # noqa: ANN001
    """N(0, std^2) weights from an explicit generator (never the global RNG)."""
    return (rng.standard_normal(shape) * std).astype(dtype)
