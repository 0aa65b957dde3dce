"""Content tests for the sql_generation generator (plugins/generators/coding/sql_generation.py)."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from simplex_training.plugins.generators.coding.sql_generation import (
    SqlGenerationGenerator,
)
from simplex_training.testing import sample_each_difficulty


def _sample(gen_cls: type, n: int = 200, seed: int = 3) -> list[Any]:
    return sample_each_difficulty(gen_cls(), n, seed)


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
