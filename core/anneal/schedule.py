"""``LearnableSchedule``: a differentiable simulated-annealing temperature and acceptance rule.

Scope
-----
Temperature at step ``t`` with ``g`` steps since the last improvement of the best energy::

    T(t, g) = max( T0 e^{-alpha t} (1 + beta sin(omega t)) + gamma R(g),  T_min )
    R(g)    = sigmoid(delta (g - rho))

and soft acceptance of a move with energy change ``dE``::

    A(dE, T) = sigmoid((tau - dE) / (T s))

Defaults are the original's (``../shared/reference/original-system.md`` §2.2): T0 = 1.0,
alpha = 0.01, T_min = 0.001 (a constant), rho = 50, gamma = 0.5, delta = 0.1, beta = 0.0,
omega = 0.1, tau = 0.0, s = 1.0.

Fixes of the original's defects (§9, §10):

* **Reheat grows with stagnation.** The original multiplied the trigger by ``e^{-delta (g - rho)}``,
  so the "reheat" was 0.497 at g = 0 and vanished for g >> rho (largest when *not* stagnating).
  Here ``R(g) = sigmoid(delta (g - rho))`` is increasing in g for every delta > 0; with the default
  delta = 0.1 it is exactly TASK-006's ``sigmoid((g - rho)/10)``. ``delta`` keeps a role as the
  steepness of the trigger (1/delta is TASK-006's epsilon) instead of a decay.
* **Parameters cannot become invalid.** Learning acts on an unconstrained vector ``u``:
  ``p = exp(u)`` for the positive parameters (T0, alpha, rho, gamma, delta, omega, s),
  ``beta = tanh(u)`` (so ``1 + beta sin >= 0``) and ``tau = u``. Updates are projected onto the
  box of the original's clamps (T0 >= 1e-3, alpha >= 1e-4, rho >= 1, s >= 0.01) plus finite upper
  bounds, in ``u``-space: no step, however large, makes a rate negative, zero, NaN or infinite.
* **Real per-parameter derivatives.** :meth:`dual_params` gives parameter ``i`` the tangent
  ``dp_i/du_i · e_i`` (identity seeding over the 9 learnable parameters), so a loss built from
  :meth:`temperature` and :meth:`accept_probability` carries ``dL/du`` in its tangent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from simplex_training.dual.scalar import Dual, dmax

__all__ = ["LearnableSchedule", "ParamSpec", "PARAMS", "MIN_TEMP"]

MIN_TEMP = 0.001


@dataclass(frozen=True)
class ParamSpec:
    """A learnable parameter: name, symbol, default, transform (``log``/``tanh``/``id``), bounds."""

    name: str
    symbol: str
    default: float
    transform: str
    lower: float
    upper: float

    def to_u(self, p: float) -> float:
        if self.transform == "log":
            return math.log(p)
        if self.transform == "tanh":
            return math.atanh(p)
        return float(p)

    def u_bounds(self) -> tuple[float, float]:
        return self.to_u(self.lower), self.to_u(self.upper)


PARAMS: tuple[ParamSpec, ...] = (
    ParamSpec("initial_temp", "T0", 1.0, "log", 1e-3, 1e3),
    ParamSpec("cool_rate", "alpha", 0.01, "log", 1e-4, 1.0),
    ParamSpec("reheat_threshold", "rho", 50.0, "log", 1.0, 1e5),
    ParamSpec("reheat_intensity", "gamma", 0.5, "log", 1e-4, 1e2),
    ParamSpec("reheat_decay", "delta", 0.1, "log", 1e-3, 10.0),
    ParamSpec("oscillation_amp", "beta", 0.0, "tanh", -0.95, 0.95),
    ParamSpec("oscillation_freq", "omega", 0.1, "log", 1e-4, 10.0),
    ParamSpec("accept_threshold", "tau", 0.0, "id", -1e3, 1e3),
    ParamSpec("accept_sharpness", "s", 1.0, "log", 0.01, 1e2),
)
NAMES = tuple(p.name for p in PARAMS)


class LearnableSchedule:
    """Temperature ``T(t, g)`` and acceptance ``A(dE, T)`` with 9 learnable parameters."""

    n_params = len(PARAMS)

    def __init__(self, min_temp: float = MIN_TEMP, **values: float) -> None:
        unknown = set(values) - set(NAMES)
        if unknown:
            raise TypeError(f"unknown schedule parameters: {sorted(unknown)}")
        self.min_temp = float(min_temp)
        self.u = np.array([p.to_u(values.get(p.name, p.default)) for p in PARAMS], dtype=np.float64)
        lo, hi = zip(*(p.u_bounds() for p in PARAMS))
        self.u_lower, self.u_upper = np.array(lo), np.array(hi)
        self.project()

    # -- parameters ----------------------------------------------------------------------------

    def project(self) -> None:
        """Clip ``u`` into the box (NaN -> the lower bound); values stay valid."""
        self.u = np.clip(np.nan_to_num(self.u, nan=-np.inf), self.u_lower, self.u_upper)

    def values(self) -> np.ndarray:
        """The 9 parameter values (not ``u``) in :data:`PARAMS` order."""
        out = np.empty(self.n_params)
        for i, spec in enumerate(PARAMS):
            u = self.u[i]
            out[i] = math.exp(u) if spec.transform == "log" else math.tanh(u) if spec.transform == "tanh" else u
        return out

    def jacobian_diag(self) -> np.ndarray:
        """``dp_i / du_i`` for every parameter."""
        p = self.values()
        return np.array([v if s.transform == "log" else 1.0 - v * v if s.transform == "tanh" else 1.0
                         for v, s in zip(p, PARAMS)])

    def snapshot(self) -> dict[str, float]:
        return {**dict(zip(NAMES, map(float, self.values()))), "min_temp": self.min_temp}

    def dual_params(self) -> dict[str, Dual]:
        """Each parameter as a Dual whose tangent is its derivative w.r.t. ``u`` (9 directions)."""
        tangents = np.diag(self.jacobian_diag())
        return {name: Dual(v, tangents[i]) for i, (name, v) in enumerate(zip(NAMES, self.values()))}

    def float_params(self) -> dict[str, float]:
        return dict(zip(NAMES, map(float, self.values())))

    def apply_step(self, delta_u: np.ndarray) -> None:
        """``u <- u + delta_u`` then projection onto the box."""
        self.u = self.u + np.asarray(delta_u, dtype=np.float64)
        self.project()

    def copy(self) -> LearnableSchedule:
        new = LearnableSchedule(self.min_temp)
        new.u = self.u.copy()
        return new

    def state_dict(self) -> dict[str, object]:
        return {"u": self.u.tolist(), "min_temp": self.min_temp}

    @classmethod
    def from_state_dict(cls, state: Mapping[str, object]) -> LearnableSchedule:
        sched = cls(float(state["min_temp"]))  # type: ignore[arg-type]
        sched.u = np.asarray(state["u"], dtype=np.float64)
        sched.project()
        return sched

    # -- the formulas --------------------------------------------------------------------------

    def temperature(self, t: float, g: float, p: Mapping[str, Dual | float] | None = None) -> Dual | float:
        """``T(t, g)``; a Dual when ``p`` comes from :meth:`dual_params`, else a float."""
        if p is None:
            p = self.float_params()
        return temperature(t, g, p, self.min_temp)

    def reheat(self, g: float, p: Mapping[str, Dual | float] | None = None) -> Dual | float:
        """The reheat trigger ``R(g) = sigmoid(delta (g - rho))`` (increasing in g)."""
        p = self.float_params() if p is None else p
        return _sigmoid(p["reheat_decay"] * (g - p["reheat_threshold"]))

    def accept_probability(self, dE: float, T: Dual | float,
                           p: Mapping[str, Dual | float] | None = None) -> Dual | float:
        """``A = sigmoid((tau - dE) / (T s))``."""
        p = self.float_params() if p is None else p
        return _sigmoid((p["accept_threshold"] - dE) / (T * p["accept_sharpness"]))

    def l2_from(self, reference: np.ndarray) -> Dual:
        """``||u - reference||^2`` as a Dual over the 9 directions (the meta-loss regulariser)."""
        d = self.u - reference
        return Dual(float(d @ d), 2.0 * d)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v:.4g}" for k, v in self.snapshot().items())
        return f"LearnableSchedule({inner})"


def _sigmoid(x: Dual | float) -> Dual | float:
    if isinstance(x, Dual):
        return x.sigmoid()
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def temperature(t: float, g: float, p: Mapping[str, Dual | float], min_temp: float = MIN_TEMP) -> Dual | float:
    """``max(T0 e^{-alpha t}(1 + beta sin(omega t)) + gamma sigmoid(delta (g - rho)), T_min)``."""
    decay = p["initial_temp"] * _exp(-(p["cool_rate"] * t))
    osc = 1.0 + p["oscillation_amp"] * _sin(p["oscillation_freq"] * t)
    raw = decay * osc + p["reheat_intensity"] * _sigmoid(p["reheat_decay"] * (g - p["reheat_threshold"]))
    return dmax(raw, min_temp)


def _exp(x: Dual | float) -> Dual | float:
    return x.exp() if isinstance(x, Dual) else math.exp(x)


def _sin(x: Dual | float) -> Dual | float:
    return x.sin() if isinstance(x, Dual) else math.sin(x)
