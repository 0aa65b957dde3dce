"""Generators for the ``coding`` category: code_generation, code_review, code_documentation,
sql_generation, api_integration.

Every answer is derived from the prompt, never drawn independently:

* code_generation: small Python tasks from parametrised families. Each family has a code template
  *and* an independent Python implementation; ``metadata["tests"]`` are ``assert`` lines whose
  expected values come from that implementation on rng/Faker inputs, so the reference code can be
  checked by executing it against the tests.
* code_review: short functions built from a few base templates. A defect (off_by_one,
  missing_null_check, unused_variable, sql_injection) is injected into a clean base, or the base is
  left clean (no_issue); exactly one defect per snippet, and the response quotes the defective line.
* code_documentation: the function of a code_generation family; the reference is the family's
  one-line summary (the same text that describes the task in code_generation).
* sql_generation: a question over one or two small tables (CREATE TABLE text in the prompt) and the
  one canonical query. Rows are Faker data; every literal of the query comes from the question and
  the query returns at least one row.
* api_integration: a short API spec plus a request in plain words -> one canonical request line.

Canonical SQL format (sql_generation): upper-case keywords and function names (``SELECT``,
``COUNT(*)``, ``AVG(...)``, ``GROUP BY``, ``ORDER BY ... DESC``, ``LIMIT``, ``JOIN ... ON``), single
spaces, ``, `` between select items, string literals in single quotes (a quote doubled), integer
literals as plain digits, column names unqualified in single-table queries and qualified as
``table.column`` in joins, joins always written ``FROM parent JOIN child ON child.fk = parent.id``,
no trailing semicolon.

Canonical request line (api_integration): ``METHOD /path`` with path parameters substituted; query
parameters that the request mentions appended as ``?k=v&k2=v2`` in the order the spec lists them
(values percent-encoded with ``urllib.parse.quote(v, safe="")``); for POST/PUT/PATCH a space and the
JSON body ``json.dumps(body, ensure_ascii=False)`` with keys in spec order.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

# ==================================================================================================
# code_generation / code_documentation: task families
# ==================================================================================================


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


# ==================================================================================================
# code_review
# ==================================================================================================

LIST_PARAMS = ("items", "values", "prices", "scores", "amounts", "readings", "totals", "weights")
UNUSED_NAMES = ("tmp", "retries", "debug", "offset", "cache", "start", "prev", "label", "flag", "limit_value")
HELPERS = (
    "def normalize_name(name):\n    return name.strip().lower()",
    "def is_positive(x):\n    return x > 0",
    "def format_price(amount):\n    return f\"${amount:.2f}\"",
    "def clamp(x, lo, hi):\n    return max(lo, min(x, hi))",
    "def percent(part, whole):\n    return 100 * part / whole if whole else 0.0",
    "def first_word(text):\n    return text.split(\" \")[0]",
)


@dataclass
class Snippet:
    """A review snippet: code lines, the defective line (if any) and the names used."""

    lines: list[str]
    bad: str = ""
    names: dict[str, str] = field(default_factory=dict)


def _sql_bad(ctx: GenContext, sql_prefix: str, param: str) -> str:
    """The query built by string formatting from ``param`` (the injection)."""
    form = ctx.randint(0, 3)
    if form == 0:
        return f"f\"{sql_prefix} = '{{{param}}}'\""
    if form == 1:
        return f"\"{sql_prefix} = '\" + {param} + \"'\""
    if form == 2:
        return f"\"{sql_prefix} = '%s'\" % {param}"
    return f"\"{sql_prefix} = '{{}}'\".format({param})"


def rv_sum(ctx: GenContext, defect: str | None) -> Snippet:
    xs = ctx.choice(LIST_PARAMS)
    fn = ctx.choice(("total", "sum_all", f"total_{xs}", "add_up"))
    loop = f"    for i in range(len({xs})):"
    bad = ""
    if defect == "off_by_one":
        loop = ctx.choice((f"    for i in range(len({xs}) + 1):", f"    for i in range(1, len({xs}) + 1):"))
        bad = loop
    lines = [f"def {fn}({xs}):", f'    """Return the sum of all {xs}."""', "    result = 0", loop,
             f"        result += {xs}[i]", "    return result"]
    return Snippet(lines, bad, {"fn": fn, "xs": xs})


def rv_diffs(ctx: GenContext, defect: str | None) -> Snippet:
    xs = ctx.choice(LIST_PARAMS)
    fn = ctx.choice(("deltas", "differences", f"{xs}_changes", "step_sizes"))
    loop = f"    for i in range(len({xs}) - 1):"
    bad = ""
    if defect == "off_by_one":
        loop = f"    for i in range(len({xs})):"
        bad = loop
    lines = [f"def {fn}({xs}):", f'    """Return the differences between consecutive {xs}."""', "    diffs = []", loop,
             f"        diffs.append({xs}[i + 1] - {xs}[i])", "    return diffs"]
    return Snippet(lines, bad, {"fn": fn, "xs": xs})


def rv_last(ctx: GenContext, defect: str | None) -> Snippet:
    xs = ctx.choice(LIST_PARAMS)
    fn = ctx.choice(("last", f"last_of_{xs}", "latest", "final_entry"))
    ret = f"    return {xs}[len({xs}) - 1]"
    bad = ""
    if defect == "off_by_one":
        ret = f"    return {xs}[len({xs})]"
        bad = ret
    lines = [f"def {fn}({xs}):", f'    """Return the last element of {xs}, or None if it is empty."""',
             f"    if not {xs}:", "        return None", ret]
    return Snippet(lines, bad, {"fn": fn, "xs": xs})


def rv_find(ctx: GenContext, defect: str | None) -> Snippet:
    xs = ctx.choice(LIST_PARAMS)
    target = ctx.choice(("target", "wanted", "needle", "value"))
    fn = ctx.choice(("index_of", "find_position", "locate", "position_of"))
    cond = f"    while i < len({xs}):"
    bad = ""
    if defect == "off_by_one":
        cond = f"    while i <= len({xs}):"
        bad = cond
    lines = [f"def {fn}({xs}, {target}):", f'    """Return the index of {target} in {xs}, or -1 if absent."""',
             "    i = 0", cond, f"        if {xs}[i] == {target}:", "            return i", "        i += 1",
             "    return -1"]
    return Snippet(lines, bad, {"fn": fn, "xs": xs})


def rv_lookup(ctx: GenContext, defect: str | None) -> Snippet:
    entity = ctx.choice(("user", "customer", "account", "member", "client"))
    fld = ctx.choice(("email", "phone", "address", "name", "plan"))
    mapping = ctx.choice((f"{entity}s", "registry", "records", "by_id"))
    key = ctx.choice((f"{entity}_id", "key", "ident"))
    fn = ctx.choice((f"get_{entity}_{fld}", f"{fld}_for", f"lookup_{fld}"))
    lines = [f"def {fn}({mapping}, {key}):", f'    """Return the {fld} of the {entity} stored under {key}, or None."""',
             f"    {entity} = {mapping}.get({key})"]
    ret = f'    return {entity}["{fld}"]'
    if defect != "missing_null_check":
        lines += [f"    if {entity} is None:", "        return None"]
    lines.append(ret)
    return Snippet(lines, ret if defect == "missing_null_check" else "", {"fn": fn, "field": fld})


REGEXES = ((r"[A-Z]{3}-\d{4}", "order"), (r"#\d+", "ticket"), (r"\d{4}-\d{2}-\d{2}", "date"),
           (r"[A-Z]{2}\d{6}", "invoice"), (r"v\d+\.\d+", "version"))


def rv_regex(ctx: GenContext, defect: str | None) -> Snippet:
    pattern, thing = ctx.choice(REGEXES)
    arg = ctx.choice(("text", "line", "message", "subject"))
    fn = ctx.choice((f"extract_{thing}", f"find_{thing}", f"parse_{thing}_code"))
    lines = ["import re", "", "", f"def {fn}({arg}):", f'    """Return the first {thing} code in {arg}, or an empty string."""',
             f'    match = re.search(r"{pattern}", {arg})']
    ret = "    return match.group(0)"
    if defect != "missing_null_check":
        lines += ["    if match is None:", '        return ""']
    lines.append(ret)
    return Snippet(lines, ret if defect == "missing_null_check" else "", {"fn": fn})


def rv_config(ctx: GenContext, defect: str | None) -> Snippet:
    setting = ctx.choice(("timeout", "max_retries", "batch_size", "port", "pool_size", "interval"))
    default = ctx.randint(2, 90)
    cfg = ctx.choice(("settings", "config", "options", "env"))
    fn = ctx.choice((f"{setting}_doubled", f"effective_{setting}", f"read_{setting}"))
    lines = [f"def {fn}({cfg}):", f'    """Return twice the {setting} from {cfg}, or {default} if unset."""',
             f'    value = {cfg}.get("{setting}")']
    ret = "    return int(value) * 2"
    if defect != "missing_null_check":
        lines += ["    if value is None:", f"        return {default}"]
    lines.append(ret)
    return Snippet(lines, ret if defect == "missing_null_check" else "", {"fn": fn, "setting": setting, "default": str(default)})


SQL_TABLES = (("users", "email", "name"), ("orders", "status", "total"), ("products", "sku", "price"),
              ("employees", "badge", "salary"), ("tickets", "code", "priority"), ("accounts", "login", "balance"))


def rv_fetch(ctx: GenContext, defect: str | None) -> Snippet:
    table, param, col = ctx.choice(SQL_TABLES)
    fn = ctx.choice((f"get_{col}_by_{param}", f"find_{col}", f"{col}_for_{param}"))
    prefix = f"SELECT {col} FROM {table} WHERE {param}"
    if defect == "sql_injection":
        execute = f"    cur = conn.execute({_sql_bad(ctx, prefix, param)})"
    else:
        execute = f'    cur = conn.execute("{prefix} = ?", ({param},))'
    lines = [f"def {fn}(conn, {param}):", f'    """Return the {col} of the row of {table} with this {param}, or None."""',
             execute, "    row = cur.fetchone()"]
    if defect != "missing_null_check":
        lines += ["    if row is None:", "        return None"]
    lines.append("    return row[0]")
    bad = execute if defect == "sql_injection" else ("    return row[0]" if defect == "missing_null_check" else "")
    return Snippet(lines, bad, {"fn": fn, "table": table, "param": param, "col": col})


def rv_delete(ctx: GenContext, defect: str | None) -> Snippet:
    table, param, col = ctx.choice(SQL_TABLES)
    fn = ctx.choice((f"delete_by_{param}", f"remove_{table}", f"purge_{param}"))
    prefix = f"DELETE FROM {table} WHERE {param}"
    if defect == "sql_injection":
        execute = f"    conn.execute({_sql_bad(ctx, prefix, param)})"
    else:
        execute = f'    conn.execute("{prefix} = ?", ({param},))'
    lines = [f"def {fn}(conn, {param}):", f'    """Delete the rows of {table} whose {param} matches."""', execute,
             "    conn.commit()"]
    return Snippet(lines, execute if defect == "sql_injection" else "", {"fn": fn, "table": table, "param": param, "col": col})


def rv_count(ctx: GenContext, defect: str | None) -> Snippet:
    table, param, col = ctx.choice(SQL_TABLES)
    fn = ctx.choice((f"count_by_{param}", f"num_{table}", f"how_many_{table}"))
    prefix = f"SELECT COUNT(*) FROM {table} WHERE {param}"
    if defect == "sql_injection":
        execute = f"    cur = conn.execute({_sql_bad(ctx, prefix, param)})"
    else:
        execute = f'    cur = conn.execute("{prefix} = ?", ({param},))'
    lines = [f"def {fn}(conn, {param}):", f'    """Count the rows of {table} with the given {param}."""', execute,
             "    return cur.fetchone()[0]"]
    return Snippet(lines, execute if defect == "sql_injection" else "", {"fn": fn, "table": table, "param": param, "col": col})


# base name -> (builder, defects it supports besides unused_variable)
REVIEW_BASES: dict[str, tuple[Callable[[GenContext, str | None], Snippet], tuple[str, ...]]] = {
    "sum": (rv_sum, ("off_by_one",)),
    "diffs": (rv_diffs, ("off_by_one",)),
    "last": (rv_last, ("off_by_one",)),
    "find": (rv_find, ("off_by_one",)),
    "lookup": (rv_lookup, ("missing_null_check",)),
    "regex": (rv_regex, ("missing_null_check",)),
    "config": (rv_config, ("missing_null_check",)),
    "fetch": (rv_fetch, ("sql_injection", "missing_null_check")),
    "delete": (rv_delete, ("sql_injection",)),
    "count": (rv_count, ("sql_injection",)),
}
REVIEW_BASE_NAMES = tuple(REVIEW_BASES)


def _inject_unused(ctx: GenContext, snip: Snippet) -> Snippet:
    """Insert an assignment to a fresh name that is never read, right after the docstring."""
    body = "\n".join(snip.lines)
    var = ctx.choice([v for v in UNUSED_NAMES if v not in body])
    value = ctx.choice(("0", "[]", "{}", "None", "True", '""', str(ctx.randint(2, 500))))
    doc_idx = next(i for i, line in enumerate(snip.lines) if line.startswith('    """'))
    line = f"    {var} = {value}"
    lines = snip.lines[: doc_idx + 1] + [line] + snip.lines[doc_idx + 1:]
    return Snippet(lines, line, snip.names)


class CodeReviewGenerator(Generator):
    """Label = the one defect injected into a clean base function (or none).

    The defect forms: off_by_one = an index loop/condition one past the end (``range(len(xs) + 1)``,
    ``xs[len(xs)]``, ``while i <= len(xs)``, ``range(len(xs))`` with ``xs[i + 1]``);
    missing_null_check = the result of ``.get`` / ``re.search`` / ``fetchone()`` used without the
    ``is None`` check; unused_variable = an assignment to a name never read; sql_injection = the
    query built from the argument by f-string, ``+``, ``%`` or ``.format`` instead of a ``?``
    parameter. Every base also appears clean (no_issue), so the label follows from the defect, not
    from which function is shown. Medium/hard add one/two clean helper functions as distractors.
    """

    name = "code_review"
    task_type = "classification"
    labels = ("off_by_one", "missing_null_check", "unused_variable", "sql_injection", "no_issue")
    phrasings = 5

    TEMPLATES = (
        "Review this Python code and name its issue (off_by_one, missing_null_check, unused_variable, "
        "sql_injection or no_issue).\n```python\n{code}\n```",
        "Code review for PR #{pr} by {author}. Which defect, if any, does it contain?\n{code}",
        "{code}\n\nClassify the problem in the code above: off_by_one / missing_null_check / unused_variable / "
        "sql_injection / no_issue.",
        "Commit {sha} from {author} changes {file}:\n{code}\nWhat should the reviewer flag?",
        "Find the bug category in this snippet ({file}).\n{code}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        label = ctx.label
        assert label is not None
        if label in ("no_issue", "unused_variable"):
            base = ctx.choice(REVIEW_BASE_NAMES)
        else:
            base = ctx.choice([b for b in REVIEW_BASE_NAMES if label in REVIEW_BASES[b][1]])
        builder = REVIEW_BASES[base][0]
        defect = label if label in REVIEW_BASES[base][1] else None
        snip = builder(ctx, defect)
        if label == "unused_variable":
            snip = _inject_unused(ctx, snip)
        helpers = ctx.sample(HELPERS, ctx.level(0, 1, 2))
        parts = helpers + ["\n".join(snip.lines)]
        if helpers and ctx.randint(0, 1) == 0:
            parts = ["\n".join(snip.lines)] + helpers
        code = "\n\n\n".join(parts)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(
            code=code, pr=ctx.randint(100, 9999), author=ctx.fake.user_name(), sha=ctx.fake.sha1()[:7],
            file=ctx.fake.file_name(extension="py"),
        )
        response = f"Issue: {label}" if label == "no_issue" else f"Issue: {label}\nLine: {snip.bad.strip()}"
        return TrainingExample(
            prompt=prompt,
            response=response,
            metadata={"label": label, "phrasing": k, "template": base, "names": snip.names, "code": code,
                      "line": snip.bad.strip()},
        )


# ==================================================================================================
# sql_generation
# ==================================================================================================


@dataclass(frozen=True)
class Col:
    name: str
    sqltype: str
    kind: str  # id | fk | label | cat | num
    nl: str  # natural-language name
    gen: Callable[[GenContext, dict[str, Any]], Any] | None = None


@dataclass(frozen=True)
class Table:
    name: str
    singular: str
    plural: str
    cols: tuple[Col, ...]

    def col(self, kind: str) -> list[Col]:
        return [c for c in self.cols if c.kind == kind]

    @property
    def label(self) -> Col:
        return self.col("label")[0]

    def create(self) -> str:
        return f"CREATE TABLE {self.name} (" + ", ".join(f"{c.name} {c.sqltype}" for c in self.cols) + ")"


def _pool(key: str, make: Callable[[GenContext], str], size: int = 3) -> Callable[[GenContext, dict[str, Any]], str]:
    """A categorical column: values from a small per-example pool (so values repeat across rows)."""

    def gen(ctx: GenContext, pools: dict[str, Any]) -> str:
        if key not in pools:
            vals: list[str] = []
            while len(vals) < size:
                v = make(ctx)
                if v not in vals and "'" not in v:
                    vals.append(v)
            pools[key] = vals
        return ctx.choice(pools[key])

    return gen


def _vocab(words: tuple[str, ...]) -> Callable[[GenContext], str]:
    return lambda ctx: ctx.choice(words)


def _num(lo: float, hi: float, step: float = 1, decimals: int = 0) -> Callable[[GenContext, dict[str, Any]], Any]:
    def gen(ctx: GenContext, pools: dict[str, Any]) -> Any:
        if decimals:
            return round(ctx.rng.uniform(lo, hi), decimals)
        return int(ctx.randint(int(lo / step), int(hi / step)) * step)

    return gen


def _person(ctx: GenContext, pools: dict[str, Any]) -> str:
    return ctx.fake.name()


DEPARTMENTS = ("Sales", "Finance", "Legal", "Support", "Research", "Marketing", "IT", "Logistics", "Procurement",
               "Security", "Design", "Training", "Quality", "Facilities")
DOMAINS: tuple[tuple[Table, Table, str], ...] = (
    (
        Table("customers", "customer", "customers", (
            Col("id", "INTEGER PRIMARY KEY", "id", "id"),
            Col("name", "TEXT", "label", "name", _person),
            Col("city", "TEXT", "cat", "city", _pool("city", lambda c: c.fake.city())),
            Col("signup_year", "INTEGER", "num", "signup year", _num(2015, 2024)),
        )),
        Table("orders", "order", "orders", (
            Col("id", "INTEGER PRIMARY KEY", "id", "id"),
            Col("customer_id", "INTEGER", "fk", "customer"),
            Col("product", "TEXT", "label", "product", lambda c, p: c.fake.word().capitalize()),
            Col("status", "TEXT", "cat", "status", _pool("status", _vocab(("pending", "shipped", "delivered", "cancelled", "returned")))),
            Col("amount", "REAL", "num", "amount", _num(5, 900, decimals=2)),
        )),
        "customer_id",
    ),
    (
        Table("departments", "department", "departments", (
            Col("id", "INTEGER PRIMARY KEY", "id", "id"),
            Col("name", "TEXT", "label", "name", lambda c, p: c.choice(DEPARTMENTS)),
            Col("region", "TEXT", "cat", "region", _pool("region", _vocab(("North", "South", "East", "West", "Central")))),
            Col("budget", "INTEGER", "num", "budget", _num(50000, 900000, 1000)),
        )),
        Table("employees", "employee", "employees", (
            Col("id", "INTEGER PRIMARY KEY", "id", "id"),
            Col("department_id", "INTEGER", "fk", "department"),
            Col("name", "TEXT", "label", "name", _person),
            Col("title", "TEXT", "cat", "job title", _pool("title", _vocab(("Analyst", "Engineer", "Manager", "Consultant", "Clerk", "Director")))),
            Col("salary", "INTEGER", "num", "salary", _num(30000, 160000, 500)),
            Col("hire_year", "INTEGER", "num", "hire year", _num(2005, 2024)),
        )),
        "department_id",
    ),
    (
        Table("authors", "author", "authors", (
            Col("id", "INTEGER PRIMARY KEY", "id", "id"),
            Col("name", "TEXT", "label", "name", _person),
            Col("country", "TEXT", "cat", "country", _pool("country", lambda c: c.fake.country())),
            Col("birth_year", "INTEGER", "num", "birth year", _num(1940, 1995)),
        )),
        Table("books", "book", "books", (
            Col("id", "INTEGER PRIMARY KEY", "id", "id"),
            Col("author_id", "INTEGER", "fk", "author"),
            Col("title", "TEXT", "label", "title", lambda c, p: c.fake.catch_phrase().replace("'", "")),
            Col("genre", "TEXT", "cat", "genre", _pool("genre", _vocab(("fantasy", "mystery", "romance", "history", "poetry", "science", "horror")))),
            Col("pages", "INTEGER", "num", "page count", _num(80, 900)),
            Col("price", "REAL", "num", "price", _num(4, 60, decimals=2)),
        )),
        "author_id",
    ),
    (
        Table("suppliers", "supplier", "suppliers", (
            Col("id", "INTEGER PRIMARY KEY", "id", "id"),
            Col("name", "TEXT", "label", "name", lambda c, p: c.fake.company().replace("'", "")),
            Col("city", "TEXT", "cat", "city", _pool("scity", lambda c: c.fake.city())),
            Col("rating", "INTEGER", "num", "rating", _num(1, 5)),
        )),
        Table("products", "product", "products", (
            Col("id", "INTEGER PRIMARY KEY", "id", "id"),
            Col("supplier_id", "INTEGER", "fk", "supplier"),
            Col("name", "TEXT", "label", "name", lambda c, p: f"{c.fake.color_name()} {c.fake.word()}".replace("'", "")),
            Col("category", "TEXT", "cat", "category", _pool("cat", _vocab(("tools", "toys", "garden", "kitchen", "office", "sports", "audio")))),
            Col("price", "REAL", "num", "price", _num(2, 400, decimals=2)),
            Col("stock", "INTEGER", "num", "stock level", _num(0, 500)),
        )),
        "supplier_id",
    ),
    (
        Table("students", "student", "students", (
            Col("id", "INTEGER PRIMARY KEY", "id", "id"),
            Col("name", "TEXT", "label", "name", _person),
            Col("major", "TEXT", "cat", "major", _pool("major", _vocab(("Biology", "Physics", "History", "Economics", "Art", "Chemistry", "Law")))),
            Col("enrollment_year", "INTEGER", "num", "enrollment year", _num(2016, 2024)),
        )),
        Table("enrollments", "enrollment", "enrollments", (
            Col("id", "INTEGER PRIMARY KEY", "id", "id"),
            Col("student_id", "INTEGER", "fk", "student"),
            Col("course", "TEXT", "label", "course", lambda c, p: f"{c.fake.word().capitalize()} {c.randint(100, 499)}"),
            Col("semester", "TEXT", "cat", "semester", _pool("sem", _vocab(("Fall 2023", "Spring 2024", "Fall 2024", "Spring 2025")))),
            Col("grade", "INTEGER", "num", "grade", _num(40, 100)),
        )),
        "student_id",
    ),
)


def sql_str(v: str) -> str:
    return "'" + v.replace("'", "''") + "'"


def sql_lit(v: Any) -> str:
    return sql_str(v) if isinstance(v, str) else repr(v)


def _fill(ctx: GenContext, table: Table, n: int, pools: dict[str, Any], parent_ids: list[int] | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    used_labels: list[Any] = []
    for i in range(n):
        row: dict[str, Any] = {}
        for c in table.cols:
            if c.kind == "id":
                row[c.name] = i + 1
            elif c.kind == "fk":
                assert parent_ids
                row[c.name] = ctx.choice(parent_ids)
            else:
                assert c.gen is not None
                v = c.gen(ctx, pools)
                if c.kind == "label":  # labels are unique within a table (lookups by name are exact)
                    tries = 0
                    while v in used_labels and tries < 60:
                        v, tries = c.gen(ctx, pools), tries + 1
                    if v in used_labels:
                        v = f"{v} {i + 1}"
                    used_labels.append(v)
                row[c.name] = v
        rows.append(row)
    return rows


def _inserts(table: Table, rows: list[dict[str, Any]]) -> list[str]:
    names = ", ".join(c.name for c in table.cols)
    return [f"INSERT INTO {table.name} ({names}) VALUES (" + ", ".join(sql_lit(r[c.name]) for c in table.cols) + ")"
            for r in rows]


class SqlGenerationGenerator(Generator):
    """Question over a small schema -> the canonical SQL (format in the module docstring).

    Difficulty: easy = one table, lookups/filters/counts, 5 rows; medium = aggregates, ORDER BY/LIMIT,
    GROUP BY and two-condition filters, both tables shown, 8 rows; hard = joins, HAVING, grouped
    aggregates, 10 rows.
    """

    name = "sql_generation"
    task_type = "generation"
    phrasings = 5

    TEMPLATES = (
        "Schema:\n{schema}\nQuestion: {q}\nSQL:",
        "Given the tables below, write a SQLite query that answers: {q}\n{schema}",
        "{schema}\n\n-- {q}\nWrite the SQL query.",
        "Translate to SQL. Database:\n{schema}\nRequest: {q}",
        "Question: {q}\nTables:\n{schema}\nAnswer with one SQL query.",
    )
    EASY = ("lookup", "filter_eq", "count_eq", "filter_num")
    MEDIUM = ("lookup", "filter_eq", "count_eq", "filter_num", "agg", "top_k", "group_count", "filter_and", "group_agg")
    HARD = ("agg", "top_k", "filter_and", "group_agg", "having", "join_filter", "join_agg", "join_count")

    def example(self, ctx: GenContext) -> TrainingExample:
        parent, child, fk = ctx.choice(DOMAINS)
        n_parent = ctx.level(5, 6, 8)
        n_child = ctx.level(5, 8, 10)
        pools: dict[str, Any] = {}
        prows = _fill(ctx, parent, n_parent, pools, None)
        crows = _fill(ctx, child, n_child, pools, [r["id"] for r in prows])
        kind = ctx.choice(ctx.level(self.EASY, self.MEDIUM, self.HARD))
        if kind.startswith("join"):
            q, sql = self._join(ctx, kind, parent, child, fk, prows, crows)
            tables = [parent, child]
        else:
            table, rows = ctx.choice(((parent, prows), (child, crows)))
            q, sql = self._single(ctx, kind, table, rows)
            tables = ctx.level([table], [parent, child], [parent, child])
        schema = [t.create() for t in tables]
        inserts = (_inserts(parent, prows) if parent in tables else []) + (_inserts(child, crows) if child in tables else [])
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(schema="\n".join(schema), q=q)
        return TrainingExample(
            prompt=prompt,
            response=sql,
            metadata={"reference": sql, "sql": sql, "schema": schema, "rows": inserts, "kind": kind, "phrasing": k},
        )

    def _single(self, ctx: GenContext, kind: str, t: Table, rows: list[dict[str, Any]]) -> tuple[str, str]:
        lab = t.label
        cat = ctx.choice(t.col("cat"))
        num = ctx.choice(t.col("num"))
        row = ctx.choice(rows)
        if kind == "lookup":
            q = ctx.choice((f"What is the {num.nl} of the {t.singular} {row[lab.name]}?",
                            f"Show the {num.nl} of {t.singular} '{row[lab.name]}'.",
                            f"Find the {num.nl} for the {t.singular} whose {lab.nl} is {row[lab.name]}."))
            return q, f"SELECT {num.name} FROM {t.name} WHERE {lab.name} = {sql_str(row[lab.name])}"
        if kind == "filter_eq":
            v = row[cat.name]
            q = ctx.choice((f"List the {lab.nl}s of {t.plural} whose {cat.nl} is {v}.",
                            f"Which {t.plural} have {cat.nl} '{v}'? Give their {lab.nl}s.",
                            f"Show the {lab.nl} of every {t.singular} with {cat.nl} {v}."))
            return q, f"SELECT {lab.name} FROM {t.name} WHERE {cat.name} = {sql_str(v)}"
        if kind == "count_eq":
            v = row[cat.name]
            q = ctx.choice((f"How many {t.plural} have {cat.nl} {v}?",
                            f"Count the {t.plural} whose {cat.nl} is '{v}'.",
                            f"What is the number of {t.plural} with {cat.nl} {v}?"))
            return q, f"SELECT COUNT(*) FROM {t.name} WHERE {cat.name} = {sql_str(v)}"
        if kind == "filter_num":
            op, x, word = self._threshold(ctx, row[num.name])
            q = ctx.choice((f"Which {t.plural} have a {num.nl} {word} {x}? Return their {lab.nl}s.",
                            f"List the {lab.nl} of each {t.singular} whose {num.nl} is {word} {x}.",
                            f"Show {t.plural} with {num.nl} {word} {x} (only the {lab.nl})."))
            return q, f"SELECT {lab.name} FROM {t.name} WHERE {num.name} {op} {x}"
        if kind == "agg":
            fn, word = ctx.choice((("AVG", "average"), ("MAX", "highest"), ("MIN", "lowest"), ("SUM", "total")))
            v = row[cat.name]
            q = ctx.choice((f"What is the {word} {num.nl} of {t.plural} with {cat.nl} {v}?",
                            f"Compute the {word} {num.nl} among {t.plural} whose {cat.nl} is '{v}'.",
                            f"For {t.plural} with {cat.nl} {v}, give the {word} {num.nl}."))
            return q, f"SELECT {fn}({num.name}) FROM {t.name} WHERE {cat.name} = {sql_str(v)}"
        if kind == "top_k":
            kk = ctx.randint(1, min(5, len(rows)))
            desc = ctx.randint(0, 1) == 0
            word = "highest" if desc else "lowest"
            q = ctx.choice((f"Show the {lab.nl}s of the {kk} {t.plural} with the {word} {num.nl}.",
                            f"Which {kk} {t.plural} have the {word} {num.nl}? Give their {lab.nl}s.",
                            f"Top {kk} {t.plural} by {word} {num.nl}: list the {lab.nl}."))
            return q, f"SELECT {lab.name} FROM {t.name} ORDER BY {num.name} {'DESC' if desc else 'ASC'} LIMIT {kk}"
        if kind == "group_count":
            q = ctx.choice((f"For each {cat.nl}, how many {t.plural} are there?",
                            f"Count the {t.plural} per {cat.nl}.",
                            f"Give the number of {t.plural} in every {cat.nl}."))
            return q, f"SELECT {cat.name}, COUNT(*) FROM {t.name} GROUP BY {cat.name}"
        if kind == "filter_and":
            v = row[cat.name]
            op, x, word = self._threshold(ctx, row[num.name])
            q = ctx.choice((f"List the {lab.nl}s of {t.plural} with {cat.nl} {v} and a {num.nl} {word} {x}.",
                            f"Which {t.plural} have {cat.nl} '{v}' and {num.nl} {word} {x}? Give their {lab.nl}s.",
                            f"Show the {lab.nl} of {t.plural} whose {cat.nl} is {v} and whose {num.nl} is {word} {x}."))
            return q, f"SELECT {lab.name} FROM {t.name} WHERE {cat.name} = {sql_str(v)} AND {num.name} {op} {x}"
        if kind == "group_agg":
            fn, word = ctx.choice((("AVG", "average"), ("MAX", "highest"), ("MIN", "lowest"), ("SUM", "total")))
            q = ctx.choice((f"What is the {word} {num.nl} for each {cat.nl}?",
                            f"Show every {cat.nl} with the {word} {num.nl} of its {t.plural}.",
                            f"Per {cat.nl}, give the {word} {num.nl}."))
            return q, f"SELECT {cat.name}, {fn}({num.name}) FROM {t.name} GROUP BY {cat.name}"
        if kind == "having":
            counts: dict[Any, int] = {}
            for r in rows:
                counts[r[cat.name]] = counts.get(r[cat.name], 0) + 1
            m = ctx.randint(1, max(counts.values()))
            q = ctx.choice((f"Which {cat.nl} values have at least {m} {t.plural}?",
                            f"List each {cat.nl} shared by {m} or more {t.plural}.",
                            f"Find the {cat.nl}s with no fewer than {m} {t.plural}."))
            return q, f"SELECT {cat.name} FROM {t.name} GROUP BY {cat.name} HAVING COUNT(*) >= {m}"
        raise ValueError(kind)

    @staticmethod
    def _threshold(ctx: GenContext, v: float) -> tuple[str, int, str]:
        """A comparison that ``v`` satisfies, with an integer threshold."""
        if ctx.randint(0, 1) == 0:
            return ">", math.ceil(v) - ctx.randint(1, 3), ctx.choice(("above", "greater than", "over"))
        return "<", math.floor(v) + ctx.randint(1, 3), ctx.choice(("below", "less than", "under"))

    def _join(self, ctx: GenContext, kind: str, p: Table, c: Table, fk: str,
              prows: list[dict[str, Any]], crows: list[dict[str, Any]]) -> tuple[str, str]:
        on = f"FROM {p.name} JOIN {c.name} ON {c.name}.{fk} = {p.name}.id"
        plab = p.label
        crow = ctx.choice(crows)
        if kind == "join_filter":
            cat = ctx.choice(c.col("cat"))
            v = crow[cat.name]
            q = ctx.choice((f"List the {plab.nl}s of {p.plural} that have {c.plural} with {cat.nl} {v}.",
                            f"Which {p.plural} have at least one {c.singular} whose {cat.nl} is '{v}'? Give each {plab.nl} once.",
                            f"Show the distinct {p.singular} {plab.nl}s linked to {c.plural} with {cat.nl} {v}."))
            return q, f"SELECT DISTINCT {p.name}.{plab.name} {on} WHERE {c.name}.{cat.name} = {sql_str(v)}"
        if kind == "join_agg":
            num = ctx.choice(c.col("num"))
            fn, word = ctx.choice((("SUM", "total"), ("AVG", "average"), ("MAX", "highest"), ("COUNT", "number of")))
            if fn == "COUNT":
                q = ctx.choice((f"For each {p.singular} {plab.nl}, how many {c.plural} are there?",
                                f"Count the {c.plural} of every {p.singular}, listed by {p.singular} {plab.nl}."))
                return q, f"SELECT {p.name}.{plab.name}, COUNT(*) {on} GROUP BY {p.name}.{plab.name}"
            q = ctx.choice((f"For each {p.singular} {plab.nl}, what is the {word} {num.nl} of its {c.plural}?",
                            f"Show every {p.singular} {plab.nl} with the {word} {c.singular} {num.nl}."))
            return q, f"SELECT {p.name}.{plab.name}, {fn}({c.name}.{num.name}) {on} GROUP BY {p.name}.{plab.name}"
        if kind == "join_count":
            prow = next(r for r in prows if r["id"] == crow[fk])
            name = prow[plab.name]
            q = ctx.choice((f"How many {c.plural} belong to the {p.singular} {name}?",
                            f"Count the {c.plural} of {p.singular} '{name}'.",
                            f"What is the number of {c.plural} for the {p.singular} whose {plab.nl} is {name}?"))
            return q, f"SELECT COUNT(*) {on} WHERE {p.name}.{plab.name} = {sql_str(name)}"
        raise ValueError(kind)


# ==================================================================================================
# api_integration
# ==================================================================================================


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # id | int | money | enum | email | date | text | word | bool
    where: str  # path | query | body
    nl: tuple[str, ...] = ()  # clause templates for optional query params / phrases for body values
    choices: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    params: tuple[Param, ...]
    asks: tuple[str, ...]  # request templates; {name} placeholders for required params

    def spec(self) -> str:
        q = [p for p in self.params if p.where == "query"]
        b = [p for p in self.params if p.where == "body"]
        line = f"{self.method} {self.path}"
        if q:
            line += "  query: " + ", ".join(f"{p.name} ({_ptype(p)})" for p in q)
        if b:
            line += "  body: " + ", ".join(f"{p.name} ({_ptype(p)}{'' if p.required else ', optional'})" for p in b)
        return line


def _ptype(p: Param) -> str:
    if p.choices:
        return "|".join(p.choices)
    return {"id": "int", "int": "int", "money": "number", "email": "string", "date": "YYYY-MM-DD",
            "text": "string", "word": "string", "bool": "true|false"}[p.kind]


def P(name: str, kind: str, where: str, *nl: str, choices: tuple[str, ...] = (), required: bool = True) -> Param:
    return Param(name, kind, where, tuple(nl), choices, required)


API_DOMAINS: tuple[tuple[str, tuple[Endpoint, ...]], ...] = (
    ("Billing v1", (
        Endpoint("GET", "/v1/customers/{customer_id}/invoices", (
            P("customer_id", "id", "path"),
            P("status", "enum", "query", "with status {v}", "that are {v}", choices=("open", "paid", "void")),
            P("limit", "int", "query", "at most {v} of them", "limited to {v} results"),
        ), ("List the invoices of customer {customer_id}", "Show customer {customer_id}'s invoices",
            "I need the invoices for customer #{customer_id}")),
        Endpoint("POST", "/v1/invoices", (
            P("customer_id", "id", "body"), P("amount", "money", "body"),
            P("currency", "enum", "body", choices=("USD", "EUR", "GBP")),
        ), ("Create an invoice for customer {customer_id} over {amount} {currency}",
            "Bill customer {customer_id} {amount} {currency}",
            "Issue a new {currency} invoice of {amount} to customer {customer_id}")),
        Endpoint("DELETE", "/v1/invoices/{invoice_id}", (P("invoice_id", "id", "path"),),
                 ("Delete invoice {invoice_id}", "Remove the invoice with id {invoice_id}", "Invoice {invoice_id} was a mistake, delete it")),
        Endpoint("PATCH", "/v1/customers/{customer_id}", (P("customer_id", "id", "path"), P("email", "email", "body")),
                 ("Change the email of customer {customer_id} to {email}", "Customer {customer_id} has a new email: {email}",
                  "Update customer {customer_id}: email {email}")),
        Endpoint("GET", "/v1/payments", (
            P("since", "date", "query", "since {v}", "received after {v}"),
            P("method", "enum", "query", "paid by {v}", "made with {v}", choices=("card", "bank", "paypal")),
            P("limit", "int", "query", "at most {v} of them", "only {v} results"),
        ), ("List payments", "Show the payments", "Fetch the payment list")),
    )),
    ("Shop API", (
        Endpoint("GET", "/api/products", (
            P("q", "word", "query", "matching '{v}'", "that match the search term '{v}'"),
            P("category", "enum", "query", "in the {v} category", "from category {v}", choices=("books", "garden", "toys", "audio", "kitchen")),
            P("max_price", "int", "query", "costing at most {v}", "under a price of {v}"),
        ), ("Search the products", "Find products", "Look up products")),
        Endpoint("POST", "/api/carts/{cart_id}/items", (
            P("cart_id", "id", "path"), P("product_id", "id", "body"), P("quantity", "int", "body"),
        ), ("Add {quantity} units of product {product_id} to cart {cart_id}",
            "Put product {product_id} (quantity {quantity}) into cart {cart_id}",
            "Cart {cart_id} needs {quantity} x product {product_id}")),
        Endpoint("POST", "/api/orders/{order_id}/cancel", (
            P("order_id", "id", "path"), P("reason", "enum", "body", choices=("duplicate", "fraud", "customer_request")),
        ), ("Cancel order {order_id} because of {reason}", "Order {order_id} must be cancelled, reason: {reason}",
            "Please cancel order {order_id} ({reason})")),
        Endpoint("GET", "/api/orders/{order_id}", (P("order_id", "id", "path"),),
                 ("Get the details of order {order_id}", "Show me order {order_id}", "What is in order {order_id}?")),
        Endpoint("PUT", "/api/products/{product_id}/stock", (P("product_id", "id", "path"), P("quantity", "int", "body")),
                 ("Set the stock of product {product_id} to {quantity}", "Product {product_id} now has {quantity} in stock",
                  "Update stock for product {product_id}: {quantity} units")),
    )),
    ("HR service v2", (
        Endpoint("GET", "/v2/employees", (
            P("department", "enum", "query", "in {v}", "working in the {v} department", choices=("sales", "finance", "it", "legal", "support")),
            P("active", "bool", "query", "with active={v}", "filtered by active={v}"),
            P("limit", "int", "query", "at most {v} of them", "limited to {v}"),
        ), ("List employees", "Show the employees", "Get the staff list")),
        Endpoint("POST", "/v2/leave-requests", (
            P("employee_id", "id", "body"), P("start", "date", "body"), P("end", "date", "body"),
            P("type", "enum", "body", choices=("vacation", "sick", "parental")),
        ), ("File a {type} leave for employee {employee_id} from {start} to {end}",
            "Employee {employee_id} takes {type} leave {start} to {end}",
            "Request {type} leave for employee {employee_id}, starting {start}, ending {end}")),
        Endpoint("PATCH", "/v2/employees/{employee_id}", (P("employee_id", "id", "path"), P("title", "text", "body")),
                 ("Change the title of employee {employee_id} to {title}", "Employee {employee_id} is now {title}",
                  "Update employee {employee_id}'s job title: {title}")),
        Endpoint("DELETE", "/v2/leave-requests/{request_id}", (P("request_id", "id", "path"),),
                 ("Withdraw leave request {request_id}", "Delete leave request {request_id}", "Cancel the leave request with id {request_id}")),
    )),
    ("Helpdesk API", (
        Endpoint("GET", "/v1/tickets", (
            P("status", "enum", "query", "that are {v}", "with status {v}", choices=("new", "open", "pending", "solved")),
            P("priority", "enum", "query", "with {v} priority", "of priority {v}", choices=("low", "normal", "high", "urgent")),
            P("assignee", "word", "query", "assigned to {v}", "owned by {v}"),
        ), ("List tickets", "Show the tickets", "Fetch tickets")),
        Endpoint("POST", "/v1/tickets", (
            P("subject", "text", "body"), P("priority", "enum", "body", choices=("low", "normal", "high", "urgent")),
            P("requester", "email", "body"),
        ), ("Open a {priority} priority ticket '{subject}' for {requester}",
            "Create a ticket: subject '{subject}', priority {priority}, requester {requester}",
            "{requester} reports '{subject}'; file it as {priority} priority")),
        Endpoint("PATCH", "/v1/tickets/{ticket_id}", (
            P("ticket_id", "id", "path"), P("status", "enum", "body", choices=("open", "pending", "solved")),
        ), ("Mark ticket {ticket_id} as {status}", "Set the status of ticket {ticket_id} to {status}",
            "Ticket {ticket_id} is now {status}")),
        Endpoint("GET", "/v1/tickets/{ticket_id}/comments", (
            P("ticket_id", "id", "path"), P("limit", "int", "query", "at most {v} of them", "only the first {v}"),
        ), ("Show the comments on ticket {ticket_id}", "List ticket {ticket_id}'s comments", "Get the comments of ticket {ticket_id}")),
    )),
    ("Events API", (
        Endpoint("GET", "/v3/events", (
            P("from", "date", "query", "from {v}", "starting on or after {v}"),
            P("to", "date", "query", "until {v}", "ending by {v}"),
            P("city", "word", "query", "in {v}", "taking place in {v}"),
        ), ("List events", "Show upcoming events", "Find the events")),
        Endpoint("POST", "/v3/events", (
            P("title", "text", "body"), P("date", "date", "body"), P("capacity", "int", "body"),
        ), ("Create an event '{title}' on {date} for {capacity} people",
            "Schedule '{title}' for {date} with room for {capacity}",
            "New event: '{title}', date {date}, capacity {capacity}")),
        Endpoint("POST", "/v3/events/{event_id}/registrations", (
            P("event_id", "id", "path"), P("email", "email", "body"), P("seats", "int", "body"),
        ), ("Register {email} for event {event_id} with {seats} seats", "Book {seats} seats at event {event_id} for {email}",
            "Sign up {email} to event {event_id} ({seats} seats)")),
        Endpoint("DELETE", "/v3/events/{event_id}", (P("event_id", "id", "path"),),
                 ("Delete event {event_id}", "Cancel and remove event {event_id}", "Event {event_id} is off, delete it")),
    )),
)


def _api_value(ctx: GenContext, p: Param) -> Any:
    if p.choices:
        return ctx.choice(p.choices)
    if p.kind == "id":
        return ctx.randint(100, 99999)
    if p.kind == "int":
        return ctx.randint(1, 100)
    if p.kind == "money":
        return round(ctx.randint(100, 500000) / 100, 2)
    if p.kind == "email":
        return ctx.fake.email()
    if p.kind == "date":
        return ctx.fake.date_between_dates(_D0, _D1).isoformat()
    if p.kind == "text":
        return ctx.fake.catch_phrase().replace("'", "")
    if p.kind == "word":
        return ctx.choice((ctx.fake.first_name(), ctx.fake.city(), ctx.fake.word())).replace("'", "")
    if p.kind == "bool":
        return ctx.choice(("true", "false"))
    raise ValueError(p.kind)


# fixed date range for Faker (never the current date)
_D0 = _dt.date(2024, 1, 1)
_D1 = _dt.date(2026, 12, 31)


def _nl_value(v: Any) -> str:
    """How a value is written in the request: numbers exactly as json.dumps writes them."""
    return json.dumps(v) if isinstance(v, (int, float)) else str(v)


def api_request_line(ep: Endpoint, values: dict[str, Any]) -> str:
    """The canonical request line for ``values`` (only params present in ``values`` are used)."""
    path = ep.path
    for p in ep.params:
        if p.where == "path":
            path = path.replace("{" + p.name + "}", str(values[p.name]))
    qs = [f"{p.name}={quote(str(values[p.name]), safe='')}" for p in ep.params if p.where == "query" and p.name in values]
    line = f"{ep.method} {path}" + ("?" + "&".join(qs) if qs else "")
    body = {p.name: values[p.name] for p in ep.params if p.where == "body" and p.name in values}
    if ep.method in ("POST", "PUT", "PATCH"):
        line += " " + json.dumps(body, ensure_ascii=False)
    return line


class ApiIntegrationGenerator(Generator):
    """API spec + request -> canonical request line (format in the module docstring).

    Difficulty: the spec lists 2 / 3 / all endpoints of the API (the others are distractors) and the
    request mentions up to 1 / 2 / 3 optional query parameters.
    """

    name = "api_integration"
    task_type = "generation"
    phrasings = 5

    TEMPLATES = (
        "API spec ({api}):\n{spec}\nRequest: {req}\nWrite the HTTP request line.",
        "{req}\nAvailable endpoints:\n{spec}\nAnswer with METHOD path[?query] [JSON body].",
        "Using the {api} below, which call fulfils this request?\n{spec}\nUser: {req}",
        "Endpoints:\n{spec}\n\nTask: {req}",
        "You are calling the {api}.\n{spec}\n{who} asks: \"{req}\"\nRequest line:",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        api, endpoints = ctx.choice(API_DOMAINS)
        target_i = ctx.randint(0, len(endpoints) - 1)
        target = endpoints[target_i]
        n_show = min(len(endpoints), ctx.level(2, 3, len(endpoints)))
        others = [i for i in range(len(endpoints)) if i != target_i]
        shown = sorted([target_i] + ctx.sample(others, n_show - 1))
        values: dict[str, Any] = {}
        fill: dict[str, str] = {}
        for p in target.params:
            if p.where != "query":
                values[p.name] = _api_value(ctx, p)
                fill[p.name] = _nl_value(values[p.name])
        optional = [p for p in target.params if p.where == "query"]
        n_opt = min(len(optional), ctx.randint(0, ctx.level(1, 2, 3)))
        if not [p for p in target.params if p.where != "query"]:
            n_opt = max(n_opt, 1)  # a bare list call still mentions one filter
        chosen = ctx.sample(optional, n_opt)
        ctx.rng.shuffle(chosen)  # mention order differs from spec order; the canonical line uses spec order
        clauses = []
        for p in chosen:
            values[p.name] = _api_value(ctx, p)
            clauses.append(ctx.choice(p.nl).format(v=_nl_value(values[p.name])))
        req = ctx.choice(target.asks).format(**fill)
        if clauses:
            req += " " + ", ".join(clauses)
        req += ctx.choice((".", "", ", please.", "."))
        spec = "\n".join(endpoints[i].spec() for i in shown)
        line = api_request_line(target, values)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(api=api, spec=spec, req=req, who=ctx.fake.first_name())
        return TrainingExample(
            prompt=prompt,
            response=line,
            metadata={"reference": line, "method": target.method, "endpoint": target.path, "values": values,
                      "phrasing": k},
        )


code_generation = Specialist("code_generation", CodeGenerationGenerator)
code_review = Specialist("code_review", CodeReviewGenerator)
code_documentation = Specialist("code_documentation", CodeDocumentationGenerator)
sql_generation = Specialist("sql_generation", SqlGenerationGenerator)
api_integration = Specialist("api_integration", ApiIntegrationGenerator)
