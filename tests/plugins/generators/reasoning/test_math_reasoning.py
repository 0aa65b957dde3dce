"""Content tests for the math_reasoning generator (plugins/generators/reasoning/math_reasoning.py)."""

from __future__ import annotations

import re
import statistics
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from simplex_training.generator import DIFFICULTIES as DIFFS
from simplex_training.pluginmanager import get_host


def gen(sid):
    return get_host().registry("generators")[sid]


def last_answer(response: str) -> str:
    assert "\nAnswer: " in response
    return response.rsplit("\nAnswer: ", 1)[1]


def r2(x) -> Decimal:
    x = Fraction(x)
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def recompute(kind: str, i: dict, difficulty: str) -> Fraction:
    F = Fraction
    if kind == "shopping":
        total = sum((q * F(p).limit_denominator(100) for q, p in zip(i["qty"], i["price"])), F(0))
        if "bill" not in i:
            return total
        return i["bill"] - (total - F(i["coupon"]).limit_denominator(100))
    if kind == "sharing":
        if "k" not in i:
            return F(i["n"] - i["a"] + i["b"])
        start = i["packs"] * i["q"] if "packs" in i else i["n"]
        return F(start - i["a"] - i["b"], i["k"])
    if kind == "wages":
        pay = F(i["rate"] * i["hours"] * i["days"]) + F(3, 2) * i["rate"] * i.get("overtime", 0)
        return pay - i.get("spend", 0)
    if kind == "travel":
        dist = i["v1"] * i["t1"] + i["v2"] * i["t2"]
        if difficulty == "easy":
            return F(dist)
        if "trip" in i:
            return F(i["trip"] - dist)
        return F(r2(F(dist, i["t1"] + i["t2"])))
    if kind == "stock":
        return F(i["start"] + (i["made"] - i["sold"]) * i["days"] - i.get("gift", 0))
    if kind == "discount":
        price = F(i["price"] * i.get("qty", 1))
        sale = price - F(r2(price * i["discount"] / 100))
        if "tax" not in i:
            return sale
        return sale + F(r2(sale * i["tax"] / 100))
    raise AssertionError(kind)


STEP_RE = re.compile(r"^[^:]+: (?P<expr>[0-9.()+\-×÷ ]+) = (?P<val>-?[0-9.]+)$")


@pytest.mark.parametrize("difficulty", DIFFS)
def test_math_answer_recomputed_from_inputs(difficulty):
    for ex in gen("math_reasoning").generate(400, seed=3, difficulty=difficulty):
        md = ex.metadata
        want = recompute(md["problem_type"], md["inputs"], difficulty)
        assert abs(float(want) - md["numeric_answer"]) < 1e-9, (ex.prompt, ex.response)
        assert last_answer(ex.response) == md["answer"]
        assert float(md["answer"]) == md["numeric_answer"]
        assert re.fullmatch(r"\d+|\d+\.\d\d", md["answer"]), md["answer"]  # integer or two decimals
        # every input number was stated in the prompt
        for v in md["inputs"].values():
            for x in v if isinstance(v, list) else [v]:
                if isinstance(x, float) and x:
                    assert f"{x:.2f}" in ex.prompt
                elif isinstance(x, int):
                    assert re.search(rf"(?<![\d.]){x}(?![\d])", ex.prompt), (x, ex.prompt)


@pytest.mark.parametrize("difficulty", DIFFS)
def test_math_every_step_is_correct_arithmetic(difficulty):
    for ex in gen("math_reasoning").generate(300, seed=4, difficulty=difficulty):
        lines = ex.response.split("\n")[:-1]
        assert lines
        last = None
        for line in lines:
            m = STEP_RE.match(line)
            assert m, line
            value = eval(m["expr"].replace("×", "*").replace("÷", "/"))  # digits and operators only
            assert abs(value - float(m["val"])) <= 0.005 + 1e-9, line
            last = m["val"]
        assert float(last) == ex.metadata["numeric_answer"]


def test_math_difficulty_adds_steps():
    g = gen("math_reasoning")
    steps = {d: statistics.mean(e.metadata["steps"] for e in g.generate(300, seed=5, difficulty=d)) for d in DIFFS}
    assert steps["easy"] < steps["medium"] < steps["hard"]
