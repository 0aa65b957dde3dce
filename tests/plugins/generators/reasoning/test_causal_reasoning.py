"""Content tests for the causal_reasoning generator
(plugins/generators/reasoning/causal_reasoning.py)."""

from __future__ import annotations

import re

import pytest

from simplex_training.generator import DIFFICULTIES as DIFFS
from simplex_training.pluginmanager import get_host


def gen(sid):
    return get_host().registry("generators")[sid]


def last_answer(response: str) -> str:
    assert "\nAnswer: " in response
    return response.rsplit("\nAnswer: ", 1)[1]


def solve_causal_text(prompt: str) -> str:
    factors = re.search(r"when it is in use: (.+?)\.(?:\s|$)", prompt).group(1).split(", ")
    effect = re.search(r"causes the (.+?), and it always", prompt).group(1)
    tested = dict(re.findall(rf"With (.+?) removed, the {re.escape(effect)} (stopped|still happened)\.", prompt))
    if tested:
        stopped = [f for f, r in tested.items() if r == "stopped"]
        if stopped:
            assert len(stopped) == 1
            return stopped[0]
        left = [f for f in factors if f not in tested]
        assert len(left) == 1
        return left[0]
    rows = re.findall(r"Day \d+: (.+?) -> (no )?" + re.escape(effect) + r"\.", prompt)
    assert rows
    match = [f for f in factors
             if all((f in [x.strip() for x in used.split(",")]) == (neg == "") for used, neg in rows)]
    assert len(match) == 1, (prompt, match)
    return match[0]


@pytest.mark.parametrize("difficulty", DIFFS)
def test_causal_answer_resolved_from_the_evidence(difficulty):
    modes = set()
    for ex in gen("causal_reasoning").generate(300, seed=9, difficulty=difficulty):
        got = solve_causal_text(ex.prompt)
        assert got == ex.metadata["answer"] == last_answer(ex.response), (ex.prompt, got)
        modes.add(ex.metadata["scenario"]["mode"])
        n = {"easy": 2, "medium": 3, "hard": 4}[difficulty]
        assert len(ex.metadata["scenario"]["factors"]) == n
        if difficulty == "hard" and ex.metadata["scenario"]["mode"] == "interventions":
            assert f"With {got} removed" not in ex.prompt  # found by elimination
    assert modes == {"interventions", "records"}
