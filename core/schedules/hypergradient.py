"""``HypergradientController``: learns a schedule's parameters from real hypergradients.

Derivation (Baydin et al. 2018, "Online Learning Rate Adaptation with Hypergradient Descent",
ICLR, arXiv:1703.04782). Any optimizer of this project applies ``theta_{t+1} = theta_t - lr_t u_t``
where ``u_t`` does not depend on ``lr_t``: AdamW ``u_t = m_hat/(sqrt(v_hat) + eps) + wd theta_t``,
SGD ``u_t = g_t + wd theta_t`` (or the momentum buffer). Hence, exactly,

    dL(theta_{t+1}) / d lr_t = grad L(theta_{t+1}) · d theta_{t+1}/d lr_t = -g_{t+1} · u_t  =: h_t

and, with ``lr_t = f(t; phi(u))`` carried as a Dual with one tangent per schedule parameter,
``dL/du = h_t · d lr_t/du``. The controller sums these over ``meta_every`` steps and applies one
clipped meta step (Adam by default, or plain SGD via ``LearnableSchedule.meta_update``) to ``u``,
whose box projection keeps every rate positive. ``g_{t+1}`` is the gradient the loop computes
anyway for step ``t+1`` (on the next batch, as in Baydin et al.), so the cost is one dot product
per step and a copy of the parameters only where decay or the delta fallback needs ``theta_t``.

A loop needs three calls around its own ``loss.backward(); opt.step()``::

    ctrl.record(step, loss_value)   # after the forward pass: plateau test + history
    ctrl.before_step(step)          # after backward: h_{t-1} from the fresh grads; sets opt.lr
    opt.step()
    ctrl.after_step()               # stores u_t (from the optimizer state or parameter deltas)

``u_t`` is read from the state of :class:`~simplex_training.engine.optim.AdamW` / ``SGD`` (exact);
for any other optimizer it is ``(theta_t - theta_{t+1}) / lr_t``. A skipped step (non-finite
gradient, ``opt.step()`` returned False) records no direction. The gradient used is whatever is in
``p.grad`` at :meth:`before_step`; clipping before that call rescales ``h`` but keeps its sign.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from simplex_training.engine.optim import SGD, AdamW
from simplex_training.engine.tensor import Tensor
from simplex_training.schedules.base import LearnableSchedule

__all__ = ["HypergradientController"]


class HypergradientController:
    """Drives ``optimizer.lr`` from ``schedule`` and learns the schedule from hypergradients.

    :param optimizer: an optimizer with ``.lr``, ``.params`` and ``.step()``.
    :param schedule: a schedule with ``dual_value(step)`` (default: ``LearnableLR`` starting at
        ``optimizer.lr`` with no warmup).
    :param meta_lr: meta step size in ``u``-space (for log-parameters: relative change per step).
    :param meta_every: steps per meta update (hypergradients are averaged over the window).
    :param clip: norm clip of the averaged meta-gradient.
    :param meta_optimizer: ``"adam"`` or ``"sgd"``.
    :param learn: names of the parameters to learn (default: all); the others get no updates.
    """

    def __init__(self, optimizer: Any, schedule: LearnableSchedule | None = None, *, meta_lr: float = 0.05,
                 meta_every: int = 10, clip: float = 1.0, meta_optimizer: str = "adam",
                 learn: Iterable[str] | None = None, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        if schedule is None:
            from simplex_training.schedules.lr import LearnableLR

            schedule = LearnableLR(initial_lr=float(optimizer.lr), warmup_steps=1.0)
        if meta_optimizer not in ("adam", "sgd"):
            raise ValueError(f"meta_optimizer must be 'adam' or 'sgd', got {meta_optimizer!r}")
        if meta_every < 1 or not (math.isfinite(meta_lr) and meta_lr >= 0):
            raise ValueError("meta_every must be >= 1 and meta_lr finite and >= 0")
        self.opt = optimizer
        self.schedule = schedule
        self.meta_lr, self.meta_every, self.clip = float(meta_lr), int(meta_every), float(clip)
        self.meta_optimizer = meta_optimizer
        names = schedule.param_names()
        chosen = set(names if learn is None else learn)
        if chosen - set(names):
            raise ValueError(f"unknown parameters to learn: {sorted(chosen - set(names))}")
        self.mask = np.array([n in chosen for n in names], dtype=np.float64)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        k = schedule.n_params
        self.m, self.v, self.meta_t = np.zeros(k), np.zeros(k), 0
        self.acc, self.count = np.zeros(k), 0
        self.t = 0  # the next step index
        self.lr = float(optimizer.lr)
        self.history: list[tuple[int, float, float]] = []  # (step t, lr_t, h_t)
        self.losses: list[tuple[int, float]] = []
        self.meta_history: list[dict[str, Any]] = []
        self._dlr: np.ndarray = np.zeros(k)
        self._snapshot: list[tuple[int, Tensor, np.ndarray | None]] | None = None
        self._steps_before = 0
        self._pending: tuple[int, float, np.ndarray, list[tuple[Tensor, np.ndarray]]] | None = None

    # -- the three calls -----------------------------------------------------------------------

    def record(self, step: int, loss: float) -> None:
        """Record the loss of step ``step`` (plateau test of the schedule, history)."""
        loss = float(loss)
        self.losses.append((int(step), loss))
        rec = getattr(self.schedule, "record", None)
        if rec is not None:
            rec(loss)

    def before_step(self, step: int | None = None) -> float:
        """Consume the fresh gradients (``h_{t-1}``, maybe a meta update), then set ``opt.lr``."""
        t = self.t if step is None else int(step)
        h = self.hypergradient()
        if h is not None and self._pending is not None:
            prev_step, prev_lr, dlr, _ = self._pending
            self.history.append((prev_step, prev_lr, h))
            if math.isfinite(h):
                self.acc += h * dlr
                self.count += 1
            self._pending = None
            if self.count >= self.meta_every:
                self.meta_update()
        d = self.schedule.dual_value(t)
        self.lr = float(d.val)
        self._dlr = np.asarray(d.der, dtype=np.float64).reshape(self.schedule.n_params).copy()
        self.opt.lr = self.lr
        self._snapshot = [(i, p, p.data.copy() if self._needs_copy(i) else None)
                          for i, p in enumerate(self.opt.params) if p.requires_grad and p.grad is not None]
        self._steps_before = int(getattr(self.opt, "step_count", 0))
        self.t = t
        return self.lr

    def after_step(self, applied: bool | None = None) -> None:
        """Store ``u_t`` of the step just taken (``applied=False``: the step was skipped)."""
        if self._snapshot is None:
            raise RuntimeError("after_step() without before_step()")
        if applied is None:
            applied = int(getattr(self.opt, "step_count", self._steps_before + 1)) > self._steps_before
        if applied:
            dirs = [(p, self._direction(i, p, old)) for i, p, old in self._snapshot]
            self._pending = (self.t, self.lr, self._dlr, dirs)
        else:
            self._pending = None
        self._snapshot = None
        self.t += 1

    def step(self, loss: float | None = None, step: int | None = None) -> bool:
        """Convenience: ``record`` (if ``loss``), ``before_step``, ``opt.step()``, ``after_step``."""
        t = self.t if step is None else int(step)
        if loss is not None:
            self.record(t, loss)
        self.before_step(t)
        ok = self.opt.step()
        self.after_step(None if ok is None else bool(ok))
        return bool(ok) if ok is not None else True

    # -- hypergradient and meta update ---------------------------------------------------------

    def hypergradient(self) -> float | None:
        """``h = -g · u`` for the pending direction and the current gradients (None if nothing)."""
        if self._pending is None:
            return None
        total = 0.0
        for p, u in self._pending[3]:
            if p.grad is not None:
                total -= float(np.dot(p.grad.reshape(-1).astype(np.float64), u.reshape(-1)))
        return total

    def _needs_copy(self, i: int) -> bool:
        """``theta_t`` is needed for decoupled/L2 decay and for the parameter-delta fallback."""
        known = isinstance(self.opt, (AdamW, SGD))
        return not known or float(self.opt.weight_decays[i]) != 0.0

    def _direction(self, i: int, p: Tensor, old: np.ndarray | None) -> np.ndarray:
        opt, state = self.opt, getattr(self.opt, "state", {}).get(i)
        wd = float(opt.weight_decays[i]) if hasattr(opt, "weight_decays") else 0.0
        if isinstance(opt, AdamW) and state is not None:
            b1, b2 = opt.betas
            n = state["step"]
            m_hat = state["m"].astype(np.float64) / (1.0 - b1**n)
            v_hat = state["v"].astype(np.float64) / (1.0 - b2**n)
            u = m_hat / (np.sqrt(v_hat) + opt.eps)
            return u + wd * old if wd else u
        if isinstance(opt, SGD) and state is not None:
            if opt.momentum:
                return state["momentum_buffer"].astype(np.float64)
            g = p.grad.astype(np.float64)
            return g + wd * old if wd else g
        if self.lr <= 0 or old is None:
            return np.zeros(p.shape)
        return (old.astype(np.float64) - p.data.astype(np.float64)) / self.lr

    def meta_update(self) -> np.ndarray:
        """Apply the averaged, masked, clipped meta-gradient; returns the change of ``u``."""
        grad = self.acc / max(self.count, 1) * self.mask
        grad = np.nan_to_num(grad, nan=0.0, posinf=0.0, neginf=0.0)
        if self.meta_optimizer == "sgd":
            delta = self.schedule.meta_update(grad, self.meta_lr, clip=self.clip)
        else:
            norm = float(np.linalg.norm(grad))
            g = grad * (self.clip / norm) if norm > self.clip else grad
            self.meta_t += 1
            self.m = self.beta1 * self.m + (1 - self.beta1) * g
            self.v = self.beta2 * self.v + (1 - self.beta2) * g * g
            m_hat = self.m / (1 - self.beta1**self.meta_t)
            v_hat = self.v / (1 - self.beta2**self.meta_t)
            delta = self.schedule.apply_step(-self.meta_lr * m_hat / (np.sqrt(v_hat) + self.eps) * self.mask)
        self.meta_history.append({"step": self.t, "grad": grad.tolist(), "params": self.schedule.params()})
        self.acc[:] = 0.0
        self.count = 0
        return delta

    # -- checkpoints ---------------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """JSON-able state (the pending direction of the last step is not saved: one ``h`` is lost)."""
        return {"schedule": self.schedule.state_dict(), "t": self.t, "acc": self.acc.tolist(),
                "count": self.count, "m": self.m.tolist(), "v": self.v.tolist(), "meta_t": self.meta_t,
                "history": [list(x) for x in self.history]}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.schedule.load_state_dict(state["schedule"])
        self.t, self.count, self.meta_t = int(state["t"]), int(state["count"]), int(state["meta_t"])
        self.acc = np.asarray(state["acc"], dtype=np.float64)
        self.m = np.asarray(state["m"], dtype=np.float64)
        self.v = np.asarray(state["v"], dtype=np.float64)
        self.history = [(int(s), float(lr), float(h)) for s, lr, h in state.get("history", [])]
        self._pending = None
        self._snapshot = None
