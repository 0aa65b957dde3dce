"""Generators for the ``reasoning`` category.

Every answer is computed from the values placed in the prompt, by the same code that writes the
steps; nothing is re-drawn.

* ``math_reasoning`` -- multi-step word problems (shopping, sharing, wages, travel, stock, price
  with discount and tax). Each step is one arithmetic expression ``label: a × b = c``; the number of
  steps and the size of the numbers grow with difficulty. Money answers have two decimals, other
  answers are integers unless the problem asks for a rounded average (two decimals, half up).
* ``logical_reasoning`` -- three puzzle families with deterministic solvers: categorical
  syllogism chains (yes / no / cannot be determined), ordering puzzles (a name, or yes / no) and
  truth-teller / liar puzzles with a unique consistent assignment (yes / no, or a name).
* ``commonsense_reasoning`` -- everyday physical and social cause/effect from a curated table of
  true facts (ice melts when warm, glass breaks when dropped on stone, ...), with Faker names and
  irrelevant details as distractors. Answers are short phrases.
* ``causal_reasoning`` -- find the cause among candidate factors, assuming (as the prompt states)
  that exactly one listed factor causes the effect: either from interventions (removing a
  non-cause leaves the effect, removing the cause stops it; at ``hard`` the cause is found by
  elimination and a correlation red herring is added) or from observation records (the cause is the
  only factor present exactly on the days the effect occurred).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import product

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

# ---------------------------------------------------------------------------------------------
# math_reasoning
# ---------------------------------------------------------------------------------------------


def round2(x: Fraction) -> Decimal:
    """Round half up to two decimals."""
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fmt_num(x: Fraction | int, money: bool = False) -> str:
    x = Fraction(x)
    if money:
        return f"{round2(x):.2f}"
    if x.denominator == 1:
        return str(x.numerator)
    return f"{round2(x):.2f}"


def cents(c: int) -> Fraction:
    return Fraction(c, 100)


SHOP_ITEMS = ("notebooks", "pens", "apples", "mugs", "candles", "batteries", "sandwiches", "tickets",
              "postcards", "bottles of juice", "bags of rice", "towels", "light bulbs", "plant pots")
SHARE_ITEMS = ("marbles", "stickers", "cookies", "trading cards", "pencils", "seashells", "stamps", "beads")
STOCK = (("bakery", "loaves"), ("bookshop", "books"), ("flower stall", "bouquets"), ("cafe", "muffins"),
         ("toy shop", "puzzles"), ("farm shop", "jars of honey"))


class _Steps:
    """Collects ``label: expr = value`` lines; values are Fractions (exact)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, label: str, expr: str, value: Fraction, money: bool = False) -> Fraction:
        self.lines.append(f"{label}: {expr} = {fmt_num(value, money)}")
        return value


def _m(x: Fraction) -> str:
    return fmt_num(x, money=True)


def math_shopping(ctx: GenContext, name: str):
    k = ctx.level(2, ctx.randint(2, 3), ctx.randint(3, 4))
    items = ctx.sample(SHOP_ITEMS, k)
    qty = [ctx.randint(2, ctx.level(6, 9, 15)) for _ in items]
    price = [cents(ctx.randint(ctx.level(2, 1, 1) * 50, ctx.level(800, 1500, 2500))) for _ in items]
    st = _Steps()
    parts = [f"{q} {it} at ${_m(p)} each" for q, it, p in zip(qty, items, price)]
    text = f"{name} buys " + ", ".join(parts[:-1]) + f" and {parts[-1]}."
    subtotals = [st.add(f"{it}", f"{q} × {_m(p)}", q * p, True) for q, it, p in zip(qty, items, price)]
    total = st.add("Total", " + ".join(_m(s) for s in subtotals), sum(subtotals, Fraction(0)), True)
    inputs = {"qty": qty, "price": [float(p) for p in price]}
    if ctx.difficulty == "easy":
        return text + f" How much does {name} spend in total?", st, total, True, inputs
    coupon = Fraction(0)
    if ctx.difficulty == "hard":
        coupon = Fraction(ctx.choice((2, 3, 5, 10)))
        text += f" A coupon takes ${_m(coupon)} off the total."
        total = st.add("After coupon", f"{_m(total)} - {_m(coupon)}", total - coupon, True)
    bill = next(b for b in (10, 20, 50, 100, 200, 500, 1000) if b > total)
    text += f" {name} pays with a ${bill} bill. How much change does {name} get?"
    change = st.add("Change", f"{_m(Fraction(bill))} - {_m(total)}", bill - total, True)
    inputs.update(coupon=float(coupon), bill=bill)
    return text, st, change, True, inputs


def math_sharing(ctx: GenContext, name: str):
    item = ctx.choice(SHARE_ITEMS)
    f1, f2 = ctx.fake.first_name(), ctx.fake.first_name()
    st = _Steps()
    if ctx.difficulty == "easy":
        n, a, b = ctx.randint(20, 60), ctx.randint(3, 15), ctx.randint(5, 25)
        text = (f"{name} has {n} {item}. {name} gives {a} to {f1} and then buys {b} more. "
                f"How many {item} does {name} have now?")
        st.add("After giving", f"{n} - {a}", Fraction(n - a))
        ans = st.add("After buying", f"{n - a} + {b}", Fraction(n - a + b))
        return text, st, ans, False, {"n": n, "a": a, "b": b}
    k, share = ctx.randint(2, ctx.level(4, 5, 8)), ctx.randint(3, ctx.level(12, 15, 30))
    a, b = ctx.randint(2, 20), ctx.randint(2, 20)
    if ctx.difficulty == "medium":
        n = share * k + a + b
        text = (f"{name} has {n} {item}. {name} gives {a} to {f1} and {b} to {f2}, then shares the rest "
                f"equally among {k} friends. How many {item} does each friend get?")
        start = Fraction(n)
        inputs = {"n": n, "a": a, "b": b, "k": k}
    else:
        q = ctx.randint(6, 24)
        packs = -(-(share * k + a + b) // q)  # enough packs for the planned gifts and shares
        b += (packs * q - a - b) % k  # give a few more away so the rest splits evenly
        text = (f"{name} buys {packs} packs of {item} with {q} in each pack. {name} gives {a} to {f1} and "
                f"{b} to {f2}, then shares the rest equally among {k} friends. "
                f"How many {item} does each friend get?")
        start = st.add("Bought", f"{packs} × {q}", Fraction(packs * q))
        inputs = {"packs": packs, "q": q, "a": a, "b": b, "k": k}
    rest = st.add("Given away", f"{fmt_num(start)} - {a} - {b}", start - a - b)
    ans = st.add("Each friend", f"{fmt_num(rest)} ÷ {k}", rest / k)
    return text, st, ans, False, inputs


def math_wages(ctx: GenContext, name: str):
    rate = ctx.randint(6, 30) * 2
    hours, days = ctx.randint(3, 9), ctx.randint(3, ctx.level(6, 12, 22))
    st = _Steps()
    text = f"{name} earns ${rate} per hour and works {hours} hours a day for {days} days."
    daily = st.add("Per day", f"{rate} × {hours}", Fraction(rate * hours))
    total = st.add("Regular pay", f"{rate * hours} × {days}", daily * days)
    inputs = {"rate": rate, "hours": hours, "days": days}
    if ctx.difficulty == "easy":
        return text + f" How many dollars does {name} earn in total?", st, total, False, inputs
    if ctx.difficulty == "hard":
        ot = ctx.randint(2, 12)
        text += f" {name} also works {ot} overtime hours paid at 1.5 times the hourly rate."
        otpay = st.add("Overtime", f"{ot} × {rate} × 1.5", Fraction(ot * rate * 3, 2))
        total = st.add("Total pay", f"{fmt_num(total)} + {fmt_num(otpay)}", total + otpay)
        inputs["overtime"] = ot
    spend = ctx.randint(20, int(total) // 2)
    text += f" {name} spends ${spend} on bills. How many dollars are left?"
    ans = st.add("Left", f"{fmt_num(total)} - {spend}", total - spend)
    inputs["spend"] = spend
    return text, st, ans, False, inputs


def _hours(t: int) -> str:
    return "1 hour" if t == 1 else f"{t} hours"


def math_travel(ctx: GenContext, name: str):
    v1, v2 = ctx.randint(4, 24) * 5, ctx.randint(4, 24) * 5
    t1, t2 = ctx.randint(1, 5), ctx.randint(1, 5)
    st = _Steps()
    text = f"{name} drives at {v1} km/h for {_hours(t1)}, then at {v2} km/h for {_hours(t2)}."
    d1 = st.add("First part", f"{v1} × {t1}", Fraction(v1 * t1))
    d2 = st.add("Second part", f"{v2} × {t2}", Fraction(v2 * t2))
    total = st.add("Distance", f"{v1 * t1} + {v2 * t2}", d1 + d2)
    inputs = {"v1": v1, "t1": t1, "v2": v2, "t2": t2}
    if ctx.difficulty == "easy":
        return text + f" How many kilometres does {name} drive in total?", st, total, False, inputs
    if ctx.difficulty == "medium":
        trip = int(total) + ctx.randint(10, 400)
        text += f" The whole trip is {trip} km. How many kilometres are left?"
        ans = st.add("Left", f"{trip} - {fmt_num(total)}", trip - total)
        inputs["trip"] = trip
        return text, st, ans, False, inputs
    text += " What is the average speed for the whole drive in km/h, rounded to two decimals?"
    ans = st.add("Average speed", f"{fmt_num(total)} ÷ {t1 + t2}", total / (t1 + t2))
    return text, st, ans, False, inputs


def math_stock(ctx: GenContext, name: str):
    shop, unit = ctx.choice(STOCK)
    start, made, days = ctx.randint(10, 80), ctx.randint(20, 60), ctx.randint(2, ctx.level(4, 7, 12))
    sold = ctx.randint(10, made)
    st = _Steps()
    text = (f"{name}'s {shop} starts the week with {start} {unit}. Each day it adds {made} new {unit} and "
            f"sells {sold}.")
    added = st.add("Added", f"{made} × {days}", Fraction(made * days))
    sold_t = st.add("Sold", f"{sold} × {days}", Fraction(sold * days))
    inputs = {"start": start, "made": made, "sold": sold, "days": days}
    if ctx.difficulty == "hard":
        gift = ctx.randint(1, start)
        text += f" On the last day it also donates {gift} {unit}."
        left = st.add("Left", f"{start} + {fmt_num(added)} - {fmt_num(sold_t)} - {gift}", start + added - sold_t - gift)
        inputs["gift"] = gift
    else:
        left = st.add("Left", f"{start} + {fmt_num(added)} - {fmt_num(sold_t)}", start + added - sold_t)
    return text + f" How many {unit} are left after {days} days?", st, left, False, inputs


def math_discount(ctx: GenContext, name: str):
    price = Fraction(ctx.randint(8, ctx.level(120, 400, 900)))
    disc = ctx.choice((5, 10, 15, 20, 25, 30, 40, 50))
    item = ctx.choice(("jacket", "lamp", "bicycle helmet", "pair of boots", "printer", "suitcase", "guitar"))
    st = _Steps()
    inputs = {"price": int(price), "discount": disc}
    if ctx.difficulty == "hard":
        q = ctx.randint(2, 5)
        text = f"{name} buys {q} of a {item} priced at ${_m(price)} each, with {disc}% off."
        price = st.add("Before discount", f"{q} × {_m(price)}", price * q, True)
        inputs["qty"] = q
    else:
        text = f"A {item} costs ${_m(price)}. {name} gets a {disc}% discount."
    cut = st.add("Discount", f"{_m(price)} × {disc} ÷ 100", Fraction(round2(price * disc / 100)), True)
    sale = st.add("Sale price", f"{_m(price)} - {_m(cut)}", price - cut, True)
    if ctx.difficulty == "easy":
        return text + f" How much does {name} pay?", st, sale, True, inputs
    tax = ctx.choice((5, 6, 7, 8, 10, 12))
    text += f" Then {tax}% sales tax is added (round to the nearest cent at each step). What is the final price?"
    t = st.add("Tax", f"{_m(sale)} × {tax} ÷ 100", Fraction(round2(sale * tax / 100)), True)
    ans = st.add("Final price", f"{_m(sale)} + {_m(t)}", sale + t, True)
    inputs["tax"] = tax
    return text, st, ans, True, inputs


MATH_KINDS = {"shopping": math_shopping, "sharing": math_sharing, "wages": math_wages, "travel": math_travel,
              "stock": math_stock, "discount": math_discount}
MATH_KEYS = tuple(MATH_KINDS)


class MathReasoningGenerator(Generator):
    name = "math_reasoning"
    task_type = "reasoning"
    phrasings = 5

    TEMPLATES = (
        "Solve step by step.\n{problem}",
        "{problem}\nShow your work and give the final answer.",
        "Word problem: {problem}",
        "Question: {problem}\nThink step by step.",
        "Math: {problem}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        kind = ctx.choice(MATH_KEYS)
        name = ctx.fake.first_name()
        problem, steps, ans, money, inputs = MATH_KINDS[kind](ctx, name)
        answer = fmt_num(ans, money)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        response = "\n".join(steps.lines) + f"\nAnswer: {answer}"
        return TrainingExample(
            prompt=self.TEMPLATES[k].format(problem=problem),
            response=response,
            metadata={"answer": answer, "numeric_answer": float(answer), "phrasing": k, "problem_type": kind,
                      "inputs": inputs, "steps": len(steps.lines)},
        )


# ---------------------------------------------------------------------------------------------
# logical_reasoning
# ---------------------------------------------------------------------------------------------

CATEGORIES = (
    ("musician", "musicians"), ("early riser", "early risers"), ("tea drinker", "tea drinkers"),
    ("chess player", "chess players"), ("cyclist", "cyclists"), ("gardener", "gardeners"),
    ("painter", "painters"), ("runner", "runners"), ("baker", "bakers"), ("poet", "poets"),
    ("swimmer", "swimmers"), ("hiker", "hikers"), ("programmer", "programmers"), ("singer", "singers"),
    ("dancer", "dancers"), ("reader", "readers"), ("photographer", "photographers"),
    ("volunteer", "volunteers"), ("engineer", "engineers"), ("knitter", "knitters"),
    ("archer", "archers"), ("climber", "climbers"), ("sailor", "sailors"), ("juggler", "jugglers"),
)


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def solve_syllogism(alls: list[tuple[int, int]], nos: list[tuple[int, int]], start: int, target: int):
    """Forward chaining. Returns (answer, path of categories from start) with answer yes/no/cannot be determined."""
    parent = {start: None}
    frontier = [start]
    while frontier:
        nxt = []
        for c in frontier:
            for a, b in alls:
                if a == c and b not in parent:
                    parent[b] = c
                    nxt.append(b)
        frontier = nxt

    def path(c):
        out = []
        while c is not None:
            out.append(c)
            c = parent[c]
        return out[::-1]

    if target in parent:
        return "yes", path(target), None
    for c in sorted(parent, key=lambda x: len(path(x))):
        for a, b in nos:
            if (a == c and b == target) or (b == c and a == target):
                return "no", path(c), (a, b)
    return "cannot be determined", sorted(parent, key=lambda x: len(path(x))), None


def logic_syllogism(ctx: GenContext):
    n = ctx.level(2, 3, 4)
    cats = ctx.sample(range(len(CATEGORIES)), n + 5)
    chain, spare = cats[: n + 1], cats[n + 1:]
    alls = [(chain[i], chain[i + 1]) for i in range(n)]
    nos: list[tuple[int, int]] = []
    want = ctx.choice(("yes", "no", "cannot be determined"))
    start = chain[0]
    if want == "yes":
        target = chain[ctx.randint(1, n)]
    elif want == "no":
        d = spare[0]
        j = ctx.randint(1, n)
        nos.append((chain[j], d) if ctx.rng.random() < 0.5 else (d, chain[j]))
        target = d
    else:
        if ctx.rng.random() < 0.5:  # reverse direction: person is in a later category
            start = chain[ctx.randint(1, n)]
            target = chain[0]
        else:  # the asked category is linked to nothing the person belongs to
            target = spare[0]
            alls.append((target, chain[ctx.randint(0, n)]))
    if ctx.difficulty == "hard":  # distractor statements among unused categories
        alls.append((spare[1], spare[2]))
        nos.append((spare[3], spare[1]))
    person = ctx.fake.first_name()
    sents = [f"All {CATEGORIES[a][1]} are {CATEGORIES[b][1]}." for a, b in alls]
    sents += [f"No {CATEGORIES[a][1]} are {CATEGORIES[b][1]}." for a, b in nos]
    if ctx.difficulty != "easy":
        ctx.rng.shuffle(sents)
    facts = " ".join(sents) + f" {person} is {_a(CATEGORIES[start][0])}."
    question = f"Is {person} {_a(CATEGORIES[target][0])}?"
    answer, path, no_rule = solve_syllogism(alls, nos, start, target)
    assert answer == want
    steps = [f"{person} is {_a(CATEGORIES[start][0])}."]
    if answer in ("yes", "no"):
        for a, b in zip(path, path[1:]):
            steps.append(f"All {CATEGORIES[a][1]} are {CATEGORIES[b][1]}, so {person} is {_a(CATEGORIES[b][0])}.")
        if answer == "no":
            steps.append(f"No {CATEGORIES[no_rule[0]][1]} are {CATEGORIES[no_rule[1]][1]}, so {person} is not "
                         f"{_a(CATEGORIES[target][0])}.")
    else:
        known = ", ".join(CATEGORIES[c][1] for c in path)
        steps.append(f"{person} belongs to: {known}. No statement links these to {CATEGORIES[target][1]}.")
    data = {"family": "syllogism", "all": [[CATEGORIES[a][1], CATEGORIES[b][1]] for a, b in alls],
            "no": [[CATEGORIES[a][1], CATEGORIES[b][1]] for a, b in nos], "start": CATEGORIES[start][1],
            "target": CATEGORIES[target][1], "person": person}
    return facts, question, steps, answer, data


ORDER_RELS = (("taller", "shorter", "tallest", "shortest"), ("older", "younger", "oldest", "youngest"),
              ("faster", "slower", "fastest", "slowest"), ("heavier", "lighter", "heaviest", "lightest"))


def _unique_names(ctx: GenContext, n: int) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        nm = ctx.fake.first_name()
        if nm not in names and all(nm not in o and o not in nm for o in names):
            names.append(nm)
    return names


def solve_order(n_people: list[str], greater: list[tuple[str, str]]) -> list[str]:
    """Topological order (greatest first) of the 'a > b' facts; raises if not a total order."""
    remaining = list(n_people)
    order = []
    edges = list(greater)
    while remaining:
        tops = [p for p in remaining if not any(b == p for a, b in edges if a in remaining)]
        if len(tops) != 1:
            raise ValueError("order not determined")
        order.append(tops[0])
        remaining.remove(tops[0])
    return order


def logic_ordering(ctx: GenContext):
    n = ctx.level(3, 4, 5)
    people = _unique_names(ctx, n)
    comp, opp, top, bottom = ctx.choice(ORDER_RELS)
    truth = list(people)
    ctx.rng.shuffle(truth)  # truth[0] is the greatest
    greater = [(truth[i], truth[i + 1]) for i in range(n - 1)]
    if ctx.difficulty == "hard":
        i = ctx.randint(0, n - 3)
        greater.append((truth[i], truth[i + 2]))
    ctx.rng.shuffle(greater)
    sents = []
    for a, b in greater:
        if ctx.difficulty != "easy" and ctx.rng.random() < 0.4:
            sents.append(f"{b} is {opp} than {a}.")
        else:
            sents.append(f"{a} is {comp} than {b}.")
    order = solve_order(people, greater)
    qtype = ctx.choice(("top", "bottom", "compare"))
    if qtype == "top":
        question, answer = f"Who is the {top}?", order[0]
    elif qtype == "bottom":
        question, answer = f"Who is the {bottom}?", order[-1]
    else:
        x, y = ctx.sample(people, 2)
        question = f"Is {x} {comp} than {y}?"
        answer = "yes" if order.index(x) < order.index(y) else "no"
    steps = [f"Order from {top} to {bottom}: {', '.join(order)}."]
    if qtype == "compare":
        steps.append(f"{x} is in position {order.index(x) + 1} and {y} in position {order.index(y) + 1}.")
    data = {"family": "ordering", "greater": [list(g) for g in greater], "people": people, "relation": comp,
            "question_type": qtype}
    return " ".join(sents), question, steps, answer, data


def _statement_true(kind: str, speaker: int, targets: tuple[int, ...], world: tuple[bool, ...]) -> bool:
    if kind == "liar":
        return not world[targets[0]]
    if kind == "truth":
        return world[targets[0]]
    if kind == "same":
        return world[speaker] == world[targets[0]]
    if kind == "diff":
        return world[speaker] != world[targets[0]]
    if kind == "both":
        return world[targets[0]] and world[targets[1]]
    if kind == "atleastone":  # at least one of speaker and target is a liar
        return not (world[speaker] and world[targets[0]])
    raise ValueError(kind)


def solve_knights(statements: list[tuple[int, str, tuple[int, ...]]], n: int) -> list[tuple[bool, ...]]:
    """All consistent worlds (True = truth-teller): each speaker's statement is true iff they tell the truth."""
    sols = []
    for world in product((True, False), repeat=n):
        if all(_statement_true(k, s, t, world) == world[s] for s, k, t in statements):
            sols.append(world)
    return sols


def _say(kind: str, names: list[str], targets: tuple[int, ...]) -> str:
    t = [names[i] for i in targets]
    return {
        "liar": f"{t[0]} is a liar.",
        "truth": f"{t[0]} is a truth-teller.",
        "same": f"{t[0]} and I are the same type.",
        "diff": f"{t[0]} and I are different types.",
        "both": f"{t[0]} and {t[1] if len(t) > 1 else ''} are both truth-tellers.",
        "atleastone": f"At least one of {t[0]} and me is a liar.",
    }[kind]


def logic_knights(ctx: GenContext):
    n = ctx.level(2, ctx.randint(2, 3), 3)
    kinds = ("liar", "truth", "same", "diff", "atleastone") + (("both",) if n == 3 else ())
    names = _unique_names(ctx, n)
    for _ in range(500):
        statements = []
        speakers = list(range(n)) if ctx.difficulty != "easy" else [0, 1]
        for s in speakers:
            kind = ctx.choice(kinds)
            others = [i for i in range(n) if i != s]
            targets = tuple(ctx.sample(others, 2)) if kind == "both" else (ctx.choice(others),)
            statements.append((s, kind, targets))
        sols = solve_knights(statements, n)
        if len(sols) == 1:
            break
    else:  # pragma: no cover - a unique puzzle is always found well within the budget
        raise RuntimeError("no unique knights puzzle")
    world = sols[0]
    liars = [names[i] for i in range(n) if not world[i]]
    if len(liars) == 1 and ctx.rng.random() < 0.4:
        question, answer = "Exactly one of them is a liar. Who is it?", liars[0]
    else:
        who = ctx.randint(0, n - 1)
        question, answer = f"Is {names[who]} a truth-teller?", "yes" if world[who] else "no"
    said = " ".join(f"{names[s]} says: \"{_say(k, names, t)}\"" for s, k, t in statements)
    facts = f"Each person is either a truth-teller (always tells the truth) or a liar (always lies). {said}"
    steps = []
    for s, k, t in statements:
        role = "truth-teller" if world[s] else "liar"
        steps.append(f"{names[s]} ({role}): \"{_say(k, names, t)}\" is {'true' if world[s] else 'false'}.")
    steps.append("This is the only consistent assignment.")
    data = {"family": "knights", "names": names,
            "statements": [[names[s], k, [names[i] for i in t]] for s, k, t in statements],
            "solution": {names[i]: ("truth-teller" if world[i] else "liar") for i in range(n)}}
    return facts, question, steps, answer, data


LOGIC_FAMILIES = {"syllogism": logic_syllogism, "ordering": logic_ordering, "knights": logic_knights}
LOGIC_KEYS = tuple(LOGIC_FAMILIES)


class LogicalReasoningGenerator(Generator):
    name = "logical_reasoning"
    task_type = "reasoning"
    phrasings = 4

    TEMPLATES = (
        "Assume the statements are true.\n{facts}\nQuestion: {question}",
        "{facts}\n{question} Answer yes, no, cannot be determined, or a name.",
        "Logic puzzle: {facts} {question}",
        "Premises: {facts}\nReason step by step. {question}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        family = ctx.choice(LOGIC_KEYS)
        facts, question, steps, answer, data = LOGIC_FAMILIES[family](ctx)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        return TrainingExample(
            prompt=self.TEMPLATES[k].format(facts=facts, question=question),
            response="\n".join(steps) + f"\nAnswer: {answer}",
            metadata={"answer": answer, "phrasing": k, "family": family, "puzzle": data},
        )


# ---------------------------------------------------------------------------------------------
# commonsense_reasoning
# ---------------------------------------------------------------------------------------------

# (situation, question, answer, reason). {n} is a Faker first name; {obj} picks from the option
# tuple (all options make the same fact true). Every entry states a plain, true everyday fact.
COMMONSENSE = (
    ("{n} left {obj} on the kitchen counter on a hot afternoon.", "What happened to it after a few hours?",
     "it melted", "Ice cream and chocolate melt when they are left in warm air.",
     ("a tub of ice cream", "a chocolate bar", "a bowl of ice cubes")),
    ("{n} put {obj} in the freezer overnight.", "What is the water like the next morning?",
     "frozen", "A freezer is below 0 °C, the temperature at which water freezes.",
     ("a glass of water", "a tray of water", "a plastic bottle of water")),
    ("{n} dropped {obj} onto a stone floor.", "What most likely happened to it?",
     "it broke", "Glass and porcelain are brittle and shatter on hard floors.",
     ("a glass vase", "a porcelain cup", "a wine glass")),
    ("{n} forgot to water {obj} for three weeks in midsummer.", "What state is the plant most likely in?",
     "wilted", "Plants wilt when they do not get enough water.",
     ("the potted basil", "the window-box flowers", "the tomato seedlings")),
    ("{n} left {obj} outside in the rain for many months.", "What most likely formed on it?",
     "rust", "Iron and steel rust when exposed to water and air.",
     ("a steel bicycle chain", "an old iron nail", "an unpainted iron bar")),
    ("{n} walked through heavy rain for twenty minutes without {obj}.", "What are {n}'s clothes like afterwards?",
     "wet", "Rain soaks clothes that are not protected.",
     ("an umbrella or raincoat", "a coat or umbrella", "any rain gear")),
    ("{n} added {obj} to a cup of hot tea and stirred.", "What happened to it?",
     "it dissolved", "Sugar dissolves in hot water when stirred.",
     ("a spoonful of sugar", "two sugar cubes", "a teaspoon of sugar")),
    ("{n} dropped {obj} into a pond.", "Did it float or sink?",
     "it sank", "A stone is much denser than water, so it sinks.",
     ("a heavy stone", "a small rock", "a granite pebble")),
    ("{n} dropped {obj} into a bucket of water.", "Did it float or sink?",
     "it floated", "Cork and dry wood are less dense than water, so they float.",
     ("a wine cork", "a dry wooden block", "a cork coaster")),
    ("{n} left {obj} on the table, uncovered, for two weeks.", "What is likely to grow on it?",
     "mold", "Mold grows on bread and fruit left out for a long time.",
     ("a slice of bread", "a loaf of bread", "a bread roll")),
    ("{n} needs to {obj}.", "Which tool should {n} use: scissors, a spoon or a pillow?",
     "scissors", "Scissors are made for cutting.",
     ("cut a sheet of paper in half", "cut a piece of ribbon", "trim a photo")),
    ("{n} has to find a box in a dark basement during a power cut.",
     "What would help most: {obj}?", "a flashlight", "A flashlight gives light without mains power.",
     ("a flashlight, a towel or a fork", "a towel, a flashlight or a fork", "a fork, a towel or a flashlight")),
    ("{n} wants to carry hot soup home from a friend's house.", "Which container is best: {obj}?",
     "a sealed jar", "A sealed jar holds liquid without spilling.",
     ("a paper bag, a sealed jar or a net", "a sealed jar, a net or a paper bag",
      "a net, a paper bag or a sealed jar")),
    ("{n} blew up {obj} and then poked it with a pin.", "What happened to it?",
     "it popped", "A pin punctures the stretched rubber and the balloon bursts.",
     ("a balloon", "a red balloon", "a party balloon")),
    ("{n} left {obj} out of the fridge for three days in summer.", "What is it like now?",
     "spoiled", "Milk spoils quickly when it is not kept cold.",
     ("a carton of milk", "a bottle of milk", "a jug of milk")),
    ("{n} hung {obj} on a line in the sun for a few hours.", "What is it like afterwards?",
     "dry", "Sun and air evaporate the water from wet laundry.",
     ("wet laundry", "a wet towel", "freshly washed shirts")),
    ("{n} heated {obj} on the stove at full power for a long time.", "What does the water start to do?",
     "boil", "Water boils when heated to 100 °C at sea level.",
     ("a pot of water", "a saucepan of water", "a kettle of water")),
    ("{n} went to bed at 3 am and had to get up at {obj}.", "How is {n} likely to feel in the morning?",
     "tired", "Three or four hours of sleep is not enough rest.",
     ("6 am", "7 am", "6:30 am")),
    ("{n} ran {obj} on a warm day without drinking anything.", "What is {n} likely to feel?",
     "thirsty", "Exercise in the heat makes the body lose water through sweat.",
     ("ten kilometres", "a half marathon", "eight kilometres")),
    ("{n} skipped {obj}.", "How is {n} likely to feel by the afternoon?",
     "hungry", "Going many hours without food makes people hungry.",
     ("breakfast and lunch", "both breakfast and lunch", "every meal since last night")),
    ("{n} sat in the strong sun {obj} without sunscreen.", "What is {n} likely to get?",
     "sunburn", "Long exposure to strong sunlight burns unprotected skin.",
     ("at the beach all day", "by the pool all afternoon", "on a boat for six hours")),
    ("{n} wants to drive a nail into a wooden plank.", "Which tool should {n} use: {obj}?",
     "a hammer", "A hammer is made for driving nails.",
     ("a hammer, a pillow or a sock", "a sock, a hammer or a pillow", "a pillow, a sock or a hammer")),
    ("{n} poured {obj} into a glass of water and waited.", "Where does the oil end up?",
     "on top", "Cooking oil is less dense than water and does not mix with it.",
     ("some olive oil", "a spoonful of sunflower oil", "some vegetable oil")),
    ("{n} let go of {obj} outdoors.", "Which way does it go?",
     "up", "Helium is lighter than air, so a helium balloon rises.",
     ("a helium balloon", "a helium-filled party balloon", "a shiny helium balloon")),
    ("{n} let go of {obj} while standing in the garden.", "Which way does it go?",
     "down", "Gravity pulls objects toward the ground.",
     ("an apple", "a tennis ball", "a set of keys")),
    ("{n} dropped {obj} into a cup of hot coffee.", "What happened to it?",
     "it melted", "Ice melts in a hot drink.",
     ("an ice cube", "two ice cubes", "a small ice cube")),
    ("{n} left the car headlights on all night with the engine off.", "Why might the car not start {obj}?",
     "a flat battery", "Headlights drain the battery when the engine is not charging it.",
     ("in the morning", "the next day", "at sunrise")),
    ("{n} mixed {obj} paint.", "What colour did {n} get?",
     "green", "Blue and yellow paint mix to green.",
     ("blue and yellow", "yellow and blue", "equal amounts of blue and yellow")),
    ("{n} mixed {obj} paint.", "What colour did {n} get?",
     "pink", "Red mixed with white gives pink.",
     ("red and white", "white and red", "a little red and a lot of white")),
    ("{n} wants to keep leftover soup fresh until tomorrow.", "Where should it go: {obj}?",
     "the fridge", "Cold slows the growth of bacteria in food.",
     ("the fridge, the oven or a sunny window", "a sunny window, the fridge or the oven",
      "the oven, a sunny window or the fridge")),
    ("{n} needs to cross a deep, wide river without getting wet.", "Which is best: {obj}?",
     "a boat", "A boat floats and carries people across water.",
     ("a boat, a towel or a ladder", "a ladder, a boat or a towel", "a towel, a ladder or a boat")),
    ("{n} baked cookies for {obj} instead of twelve minutes.", "What are the cookies like?",
     "burnt", "Food left in a hot oven far too long burns.",
     ("two hours", "an hour and a half", "three hours")),
    ("{n} wore {obj} on a long hike.", "What is {n} likely to get on their feet?",
     "blisters", "Tight shoes rub the skin and cause blisters.",
     ("new shoes a size too small", "brand-new tight boots", "shoes that were too small")),
    ("{n} left {obj} uncapped on the desk for a month.", "What are they like now?",
     "dried out", "Marker ink evaporates when the cap is off.",
     ("a set of felt-tip markers", "three whiteboard markers", "the highlighter pens")),
    ("{n} left {obj} out in the rain for an hour.", "What is the paper like afterwards?",
     "soggy", "Paper absorbs water and turns soft.",
     ("a stack of newspapers", "a pile of paper flyers", "a paper map")),
    ("{n} put a pan on the stove on high heat for ten minutes and then {obj}.",
     "How did the pan feel?", "hot", "A stove heats the metal of a pan.",
     ("touched its metal rim", "touched its metal side", "touched the metal edge")),
    ("{n} pressed the light switch, but {obj}.", "Did the room light up?",
     "no", "A lamp needs a working bulb to give light.",
     ("the only bulb in the room was burnt out", "the bulb had been removed", "the lamp had no bulb")),
    ("{n} shook {obj} hard and opened it at once.", "What happened when it was opened?",
     "it foamed over", "Shaking releases the gas in fizzy drinks, which then foams out.",
     ("a bottle of cola", "a can of soda", "a bottle of sparkling water")),
    ("{n} planted {obj} in spring and watered them every day.",
     "What is likely to appear within a few weeks?", "sprouts", "Watered seeds germinate and sprout.",
     ("bean seeds", "sunflower seeds", "pea seeds")),
    ("{n} walked on an icy pavement in {obj}.", "What might {n} do on the ice?",
     "slip", "Ice is slippery, especially under smooth soles.",
     ("smooth-soled shoes", "leather-soled shoes", "slippers")),
    ("{n} lit {obj} and let it burn all evening.", "What happened to the candle?",
     "it got shorter", "A burning candle consumes its wax.",
     ("a tall candle", "a new candle", "a wax candle")),
    ("{n} wants to eat soup.", "Which utensil should {n} use: {obj}?",
     "a spoon", "A spoon holds liquid; a fork or knife does not.",
     ("a spoon, a fork or a knife", "a knife, a spoon or a fork", "a fork, a knife or a spoon")),
)
CS_DISTRACTORS = (
    "It was a {day}.", "{m} was reading in the next room.", "The radio was playing quietly.",
    "{n} lives in {city}.", "A cat was asleep on the sofa.", "{m} called to chat about the weekend.",
    "{n} had just finished a phone call with {m}.", "The neighbours were out shopping.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class CommonsenseReasoningGenerator(Generator):
    name = "commonsense_reasoning"
    task_type = "reasoning"
    phrasings = 4

    TEMPLATES = (
        "{story}\nQuestion: {question}",
        "Use common sense. {story} {question}",
        "Situation: {story}\n{question} Answer briefly.",
        "{story} {question}\nGive a short answer.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        idx = ctx.randint(0, len(COMMONSENSE) - 1)
        sit, question, answer, reason, objs = COMMONSENSE[idx]
        name = ctx.fake.first_name()
        other = ctx.fake.first_name()
        obj = ctx.choice(objs)
        story = [sit.format(n=name, obj=obj)]
        for d in ctx.sample(CS_DISTRACTORS, ctx.level(0, 1, 2)):
            story.insert(ctx.randint(0, len(story)),
                         d.format(day=ctx.choice(DAYS), m=other, n=name, city=ctx.fake.city()))
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(story=" ".join(story), question=question.format(n=name, obj=obj))
        return TrainingExample(
            prompt=prompt,
            response=f"{reason}\nAnswer: {answer}",
            metadata={"answer": answer, "phrasing": k, "fact": idx},
        )


# ---------------------------------------------------------------------------------------------
# causal_reasoning
# ---------------------------------------------------------------------------------------------

CAUSAL_DOMAINS = (
    ("{n}'s office printer", "paper jams",
     ("recycled paper", "the duplex setting", "the new toner cartridge", "tray 2", "draft mode", "the label sheets")),
    ("{n}'s home Wi-Fi", "connection drops",
     ("the microwave", "the baby monitor", "the smart TV", "the game console", "the new range extender",
      "the cordless phone")),
    ("{n}'s vegetable garden", "yellow leaves",
     ("the new fertiliser", "the sprinkler timer", "the shade net", "the compost", "the rain barrel water",
      "the bark mulch")),
    ("the {c} web server", "slow responses",
     ("the nightly backup", "the analytics job", "the new cache layer", "the log shipper", "the image resizer",
      "the email batch")),
    ("{n}'s car", "rattling noises",
     ("the roof box", "the winter tyres", "the loose floor mat", "the bike rack", "the spare wheel",
      "the tool kit")),
    ("{n}'s bakery oven", "burnt loaves",
     ("the new baking trays", "the convection fan", "the timer app", "the top shelf", "the dark rye flour",
      "the steam setting")),
    ("the {c} packing line", "misaligned labels",
     ("the new label roll", "the faster belt speed", "the second printer", "the night shift settings",
      "the glossy boxes", "the humidity control")),
    ("{n}'s laptop", "sudden shutdowns",
     ("the new charger", "the external monitor", "the video editor", "the docking station", "the USB hub",
      "the gaming mouse")),
)


def solve_records(factors: list[str], rows: list[tuple[list[bool], bool]]) -> list[str]:
    """Factors whose presence matches the effect on every row."""
    return [f for i, f in enumerate(factors) if all(present[i] == effect for present, effect in rows)]


def causal_interventions(ctx: GenContext, setting: str, effect: str, factors: list[str], cause: int):
    """Removal tests, one per factor (the cause's is left out on hard, with a red herring added).

    The worked answer reads the tests in the order the prompt gives them, one line each, so every
    line is the next sentence restated.
    """
    lines, steps = [], []
    hard = ctx.difficulty == "hard"
    order = list(range(len(factors)))
    ctx.rng.shuffle(order)
    for i in order:
        if i == cause:
            if hard:
                continue
            lines.append(f"With {factors[i]} removed, the {effect} stopped.")
            steps.append(f"Without {factors[i]}: stopped, so it is the cause.")
        else:
            lines.append(f"With {factors[i]} removed, the {effect} still happened.")
            steps.append(f"Without {factors[i]}: still happened, so it is not the cause.")
    if hard:
        herring = ctx.choice([i for i in range(len(factors)) if i != cause])
        lines.insert(0, f"Most days with {effect} also had {factors[herring]} in use.")
        steps.append(f"Only {factors[cause]} is left, so it is the cause.")
    return " ".join(lines), steps, {"mode": "interventions", "tested_cause": not hard}


def causal_records(ctx: GenContext, setting: str, effect: str, factors: list[str], cause: int):
    n_rows = ctx.level(3, 4, 6)
    for _ in range(500):
        rows = []
        for _r in range(n_rows):
            present = [ctx.rng.random() < 0.5 for _ in factors]
            rows.append((present, present[cause]))
        effects = [e for _, e in rows]
        if any(effects) and not all(effects) and solve_records(factors, rows) == [factors[cause]]:
            break
    else:  # pragma: no cover
        raise RuntimeError("no record set found")
    lines = []
    for r, (present, eff) in enumerate(rows, 1):
        used = [f for f, p in zip(factors, present) if p]
        lines.append(f"Day {r}: {', '.join(used) if used else 'none of them'} -> {effect if eff else 'no ' + effect}.")
    # Day by day, the factors that could still be the cause: on a day with the effect the cause was in
    # use, on a day without it the cause was not. Each line needs only its day and the line above.
    steps, left = [], list(range(len(factors)))
    for r, (present, eff) in enumerate(rows, 1):
        left = [i for i in left if present[i] == eff]
        names = ", ".join(factors[i] for i in left)
        steps.append(f"Day {r}: {effect if eff else 'no ' + effect}, so left: {names}.")
    steps.append(f"Only {factors[cause]} is left, so it is the cause.")
    data = {"mode": "records", "rows": [[[f for f, p in zip(factors, pr) if p], e] for pr, e in rows]}
    return "\n".join(lines), steps, data


class CausalReasoningGenerator(Generator):
    name = "causal_reasoning"
    task_type = "reasoning"
    phrasings = 4

    TEMPLATES = (
        "{intro}\n{evidence}\nWhich factor causes the {effect}?",
        "Investigation of {setting}.\n{intro}\n{evidence}\nWhat is the cause?",
        "{intro} Here is what was observed:\n{evidence}\nIdentify the cause of the {effect}.",
        "Evidence:\n{evidence}\n{intro}\nName the factor responsible for the {effect}.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        setting_t, effect, pool = ctx.choice(CAUSAL_DOMAINS)
        setting = setting_t.format(n=ctx.fake.first_name(), c=ctx.fake.company())
        factors = ctx.sample(pool, ctx.level(2, 3, 4))
        cause = ctx.randint(0, len(factors) - 1)
        mode = ctx.choice(("interventions", "records"))
        intro = (f"{setting[0].upper() + setting[1:]} has {effect}. Exactly one of these factors causes the {effect}, "
                 f"and it always does so when it is in use: {', '.join(factors)}.")
        if mode == "interventions":
            evidence, steps, data = causal_interventions(ctx, setting, effect, factors, cause)
        else:
            evidence, steps, data = causal_records(ctx, setting, effect, factors, cause)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(intro=intro, evidence=evidence, effect=effect, setting=setting)
        answer = factors[cause]
        data.update(factors=factors, effect=effect)
        return TrainingExample(
            prompt=prompt,
            response="\n".join(steps) + f"\nAnswer: {answer}",
            metadata={"answer": answer, "phrasing": k, "scenario": data},
        )


math_reasoning = Specialist("math_reasoning", MathReasoningGenerator)
logical_reasoning = Specialist("logical_reasoning", LogicalReasoningGenerator)
commonsense_reasoning = Specialist("commonsense_reasoning", CommonsenseReasoningGenerator)
causal_reasoning = Specialist("causal_reasoning", CausalReasoningGenerator)
