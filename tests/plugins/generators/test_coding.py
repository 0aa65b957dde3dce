"""Content tests for the coding generators (code_generation, code_review, code_documentation,
sql_generation, api_integration)."""

from __future__ import annotations

import ast
import json
import re
import sqlite3
from typing import Any
from urllib.parse import unquote

import pytest

from simplex_training.pluginmanager import get_host
from simplex_training.plugins.generators.coding import (
    API_DOMAINS,
    ApiIntegrationGenerator,
    CodeDocumentationGenerator,
    CodeGenerationGenerator,
    CodeReviewGenerator,
    SqlGenerationGenerator,
    api_request_line,
)

IDS = ["code_generation", "code_review", "code_documentation", "sql_generation", "api_integration"]


@pytest.mark.parametrize("sid", IDS)
def test_registered(sid: str) -> None:
    host = get_host()
    assert f"specialists.{sid}" in host.infos
    assert sid in host.registry("generators")
    assert sid in host.registry("specialists")


def _sample(gen_cls: type, n: int = 200, seed: int = 3) -> list[Any]:
    gen = gen_cls()
    out = []
    for d in ("easy", "medium", "hard"):
        out += list(gen.generate(n, seed=seed, difficulty=d))
    return out


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


# -- code_review ----------------------------------------------------------------------------------


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


# -- sql_generation -------------------------------------------------------------------------------

KEYWORDS = ("select", "from", "where", "and", "group by", "order by", "limit", "having", "join", "on", "distinct",
            "count", "avg", "sum", "max", "min", "desc", "asc")


def _run_sql(md: dict[str, Any]) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(":memory:")
    for stmt in md["schema"] + md["rows"]:
        conn.execute(stmt)
    return conn.execute(md["sql"]).fetchall()


def test_sql_executes_and_returns_rows() -> None:
    for ex in _sample(SqlGenerationGenerator):
        md = ex.metadata
        assert md["sql"] == ex.response == md["reference"]
        rows = _run_sql(md)
        assert len(rows) >= 1, ex.response
        assert rows[0][0] is not None, ex.response
        for stmt in md["schema"]:
            assert stmt in ex.prompt
        if md["kind"] == "lookup":
            assert len(rows) == 1
        if md["kind"] == "top_k":
            assert len(rows) == int(ex.response.rsplit(" ", 1)[1])


def test_sql_canonical_format() -> None:
    for ex in _sample(SqlGenerationGenerator, n=100):
        sql = ex.response
        assert not sql.endswith(";") and "  " not in sql and sql == sql.strip()
        outside = re.sub(r"'(?:[^']|'')*'", "''", sql)  # drop string literals
        for kw in KEYWORDS:
            assert not re.search(rf"\b{kw}\b", outside), (kw, sql)


def test_sql_literals_come_from_question() -> None:
    for ex in _sample(SqlGenerationGenerator):
        sql = ex.response
        for lit in re.findall(r"'((?:[^']|'')*)'", sql):
            assert lit.replace("''", "'") in ex.prompt, (lit, ex.prompt)
        outside = re.sub(r"'(?:[^']|'')*'", "''", sql)
        for num in re.findall(r"(?<![\w.(*])-?\d+(?![\w.])", outside):
            assert re.search(rf"(?<![\d.]){num}(?![\d])", ex.prompt), (num, sql, ex.prompt)


def test_sql_count_matches_python() -> None:
    """Independent recomputation of COUNT(*) ... WHERE col = 'v' from the INSERT rows."""
    checked = 0
    for ex in _sample(SqlGenerationGenerator):
        m = re.fullmatch(r"SELECT COUNT\(\*\) FROM (\w+) WHERE (\w+) = '((?:[^']|'')*)'", ex.response)
        if not m:
            continue
        table, col, value = m.group(1), m.group(2), m.group(3).replace("''", "'")
        cols = re.search(rf"CREATE TABLE {table} \(([^)]*)\)", "\n".join(ex.metadata["schema"])).group(1)  # type: ignore[union-attr]
        idx = [c.split()[0] for c in cols.split(", ")].index(col)
        conn = sqlite3.connect(":memory:")
        values = []
        for stmt in ex.metadata["rows"]:
            if stmt.startswith(f"INSERT INTO {table} "):
                vals = conn.execute("SELECT " + stmt.split(" VALUES (", 1)[1][:-1]).fetchone()
                values.append(vals[idx])
        assert _run_sql(ex.metadata)[0][0] == values.count(value)
        checked += 1
    assert checked > 20


def test_sql_difficulty() -> None:
    gen = SqlGenerationGenerator()
    easy = list(gen.generate(100, seed=2, difficulty="easy"))
    hard = list(gen.generate(100, seed=2, difficulty="hard"))
    assert all(len(e.metadata["schema"]) == 1 and "JOIN" not in e.response for e in easy)
    assert all(len(e.metadata["schema"]) == 2 for e in hard)
    assert sum("JOIN" in e.response or "GROUP BY" in e.response for e in hard) > 40
    assert sum(len(e.metadata["rows"]) for e in hard) > 2 * sum(len(e.metadata["rows"]) for e in easy)


# -- api_integration ------------------------------------------------------------------------------

ENDPOINTS = {(ep.method, ep.path): ep for _, eps in API_DOMAINS for ep in eps}


def _path_regex(path: str) -> str:
    return "^" + re.sub(r"\\\{\w+\\\}", r"(\\d+)", re.escape(path)) + "$"


def test_api_request_line_grounded_and_canonical() -> None:
    for ex in _sample(ApiIntegrationGenerator):
        line = ex.response
        assert line == ex.metadata["reference"]
        method, rest = line.split(" ", 1)
        target, _, body_text = rest.partition(" ")
        path, _, qs = target.partition("?")
        candidates = [ep for (m, _), ep in ENDPOINTS.items() if m == method and re.match(_path_regex(ep.path), path)]
        assert len(candidates) == 1, line
        ep = candidates[0]
        assert ep.spec() in ex.prompt, "the endpoint used is listed in the prompt's spec"
        for pid in re.match(_path_regex(ep.path), path).groups():  # type: ignore[union-attr]
            assert re.search(rf"\b{pid}\b", ex.prompt)
        spec_q = [p.name for p in ep.params if p.where == "query"]
        if qs:
            pairs = [kv.split("=", 1) for kv in qs.split("&")]
            keys = [k for k, _ in pairs]
            assert keys == [k for k in spec_q if k in keys], "query params in spec order"
            for _, v in pairs:
                assert unquote(v) in ex.prompt.split("\n")[-1] or unquote(v) in ex.prompt, (v, ex.prompt)
        if method in ("POST", "PUT", "PATCH"):
            body = json.loads(body_text)
            spec_b = [p.name for p in ep.params if p.where == "body"]
            assert list(body) == spec_b
            for v in body.values():
                assert json.dumps(v, ensure_ascii=False).strip('"') in ex.prompt, (v, ex.prompt)
        else:
            assert body_text == ""
        assert api_request_line(ep, ex.metadata["values"]) == line


def test_api_difficulty_adds_distractor_endpoints() -> None:
    gen = ApiIntegrationGenerator()

    def spec_lines(d: str) -> float:
        exs = list(gen.generate(100, seed=6, difficulty=d))
        return sum(sum(1 for ln in e.prompt.split("\n") if re.match(r"^(GET|POST|PUT|PATCH|DELETE) /", ln)) for e in exs) / 100

    assert spec_lines("easy") == 2
    assert spec_lines("medium") == 3
    assert spec_lines("hard") > 4
