"""Learning-rate schedules with linear warmup: ``schedule(step) -> lr`` for step = 0, 1, 2, ...

All three share the signature ``(lr, total_steps=0, warmup_steps=0, min_lr=0.0)``:
``ConstantSchedule`` (ignores total_steps/min_lr), ``LinearSchedule``, ``CosineSchedule``.
``make_schedule(name, **kwargs)`` builds one by its ``name`` ("constant", "linear", "cosine").
``cls.example()`` gives a small valid instance (for the schedule contract checks).

Warmup: lr * (step + 1) / warmup_steps for step < warmup_steps (so step warmup_steps - 1 reaches
lr). Decay: progress = (step - warmup_steps) / (total_steps - warmup_steps) clipped to [0, 1];
linear gives lr + (min_lr - lr) * progress, cosine min_lr + (lr - min_lr)(1 + cos(pi progress))/2.
So the schedule is lr right after warmup and min_lr from total_steps on.
"""

from __future__ import annotations

import abc
import math

__all__ = ["Schedule", "ConstantSchedule", "LinearSchedule", "CosineSchedule", "make_schedule",
           "SCHEDULES"]


class Schedule(abc.ABC):
    name: str = "schedule"

    def __init__(self, lr: float, total_steps: int = 0, warmup_steps: int = 0,
                 min_lr: float = 0.0) -> None:
        if not all(math.isfinite(v) and v >= 0 for v in (lr, min_lr, warmup_steps, total_steps)):
            raise ValueError(f"lr, min_lr, warmup_steps and total_steps must be finite and >= 0, got lr={lr}, "
                             f"min_lr={min_lr}, warmup_steps={warmup_steps}, total_steps={total_steps}")
        self.lr = float(lr)
        self.total_steps = int(total_steps)
        self.warmup_steps = int(warmup_steps)
        self.min_lr = float(min_lr)

    @classmethod
    def example(cls) -> Schedule:
        """A small valid instance (lr 1e-3, 100 warmup steps of 1000, floor 1e-5), for contract tests."""
        return cls(1e-3, total_steps=1000, warmup_steps=100, min_lr=1e-5)

    def _warmup(self, step: int) -> float | None:
        if step < self.warmup_steps:
            return self.lr * (step + 1) / self.warmup_steps
        return None

    def _progress(self, step: int) -> float:
        span = self.total_steps - self.warmup_steps
        if span <= 0:
            return 1.0
        return min(1.0, max(0.0, (step - self.warmup_steps) / span))

    @abc.abstractmethod
    def __call__(self, step: int) -> float:
        """The learning rate for optimizer step ``step`` (0-based)."""

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(lr={self.lr}, total_steps={self.total_steps}, "
                f"warmup_steps={self.warmup_steps}, min_lr={self.min_lr})")


class ConstantSchedule(Schedule):
    name = "constant"

    def __call__(self, step: int) -> float:
        warm = self._warmup(step)
        return self.lr if warm is None else warm


class LinearSchedule(Schedule):
    name = "linear"

    def __call__(self, step: int) -> float:
        warm = self._warmup(step)
        if warm is not None:
            return warm
        return self.lr + (self.min_lr - self.lr) * self._progress(step)


class CosineSchedule(Schedule):
    name = "cosine"

    def __call__(self, step: int) -> float:
        warm = self._warmup(step)
        if warm is not None:
            return warm
        cos = 0.5 * (1.0 + math.cos(math.pi * self._progress(step)))
        return self.min_lr + (self.lr - self.min_lr) * cos


SCHEDULES: dict[str, type[Schedule]] = {
    cls.name: cls for cls in (ConstantSchedule, LinearSchedule, CosineSchedule)}


def make_schedule(name: str, lr: float, total_steps: int = 0, warmup_steps: int = 0,
                  min_lr: float = 0.0) -> Schedule:
    try:
        cls = SCHEDULES[name]
    except KeyError:
        raise ValueError(f"unknown schedule {name!r}; choose from {sorted(SCHEDULES)}") from None
    return cls(lr, total_steps=total_steps, warmup_steps=warmup_steps, min_lr=min_lr)
