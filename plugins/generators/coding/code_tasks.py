"""code_generation and code_documentation: small Python tasks from parametrised families.

Each family has a code template *and* an independent Python implementation; ``metadata["tests"]``
of code_generation are ``assert`` lines whose expected values come from that implementation on
rng/Faker inputs, so the reference code can be checked by executing it against the tests.
code_documentation shows a family's function; its reference is the family's one-line summary (the
same text that describes the task in code_generation).
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist


@dataclass
class CodeTask:
    """One function task: name, parameters, summary, code and an independent implementation."""

    name: str
    params: list[str]
    summary: str  # one-line docstring, starts with "Return", ends with "."
    code: str  # the reference implementation (def ...)
    impl: Callable[..., Any]  # an independent Python implementation used to compute test values
    inputs: list[tuple[Any, ...]]  # argument tuples for the tests
    family: str
    complexity: int  # 1 simple one-liner, 2 a few lines, 3 loops with state

    def call(self, args: tuple[Any, ...]) -> str:
        return f"{self.name}({', '.join(repr(a) for a in args)})"

    def tests(self) -> list[str]:
        return [f"assert {self.call(a)} == {self.impl(*a)!r}" for a in self.inputs]

    def examples(self) -> list[str]:
        return [f"{self.call(a)} == {self.impl(*a)!r}" for a in self.inputs]


GENERIC_FUNCS = ("helper", "process", "compute", "transform", "func", "solve", "handle", "f")
FIZZ_WORDS = ("Fizz", "Buzz", "Bang", "Pop", "Zap", "Ping", "Pong", "Boom", "Tick", "Tock", "Zip", "Whoosh")
VOWELS = "aeiou"
COPRIME_PAIRS = tuple((a, b) for a in range(2, 12) for b in range(2, 12) if a != b and math.gcd(a, b) == 1)


def _name(ctx: GenContext, style: str, descriptive: tuple[str, ...]) -> str:
    return ctx.choice(GENERIC_FUNCS) if style == "generic" else ctx.choice(descriptive)


def _pname(ctx: GenContext, style: str, descriptive: tuple[str, ...], generic: tuple[str, ...]) -> str:
    return ctx.choice(generic) if style == "generic" else ctx.choice(descriptive)


def _text_inputs(ctx: GenContext, k: int) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for i in range(k):
        kind = (i + ctx.randint(0, 3)) % 4
        if kind == 0:
            s = ctx.fake.name()
        elif kind == 1:
            s = ctx.fake.sentence(nb_words=ctx.randint(3, 6)).rstrip(".")
        elif kind == 2:
            s = f"{ctx.fake.city()} {ctx.fake.word()}"
        else:
            s = ctx.fake.company()
        out.append((s,))
    return out


def _int_list(ctx: GenContext, lo: int, hi: int, n: int) -> list[int]:
    return [ctx.randint(lo, hi) for _ in range(n)]


def fam_sum_multiples(ctx: GenContext, style: str, k_tests: int) -> CodeTask:
    k = ctx.randint(2, 12)
    n = _pname(ctx, style, ("n", "limit", "upper"), ("x", "arg", "value"))
    if k == 2:
        name = _name(ctx, style, ("sum_evens_below", "even_sum", "sum_of_evens"))
        what = "even numbers"
    else:
        name = _name(ctx, style, ("sum_multiples_below", "multiples_sum", f"sum_multiples_of_{k}"))
        what = f"multiples of {k}"
    summary = f"Return the sum of the non-negative {what} below {n}."
    code = f"def {name}({n}):\n    return sum(x for x in range({n}) if x % {k} == 0)\n"
    top = ctx.level(60, 200, 1000)
    inputs = [(ctx.randint(0, top),) for _ in range(k_tests)]
    return CodeTask(name, [n], summary, code, lambda v: sum(i for i in range(0, v, k)), inputs, "sum_multiples", 1)


def fam_count_chars(ctx: GenContext, style: str, k_tests: int) -> CodeTask:
    s = _pname(ctx, style, ("s", "text", "word"), ("arg", "data", "value"))
    if ctx.randint(0, 2) == 0:
        chars, what = VOWELS, "vowels"
        name = _name(ctx, style, ("count_vowels", "vowel_count", "num_vowels"))
    else:
        chars = "".join(sorted(ctx.sample([c for c in string.ascii_lowercase if c not in VOWELS], ctx.randint(2, 4))))
        what = f'letters in "{chars}"'
        name = _name(ctx, style, ("count_letters", "count_chars", "letter_count"))
    lower = ctx.randint(0, 1) == 0
    if lower:
        summary = f"Return the number of characters of {s} that are {what}, ignoring case."
        code = f'def {name}({s}):\n    return sum(1 for ch in {s}.lower() if ch in "{chars}")\n'
        impl = lambda v: len([c for c in v.lower() if c in chars])  # noqa: E731
    else:
        summary = f"Return the number of characters of {s} that are {what} (case-sensitive)."
        code = f'def {name}({s}):\n    return sum(1 for ch in {s} if ch in "{chars}")\n'
        impl = lambda v: len([c for c in v if c in chars])  # noqa: E731
    inputs = _text_inputs(ctx, k_tests)
    seeded = "".join(ctx.sample(list(chars), min(2, len(chars))))
    inputs[0] = (f"{ctx.fake.first_name()} {seeded}{ctx.fake.word()}",)
    return CodeTask(name, [s], summary, code, impl, inputs, "count_chars", 1)


def fam_words(ctx: GenContext, style: str, k_tests: int) -> CodeTask:
    s = _pname(ctx, style, ("s", "text", "sentence"), ("arg", "data", "value"))
    variant = ctx.randint(0, 3)
    if variant == 0:
        name = _name(ctx, style, ("reverse_words", "reversed_word_order", "flip_words"))
        summary = f"Return {s} with the order of its words reversed."
        code = f'def {name}({s}):\n    return " ".join(reversed({s}.split()))\n'
        impl = lambda v: " ".join(v.split()[::-1])  # noqa: E731
    elif variant == 1:
        name = _name(ctx, style, ("reverse_each_word", "mirror_words", "reverse_letters"))
        summary = f"Return {s} with the letters of each word reversed, keeping the word order."
        code = f'def {name}({s}):\n    return " ".join(w[::-1] for w in {s}.split())\n'
        impl = lambda v: " ".join("".join(reversed(w)) for w in v.split())  # noqa: E731
    elif variant == 2:
        k = ctx.randint(2, 7)
        name = _name(ctx, style, ("long_words", "words_longer_than", f"words_over_{k}"))
        summary = f"Return the words of {s} that are longer than {k} characters."
        code = f"def {name}({s}):\n    return [w for w in {s}.split() if len(w) > {k}]\n"
        impl = lambda v: list(filter(lambda w: len(w) > k, v.split()))  # noqa: E731
    else:
        name = _name(ctx, style, ("initials", "acronym", "word_initials"))
        summary = f"Return the upper-case initials of the words in {s}."
        code = f'def {name}({s}):\n    return "".join(w[0].upper() for w in {s}.split())\n'
        impl = lambda v: "".join(w[:1].upper() for w in v.split())  # noqa: E731
    return CodeTask(name, [s], summary, code, impl, _text_inputs(ctx, k_tests), f"words_{variant}", 1)


def fam_clamp(ctx: GenContext, style: str, k_tests: int) -> CodeTask:
    lo = ctx.randint(-50, 50)
    hi = lo + ctx.randint(5, 200)
    x = _pname(ctx, style, ("x", "value", "level"), ("arg", "n", "data"))
    name = _name(ctx, style, ("clamp", f"clamp_{abs(lo)}_{hi}" if lo >= 0 else "clamp_value", "limit_range"))
    summary = f"Return {x} limited to the range {lo} to {hi}."
    code = f"def {name}({x}):\n    return max({lo}, min({x}, {hi}))\n"
    inputs = [(ctx.randint(lo - 60, lo - 1),), (ctx.randint(hi + 1, hi + 60),)]
    inputs += [(ctx.randint(lo - 60, hi + 60),) for _ in range(k_tests - 2)]
    ctx.rng.shuffle(inputs)
    impl = lambda v: lo if v < lo else (hi if v > hi else v)  # noqa: E731
    return CodeTask(name, [x], summary, code, impl, inputs, "clamp", 1)


def fam_count_compare(ctx: GenContext, style: str, k_tests: int) -> CodeTask:
    xs = _pname(ctx, style, ("nums", "values", "scores"), ("arg", "data", "items"))
    t = ctx.randint(-20, 80)
    op, word = ctx.choice(((">", "greater than"), ("<", "less than"), (">=", "at least"), ("<=", "at most")))
    name = _name(ctx, style, ("count_above" if op in (">", ">=") else "count_below", "count_matching", "tally"))
    summary = f"Return how many numbers in {xs} are {word} {t}."
    code = f"def {name}({xs}):\n    return sum(1 for x in {xs} if x {op} {t})\n"
    ops: dict[str, Callable[[int], bool]] = {
        ">": lambda v: v > t, "<": lambda v: v < t, ">=": lambda v: v >= t, "<=": lambda v: v <= t,
    }
    pred = ops[op]
    inputs = [(_int_list(ctx, t - 30, t + 30, ctx.randint(2, 7)),) for _ in range(k_tests)]
    return CodeTask(name, [xs], summary, code, lambda v: len(list(filter(pred, v))), inputs, "count_compare", 1)


def fam_top_k(ctx: GenContext, style: str, k_tests: int) -> CodeTask:
    xs = _pname(ctx, style, ("nums", "values", "scores"), ("arg", "data", "items"))
    k = ctx.randint(1, 5)
    largest = ctx.randint(0, 1) == 0
    name = _name(ctx, style, (f"top_{k}" if largest else f"bottom_{k}", "largest" if largest else "smallest", "pick_extremes"))
    if largest:
        summary = f"Return the {k} largest numbers in {xs}, in descending order."
        code = f"def {name}({xs}):\n    return sorted({xs}, reverse=True)[:{k}]\n"
        impl = lambda v: list(reversed(sorted(v)))[:k]  # noqa: E731
    else:
        summary = f"Return the {k} smallest numbers in {xs}, in ascending order."
        code = f"def {name}({xs}):\n    return sorted({xs})[:{k}]\n"
        impl = lambda v: sorted(v)[:k]  # noqa: E731
    inputs = [(_int_list(ctx, -50, 150, ctx.randint(k + 1, 8)),) for _ in range(k_tests)]
    return CodeTask(name, [xs], summary, code, impl, inputs, "top_k", 1)


def fam_palindrome(ctx: GenContext, style: str, k_tests: int) -> CodeTask:
    s = _pname(ctx, style, ("s", "text", "phrase"), ("arg", "data", "value"))
    name = _name(ctx, style, ("is_palindrome", "reads_same_backwards", "palindrome_check"))
    summary = f"Return True if {s} reads the same backwards, ignoring case and spaces."
    code = (f"def {name}({s}):\n    cleaned = {s}.replace(\" \", \"\").lower()\n"
            "    return cleaned == cleaned[::-1]\n")
    inputs: list[tuple[Any, ...]] = []
    for i in range(k_tests):
        w = ctx.fake.first_name()
        if i % 2 == 0:
            inputs.append((w + w[::-1].lower(),))
        else:
            inputs.append((f"{w} {ctx.fake.last_name()}",))
    impl = lambda v: (lambda c: c == "".join(reversed(c)))("".join(v.split(" ")).lower())  # noqa: E731
    return CodeTask(name, [s], summary, code, impl, inputs, "palindrome", 2)


def fam_truncate(ctx: GenContext, style: str, k_tests: int) -> CodeTask:
    s = _pname(ctx, style, ("s", "text", "title"), ("arg", "data", "value"))
    k = ctx.randint(5, 20)
    suffix = ctx.choice(("...", "~", "…", " [more]"))
    name = _name(ctx, style, ("truncate", "shorten", f"truncate_{k}"))
    summary = f'Return {s} cut to {k} characters with "{suffix}" appended if it was longer.'
    code = (f"def {name}({s}):\n    if len({s}) <= {k}:\n        return {s}\n"
            f'    return {s}[:{k}] + "{suffix}"\n')
    impl = lambda v: v if len(v) <= k else v[:k] + suffix  # noqa: E731
    inputs = _text_inputs(ctx, k_tests)
    inputs[0] = (ctx.fake.sentence(nb_words=8).rstrip("."),)  # at least one input longer than the cut
    ctx.rng.shuffle(inputs)
    return CodeTask(name, [s], summary, code, impl, inputs, "truncate", 2)


def fam_mean(ctx: GenContext, style: str, k_tests: int) -> CodeTask:
    xs = _pname(ctx, style, ("nums", "values", "readings"), ("arg", "data", "items"))
    d = ctx.randint(0, 3)
    name = _name(ctx, style, ("mean", "average", f"rounded_mean_{d}"))
    summary = f"Return the mean of {xs} rounded to {d} decimals, or 0.0 if {xs} is empty."
    code = (f"def {name}({xs}):\n    if not {xs}:\n        return 0.0\n"
            f"    return round(sum({xs}) / len({xs}), {d})\n")
    impl = lambda v: round(math.fsum(v) / len(v), d) if v else 0.0  # noqa: E731
    inputs = [(_int_list(ctx, 0, 100, ctx.randint(1, 6) if i else 0),) for i in range(k_tests)]
    ctx.rng.shuffle(inputs)
    return CodeTask(name, [xs], summary, code, impl, inputs, "mean", 2)


def fam_fizzbuzz(ctx: GenContext, style: str, k_tests: int) -> CodeTask:
    a, b = ctx.choice(COPRIME_PAIRS)
    w1, w2 = ctx.sample(FIZZ_WORDS, 2)
    n = _pname(ctx, style, ("n", "number", "i"), ("x", "arg", "value"))
    name = _name(ctx, style, ("fizzbuzz", f"{w1.lower()}_{w2.lower()}", "label_number"))
    summary = (f'Return "{w1}{w2}" if {n} is divisible by {a} and {b}, "{w1}" if only by {a}, '
               f'"{w2}" if only by {b}, else {n} as a string.')
    code = (f"def {name}({n}):\n"
            f"    if {n} % {a} == 0 and {n} % {b} == 0:\n        return \"{w1}{w2}\"\n"
            f"    if {n} % {a} == 0:\n        return \"{w1}\"\n"
            f"    if {n} % {b} == 0:\n        return \"{w2}\"\n"
            f"    return str({n})\n")

    def impl(v: int) -> str:
        out = (w1 if v % a == 0 else "") + (w2 if v % b == 0 else "")
        return out or str(v)

    lcm = a * b // math.gcd(a, b)
    pool = [lcm * ctx.randint(1, 4), a * ctx.randint(1, 9), b * ctx.randint(1, 9)]
    inputs = [(pool[i],) if i < len(pool) else (ctx.randint(1, 100),) for i in range(k_tests)]
    return CodeTask(name, [n], summary, code, impl, inputs, "fizzbuzz", 3)


def fam_invert(ctx: GenContext, style: str, k_tests: int) -> CodeTask:
    d = _pname(ctx, style, ("mapping", "table", "codes"), ("arg", "data", "items"))
    grouped = ctx.randint(0, 1) == 0
    if grouped:
        name = _name(ctx, style, ("group_keys_by_value", "invert_grouped", "keys_per_value"))
        summary = f"Return a dict mapping each value of {d} to the list of its keys, in insertion order."
        code = (f"def {name}({d}):\n    result = {{}}\n    for key, value in {d}.items():\n"
                "        result.setdefault(value, []).append(key)\n    return result\n")

        def impl(v: dict[str, int]) -> dict[int, list[str]]:
            out: dict[int, list[str]] = {}
            for val in dict.fromkeys(v.values()):
                out[val] = [k for k, x in v.items() if x == val]
            return out
    else:
        name = _name(ctx, style, ("invert_dict", "invert", "swap_keys_values"))
        summary = f"Return a new dict that maps each value of {d} to its key."
        code = f"def {name}({d}):\n    return {{value: key for key, value in {d}.items()}}\n"
        impl = lambda v: dict(zip(v.values(), v.keys()))  # noqa: E731
    inputs: list[tuple[Any, ...]] = []
    for _ in range(k_tests):
        keys = list(dict.fromkeys(ctx.fake.first_name() for _ in range(ctx.randint(1, 4))))
        if grouped:
            vals = [ctx.randint(1, 3) for _ in keys]
        else:
            vals = ctx.sample(range(1, 100), len(keys))
        inputs.append((dict(zip(keys, vals)),))
    return CodeTask(name, [d], summary, code, impl, inputs, "invert_grouped" if grouped else "invert", 3 if grouped else 2)


def fam_running(ctx: GenContext, style: str, k_tests: int) -> CodeTask:
    xs = _pname(ctx, style, ("nums", "values", "series"), ("arg", "data", "items"))
    kind = ctx.choice(("max", "min", "sum"))
    name = _name(ctx, style, (f"running_{kind}", f"prefix_{kind}", f"cumulative_{kind}"))
    if kind == "sum":
        summary = f"Return the running totals of {xs}: element i is the sum of the first i + 1 numbers."
        code = (f"def {name}({xs}):\n    result = []\n    total = 0\n    for x in {xs}:\n"
                "        total += x\n        result.append(total)\n    return result\n")
        impl = lambda v: [sum(v[: i + 1]) for i in range(len(v))]  # noqa: E731
    else:
        summary = f"Return the running {kind}imum of {xs}: element i is the {kind} of the first i + 1 numbers."
        code = (f"def {name}({xs}):\n    result = []\n    current = None\n    for x in {xs}:\n"
                f"        current = x if current is None else {kind}(current, x)\n"
                "        result.append(current)\n    return result\n")
        agg = max if kind == "max" else min
        impl = lambda v: [agg(v[: i + 1]) for i in range(len(v))]  # noqa: E731
    inputs = [(_int_list(ctx, -20, 60, ctx.randint(2, 6)),) for _ in range(k_tests)]
    return CodeTask(name, [xs], summary, code, impl, inputs, f"running_{kind}", 3)


def fam_word_freq(ctx: GenContext, style: str, k_tests: int) -> CodeTask:
    s = _pname(ctx, style, ("text", "s", "sentence"), ("arg", "data", "value"))
    name = _name(ctx, style, ("word_counts", "word_frequencies", "count_words"))
    summary = f"Return a dict mapping each lower-cased word of {s} to the number of times it occurs."
    code = (f"def {name}({s}):\n    counts = {{}}\n    for word in {s}.lower().split():\n"
            "        counts[word] = counts.get(word, 0) + 1\n    return counts\n")

    def impl(v: str) -> dict[str, int]:
        words = v.lower().split()
        return {w: words.count(w) for w in dict.fromkeys(words)}

    inputs: list[tuple[Any, ...]] = []
    for _ in range(k_tests):
        ws = [ctx.fake.word() for _ in range(ctx.randint(2, 4))]
        seq = [ctx.choice(ws) for _ in range(ctx.randint(3, 6))]
        inputs.append((" ".join(w.title() if ctx.randint(0, 2) == 0 else w for w in seq),))
    return CodeTask(name, [s], summary, code, impl, inputs, "word_freq", 3)


FAMILIES: tuple[Callable[[GenContext, str, int], CodeTask], ...] = (
    fam_sum_multiples, fam_count_chars, fam_words, fam_clamp, fam_count_compare, fam_top_k,
    fam_palindrome, fam_truncate, fam_mean, fam_fizzbuzz, fam_invert, fam_running, fam_word_freq,
)
# Families by difficulty (easy: one-liners; medium: everything; hard: multi-line functions).
EASY_FAMILIES = FAMILIES[:6]
HARD_FAMILIES = FAMILIES[6:]


def _informative(task: CodeTask) -> bool:
    """The tests tell a correct function from a constant one and from the identity."""
    outs = [task.impl(*a) for a in task.inputs]
    not_constant = len({repr(o) for o in outs}) > 1
    not_identity = any(repr(o) != repr(a[0]) for o, a in zip(outs, task.inputs))
    return not_constant and not_identity


def _pick_task(ctx: GenContext, style: str, k_tests: int) -> CodeTask:
    fams = ctx.level(EASY_FAMILIES, FAMILIES, HARD_FAMILIES)
    fam = ctx.choice(fams)
    task = fam(ctx, style, k_tests)
    for _ in range(30):  # re-draw the inputs (rarely needed) until the tests are discriminative
        if _informative(task):
            break
        task = fam(ctx, style, k_tests)
    return task


def _desc(summary: str) -> str:
    """'Return the sum ...' -> 'returns the sum ...' (no final period)."""
    return "returns" + summary[len("Return"):].rstrip(".")


class CodeGenerationGenerator(Generator):
    name = "code_generation"
    task_type = "generation"
    phrasings = 5

    TEMPLATES = (
        "Write a Python function `{sig}` that {desc}.\nExample: {examples}",
        "Implement {sig} in Python. It {desc}.\nExamples:\n{examples_nl}",
        "Task: {summary}\nFunction name: {name}\nParameters: {params}\nTests:\n{examples_nl}",
        "Python: define {sig} which {desc}. For instance, {examples}.",
        "Complete the function so the examples hold.\ndef {sig}:\n    \"\"\"{summary}\"\"\"\n{examples_nl}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        k_tests = ctx.level(3, 4, 5)
        task = _pick_task(ctx, "descriptive", k_tests)
        n_ex = ctx.level(1, 2, 2)
        exs = task.examples()[:n_ex]
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(
            sig=f"{task.name}({', '.join(task.params)})", desc=_desc(task.summary), summary=task.summary,
            name=task.name, params=", ".join(task.params), examples="; ".join(exs),
            examples_nl="\n".join(exs),
        )
        code = task.code.rstrip("\n")
        return TrainingExample(
            prompt=prompt,
            response=code,
            metadata={"reference": code, "entry_point": task.name, "tests": task.tests(),
                      "family": task.family, "phrasing": k},
        )


class CodeDocumentationGenerator(Generator):
    """Show a function, answer with its one-line docstring (the family's summary).

    Difficulty: easy functions have descriptive names, medium mixes, hard uses generic function and
    parameter names (``helper(a)``) and the multi-line families, so the summary must come from the
    body.
    """

    name = "code_documentation"
    task_type = "generation"
    phrasings = 5

    TEMPLATES = (
        "Write a one-line docstring for this function.\n```python\n{code}```",
        "{code}\nSummarize in one sentence what the function above returns.",
        "Add a docstring summary line to `{name}` (from {file}):\n{code}",
        "What does {name} do? Reply with a one-line docstring.\n\n{code}",
        "Document the following Python code from {file} with a single summary sentence.\n{code}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        style = ctx.level("descriptive", ctx.choice(("descriptive", "generic")), "generic")
        task = _pick_task(ctx, style, 1)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(code=task.code, name=task.name, file=ctx.fake.file_name(extension="py"))
        return TrainingExample(
            prompt=prompt,
            response=task.summary,
            metadata={"reference": task.summary, "entry_point": task.name, "family": task.family, "phrasing": k},
        )


code_generation = Specialist("code_generation", CodeGenerationGenerator)
code_documentation = Specialist("code_documentation", CodeDocumentationGenerator)
