"""Text-to-SQL metrics: SQL extraction, normalised exact match, validity and execution accuracy.

Scope and references
    * Exact match on normalised SQL text (the original's ``SQLEvaluator``, original-system.md §5),
      made token-aware: keywords and identifiers are lower-cased and whitespace is collapsed
      *outside* string literals, whose content is kept (``'Paris'`` is not ``'paris'``); double
      quotes become single quotes and a trailing ``;`` is dropped, as in the original.
    * ``valid_sql``: SQLite can prepare the statement (``EXPLAIN <sql>``) against the example's
      schema in an in-memory database. Unlike the original's keyword/parenthesis heuristic, this
      rejects unknown tables and columns.
    * ``execution_accuracy`` (Zhong, Xiong & Socher, "Seq2SQL", 2017; Yu et al., "Spider", 2018):
      predicted and gold queries run on fresh in-memory databases built from ``schema`` + ``rows``;
      their result rows are compared as multisets, or as sequences when the gold query has a
      top-level ``ORDER BY``. Integral floats equal ints and floats are rounded to 6 decimals.

Safety: every statement runs under a progress-handler deadline (a runaway recursive CTE or cross
join is interrupted), at most ``MAX_ROWS`` rows are fetched, ``ATTACH``/``DETACH`` are denied by an
authorizer, and only ``SELECT``/``WITH``/``VALUES`` statements are executed.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

DEFAULT_TIMEOUT = 2.0
MAX_ROWS = 10_000

_FENCE_SQL = re.compile(r"```\s*sql\s*\n(.*?)(?:```|$)", re.IGNORECASE | re.DOTALL)
_FENCE_ANY = re.compile(r"```[^\n]*\n(.*?)(?:```|$)", re.DOTALL)
_START = re.compile(r"\bSELECT\b|\bWITH\s+(?:RECURSIVE\s+)?\w+\s*(?:\([^)]*\)\s*)?AS\s*\(", re.IGNORECASE)
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`|\[[^\]]*\]|\d+(?:\.\d+)?|\w+|<=|>=|<>|!=|==|\|\||\S",
                    re.UNICODE)


def extract_sql(text: str | None) -> str:
    """A ```` ```sql ```` block, else any fenced block, else from the first SELECT/WITH up to a
    blank line or ``;``, else the whole text."""
    if not text:
        return ""
    for fence in (_FENCE_SQL, _FENCE_ANY):
        m = fence.search(text)
        if m and m.group(1).strip():
            return m.group(1).strip()
    m = _START.search(text)
    if m:
        rest = text[m.start():]
        rest = re.split(r"\n\s*\n", rest, maxsplit=1)[0]
        semi = _statement_end(rest)
        return (rest[: semi + 1] if semi >= 0 else rest).strip()
    return text.strip()


def _statement_end(sql: str) -> int:
    """Index of the first ``;`` outside string literals, or -1."""
    for m in _TOKEN.finditer(sql):
        if m.group() == ";":
            return m.start()
    return -1


def normalize_sql(sql: str) -> str:
    """Token-wise normalisation for exact match (see module doc)."""
    tokens = []
    for tok in _TOKEN.findall(sql.strip()):
        if tok[0] in "'\"":
            tokens.append("'" + tok[1:-1] + "'")
        elif tok[0] in "`[":
            tokens.append(tok[1:-1].lower())
        else:
            tokens.append(tok.lower())
    while tokens and tokens[-1] == ";":
        tokens.pop()
    return " ".join(tokens)


def sql_exact_match(pred: str, gold: str) -> bool:
    return normalize_sql(pred) == normalize_sql(gold)


def _deny_attach(action: int, *_args: Any) -> int:
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def build_database(schema: Sequence[str] | str, rows: Sequence[str] | str = ()) -> sqlite3.Connection:
    """A fresh in-memory database with ``schema`` (CREATE statements) and ``rows`` (INSERTs).

    Raises ``ValueError`` when the gold schema or rows do not load.
    """
    conn = sqlite3.connect(":memory:")
    try:
        for script in ([schema] if isinstance(schema, str) else schema):
            conn.executescript(script)
        for script in ([rows] if isinstance(rows, str) else rows):
            conn.executescript(script)
    except sqlite3.Error as exc:
        conn.close()
        raise ValueError(f"gold schema/rows do not load in sqlite3: {exc}") from exc
    conn.set_authorizer(_deny_attach)
    return conn


def _with_deadline(conn: sqlite3.Connection, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 1000)


def is_valid_sql(sql: str, schema: Sequence[str] | str, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """True when SQLite prepares ``sql`` (one statement) against ``schema``."""
    sql = sql.strip().rstrip(";").strip()
    if not sql:
        return False
    conn = build_database(schema)
    try:
        _with_deadline(conn, timeout)
        conn.execute("EXPLAIN " + sql).fetchmany(1)
        return True
    except (sqlite3.Error, sqlite3.Warning, ValueError, OverflowError):
        return False
    finally:
        conn.close()


def _norm_value(v: Any) -> Any:
    if isinstance(v, float):
        if v.is_integer():
            return int(v)
        return round(v, 6)
    if isinstance(v, bytes):
        return v.hex()
    return v


def run_query(sql: str, schema: Sequence[str] | str, rows: Sequence[str] | str,
              timeout: float = DEFAULT_TIMEOUT) -> list[tuple[Any, ...]] | None:
    """Result rows of ``sql`` on a fresh database, or ``None`` on any error/timeout/non-query."""
    sql = sql.strip().rstrip(";").strip()
    if not re.match(r"(SELECT|WITH|VALUES)\b", sql, re.IGNORECASE):
        return None
    conn = build_database(schema, rows)
    try:
        _with_deadline(conn, timeout)
        cur = conn.execute(sql)
        result = cur.fetchmany(MAX_ROWS + 1)
        if len(result) > MAX_ROWS:
            return None
        return [tuple(_norm_value(v) for v in row) for row in result]
    except (sqlite3.Error, sqlite3.Warning, ValueError, OverflowError, MemoryError):
        return None
    finally:
        conn.close()


def has_top_level_order_by(sql: str) -> bool:
    """ORDER BY outside parentheses (subquery orderings do not fix the result order)."""
    depth = 0
    toks = [t.lower() for t in _TOKEN.findall(sql)]
    for i, tok in enumerate(toks):
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth -= 1
        elif tok == "order" and depth == 0 and i + 1 < len(toks) and toks[i + 1] == "by":
            return True
    return False


def execution_match(pred_sql: str, gold_sql: str, schema: Sequence[str] | str, rows: Sequence[str] | str,
                    timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Same result as the gold query (see module doc). Raises ``ValueError`` if the gold fails."""
    gold = run_query(gold_sql, schema, rows, timeout)
    if gold is None:
        raise ValueError(f"gold query does not run: {gold_sql!r}")
    pred = run_query(pred_sql, schema, rows, timeout)
    if pred is None:
        return False
    if has_top_level_order_by(gold_sql):
        return pred == gold
    return Counter(pred) == Counter(gold)
