"""Common shape of evaluator plugins (``register_evaluators``).

An evaluator has a ``name`` (the task type it scores), a ``metrics`` tuple (the catalog metric names
it can compute) and ``evaluate(entry, examples, outputs) -> dict[str, float]``: the score of every
metric named in ``entry.metrics`` plus extras (counts such as ``n``, per-label scores such as
``f1_positive``), each a plain float. :class:`Evaluator` checks the inputs, refuses metrics it cannot
compute with a ``ValueError`` naming them, and checks that every requested metric was produced.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from simplex_training.catalog import CatalogEntry
from simplex_training.data import TrainingExample


class Evaluator:
    """Base class: subclasses set ``name``/``metrics`` and implement :meth:`score`."""

    name: str = ""
    metrics: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, metrics={self.metrics!r})"

    def evaluate(
        self, entry: CatalogEntry, examples: Sequence[TrainingExample], outputs: Sequence[str | None]
    ) -> dict[str, float]:
        """Score ``outputs[i]`` (generated text) against the gold metadata of ``examples[i]``."""
        if len(examples) != len(outputs):
            raise ValueError(f"{len(examples)} examples but {len(outputs)} outputs")
        if not examples:
            raise ValueError(f"evaluator '{self.name}': no examples to evaluate for '{entry.id}'")
        requested = [m.name for m in entry.metrics]
        unknown = [m for m in requested if m not in self.metrics]
        if unknown:
            raise ValueError(
                f"evaluator '{self.name}' cannot compute metric(s) {', '.join(repr(m) for m in unknown)} "
                f"requested by specialist '{entry.id}' (it computes: {', '.join(self.metrics)})"
            )
        texts = [o if isinstance(o, str) else "" for o in outputs]
        result = self.score(entry, list(examples), texts, requested)
        missing = [m for m in requested if m not in result]
        if missing:
            raise RuntimeError(f"evaluator '{self.name}' did not produce {missing} for '{entry.id}'")
        out = {k: float(v) for k, v in result.items()}
        bad = [k for k, v in out.items() if not math.isfinite(v)]
        if bad:
            raise RuntimeError(f"evaluator '{self.name}' produced non-finite values for {bad}")
        return out

    def score(self, entry: CatalogEntry, examples: list[TrainingExample], outputs: list[str],
              requested: list[str]) -> dict[str, float]:
        raise NotImplementedError


def gold(example: TrainingExample, key: str, metric: str, index: int) -> Any:
    """``example.metadata[key]``, or a ``ValueError`` naming the metric and the example."""
    if key not in example.metadata:
        raise ValueError(f"metric '{metric}' needs metadata['{key}'], which example #{index} lacks "
                         f"(metadata keys: {', '.join(sorted(example.metadata))})")
    return example.metadata[key]
