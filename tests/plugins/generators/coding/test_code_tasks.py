"""Content tests for the code_generation and code_documentation generators
(plugins/generators/coding/code_tasks.py)."""

from __future__ import annotations

import re
from typing import Any

from simplex_training.plugins.generators.coding.code_tasks import (
    CodeDocumentationGenerator,
    CodeGenerationGenerator,
)
from simplex_training.testing import sample_each_difficulty


def _sample(gen_cls: type, n: int = 200, seed: int = 3) -> list[Any]:
    return sample_each_difficulty(gen_cls(), n, seed)


# -- code_generation ------------------------------------------------------------------------------


def _run_tests(code: str, tests: list[str]) -> list[bool]:
    ns: dict[str, Any] = {}
    exec(compile(code, "<reference>", "exec"), ns)  # noqa: S102 - our own generated code
    results = []
    for t in tests:
        try:
            exec(t, dict(ns))  # noqa: S102
            results.append(True)
        except AssertionError:
            results.append(False)
    return results


def test_code_generation_reference_passes_its_tests() -> None:
    for ex in _sample(CodeGenerationGenerator):
        md = ex.metadata
        assert md["reference"] == ex.response
        assert ex.response.startswith(f"def {md['entry_point']}(")
        assert md["entry_point"] in ex.prompt
        assert md["tests"] and all(t.startswith(f"assert {md['entry_point']}(") for t in md["tests"])
        assert all(_run_tests(ex.response, md["tests"])), (ex.response, md["tests"])


def test_code_generation_tests_discriminate() -> None:
    """A wrong implementation (returning a constant or the input) fails at least one test."""
    for ex in _sample(CodeGenerationGenerator, n=80):
        md = ex.metadata
        for body in ("return None", "return args[0]", "return 0"):
            wrong = f"def {md['entry_point']}(*args):\n    {body}\n"
            assert not all(_run_tests(wrong, md["tests"])), (ex.response, md["tests"], body)


def test_code_generation_prompt_examples_are_tests() -> None:
    for ex in _sample(CodeGenerationGenerator, n=100):
        tests = ex.metadata["tests"]
        ep = ex.metadata["entry_point"]
        shown = [line.strip().rstrip(".") for line in re.split(r"[\n;]", ex.prompt) if f"{ep}(" in line and "==" in line]
        for s in shown:
            s = s.split("For instance, ")[-1].split("Example: ")[-1].strip()
            assert f"assert {s}" in tests, (s, tests)


def test_code_generation_difficulty() -> None:
    gen = CodeGenerationGenerator()
    easy = list(gen.generate(200, seed=4, difficulty="easy"))
    hard = list(gen.generate(200, seed=4, difficulty="hard"))
    assert all(len(e.metadata["tests"]) == 3 for e in easy)
    assert all(len(e.metadata["tests"]) == 5 for e in hard)
    lines = lambda exs: sum(e.response.count("\n") for e in exs) / len(exs)  # noqa: E731
    assert lines(hard) > lines(easy) + 1


# -- code_documentation ---------------------------------------------------------------------------


def test_code_documentation_summary_matches_code() -> None:
    for ex in _sample(CodeDocumentationGenerator):
        summary = ex.response
        assert summary == ex.metadata["reference"]
        assert summary.startswith("Return") and summary.endswith(".") and "\n" not in summary
        m = re.search(r"def (\w+)\((\w+)\):", ex.prompt)
        assert m and m.group(1) == ex.metadata["entry_point"]
        param = m.group(2)
        assert re.search(rf"\b{param}\b", summary), (summary, param)
        # every number the summary states is a constant in the code
        code = ex.prompt[m.start():]
        for num in re.findall(r"(?<![\w.])-?\d+(?![\w.])", summary):
            if num not in ("1", "0"):
                assert re.search(rf"(?<![\w.]){re.escape(num)}(?![\w.])", code), (num, summary, code)
        # every quoted string in the summary is a literal in the code
        for lit in re.findall(r'"([^"]+)"', summary):
            assert lit in code, (lit, summary)
        # the function in the prompt compiles
        compile(code.split("```")[0].split("\nSummarize")[0], "<doc>", "exec")


def test_code_documentation_hard_uses_generic_names() -> None:
    gen = CodeDocumentationGenerator()
    generic = {"helper", "process", "compute", "transform", "func", "solve", "handle", "f"}
    hard = list(gen.generate(100, seed=2, difficulty="hard"))
    easy = list(gen.generate(100, seed=2, difficulty="easy"))
    assert all(e.metadata["entry_point"] in generic for e in hard)
    assert not any(e.metadata["entry_point"] in generic for e in easy)
