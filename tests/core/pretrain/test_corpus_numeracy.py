"""The numeracy phase's lessons: every computed answer is right, every copied value is in the prompt."""

import datetime as dt
import itertools
import json
import re
from decimal import Decimal

import pytest

from simplex_training.pretrain.corpus import lessons, numeracy_kinds, reading_kinds
from simplex_training.pretrain.corpus_numeracy import NUMERACY_LESSON_KINDS, add_years, fmt


def _lessons(kind, n=300, seed=0):
    return list(itertools.islice(lessons(seed, kinds=[NUMERACY_LESSON_KINDS[kind]]), n))


def _date(text):
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%B %d, %Y", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    raise AssertionError(f"not a date: {text!r}")


def test_numeracy_stream_keeps_the_reading_material():
    docs, less = numeracy_kinds()
    r_docs, r_less = reading_kinds()
    assert docs[: len(r_docs)] == r_docs and less[: len(r_less)] == r_less
    assert len(less) == len(r_less) + 3 * len(NUMERACY_LESSON_KINDS)


def test_fmt_rounds_half_up_and_never_writes_minus_zero():
    assert fmt(Decimal("2.345"), 2) == "2.35" and fmt(Decimal("-2.345"), 2) == "-2.35"
    assert fmt(Decimal("-0.001"), 2) == "0.00" and fmt(Decimal("7"), 2) == "7.00"


def test_add_years_keeps_the_day_or_uses_the_28th():
    assert add_years(dt.date(2023, 10, 19), 2) == dt.date(2025, 10, 19)
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)


def test_signed_sums_and_differences_are_right():
    for prompt, answer in _lessons("signed"):
        a, op, b, c = re.fullmatch(r"(\S+) ([+-]) (\S+) = (\S+)", answer).groups()
        assert f"{a} {op} {b}" in prompt
        d = len(a.split(".")[1]) if "." in a else 0
        assert c == fmt(Decimal(a) + Decimal(b) if op == "+" else Decimal(a) - Decimal(b), d)


def test_quotients_and_percentages_are_right():
    forms = set()
    for prompt, answer in _lessons("ratio"):
        if m := re.fullmatch(r"Divide (\d+) by (\d+)\. Round to (\d) decimals\.", prompt):
            a, b, d = map(int, m.groups())
            assert answer == f"{a} ÷ {b} = {fmt(Decimal(a) / b, d)}"
            forms.add("divide")
        elif m := re.fullmatch(r"What percentage of (\d+) is (\d+)\? Two decimals\.", prompt):
            b, a = map(int, m.groups())
            assert answer.endswith(f"Result: {fmt(Decimal(a) / b * 100, 2)}%")
            forms.add("share")
        else:
            a, b = map(int, re.fullmatch(r"A value goes from (\d+) to (\d+)\..*", prompt).groups())
            assert answer.splitlines()[0] == f"{b} - {a} = {b - a}"
            assert answer.endswith(f"Result: {fmt(Decimal(b - a) / a * 100, 2)}%")
            forms.add("change")
    assert forms == {"divide", "share", "change"}


def test_comparisons_are_right():
    words = {"more than": lambda x, y: x > y, "at least": lambda x, y: x >= y, "less than": lambda x, y: x < y,
             "at most": lambda x, y: x <= y}
    verdicts = set()
    for prompt, answer in _lessons("compare", 400):
        x, sign, y, verdict = re.fullmatch(r"(\S+) ([<>=]) (\S+), so (yes|no)", answer).groups()
        assert sign == (">" if Decimal(x) > Decimal(y) else "<" if Decimal(x) < Decimal(y) else "=")
        if m := re.fullmatch(r"Is (\S+) (more than|at least|less than|at most) (\S+)\?", prompt):
            assert (m.group(1), m.group(3)) == (x, y)
            assert verdict == ("yes" if words[m.group(2)](Decimal(x), Decimal(y)) else "no")
        else:
            limit, value = re.fullmatch(r"The limit for an? .+ is \$?(\S+)\. This .+ is \$?(\S+)\. Is it within the "
                                        r"limit\?", prompt).groups()
            assert (value, limit) == (x, y) and verdict == ("yes" if Decimal(x) <= Decimal(y) else "no")
        verdicts.add(verdict)
    assert verdicts == {"yes", "no"}


def _values(prompt):
    pairs = re.findall(r"(?:^|; |\. |- )([^:;.\n-][^:;\n]*?)(?:: | has )(\d+)", prompt, flags=re.M)
    return {k.strip(): int(v) for k, v in pairs}


def test_smallest_and_largest_are_right_and_read_out_in_order():
    for prompt, answer in _lessons("extreme"):
        vals = _values(prompt.splitlines()[0])
        read, verdict = answer.splitlines()
        assert read == ", ".join(f"{k} {v}" for k, v in vals.items())
        pick = (min if "lowest" in prompt else max)(vals, key=vals.get)
        assert verdict == f"{'Lowest' if 'lowest' in prompt else 'Highest'}: {pick} ({vals[pick]})"


def test_counts_above_and_below_a_bound_are_right():
    for prompt, answer in _lessons("above"):
        *rows, question = prompt.splitlines()
        vals = dict((k, int(v)) for k, v in (re.fullmatch(r"- (.+): (\d+)", row).groups() for row in rows))
        word, bound = re.fullmatch(r"How many are (above|below) (\d+)\?", question).groups()
        hits = [k for k, v in vals.items() if (v > int(bound) if word == "above" else v < int(bound))]
        assert answer == f"{word.capitalize()} {bound}: {', '.join(hits) or 'none'}\nCount: {len(hits)}"


def test_a_table_column_is_read_out_from_that_column():
    for prompt, answer in _lessons("column"):
        lines = prompt.splitlines()
        header = [c.strip() for c in lines[0].strip("|").split("|")]
        col = re.fullmatch(r"Read out the (\w+) column\.", lines[-1]).group(1)
        rows = [[c.strip() for c in line.strip("|").split("|")] for line in lines[2:-1]]
        assert answer == ", ".join(f"{row[0]} {row[header.index(col)]}" for row in rows)


def test_date_arithmetic_is_right():
    forms = set()
    for prompt, answer in _lessons("dates", 400):
        if m := re.fullmatch(r"Write (.+) as YYYY-MM-DD\.", prompt):
            assert answer == _date(m.group(1)).isoformat()
            forms.add("iso")
        elif m := re.fullmatch(r"What date is (\d+) years? after (.+)\?", prompt):
            n, d = int(m.group(1)), _date(m.group(2))
            assert answer.endswith(f"= {add_years(d, n).isoformat()}")
            forms.add("years")
        elif m := re.fullmatch(r"How many days are there from (.+) to (.+)\?", prompt):
            a, b = _date(m.group(1)), _date(m.group(2))
            assert answer.endswith(f"= {(b - a).days} days")
            forms.add("days")
        else:
            born, on = map(_date, re.fullmatch(r"Someone born on (.+): how old are they on (.+)\?", prompt).groups())
            years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
            assert add_years(born, years) <= on < add_years(born, years + 1)
            assert answer.endswith(f": {years} years")
            forms.add("age")
    assert forms == {"iso", "years", "days", "age"}


def test_roles_are_copied_from_the_text_in_the_order_asked():
    for prompt, answer in _lessons("roles"):
        text, ask = prompt.split("\nFill in ")
        record = json.loads(answer)
        assert list(record) == ask.removesuffix(" as JSON.").split(", ")
        assert all(v in text for v in record.values())


def test_title_case_and_plain_amounts():
    for prompt, answer in _lessons("titlecase"):
        messy = re.fullmatch(r"Title Case, single spaces: '(.*)'", prompt).group(1)
        assert answer == " ".join(w.capitalize() for w in messy.split())
    for prompt, answer in _lessons("plain_amount"):
        shown = re.fullmatch(r"Write (.+) as a plain number with two decimals\.", prompt).group(1)
        digits = re.sub(r"[^\d.]", "", shown)
        assert answer == f"{Decimal(digits):.2f}" and re.fullmatch(r"\d+\.\d\d", answer)


@pytest.mark.parametrize("kind", sorted(NUMERACY_LESSON_KINDS))
def test_every_kind_is_deterministic(kind):
    assert _lessons(kind, 50, seed=7) == _lessons(kind, 50, seed=7)
