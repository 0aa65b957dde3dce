"""``Parameter``: a trainable leaf Tensor (``requires_grad=True`` by default) that can be frozen.

``Parameter(data, requires_grad=True, name=None, dtype=None)``; ``freeze()`` sets
``requires_grad=False`` and drops ``.grad`` (ops then skip its gradient entirely, e.g. no dW GEMM);
``unfreeze()`` re-enables it. Both return ``self``. Optimizers only keep state for parameters
that require grad.
"""

from __future__ import annotations

from typing import Any

from simplex_training.engine.tensor import Tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True, name: str | None = None,
                 dtype: Any = None) -> None:
        super().__init__(data, requires_grad=requires_grad, name=name, dtype=dtype)

    def freeze(self) -> Parameter:
        self.requires_grad = False
        self.grad = None
        return self

    def unfreeze(self) -> Parameter:
        self.requires_grad = True
        return self

    def __repr__(self) -> str:
        return "Parameter" + super().__repr__()[len("Tensor"):]
