"""Content tests for the belief_revision generator
(plugins/generators/core_capabilities/belief_revision.py)."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from simplex_training.plugins.generators.core_capabilities.belief_revision import (
    BeliefRevisionGenerator,
)
from simplex_training.plugins.generators.core_capabilities.common import half_up

GEN = BeliefRevisionGenerator()




POSITIVE = ("comes back positive", "flags it", "goes off", "marks it as phishing", "is triggered", "is passed",
            "is tripped", "raises an alert")
NEGATIVE = ("comes back negative", "does not flag it", "stays silent", "lets it through", "is not triggered",
            "is failed", "is intact", "stays quiet")


def _posterior_from_prompt(prompt: str) -> tuple[Fraction, Fraction, int]:
    m = re.search(r" at (\d+)%\.", prompt) or re.search(r"prior of (0\.\d\d)", prompt)
    prior = Fraction(int(m.group(1)), 100) if "%" in m.group(0) else Fraction(m.group(1))
    lr, pieces = Fraction(1), 0
    for n, side in re.findall(r"evidence is (\d+) times as likely if the claim is (true|false)", prompt):
        lr *= Fraction(int(n)) if side == "true" else Fraction(1, int(n))
        pieces += 1
    rates = r"catches (\d+)% of true cases and fires falsely in (\d+)% of other cases\. It ([^.]+)\."
    for h, f, obs in re.findall(rates, prompt):
        h, f = Fraction(int(h), 100), Fraction(int(f), 100)
        assert obs in POSITIVE or obs in NEGATIVE, obs
        lr *= h / f if obs in POSITIVE else (1 - h) / (1 - f)
        pieces += 1
    pieces += prompt.count("equally likely whether or not the claim is true")
    odds = prior / (1 - prior) * lr
    return prior, odds / (1 + odds), pieces


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_belief_revision_posterior_is_bayes(difficulty: str) -> None:
    unchanged = 0
    for ex in GEN.generate(400, seed=5, difficulty=difficulty):
        prior, posterior, pieces = _posterior_from_prompt(ex.prompt)
        assert pieces == (2 if difficulty == "hard" else 1), ex.prompt
        answer = half_up(posterior, 2)
        meta = ex.metadata
        assert meta["answer"] == answer, (ex.prompt, ex.response)
        assert meta["numeric_answer"] == float(answer) == meta["confidence"]
        assert ex.response.endswith(f"Answer: {answer} [confidence: {answer}]")
        if posterior == prior:
            unchanged += 1
            assert answer == half_up(prior, 2)
    # irrelevant / uninformative evidence leaves the belief where it was (hard: both pieces must be)
    assert unchanged >= (20 if difficulty != "hard" else 3)


def test_belief_revision_direction_of_update() -> None:
    for ex in GEN.generate(300, seed=5, difficulty="medium"):
        prior, posterior, _ = _posterior_from_prompt(ex.prompt)
        lrs = [Fraction(x) for x in ex.metadata["likelihood_ratios"]]
        if all(x > 1 for x in lrs):
            assert posterior > prior
        if all(x < 1 for x in lrs):
            assert posterior < prior
