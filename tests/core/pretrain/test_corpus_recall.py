"""The recall corpus: every answer re-read from its prompt is right, keys and values are distinct, and
it is deterministic."""

import random
import re

import pytest

from simplex_training.pretrain.corpus import _faker, recall_kinds
from simplex_training.pretrain.corpus_recall import FIELDS, RECALL_LESSON_KINDS, SHAPES, facts


def made(seed: int, n: int = 200) -> list[tuple[str, str, str]]:
    r, f = random.Random(seed), _faker(seed)
    return [(kind, *make(r, f)) for kind, make in RECALL_LESSON_KINDS.items() for _ in range(n)]


def template_re(template: str) -> str:
    """A relation's question as a regex with a group k or v."""
    return re.escape(template).replace(r"\{k\}", "(?P<k>.+)").replace(r"\{v\}", "(?P<v>.+)")



def question_of(prompt: str, which: int) -> tuple[str, str, re.Match]:
    """(the relation's sentence, the prompt without its question, the question's match); ``which``: 1
    for a question asking for the value, 2 for the key."""
    for sentence, *questions in SHAPES.values():
        for line in prompt.splitlines():
            m = re.fullmatch(template_re(questions[which - 1]), line.removeprefix("Question: "))
            if m:
                return sentence, prompt.replace(line, "").strip("\n"), m
    raise AssertionError(f"no question fits {prompt!r}")


def stated(text: str, sentence: str, k: str, v: str) -> bool:
    """Whether the listing states that ``k`` has the value ``v``, as a sentence or a ``k: v`` line."""
    return sentence.format(k=k, v=v) in text or f"{k}: {v}" in text.splitlines()


def check_value(prompt: str, answer: str) -> None:
    sentence, text, m = question_of(prompt, 1)
    assert stated(text, sentence, m["k"], answer)
    assert text.count(m["k"]) == 1  # the key names one fact


def check_key(prompt: str, answer: str) -> None:
    sentence, text, m = question_of(prompt, 2)
    assert stated(text, sentence, answer, m["v"])
    assert text.count(m["v"]) == 1


def check_block(prompt: str, answer: str) -> None:
    *body, question = prompt.splitlines()
    m = re.fullmatch(r"What is the (\w+) in (\w+)\?|In (\w+), what is the (\w+)\?|According to (\w+), which (\w+)\?",
                     question)
    field, block = (m[1], m[2]) if m[1] else (m[4], m[3]) if m[3] else (m[6], m[5])
    blocks: dict[str, dict[str, str]] = {}
    current = None
    for line in body:
        header = re.fullmatch(r'\[(\w+)\]|<hive name="(\w+)">|## (\w+)|(\w+):', line)
        if header and not line.startswith(tuple(f"{k}:" for k in FIELDS)):
            current = next(g for g in header.groups() if g)
            blocks[current] = {}
        elif ": " in line:
            k, v = line.split(": ", 1)
            blocks[current][k] = v
    assert answer == blocks[block][field]


def check_row(prompt: str, answer: str) -> None:
    lines = prompt.splitlines()
    table = [line for line in lines if line.startswith("|")]
    question = next(line for line in lines if not line.startswith("|"))
    head = [c.strip() for c in table[0].strip("|").split("|")]
    rows = [dict(zip(head, (c.strip() for c in line.strip("|").split("|")))) for line in table[2:]]
    m = re.fullmatch(r"What is the (\w+) of (.+)\?|(.+): (\w+)\?|Look up (\w+) for (.+)\.", question)
    column, name = (m[1], m[2]) if m[1] else (m[4], m[3]) if m[3] else (m[5], m[6])
    assert [row[column] for row in rows if row["Name"] == name] == [answer]


def check_line(prompt: str, answer: str) -> None:
    *lines, question = prompt.splitlines()
    key = re.fullmatch(r"(?:Copy the line about|Which line mentions|Quote the line on) (.+?)[.?]", question)[1]
    assert [line for line in lines if line.startswith(key) or f" {key}" in line] == [answer]


CHECKS = {"value": check_value, "key": check_key, "block": check_block, "row": check_row, "line": check_line}


@pytest.mark.parametrize("seed", [1, 2])
def test_every_answer_is_right(seed):
    lessons = made(seed)
    assert {kind for kind, _, _ in lessons} == set(CHECKS)
    for kind, prompt, answer in lessons:
        CHECKS[kind](prompt, answer)


def test_keys_and_values_are_distinct_and_none_contains_another():
    r, f = random.Random(3), _faker(3)
    for _ in range(300):
        _, pairs = facts(r, f)
        keys, values = [k for k, _ in pairs], [v for _, v in pairs]
        assert 2 <= len(pairs) <= 8
        for group in (keys, values):
            assert all(a == b or (a not in b and b not in a) for a in group for b in group)


def test_an_asked_number_of_facts_is_kept():
    r, f = random.Random(4), _faker(4)
    assert {len(facts(r, f, n)[1]) for n in (1, 4, 8) for _ in range(20)} == {1, 4, 8}


def test_deterministic():
    assert made(7, 20) == made(7, 20)


def test_recall_kinds_add_about_as_many_lessons_again():
    from simplex_training.pretrain.corpus import coverage_kinds
    from simplex_training.tokenizer.spm import SPMTokenizer
    from simplex_training.tokenizer.trainer import train_spm

    tok: SPMTokenizer = train_spm(["a small text to learn a vocabulary from, with digits 0123456789"] * 20, 300)
    docs, less = recall_kinds(tok)
    cov_docs, cov_less = coverage_kinds(tok)
    assert [d.__qualname__ for d in docs] == [d.__qualname__ for d in cov_docs]
    added = less[len(cov_less):]
    assert set(added) == set(RECALL_LESSON_KINDS.values())
    assert len(cov_less) - len(RECALL_LESSON_KINDS) < len(added) <= len(cov_less)
