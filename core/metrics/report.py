"""Before/after comparison of one specialist's metrics against its catalog thresholds (metrics.json).

Every metric the catalog entry names is reported with its value before and after training, the
change, the threshold, its direction and whether the *after* value passes
(:meth:`~simplex_training.catalog.MetricThreshold.passes`: ``>=`` for higher-is-better metrics,
``<=`` for ECE/Brier). The overall verdict passes only when every entry metric passes.

Fixes with respect to the original's ``generate_comparison_report`` (original-system.md §5): a metric
missing from a run is reported as ``None`` and fails instead of crashing, and lower-is-better metrics
are compared the right way round.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from simplex_training.catalog import CatalogEntry


def _value(results: Mapping[str, Any] | None, name: str) -> float | None:
    if not results or name not in results or results[name] is None:
        return None
    v = float(results[name])
    return v if math.isfinite(v) else None


def compare(entry: CatalogEntry, before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON-ready comparison: ``{"specialist", "metrics": {name: {...}}, "extras", "passed"}``.

    ``extras`` holds the *after* values of float results that are not catalog metrics.
    """
    metrics: dict[str, dict[str, Any]] = {}
    for m in entry.metrics:
        b, a = _value(before, m.name), _value(after, m.name)
        passed = a is not None and m.passes(a)
        metrics[m.name] = {
            "before": b,
            "after": a,
            "delta": (a - b) if a is not None and b is not None else None,
            "threshold": m.threshold,
            "higher_is_better": m.higher_is_better,
            "passed": passed,
            "passed_before": b is not None and m.passes(b),
        }
    names = {m.name for m in entry.metrics}
    extras = {k: float(v) for k, v in sorted(after.items())
              if k not in names and isinstance(v, (int, float)) and not isinstance(v, bool)}
    return {
        "specialist": entry.id,
        "task_type": entry.task_type.value,
        "metrics": metrics,
        "extras": extras,
        "passed": all(row["passed"] for row in metrics.values()),
    }
