"""sql_generation: a question over one or two small tables and its one canonical query.

The prompt holds the CREATE TABLE text; rows are Faker data; every literal of the query comes from
the question and the query returns at least one row.

Canonical SQL format: upper-case keywords and function names (``SELECT``, ``COUNT(*)``,
``AVG(...)``, ``GROUP BY``, ``ORDER BY ... DESC``, ``LIMIT``, ``JOIN ... ON``), single spaces,
``, `` between select items, string literals in single quotes (a quote doubled), integer literals
as plain digits, column names unqualified in single-table queries and qualified as
``table.column`` in joins, joins always written ``FROM parent JOIN child ON child.fk = parent.id``,
no trailing semicolon.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist


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


sql_generation = Specialist("sql_generation", SqlGenerationGenerator)
