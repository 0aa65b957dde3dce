"""The digits corpus: every place, expansion and column line is right, and it is deterministic."""

import random
import re

import pytest

from simplex_training.pretrain.corpus_digits import DIGITS_LESSON_KINDS, PLACES, add_columns, expand, sub_columns

COLUMN_ADD = re.compile(r"^([a-z-]+): (\d)\+(\d)\+([01])=(\d+), write (\d), carry ([01])$")
COLUMN_SUB = re.compile(r"^([a-z-]+): (\d)-([01])=(-?\d), (?:borrow: (\d+)-(\d)=(\d)|(\d)-(\d)=(\d)), write (\d), borrow ([01])$")


def digit(n: int, place: int) -> int:
    return n // 10 ** place % 10


def read_expansion(line: str) -> int:
    n, parts = line.split(" = ")
    value = sum(int(d) * 10 ** PLACES.index(p) for d, p in (x.split(" ") for x in parts.split(", ")))
    assert value == int(n), line
    return value


def test_expansion_names_every_place():
    assert expand(28240) == "28240 = 2 ten-thousands, 8 thousands, 2 hundreds, 4 tens, 0 units"
    for n in (10, 99, 305, 999999, 123456):
        assert read_expansion(expand(n)) == n


@pytest.mark.parametrize("a, b", [(28240, 5014), (999999, 999999), (10, 95), (5014, 968), (100000, 1)])
def test_columns_add_up(a, b):
    lines = add_columns(a, b).splitlines()
    assert read_expansion(lines[0]) == a and read_expansion(lines[1]) == b and lines[-1] == f"Answer: {a + b}"
    carry = 0
    for i, line in enumerate(lines[2:-2]):
        m = COLUMN_ADD.match(line)
        if m is None:
            assert line == f"{PLACES[i]}: carry 1" and carry == 1
            continue
        place, x, y, c, s, w, c2 = m.groups()
        assert (place, int(x), int(y), int(c)) == (PLACES[i], digit(a, i), digit(b, i), carry)
        assert int(s) == int(x) + int(y) + int(c) and int(w) == int(s) % 10 and int(c2) == int(s) // 10
        carry = int(c2)
    assert lines[-2] == "Digits from the top: " + " ".join(str(a + b))


@pytest.mark.parametrize("a, b", [(5014, 968), (1000, 1), (98765, 98765), (70, 69)])
def test_columns_subtract_with_borrows(a, b):
    lines = sub_columns(a, b).splitlines()
    assert lines[-1] == f"Answer: {a - b}"
    assert int(lines[-2].removeprefix("Digits from the top: ").replace(" ", "")) == a - b
    borrow = 0
    for i, line in enumerate(lines[2:-2]):
        m = COLUMN_SUB.match(line)
        assert m, line
        x, b_in, top = int(m[2]), int(m[3]), int(m[4])
        assert (x, b_in, top) == (digit(a, i), borrow, digit(a, i) - borrow)
        borrow = int(m[12])
        w = int(m[11])
        assert w == (top - digit(b, i)) % 10 and borrow == (top < digit(b, i))
    with pytest.raises(ValueError, match="a >= b"):
        sub_columns(3, 4)


def test_every_lesson_is_right_and_deterministic():
    r = random.Random(11)
    made = [(kind, *make(r, None)) for kind, make in DIGITS_LESSON_KINDS.items() for _ in range(300)]
    r = random.Random(11)
    assert made == [(kind, *make(r, None)) for kind, make in DIGITS_LESSON_KINDS.items() for _ in range(300)]
    for kind, prompt, answer in made:
        nums = [int(x) for x in re.findall(r"\d+", prompt)]
        if kind == "place":
            place = next(i for i, p in sorted(enumerate(PLACES), key=lambda t: -len(t[1])) if f" {p} " in f" {prompt} ")
            assert answer == str(digit(nums[0], place))
        elif kind == "expand":
            assert read_expansion(answer) == nums[0]
        elif kind == "add":
            assert answer == add_columns(*nums)
        elif kind == "sub":
            a, b = (nums[0], nums[1]) if "Subtract" not in prompt else (nums[1], nums[0])
            assert answer == sub_columns(a, b)
        else:
            x, y, c = nums
            assert answer.startswith(f"{x}+{y}+{c}={x + y + c}") if "+" in prompt else answer == str(x - y - c)
    lengths = {len(n) for kind, p, _ in made if kind != "fact" for n in re.findall(r"\d+", p)}
    assert lengths == set(range(2, 7))  # 2 to 6 digits, all of them used
