"""Content tests for the confidence_calibration generator
(plugins/generators/core_capabilities/confidence_calibration.py)."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from simplex_training.plugins.generators.core_capabilities.common import half_up
from simplex_training.plugins.generators.core_capabilities.confidence_calibration import (
    ConfidenceCalibrationGenerator,
)
from simplex_training.testing import CONFIDENCE_RE, expected_calibration_error

GEN = ConfidenceCalibrationGenerator()




DECK = [(rank, suit) for rank in range(1, 14) for suit in ("hearts", "diamonds", "clubs", "spades")]
CARD_EVENTS = {
    "a face card (J, Q or K)": lambda r, s: r >= 11,
    "a heart": lambda r, s: s == "hearts",
    "an ace": lambda r, s: r == 1,
    "not a spade": lambda r, s: s != "spades",
    "a number card from 2 to 10": lambda r, s: 2 <= r <= 10,
    "a king or a queen": lambda r, s: r in (12, 13),
    "a red ace": lambda r, s: r == 1 and s in ("hearts", "diamonds"),
}


def _p_yes(prompt: str, family: str) -> Fraction:
    """The probability of 'yes' (or of each colour for urns) recomputed from the prompt text."""
    if family == "frequency":
        n, k = re.search(r"Of the last (\d+) .*?, (\d+) ", prompt).groups()
        return Fraction(int(k), int(n))
    if family == "base_rate":
        return Fraction(int(re.search(r"(\d+)% of", prompt).group(1)), 100)
    if family == "die":
        sides, cond = re.search(r"fair (\d+)-sided die .* Will the result be (.+?)\?", prompt).groups()
        sides = int(sides)
        m = re.match(r"(greater than|at most|at least) (\d+)", cond)
        tests = {"greater than": lambda v, k: v > k, "at most": lambda v, k: v <= k, "at least": lambda v, k: v >= k}
        if m:
            ok = lambda v: tests[m.group(1)](v, int(m.group(2)))  # noqa: E731
        else:
            ok = {"even": lambda v: v % 2 == 0, "a multiple of 3": lambda v: v % 3 == 0}[cond]
        return Fraction(sum(ok(v) for v in range(1, sides + 1)), sides)
    if family == "two_dice":
        m = re.search(r"a sum of at least (\d+)", prompt)
        pairs = [(a, b) for a in range(1, 7) for b in range(1, 7)]
        hits = sum(a + b >= int(m.group(1)) for a, b in pairs) if m else sum(a == b for a, b in pairs)
        assert m or "a double" in prompt
        return Fraction(hits, 36)
    if family == "coins":
        n = int(re.search(r"tossed (\d+) times", prompt).group(1))
        if "at least one head" in prompt:
            return 1 - Fraction(1, 2**n)
        assert f"{n} heads in a row" in prompt
        return Fraction(1, 2**n)
    if family == "cards":
        what = re.search(r"Will it be (.+?)\?", prompt).group(1)
        return Fraction(sum(CARD_EVENTS[what](r, s) for r, s in DECK), 52)
    raise AssertionError(family)


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_calibration_answer_is_the_more_likely_outcome(difficulty: str) -> None:
    families = set()
    for ex in GEN.generate(400, seed=5, difficulty=difficulty):
        meta, prompt = ex.metadata, ex.prompt
        families.add(meta["family"])
        if meta["family"] == "urn":
            listing = re.search(r"holds (.+?) marbles", prompt).group(1)
            counts = [(int(c), col) for c, col in re.findall(r"(\d+) (\w+)", listing)]
            total = sum(c for c, _ in counts)
            if "Will both be" in prompt:
                colour = re.search(r"Will both be (\w+)\?", prompt).group(1)
                c = dict((col, n) for n, col in counts)[colour]
                p_yes = Fraction(c * (c - 1), total * (total - 1))
            else:
                best = max(counts)
                assert sum(1 for c, _ in counts if c == best[0]) == 1
                assert meta["answer"] == best[1]
                assert meta["confidence"] == float(half_up(Fraction(best[0], total), 2))
                continue
        else:
            p_yes = _p_yes(prompt, meta["family"])
        assert p_yes != Fraction(1, 2)
        expected = ("yes", p_yes) if p_yes > Fraction(1, 2) else ("no", 1 - p_yes)
        assert meta["answer"] == expected[0], prompt
        assert meta["confidence"] == float(half_up(expected[1], 2)), prompt
        tag = CONFIDENCE_RE.findall(ex.response)
        assert tag == [f"{meta['confidence']:.2f}"]
        assert ex.response.rstrip().endswith(f"Answer: {meta['answer']} [confidence: {meta['confidence']:.2f}]")
        assert meta["correct"] == (meta["outcome"] == meta["answer"])
    assert len(families) >= 4


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_calibration_confidence_matches_simulated_accuracy(difficulty: str) -> None:
    exs = list(GEN.generate(2000, seed=13, difficulty=difficulty))
    conf = [e.metadata["confidence"] for e in exs]
    correct = [e.metadata["correct"] for e in exs]
    assert expected_calibration_error(conf, correct) <= 0.05
    assert abs(sum(conf) / len(conf) - sum(correct) / len(correct)) < 0.03
    # mostly confident items: a calibrated model can meet the catalog thresholds (accuracy 0.8, Brier 0.2)
    assert sum(conf) / len(conf) >= 0.75
    assert sum((c - k) ** 2 for c, k in zip(conf, correct)) / len(conf) < 0.2
    assert all(c > 0.5 for c, e in zip(conf, exs) if e.metadata["answer"] in ("yes", "no"))
    assert min(conf) > 1 / 3  # the most likely of at most three colours
