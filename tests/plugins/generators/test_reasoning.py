"""The reasoning generators: answers are recomputed / re-solved from the prompt text."""

import re
import statistics
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import product

import pytest

from simplex_training.pluginmanager import get_host
from simplex_training.plugins.generators.reasoning import CATEGORIES, COMMONSENSE, CS_DISTRACTORS

IDS = ["math_reasoning", "logical_reasoning", "commonsense_reasoning", "causal_reasoning"]
DIFFS = ["easy", "medium", "hard"]


def gen(sid):
    return get_host().registry("generators")[sid]


def template_re(template: str) -> re.Pattern:
    parts = re.split(r"\{[a-z0-9_]+\}", template)
    return re.compile(".+?".join(re.escape(p) for p in parts))


def last_answer(response: str) -> str:
    assert "\nAnswer: " in response
    return response.rsplit("\nAnswer: ", 1)[1]


@pytest.mark.parametrize("sid", IDS)
def test_registered(sid):
    host = get_host()
    assert f"specialists.{sid}" in host.infos
    assert sid in host.registry("generators")


# -- math_reasoning -------------------------------------------------------------------------------

def r2(x) -> Decimal:
    x = Fraction(x)
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def recompute(kind: str, i: dict, difficulty: str) -> Fraction:
    F = Fraction
    if kind == "shopping":
        total = sum((q * F(p).limit_denominator(100) for q, p in zip(i["qty"], i["price"])), F(0))
        if "bill" not in i:
            return total
        return i["bill"] - (total - F(i["coupon"]).limit_denominator(100))
    if kind == "sharing":
        if "k" not in i:
            return F(i["n"] - i["a"] + i["b"])
        start = i["packs"] * i["q"] if "packs" in i else i["n"]
        return F(start - i["a"] - i["b"], i["k"])
    if kind == "wages":
        pay = F(i["rate"] * i["hours"] * i["days"]) + F(3, 2) * i["rate"] * i.get("overtime", 0)
        return pay - i.get("spend", 0)
    if kind == "travel":
        dist = i["v1"] * i["t1"] + i["v2"] * i["t2"]
        if difficulty == "easy":
            return F(dist)
        if "trip" in i:
            return F(i["trip"] - dist)
        return F(r2(F(dist, i["t1"] + i["t2"])))
    if kind == "stock":
        return F(i["start"] + (i["made"] - i["sold"]) * i["days"] - i.get("gift", 0))
    if kind == "discount":
        price = F(i["price"] * i.get("qty", 1))
        sale = price - F(r2(price * i["discount"] / 100))
        if "tax" not in i:
            return sale
        return sale + F(r2(sale * i["tax"] / 100))
    raise AssertionError(kind)


STEP_RE = re.compile(r"^[^:]+: (?P<expr>[0-9.()+\-×÷ ]+) = (?P<val>-?[0-9.]+)$")


@pytest.mark.parametrize("difficulty", DIFFS)
def test_math_answer_recomputed_from_inputs(difficulty):
    for ex in gen("math_reasoning").generate(400, seed=3, difficulty=difficulty):
        md = ex.metadata
        want = recompute(md["problem_type"], md["inputs"], difficulty)
        assert abs(float(want) - md["numeric_answer"]) < 1e-9, (ex.prompt, ex.response)
        assert last_answer(ex.response) == md["answer"]
        assert float(md["answer"]) == md["numeric_answer"]
        assert re.fullmatch(r"\d+|\d+\.\d\d", md["answer"]), md["answer"]  # integer or two decimals
        # every input number was stated in the prompt
        for v in md["inputs"].values():
            for x in v if isinstance(v, list) else [v]:
                if isinstance(x, float) and x:
                    assert f"{x:.2f}" in ex.prompt
                elif isinstance(x, int):
                    assert re.search(rf"(?<![\d.]){x}(?![\d])", ex.prompt), (x, ex.prompt)


@pytest.mark.parametrize("difficulty", DIFFS)
def test_math_every_step_is_correct_arithmetic(difficulty):
    for ex in gen("math_reasoning").generate(300, seed=4, difficulty=difficulty):
        lines = ex.response.split("\n")[:-1]
        assert lines
        last = None
        for line in lines:
            m = STEP_RE.match(line)
            assert m, line
            value = eval(m["expr"].replace("×", "*").replace("÷", "/"))  # digits and operators only
            assert abs(value - float(m["val"])) <= 0.005 + 1e-9, line
            last = m["val"]
        assert float(last) == ex.metadata["numeric_answer"]


def test_math_difficulty_adds_steps():
    g = gen("math_reasoning")
    steps = {d: statistics.mean(e.metadata["steps"] for e in g.generate(300, seed=5, difficulty=d)) for d in DIFFS}
    assert steps["easy"] < steps["medium"] < steps["hard"]


# -- logical_reasoning: an independent solver that reads only the prompt ---------------------------

SINGULAR = {s: p for s, p in CATEGORIES}


def solve_syllogism_text(prompt: str) -> str:
    alls = re.findall(r"All ([a-z ]+?) are ([a-z ]+?)\.", prompt)
    nos = re.findall(r"No ([a-z ]+?) are ([a-z ]+?)\.", prompt)
    person, start = re.search(r"([A-Z][\w'-]+) is an? ([a-z ]+?)\.", prompt).groups()
    target = re.search(r"Is [\w'-]+ an? ([a-z ]+?)\?", prompt).group(1)
    known = {SINGULAR[start]}
    changed = True
    while changed:
        changed = False
        for a, b in alls:
            if a in known and b not in known:
                known.add(b)
                changed = True
    t = SINGULAR[target]
    if t in known:
        return "yes"
    if any((a in known and b == t) or (b in known and a == t) for a, b in nos):
        return "no"
    return "cannot be determined"


def solve_ordering_text(prompt: str) -> str:
    rels = {"taller": "shorter", "older": "younger", "faster": "slower", "heavier": "lighter"}
    greater = set()
    for a, comp, b in re.findall(r"([A-Z][\w'-]+) is (\w+) than ([A-Z][\w'-]+)\.", prompt):
        if comp in rels:
            greater.add((a, b))
        else:
            greater.add((b, a))
    changed = True
    while changed:  # transitive closure
        changed = False
        for (a, b), (c, d) in product(list(greater), list(greater)):
            if b == c and (a, d) not in greater:
                greater.add((a, d))
                changed = True
    people = {x for pair in greater for x in pair}
    wins = {p: sum(1 for a, _ in greater if a == p) for p in people}
    q = re.search(r"Who is the (\w+)\?", prompt)
    if q:
        top = q.group(1) in ("tallest", "oldest", "fastest", "heaviest")
        return max(wins, key=wins.get) if top else min(wins, key=wins.get)
    x, comp, y = re.search(r"Is ([A-Z][\w'-]+) (\w+) than ([A-Z][\w'-]+)\?", prompt).groups()
    return "yes" if (x, y) in greater else "no"


def solve_knights_text(prompt: str) -> str:
    said = re.findall(r"([A-Z][\w'-]+) says: \"([^\"]+)\"", prompt)
    names = [s for s, _ in said]
    mentioned = set(re.findall(r"\b([A-Z][\w'-]+)\b", " ".join(t for _, t in said))) - {"At", "I"}
    names = list(dict.fromkeys(names + sorted(mentioned)))

    def holds(speaker, text, w):
        if m := re.fullmatch(r"(\S+) is a liar\.", text):
            return not w[m[1]]
        if m := re.fullmatch(r"(\S+) is a truth-teller\.", text):
            return w[m[1]]
        if m := re.fullmatch(r"(\S+) and I are the same type\.", text):
            return w[m[1]] == w[speaker]
        if m := re.fullmatch(r"(\S+) and I are different types\.", text):
            return w[m[1]] != w[speaker]
        if m := re.fullmatch(r"(\S+) and (\S+) are both truth-tellers\.", text):
            return w[m[1]] and w[m[2]]
        if m := re.fullmatch(r"At least one of (\S+) and me is a liar\.", text):
            return not (w[m[1]] and w[speaker])
        raise AssertionError(text)

    sols = []
    for values in product((True, False), repeat=len(names)):
        w = dict(zip(names, values))
        if all(holds(s, t, w) == w[s] for s, t in said):
            sols.append(w)
    assert len(sols) == 1, (prompt, sols)
    w = sols[0]
    if "Who is it?" in prompt:
        liars = [n for n in names if not w[n]]
        assert len(liars) == 1
        return liars[0]
    who = re.search(r"Is ([A-Z][\w'-]+) a truth-teller\?", prompt).group(1)
    return "yes" if w[who] else "no"


@pytest.mark.parametrize("difficulty", DIFFS)
def test_logic_answers_resolved_from_the_prompt(difficulty):
    seen = set()
    for ex in gen("logical_reasoning").generate(400, seed=6, difficulty=difficulty):
        family = ex.metadata["family"]
        solver = {"syllogism": solve_syllogism_text, "ordering": solve_ordering_text,
                  "knights": solve_knights_text}[family]
        got = solver(ex.prompt)
        assert got == ex.metadata["answer"] == last_answer(ex.response), (ex.prompt, ex.response, got)
        seen.add((family, got if got in ("yes", "no", "cannot be determined") else "name"))
    # every answer type occurs
    assert {("syllogism", "yes"), ("syllogism", "no"), ("syllogism", "cannot be determined"),
            ("ordering", "name"), ("knights", "yes"), ("knights", "no")} <= seen


def test_logic_difficulty_grows_the_puzzles():
    g = gen("logical_reasoning")
    size = {}
    for d in DIFFS:
        exs = [e for e in g.generate(300, seed=7, difficulty=d) if e.metadata["family"] == "ordering"]
        size[d] = statistics.mean(len(e.metadata["puzzle"]["people"]) for e in exs)
    assert size["easy"] < size["medium"] < size["hard"]


# -- commonsense_reasoning ------------------------------------------------------------------------

def test_commonsense_table_is_consistent():
    for sit, question, answer, reason, objs in COMMONSENSE:
        assert answer and reason and len(objs) >= 3
        if ":" in question and "{obj}" in question:  # multiple choice: the answer is always an option
            for o in objs:
                assert answer in o
        if ":" in question and "{obj}" not in question:
            assert answer in question


@pytest.mark.parametrize("difficulty", DIFFS)
def test_commonsense_answer_is_the_tabled_fact(difficulty):
    n_extra = {"easy": 0, "medium": 1, "hard": 2}[difficulty]
    for ex in gen("commonsense_reasoning").generate(300, seed=8, difficulty=difficulty):
        sit, question, answer, reason, objs = COMMONSENSE[ex.metadata["fact"]]
        assert ex.metadata["answer"] == answer
        assert ex.response == f"{reason}\nAnswer: {answer}"
        used = [o for o in objs if o in ex.prompt]
        assert used, ex.prompt
        # the situation sentence is present, plus exactly the difficulty's number of distractors
        assert any(template_re(sit.replace("{obj}", o)).search(ex.prompt) for o in used), ex.prompt
        distractors = sum(bool(template_re(d).search(ex.prompt)) for d in CS_DISTRACTORS)
        assert distractors == n_extra, ex.prompt


def test_commonsense_known_facts():
    # spot checks against the plain physics the table encodes
    facts = {q: a for s, q, a, r, o in COMMONSENSE}
    assert facts["What is the water like the next morning?"] == "frozen"
    assert facts["Did it float or sink?"] in ("it sank", "it floated")
    by_sit = {s: a for s, q, a, r, o in COMMONSENSE}
    assert by_sit["{n} let go of {obj} outdoors."] == "up"  # helium balloon
    assert by_sit["{n} let go of {obj} while standing in the garden."] == "down"


# -- causal_reasoning -----------------------------------------------------------------------------

def solve_causal_text(prompt: str) -> str:
    factors = re.search(r"when it is in use: (.+?)\.(?:\s|$)", prompt).group(1).split(", ")
    effect = re.search(r"causes the (.+?), and it always", prompt).group(1)
    tested = dict(re.findall(rf"With (.+?) removed, the {re.escape(effect)} (stopped|still happened)\.", prompt))
    if tested:
        stopped = [f for f, r in tested.items() if r == "stopped"]
        if stopped:
            assert len(stopped) == 1
            return stopped[0]
        left = [f for f in factors if f not in tested]
        assert len(left) == 1
        return left[0]
    rows = re.findall(r"Day \d+: (.+?) -> (no )?" + re.escape(effect) + r"\.", prompt)
    assert rows
    match = [f for f in factors
             if all((f in [x.strip() for x in used.split(",")]) == (neg == "") for used, neg in rows)]
    assert len(match) == 1, (prompt, match)
    return match[0]


@pytest.mark.parametrize("difficulty", DIFFS)
def test_causal_answer_resolved_from_the_evidence(difficulty):
    modes = set()
    for ex in gen("causal_reasoning").generate(300, seed=9, difficulty=difficulty):
        got = solve_causal_text(ex.prompt)
        assert got == ex.metadata["answer"] == last_answer(ex.response), (ex.prompt, got)
        modes.add(ex.metadata["scenario"]["mode"])
        n = {"easy": 2, "medium": 3, "hard": 4}[difficulty]
        assert len(ex.metadata["scenario"]["factors"]) == n
        if difficulty == "hard" and ex.metadata["scenario"]["mode"] == "interventions":
            assert f"With {got} removed" not in ex.prompt  # found by elimination
    assert modes == {"interventions", "records"}
