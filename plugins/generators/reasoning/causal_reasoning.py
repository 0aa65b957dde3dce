"""causal_reasoning: find the cause among candidate factors.

The prompt states that exactly one listed factor causes the effect. The evidence is either
interventions (removing a non-cause leaves the effect, removing the cause stops it; at ``hard``
the cause is found by elimination and a correlation red herring is added) or observation records
(the cause is the only factor present exactly on the days the effect occurred).
"""

from __future__ import annotations


from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist


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


causal_reasoning = Specialist("causal_reasoning", CausalReasoningGenerator)
