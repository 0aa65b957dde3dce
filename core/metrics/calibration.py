"""Confidence calibration: parsing stated confidences, ECE, Brier score, accuracy.

Parsing (the original's conventions, original-system.md §4.2)
    The regexes of the original ``evaluate_model.py``, tried in order: ``[confidence: x]``,
    ``confidence: x`` (any case), ``Confidence: x``, ``(NN% confidence)``; the last occurrence of
    the first pattern that matches is used. A value > 1 is a percentage (divided by 100); the
    result is clamped to [0, 1].

Metrics
    * ECE, expected calibration error (Naeini, Cooper & Hauskrecht, "Obtaining Well Calibrated
      Probabilities Using Bayesian Binning", AAAI 2015; Guo et al., "On Calibration of Modern Neural
      Networks", ICML 2017): 10 equal-width bins ``(lo, hi]`` (as in the original; a confidence of
      exactly 0 goes to the first bin), ECE = sum_b (n_b / N) |acc_b - conf_b|.
    * Brier score (Brier, "Verification of forecasts expressed in terms of probability", 1950),
      binary form for the stated answer: mean (c - y)^2.
    * accuracy = mean y.
    Lower ECE/Brier is better. Fix with respect to the original: ECE is not reported as passing
    when it is *high*, and unanswerable questions do not get a made-up correctness of 0.5.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Sequence

N_BINS = 10
_PATTERNS = (
    re.compile(r"\[confidence:\s*([\d.]+)\s*%?\s*\]", re.IGNORECASE),
    re.compile(r"confidence:\s*([\d.]+)", re.IGNORECASE),
    re.compile(r"Confidence:\s*([\d.]+)"),
    re.compile(r"\((\d+(?:\.\d+)?)%\s*confidence\)", re.IGNORECASE),
)


def parse_confidence(text: str | None) -> float | None:
    """The stated confidence in [0, 1], or ``None`` when the text states none."""
    if not text:
        return None
    for pattern in _PATTERNS:
        values = []
        for m in pattern.finditer(text):
            raw = m.group(1).rstrip(".")
            try:
                values.append(float(raw))
            except ValueError:
                continue
        values = [v for v in values if math.isfinite(v)]
        if values:
            v = values[-1]
            if v > 1.0:
                v /= 100.0
            return min(1.0, max(0.0, v))
    return None


def _check(confidences: Sequence[float], correct: Sequence[bool | float]) -> None:
    if len(confidences) != len(correct):
        raise ValueError(f"{len(confidences)} confidences but {len(correct)} outcomes")
    for c in confidences:
        if not 0.0 <= c <= 1.0:
            raise ValueError(f"confidence {c} outside [0, 1]")


def bin_index(confidence: float, n_bins: int = N_BINS) -> int:
    """Bin of ``confidence`` for equal-width bins ``(lo, hi]``; 0 falls into the first bin.

    Compares with the edges ``k / n_bins`` themselves, so 0.3 lands in (0.2, 0.3] despite floats.
    """
    edges = [k / n_bins for k in range(1, n_bins + 1)]
    return min(bisect_left(edges, confidence), n_bins - 1)


def reliability_bins(confidences: Sequence[float], correct: Sequence[bool | float],
                     n_bins: int = N_BINS) -> list[tuple[int, float, float]]:
    """Per bin: (count, mean confidence, accuracy); empty bins give (0, 0.0, 0.0)."""
    _check(confidences, correct)
    sums = [[0, 0.0, 0.0] for _ in range(n_bins)]
    for c, y in zip(confidences, correct):
        b = sums[bin_index(c, n_bins)]
        b[0] += 1
        b[1] += c
        b[2] += float(y)
    return [(int(n), s / n if n else 0.0, a / n if n else 0.0) for n, s, a in sums]


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool | float],
                               n_bins: int = N_BINS) -> float:
    if not confidences:
        raise ValueError("ECE of an empty set is undefined")
    total = len(confidences)
    return sum(n / total * abs(acc - conf) for n, conf, acc in reliability_bins(confidences, correct, n_bins) if n)


def brier_score(confidences: Sequence[float], correct: Sequence[bool | float]) -> float:
    _check(confidences, correct)
    if not confidences:
        raise ValueError("Brier score of an empty set is undefined")
    return sum((c - float(y)) ** 2 for c, y in zip(confidences, correct)) / len(confidences)


def accuracy(correct: Sequence[bool | float]) -> float:
    return sum(float(y) for y in correct) / len(correct) if correct else 0.0
