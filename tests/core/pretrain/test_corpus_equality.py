"""The equality corpus: every answer re-read from its prompt is right, near misses differ, and it is
deterministic."""

import random
import re

import pytest

from simplex_training.pretrain.corpus import _faker, equality_kinds
from simplex_training.pretrain.corpus_equality import EQUALITY_LESSON_KINDS, near_miss, repeated, value


def made(seed: int, n: int = 200) -> list[tuple[str, str, str]]:
    r, f = random.Random(seed), _faker(seed)
    return [(kind, *make(r, f)) for kind, make in EQUALITY_LESSON_KINDS.items() for _ in range(n)]


def first_match(patterns: tuple[str, ...], prompt: str) -> re.Match:
    for p in patterns:
        m = re.fullmatch(p, prompt, re.S)
        if m:
            return m
    raise AssertionError(f"no prompt pattern fits {prompt!r}")


def check_same(prompt: str, answer: str) -> None:
    m = first_match((r"Same value\? (.+) \| (.+)", r"Is (.+) the same as (.+)\?", r"A: (.+)\nB: (.+)\nSame or different\?",
                     r"Compare (.+) with (.+)\."), prompt)
    assert answer == ("same" if m[1] == m[2] else "differs")


def check_claim(prompt: str, answer: str) -> None:
    topic_re = "(founded in|head office in|CEO:|main product:|employees:|invoice|total|contact:|colour:)"
    record = dict(re.findall(rf"^- {topic_re} (.+)$", prompt, re.M))
    m = re.search(rf"(?:Claim|says): {topic_re} (.+?)\.(?: Does| Same|\n|$)", prompt)
    topic, claimed = m[1], m[2]
    truth = record[topic]
    assert answer == f"{topic} {truth} vs {claimed}: {'same' if truth == claimed else 'differs'}"


def check_member(prompt: str, answer: str) -> None:
    m = first_match((r"Is (.+) in this list\?\n(.+)", r"List:\n(.+)\nDoes it contain (.+)\?", r"(.+)\nFind (.+)\."),
                    prompt)
    x, listing = (m[1], m[2]) if prompt.startswith("Is ") else (m[2], m[1])
    items = [i.removeprefix("- ") for i in re.split(r"\n|; | \| ", listing)]
    assert answer == (f"yes, item {items.index(x) + 1}" if x in items else "no")


def check_occurs(prompt: str, answer: str) -> None:
    m = first_match((r'How many times does "(\w+)" occur in: (.+)', r"Text: (.+)\nCount the word (\w+)\.",
                     r"(.+)\nHow often: (\w+)\?"), prompt)
    w, text = (m[1], m[2]) if prompt.startswith("How") else (m[2], m[1])
    n = text.split().count(w)
    assert 0 <= n <= 4 and answer.endswith(f"Count: {n}")
    assert answer.splitlines()[0] == ", ".join(f"{w} {i}" for i in range(1, n + 1)) if n else answer == "Count: 0"


def check_repeated(prompt: str, answer: str) -> None:
    m = first_match((r"Which words occur more than once\? (.+)", r"Text: (.+)\nRepeated words:",
                     r"(.+)\nList the words used twice or more\."), prompt)
    words = m[1].split()
    expected = [w for i, w in enumerate(words) if words.count(w) > 1 and w not in words[:i]]
    assert answer == (", ".join(expected) or "none")


def check_letters(prompt: str, answer: str) -> None:
    marks = dict(re.findall(r"(\w+)=(\w+)", prompt.splitlines()[0]))
    m = re.search(r"Do (\w+) and (\w+) have|\n(\w+) vs (\w+):|Compare (\w+) with (\w+)\.", prompt)
    a, b = [g for g in m.groups() if g]
    assert answer == f"{a}={marks[a]} {b}={marks[b]}: {'same' if marks[a] == marks[b] else 'differs'}"


CHECKS = {"same": check_same, "claim": check_claim, "member": check_member, "occurs": check_occurs,
          "repeated": check_repeated, "letters": check_letters}


def test_every_kind_is_checked():
    assert set(CHECKS) == set(EQUALITY_LESSON_KINDS)


@pytest.mark.parametrize("kind", sorted(EQUALITY_LESSON_KINDS))
def test_every_answer_is_right(kind):
    for k, prompt, answer in made(5):
        if k == kind:
            CHECKS[kind](prompt, answer)


def test_verdicts_are_balanced():
    """About as many "same" as "differs", so the answer cannot be guessed from its kind."""
    answers = [a for k, _, a in made(6, 400) if k in ("same", "claim", "letters")]
    same = sum(a.endswith("same") for a in answers) / len(answers)
    assert 0.35 < same < 0.65


def test_near_misses_differ_and_stay_close():
    r, f = random.Random(3), _faker(3)
    for _ in range(2000):
        v = value(r, f)
        w = near_miss(r, f, v)
        assert w != v
        if any(c.isdigit() for c in v):  # numbers and codes: same length, a digit changed or two swapped
            assert len(w) == len(v) and sum(x != y for x, y in zip(v, w)) <= 2


def test_repeated_keeps_order_of_first_mention():
    assert repeated("grid solar grid tram solar grid".split()) == ["grid", "solar"]
    assert repeated("grid solar tram".split()) == []


def test_deterministic():
    assert made(9, 30) == made(9, 30)
    assert made(9, 30) != made(10, 30)


def test_equality_kinds_keep_the_coverage_material():
    from simplex_training.assets import default_base_path
    from simplex_training.gguf.reader import read_llama_gguf
    from simplex_training.pretrain.corpus import coverage_kinds

    tok = read_llama_gguf(default_base_path())[2]
    docs, less = equality_kinds(tok)
    cov_docs, cov_less = coverage_kinds(tok)
    names = lambda kinds: [k.__qualname__ for k in kinds]  # noqa: E731
    assert names(docs) == names(cov_docs) and names(less[: len(cov_less)]) == names(cov_less)
    new = less[len(cov_less):]
    assert set(new) == set(EQUALITY_LESSON_KINDS.values())
    assert 0.4 <= len(new) / len(less) <= 0.6  # about half of the lessons are new
