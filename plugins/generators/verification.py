"""Generators for the ``verification`` category: fact_checking, claim_detection.

* fact_checking: an evidence passage states some attributes of a (Faker) company; the claim is
  about one attribute. supported = it restates the evidence value (or a comparison the value
  satisfies); refuted = the evidence gives that single-valued attribute a different value (or the
  comparison fails, or the claim negates it); not_enough_info = the evidence never states that
  attribute for that company (on hard, another company's value for it may appear as a distractor).
* claim_detection: claim = a checkable factual assertion (entities, numbers, dates, places);
  not_claim = questions, opinions, greetings, requests and wishes, built from marked templates.
"""

from __future__ import annotations

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

CITIES = ("Lisbon", "Oslo", "Denver", "Madrid", "Toronto", "Chicago", "Dublin", "Vienna", "Seattle", "Boston",
          "Prague", "Helsinki", "Lima", "Austin", "Glasgow", "Athens", "Osaka", "Nairobi")
PRODUCTS = ("bicycles", "office furniture", "kitchen appliances", "solar panels", "running shoes", "board games",
            "garden tools", "medical scanners", "electric scooters", "coffee machines")
ATTRS = ("founded", "hq", "employees", "ceo", "product")

EVIDENCE = {
    "founded": ("{E} was founded in {founded}.", "{E} was established in {founded}."),
    "hq": ("{E} is headquartered in {hq}.", "The head office of {E} is in {hq}."),
    "employees": ("{E} employs {employees} people.", "{E} has a workforce of {employees}."),
    "ceo": ("The chief executive of {E} is {ceo}.", "{ceo} is the CEO of {E}."),
    "product": ("The main product of {E} is {product}.", "{E} is best known for its {product}, its main product."),
}
# claims that restate the attribute (used for supported, for refuted with a changed value, and for NEI)
CLAIM = {
    "founded": ("{E} was founded in {founded}.", "{E} was established in the year {founded}.",
                "{E} has existed since {founded}."),
    "hq": ("{E} is headquartered in {hq}.", "{E} has its head office in {hq}.", "{E} is based in {hq}."),
    "employees": ("{E} has {employees} employees.", "{E} employs {employees} people."),
    "ceo": ("{ceo} is the CEO of {E}.", "{E} is run by chief executive {ceo}."),
    "product": ("{E} mainly makes {product}.", "The main product of {E} is {product}."),
}
NEGATED = {
    "founded": "{E} was not founded in {founded}.",
    "hq": "{E} is not headquartered in {hq}.",
    "employees": "{E} does not have {employees} employees.",
    "ceo": "{ceo} is not the CEO of {E}.",
    "product": "{E} does not mainly make {product}.",
}


# The worked answer names each fact by its topic: the claim's first, then every evidence sentence in
# the passage's order, each set against the claim. A sentence about the claim's topic and company
# decides the verdict; if there is none, there is not enough info.
# Equality is written so that copying decides it: the claim's line is `topic value = claim`, and an
# evidence line with the same topic writes `topic value` and then `= claim` only if that text repeats
# the claim line, the continuation an induction head reads off the earlier line (`!= claim` if not).
TOPIC = {"founded": "founded in", "hq": "head office in", "employees": "employees:", "ceo": "CEO:",
         "product": "main product:"}
BOUND = {"before": ("founded before", int.__lt__), "after": ("founded after", int.__gt__),
         "more_than": ("employees more than", int.__gt__), "fewer_than": ("employees fewer than", int.__lt__)}


def worked_check(company: str, attr: str, form: str, claimed: object,
                 stated: list[tuple[str, str, object]]) -> str:
    if form in BOUND:
        lines = [f"Claim: {BOUND[form][0]} {claimed}."]
    else:
        lines = [f"Claim: not {TOPIC[attr]} {claimed}." if form == "negated"
                 else f"Claim: {TOPIC[attr]} {claimed} = claim"]
    for who, topic, value in stated:
        if who != company:
            lines.append(f"- {who}: another company")
        elif topic != attr:
            lines.append(f"- {TOPIC[topic]} {value}: another topic")
        elif form in BOUND:
            fits = BOUND[form][1](int(value), int(claimed))  # type: ignore[call-overload]
            lines.append(f"- {TOPIC[topic]} {value}: {'fits' if fits else 'does not fit'} the claim")
        elif form == "negated":
            lines.append(f"- {TOPIC[topic]} {value}: the claim denies it")
        else:
            lines.append(f"- {TOPIC[topic]} {value} {'=' if value == claimed else '!='} claim")
    return "\n".join(lines)


def _company(ctx: GenContext, avoid: str = "") -> str:
    for _ in range(20):
        name = ctx.fake.company()
        if not avoid or (avoid not in name and name not in avoid):
            return name
    return f"{avoid} Holdings" if avoid else "Acme Holdings"


def _facts(ctx: GenContext) -> dict[str, object]:
    return {
        "founded": ctx.randint(1900, 2020), "hq": ctx.choice(CITIES), "employees": ctx.randint(12, 9000),
        "ceo": f"{ctx.fake.first_name()} {ctx.fake.last_name()}", "product": ctx.choice(PRODUCTS),
    }


def _different(ctx: GenContext, attr: str, value: object) -> object:
    while True:
        new = _facts(ctx)[attr]
        if new != value:
            return new


class FactCheckingGenerator(Generator):
    name = "fact_checking"
    task_type = "classification"
    labels = ("supported", "refuted", "not_enough_info")
    phrasings = 4

    TEMPLATES = (
        "Evidence: {ev}\nClaim: {claim}\nIs the claim supported, refuted, or is there not enough info?",
        "Check the claim against the evidence only.\nClaim: {claim}\nEvidence: {ev}\nVerdict (supported / refuted / not_enough_info):",
        "Fact check.\n[evidence] {ev}\n[claim] {claim}",
        "Based solely on this passage: \"{ev}\"\ndecide whether the statement \"{claim}\" is supported, refuted or not_enough_info.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        company = _company(ctx)
        facts = _facts(ctx)
        n = ctx.level(2, 3, 4)
        picked = ctx.sample(ATTRS, n)
        shown = [a for a in ATTRS if a in picked]
        values = dict(facts, E=company)
        sentences = [ctx.choice(EVIDENCE[a]).format(**values) for a in shown]
        stated = [(company, a, values[a]) for a in shown]  # what each sentence says, for the worked answer
        label = ctx.label
        if label == "not_enough_info":
            attr = ctx.choice([a for a in ATTRS if a not in shown])
            claim = ctx.choice(CLAIM[attr]).format(**values)
            form, claimed = "unstated", values[attr]
            if ctx.difficulty == "hard":  # the attribute is stated, but for another company
                other = dict(_facts(ctx), E=_company(ctx, avoid=company))
                other[attr] = values[attr] if ctx.rng.random() < 0.5 else other[attr]
                sentences.append(ctx.choice(EVIDENCE[attr]).format(**other))
                stated.append((other["E"], attr, other[attr]))
        else:
            attr = ctx.choice(shown)
            comparison = ctx.difficulty == "hard" and attr in ("founded", "employees") and ctx.rng.random() < 0.6
            if comparison:
                claim, form, claimed = self._comparison(ctx, attr, values, label == "supported")
            elif label == "supported":
                claim, form, claimed = ctx.choice(CLAIM[attr]).format(**values), "restate", values[attr]
            elif ctx.rng.random() < 0.7:
                changed = dict(values)
                changed[attr] = _different(ctx, attr, values[attr])
                claim, form, claimed = ctx.choice(CLAIM[attr]).format(**changed), "changed", changed[attr]
            else:
                claim, form, claimed = NEGATED[attr].format(**values), "negated", values[attr]
        order = list(range(len(sentences)))
        ctx.rng.shuffle(order)
        sentences, stated = [sentences[i] for i in order], [stated[i] for i in order]
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(ev=" ".join(sentences), claim=claim)
        return TrainingExample(
            prompt=prompt,
            response=worked_check(company, attr, form, claimed, stated) + f"\nVerdict: {label}",
            metadata={"label": label, "company": company, "evidence_attrs": shown, "claim_attr": attr,
                      "claim_form": form, "facts": {a: facts[a] for a in shown}, "claim": claim, "phrasing": k},
        )

    @staticmethod
    def _comparison(ctx: GenContext, attr: str, values: dict[str, object], true: bool) -> tuple[str, str, int]:
        v = int(values[attr])  # type: ignore[call-overload]
        gap = ctx.randint(1, 40) if attr == "founded" else ctx.randint(1, max(1, v // 3))
        if attr == "founded":
            if ctx.rng.random() < 0.5:  # before / after
                bound = v + gap if true else v - gap
                return f"{values['E']} was founded before {bound}.", "before", bound
            bound = v - gap if true else v + gap
            return f"{values['E']} was founded after {bound}.", "after", bound
        if ctx.rng.random() < 0.5:
            bound = v - gap if true else v + gap
            return f"{values['E']} has more than {bound} employees.", "more_than", bound
        bound = v + gap if true else v - gap
        return f"{values['E']} has fewer than {bound} employees.", "fewer_than", bound


# -- claim_detection ------------------------------------------------------------------------------

CLAIM_BANK = (
    "{company} was founded in {year}.",
    "{city} has a population of {n} people.",
    "The {item} costs ${p} at {company}.",
    "{name} won the {city} marathon in {year}.",
    "Unemployment in {city} fell to {pct}% last year.",
    "{company} employs more than {n} people.",
    "The bridge in {city} is {n} meters long.",
    "{name} was elected mayor of {city} in {year}.",
    "{company} is headquartered in {city}.",
    "The train from {city} to {city2} takes {k} hours.",
    "{name} has written {k} novels.",
    "Average rent in {city} rose {pct}% between {year} and {year2}.",
)
# hard claims: hedged or attributed, still checkable
CLAIM_HARD = (
    "According to the census, {city} has {n} residents.",
    "{name} is the captain of the {city} rowing team.",
    "Reports say {company} closed {k} stores in {year}.",
)
NOT_CLAIM_BANK = {
    "question": ("Have you ever been to {city}?", "What time does the {item} shop open?", "Did {name} call you back?",
                 "Is {company} hiring this year?", "How was your trip to {city}?"),
    "opinion": ("I think {city} is the most beautiful place on earth.", "In my opinion the {item} is overpriced.",
                "Honestly, {company}'s new logo is ugly.", "I love the {item}!", "The concert in {city} was amazing, I feel."),
    "greeting": ("Good morning, {name}!", "Thanks so much for your help, {name}.", "Congratulations on the new job!",
                 "Hi everyone, welcome to the meeting."),
    "request": ("Please send me the report by {weekday}.", "Let's meet at {h} pm near the {city} station.",
                "Could you review my draft before {weekday}?", "Remember to bring the {item} tomorrow."),
    "wish": ("I hope it doesn't rain in {city} tomorrow.", "I wish {company} would open a store here.",
             "Hopefully {name} gets the promotion."),
}
# hard not-claims: contain numbers / entities but are still questions or opinions
NOT_CLAIM_HARD = {
    "question": ("Was {company} really founded in {year}?", "Does {city} have more than {n} residents?"),
    "opinion": ("I feel {year} was the best year {company} ever had.", "In my view {n} people at the parade was too many."),
}
OPINION_MARKERS = ("i think", "in my opinion", "honestly", "i love", "i feel", "in my view")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
ITEMS = ("laptop", "bicycle", "coffee maker", "winter jacket", "phone", "backpack", "camera")


def _claim_values(ctx: GenContext) -> dict[str, object]:
    year = ctx.randint(1950, 2020)
    city = ctx.fake.city()
    city2 = ctx.fake.city()
    return {
        "company": ctx.fake.company(), "city": city, "city2": city2 if city2 != city else f"North {city}",
        "name": f"{ctx.fake.first_name()} {ctx.fake.last_name()}", "year": year, "year2": year + ctx.randint(1, 4),
        "n": f"{ctx.randint(150, 990000):,}", "k": ctx.randint(2, 14), "pct": ctx.randint(2, 15), "p": ctx.randint(5, 999),
        "item": ctx.choice(ITEMS), "weekday": ctx.choice(WEEKDAYS), "h": ctx.randint(1, 9),
    }


class ClaimDetectionGenerator(Generator):
    name = "claim_detection"
    task_type = "classification"
    labels = ("claim", "not_claim")
    phrasings = 4

    TEMPLATES = (
        "Does this sentence make a checkable factual claim? Answer claim or not_claim.\n{text}",
        "Sentence: \"{text}\"\nLabel (claim / not_claim):",
        "Claim detection: {text}",
        "{speaker} said: {text}\nIs this a factual claim that could be verified?",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        values = _claim_values(ctx)
        hard = ctx.rng.random() < ctx.level(0.0, 0.25, 0.6)  # harder: hedged claims, questions/opinions with facts
        if ctx.label == "claim":
            form = "assertion"
            text = ctx.choice(CLAIM_HARD if hard else CLAIM_BANK).format(**values)
        else:
            bank = NOT_CLAIM_HARD if hard else NOT_CLAIM_BANK
            form = ctx.choice(sorted(bank))
            text = ctx.choice(bank[form]).format(**values)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        speaker = f"{ctx.fake.first_name()} {ctx.fake.last_name()}"
        return TrainingExample(prompt=self.TEMPLATES[k].format(text=text, speaker=speaker),
                               response=f"Label: {ctx.label}",
                               metadata={"label": ctx.label, "form": form, "text": text, "phrasing": k})


fact_checking = Specialist("fact_checking", FactCheckingGenerator)
claim_detection = Specialist("claim_detection", ClaimDetectionGenerator)
