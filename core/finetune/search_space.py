"""The hyperparameter space of ``simplex-train search``: points, random samples, neighbours, configs.

A point is a dict with six hyperparameters:

==============  =====================================================  ===========================
key             values                                                 in the config
==============  =====================================================  ===========================
``lr``          log-uniform in [1e-4, 3e-2], 3 significant digits      ``lr``
``rank``        2, 4, 8, 16, 32                                        ``lora.rank``
``alpha_ratio`` 0.5, 1, 2, 4                                           ``lora.alpha = ratio * rank``
``dropout``     0, 0.05, 0.1, 0.2                                      ``lora.dropout``
``batch_size``  4, 8, 16                                               ``batch_size``
``targets``     ``qv`` (q, v), ``qkvo`` (q, k, v, o), ``all`` (7)      ``lora.targets``
==============  =====================================================  ===========================

Alpha is searched as a multiple of the rank, so changing the rank keeps the adapter's scale.
A neighbour (:func:`neighbor`) changes one or two hyperparameters (two with probability 1/2):
``lr`` by a factor ``10^N(0, 0.3)`` (clipped to the range), a graded value to the next grade up or
down (two grades with probability 1/4, reflected at the ends), ``targets`` to another choice.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

LR_RANGE = (1e-4, 3e-2)
GRADES: dict[str, tuple[Any, ...]] = {"rank": (2, 4, 8, 16, 32), "alpha_ratio": (0.5, 1.0, 2.0, 4.0),
                                      "dropout": (0.0, 0.05, 0.1, 0.2), "batch_size": (4, 8, 16)}
TARGETS: dict[str, list[str]] = {"qv": ["q", "v"], "qkvo": ["q", "k", "v", "o"], "all": ["all"]}
KEYS = ("lr", "rank", "alpha_ratio", "dropout", "batch_size", "targets")
LR_STEP = 0.3  # standard deviation of a neighbour's lr change, in decades

Point = dict[str, Any]


def _round_lr(lr: float) -> float:
    lr = min(max(lr, LR_RANGE[0]), LR_RANGE[1])
    return float(f"{lr:.3g}")


def _nearest(values: tuple[Any, ...], x: float) -> Any:
    return min(values, key=lambda v: (abs(math.log(v) - math.log(x)) if v > 0 and x > 0 else abs(v - x), v))


def initial_point(cfg: Any, preset: dict[str, Any]) -> Point:
    """The point nearest to a run's settings: ``cfg`` (lr, batch size, ``lora`` overrides) over the LoRA preset."""
    lora = {**preset, **cfg.lora}
    rank = _nearest(GRADES["rank"], float(lora.get("rank", 8)))
    targets = sorted(str(t) for t in lora.get("targets", ["q", "v"]))
    name = next((k for k, v in TARGETS.items() if sorted(v) == targets), "qv")
    return {"lr": _round_lr(cfg.lr), "rank": rank,
            "alpha_ratio": _nearest(GRADES["alpha_ratio"], float(lora.get("alpha", 2 * rank)) / rank),
            "dropout": min(GRADES["dropout"], key=lambda d: (abs(d - float(lora.get("dropout", 0.05))), d)),
            "batch_size": _nearest(GRADES["batch_size"], float(cfg.batch_size)), "targets": name}


def random_point(rng: np.random.Generator) -> Point:
    """A uniform sample (``lr`` log-uniform)."""
    lo, hi = (math.log10(x) for x in LR_RANGE)
    point: Point = {"lr": _round_lr(10 ** rng.uniform(lo, hi))}
    for key, values in GRADES.items():
        point[key] = values[int(rng.integers(len(values)))]
    names = list(TARGETS)
    point["targets"] = names[int(rng.integers(len(names)))]
    return {k: point[k] for k in KEYS}


def neighbor(point: Point, rng: np.random.Generator) -> Point:
    """``point`` with one or two hyperparameters perturbed (module docstring)."""
    new = dict(point)
    k = 2 if rng.random() < 0.5 else 1
    for key in rng.choice(len(KEYS), size=k, replace=False):
        name = KEYS[int(key)]
        if name == "lr":
            new["lr"] = _round_lr(point["lr"] * 10 ** rng.normal(0.0, LR_STEP))
        elif name == "targets":
            others = [t for t in TARGETS if t != point["targets"]]
            new["targets"] = others[int(rng.integers(len(others)))]
        else:
            values = GRADES[name]
            i = values.index(point[name])
            step = (2 if rng.random() < 0.25 else 1) * (1 if rng.random() < 0.5 else -1)
            j = i + step
            if j < 0 or j >= len(values):
                j = i - step  # reflect at the ends
            new[name] = values[min(max(j, 0), len(values) - 1)]
    return new


def point_key(point: Point) -> str:
    return json.dumps({k: point[k] for k in KEYS}, sort_keys=True)


def to_overrides(point: Point) -> dict[str, Any]:
    """The :class:`~simplex_training.finetune.config.FinetuneConfig` settings of a point."""
    rank = int(point["rank"])
    return {"lr": float(point["lr"]), "batch_size": int(point["batch_size"]),
            "lora": {"rank": rank, "alpha": float(point["alpha_ratio"]) * rank, "dropout": float(point["dropout"]),
                     "targets": list(TARGETS[point["targets"]])}}


def describe(point: Point) -> str:
    return (f"lr={point['lr']:.3g} r={point['rank']} alpha={point['alpha_ratio'] * point['rank']:g} "
            f"dropout={point['dropout']:g} batch={point['batch_size']} targets={point['targets']}")
