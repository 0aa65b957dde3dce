"""SQL extraction, normalised exact match, validity and execution accuracy with a timeout guard."""

import sqlite3
import time

import pytest

from simplex_training.metrics.sql import (
    build_database,
    execution_match,
    extract_sql,
    has_top_level_order_by,
    is_valid_sql,
    normalize_sql,
    run_query,
    sql_exact_match,
)

SCHEMA = ["CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, city TEXT, age INTEGER)"]
ROWS = ["INSERT INTO people VALUES (1, 'Ann', 'Paris', 34), (2, 'Bob', 'Oslo', 25), "
        "(3, 'Cid', 'Paris', 41), (4, 'Dee', 'Rome', 34)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("```sql\nSELECT name FROM people;\n```\nThis returns names.", "SELECT name FROM people;"),
        ("```\nSELECT 1\n```", "SELECT 1"),
        ("Here it is with a filter: SELECT a FROM t WHERE b = 'x;y'; Explanation follows", "SELECT a FROM t WHERE b = 'x;y';"),
        ("SELECT a\nFROM t\n\nThe query above selects a.", "SELECT a\nFROM t"),
        ("Use WITH c AS (SELECT 1) SELECT * FROM c", "WITH c AS (SELECT 1) SELECT * FROM c"),
        ("nothing sql here", "nothing sql here"),
        ("", ""),
    ],
)
def test_extract_sql(text, expected):
    assert extract_sql(text) == expected


def test_normalize_sql():
    a = 'select  Name from People\n where city = "Paris";'
    b = "SELECT name FROM people WHERE city='Paris'"
    assert normalize_sql(a) == normalize_sql(b) == "select name from people where city = 'Paris'"
    assert sql_exact_match(a, b)
    assert not sql_exact_match("SELECT name FROM people WHERE city = 'paris'", b)  # literal case kept
    assert not sql_exact_match("SELECT city FROM people", b)


def test_valid_sql_uses_the_schema():
    assert is_valid_sql("SELECT name FROM people WHERE age > 30", SCHEMA)
    assert not is_valid_sql("SELECT salary FROM people", SCHEMA)  # unknown column
    assert not is_valid_sql("SELECT name FROM persons", SCHEMA)  # unknown table
    assert not is_valid_sql("SELEC name FROM people", SCHEMA)
    assert not is_valid_sql("SELECT 1; SELECT 2", SCHEMA)
    assert not is_valid_sql("", SCHEMA)


def test_execution_ignores_row_order_unless_gold_orders():
    gold = "SELECT name FROM people WHERE city = 'Paris'"
    assert execution_match("SELECT name FROM people WHERE city = 'Paris' ORDER BY name DESC", gold, SCHEMA, ROWS)
    assert execution_match("SELECT p.name AS n FROM people p WHERE p.age > 33 AND p.city <> 'Rome'", gold, SCHEMA, ROWS)
    assert not execution_match("SELECT name FROM people", gold, SCHEMA, ROWS)
    ordered = "SELECT name FROM people ORDER BY age, name"
    assert execution_match("SELECT name FROM people ORDER BY age ASC, name ASC", ordered, SCHEMA, ROWS)
    assert not execution_match("SELECT name FROM people ORDER BY age DESC, name", ordered, SCHEMA, ROWS)


def test_execution_compares_multisets_and_numbers():
    gold = "SELECT city FROM people"
    assert not execution_match("SELECT DISTINCT city FROM people", gold, SCHEMA, ROWS)  # duplicates count
    assert execution_match("SELECT sum(age) * 1.0 / count(*) FROM people", "SELECT avg(age) FROM people", SCHEMA, ROWS)
    assert execution_match("SELECT count(*) * 1.0 FROM people", "SELECT count(*) FROM people", SCHEMA, ROWS)


def test_has_top_level_order_by():
    assert has_top_level_order_by("SELECT a FROM t ORDER BY a")
    assert not has_top_level_order_by("SELECT a FROM (SELECT a FROM t ORDER BY a LIMIT 3)")
    assert not has_top_level_order_by("SELECT 'order by' FROM t")


def test_non_terminating_query_is_interrupted():
    endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
    start = time.monotonic()
    assert run_query(endless, SCHEMA, ROWS, timeout=0.3) is None
    assert not execution_match(endless, "SELECT 1", SCHEMA, ROWS, timeout=0.3)
    assert time.monotonic() - start < 5.0


def test_invalid_or_non_query_predictions_fail_cleanly():
    gold = "SELECT name FROM people"
    assert not execution_match("SELECT nope FROM people", gold, SCHEMA, ROWS)
    assert not execution_match("DELETE FROM people", gold, SCHEMA, ROWS)
    assert not execution_match("", gold, SCHEMA, ROWS)
    assert run_query("DROP TABLE people", SCHEMA, ROWS) is None


def test_bad_gold_is_an_error_and_attach_is_denied():
    with pytest.raises(ValueError, match="gold query"):
        execution_match("SELECT 1", "SELECT nope FROM people", SCHEMA, ROWS)
    with pytest.raises(ValueError, match="schema"):
        build_database(["CREATE TABLE broken ("])
    conn = build_database(SCHEMA, ROWS)
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("ATTACH DATABASE ':memory:' AS other")
    conn.close()
