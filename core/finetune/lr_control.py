"""Learning-rate control of the fine-tuning loop: fixed, learned (hypergradients) or annealed.

``FinetuneConfig.schedule`` names a schedule of the ``schedules`` registry that provides a learning
rate (:func:`lr_schedule_kind`):

``fixed``      a :class:`~simplex_training.engine.lr_schedules.Schedule` subclass (``constant``,
               ``linear``, ``cosine``): ``cls(lr, total_steps, warmup_steps, min_lr)``, a pure
               function of the step.
``learned``    a :class:`~simplex_training.schedules.lr.LearnableLR` subclass (``learned``), driven
               by :class:`~simplex_training.schedules.hypergradient.HypergradientController`: the
               optimizer's lr comes from the schedule and the schedule's parameters are learned
               online from the exact hypergradient ``h_t = -g_{t+1} · u_t`` (docs/schedules.md).
               Start: ``lr0 = lr``, ``W = warmup``, decay ``d = ln(lr / min_lr) / total`` (so the
               unlearned curve decays to the floor over the run), floor ``min_lr``; step ``s``
               (0-based) uses ``lr(s + 1)``, the fixed schedules' warmup convention.
``annealing``  cosine x ``min(T, 1)`` of :class:`~simplex_training.finetune.anneal_state.AnnealTrainingState`.

``schedule_options`` (a mapping in the config) tunes them: for ``learned`` ``meta_lr`` (0.1),
``meta_every`` (5), ``learn`` (``["initial_lr", "decay_rate", "warmup_steps"]``: the schedule's
shape stays fixed, see docs/schedules.md), ``meta_optimizer`` (``adam``); for ``annealing`` the
keys of :data:`~simplex_training.finetune.anneal_state.OPTIONS`.

Every control has the same loop interface (``before_step`` sets ``opt.lr`` and returns the fields
to log, ``after_step``, ``on_eval``, ``should_stop``) and an exact checkpoint state: JSON plus
arrays (for ``learned``, the pending update direction ``u_t`` whose hypergradient is computed at
the next step, so a resumed run is bit-identical to an uninterrupted one).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

LEARNED_DEFAULTS: dict[str, Any] = {"meta_lr": 0.1, "meta_every": 5, "meta_optimizer": "adam",
                                    "learn": ["initial_lr", "decay_rate", "warmup_steps"]}


def lr_schedule_kind(name: str) -> str | None:
    """``"fixed"``, ``"learned"``, ``"annealing"`` or None (unknown, or not a learning-rate schedule)."""
    from simplex_training.engine.lr_schedules import Schedule
    from simplex_training.pluginmanager import get_host
    from simplex_training.plugins.schedules.annealing import AnnealingTemperature
    from simplex_training.schedules.lr import LearnableLR

    cls = get_host().registry("schedules").get(name)
    if not isinstance(cls, type):
        return None
    for base, kind in ((AnnealingTemperature, "annealing"), (Schedule, "fixed"), (LearnableLR, "learned")):
        if issubclass(cls, base):
            return kind
    return None


def lr_schedule_names() -> list[str]:
    """Every registered schedule that provides a learning rate."""
    from simplex_training.pluginmanager import get_host

    return sorted(n for n in get_host().registry("schedules") if lr_schedule_kind(n) is not None)


def _schedule_class(name: str) -> Any:
    from simplex_training.pluginmanager import get_host

    return get_host().registry("schedules")[name]


class FixedControl:
    """A pure function of the step; no state to save."""

    kind = "fixed"

    def __init__(self, cfg: Any, opt: Any, total: int) -> None:
        self.opt = opt
        self.sched = _schedule_class(cfg.schedule)(cfg.lr, total_steps=total, warmup_steps=cfg.warmup(total),
                                                   min_lr=cfg.floor_lr())

    def before_step(self, step: int, loss: float) -> dict[str, Any]:
        self.opt.lr = self.sched(step)
        return {}

    def after_step(self, applied: bool, step: int) -> list[dict[str, Any]]:
        """After ``opt.step()`` of step number ``step`` (1-based): extra log records."""
        return []

    def on_eval(self, val_loss: float, step: int, log: Callable[[str], None]) -> dict[str, Any]:
        """A validation loss was measured: fields for the eval record."""
        return {}

    def should_stop(self) -> bool:
        return False

    def stop_message(self) -> str:
        return ""

    def record(self, step: int) -> dict[str, Any]:
        s = self.sched
        return {"name": s.name, "lr": s.lr, "total_steps": s.total_steps, "warmup_steps": s.warmup_steps,
                "min_lr": s.min_lr, "next_lr": s(step)}

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        return {}, {}

    def load(self, state: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        pass


class LearnedControl(FixedControl):
    """:class:`HypergradientController` around a :class:`LearnableLR`."""

    kind = "learned"

    def __init__(self, cfg: Any, opt: Any, total: int) -> None:
        from simplex_training.schedules.hypergradient import HypergradientController

        options = {**LEARNED_DEFAULTS, **cfg.schedule_options}
        floor = cfg.floor_lr() if cfg.floor_lr() > 0 else cfg.lr * 1e-3
        floor = min(floor, cfg.lr)
        decay = math.log(cfg.lr / floor) / total if cfg.lr > floor else 1e-12
        cls = _schedule_class(cfg.schedule)
        self.sched = cls(initial_lr=cfg.lr, warmup_steps=float(max(1, cfg.warmup(total))),
                         decay_rate=max(decay, 1e-12), min_lr=floor,
                         bounds={"initial_lr": (1e-7, max(1e-2, 10 * cfg.lr))})
        self.opt = opt
        self.ctrl = HypergradientController(opt, self.sched, meta_lr=float(options["meta_lr"]),
                                            meta_every=int(options["meta_every"]),
                                            meta_optimizer=str(options["meta_optimizer"]),
                                            learn=options["learn"])
        self.index = {id(p): i for i, p in enumerate(opt.params)}
        self._metas = 0

    def before_step(self, step: int, loss: float) -> dict[str, Any]:
        n_before = len(self.ctrl.history)
        self._metas = len(self.ctrl.meta_history)
        self.ctrl.record(step + 1, loss)  # schedule clock t = step + 1: the first step gets lr0 / W, not the floor
        self.ctrl.before_step(step + 1)
        out: dict[str, Any] = {}
        if len(self.ctrl.history) > n_before:  # h_{t-1} = dL/d lr_{t-1}, measured on this step's batch
            out["hypergrad"] = self.ctrl.history[-1][2]
        return out

    def after_step(self, applied: bool, step: int) -> list[dict[str, Any]]:
        self.ctrl.after_step(applied)
        if len(self.ctrl.meta_history) == self._metas:  # a meta step happens in before_step; reported here
            return []
        meta = self.ctrl.meta_history[-1]
        return [{"type": "meta", "step": step, "grad": meta["grad"], "params": meta["params"]}]

    def record(self, step: int) -> dict[str, Any]:
        return {"name": self.sched.name, "params": self.sched.params(), "next_lr": self.sched.value(step + 1),
                "meta_updates": len(self.ctrl.meta_history)}

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        state = self.ctrl.state_dict()
        state["meta_history"] = self.ctrl.meta_history
        arrays: dict[str, np.ndarray] = {}
        pending = self.ctrl._pending  # the direction u_t awaiting g_{t+1}: saved for an exact resume
        if pending is not None:
            step, lr, dlr, dirs = pending
            state["pending"] = {"step": step, "lr": lr, "dlr": np.asarray(dlr).tolist(),
                                "params": [self.index[id(p)] for p, _ in dirs]}
            arrays = {f"hypergrad.dir.{self.index[id(p)]}": u for p, u in dirs}
        return state, arrays

    def load(self, state: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        self.ctrl.load_state_dict(state)
        self.ctrl.meta_history = list(state.get("meta_history", []))
        pending = state.get("pending")
        if pending is not None:
            params = self.opt.params
            dirs = [(params[i], arrays[f"hypergrad.dir.{i}"]) for i in pending["params"]]
            self.ctrl._pending = (int(pending["step"]), float(pending["lr"]),
                                  np.asarray(pending["dlr"], dtype=np.float64), dirs)


class AnnealControl(FixedControl):
    """Cosine x ``min(T, 1)`` with stagnation, reheat and a stop rule that fires."""

    kind = "annealing"

    def __init__(self, cfg: Any, opt: Any, total: int) -> None:
        from simplex_training.engine.lr_schedules import CosineSchedule
        from simplex_training.finetune.anneal_state import OPTIONS, AnnealTrainingState

        unknown = set(cfg.schedule_options) - set(OPTIONS)
        if unknown:
            from simplex_training.finetune.config import ConfigError

            raise ConfigError(f"unknown annealing option(s) {sorted(unknown)} (known: {', '.join(OPTIONS)})")
        self.opt = opt
        self.sched = CosineSchedule(cfg.lr, total_steps=total, warmup_steps=cfg.warmup(total), min_lr=cfg.floor_lr())
        self.anneal = AnnealTrainingState(total, min_delta=cfg.min_delta, **cfg.schedule_options)

    def before_step(self, step: int, loss: float) -> dict[str, Any]:
        self.opt.lr = self.sched(step) * self.anneal.lr_scale(step)
        return self.anneal.log_fields()

    def on_eval(self, val_loss: float, step: int, log: Callable[[str], None]) -> dict[str, Any]:
        was = self.anneal.reheating
        self.anneal.record(val_loss)
        if self.anneal.reheating and not was:
            log(f"step {step}: no validation improvement in {self.anneal.stagnation} evaluations: reheating")
        return {"stagnation": self.anneal.stagnation, "reheating": self.anneal.reheating,
                "anneal_stop": self.anneal.should_stop()}

    def should_stop(self) -> bool:
        return self.anneal.should_stop()

    def stop_message(self) -> str:
        return f"the annealing stop rule (stagnation > {self.anneal.patience} evaluations)"

    def record(self, step: int) -> dict[str, Any]:
        return {**super().record(step), "name": "annealing", "temperature": self.anneal.temperature(step)}

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        return self.anneal.state_dict(), {}

    def load(self, state: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        self.anneal.load_state_dict(state)


def make_control(cfg: Any, opt: Any, total: int) -> FixedControl:
    """The control for ``cfg.schedule`` (a :class:`~simplex_training.finetune.config.ConfigError` if none)."""
    from simplex_training.finetune.config import ConfigError

    kind = lr_schedule_kind(cfg.schedule)
    if kind is None:
        raise ConfigError(f"schedule {cfg.schedule!r} does not provide a learning rate "
                          f"(known: {', '.join(lr_schedule_names())})")
    try:
        return {"fixed": FixedControl, "learned": LearnedControl, "annealing": AnnealControl}[kind](cfg, opt, total)
    except (ValueError, TypeError, KeyError) as exc:
        raise ConfigError(f"schedule {cfg.schedule!r} with options {cfg.schedule_options}: {exc}") from None
