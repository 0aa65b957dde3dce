"""code_review: short functions built from a few base templates.

A defect (off_by_one, missing_null_check, unused_variable, sql_injection) is injected into a clean
base, or the base is left clean (no_issue); exactly one defect per snippet, and the response quotes
the defective line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

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


code_review = Specialist("code_review", CodeReviewGenerator)
