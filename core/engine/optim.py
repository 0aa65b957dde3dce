"""Optimizers (AdamW, SGD with momentum) and global gradient-norm clipping.

Public API
----------
``AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)``
``SGD(params, lr=1e-2, momentum=0.0, weight_decay=0.0)``
    ``params``: Tensors, or dicts ``{"params": [...], "weight_decay": wd}`` (per-group decay, e.g.
    0 for norm weights). ``opt.lr`` may be reassigned every step (see ``lr_schedules``).
    ``opt.step() -> bool``  applies the update to every parameter that requires grad and has a
        gradient; if ANY such gradient is non-finite nothing changes, a warning goes to the logger
        "simplex_training.optim" and False is returned.
    ``opt.zero_grad()``, ``opt.state_dict() -> dict``, ``opt.load_state_dict(d)``; the state is
        plain python ints/floats and numpy arrays keyed by the parameter's index in ``params``:
        {"type", "step", "lr", hyper-parameters..., "weight_decays": (P,) float64 array,
         "state": {index: {"step": int, "m": array, "v": array}}} (SGD: "momentum_buffer").
    State is created lazily, only for parameters that require grad.
``clip_grad_norm(params, max_norm) -> float``
    Global L2 norm of all gradients (float64 accumulation); gradients are scaled in place by
    max_norm / (norm + 1e-6) when the norm exceeds max_norm and is finite. Returns the norm before
    clipping.

AdamW follows torch.optim.AdamW (decoupled decay p *= 1 - lr*wd, bias-corrected moments, eps added
to sqrt(v_hat)); the update runs in the fused numba kernel ``kernels.adamw``.
"""

from __future__ import annotations

import abc
import logging
import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from simplex_training.engine.kernels.adamw import adamw_update
from simplex_training.engine.kernels.parallel import blas_single
from simplex_training.engine.tensor import Tensor

__all__ = ["Optimizer", "AdamW", "SGD", "clip_grad_norm", "logger"]

logger = logging.getLogger("simplex_training.optim")


class Optimizer(abc.ABC):
    """Shared bookkeeping: parameter list, per-parameter decay, finite check, state export."""

    kind = "optimizer"
    _state_keys: tuple[str, ...] = ()
    _hyper: tuple[str, ...] = ("lr",)

    def __init__(self, params: Iterable[Tensor | dict[str, Any]], lr: float,
                 weight_decay: float) -> None:
        self.params: list[Tensor] = []
        self.weight_decays: list[float] = []
        for item in params:
            if isinstance(item, dict):
                wd = float(item.get("weight_decay", weight_decay))
                group = list(item["params"])
            else:
                wd, group = float(weight_decay), [item]
            for p in group:
                if not isinstance(p, Tensor):
                    raise TypeError(f"optimizer parameters must be Tensors, got {type(p)}")
                self.params.append(p)
                self.weight_decays.append(wd)
        if len({id(p) for p in self.params}) != len(self.params):
            raise ValueError("a parameter appears more than once")
        self.lr = float(lr)
        self.weight_decay = float(weight_decay)
        self.step_count = 0
        self.state: dict[int, dict[str, Any]] = {}

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def _active(self) -> list[tuple[int, Tensor]]:
        return [(i, p) for i, p in enumerate(self.params)
                if p.requires_grad and p.grad is not None]

    def step(self) -> bool:
        """Apply one update; False (and no change at all) if any gradient is non-finite."""
        active = self._active()
        for i, p in active:
            if not np.isfinite(p.grad).all():
                name = p.name or f"#{i}"
                logger.warning("non-finite gradient in parameter %s: optimizer step %d skipped",
                               name, self.step_count + 1)
                return False
        self.step_count += 1
        for i, p in active:
            if not p.data.flags.c_contiguous:
                raise ValueError(f"parameter {p.name or i} is not C-contiguous")
            state = self.state.get(i)
            if state is None:
                state = self._init_state(p)
                self.state[i] = state
            state["step"] += 1
            self._update(p, np.ascontiguousarray(p.grad), state, self.weight_decays[i])
        return True

    def _init_state(self, p: Tensor) -> dict[str, Any]:
        state: dict[str, Any] = {"step": 0}
        for key in self._state_keys:
            state[key] = np.zeros_like(p.data)
        return state

    @abc.abstractmethod
    def _update(self, p: Tensor, g: np.ndarray, state: dict[str, Any], wd: float) -> None:
        """Update ``p.data`` (and ``state``) in place from gradient ``g`` with decay ``wd``."""

    # ------------------------------------------------------------------ checkpointing
    def state_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.kind, "step": int(self.step_count)}
        for key in self._hyper:
            value = getattr(self, key)
            d[key] = tuple(float(x) for x in value) if isinstance(value, tuple) else float(value)
        d["weight_decays"] = np.array(self.weight_decays, dtype=np.float64)  # per parameter
        d["state"] = {i: {k: (int(v) if k == "step" else v.copy()) for k, v in s.items()}
                      for i, s in self.state.items()}
        return d

    def load_state_dict(self, d: dict[str, Any]) -> None:
        if d.get("type") != self.kind:
            raise ValueError(f"state dict is for {d.get('type')!r}, not {self.kind!r}")
        state: dict[int, dict[str, Any]] = {}
        for key, s in d["state"].items():
            i = int(key)
            if not 0 <= i < len(self.params):
                raise ValueError(f"state for parameter {i}, but only {len(self.params)} exist")
            p = self.params[i]
            entry: dict[str, Any] = {"step": int(s["step"])}
            for k in self._state_keys:
                arr = np.asarray(s[k])
                if arr.shape != p.shape:
                    raise ValueError(f"state {k!r} of parameter {i} has shape {arr.shape}, "
                                     f"parameter has {p.shape}")
                entry[k] = np.array(arr, dtype=p.dtype, order="C", copy=True)
            state[i] = entry
        for key in self._hyper:
            value = d[key]
            setattr(self, key, tuple(float(x) for x in value) if isinstance(value, (tuple, list))
                    else float(value))
        decays = np.asarray(d.get("weight_decays", [self.weight_decay] * len(self.params)))
        if decays.shape != (len(self.params),):
            raise ValueError(f"state dict has {decays.size} weight decays for "
                             f"{len(self.params)} parameters")
        self.weight_decays = [float(x) for x in decays]
        self.step_count = int(d["step"])
        self.state = state


class AdamW(Optimizer):
    kind = "adamw"
    _state_keys = ("m", "v")
    _hyper = ("lr", "betas", "eps", "weight_decay")

    def __init__(self, params: Iterable[Tensor | dict[str, Any]], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.01) -> None:
        super().__init__(params, lr, weight_decay)
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = float(eps)

    def _update(self, p: Tensor, g: np.ndarray, state: dict[str, Any], wd: float) -> None:
        adamw_update(p.data, g.astype(p.dtype, copy=False), state["m"], state["v"], self.lr,
                     self.betas[0], self.betas[1], self.eps, wd, state["step"])


class SGD(Optimizer):
    """p -= lr * buf with buf = momentum * buf + (g + wd * p) (torch.optim.SGD, no dampening)."""

    kind = "sgd"
    _state_keys = ("momentum_buffer",)
    _hyper = ("lr", "momentum", "weight_decay")

    def __init__(self, params: Iterable[Tensor | dict[str, Any]], lr: float = 1e-2,
                 momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr, weight_decay)
        self.momentum = float(momentum)

    def _update(self, p: Tensor, g: np.ndarray, state: dict[str, Any], wd: float) -> None:
        d = g + p.data * p.dtype.type(wd) if wd else g
        if self.momentum:
            buf = state["momentum_buffer"]
            if state["step"] == 1:
                buf[...] = d
            else:
                buf *= p.dtype.type(self.momentum)
                buf += d
            d = buf
        p.data -= p.dtype.type(self.lr) * d


def clip_grad_norm(params: Iterable[Tensor], max_norm: float) -> float:
    grads = [p.grad for p in params if p.requires_grad and p.grad is not None]
    total_sq = 0.0
    with blas_single():  # a multi-threaded ddot would wake BLAS threads that then spin
        for g in grads:
            gf = g.reshape(-1).astype(np.float64)
            total_sq += float(np.dot(gf, gf))
    total = math.sqrt(total_sq)
    if math.isfinite(total) and total > max_norm:
        coef = max_norm / (total + 1e-6)
        for g in grads:
            g *= g.dtype.type(coef)
    return total
