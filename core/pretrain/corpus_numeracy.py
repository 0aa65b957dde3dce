"""The numeracy phase's extra material: numbers compared and computed, dates, several spans at once.

After the reading stage the base copies a single span reliably, but a specialist built on it still
writes `4286 - 4464 = -122`, says 63.22 is within a 60.00 limit, reads a table's neighbouring column,
and copies the third of four names with an invented ending. This material drills exactly those
skills, generically: signed and decimal arithmetic, percentages and quotients, comparisons, the
smallest/largest of labelled values, counts above a bound, date arithmetic, one table column read
out, and prose turned into a record of several roles. Documents use ``%`` and thousands separators,
which the earlier corpora hardly contain. No specialist's task template is in it.

Every answer is computed exactly with :class:`decimal.Decimal` (half-up rounding);
``tests/core/pretrain/test_corpus_numeracy.py`` recomputes them from the prompts.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import ROUND_HALF_UP, Decimal

# -- numbers ---------------------------------------------------------------------------------------


def _num(r: random.Random, decimals: int) -> Decimal:
    """A positive number of 1 to 5 integer digits with ``decimals`` decimals."""
    digits = r.choice([1, 2, 3, 3, 4, 4, 5])
    whole = r.randint(10 ** (digits - 1) if digits > 1 else 0, 10**digits - 1)
    frac = r.randint(0, 10**decimals - 1) if decimals else 0
    return Decimal(whole) + Decimal(frac) / (10**decimals) if decimals else Decimal(whole)


def fmt(x: Decimal, decimals: int) -> str:
    """``x`` rounded half-up to ``decimals`` places, no separators (``-0.00`` written ``0.00``)."""
    q = x.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format(q + 0, "f") if q != 0 else format(abs(q), "f")


def _grouped(x: Decimal, decimals: int) -> str:
    return f"{float(x):,.{decimals}f}" if decimals else f"{int(x):,}"


# -- documents ------------------------------------------------------------------------------------


def _report(r: random.Random, f) -> str:  # noqa: ANN001
    """A short figure report: two values, their change and the change in per cent."""
    old, new = _num(r, 0) + 100, _num(r, 0) + 100
    pct = (new - old) / old * 100
    what = r.choice(["Revenue", "Sales", "Costs", "Orders", "Visitors", "Output"])
    return (f"{what} at {f.company()} went from {_grouped(old, 0)} to {_grouped(new, 0)} in {r.randint(2000, 2025)}, "
            f"a change of {fmt(new - old, 0)} ({fmt(pct, 1)}%). {f.sentence()}")


def _ledger(r: random.Random, f) -> str:  # noqa: ANN001
    """Lines of amounts with their total."""
    amounts = [_num(r, 2) for _ in range(r.randint(2, 4))]
    lines = "\n".join(f"{f.word()}: ${_grouped(a, 2)}" for a in amounts)
    return f"{lines}\nTotal: ${_grouped(sum(amounts), 2)}"


_THINGS = ["meal", "taxi ride", "hotel night", "purchase", "ticket", "order", "invoice", "parcel", "device", "sample"]


def _share(r: random.Random, f) -> str:  # noqa: ANN001
    part_of, whole = r.randint(1, 500), r.randint(501, 5000)
    return (f"Of {whole:,} {r.choice(_THINGS)}s checked, {part_of} failed: "
            f"{fmt(Decimal(part_of) / whole * 100, 2)}%. {f.sentence()}")


NUMERACY_DOCUMENT_KINDS = {"report": _report, "ledger": _ledger, "share": _share}


# -- lessons --------------------------------------------------------------------------------------


def _l_signed(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    """Addition or subtraction, either order, integers or decimals, so results can be negative."""
    d = r.choice([0, 0, 1, 2])
    a, b = _num(r, d), _num(r, d)
    op = r.choice(["+", "-", "-"])
    res = a + b if op == "+" else a - b
    expr = f"{fmt(a, d)} {op} {fmt(b, d)}"
    prompt = r.choice([f"Compute {expr}.", f"What is {expr}?", f"{expr} = ?"])
    return prompt, f"{expr} = {fmt(res, d)}"


def _l_ratio(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    """A quotient, a percentage of a total, or a per-cent change, rounded as asked."""
    a, b = _num(r, 0) + 1, _num(r, 0) + 1
    form = r.randrange(3)
    if form == 0:
        d = r.choice([2, 3, 4])
        return f"Divide {a} by {b}. Round to {d} decimals.", f"{a} ÷ {b} = {fmt(a / b, d)}"
    if form == 1:
        return (f"What percentage of {b} is {a}? Two decimals.",
                f"{a} ÷ {b} × 100 = {fmt(a / b * 100, 2)}\nResult: {fmt(a / b * 100, 2)}%")
    diff = b - a
    return (f"A value goes from {a} to {b}. What is the change in per cent (two decimals)?",
            f"{b} - {a} = {fmt(diff, 0)}\n{fmt(diff, 0)} ÷ {a} × 100 = {fmt(diff / a * 100, 2)}\n"
            f"Result: {fmt(diff / a * 100, 2)}%")


_MORE = [("more than", lambda x, y: x > y), ("at least", lambda x, y: x >= y), ("less than", lambda x, y: x < y),
         ("at most", lambda x, y: x <= y)]


def _l_compare(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    """Is x more than / at least / less than / at most y? Often nearly equal, as in a limit check."""
    d = r.choice([0, 2])
    y = _num(r, d)
    step = Decimal(1).scaleb(-d)
    x = abs(r.choice([_num(r, d), y + step * r.randint(-20, 20), y + step * r.randint(-20, 20)]))
    words, test = r.choice(_MORE)
    sign = ">" if x > y else "<" if x < y else "="
    verdict = "yes" if test(x, y) else "no"
    if r.random() < 0.5:
        return f"Is {fmt(x, d)} {words} {fmt(y, d)}?", f"{fmt(x, d)} {sign} {fmt(y, d)}, so {verdict}"
    unit, thing = r.choice(["$", ""]), r.choice(_THINGS)
    return (f"The limit for a {thing} is {unit}{fmt(y, d)}. This {thing} is {unit}{fmt(x, d)}. Is it within the limit?",
            f"{fmt(x, d)} {sign} {fmt(y, d)}, so {'yes' if x <= y else 'no'}")


def _labelled(r: random.Random, f) -> dict[str, int]:  # noqa: ANN001
    names = list(dict.fromkeys(r.choice([f.first_name, f.city, lambda: f.word().capitalize()])()
                               for _ in range(r.randint(3, 6))))
    values = r.sample(range(0, 1000), len(names))  # distinct: one smallest and one largest
    return dict(zip(names, values))


def _l_extreme(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    """The smallest or largest of labelled values, the values first read out."""
    vals = _labelled(r, f)
    low = r.random() < 0.5
    pick = (min if low else max)(vals, key=vals.get)
    listing = r.choice(["; ".join(f"{k}: {v}" for k, v in vals.items()),
                        " ".join(f"{k} has {v}." for k, v in vals.items())])
    word = "lowest" if low else "highest"
    read = ", ".join(f"{k} {v}" for k, v in vals.items())
    return f"{listing}\nWhich one has the {word} value?", f"{read}\n{word.capitalize()}: {pick} ({vals[pick]})"


def _l_above(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    """How many labelled values exceed (or stay below) a bound, the matches listed first."""
    vals = _labelled(r, f)
    bound = r.choice(list(vals.values()) + [r.randint(0, 999)])
    above = r.random() < 0.5
    hits = [k for k, v in vals.items() if (v > bound if above else v < bound)]
    listing = "\n".join(f"- {k}: {v}" for k, v in vals.items())
    word = "above" if above else "below"
    return (f"{listing}\nHow many are {word} {bound}?",
            f"{word.capitalize()} {bound}: {', '.join(hits) if hits else 'none'}\nCount: {len(hits)}")


def _l_column(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    """One column of a Markdown table read out, row by row."""
    cols = r.sample(["Price", "Stock", "Score", "Points", "Age", "Wins", "Hours", "Rank"], r.randint(2, 4))
    names = list(dict.fromkeys(f.name() if r.random() < 0.5 else f.word().capitalize() for _ in range(r.randint(3, 6))))
    rows = {n: {c: r.randint(0, 999) for c in cols} for n in names}
    table = ("| Name | " + " | ".join(cols) + " |\n|---|" + "---|" * len(cols) + "\n"
             + "\n".join(f"| {n} | " + " | ".join(str(v[c]) for c in cols) + " |" for n, v in rows.items()))
    c = r.choice(cols)
    return f"{table}\nRead out the {c} column.", ", ".join(f"{n} {rows[n][c]}" for n in names)


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]


def _date(r: random.Random) -> dt.date:
    return dt.date(2000, 1, 1) + dt.timedelta(days=r.randint(0, 9500))


def _written(d: dt.date, r: random.Random) -> str:
    return r.choice([f"{_MONTHS[d.month - 1]} {d.day}, {d.year}", f"{d.day} {_MONTHS[d.month - 1]} {d.year}",
                     d.isoformat()])


def add_years(d: dt.date, n: int) -> dt.date:
    """``d`` plus ``n`` years (29 February becomes 28 February in a common year)."""
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def _l_dates(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    """Date arithmetic: a date in ISO form, years added, days between two dates, an age on a date."""
    a = _date(r)
    form = r.randrange(4)
    if form == 0:
        return f"Write {_written(a, r)} as YYYY-MM-DD.", a.isoformat()
    if form == 1:
        n = r.randint(1, 10)
        return (f"What date is {n} year{'s' if n > 1 else ''} after {_written(a, r)}?",
                f"{a.isoformat()} + {n} year{'s' if n > 1 else ''} = {add_years(a, n).isoformat()}")
    if form == 2:
        b = a + dt.timedelta(days=r.randint(1, 120))
        return (f"How many days are there from {_written(a, r)} to {_written(b, r)}?",
                f"{a.isoformat()} to {b.isoformat()} = {(b - a).days} days")
    born = dt.date(1950, 1, 1) + dt.timedelta(days=r.randint(0, 20000))
    on = add_years(born, r.randint(5, 40)) + dt.timedelta(days=r.randint(-40, 40))
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return (f"Someone born on {_written(born, r)}: how old are they on {_written(on, r)}?",
            f"born {born.isoformat()}, on {on.isoformat()}: {age} years")


def _l_roles(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    """Prose naming several people, places, organisations and dates, turned into a record by role."""
    who, other, org, city, when = f.name(), f.name(), f.company(), f.city(), f.date()
    email = f.email()
    facts = {
        "person": who, "contact": other, "organization": org, "city": city, "date": when, "email": email,
    }
    text = r.choice([
        f"On {when}, {who} of {org} met {other} in {city}. Replies go to {email}.",
        f"{other} wrote to {email} about the visit by {who} ({org}) to {city} on {when}.",
        f"{org} confirmed that {who} will travel to {city} on {when}; {other} ({email}) arranges it.",
    ])
    keys = r.sample(list(facts), r.randint(3, 6))
    keys.sort(key=list(facts).index)
    return (f"{text}\nFill in {', '.join(keys)} as JSON.", json.dumps({k: facts[k] for k in keys}))


def _l_titlecase(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    """A name or a city given in capitals or random case, written in Title Case with single spaces."""
    value = r.choice([f.name, f.city])()
    messy = r.choice([value.upper(), value.lower(),
                      "".join(ch.upper() if r.random() < 0.5 else ch.lower() for ch in value)])
    messy = " " * r.randint(0, 2) + "  ".join(messy.split()) if r.random() < 0.5 else messy
    return f"Title Case, single spaces: '{messy}'", " ".join(w[:1].upper() + w[1:].lower() for w in value.split())


def _l_plain_amount(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    """An amount with a currency sign and separators written as a plain number with 2 decimals."""
    x = _num(r, r.choice([0, 1, 2]))
    shown = r.choice([f"${_grouped(x, 2)}", f"{_grouped(x, 2)} $", f"USD {_grouped(x, 1)}", f"{fmt(x, 1)}"])
    return f"Write {shown} as a plain number with two decimals.", fmt(Decimal(shown.replace("$", "").replace(
        "USD", "").replace(",", "").strip()), 2)


NUMERACY_LESSON_KINDS = {"signed": _l_signed, "ratio": _l_ratio, "compare": _l_compare, "extreme": _l_extreme,
                         "above": _l_above, "column": _l_column, "dates": _l_dates, "roles": _l_roles,
                         "titlecase": _l_titlecase, "plain_amount": _l_plain_amount}
