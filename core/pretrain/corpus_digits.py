"""The digits corpus: numbers written by place value and sums and differences worked column by column.

A 4-layer base reads a number as a run of digit tokens. Its fine-tuned specialists could not pick
the digit at a given place (for 28240 + 5014 an adapter wrote the tens column as ``1+1``), so no
answer format taught them multi-digit sums (docs/results.md). These lessons address digits by the
*name* of their place instead of by position:

* ``place``: the digit of a number at a named place (``What is the tens digit of 28240?`` -> ``4``);
* ``expand``: a number by place value (``28240 = 2 ten-thousands, 8 thousands, 2 hundreds, 4 tens,
  0 units``);
* ``add`` / ``sub``: both numbers expanded, then one line per column from the units up, with the
  carry or borrow, the digits read from the top and the result (:func:`add_columns`,
  :func:`sub_columns`);
* ``fact``: one column's sum with a carry, or a difference of digits.

Numbers have 2 to 6 digits, each length equally likely. The answers are computed with Python
integers and re-checked by ``tests/core/pretrain/test_corpus_digits.py``.
"""

from __future__ import annotations

import random
from collections.abc import Callable

PLACES = ("units", "tens", "hundreds", "thousands", "ten-thousands", "hundred-thousands", "millions")


def _number(r: random.Random) -> int:
    k = r.randint(2, 6)
    return r.randint(10 ** (k - 1), 10 ** k - 1)


def expand(n: int) -> str:
    """``n`` by place value, highest place first."""
    d = str(n)
    return f"{n} = " + ", ".join(f"{c} {PLACES[len(d) - 1 - i]}" for i, c in enumerate(d))


def _digit(n: int, place: int) -> int:
    return n // 10 ** place % 10


def add_columns(a: int, b: int) -> str:
    """``a + b`` worked column by column from the units up."""
    lines, digits, carry = [expand(a), expand(b)], [], 0
    for i in range(max(len(str(a)), len(str(b)))):
        x, y = _digit(a, i), _digit(b, i)
        s = x + y + carry
        lines.append(f"{PLACES[i]}: {x}+{y}+{carry}={s}, write {s % 10}, carry {s // 10}")
        digits.append(s % 10)
        carry = s // 10
    if carry:
        lines.append(f"{PLACES[len(digits)]}: carry {carry}")
        digits.append(carry)
    return "\n".join(lines) + f"\nDigits from the top: {' '.join(map(str, reversed(digits)))}\nAnswer: {a + b}"


def sub_columns(a: int, b: int) -> str:
    """``a - b`` (``a >= b``) worked column by column from the units up, borrowing where needed."""
    if a < b:
        raise ValueError(f"sub_columns needs a >= b, got {a} - {b}")
    lines, digits, borrow = [expand(a), expand(b)], [], 0
    for i in range(len(str(a))):
        x, y = _digit(a, i), _digit(b, i)
        top = x - borrow
        if top < y:
            lines.append(f"{PLACES[i]}: {x}-{borrow}={top}, borrow: {top + 10}-{y}={top + 10 - y}, "
                         f"write {top + 10 - y}, borrow 1")
            digits.append(top + 10 - y)
            borrow = 1
        else:
            lines.append(f"{PLACES[i]}: {x}-{borrow}={top}, {top}-{y}={top - y}, write {top - y}, borrow 0")
            digits.append(top - y)
            borrow = 0
    return "\n".join(lines) + f"\nDigits from the top: {' '.join(map(str, reversed(digits)))}\nAnswer: {a - b}"


def _l_place(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    n = _number(r)
    i = r.randrange(len(str(n)))
    q = r.choice(("What is the {p} digit of {n}?", "Which digit of {n} is in the {p} place?", "{n}: {p} digit?"))
    return q.format(p=PLACES[i], n=n), str(_digit(n, i))


def _l_expand(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    n = _number(r)
    return r.choice(("Write {n} by place value.", "Expand {n} into places.", "Place values of {n}?")).format(n=n), expand(n)


def _l_add(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    a, b = _number(r), _number(r)
    q = r.choice(("Add {a} + {b} column by column.", "Work out {a} + {b} by columns.", "{a} + {b}, in columns:"))
    return q.format(a=a, b=b), add_columns(a, b)


def _l_sub(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    a, b = sorted((_number(r), _number(r)), reverse=True)
    q = r.choice(("Subtract {b} from {a} column by column.", "Work out {a} - {b} by columns.", "{a} - {b}, in columns:"))
    return q.format(a=a, b=b), sub_columns(a, b)


def _l_fact(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    x, y, c = r.randint(0, 9), r.randint(0, 9), r.randint(0, 1)
    if r.random() < 0.5:
        s = x + y + c
        return f"{x}+{y}+{c}=?", f"{x}+{y}+{c}={s}, write {s % 10}, carry {s // 10}"
    return f"{x}-{y}-{c}=?", f"{x - y - c}"


DIGITS_LESSON_KINDS: dict[str, Callable[..., tuple[str, str]]] = {
    "place": _l_place, "expand": _l_expand, "add": _l_add, "sub": _l_sub, "fact": _l_fact}
