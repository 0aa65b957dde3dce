"""The reading stage's lessons: every answer is right and, where it is a copy, copied from the prompt."""

import itertools
import json
import re

from simplex_training.pretrain.corpus import documents, lessons, reading_kinds
from simplex_training.pretrain.corpus_reading import READING_DOCUMENT_KINDS, READING_LESSON_KINDS


def _reading_lessons(n, seed=0):
    return list(itertools.islice(lessons(seed, kinds=list(READING_LESSON_KINDS.values())), n))


def test_reading_stream_is_deterministic_and_mixes_old_and_new_kinds():
    doc_kinds, lesson_kinds = reading_kinds()
    assert len(doc_kinds) > len(READING_DOCUMENT_KINDS) and len(lesson_kinds) > len(READING_LESSON_KINDS)
    a = list(itertools.islice(lessons(5, kinds=lesson_kinds), 200))
    assert a == list(itertools.islice(lessons(5, kinds=lesson_kinds), 200))
    d = list(itertools.islice(documents(5, kinds=doc_kinds), 200))
    assert any(x.startswith("CREATE TABLE") for x in d) and any("In short:" in x for x in d)


def test_copy_answers_come_from_the_prompt():
    seen = set()
    for prompt, answer in _reading_lessons(1500):
        if prompt.startswith("Text: ") or "Answer with words from the text." in prompt:
            seen.add("span")
            assert answer in prompt.split("\n")[0] if prompt.startswith("Text: ") else answer in prompt
        elif prompt.startswith("Which ") and "appear in this text?" in prompt:
            seen.add("list")
            items = json.loads(answer) if answer.startswith("[") else answer.split(", ")
            assert all(x in prompt for x in items)
        elif prompt.startswith("Turn these lines into one JSON object:"):
            seen.add("record")
            for k, v in json.loads(answer).items():
                assert f"{k}: {v}" in prompt
        elif "which word comes right after" in prompt:
            seen.add("after")
            words = re.match(r"In '(.*)', which word comes right after '(.*)'\?", prompt)
            ws = words.group(1).split()
            assert ws[ws.index(words.group(2)) + 1] == answer
    assert seen == {"span", "list", "record", "after"}


def test_computed_answers_are_right():
    checked = 0
    for prompt, answer in _reading_lessons(1500, seed=3):
        m = re.fullmatch(r"Compute (\d+) × (\d+)\.", prompt)
        if m:
            a, b = map(int, m.groups())
            assert answer == f"{a} × {b} = {a * b}"
            checked += 1
        m = re.fullmatch(r"Compute (\d+) × (\d+) \+ (\d+)\.", prompt)
        if m:
            a, b, c = map(int, m.groups())
            assert answer.endswith(f"Result: {a * b + c}")
            checked += 1
        m = re.fullmatch(r"Compute (\d+) - (\d+)\.", prompt)
        if m:
            a, b = map(int, m.groups())
            assert answer == f"{a} - {b} = {a - b}" and a >= b
            checked += 1
        m = re.match(r"(.*)\nWhat is the (\w+) of (\w+)\?$", prompt, re.S)
        if m:
            header = m.group(1).splitlines()[0].strip("| ").split(" | ")
            row = next(l for l in m.group(1).splitlines() if l.startswith(f"| {m.group(3)} |"))
            value = row.strip("| ").split(" | ")[header.index(m.group(2))]
            assert answer == f"{m.group(3)}: {m.group(2)} = {value}"
            checked += 1
    assert checked > 200


def test_reading_lessons_avoid_specialist_templates():
    markers = re.compile(r"\b(sentiment|sql|invoice|classify|summar\w*|translate|entities|normalise)\b", re.I)
    for prompt, _ in _reading_lessons(2000):
        assert not markers.search(prompt), prompt
