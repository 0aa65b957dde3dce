"""The behaviour every registered schedule class promises, as a reusable check.

A schedule class (registered through the ``register_schedules`` hook) has a non-empty ``name`` class
attribute and gives an example instance: ``cls.example()`` when the class defines that classmethod
(the way for classes whose constructor needs arguments, e.g. the fixed learning-rate schedules'
``lr``), else ``cls()`` (:func:`make_example`). Contract of every schedule:

* **finite**: ``schedule(step)`` is a finite real number for every step of :data:`STEPS` (0 up to
  10**9), and equals ``schedule.value(step)`` when the schedule has ``value``;
* **deterministic**: asking for the same steps again, in reverse order, gives bit-identical values,
  and asking does not change ``state_dict()`` (when there is one);
* **state**: when the schedule has ``state_dict()`` and ``load_state_dict(state)`` (every learnable
  schedule has), the state survives ``json.dumps``/``json.loads``, and loading it into a fresh example
  gives bit-identical values at every step of :data:`STEPS` and the same state back.

A learnable schedule (a subclass of :class:`~simplex_training.schedules.base.LearnableSchedule`:
learned coordinates ``u``, parameters ``params()`` with per-parameter ``bounds``) also promises:

* **parameters**: at least one, with distinct names, each with declared bounds;
* **derivatives**: ``dual_value(step)`` has the value ``value(step)`` (relative 1e-12) and a finite
  tangent of ``n_params`` entries equal to ``d value / d u`` by finite differences of ``value`` in
  float64, at the example's ``u`` and at two random points inside the box, for every step of
  :data:`FD_STEPS`. With ``h = 1e-5 max(1, |u_i|)``, the Richardson extrapolation ``R`` of the
  central differences ``D(h)``, ``D(h/2)`` must satisfy ``|tangent - R| <= 1e-6 |R| + |D(h/2) - D(h)|
  + 1e-9 max|value| + 10 noise / h`` (``|D(h/2) - D(h)|`` bounds the truncation error left;
  ``noise`` is the rounding noise of ``value`` measured near the point: about ``eps |value|`` unless
  the value loses digits). Near a kink (a ``max`` floor, a ``min`` cap) the extrapolated forward or
  backward slope may match instead; when neither does, ``h/16`` and ``h/256`` are tried. Every
  parameter gets at least one tight comparison (truncation and noise within 10 times ``1e-6 |R| +
  1e-9 max|value|``) and at least one tangent entry is clearly non-zero (the value depends on ``u``).
  ``dual_value(step, space="params")`` times ``jacobian_diag()`` equals the ``u``-space tangent (the
  chain rule; relative 1e-9, plus 1e-12 of the largest entry for entries that lose digits to
  cancellation);
* **bounds**: ``apply_step(delta)`` moves ``u`` by ``delta`` when that stays inside the box and
  returns the change it made; after ``apply_step`` with huge, infinite or NaN entries followed by
  ``project()`` -- and after ``project()`` of a corrupted ``u`` -- ``u`` is finite and inside
  ``[u_lower, u_upper]``, every ``params()`` value is inside its ``bounds`` and the values stay
  finite; ``project()`` of a projected ``u`` and a zero step change nothing;
* **state**: after a meta step the round trip also restores ``u`` and ``bounds`` exactly.

``check_schedule_class(cls)`` (returns the example) and ``check_schedule_contract(schedule)`` raise
``AssertionError`` naming the schedule and the broken rule; the checks work on copies, so the schedule
given is not changed. ``tests/contracts/test_schedules_contract.py`` runs them for every registered
class; a third-party plugin's tests call them the same way::

    from simplex_training.schedules.contract import check_schedule_class, check_schedule_contract

    def test_my_schedule_keeps_the_schedule_contract():
        check_schedule_contract(check_schedule_class(MySchedule, "my_schedule"))
"""

from __future__ import annotations

import copy
import json
import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import numpy as np

from simplex_training.gates.contract import has_default_constructor
from simplex_training.schedules.base import LearnableSchedule

__all__ = ["STEPS", "FD_STEPS", "has_default_constructor", "make_example", "is_learnable",
           "check_schedule_class", "check_schedule_contract"]

STEPS: tuple[int, ...] = (0, 1, 2, 3, 5, 10, 50, 99, 100, 101, 500, 999, 1000, 1001, 10_000, 100_000,
                          1_000_000, 10**9)
"""The steps at which values are checked: start, warmup-sized, decay-sized and huge."""

FD_STEPS: tuple[int, ...] = (1, 7, 60, 100, 300, 5_000, 100_000)
"""The steps at which ``dual_value`` tangents are compared with finite differences."""

FD_H = 1e-5  # central-difference step in u, times max(1, |u_i|)
FD_SCALES = 3  # finite-difference scales tried: h, h / FD_REFINE, h / FD_REFINE**2
FD_REFINE = 16.0  # each finer scale divides h by this
FD_RTOL = 1e-6  # relative agreement of tangent and (extrapolated) central difference
FD_ATOL = 1e-9  # absolute agreement, times the largest |value| in the stencil (50x eps |value| / h)
NOISE_SAMPLES = 12  # values used to estimate the rounding noise of value(step) (see _value_noise)
NOISE_FACTOR = 10.0  # the central difference may be off by this many noise levels over h
BOUND_RTOL = 1e-12  # a parameter may exceed its bound by this (relative): from_u(to_u(bound)) rounding
N_RANDOM_POINTS = 2  # random points inside the box for the derivative check, besides the example's u


def _label(obj: Any) -> str:
    """The schedule's ``name`` for messages, or its class name when it has none."""
    cls = obj if isinstance(obj, type) else type(obj)
    name = getattr(obj, "name", None)
    return name if isinstance(name, str) and name else cls.__name__


def _fail(obj: Any, rule: str) -> NoReturn:
    """Raise the ``AssertionError`` of a broken rule, naming the schedule."""
    raise AssertionError(f"schedule '{_label(obj)}': {rule}")


def make_example(cls: type) -> Any:
    """An example instance of ``cls``: ``cls.example()`` if the class defines it, else ``cls()``."""
    factory = getattr(cls, "example", None)
    if factory is not None:
        if not callable(factory):
            _fail(cls, "example is not callable (it must be a classmethod returning an instance)")
        try:
            instance = factory()
        except TypeError as exc:
            _fail(cls, f"example() must be a classmethod that needs no arguments: {exc}")
    elif has_default_constructor(cls):
        instance = cls()
    else:
        _fail(cls, "the constructor needs arguments and the class defines no example() classmethod")
    if not isinstance(instance, cls):
        _fail(cls, f"example() returned {type(instance).__name__}, not an instance of {cls.__name__}")
    return instance


def is_learnable(schedule: Any) -> bool:
    """True for instances and subclasses of :class:`LearnableSchedule` (held to the learnable rules)."""
    cls = schedule if isinstance(schedule, type) else type(schedule)
    return issubclass(cls, LearnableSchedule)


def check_schedule_class(cls: type, name: str | None = None) -> Any:
    """Check the class-level rules (``name``, an example instance); returns the example.

    :param name: the name the class is registered under, if known (it must equal ``cls.name``).
    """
    if not isinstance(cls, type):
        _fail(cls, f"registered object {cls!r} is not a class")
    cls_name = getattr(cls, "name", None)
    if not isinstance(cls_name, str) or not cls_name:
        _fail(cls, f"name class attribute must be a non-empty str, got {cls_name!r}")
    if name is not None and cls_name != name:
        _fail(cls, f"registered as {name!r} but its name is {cls_name!r}")
    instance = make_example(cls)
    if instance.name != cls_name:
        _fail(cls, f"the example's name {instance.name!r} differs from the class's {cls_name!r}")
    if not callable(instance):
        _fail(cls, "the example is not callable as schedule(step)")
    return instance


def check_schedule_contract(schedule: Any, make: Callable[[], Any] | None = None, seed: int = 0) -> None:
    """Check every rule of the module docstring on ``schedule``; ``schedule`` itself is not changed.

    :param make: builds a fresh instance for the state round trip (default: :func:`make_example`
        of the schedule's class).
    :param seed: seed of the random points and offsets of the learnable checks.
    """
    make = make if make is not None else (lambda: make_example(type(schedule)))
    values = _check_values(schedule)
    if _has_state(schedule):
        _check_state_round_trip(schedule, make, values)
    if is_learnable(schedule):
        rng = np.random.default_rng(seed)
        _check_parameters(schedule)
        _check_derivatives(schedule, rng)
        _check_bounds(schedule, rng)
        _check_learned_state_round_trip(schedule, make, rng)


# -- every schedule ------------------------------------------------------------------------------


def _has_state(schedule: Any) -> bool:
    """True when the schedule offers ``state_dict()`` and ``load_state_dict(state)``."""
    return callable(getattr(schedule, "state_dict", None)) and callable(getattr(schedule, "load_state_dict", None))


def _state_text(schedule: Any) -> str:
    """``state_dict()`` as JSON text with sorted keys (so NaN and key order compare as equal)."""
    try:
        return json.dumps(schedule.state_dict(), sort_keys=True)
    except (TypeError, ValueError) as exc:
        _fail(schedule, f"state_dict() is not JSON-able: {exc}")


def _value_list(schedule: Any, steps: Sequence[int], what: str) -> list[float]:
    """``schedule(step)`` for each step, failing rule ``what`` on an error, a non-number or a non-finite value."""
    out = []
    for step in steps:
        try:
            v = schedule(step)
        except (ArithmeticError, ValueError) as exc:
            _fail(schedule, f"{what}: schedule({step}) raised {type(exc).__name__}: {exc}")
        if not isinstance(v, numbers.Real) or isinstance(v, bool):
            _fail(schedule, f"{what}: schedule({step}) returned {type(v).__name__}, not a real number")
        if not math.isfinite(float(v)):
            _fail(schedule, f"{what}: schedule({step}) = {v} is not finite")
        out.append(float(v))
    return out


def _check_values(schedule: Any) -> list[float]:
    """Finite, equal to ``value`` when present, deterministic and side-effect free; returns the values."""
    before = _state_text(schedule) if _has_state(schedule) else None
    values = _value_list(schedule, STEPS, "finite")
    value_fn = getattr(schedule, "value", None)
    if callable(value_fn):
        for step, v in zip(STEPS, values):
            if float(value_fn(step)) != v:
                _fail(schedule, f"value({step}) = {value_fn(step)} differs from schedule({step}) = {v}")
    again = _value_list(schedule, STEPS[::-1], "deterministic")[::-1]
    for step, a, b in zip(STEPS, values, again):
        if a != b:
            _fail(schedule, f"deterministic: schedule({step}) gave {a}, then {b}")
    if before is not None and _state_text(schedule) != before:
        _fail(schedule, "deterministic: asking for values changed state_dict()")
    return values


def _check_state_round_trip(schedule: Any, make: Callable[[], Any], values: list[float]) -> None:
    """Load the schedule's JSON state into ``make()``: the same ``values`` at :data:`STEPS`, the same state."""
    text = _state_text(schedule)
    fresh = make()
    fresh.load_state_dict(json.loads(text))
    restored = _value_list(fresh, STEPS, "state round trip")
    for step, a, b in zip(STEPS, values, restored):
        if a != b:
            _fail(schedule, f"state round trip: schedule({step}) = {a} but {b} after load_state_dict")
    if _state_text(fresh) != text:
        _fail(schedule, "state round trip: state_dict() after load_state_dict(state) differs from state")


# -- learnable schedules -------------------------------------------------------------------------


def _check_parameters(schedule: LearnableSchedule) -> None:
    """At least one parameter, distinct names, bounds for exactly those, ``u`` and its box of that length."""
    names = list(schedule.param_names())
    if not names or schedule.n_params != len(names):
        _fail(schedule, f"a learnable schedule needs parameters; param_names()={names}, n_params={schedule.n_params}")
    if len(set(names)) != len(names):
        _fail(schedule, f"parameter names are not distinct: {names}")
    if set(schedule.bounds) != set(names):
        _fail(schedule, f"bounds {sorted(schedule.bounds)} do not cover exactly the parameters {sorted(names)}")
    for arr, what in ((schedule.u, "u"), (schedule.u_lower, "u_lower"), (schedule.u_upper, "u_upper")):
        if np.shape(arr) != (len(names),):
            _fail(schedule, f"{what} has shape {np.shape(arr)}, expected ({len(names)},)")


def _tangent(schedule: LearnableSchedule, step: int, space: str = "u") -> tuple[float, np.ndarray]:
    """``dual_value(step, space)`` as ``(value, tangent)``, checked finite with one entry per parameter."""
    d = schedule.dual_value(step) if space == "u" else schedule.dual_value(step, space=space)
    der = np.atleast_1d(np.asarray(d.der, dtype=np.float64))
    if der.shape != (schedule.n_params,):
        _fail(schedule, f"dual_value({step}, space={space!r}) tangent has shape {der.shape}, "
                        f"expected ({schedule.n_params},)")
    if not (math.isfinite(d.val) and np.isfinite(der).all()):
        _fail(schedule, f"dual_value({step}, space={space!r}) is not finite: {d.val}, {der}")
    return float(d.val), der


def _interior_points(schedule: LearnableSchedule, rng: np.random.Generator, n: int) -> list[np.ndarray]:
    """``n`` random ``u`` inside the box, each coordinate between 10% and 90% of its range."""
    lo, hi = np.asarray(schedule.u_lower, np.float64), np.asarray(schedule.u_upper, np.float64)
    return [lo + (hi - lo) * rng.uniform(0.1, 0.9, size=lo.shape) for _ in range(n)]


def _value_noise(probe: LearnableSchedule, point: np.ndarray, i: int, step: int, h: float,
                 rng: np.random.Generator) -> float:
    """Rounding noise of ``value(step)`` along ``u[i]`` within ``h`` of ``point``.

    The RMS residual of a least-squares cubic through values at :data:`NOISE_SAMPLES` random offsets
    in ``[-h, h]`` (random, so the saw-tooth of rounding errors is not sampled in phase; a smooth
    value leaves only its ``h^4`` term). This is what a schedule that loses digits (e.g. ``1 - e^{-x}``
    for tiny ``x``) gets as extra tolerance; an accurately computed value gets about ``eps |value|``.
    """
    x = rng.uniform(-1.0, 1.0, size=NOISE_SAMPLES)
    values = np.empty(NOISE_SAMPLES)
    for k, r in enumerate(x):
        p = point.copy()
        p[i] += r * h
        probe.u = p
        values[k] = probe.value(step)
    design = np.vander(x, 4)
    coef, *_ = np.linalg.lstsq(design, values, rcond=None)
    resid = values - design @ coef
    return float(np.sqrt(resid @ resid / (NOISE_SAMPLES - 4)))


def _value_at(probe: LearnableSchedule, point: np.ndarray, i: int, offset: float, step: int) -> float:
    """``value(step)`` of ``probe`` at ``point`` with ``u[i]`` moved by ``offset`` (not projected)."""
    u = point.copy()
    u[i] += offset
    probe.u = u
    return float(probe.value(step))


def _check_partial(schedule: LearnableSchedule, probe: LearnableSchedule, point: np.ndarray, i: int, step: int,
                   value: float, tangent: float, rng: np.random.Generator) -> tuple[bool, bool]:
    """Compare ``tangent`` with finite differences of ``value(step)`` along ``u[i]`` at ``point``.

    At each scale ``h`` of ``FD_H max(1, |u_i|) / FD_REFINE**k`` (k = 0, 1, 2; a finer scale is tried
    only when the coarser one does not agree), with values at ``u_i + {-h, -h/2, h/2, h}``:

    * central: the Richardson extrapolation ``R = (4 D(h/2) - D(h)) / 3`` of the central differences,
      tolerance ``FD_RTOL |R| + |D(h/2) - D(h)| + slack`` (the truncation error left is a fraction of
      ``|D(h/2) - D(h)|``); ``slack = FD_ATOL max|value| + NOISE_FACTOR noise / h``;
    * one-sided, for a kink (a ``max`` floor, a ``min`` cap) within ``h``: the extrapolated forward or
      backward slope ``2 S(h/2) - S(h)``, tolerance ``FD_RTOL |S| + |S(h/2) - S(h)| + 2 slack``.

    Raises unless the tangent agrees with one of them at some scale. Returns ``(tight, confirmed)``:
    the central test held with truncation and noise at most 10 times ``FD_RTOL |R| + FD_ATOL max|value|``;
    and, in addition, the derivative is clearly non-zero.
    """
    report = ""
    for k in range(FD_SCALES):
        h = FD_H * max(1.0, abs(float(point[i]))) / FD_REFINE**k
        f = {j: _value_at(probe, point, i, j * h / 2, step) for j in (-2, -1, 1, 2)}
        f[0] = value
        noise = _value_noise(probe, point, i, step, h, rng)
        base = FD_ATOL * max(abs(v) for v in f.values())
        slack = base + NOISE_FACTOR * noise / h
        d_h, d_half = (f[2] - f[-2]) / (2 * h), (f[1] - f[-1]) / h
        central = (4.0 * d_half - d_h) / 3.0
        truncation = abs(d_half - d_h)
        tol = FD_RTOL * abs(central) + truncation + slack
        if abs(tangent - central) <= tol:
            tight = truncation + slack <= 10.0 * (FD_RTOL * abs(central) + base)
            return tight, tight and tangent != 0.0 and abs(central) > 10.0 * tol
        sides = []
        for side in (1, -1):
            s_h, s_half = side * (f[2 * side] - f[0]) / h, side * (f[side] - f[0]) / (h / 2)
            slope = 2.0 * s_half - s_h
            sides.append(slope)
            if abs(tangent - slope) <= FD_RTOL * abs(slope) + abs(s_half - s_h) + 2 * slack:
                return False, False
        if not report:
            report = (f"finite differences give {central!r} (tolerance {tol:.3g}), one-sided slopes "
                      f"{sides[0]!r} forward, {sides[1]!r} backward, at h={h:.3g}")
    name = probe.param_names()[i]
    _fail(schedule, f"derivative: d value/d u[{name}] at step {step}, u={point.tolist()}: tangent {tangent!r}, "
                    f"but {report} (and at {FD_SCALES - 1} finer scales)")


def _check_derivatives(schedule: LearnableSchedule, rng: np.random.Generator) -> None:
    """The derivative rules, on a copy, at the example's ``u`` and random points, for :data:`FD_STEPS`."""
    probe = copy.deepcopy(schedule)
    points = [np.array(schedule.u, dtype=np.float64)] + _interior_points(schedule, rng, N_RANDOM_POINTS)
    tight = np.zeros(probe.n_params, dtype=bool)
    confirmed = 0
    for point in points:
        for step in FD_STEPS:
            probe.u = point.copy()
            value = float(probe.value(step))
            val, der = _tangent(probe, step)
            if not math.isclose(val, value, rel_tol=1e-12, abs_tol=1e-300):
                _fail(schedule, f"dual_value({step}).val = {val} differs from value({step}) = {value}")
            _, der_params = _tangent(probe, step, space="params")
            chain = der_params * probe.jacobian_diag()
            if not np.allclose(chain, der, rtol=1e-9, atol=1e-12 * max(float(np.abs(der).max()), 1e-300)):
                _fail(schedule, f"chain rule at step {step}: params-space tangent {der_params} times "
                                f"jacobian_diag() = {chain}, but the u-space tangent is {der}")
            for i in range(probe.n_params):
                ok_tight, ok_confirmed = _check_partial(schedule, probe, point, i, step, value, float(der[i]), rng)
                tight[i] |= ok_tight
                confirmed += ok_confirmed
    if not tight.all():
        loose = [n for n, t in zip(probe.param_names(), tight) if not t]
        _fail(schedule, f"derivative: no checked point and step resolves d value/d u for {loose} "
                        "(finite differences too noisy or too curved everywhere)")
    if confirmed == 0:
        _fail(schedule, "derivative: the value does not depend on u at any checked point and step "
                        "(no non-zero tangent confirmed by finite differences)")


def _check_in_bounds(schedule: LearnableSchedule, what: str) -> None:
    """``u`` finite and in its box, every parameter within its bounds, values finite (after ``what``)."""
    u = np.asarray(schedule.u, dtype=np.float64)
    if not np.isfinite(u).all():
        _fail(schedule, f"bounds: u is not finite after {what}: {u}")
    if not (np.all(u >= schedule.u_lower) and np.all(u <= schedule.u_upper)):
        _fail(schedule, f"bounds: u = {u} outside [{schedule.u_lower}, {schedule.u_upper}] after {what}")
    for name, v in schedule.params().items():
        lo, hi = schedule.bounds[name]
        if not (math.isfinite(v) and lo - BOUND_RTOL * abs(lo) <= v <= hi + BOUND_RTOL * abs(hi)):
            _fail(schedule, f"bounds: {name} = {v} outside its bounds [{lo}, {hi}] after {what}")
    for step in (0, 100, 10**6):
        if not math.isfinite(schedule.value(step)):
            _fail(schedule, f"bounds: value({step}) is not finite after {what}")


def _adversarial_steps(n: int, rng: np.random.Generator) -> list[tuple[str, np.ndarray]]:
    """Labelled meta steps of length ``n``: huge, infinite, NaN, mixed and huge random entries."""
    mixed = np.resize(np.array([np.inf, -np.inf, np.nan, 1e300, -1e300, 0.0, 1e30, -1e30]), n)
    return [("+1e30", np.full(n, 1e30)), ("-1e30", np.full(n, -1e30)), ("+1e300", np.full(n, 1e300)),
            ("-1e300", np.full(n, -1e300)), ("+inf", np.full(n, np.inf)), ("-inf", np.full(n, -np.inf)),
            ("nan", np.full(n, np.nan)), ("mixed non-finite", mixed), ("mixed reversed", mixed[::-1].copy()),
            ("random 1e6", rng.normal(size=n) * 1e6), ("random 1e200", rng.normal(size=n) * 1e200)]


def _check_bounds(schedule: LearnableSchedule, rng: np.random.Generator) -> None:
    """The bounds rules, on a copy: zero and in-box steps, adversarial steps, a corrupted ``u``."""
    probe = copy.deepcopy(schedule)
    n = probe.n_params
    probe.project()
    if not np.array_equal(probe.u, schedule.u):
        _fail(schedule, "bounds: project() changed the u the schedule was given with (already projected)")
    _check_in_bounds(probe, "construction")
    before = probe.u.copy()
    probe.apply_step(np.zeros(n))
    if not np.array_equal(probe.u, before):
        _fail(schedule, f"bounds: apply_step(zeros) changed u from {before} to {probe.u}")
    target = _interior_points(probe, rng, 1)[0]
    applied = probe.apply_step(target - before)
    if not np.allclose(probe.u, target, rtol=1e-12, atol=1e-12):
        _fail(schedule, f"bounds: apply_step of an in-box step moved u to {probe.u}, not to {target}")
    if applied is None or not np.allclose(np.asarray(applied, np.float64), probe.u - before, rtol=1e-12, atol=1e-12):
        _fail(schedule, f"bounds: apply_step returned {applied}, not the change {probe.u - before} it made")
    for label, delta in _adversarial_steps(n, rng):
        prior = probe.u.copy()
        applied = probe.apply_step(delta.copy())
        after_step = np.asarray(probe.u, dtype=np.float64).copy()
        if applied is None or not np.array_equal(np.asarray(applied, np.float64), after_step - prior, equal_nan=True):
            _fail(schedule, f"bounds: apply_step({label}) returned {applied}, not the change {after_step - prior}")
        probe.project()
        _check_in_bounds(probe, f"apply_step({label}) and project()")
        projected = probe.u.copy()
        probe.project()
        if not np.array_equal(probe.u, projected):
            _fail(schedule, f"bounds: project() of a projected u changed it after apply_step({label})")
    for label, corrupt in (("nan", np.nan), ("+inf", np.inf), ("-inf", -np.inf), ("1e308", 1e308), ("-1e308", -1e308)):
        probe.u = np.full(n, corrupt)
        probe.project()
        _check_in_bounds(probe, f"project() of u = {label}")


def _check_learned_state_round_trip(schedule: LearnableSchedule, make: Callable[[], Any],
                                    rng: np.random.Generator) -> None:
    """After a meta step, the JSON state restores ``u``, bounds, values and state in a fresh instance."""
    source = copy.deepcopy(schedule)
    source.apply_step(_interior_points(source, rng, 1)[0] - source.u)  # a meta step to somewhere else
    state = json.loads(_state_text(source))
    fresh = make()
    if np.array_equal(fresh.u, source.u):
        _fail(schedule, "state round trip: the meta step did not change u, nothing to restore")
    fresh.load_state_dict(state)
    if not np.array_equal(fresh.u, source.u):
        _fail(schedule, f"state round trip: u = {fresh.u} after load_state_dict, expected {source.u}")
    if fresh.bounds != source.bounds:
        _fail(schedule, f"state round trip: bounds {fresh.bounds} after load_state_dict, expected {source.bounds}")
    _check_state_round_trip(source, make, _value_list(source, STEPS, "state round trip"))
