"""math_reasoning: multi-step word problems (shopping, sharing, wages, travel, stock, price with
discount and tax).

Each step is one arithmetic expression ``label: a × b = c``, computed from the values placed in the
prompt by the same code that writes it; the number of steps and the size of the numbers grow with
difficulty. Money answers have two decimals, other answers are integers unless the problem asks for
a rounded average (two decimals, half up).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist


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


math_reasoning = Specialist("math_reasoning", MathReasoningGenerator)
