"""logical_reasoning: three puzzle families with deterministic solvers.

Categorical syllogism chains (yes / no / cannot be determined), ordering puzzles (a name, or
yes / no) and truth-teller / liar puzzles with a unique consistent assignment (yes / no, or a
name). Every answer comes from the solver, run on the facts placed in the prompt.
"""

from __future__ import annotations

from itertools import product

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist


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


logical_reasoning = Specialist("logical_reasoning", LogicalReasoningGenerator)
