"""Content tests for the code_review generator (plugins/generators/coding/code_review.py)."""

from __future__ import annotations

import ast
import re
import sqlite3
from typing import Any

import pytest

from simplex_training.plugins.generators.coding.code_review import CodeReviewGenerator
from simplex_training.testing import sample_each_difficulty


def _sample(gen_cls: type, n: int = 200, seed: int = 3) -> list[Any]:
    return sample_each_difficulty(gen_cls(), n, seed)



def _functions(tree: ast.AST) -> list[ast.FunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]


def has_unused_variable(tree: ast.AST) -> bool:
    for fn in _functions(tree):
        stored = [n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
        loaded = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        if any(s not in loaded for s in stored):
            return True
    return False


def has_sql_injection(tree: ast.AST) -> bool:
    for n in ast.walk(tree):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "execute" and n.args:
            q = n.args[0]
            if isinstance(q, (ast.JoinedStr, ast.BinOp)):
                return True
            if isinstance(q, ast.Call) and isinstance(q.func, ast.Attribute) and q.func.attr == "format":
                return True
    return False


def has_missing_null_check(tree: ast.AST) -> bool:
    for fn in _functions(tree):
        maybe_none = []
        for n in ast.walk(fn):
            if (isinstance(n, ast.Assign) and isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Attribute)
                    and n.value.func.attr in ("get", "search", "match", "fetchone") and isinstance(n.targets[0], ast.Name)):
                maybe_none.append(n.targets[0].id)
        for var in maybe_none:
            checked = any(
                isinstance(n, ast.Compare) and isinstance(n.left, ast.Name) and n.left.id == var
                and isinstance(n.ops[0], (ast.Is, ast.IsNot))
                for n in ast.walk(fn)
            )
            if not checked:
                return True
    return False


def has_off_by_one(code: str) -> bool:
    if re.search(r"range\((?:1, )?len\((\w+)\) \+ 1\)", code) or re.search(r"\b(\w+)\[len\(\1\)\]", code):
        return True
    if re.search(r"<= len\(", code):
        return True
    for m in re.finditer(r"range\(len\((\w+)\)\):", code):
        if f"{m.group(1)}[i + 1]" in code:
            return True
    return False


def detected(code: str) -> list[str]:
    tree = ast.parse(code)
    found = []
    if has_off_by_one(code):
        found.append("off_by_one")
    if has_missing_null_check(tree):
        found.append("missing_null_check")
    if has_unused_variable(tree):
        found.append("unused_variable")
    if has_sql_injection(tree):
        found.append("sql_injection")
    return found


def test_code_review_label_follows_from_code() -> None:
    for ex in _sample(CodeReviewGenerator):
        label, code = ex.metadata["label"], ex.metadata["code"]
        assert code in ex.prompt
        found = detected(code)
        if label == "no_issue":
            assert found == [], (found, code)
            assert ex.response == "Issue: no_issue"
        else:
            assert found == [label], (label, found, code)
            line = ex.metadata["line"]
            assert line and line in code
            assert ex.response == f"Issue: {label}\nLine: {line}"


def _harness(template: str, names: dict[str, str], fn: Any) -> None:
    """Call the function the way its docstring promises; raises if the function misbehaves."""
    if template == "sum":
        assert fn([1, 2, 3]) == 6 and fn([]) == 0
    elif template == "diffs":
        assert fn([1, 4, 9]) == [3, 5]
    elif template == "last":
        assert fn([1, 2]) == 2 and fn([]) is None
    elif template == "find":
        assert fn([5, 6], 6) == 1 and fn([5], 7) == -1
    elif template == "lookup":
        assert fn({"k": {names["field"]: "x"}}, "k") == "x"
        assert fn({}, "missing") is None
    elif template == "regex":
        assert fn("nothing to see") == ""
    elif template == "config":
        assert fn({names["setting"]: "5"}) == 10
        assert fn({}) == int(names["default"])
    else:
        conn = sqlite3.connect(":memory:")
        t, p, c = names["table"], names["param"], names["col"]
        conn.execute(f"CREATE TABLE {t} ({p} TEXT, {c} TEXT)")
        conn.executemany(f"INSERT INTO {t} VALUES (?, ?)", [("a", "x"), ("O'Brien", "y"), ("b", "z")])
        if template == "fetch":
            assert fn(conn, "O'Brien") == "y"
            assert fn(conn, "nobody") is None
        elif template == "count":
            assert fn(conn, "O'Brien") == 1
        elif template == "delete":
            fn(conn, "O'Brien")
            assert conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] == 2
        else:
            raise AssertionError(template)


def _load(ex: Any) -> Any:
    ns: dict[str, Any] = {}
    exec(compile(ex.metadata["code"], "<review>", "exec"), ns)  # noqa: S102
    return ns[ex.metadata["names"]["fn"]]


def test_code_review_runtime_behaviour() -> None:
    """Clean and unused-variable snippets work; the other defects really break on ordinary input."""
    for ex in _sample(CodeReviewGenerator, n=150):
        label, template, names = ex.metadata["label"], ex.metadata["template"], ex.metadata["names"]
        fn = _load(ex)
        if label in ("no_issue", "unused_variable"):
            _harness(template, names, fn)
        else:
            with pytest.raises((IndexError, TypeError, AttributeError, sqlite3.Error, AssertionError)):
                _harness(template, names, fn)


def test_code_review_every_base_appears_clean_and_defective() -> None:
    seen: dict[str, set[str]] = {}
    for ex in CodeReviewGenerator().generate(1000, seed=5):
        seen.setdefault(ex.metadata["template"], set()).add(ex.metadata["label"])
    assert len(seen) == 10
    for template, labels in seen.items():
        assert "no_issue" in labels and "unused_variable" in labels and len(labels) >= 3, (template, labels)


def test_code_review_difficulty_adds_helpers() -> None:
    gen = CodeReviewGenerator()
    count = lambda d: sum(e.metadata["code"].count("def ") for e in gen.generate(100, seed=1, difficulty=d))  # noqa: E731
    assert count("easy") == 100
    assert count("medium") == 200
    assert count("hard") == 300
