"""Content tests for the logical_reasoning generator
(plugins/generators/reasoning/logical_reasoning.py): an independent solver that reads only the
prompt."""

from __future__ import annotations

import re
import statistics
from itertools import product

import pytest

from simplex_training.generator import DIFFICULTIES as DIFFS
from simplex_training.pluginmanager import get_host
from simplex_training.plugins.generators.reasoning.logical_reasoning import CATEGORIES


def gen(sid):
    return get_host().registry("generators")[sid]


def last_answer(response: str) -> str:
    assert "\nAnswer: " in response
    return response.rsplit("\nAnswer: ", 1)[1]


SINGULAR = {s: p for s, p in CATEGORIES}


def solve_syllogism_text(prompt: str) -> str:
    alls = re.findall(r"All ([a-z ]+?) are ([a-z ]+?)\.", prompt)
    nos = re.findall(r"No ([a-z ]+?) are ([a-z ]+?)\.", prompt)
    person, start = re.search(r"([A-Z][\w'-]+) is an? ([a-z ]+?)\.", prompt).groups()
    target = re.search(r"Is [\w'-]+ an? ([a-z ]+?)\?", prompt).group(1)
    known = {SINGULAR[start]}
    changed = True
    while changed:
        changed = False
        for a, b in alls:
            if a in known and b not in known:
                known.add(b)
                changed = True
    t = SINGULAR[target]
    if t in known:
        return "yes"
    if any((a in known and b == t) or (b in known and a == t) for a, b in nos):
        return "no"
    return "cannot be determined"


def solve_ordering_text(prompt: str) -> str:
    rels = {"taller": "shorter", "older": "younger", "faster": "slower", "heavier": "lighter"}
    greater = set()
    for a, comp, b in re.findall(r"([A-Z][\w'-]+) is (\w+) than ([A-Z][\w'-]+)\.", prompt):
        if comp in rels:
            greater.add((a, b))
        else:
            greater.add((b, a))
    changed = True
    while changed:  # transitive closure
        changed = False
        for (a, b), (c, d) in product(list(greater), list(greater)):
            if b == c and (a, d) not in greater:
                greater.add((a, d))
                changed = True
    people = {x for pair in greater for x in pair}
    wins = {p: sum(1 for a, _ in greater if a == p) for p in people}
    q = re.search(r"Who is the (\w+)\?", prompt)
    if q:
        top = q.group(1) in ("tallest", "oldest", "fastest", "heaviest")
        return max(wins, key=wins.get) if top else min(wins, key=wins.get)
    x, comp, y = re.search(r"Is ([A-Z][\w'-]+) (\w+) than ([A-Z][\w'-]+)\?", prompt).groups()
    return "yes" if (x, y) in greater else "no"


def solve_knights_text(prompt: str) -> str:
    said = re.findall(r"([A-Z][\w'-]+) says: \"([^\"]+)\"", prompt)
    names = [s for s, _ in said]
    mentioned = set(re.findall(r"\b([A-Z][\w'-]+)\b", " ".join(t for _, t in said))) - {"At", "I"}
    names = list(dict.fromkeys(names + sorted(mentioned)))

    def holds(speaker, text, w):
        if m := re.fullmatch(r"(\S+) is a liar\.", text):
            return not w[m[1]]
        if m := re.fullmatch(r"(\S+) is a truth-teller\.", text):
            return w[m[1]]
        if m := re.fullmatch(r"(\S+) and I are the same type\.", text):
            return w[m[1]] == w[speaker]
        if m := re.fullmatch(r"(\S+) and I are different types\.", text):
            return w[m[1]] != w[speaker]
        if m := re.fullmatch(r"(\S+) and (\S+) are both truth-tellers\.", text):
            return w[m[1]] and w[m[2]]
        if m := re.fullmatch(r"At least one of (\S+) and me is a liar\.", text):
            return not (w[m[1]] and w[speaker])
        raise AssertionError(text)

    sols = []
    for values in product((True, False), repeat=len(names)):
        w = dict(zip(names, values))
        if all(holds(s, t, w) == w[s] for s, t in said):
            sols.append(w)
    assert len(sols) == 1, (prompt, sols)
    w = sols[0]
    if "Who is it?" in prompt:
        liars = [n for n in names if not w[n]]
        assert len(liars) == 1
        return liars[0]
    who = re.search(r"Is ([A-Z][\w'-]+) a truth-teller\?", prompt).group(1)
    return "yes" if w[who] else "no"


@pytest.mark.parametrize("difficulty", DIFFS)
def test_logic_answers_resolved_from_the_prompt(difficulty):
    seen = set()
    for ex in gen("logical_reasoning").generate(400, seed=6, difficulty=difficulty):
        family = ex.metadata["family"]
        solver = {"syllogism": solve_syllogism_text, "ordering": solve_ordering_text,
                  "knights": solve_knights_text}[family]
        got = solver(ex.prompt)
        assert got == ex.metadata["answer"] == last_answer(ex.response), (ex.prompt, ex.response, got)
        seen.add((family, got if got in ("yes", "no", "cannot be determined") else "name"))
    # every answer type occurs
    assert {("syllogism", "yes"), ("syllogism", "no"), ("syllogism", "cannot be determined"),
            ("ordering", "name"), ("knights", "yes"), ("knights", "no")} <= seen


def test_logic_difficulty_grows_the_puzzles():
    g = gen("logical_reasoning")
    size = {}
    for d in DIFFS:
        exs = [e for e in g.generate(300, seed=7, difficulty=d) if e.metadata["family"] == "ordering"]
        size[d] = statistics.mean(len(e.metadata["puzzle"]["people"]) for e in exs)
    assert size["easy"] < size["medium"] < size["hard"]
