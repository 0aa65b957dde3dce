"""The equality corpus: whether two values are the same, whether a value is in a list, and how often.

Adapters on the embedded base learn to write a verdict's words but not to decide whether two open
values are equal: fact_checking's ``differs from the claim`` lines are guesses, and a truth-teller
adapter wrote that ``Craig=T`` differs from ``Jordan=T`` (docs/results.md). Every lesson here turns
on such a test, with values new in each lesson and the wrong ones close to the right ones (a digit
changed, two digits swapped, a letter changed, another city):

* ``same``: two values side by side (``Same value? 1961 | 1916`` -> ``differs``);
* ``claim``: a claimed value and a short record that may state it, other facts between
  (``... founded in 1961 ...`` -> ``founded in 1961 vs 1916: differs``);
* ``member``: is a value in a list, and where (``yes, item 3`` / ``no``);
* ``occurs``: how often a word occurs in a text (0 to 4), its mentions listed first;
* ``repeated``: the words of a text that occur more than once, in order of first mention;
* ``letters``: do two names carry the same mark (``Craig=T Jordan=F``, Craig vs Jordan ->
  ``Craig=T Jordan=F: differs``).

Each answer is computed from the values themselves and re-checked by
``tests/core/pretrain/test_corpus_equality.py``.
"""

from __future__ import annotations

import random
from collections.abc import Callable

WORDS = ("solar", "battery", "grid", "turbine", "storage", "clinic", "therapy", "dosage", "bonds", "equity",
         "pension", "credit", "kernel", "cache", "server", "query", "wheat", "harvest", "soil", "tractor",
         "railway", "freight", "ferry", "tunnel", "lamp", "kettle", "river", "garden", "window", "market")


def _year(r: random.Random) -> str:
    return str(r.randint(1900, 2030))


def _count(r: random.Random) -> str:
    return str(r.randint(10, 99999))


def _amount(r: random.Random) -> str:
    return f"{r.randint(0, 9999)}.{r.randint(0, 99):02d}"


def _digits(r: random.Random) -> str:
    """A year, a count, an amount with cents, or a number with a thousands separator."""
    kind = r.randrange(4)
    if kind < 3:
        return (_year, _count, _amount)[kind](r)
    return f"{r.randint(1, 999)},{r.randint(0, 999):03d}"


def _word_value(r: random.Random, f) -> str:  # noqa: ANN001
    return r.choice((f.city, f.last_name, f.first_name, lambda: r.choice(WORDS), f.color_name, f.company))()


def _code(r: random.Random) -> str:
    return f"{r.choice(('INV', 'PO', 'ID', 'REF'))}-{r.randint(100, 99999)}"


def value(r: random.Random, f) -> str:  # noqa: ANN001
    """A value of one of the kinds specialists compare: a number, a name or word, or a code."""
    kind = r.randrange(3)
    return _digits(r) if kind == 0 else _word_value(r, f) if kind == 1 else _code(r)


def near_miss(r: random.Random, f, v: str) -> str:  # noqa: ANN001
    """A value close to ``v`` and different from it: a digit or letter changed, two adjacent
    characters swapped, or (for a value without digits) another name or word."""
    positions = [i for i, c in enumerate(v) if c.isalnum()]
    swaps = [i for i in positions if i + 1 in positions and v[i] != v[i + 1]]
    for _ in range(50):
        how = r.randrange(3)
        if how == 2 and not any(c.isdigit() for c in v):
            w = _word_value(r, f)
        elif how == 1 and swaps:
            i = r.choice(swaps)
            w = v[:i] + v[i + 1] + v[i] + v[i + 2:]
        else:
            i = r.choice(positions)
            pool = "0123456789" if v[i].isdigit() else "abcdefghijklmnopqrstuvwxyz"
            c = r.choice(pool.replace(v[i].lower(), ""))
            w = v[:i] + (c.upper() if v[i].isupper() else c) + v[i + 1:]
        if w != v:
            return w
    raise ValueError(f"no near miss found for {v!r}")


def pair(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    """Two values, equal half of the time, else a near miss."""
    a = value(r, f)
    return a, a if r.random() < 0.5 else near_miss(r, f, a)


def verdict(a: str, b: str) -> str:
    return "same" if a == b else "differs"


def _l_same(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    a, b = pair(r, f)
    q = r.choice(("Same value? {a} | {b}", "Is {a} the same as {b}?", "A: {a}\nB: {b}\nSame or different?",
                  "Compare {a} with {b}."))
    return q.format(a=a, b=b), verdict(a, b)


def _topics(r: random.Random, f) -> dict[str, Callable[[], str]]:  # noqa: ANN001
    """A record's topics and how each one's value is drawn."""
    return {"founded in": lambda: _year(r), "head office in": f.city, "CEO:": f.name,
            "main product:": lambda: r.choice(WORDS), "employees:": lambda: _count(r), "invoice": lambda: _code(r),
            "total": lambda: _amount(r), "contact:": f.email, "colour:": f.color_name}


def _l_claim(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    """A claimed value checked against the one line of a record on its topic; other lines between."""
    draw = _topics(r, f)
    facts = {t: draw[t]() for t in r.sample(sorted(draw), r.randint(2, 4))}
    topic = r.choice(list(facts))
    claimed = facts[topic] if r.random() < 0.5 else near_miss(r, f, facts[topic])
    record = "\n".join(f"- {t} {v}" for t, v in facts.items())
    q = r.choice(("Record:\n{rec}\nClaim: {t} {c}. Does the record agree?", "Claim: {t} {c}.\n{rec}\nCheck the claim.",
                  "{rec}\nSomeone says: {t} {c}. Same or different?"))
    return (q.format(rec=record, t=topic, c=claimed),
            f"{topic} {facts[topic]} vs {claimed}: {verdict(facts[topic], claimed)}")


def _l_member(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    items = list(dict.fromkeys(value(r, f) for _ in range(r.randint(3, 7))))
    x = r.choice(items) if r.random() < 0.5 else near_miss(r, f, r.choice(items))
    listing = r.choice(("; ".join(items), "\n".join(f"- {v}" for v in items), " | ".join(items)))
    q = r.choice(("Is {x} in this list?\n{l}", "List:\n{l}\nDoes it contain {x}?", "{l}\nFind {x}."))
    answer = f"yes, item {items.index(x) + 1}" if x in items else "no"
    return q.format(x=x, l=listing), answer


def _text(r: random.Random, n: int) -> list[str]:
    pool = r.sample(WORDS, r.randint(3, 6))
    return [r.choice(pool) for _ in range(n)]


def _l_occurs(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    """How often a word occurs in a run of words (0 to 4), each mention counted as it comes."""
    words = _text(r, r.randint(5, 14))
    w = r.choice(words) if r.random() < 0.8 else r.choice(WORDS)
    while words.count(w) > 4:
        words[words.index(w)] = r.choice([x for x in WORDS if x != w])
    n = words.count(w)
    text = " ".join(words)
    q = r.choice(('How many times does "{w}" occur in: {t}', "Text: {t}\nCount the word {w}.", "{t}\nHow often: {w}?"))
    mentions = ", ".join(f"{w} {i}" for i in range(1, n + 1))
    return q.format(w=w, t=text), f"{mentions}\nCount: {n}" if n else "Count: 0"


def repeated(words: list[str]) -> list[str]:
    """The words occurring more than once, in order of first mention."""
    return [w for w in dict.fromkeys(words) if words.count(w) > 1]


def _l_repeated(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    words = _text(r, r.randint(4, 12))
    rep = repeated(words)
    q = r.choice(("Which words occur more than once? {t}", "Text: {t}\nRepeated words:",
                  "{t}\nList the words used twice or more."))
    return q.format(t=" ".join(words)), ", ".join(rep) if rep else "none"


LETTERS = ("T", "F", "A", "B", "C", "yes", "no")


def _l_letters(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    names = list(dict.fromkeys(f.first_name() for _ in range(r.randint(2, 4))))
    if len(names) < 2:
        names.append(names[0] + "a")
    pool = r.sample(LETTERS, r.randint(2, 3))
    marks = {n: r.choice(pool) for n in names}
    a, b = r.sample(names, 2)
    listing = " ".join(f"{n}={m}" for n, m in marks.items())
    q = r.choice(("{l}\nDo {a} and {b} have the same mark?", "{l}\n{a} vs {b}: same or different?",
                  "Marks: {l}. Compare {a} with {b}."))
    return q.format(l=listing, a=a, b=b), f"{a}={marks[a]} {b}={marks[b]}: {verdict(marks[a], marks[b])}"


EQUALITY_LESSON_KINDS: dict[str, Callable[..., tuple[str, str]]] = {
    "same": _l_same, "claim": _l_claim, "member": _l_member, "occurs": _l_occurs, "repeated": _l_repeated,
    "letters": _l_letters}
