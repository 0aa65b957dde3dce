"""Content tests for the neural_ir generator
(plugins/generators/core_capabilities/neural_ir.py)."""

from __future__ import annotations

import math
import re

import pytest

from simplex_training.plugins.generators.core_capabilities.neural_ir import (
    NeuralIRGenerator,
)

GEN = NeuralIRGenerator()



def _sig(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def _softmax(xs: list[float]) -> list[float]:
    e = [math.exp(x) for x in xs]
    return [v / sum(e) for v in e]


class _P:
    """Probabilities with soft-logic operators (&: product, |: probabilistic sum, ~: complement)."""

    def __init__(self, v: float):
        self.v = v

    def __and__(self, o: _P) -> _P:
        return _P(self.v * o.v)

    def __or__(self, o: _P) -> _P:
        return _P(self.v + o.v - self.v * o.v)

    def __invert__(self) -> _P:
        return _P(1 - self.v)


def _logits(text: str) -> dict[str, float]:
    return {k: float(v) for k, v in re.findall(r"([A-D])=(-?\d+\.\d+)", text)}


def _expected_neural(prompt: str, family: str) -> tuple[float | str, int]:
    d = int(m.group(1)) if (m := re.search(r"round to (\d) decimals", prompt, re.I)) else 0
    if family == "gate":
        rx = r"x = (-?[\d.]+), threshold = (-?[\d.]+) and temperature T = ([\d.]+)"
        x, th, t = map(float, re.search(rx, prompt).groups())
        return _sig((x - th) / t), d
    if family == "entropy":
        ps = [float(p) for p in re.search(r"distribution \[([^\]]+)\]", prompt).group(1).split(", ")]
        assert abs(sum(ps) - 1) < 1e-9
        return -sum(p * math.log(p) for p in ps), d
    if family == "softmax":
        rx = r"Logits: (.+?)\. Apply softmax with temperature T = ([\d.]+)\. What probability does class (\w)"
        logits_text, t, cls = re.search(rx, prompt).groups()
        lg = _logits(logits_text)
        probs = _softmax([v / float(t) for v in lg.values()])
        return probs[list(lg).index(cls)], d
    if family == "ste":
        x, th, t = map(float, re.search(r"For x = (-?[\d.]+), threshold = (-?[\d.]+), T = ([\d.]+):", prompt).groups())
        s = _sig((x - th) / t)
        return (1 if x >= th else 0, s * (1 - s) / t), d  # type: ignore[return-value]
    if family == "gumbel":
        rx = r"logits (.+?), uniform draws u = \[(.+?)\] and tau = ([\d.]+)\."
        logits_text, us, tau = re.search(rx, prompt).groups()
        lg = _logits(logits_text)
        g = [-math.log(-math.log(float(u))) for u in us.split(", ")]
        y = _softmax([(z + gi) / float(tau) for z, gi in zip(lg.values(), g)])
        best = max(range(len(y)), key=lambda i: y[i])
        if "hard (argmax)" in prompt:
            return list(lg)[best], 0
        cls = re.search(r"soft probability y of class (\w)", prompt).group(1)
        assert cls == list(lg)[best]
        return y[list(lg).index(cls)], d
    if family == "logic":
        vals, expr = re.search(r"With (A = .+?), evaluate (.+?)\. Round", prompt).groups()
        env = {k: _P(float(v)) for k, v in re.findall(r"([ABC]) = ([\d.]+)", vals)}
        py = expr.replace("AND", "&").replace("OR", "|").replace("NOT", "~")
        return eval(py, {"__builtins__": {}}, env).v, d  # noqa: S307 - expression built from A/B/C and & | ~
    raise AssertionError(family)


def _close(text: str, value: float, d: int) -> bool:
    return re.fullmatch(rf"-?\d+\.\d{{{d}}}", text) is not None and abs(float(text) - value) <= 0.5 * 10**-d + 1e-9


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_neural_ir_arithmetic(difficulty: str) -> None:
    families = set()
    for ex in GEN.generate(400, seed=5, difficulty=difficulty):
        fam = ex.metadata["family"]
        families.add(fam)
        expected, d = _expected_neural(ex.prompt, fam)
        answer = ex.metadata["answer"]
        assert ex.response.endswith(f"Answer: {answer}")
        if fam == "ste":
            fwd, grad = expected  # type: ignore[misc]
            m = re.fullmatch(r"forward (\d), backward (\S+)", answer)
            assert m and int(m.group(1)) == fwd and _close(m.group(2), grad, d), (ex.prompt, answer)
            assert ex.metadata["numeric_answer"] == float(m.group(2))
        elif isinstance(expected, str):
            assert answer == expected, (ex.prompt, answer)
        else:
            assert _close(answer, expected, d), (ex.prompt, answer, expected)
            assert ex.metadata["numeric_answer"] == float(answer)
        if fam == "entropy":
            assert "nats" in ex.prompt and "nats" in ex.response
    assert families == {"gate", "entropy", "softmax", "ste", "gumbel", "logic"}


def test_neural_ir_difficulty_grows_problems() -> None:
    def sizes(d: str) -> float:
        exs = [e for e in GEN.generate(300, seed=5, difficulty=d) if e.metadata["family"] in ("softmax", "entropy")]
        return sum(len(re.findall(r"[A-D]=|\d\.\d\d(?=[,\]])", e.prompt)) for e in exs) / len(exs)

    assert sizes("easy") < sizes("medium") < sizes("hard")
