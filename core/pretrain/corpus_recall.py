"""The recall corpus: several facts of one kind in the prompt, and a question that names one of them.

The embedded base copies a span of the kind a question asks for, but it does not pick the span by
the key the question names: asked where one of several people lives, it answers with a city,
rarely the right one (``benchmarks/recall_probe.py --relation lives``: 21 of 25 right with one such
fact, 5 with two, 3 with four, 1 with eight; asked who lives in a city, none). Most reading
lessons did not need the key, each of their facts being of another kind; the two that did, a
table cell by its row and the word after a given word, it answers 1 and 0 times in 20.
Specialists need it everywhere: context_protocol's memory lines, table_qa's rows, a hive's line
under its name. Every lesson here has two or more facts of the same shape with distinct keys and
distinct values, so only the key decides (a phase of them did not teach it in 2,000 to 6,000 steps:
docs/base-model.md, "Recall phase"):

* ``value``: the value of a named key, the facts as sentences or as ``key: value`` lines
  (``Where does Ana Ruiz live?`` -> ``Lisbon``);
* ``key``: the key of a named value, whose answer stands before the value in the text
  (``Who lives in Lisbon?`` -> ``Ana Ruiz``);
* ``block``: blocks under headers (``[billing]``, ``<hive name="ops">``, ``## Sales``) holding the
  same fields, a question naming the block and the field;
* ``row``: a Markdown table, a cell found by its row's key and its column's name;
* ``line``: the whole line of a list that mentions a named key, copied as it stands.

Each answer is computed from the facts and re-read from the prompt by
``tests/core/pretrain/test_corpus_recall.py``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

ITEMS = ("laptop", "kettle", "monitor", "backpack", "lamp", "router", "heater", "printer", "blender", "speaker",
         "chair", "desk", "camera", "phone", "tablet", "scanner")
SERVICES = ("billing", "search", "login", "payments", "reporting", "email", "inventory", "analytics", "checkout",
            "backup", "invoicing", "scheduling")


def _code(r: random.Random) -> str:
    return f"{r.choice(('INV', 'PO', 'ID', 'REF', 'TK'))}-{r.randint(100, 99999)}"


def _host(r: random.Random) -> str:
    return f"{r.choice(('app', 'db', 'web', 'node', 'srv', 'edge'))}-{r.randint(1, 99):02d}"


def _date(r: random.Random) -> str:
    """An ISO date from 2019 to 2027, drawn from ``r`` (not from today's date)."""
    return (dt.date(2019, 1, 1) + dt.timedelta(days=r.randint(0, 3285))).isoformat()


def _price(r: random.Random) -> str:
    return f"{r.randint(5, 9999)}.{r.randint(0, 99):02d} EUR"


# relation -> (sentence, question for the value, question for the key)
SHAPES = {
    "lives": ("{k} lives in {v}.", "Where does {k} live?", "Who lives in {v}?"),
    "works": ("{k} works for {v}.", "Which company does {k} work for?", "Who works for {v}?"),
    "born": ("{k} was born in {v}.", "When was {k} born?", "Who was born in {v}?"),
    "costs": ("The {k} costs {v}.", "How much does the {k} cost?", "Which item costs {v}?"),
    "owns": ("Ticket {k} is owned by {v}.", "Who owns ticket {k}?", "Which ticket does {v} own?"),
    "runs": ("The {k} service runs on {v}.", "Which host runs the {k} service?", "Which service runs on {v}?"),
    "met": ("On {k} I met {v}.", "Whom did I meet on {k}?", "When did I meet {v}?"),
}


def _drawers(r: random.Random, f) -> dict[str, tuple[Callable[[], str], Callable[[], str]]]:  # noqa: ANN001
    """Relation -> (key drawer, value drawer)."""
    return {
        "lives": (f.name, f.city), "works": (f.name, f.company),
        "born": (f.name, lambda: str(r.randint(1940, 2010))), "costs": (lambda: r.choice(ITEMS), lambda: _price(r)),
        "owns": (lambda: _code(r), f.name), "runs": (lambda: r.choice(SERVICES), lambda: _host(r)),
        "met": (lambda: _date(r), f.name),
    }


def _distinct(draw: Callable[[], str], n: int) -> list[str]:
    out: list[str] = []
    for _ in range(50 * n):
        v = draw()
        if v not in out and not any(v in o or o in v for o in out):
            out.append(v)
            if len(out) == n:
                return out
    raise ValueError("could not draw distinct values")


def facts(r: random.Random, f, n: int | None = None,  # noqa: ANN001
          relation: str | None = None) -> tuple[str, list[tuple[str, str]]]:
    """A relation of :data:`SHAPES` (``relation``, else one drawn) and ``n`` (else 2 to 8) (key, value)
    pairs, keys distinct and values distinct."""
    name = relation or r.choice(sorted(SHAPES))
    key, val = _drawers(r, f)[name]
    n = n or r.randint(2, 8)
    return name, list(zip(_distinct(key, n), _distinct(val, n)))


def _listing(r: random.Random, name: str, pairs: list[tuple[str, str]]) -> str:
    sentence = SHAPES[name][0]
    form = r.randrange(3)
    if form == 0:
        return " ".join(sentence.format(k=k, v=v) for k, v in pairs)
    if form == 1:
        return "\n".join(sentence.format(k=k, v=v) for k, v in pairs)
    return "\n".join(f"{k}: {v}" for k, v in pairs)


def _l_value(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    name, pairs = facts(r, f)
    k, v = r.choice(pairs)
    question = SHAPES[name][1].format(k=k)
    text = _listing(r, name, pairs)
    return r.choice((f"{text}\nQuestion: {question}", f"Question: {question}\n{text}", f"{text}\n{question}")), v


def _l_key(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    name, pairs = facts(r, f)
    k, v = r.choice(pairs)
    sentence, question = SHAPES[name][0], SHAPES[name][2].format(v=v)
    text = r.choice((" ", "\n")).join(sentence.format(k=a, v=b) for a, b in pairs)
    return r.choice((f"{text}\nQuestion: {question}", f"{text}\n{question}")), k


FIELDS: dict[str, Callable[[random.Random, object], str]] = {
    "owner": lambda r, f: f.name(), "host": lambda r, f: _host(r), "deadline": lambda r, f: _date(r),
    "budget": lambda r, f: _price(r), "city": lambda r, f: f.city(), "contact": lambda r, f: f.email(),
    "code": lambda r, f: _code(r)}
HEADERS = ("[{b}]", '<hive name="{b}">', "## {b}", "{b}:")
BLOCK_NAMES = ("ops", "finance", "sales", "legal", "platform", "design", "research", "support", "security",
               "marketing", "billing", "north", "south", "east", "west")


def blocks(r: random.Random, f) -> tuple[str, list[tuple[str, dict[str, str]]]]:  # noqa: ANN001
    """A header form and 2 to 4 blocks (name, fields), every block with the same 1 to 3 fields."""
    names = r.sample(BLOCK_NAMES, r.randint(2, 4))
    fields = r.sample(sorted(FIELDS), r.randint(1, 3))
    out = []
    for b in names:
        out.append((b, {k: FIELDS[k](r, f) for k in fields}))
    return r.choice(HEADERS), out


def _render_blocks(header: str, bl: list[tuple[str, dict[str, str]]]) -> str:
    parts = []
    for b, fields in bl:
        lines = [header.format(b=b)] + [f"{k}: {v}" for k, v in fields.items()]
        if header.startswith("<hive"):
            lines.append("</hive>")
        parts.append("\n".join(lines))
    return "\n".join(parts)


def _l_block(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    header, bl = blocks(r, f)
    b, fields = r.choice(bl)
    k = r.choice(sorted(fields))
    q = r.choice((f"What is the {k} in {b}?", f"In {b}, what is the {k}?", f"According to {b}, which {k}?"))
    return f"{_render_blocks(header, bl)}\n{q}", fields[k]


COLUMNS = {"City": lambda r, f: f.city(), "Company": lambda r, f: f.company(),
           "Year": lambda r, f: str(r.randint(1950, 2024)), "Code": lambda r, f: _code(r),
           "Score": lambda r, f: str(r.randint(0, 999)), "Email": lambda r, f: f.email()}


def _l_row(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    cols = r.sample(sorted(COLUMNS), r.randint(2, 3))
    keys = _distinct(f.name, r.randint(2, 7))
    rows = [{"Name": k, **{c: COLUMNS[c](r, f) for c in cols}} for k in keys]
    head = ["Name", *cols]
    table = "\n".join([f"| {' | '.join(head)} |", "|" + "---|" * len(head)]
                      + [f"| {' | '.join(row[c] for c in head)} |" for row in rows])
    row, c = r.choice(rows), r.choice(cols)
    q = r.choice((f"What is the {c} of {row['Name']}?", f"{row['Name']}: {c}?", f"Look up {c} for {row['Name']}."))
    return r.choice((f"{table}\n{q}", f"{q}\n{table}")), row[c]


def _l_line(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    name, pairs = facts(r, f, r.randint(2, 6))
    lines = [SHAPES[name][0].format(k=k, v=v) for k, v in pairs]
    i = r.randrange(len(lines))
    q = r.choice((f"Copy the line about {pairs[i][0]}.", f"Which line mentions {pairs[i][0]}?",
                  f"Quote the line on {pairs[i][0]}."))
    listing = "\n".join(lines)
    return f"{listing}\n{q}", lines[i]


RECALL_LESSON_KINDS: dict[str, Callable[..., tuple[str, str]]] = {
    "value": _l_value, "key": _l_key, "block": _l_block, "row": _l_row, "line": _l_line}
