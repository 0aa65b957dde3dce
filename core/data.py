"""Training examples and their JSONL form.

A :class:`TrainingExample` is ``prompt``, ``response`` and ``metadata``; the metadata holds the gold
answer an evaluator needs (``label``, ``fields``, ``sql`` + ``schema``, ``answer``, ``reference``,
``confidence``...). On disk it is one JSON object per line with the same three keys.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class TrainingExample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(min_length=1)
    response: str = Field(min_length=1)
    metadata: dict[str, Any] = Field(default_factory=dict)

    def to_json(self) -> str:
        """One JSONL line (no newline), keys in a fixed order, so output is byte-stable."""
        return json.dumps(
            {"prompt": self.prompt, "response": self.response, "metadata": self.metadata},
            ensure_ascii=False,
            sort_keys=False,
        )


def parse_split(spec: str) -> tuple[float, ...]:
    """Parse ``"0.8,0.1,0.1"`` into fractions that sum to 1 (train, val, test)."""
    try:
        parts = tuple(float(p) for p in spec.split(","))
    except ValueError:
        raise ValueError(f"--split expects comma-separated numbers, got '{spec}'") from None
    if len(parts) != 3 or any(p < 0 for p in parts) or abs(sum(parts) - 1.0) > 1e-6:
        raise ValueError(f"--split expects three non-negative fractions summing to 1 (train,val,test), got '{spec}'")
    return parts


class SplitAssigner:
    """Deterministic interleaved split assignment with exact proportions (largest deficit first)."""

    NAMES = ("train", "val", "test")

    def __init__(self, fractions: tuple[float, ...]):
        self.fractions = fractions
        self.counts = [0] * len(fractions)
        self.seen = 0

    def next(self) -> str:
        self.seen += 1
        deficits = [f * self.seen - c for f, c in zip(self.fractions, self.counts)]
        k = max(range(len(deficits)), key=lambda i: (deficits[i], -i))
        self.counts[k] += 1
        return self.NAMES[k]
