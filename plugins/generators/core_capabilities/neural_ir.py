"""neural_ir: the arithmetic of neural gates, all computed exactly.

Sigmoid gates, entropy (nats), temperature softmax, straight-through estimators, Gumbel-softmax
with explicit noise, and soft logic on probabilities (AND = a*b, OR = a + b - a*b, NOT = 1 - a).
"""

from __future__ import annotations

import math

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.plugins.generators.core_capabilities.common import pick_template
from simplex_training.specialist import Specialist


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def softmax(values: list[float]) -> list[float]:
    m = max(values)
    exps = [math.exp(v - m) for v in values]
    s = sum(exps)
    return [e / s for e in exps]


def _num(x: float, d: int) -> str:
    """Fixed-point text of ``x`` with ``d`` decimals, without a negative zero."""
    s = f"{x:.{d}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def _par(x: float) -> str:
    """A number for use after a minus sign: negative values in parentheses."""
    return f"({x})" if x < 0 else str(x)


def _tenth(ctx: GenContext, lo: int, hi: int) -> float:
    """A value with one decimal in [lo/10, hi/10]."""
    return ctx.randint(lo, hi) / 10


CLASS_NAMES = ("A", "B", "C", "D")
TEMPS = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0)


class NeuralIRGenerator(Generator):
    """Gate and soft-logic arithmetic with stated rounding; steps show the intermediate values."""

    name = "neural_ir"
    task_type = "reasoning"
    phrasings = 4

    FRAMES = (
        "{task}",
        "Neural IR exercise. {task}",
        "Compute the following and show the steps.\n{task}",
        "{task}\nGive the final value after 'Answer:'.",
    )

    def _gate(self, ctx: GenContext, d: int) -> tuple[str, list[str], str, float]:
        x, th = _tenth(ctx, -20, 30), _tenth(ctx, -10, 20)
        t = ctx.choice(TEMPS)
        z = (x - th) / t
        y = sigmoid(z)
        task = (f"A soft threshold gate outputs sigmoid((x - threshold)/T). With x = {x}, threshold = {th} and "
                f"temperature T = {t}, what is the gate output? Round to {d} decimals.")
        steps = [f"z = ({x} - {_par(th)})/{t} = {_num(z, 4)}",
                 f"sigmoid({_num(z, 4)}) = 1/(1 + e^({_num(-z, 4)})) = {_num(y, d + 1)}"]
        return task, steps, _num(y, d), y

    def _entropy(self, ctx: GenContext, d: int) -> tuple[str, list[str], str, float]:
        n = ctx.level(2, 3, 4)
        while True:
            cuts = sorted(ctx.sample(range(1, 100), n - 1))
            probs = [b - a for a, b in zip([0, *cuts], [*cuts, 100])]
            if all(p >= 2 for p in probs):
                break
        ps = [p / 100 for p in probs]
        h = -sum(p * math.log(p) for p in ps)
        plist = ", ".join(f"{p:.2f}" for p in ps)
        task = (f"Compute the entropy H = -sum p ln p (natural log, in nats) of the distribution [{plist}]. "
                f"Round to {d} decimals.")
        terms = " + ".join(f"{-p * math.log(p):.4f}" for p in ps)
        steps = [f"-p ln p terms: {terms}", f"H = {_num(h, d + 1)} nats"]
        return task, steps, _num(h, d), h

    def _softmax(self, ctx: GenContext, d: int) -> tuple[str, list[str], str, float]:
        n = ctx.level(2, 3, 4)
        logits = [_tenth(ctx, -20, 30) for _ in range(n)]
        t = ctx.choice(TEMPS[2:])
        target = ctx.randint(0, n - 1)
        probs = softmax([z / t for z in logits])
        names = CLASS_NAMES[:n]
        lst = ", ".join(f"{c}={z}" for c, z in zip(names, logits))
        task = (f"Logits: {lst}. Apply softmax with temperature T = {t}. What probability does class {names[target]} "
                f"get? Round to {d} decimals.")
        scaled = ", ".join(_num(z / t, 2) for z in logits)
        steps = [f"z/T = [{scaled}]", "softmax = [" + ", ".join(_num(p, 4) for p in probs) + "]"]
        return task, steps, _num(probs[target], d), probs[target]

    def _ste(self, ctx: GenContext, d: int) -> tuple[str, list[str], str, float]:
        x, th = _tenth(ctx, -10, 30), _tenth(ctx, 0, 20)
        t = ctx.choice(TEMPS[1:])
        z = (x - th) / t
        s = sigmoid(z)
        fwd = 1 if x >= th else 0
        grad = s * (1 - s) / t
        task = (f"A straight-through estimator uses the hard threshold 1[x >= threshold] in the forward pass and "
                f"the gradient of sigmoid((x - threshold)/T) in the backward pass. For x = {x}, threshold = {th}, "
                f"T = {t}: give the forward value and the backward gradient (round to {d} decimals).")
        steps = [f"forward: {x} {'>=' if fwd else '<'} {th}, so output {fwd}",
                 f"z = {_num(z, 4)}, sigmoid(z) = {_num(s, 4)}",
                 f"gradient = s(1 - s)/T = {_num(s, 4)} x {_num(1 - s, 4)} / {t} = {_num(grad, d + 1)}"]
        answer = f"forward {fwd}, backward {_num(grad, d)}"
        return task, steps, answer, grad

    def _gumbel(self, ctx: GenContext, d: int) -> tuple[str, list[str], str, float | None]:
        n = ctx.level(2, 3, 3)
        names = CLASS_NAMES[:n]
        while True:
            logits = [_tenth(ctx, -10, 20) for _ in range(n)]
            us = [ctx.randint(5, 95) / 100 for _ in range(n)]
            gs = [-math.log(-math.log(u)) for u in us]
            t = ctx.choice((0.5, 1.0, 2.0))
            ys = softmax([(z + g) / t for z, g in zip(logits, gs)])
            order = sorted(range(n), key=lambda i: -ys[i])
            if ys[order[0]] - ys[order[1]] > 0.01:
                break
        best = order[0]
        lst = ", ".join(f"{c}={z}" for c, z in zip(names, logits))
        ulst = ", ".join(f"{u:.2f}" for u in us)
        ask_prob = ctx.randint(0, 1) == 1
        ask = (f"What is the soft probability y of class {names[best]}? Round to {d} decimals." if ask_prob else
               "Which class does the hard (argmax) sample select?")
        task = (f"Gumbel-softmax with logits {lst}, uniform draws u = [{ulst}] and tau = {t}. "
                f"Use g = -ln(-ln u) and y = softmax((logits + g)/tau). {ask}")
        steps = ["g = [" + ", ".join(_num(g, 3) for g in gs) + "]",
                 "y = [" + ", ".join(_num(y, 4) for y in ys) + "]",
                 f"argmax is class {names[best]}"]
        if ask_prob:
            return task, steps, _num(ys[best], d), ys[best]
        return task, steps, names[best], None

    def _logic(self, ctx: GenContext, d: int) -> tuple[str, list[str], str, float]:
        a, b, c = (ctx.randint(1, 99) / 100 for _ in range(3))
        forms = ctx.level(
            ("A AND B", "A OR B", "NOT A"),
            ("A AND NOT B", "NOT A OR B", "NOT (A AND B)", "A OR B"),
            ("(A OR B) AND NOT C", "(A AND B) OR C", "NOT (A OR B) AND C", "(A AND NOT B) OR (NOT A AND B)"),
        )
        expr = ctx.choice(forms)
        na, nb, nc = 1 - a, 1 - b, 1 - c

        def por(p: float, q: float) -> float:
            return p + q - p * q

        steps: list[str]
        if expr == "A AND B":
            v, steps = a * b, [f"{a} x {b}"]
        elif expr == "A OR B":
            v, steps = por(a, b), [f"{a} + {b} - {a} x {b}"]
        elif expr == "NOT A":
            v, steps = na, [f"1 - {a}"]
        elif expr == "A AND NOT B":
            v, steps = a * nb, [f"NOT B = {_num(nb, 2)}", f"{a} x {_num(nb, 2)}"]
        elif expr == "NOT A OR B":
            v, steps = por(na, b), [f"NOT A = {_num(na, 2)}", f"{_num(na, 2)} + {b} - {_num(na, 2)} x {b}"]
        elif expr == "NOT (A AND B)":
            v, steps = 1 - a * b, [f"A AND B = {_num(a * b, 4)}", f"1 - {_num(a * b, 4)}"]
        elif expr == "(A OR B) AND NOT C":
            o = por(a, b)
            v, steps = o * nc, [f"A OR B = {_num(o, 4)}", f"NOT C = {_num(nc, 2)}", f"{_num(o, 4)} x {_num(nc, 2)}"]
        elif expr == "(A AND B) OR C":
            ab = a * b
            v, steps = por(ab, c), [f"A AND B = {_num(ab, 4)}", f"{_num(ab, 4)} + {c} - {_num(ab, 4)} x {c}"]
        elif expr == "NOT (A OR B) AND C":
            o = por(a, b)
            v, steps = (1 - o) * c, [f"A OR B = {_num(o, 4)}", f"NOT = {_num(1 - o, 4)}", f"{_num(1 - o, 4)} x {c}"]
        else:  # soft XOR
            l, r = a * nb, na * b
            v, steps = por(l, r), [f"A AND NOT B = {_num(l, 4)}", f"NOT A AND B = {_num(r, 4)}",
                                   f"{_num(l, 4)} + {_num(r, 4)} - {_num(l, 4)} x {_num(r, 4)}"]
        steps[-1] += f" = {_num(v, d + 1)}"
        uses_c = "C" in expr
        vals = f"A = {a}, B = {b}" + (f", C = {c}" if uses_c else "")
        task = (f"Soft logic on probabilities: AND = a*b, OR = a + b - a*b, NOT = 1 - a. With {vals}, evaluate "
                f"{expr}. Round to {d} decimals.")
        return task, steps, _num(v, d), v

    def example(self, ctx: GenContext) -> TrainingExample:
        families = (self._gate, self._entropy, self._softmax, self._ste, self._gumbel, self._logic)
        family = ctx.choice(families)
        d = ctx.choice((2, 3, 3, 4))
        task, steps, answer, value = family(ctx, d)
        k, tpl = pick_template(ctx, self.FRAMES)
        prompt = tpl.format(task=task)
        response = "\n".join(steps) + f"\nAnswer: {answer}"
        meta = {"answer": answer, "family": family.__name__.lstrip("_"), "decimals": d, "phrasing": k}
        if value is not None:
            meta["numeric_answer"] = float(_num(value, d))
        return TrainingExample(prompt=prompt, response=response, metadata=meta)


neural_ir = Specialist("neural_ir", NeuralIRGenerator)
