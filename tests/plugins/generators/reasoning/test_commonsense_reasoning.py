"""Content tests for the commonsense_reasoning generator
(plugins/generators/reasoning/commonsense_reasoning.py)."""

from __future__ import annotations

import re

import pytest

from simplex_training.generator import DIFFICULTIES as DIFFS
from simplex_training.pluginmanager import get_host
from simplex_training.plugins.generators.reasoning.commonsense_reasoning import (
    COMMONSENSE,
    CS_DISTRACTORS,
)


def gen(sid):
    return get_host().registry("generators")[sid]


def template_re(template: str) -> re.Pattern:
    parts = re.split(r"\{[a-z0-9_]+\}", template)
    return re.compile(".+?".join(re.escape(p) for p in parts))


def test_commonsense_table_is_consistent():
    for sit, question, answer, reason, objs in COMMONSENSE:
        assert answer and reason and len(objs) >= 3
        if ":" in question and "{obj}" in question:  # multiple choice: the answer is always an option
            for o in objs:
                assert answer in o
        if ":" in question and "{obj}" not in question:
            assert answer in question


@pytest.mark.parametrize("difficulty", DIFFS)
def test_commonsense_answer_is_the_tabled_fact(difficulty):
    n_extra = {"easy": 0, "medium": 1, "hard": 2}[difficulty]
    for ex in gen("commonsense_reasoning").generate(300, seed=8, difficulty=difficulty):
        sit, question, answer, reason, objs = COMMONSENSE[ex.metadata["fact"]]
        assert ex.metadata["answer"] == answer
        assert ex.response == f"{reason}\nAnswer: {answer}"
        used = [o for o in objs if o in ex.prompt]
        assert used, ex.prompt
        # the situation sentence is present, plus exactly the difficulty's number of distractors
        assert any(template_re(sit.replace("{obj}", o)).search(ex.prompt) for o in used), ex.prompt
        distractors = sum(bool(template_re(d).search(ex.prompt)) for d in CS_DISTRACTORS)
        assert distractors == n_extra, ex.prompt


def test_commonsense_known_facts():
    # spot checks against the plain physics the table encodes
    facts = {q: a for s, q, a, r, o in COMMONSENSE}
    assert facts["What is the water like the next morning?"] == "frozen"
    assert facts["Did it float or sink?"] in ("it sank", "it floated")
    by_sit = {s: a for s, q, a, r, o in COMMONSENSE}
    assert by_sit["{n} let go of {obj} outdoors."] == "up"  # helium balloon
    assert by_sit["{n} let go of {obj} while standing in the garden."] == "down"
