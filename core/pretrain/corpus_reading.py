"""The second pretraining stage's extra material: reading, copying and computing.

The first stage (:mod:`simplex_training.pretrain.corpus`) teaches vocabulary, formats and the chat
template, but a 4M-parameter model trained on it does not learn to copy a span from its context: asked
for the people in a text it answers plausible names that are not there. This stage adds documents in
which spans recur (the pattern attention heads learn copying from) and lessons whose answer is a
span, a list or a record copied from the prompt, a value looked up in a table, or a computed number
written out step by step. All of it is generic: no specialist's task template appears here.
"""

from __future__ import annotations

import json
import random

# -- documents ------------------------------------------------------------------------------------


def _code(r: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(r.choice(letters) for _ in range(r.randint(2, 4))) + "-" + str(r.randint(10, 99999))


def _echo(r: random.Random, f) -> str:  # noqa: ANN001
    """A reference that is mentioned, then quoted again later."""
    ref, name = _code(r), f.name()
    return (f"Reference {ref} was opened by {name}. {f.sentence()} {f.sentence()} "
            f"Please quote {ref} when you write to {name}.")


def _recap(r: random.Random, f) -> str:  # noqa: ANN001
    """A short story followed by a recap that copies its names, places and dates."""
    a, b, city, company, date = f.name(), f.name(), f.city(), f.company(), f.date()
    return (f"On {date}, {a} met {b} in {city}. {f.sentence()} They talked about {company}. "
            f"{f.sentence()}\nIn short: {a} and {b} met in {city} on {date} to discuss {company}.")


def _sql_doc(r: random.Random, f) -> str:  # noqa: ANN001
    table = f.word() + r.choice(["s", "_log", "_items", "_list"])
    cols = list(dict.fromkeys(f.words(r.randint(2, 4))))
    ddl = f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, " + ", ".join(
        f"{c} {r.choice(['TEXT', 'INTEGER', 'REAL'])}" for c in cols) + ")"
    c = r.choice(cols)
    query = r.choice([f"SELECT {c} FROM {table}", f"SELECT COUNT(*) FROM {table} WHERE {c} > {r.randint(1, 99)}",
                      f"SELECT {', '.join(cols)} FROM {table} ORDER BY {c} DESC LIMIT {r.randint(1, 9)}"])
    return f"{ddl}\n{query};"


def _request_doc(r: random.Random, f) -> str:  # noqa: ANN001
    res, key, val = f.word() + "s", f.word(), r.randint(1, 500)
    method = r.choice(["GET", "POST", "DELETE", "PATCH"])
    line = f"{method} /v{r.randint(1, 3)}/{res}" + (f"/{val}" if method != "GET" else f"?{key}={val}")
    return f"{f.sentence()}\n{line}"


READING_DOCUMENT_KINDS = {"echo": _echo, "recap": _recap, "sql": _sql_doc, "request": _request_doc}


# -- lessons --------------------------------------------------------------------------------------


def _facts(r: random.Random, f) -> list[tuple[str, str, str]]:  # noqa: ANN001
    """(statement, question, answer) triples; the answer is a span of the statement."""
    name, leader, city, company, thing = f.name(), f.name(), f.city(), f.company(), f.word()
    price, year, code, date = f"{r.randint(2, 900)} dollars", str(r.randint(1900, 2024)), _code(r), f.date()
    days = f"{r.randint(2, 60)} days"
    return [
        (f"{name} lives in {city}.", f"Where does {name} live?", city),
        (f"The {thing} costs {price}.", f"How much does the {thing} cost?", price),
        (f"{company} was founded in {year}.", f"When was {company} founded?", year),
        (f"The access code is {code}.", "What is the access code?", code),
        (f"The meeting is on {date}.", "When is the meeting?", date),
        (f"Delivery takes {days}.", "How long does delivery take?", days),
        (f"The project is led by {leader}.", "Who leads the project?", leader),
    ]


def _l_span(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    chosen = r.sample(_facts(r, f), r.randint(2, 5))
    _, question, answer = r.choice(chosen)
    text = " ".join(s for s, _, _ in chosen)
    return r.choice([f"Text: {text}\nQuestion: {question}", f"{text}\n{question} Answer with words from the text."]), answer


def _l_list(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    kind, make = r.choice([("people", f.name), ("cities", f.city), ("companies", f.company), ("dates", f.date)])
    items = list(dict.fromkeys(make() for _ in range(r.randint(1, 4))))
    frames = ["{x} was mentioned.", "A note about {x}.", "Nobody expected {x}.", "{x} came up twice."]
    parts = [r.choice(frames).format(x=x) for x in items] + [f.sentence() for _ in range(r.randint(0, 2))]
    r.shuffle(parts)
    text = " ".join(parts)
    ordered = sorted(items, key=text.find)
    answer = json.dumps(ordered) if r.random() < 0.5 else ", ".join(ordered)
    return f"Which {kind} appear in this text?\n{text}", answer


def _l_record(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    pool = {"name": f.name, "city": f.city, "company": f.company, "email": f.email, "date": f.date,
            "phone": f.phone_number, "amount": lambda: f"{r.randint(1, 9999)}.{r.randint(0, 99):02d}",
            "code": lambda: _code(r)}
    keys = r.sample(list(pool), r.randint(2, 5))
    rec = {k: pool[k]() for k in keys}
    if r.random() < 0.5:
        lines = "\n".join(f"{k}: {v}" for k, v in rec.items())
        return f"Turn these lines into one JSON object:\n{lines}", json.dumps(rec)
    return f"Write this JSON as key: value lines.\n{json.dumps(rec)}", "\n".join(f"{k}: {v}" for k, v in rec.items())


def _l_table(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    cols = ["price", "stock", "weight", "rating"][: r.randint(2, 4)]
    names = list(dict.fromkeys(f.word().capitalize() for _ in range(r.randint(3, 6))))
    rows = {n: {c: r.randint(0, 500) for c in cols} for n in names}
    table = "| item | " + " | ".join(cols) + " |\n|---|" + "---|" * len(cols) + "\n" + "\n".join(
        f"| {n} | " + " | ".join(str(v[c]) for c in cols) + " |" for n, v in rows.items())
    n, c = r.choice(names), r.choice(cols)
    if r.random() < 0.6:
        return f"{table}\nWhat is the {c} of {n}?", f"{n}: {c} = {rows[n][c]}"
    best = max(names, key=lambda x: (rows[x][c], x))
    return f"{table}\nWhich item has the highest {c}?", f"{best} ({c} {rows[best][c]})"


def _l_compute(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    a, b, c = r.randint(2, 99), r.randint(2, 20), r.randint(1, 999)
    form = r.randrange(4)
    if form == 0:
        return f"Compute {a} × {b}.", f"{a} × {b} = {a * b}"
    if form == 1:
        x, y = sorted((r.randint(0, 9999), r.randint(0, 9999)), reverse=True)
        return f"Compute {x} - {y}.", f"{x} - {y} = {x - y}"
    if form == 2:
        return f"Compute {a} × {b} + {c}.", f"{a} × {b} = {a * b}\n{a * b} + {c} = {a * b + c}\nResult: {a * b + c}"
    x, y = r.randint(0, 999), r.randint(0, 999)
    return f"Which is larger, {x} or {y}?", str(max(x, y)) if x != y else f"They are equal: {x}"


def _l_clean(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    name = f.name()
    messy = "".join(ch.upper() if r.random() < 0.4 else ch.lower() for ch in name)
    messy = " " * r.randint(0, 3) + messy.replace(" ", " " * r.randint(1, 3)) + " " * r.randint(0, 3)
    if r.random() < 0.5:
        return f"Tidy this name (Title Case, single spaces): '{messy}'", " ".join(w.capitalize() for w in name.split())
    email = f.email()
    shouty = "".join(ch.upper() if r.random() < 0.5 else ch for ch in email)
    return f"Write this e-mail in lower case without spaces: ' {shouty}  '", email.lower()


def _l_after(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    words = f.sentence(nb_words=r.randint(6, 12)).rstrip(".").split()
    unique = [i for i, w in enumerate(words[:-1]) if words.count(w) == 1]
    if not unique:
        return f"Repeat exactly: {' '.join(words)}", " ".join(words)
    i = r.choice(unique)
    return f"In '{' '.join(words)}', which word comes right after '{words[i]}'?", words[i + 1]


READING_LESSON_KINDS = {"span": _l_span, "list": _l_list, "record": _l_record, "table": _l_table,
                        "compute": _l_compute, "clean": _l_clean, "after": _l_after}
