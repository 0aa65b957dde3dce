"""``LearnableSchedule``: the base of every learnable training schedule (LR, distillation, ...).

Scope
-----
A schedule is a formula ``y(t; phi)`` of the step ``t`` and a few parameters ``phi``. Learning acts
on an unconstrained vector ``u`` with ``phi_i = f_i(u_i)``:

``log``           ``phi = e^u``          (rates, step counts: always > 0)
``one_plus_exp``  ``phi = 1 + e^u``      (boost factors: always > 1)
``sigmoid``       ``phi = sigmoid(u)``   (fractions: always in (0, 1))
``tanh``          ``phi = tanh(u)``      (amplitudes: always in (-1, 1))
``id``            ``phi = u``            (a plain box-bounded value)

and ``u`` is projected onto the box given by each parameter's bounds after every update (NaN goes
to the lower bound), so no meta step, however large or malformed, can make a rate negative, zero,
NaN or infinite. This is the pattern of :class:`simplex_training.anneal.LearnableSchedule`.

Derivatives are real: :meth:`LearnableSchedule.dual_params` seeds parameter ``i`` with the tangent
``dphi_i/du_i · e_i`` (or ``e_i`` with ``space="params"``): one tangent per parameter, so
:meth:`dual_value` carries the full gradient ``dy/du``. The original instead seeded every parameter
with ``der = 1`` and then read that seed back as "the gradient" (``../shared/reference/
original-system.md`` §2.3, §9), so its meta-updates were constant steps that drove
``initial_lr`` to its floor and several rates negative.

Subclasses set ``name`` and ``specs`` and implement ``formula(t, p)`` for ``p`` a mapping of floats
or Duals. Reference: Griewank & Walther, *Evaluating Derivatives* (2nd ed., SIAM 2008), ch. 3.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from simplex_training.dual.scalar import Dual

__all__ = ["ParamSpec", "LearnableSchedule", "DualOrFloat", "TRANSFORMS"]

DualOrFloat = Dual | float
TRANSFORMS = ("log", "one_plus_exp", "sigmoid", "tanh", "id")


@dataclass(frozen=True)
class ParamSpec:
    """A learnable parameter: name, default, transform (see :data:`TRANSFORMS`) and value bounds."""

    name: str
    default: float
    transform: str
    lower: float
    upper: float

    def __post_init__(self) -> None:
        if self.transform not in TRANSFORMS:
            raise ValueError(f"unknown transform {self.transform!r}")
        self.check_bounds(self.lower, self.upper)

    def check_bounds(self, lower: float, upper: float) -> None:
        """Bounds must be finite, ordered and inside the transform's range."""
        domain = {"log": (0.0, math.inf), "one_plus_exp": (1.0, math.inf), "sigmoid": (0.0, 1.0),
                  "tanh": (-1.0, 1.0), "id": (-math.inf, math.inf)}[self.transform]
        if not (math.isfinite(lower) and math.isfinite(upper) and lower <= upper):
            raise ValueError(f"{self.name}: bounds ({lower}, {upper}) must be finite and ordered")
        if not (domain[0] < lower and upper < domain[1]) and self.transform != "id":
            raise ValueError(f"{self.name}: bounds ({lower}, {upper}) must lie strictly inside "
                             f"{domain} for transform {self.transform!r}")

    def to_u(self, p: float) -> float:
        if self.transform == "log":
            return math.log(p)
        if self.transform == "one_plus_exp":
            return math.log(p - 1.0)
        if self.transform == "sigmoid":
            return math.log(p / (1.0 - p))
        if self.transform == "tanh":
            return math.atanh(p)
        return float(p)

    def from_u(self, u: float) -> float:
        if self.transform == "log":
            return math.exp(u)
        if self.transform == "one_plus_exp":
            return 1.0 + math.exp(u)
        if self.transform == "sigmoid":
            return 1.0 / (1.0 + math.exp(-u)) if u >= 0 else math.exp(u) / (1.0 + math.exp(u))
        if self.transform == "tanh":
            return math.tanh(u)
        return float(u)

    def slope(self, u: float) -> float:
        """``dphi/du`` at ``u``."""
        p = self.from_u(u)
        return {"log": p, "one_plus_exp": p - 1.0, "sigmoid": p * (1.0 - p), "tanh": 1.0 - p * p,
                "id": 1.0}[self.transform]


class LearnableSchedule:
    """Base class: parameters in ``u``-space with bounds, forward-mode values, clipped meta steps.

    :param bounds: per-parameter ``(lower, upper)`` value bounds overriding the spec's.
    :param values: initial parameter values by name (clipped into the bounds).
    """

    name: str = "learnable"
    specs: tuple[ParamSpec, ...] = ()

    def __init__(self, bounds: Mapping[str, tuple[float, float]] | None = None, **values: float) -> None:
        names = self.param_names()
        unknown = (set(values) | set(bounds or {})) - set(names)
        if unknown:
            raise TypeError(f"{type(self).__name__}: unknown parameters {sorted(unknown)}")
        self.bounds: dict[str, tuple[float, float]] = {}
        for spec in self.specs:
            lo, hi = (bounds or {}).get(spec.name, (spec.lower, spec.upper))
            spec.check_bounds(float(lo), float(hi))
            self.bounds[spec.name] = (float(lo), float(hi))
        lo_u, hi_u = [], []
        for spec in self.specs:
            lo, hi = self.bounds[spec.name]
            lo_u.append(spec.to_u(lo))
            hi_u.append(spec.to_u(hi))
        self.u_lower, self.u_upper = np.array(lo_u), np.array(hi_u)
        u = []
        for spec in self.specs:
            lo, hi = self.bounds[spec.name]
            v = float(values.get(spec.name, spec.default))
            u.append(spec.to_u(min(max(v, lo), hi)) if math.isfinite(v) else spec.to_u(lo))
        self.u = np.array(u, dtype=np.float64)
        self.project()

    # -- parameters ----------------------------------------------------------------------------

    @classmethod
    def param_names(cls) -> tuple[str, ...]:
        return tuple(s.name for s in cls.specs)

    @property
    def n_params(self) -> int:
        return len(self.specs)

    def project(self) -> None:
        """Clip ``u`` into the box (NaN -> lower bound, +-inf -> the bound)."""
        self.u = np.clip(np.nan_to_num(np.asarray(self.u, dtype=np.float64), nan=-np.inf),
                         self.u_lower, self.u_upper)

    def values(self) -> np.ndarray:
        """Parameter values (not ``u``) in :attr:`specs` order."""
        return np.array([s.from_u(float(u)) for s, u in zip(self.specs, self.u)])

    def params(self) -> dict[str, float]:
        return {s.name: s.from_u(float(u)) for s, u in zip(self.specs, self.u)}

    def jacobian_diag(self) -> np.ndarray:
        """``dphi_i/du_i`` for every parameter."""
        return np.array([s.slope(float(u)) for s, u in zip(self.specs, self.u)])

    def dual_params(self, space: str = "u") -> dict[str, Dual]:
        """Each parameter as a Dual with one tangent per parameter.

        ``space="u"``: tangent ``dphi_i/du_i · e_i`` (derivatives w.r.t. the learned coordinates);
        ``space="params"``: tangent ``e_i`` (derivatives w.r.t. the parameter values themselves).
        """
        if space not in ("u", "params"):
            raise ValueError(f"space must be 'u' or 'params', got {space!r}")
        diag = self.jacobian_diag() if space == "u" else np.ones(self.n_params)
        tangents = np.diag(diag)
        return {s.name: Dual(v, tangents[i]) for i, (s, v) in enumerate(zip(self.specs, self.values()))}

    # -- values --------------------------------------------------------------------------------

    def formula(self, t: float, p: Mapping[str, DualOrFloat]) -> DualOrFloat:
        """The schedule's value at step ``t`` for parameters ``p`` (floats or Duals)."""
        raise NotImplementedError

    def value(self, step: float) -> float:
        """The schedule's value at ``step`` (a float)."""
        return float(self.formula(float(step), self.params()))

    def __call__(self, step: float) -> float:
        return self.value(step)

    def dual_value(self, step: float, space: str = "u") -> Dual:
        """The value at ``step`` as a Dual whose tangent is ``d value / d u`` (or ``/ d phi``)."""
        out = self.formula(float(step), self.dual_params(space))
        if not isinstance(out, Dual):
            out = Dual(float(out), np.zeros(self.n_params))
        return out

    # -- learning ------------------------------------------------------------------------------

    def apply_step(self, delta_u: np.ndarray) -> np.ndarray:
        """``u <- project(u + delta_u)`` (non-finite entries count as 0); returns the applied change."""
        delta = np.nan_to_num(np.asarray(delta_u, dtype=np.float64).reshape(self.n_params),
                              nan=0.0, posinf=0.0, neginf=0.0)
        before = self.u.copy()
        self.u = self.u + delta
        self.project()
        return self.u - before

    def meta_update(self, grad: np.ndarray, lr: float, clip: float | None = 1.0) -> np.ndarray:
        """One clipped gradient step on ``u``: ``u <- project(u - lr · clip_norm(grad))``.

        ``grad`` is ``dL/du`` (as carried by :meth:`dual_value` tangents). Non-finite entries are
        treated as 0; the norm is clipped to ``clip``; ``lr`` must be finite and >= 0. Returns the
        change actually applied to ``u`` (after projection).
        """
        if not (math.isfinite(lr) and lr >= 0):
            raise ValueError(f"meta learning rate must be finite and >= 0, got {lr}")
        g = np.nan_to_num(np.asarray(grad, dtype=np.float64).reshape(self.n_params),
                          nan=0.0, posinf=0.0, neginf=0.0)
        big = float(np.abs(g).max()) if g.size else 0.0
        norm = big * float(np.linalg.norm(g / big)) if big > 0 else 0.0  # no overflow for 1e300
        if clip is not None and norm > clip:
            g = (g / big) * (clip / (norm / big))
        return self.apply_step(-lr * g)

    # -- checkpoints ---------------------------------------------------------------------------

    def extra_state(self) -> dict[str, Any]:
        """Subclass state besides ``u`` and the bounds (JSON-able)."""
        return {}

    def load_extra_state(self, state: Mapping[str, Any]) -> None:
        """Restore :meth:`extra_state`."""

    def state_dict(self) -> dict[str, Any]:
        """JSON-able: name, parameter values, ``u``, bounds and subclass state."""
        return {"name": self.name, "params": self.params(), "u": [float(x) for x in self.u],
                "bounds": {k: [lo, hi] for k, (lo, hi) in self.bounds.items()}, "extra": self.extra_state()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        if state.get("name", self.name) != self.name:
            raise ValueError(f"state is for schedule {state.get('name')!r}, not {self.name!r}")
        bounds = {k: (float(v[0]), float(v[1])) for k, v in state.get("bounds", {}).items()}
        fresh = type(self).__new__(type(self))
        LearnableSchedule.__init__(fresh, bounds=bounds)
        self.bounds, self.u_lower, self.u_upper = fresh.bounds, fresh.u_lower, fresh.u_upper
        self.u = np.asarray(state["u"], dtype=np.float64).reshape(self.n_params)
        self.project()
        self.load_extra_state(state.get("extra", {}))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v:.4g}" for k, v in self.params().items())
        return f"{type(self).__name__}({inner})"
