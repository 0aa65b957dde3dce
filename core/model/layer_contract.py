"""The behaviour every registered layer class promises, as a reusable check.

A layer class has a ``name`` class attribute (a non-empty string) and a classmethod

    ``example(rng: np.random.Generator, dtype: type = np.float32) -> tuple[Module, list]``

returning a small instance of the class (in training mode, every parameter of dtype ``dtype``) and
the positional arguments of one call, ``layer(*args)``. Every random value is drawn from ``rng``:
the same seed gives the same example, with the same values whatever the ``dtype`` (draw in float64,
then cast). Floating arrays among the arguments must have dtype ``dtype``; the check wraps them in
:class:`Tensor` and differentiates them. Every other argument (integer token ids, positions) is
passed unchanged and not differentiated. A stochastic layer's example must make it deterministic
(e.g. dropout p = 0). Keep examples small (tens to a few hundred numbers): every entry is checked.

Contract, checked by ``check_layer_contract(cls, seed=0)``:

* the example is an instance of ``cls``, a :class:`~simplex_training.model.module.Module`, in
  training mode, with at least one trainable parameter or floating argument;
* ``parameters()`` lists each :class:`Parameter` reachable from the layer's attributes (through
  child modules, lists, tuples and dicts) exactly once, and each ``named_parameters()`` name is the
  attribute path of its parameter;
* in float32 and float64, in train and in eval mode: the call returns a Tensor of that dtype,
  finite, identical on a second call with the same arguments, and leaves its arguments unchanged;
* in float32 and float64, train mode: ``backward`` of ``sum(out * R)`` (fixed random ``R``) gives
  every trainable parameter and floating argument a finite gradient that is not all zero;
* float64, train mode: every gradient entry of every trainable parameter and floating argument
  agrees with central finite differences (:func:`simplex_training.engine.gradcheck.gradcheck`,
  eps 1e-6, |analytic - numeric| <= 1e-7 + 1e-5 |numeric|; the built-in layers' errors stay below
  5e-9; the examples are small, so every entry is checked, not a sample). Every engine op and numba
  kernel runs in float64, so no layer needs a float32-only finite-difference check;
* the float32 path (what training runs) agrees with the finite-difference-checked float64 path
  (same seed, so the same values rounded to float32): outputs and gradients within
  ``F32_RTOL`` = 1e-4 of the float64 values' largest magnitude. float32 rounds at ~6e-8; the
  built-in layers' small examples stay below 5e-7, the rest is slack for longer op chains.

``check_layer_contract`` raises ``AssertionError`` naming the layer and the broken rule; the test
suites of simplex-training (and of third-party layer plugins) call it over every registered layer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from simplex_training.engine import Parameter, Tensor
from simplex_training.engine.gradcheck import gradcheck
from simplex_training.model.module import Module

__all__ = ["check_layer_contract", "FD_EPS", "FD_ATOL", "FD_RTOL", "F32_RTOL"]

FD_EPS = 1e-6  # central-difference step (float64)
FD_ATOL = 1e-7  # |analytic - numeric| <= FD_ATOL + FD_RTOL * |numeric|
FD_RTOL = 1e-5
F32_RTOL = 1e-4  # float32 vs float64: max |a32 - a64| <= F32_RTOL * max |a64|


def _fail(cls: type, rule: str) -> None:
    raise AssertionError(f"layer '{getattr(cls, 'name', cls.__name__)}': {rule}")


def _is_float(a: Any) -> bool:
    return isinstance(a, np.ndarray) and a.dtype.kind == "f"


def _make_example(cls: type, seed: int, dtype: type) -> tuple[Module, list[Any]]:
    """Call ``cls.example`` and check what it returns (instance, mode, dtypes)."""
    layer, args = cls.example(np.random.default_rng(seed), dtype=dtype)
    if not isinstance(layer, cls) or not isinstance(layer, Module):
        _fail(cls, f"example() returned {type(layer).__name__}, not a Module instance of the class")
    if not layer.training:
        _fail(cls, "example() layer is not in training mode")
    args = list(args)
    wrong = [name for name, p in layer.named_parameters() if p.dtype != dtype]
    wrong += [f"argument {i}" for i, a in enumerate(args) if _is_float(a) and a.dtype != dtype]
    if wrong:
        _fail(cls, f"example(dtype={np.dtype(dtype).name}) gives other dtypes to {wrong}")
    if not _trainable(layer) and not any(_is_float(a) for a in args):
        _fail(cls, "example() has no trainable parameter and no floating argument to differentiate")
    return layer, args


def _trainable(layer: Module) -> list[tuple[str, Parameter]]:
    return [(name, p) for name, p in layer.named_parameters() if p.requires_grad]


def _call(layer: Module, args: list[Any], grad_inputs: bool = False) -> tuple[Tensor, list[Tensor]]:
    """Call the layer with floating arguments as fresh Tensors; returns the output and those Tensors."""
    tensors = [Tensor(a, requires_grad=grad_inputs) if _is_float(a) else None for a in args]
    out = layer(*[t if t is not None else a for t, a in zip(tensors, args, strict=True)])
    return out, [t for t in tensors if t is not None]


def _reachable_parameters(obj: Any, seen: set[int]) -> Iterator[Parameter]:
    """Every Parameter reachable from a module's attributes, through modules, lists, tuples, dicts."""
    if isinstance(obj, Parameter):
        yield obj
    elif isinstance(obj, Module) and id(obj) not in seen:
        seen.add(id(obj))
        for value in vars(obj).values():
            yield from _reachable_parameters(value, seen)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _reachable_parameters(item, seen)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _reachable_parameters(item, seen)


def _resolve(root: Module, path: str) -> tuple[Any, str]:
    """The object holding the attribute a dotted ``named_parameters`` name ends with, and that attribute."""
    *parents, leaf = path.split(".")
    obj: Any = root
    for part in parents:
        obj = obj[int(part)] if isinstance(obj, (list, tuple)) else getattr(obj, part)
    return obj, leaf


def _check_parameters(cls: type, layer: Module) -> None:
    listed = layer.parameters()
    if len({id(p) for p in listed}) != len(listed):
        _fail(cls, "parameters() lists a parameter more than once")
    reachable = {id(p): p for p in _reachable_parameters(layer, set())}
    if {id(p) for p in listed} != set(reachable):
        _fail(cls, f"parameters() lists {len(listed)} parameters but {len(reachable)} are reachable from attributes")
    for name, p in layer.named_parameters():
        try:
            owner, attr = _resolve(layer, name)
            found = getattr(owner, attr)
        except (AttributeError, IndexError, ValueError, TypeError):
            found = None
        if found is not p:
            _fail(cls, f"named_parameters() name '{name}' is not the attribute path of its parameter")


def _snapshot(args: list[Any]) -> list[Any]:
    return [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]


def _check_forward_mode(cls: type, layer: Module, args: list[Any], dtype: type, training: bool) -> np.ndarray:
    """One mode: a finite Tensor of the example's dtype, identical on a second call, arguments untouched."""
    layer.train(training)
    mode = f"{np.dtype(dtype).name} {'train' if training else 'eval'}"
    before = _snapshot(args)
    out = _call(layer, args)[0]
    if not isinstance(out, Tensor):
        _fail(cls, f"{mode}: the call returned {type(out).__name__}, not a Tensor")
    first = np.array(out.data, copy=True)
    if out.dtype != dtype:
        _fail(cls, f"{mode}: output dtype {out.dtype} is not the example's dtype")
    if not np.isfinite(first).all():
        _fail(cls, f"{mode}: output is not finite")
    again = _call(layer, args)[0].data
    if again.shape != first.shape or not np.array_equal(again, first):
        _fail(cls, f"{mode}: output is not deterministic")
    if not all(np.array_equal(a, b) for a, b in zip(args, before, strict=True)):
        _fail(cls, f"{mode}: the call modified its arguments")
    return first


def _check_forward(cls: type, layer: Module, args: list[Any], dtype: type) -> np.ndarray:
    """The forward rules in eval mode, then in train mode (left on); returns the train-mode output."""
    _check_forward_mode(cls, layer, args, dtype, training=False)
    return _check_forward_mode(cls, layer, args, dtype, training=True)


def _weights(shape: tuple[int, ...], dtype: type, seed: int) -> np.ndarray:
    """The fixed random ``R`` of the scalar ``sum(out * R)`` that is differentiated."""
    return np.random.default_rng(seed + 1).standard_normal(shape).astype(dtype)


def _check_backward(cls: type, layer: Module, args: list[Any], seed: int) -> dict[str, np.ndarray]:
    """Finite, not-all-zero gradients for every trainable parameter and floating argument (train mode).

    Returns the gradients by name (``named_parameters`` names, ``argument i``).
    """
    layer.train()
    trainable = _trainable(layer)
    for _, p in trainable:
        p.grad = None
    out, inputs = _call(layer, args, grad_inputs=True)
    dtype = np.dtype(out.dtype).name
    if not out.requires_grad:
        _fail(cls, f"{dtype}: output does not require grad")
    (out * Tensor(_weights(out.shape, out.dtype, seed))).sum().backward()
    float_positions = [i for i, a in enumerate(args) if _is_float(a)]
    named = trainable + [(f"argument {i}", t) for i, t in zip(float_positions, inputs, strict=True)]
    grads = {}
    for name, t in named:
        if t.grad is None:
            _fail(cls, f"{dtype}: backward gives no gradient to {name}")
        if not np.isfinite(t.grad).all():
            _fail(cls, f"{dtype}: backward gives a non-finite gradient to {name}")
        if not np.any(t.grad):
            _fail(cls, f"{dtype}: backward gives an all-zero gradient to {name}")
        grads[name] = np.array(t.grad, copy=True)
    return grads


def _gradcheck_parameter(layer: Module, args: list[Any], name: str, seed: int) -> Any:
    """gradcheck one parameter: swap it for gradcheck's Tensor during each call, restore it after."""
    owner, attr = _resolve(layer, name)
    original = getattr(owner, attr)

    def fn(t: Tensor) -> Tensor:
        setattr(owner, attr, t)
        return _call(layer, args)[0]

    try:
        return gradcheck(fn, [original.data], eps=FD_EPS, atol=FD_ATOL, rtol=FD_RTOL, seed=seed + 1)
    finally:
        setattr(owner, attr, original)


def _gradcheck_argument(layer: Module, args: list[Any], index: int, seed: int) -> Any:
    """gradcheck one floating argument, the other arguments held fixed."""

    def fn(t: Tensor) -> Tensor:
        return layer(*[t if i == index else (Tensor(a) if _is_float(a) else a) for i, a in enumerate(args)])

    return gradcheck(fn, [args[index]], eps=FD_EPS, atol=FD_ATOL, rtol=FD_RTOL, seed=seed + 1)


def _check_finite_differences(cls: type, layer: Module, args: list[Any], seed: int) -> None:
    """float64 autograd gradients of every trainable parameter and floating argument vs central differences."""
    layer.train()
    results = [(name, _gradcheck_parameter(layer, args, name, seed)) for name, _ in _trainable(layer)]
    results += [(f"argument {i}", _gradcheck_argument(layer, args, i, seed))
                for i, a in enumerate(args) if _is_float(a)]
    for name, result in results:
        if not result.ok:
            _fail(cls, f"float64 gradient of {name} disagrees with finite differences "
                       f"(max abs err {result.max_abs_err:.3g}, max rel err {result.max_rel_err:.3g})")


def _check_reproducible(cls: type, seed: int) -> None:
    """Two float64 examples from the same seed have identical parameters and arguments."""
    (a, args_a), (b, args_b) = (_make_example(cls, seed, np.float64) for _ in range(2))
    same = len(a.parameters()) == len(b.parameters()) and len(args_a) == len(args_b)
    same = same and all(np.array_equal(p.data, q.data) for p, q in zip(a.parameters(), b.parameters(), strict=False))
    same = same and all(np.array_equal(x, y) for x, y in zip(args_a, args_b, strict=False))
    if not same:
        _fail(cls, "example() is not reproducible from its rng (draw every random value from rng)")


def _check_close(cls: type, what: str, got: np.ndarray, want: np.ndarray) -> None:
    """float32 ``got`` within ``F32_RTOL`` of the float64 ``want``'s largest magnitude."""
    if got.shape != want.shape:
        _fail(cls, f"float32 {what} has shape {got.shape}, float64 {want.shape}")
    err = float(np.abs(got.astype(np.float64) - want).max(initial=0.0))
    scale = float(np.abs(want).max(initial=0.0))
    if err > F32_RTOL * scale:
        _fail(cls, f"float32 {what} differs from float64 by {err:.3g} (allowed {F32_RTOL} x {scale:.3g})")


def check_layer_contract(cls: type, seed: int = 0) -> None:
    """Check every rule of the module docstring on ``cls.example``; ``AssertionError`` names the broken one."""
    if not isinstance(getattr(cls, "name", None), str) or not cls.name:
        _fail(cls, "no non-empty string 'name' class attribute")
    if not callable(getattr(cls, "example", None)):
        _fail(cls, "no example(rng, dtype) classmethod")
    _check_reproducible(cls, seed)
    outputs, grads = {}, {}
    for dtype in (np.float32, np.float64):
        layer, args = _make_example(cls, seed, dtype)
        _check_parameters(cls, layer)
        outputs[dtype] = _check_forward(cls, layer, args, dtype)
        grads[dtype] = _check_backward(cls, layer, args, seed)
    layer, args = _make_example(cls, seed, np.float64)
    _check_finite_differences(cls, layer, args, seed)
    _check_close(cls, "output", outputs[np.float32], outputs[np.float64])
    for name, want in grads[np.float64].items():
        _check_close(cls, f"gradient of {name}", grads[np.float32][name], want)
