"""Generators for the ``dialogue`` category: task_oriented, chitchat, negotiation.

* task_oriented: a short booking dialogue plus its slot schema; the next system turn is
  ``Request: <slot>. <question>`` when exactly one slot was never given, otherwise
  ``Confirm: slot=value; ... <question>`` with the latest value of every slot (a later
  "Actually, make it ..." turn overrides an earlier value).
* chitchat: a persona (facts) and a small-talk turn; the reply greets the user by name, answers
  with the one fact the question is about, and asks the same question back.
* negotiation: an asking price, an offer and stated rules (accept within p %, counter with the
  midpoint rounded to the nearest 5, floors, budgets, a second round); the answer is computed
  from those values.
"""

from __future__ import annotations

from fractions import Fraction

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
CITIES = ("Lisbon", "Oslo", "Denver", "Madrid", "Toronto", "Chicago", "Dublin", "Vienna", "Seattle",
          "Boston", "Prague", "Helsinki", "Lima", "Austin", "Glasgow", "Athens")


def _date(ctx: GenContext) -> str:
    return f"{ctx.choice(MONTHS)} {ctx.randint(1, 28)}"


def _time(ctx: GenContext) -> str:
    return f"{ctx.randint(1, 11)}:{ctx.choice(('00', '15', '30', '45'))} {ctx.choice(('am', 'pm'))}"


def _address(ctx: GenContext) -> str:
    street = ctx.choice(("Street", "Road", "Avenue", "Lane", "Drive", "Way"))
    return f"{ctx.randint(1, 999)} {ctx.fake.last_name()} {street}"


# -- task_oriented -------------------------------------------------------------------------------

# domain -> (label, opening requests, [(slot, phrase, question, value maker)], confirmation question)
DOMAINS = {
    "restaurant": (
        "restaurant booking",
        ("I'd like to book a table {p}.", "Can you reserve a table {p}?", "I need a table {p}.", "Please get me a table {p}."),
        (
            ("restaurant", "at {v}", "Which restaurant would you like?",
             lambda c: f"{c.fake.last_name()}'s {c.choice(('Bistro', 'Grill', 'Kitchen', 'Trattoria', 'Diner', 'Brasserie'))}"),
            ("date", "on {v}", "For which date?", _date),
            ("time", "at {v}", "What time would you like?", _time),
            ("people", "for {v} people", "How many people will be dining?", lambda c: str(c.randint(2, 12))),
        ),
        "Shall I book the table?",
    ),
    "hotel": (
        "hotel booking",
        ("I want to book a room {p}.", "Please reserve a room {p}.", "I need a hotel room {p}.", "Could you book me a room {p}?"),
        (
            ("hotel", "at the {v}", "Which hotel would you like?",
             lambda c: f"{c.fake.last_name()} {c.choice(('Inn', 'Hotel', 'Suites', 'Lodge', 'Plaza'))}"),
            ("check_in", "from {v}", "What is your check-in date?", _date),
            ("nights", "for {v} nights", "How many nights will you stay?", lambda c: str(c.randint(2, 14))),
            ("guests", "for {v} guests", "How many guests?", lambda c: str(c.randint(2, 6))),
        ),
        "Shall I reserve the room?",
    ),
    "taxi": (
        "taxi booking",
        ("I need a taxi {p}.", "Please book a cab {p}.", "Can you get me a taxi {p}?", "I'd like to order a taxi {p}."),
        (
            ("pickup", "from {v}", "Where should the taxi pick you up?", _address),
            ("destination", "to {v}", "Where are you going?", _address),
            ("time", "at {v}", "What time do you want to leave?", _time),
        ),
        "Shall I book the taxi?",
    ),
    "flight": (
        "flight booking",
        ("I want to book a flight {p}.", "Book me a flight {p}.", "I need a plane ticket {p}.", "Can you find me a flight {p}?"),
        (
            ("origin", "from {v}", "Where are you flying from?", lambda c: c.choice(CITIES)),
            ("destination", "to {v}", "Where would you like to fly to?", lambda c: c.choice(CITIES)),
            ("date", "on {v}", "What date do you want to travel?", _date),
            ("passengers", "for {v} passengers", "How many passengers?", lambda c: str(c.randint(2, 9))),
        ),
        "Shall I book the flight?",
    ),
}
FOLLOW_UPS = ("{p}, please.", "Make it {p}.", "{P}.", "It's {p}.", "Sure, {p}.")
CORRECTIONS = ("Actually, make it {p} instead.", "Sorry, change that: {p}.", "Wait, I meant {p}.")
SYSTEM_FILLERS = ("Sure, noted.", "Got it.", "Okay.", "Great, thanks.")


def _phrase(template: str, value: str) -> str:
    return template.format(v=value)


class TaskOrientedGenerator(Generator):
    name = "task_oriented"
    task_type = "generation"
    phrasings = 4

    TEMPLATES = (
        "Domain: {label}. Slots: {slots}.\n{dialogue}\nWrite the next system turn: ask for the missing slot, or confirm all slots.",
        "Slot schema ({label}): {slots}\nConversation:\n{dialogue}\nNext system turn ('Request: <slot>. <question>' or 'Confirm: slot=value; ... <question>'):",
        "You are a booking assistant. Required slots: {slots}.\n{dialogue}\nSystem:",
        "{dialogue}\n---\nTask: {label}; required slots {slots}. Reply as the system.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        domain = ctx.choice(sorted(DOMAINS))
        label, openers, slots, confirm_q = DOMAINS[domain]
        values: dict[str, str] = {}
        for slot, _, _, make in slots:
            values[slot] = make(ctx)
            if domain == "flight" and slot == "destination":
                while values[slot] == values["origin"]:
                    values[slot] = make(ctx)
        missing = ctx.choice([s for s, *_ in slots]) if ctx.rng.random() < 0.5 else None
        given = [s for s, *_ in slots if s != missing]
        ctx.rng.shuffle(given)
        n_turns = min(ctx.level(1, 2, 2), len(given))
        cuts = sorted(ctx.sample(range(1, len(given)), n_turns - 1)) if n_turns > 1 else []
        groups = [given[a:b] for a, b in zip([0] + cuts, cuts + [len(given)])]
        spec = {s: (p, q) for s, p, q, _ in slots}

        lines = []
        for i, group in enumerate(groups):
            phrases = " ".join(_phrase(spec[s][0], values[s]) for s in group)
            if i == 0:
                lines.append(f"User: {ctx.choice(openers).format(p=phrases)}")
            else:
                lines.append(f"User: {ctx.choice(FOLLOW_UPS).format(p=phrases, P=phrases[0].upper() + phrases[1:])}")
            if i + 1 < len(groups):
                lines.append(f"System: {spec[groups[i + 1][0]][1]}")
        final = dict(values)
        if ctx.difficulty == "hard":  # the user corrects one slot; the latest value wins
            slot = ctx.choice(given)
            make = next(m for s, _, _, m in slots if s == slot)
            new = make(ctx)
            while new == values[slot] or (domain == "flight" and slot in ("origin", "destination")
                                          and new in (values["origin"], values["destination"])):
                new = make(ctx)
            final[slot] = new
            lines.append(f"System: {ctx.choice(SYSTEM_FILLERS)}")
            lines.append(f"User: {ctx.choice(CORRECTIONS).format(p=_phrase(spec[slot][0], new))}")

        if missing is not None:
            response = f"Request: {missing}. {spec[missing][1]}"
        else:
            response = "Confirm: " + "; ".join(f"{s}={final[s]}" for s, *_ in slots) + f". {confirm_q}"
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(label=label, slots=", ".join(s for s, *_ in slots), dialogue="\n".join(lines))
        return TrainingExample(
            prompt=prompt,
            response=response,
            metadata={"reference": response, "domain": domain, "missing": missing,
                      "slots": {s: final[s] for s, *_ in slots if s != missing}, "phrasing": k},
        )


# -- chitchat ------------------------------------------------------------------------------------

HOBBIES = ("hiking", "painting", "playing chess", "baking bread", "gardening", "cycling", "rock climbing",
           "photography", "knitting", "playing guitar", "swimming", "birdwatching", "pottery", "running")
FOODS = ("pasta", "sushi", "tacos", "curry", "pizza", "ramen", "paella", "dumplings", "falafel", "pancakes",
         "lasagna", "pho")
PETS = ("dog", "cat", "parrot", "rabbit", "hamster", "turtle", "goldfish")
JOBS = ("nurse", "teacher", "carpenter", "software developer", "librarian", "chef", "bus driver", "pharmacist",
        "architect", "gardener", "electrician", "accountant", "engineer", "illustrator")
MUSIC = ("jazz", "classical music", "indie rock", "hip hop", "folk", "reggae", "country", "electronic music",
         "blues", "soul")
PLANS = ("visit my grandparents", "go camping by the lake", "repaint my kitchen", "see a new film",
         "try a new recipe", "go to a farmers market", "run a 10k race", "clean out the garage",
         "go to a friend's wedding", "take a pottery class")


def _article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


# kind -> (fact sentence, user questions, reply answer sentence, reply follow-up question)
CHAT_KINDS = {
    "hobby": ("I enjoy {hobby}.",
              ("What do you do for fun?", "Got any hobbies?", "How do you spend your free time?",
               "What do you like doing when you're not working?"),
              "In my free time I enjoy {hobby}.", "What do you like to do?"),
    "food": ("My favourite food is {food}.",
             ("What's your favourite food?", "What do you love to eat?",
              "If you could eat one dish forever, what would it be?", "Any favourite dish?"),
             "My favourite food is {food}.", "What's yours?"),
    "pet": ("I have {pet} named {pet_name}.",
            ("Do you have any pets?", "Are you a pet person?", "Any animals at home?", "Do you live with any pets?"),
            "I have {pet} named {pet_name}.", "Do you have any pets?"),
    "job": ("I work as {job}.",
            ("What do you do for a living?", "What's your job?", "What kind of work do you do?",
             "So, what do you do all day?"),
            "I work as {job}.", "What do you do?"),
    "hometown": ("I'm from {city}.",
                 ("Where are you from?", "Where did you grow up?", "What's your hometown?", "Which town are you from?"),
                 "I'm from {city}.", "Where are you from?"),
    "music": ("I mostly listen to {music}.",
              ("What kind of music do you like?", "What do you listen to?", "Any favourite music?",
               "What's on your playlist these days?"),
              "I mostly listen to {music}.", "What about you?"),
    "weekend": ("This weekend I plan to {plan}.",
                ("Any plans for the weekend?", "What are you up to this weekend?", "Doing anything fun this weekend?",
                 "What's your plan for Saturday?"),
                "This weekend I plan to {plan}.", "Any plans yourself?"),
}
USER_OPENERS = ("", "Hey! ", "Hi there. ", "Long day today. ", "Nice to meet you! ", "So, ")


class ChitchatGenerator(Generator):
    name = "chitchat"
    task_type = "generation"
    phrasings = 4

    TEMPLATES = (
        "Your persona: {facts}\n{user}: {utt}\nReply in a friendly way using your persona.",
        "Persona facts:\n{fact_lines}\nChat\n{user}: {utt}\nYou:",
        "You are chatting with {user}. About you: {facts}\n{user} says: \"{utt}\"\nRespond.",
        "Facts you may use: {facts}\nMessage from {user}: {utt}\nWrite a short, warm reply.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        values = {
            "hobby": ctx.choice(HOBBIES), "food": ctx.choice(FOODS), "pet": _article(ctx.choice(PETS)),
            "pet_name": ctx.fake.first_name(), "job": _article(ctx.choice(JOBS)), "city": ctx.fake.city(),
            "music": ctx.choice(MUSIC), "plan": ctx.choice(PLANS),
        }
        kinds = sorted(CHAT_KINDS)
        asked = ctx.choice(kinds)
        others = ctx.sample([k for k in kinds if k != asked], ctx.level(1, 3, 5))
        shown = others + [asked]
        ctx.rng.shuffle(shown)
        facts = [CHAT_KINDS[k][0].format(**values) for k in shown]
        user = ctx.fake.first_name()
        opener, question = ctx.choice(USER_OPENERS), ctx.choice(CHAT_KINDS[asked][1])
        if opener.endswith(", "):
            question = question[0].lower() + question[1:]
        utt = opener + question
        _, _, answer, follow = CHAT_KINDS[asked]
        response = f"Hi {user}! {answer.format(**values)} {follow}"
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(facts=" ".join(facts), fact_lines="\n".join(f"- {f}" for f in facts),
                                          user=user, utt=utt)
        return TrainingExample(
            prompt=prompt,
            response=response,
            metadata={"reference": response, "topic": asked, "user": user, "phrasing": k},
        )


# -- negotiation ---------------------------------------------------------------------------------

ITEMS = ("used road bike", "leather sofa", "acoustic guitar", "second-hand laptop", "vintage camera",
         "oak dining table", "electric scooter", "espresso machine", "rowing machine", "antique mirror",
         "gaming console", "kayak", "sewing machine", "drum kit")


def round5(x: Fraction) -> int:
    """Nearest multiple of 5, halves up."""
    q = x / 5 + Fraction(1, 2)
    return (q.numerator // q.denominator) * 5


def floor5(x: Fraction) -> int:
    return (x.numerator // x.denominator) // 5 * 5


def within(offer: int, ask: int, pct: int) -> bool:
    """offer >= ask * (100 - pct) / 100, exactly."""
    return offer * 100 >= ask * (100 - pct)


class NegotiationGenerator(Generator):
    name = "negotiation"
    task_type = "reasoning"
    phrasings = 4

    FRAMES = (
        "{body}\nWhat price does {actor} state next? Give the number.",
        "Negotiation exercise. {body}\nWhat is {actor}'s reply price?",
        "{body}\nApply the rule and give {actor}'s next price (a number).",
        "Rules-based bargaining: {body} Which price does {actor} say?",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        kind = ctx.choice(ctx.level(("midpoint", "floor"), ("midpoint", "floor", "budget"),
                                    ("two_rounds", "floor", "budget")))
        seller, buyer = ctx.fake.first_name(), ctx.fake.first_name()
        item = ctx.choice(ITEMS)
        scale = ctx.level(100, 400, 2000)
        body, actor, steps, answer = getattr(self, f"_{kind}")(ctx, seller, buyer, item, scale)
        k = ctx.randint(0, len(self.FRAMES) - 1)
        prompt = self.FRAMES[k].format(body=body, actor=actor)
        response = "\n".join(steps + [f"Answer: {answer}"])
        return TrainingExample(
            prompt=prompt,
            response=response,
            metadata={"answer": str(answer), "numeric_answer": float(answer), "kind": kind, "phrasing": k},
        )

    @staticmethod
    def _ask(ctx: GenContext, scale: int) -> int:
        return ctx.randint(scale // 5, scale) * 5

    def _midpoint(self, ctx, seller, buyer, item, scale):
        ask = self._ask(ctx, scale)
        pct = ctx.choice((5, 10))
        threshold = Fraction(ask * (100 - pct), 100)
        if ctx.rng.random() < 0.4:
            offer = ctx.randint(-(-threshold.numerator // threshold.denominator), ask)
        else:
            offer = ctx.randint(ask // 2, max(ask // 2, -(-threshold.numerator // threshold.denominator) - 1))
        body = (f"{seller} sells {_article(item)} for ${ask}. {buyer} offers ${offer}. {seller}'s rule: accept any offer "
                f"within {pct}% of the asking price; otherwise counter with the midpoint of the ask and the offer, "
                f"rounded to the nearest 5 (halves up).")
        steps = [f"{pct}% below ${ask} is ${_money(threshold)}"]
        if within(offer, ask, pct):
            steps.append(f"${offer} >= ${_money(threshold)}, so {seller} accepts ${offer}")
            return body, seller, steps, offer
        mid = Fraction(ask + offer, 2)
        counter = round5(mid)
        steps += [f"${offer} < ${_money(threshold)}, so counter",
                  f"Midpoint = ({ask} + {offer}) / 2 = {_money(mid)}, rounded to {counter}"]
        return body, seller, steps, counter

    def _floor(self, ctx, seller, buyer, item, scale):
        ask = self._ask(ctx, scale)
        floor = ctx.randint(ask * 6 // 50, ask * 9 // 50) * 5
        offer = ctx.randint(ask * 4 // 10, ask)
        body = (f"{buyer} offers ${offer} for {seller}'s {item}, listed at ${ask}. {seller} will not go below "
                f"${floor}. Rule: if the offer is at least ${floor}, accept it; otherwise counter with the higher of "
                f"${floor} and the midpoint of ask and offer rounded to the nearest 5 (halves up).")
        if offer >= floor:
            return body, seller, [f"${offer} >= ${floor}, so {seller} accepts"], offer
        mid = Fraction(ask + offer, 2)
        counter = max(floor, round5(mid))
        steps = [f"${offer} < ${floor}, so counter",
                 f"Midpoint = ({ask} + {offer}) / 2 = {_money(mid)}, rounded to {round5(mid)}",
                 f"Higher of {floor} and {round5(mid)} = {counter}"]
        return body, seller, steps, counter

    def _budget(self, ctx, seller, buyer, item, scale):
        ask = self._ask(ctx, scale)
        pct = ctx.choice((70, 75, 80, 85, 90))
        budget = ctx.randint(ask * 5 // 10, ask * 11 // 10)
        body = (f"{seller} asks ${ask} for {_article(item)}. {buyer}'s budget is ${budget}. {buyer}'s rule: if the ask is "
                f"within budget, accept it; otherwise offer the lower of the budget and {pct}% of the ask, rounded "
                f"down to a multiple of 5.")
        if ask <= budget:
            return body, buyer, [f"${ask} <= ${budget}, so {buyer} accepts ${ask}"], ask
        share = Fraction(ask * pct, 100)
        offer = min(budget, floor5(share))
        steps = [f"${ask} > ${budget}, so make an offer",
                 f"{pct}% of {ask} = {_money(share)}, rounded down to {floor5(share)}",
                 f"Lower of {budget} and {floor5(share)} = {offer}"]
        return body, buyer, steps, offer

    def _two_rounds(self, ctx, seller, buyer, item, scale):
        ask = self._ask(ctx, scale)
        pct = ctx.choice((5, 10))
        threshold = Fraction(ask * (100 - pct), 100)
        offer = ctx.randint(ask // 2, max(ask // 2, -(-threshold.numerator // threshold.denominator) - 1))
        c1 = round5(Fraction(ask + offer, 2))
        raise_by = ctx.randint(1, max(1, (c1 - offer) // 5)) * 5
        body = (f"{seller} lists {_article(item)} at ${ask}; {buyer} opens at ${offer}. {seller} accepts any offer within "
                f"{pct}% of ${ask}, otherwise counters with the midpoint of their last price and the offer, rounded "
                f"to the nearest 5 (halves up). After each counter, {buyer} raises the offer by ${raise_by}. "
                f"{buyer} has just made a second offer.")
        steps = [f"{pct}% below ${ask} is ${_money(threshold)}"]
        steps.append(f"Round 1: {offer} < {_money(threshold)}, counter ({ask} + {offer}) / 2 -> {c1}")
        o2 = offer + raise_by
        if within(o2, ask, pct):
            steps.append(f"Round 2: offer {o2} >= {_money(threshold)}, accept")
            return body, seller, steps, o2
        c2 = round5(Fraction(c1 + o2, 2))
        steps.append(f"Round 2: offer {o2} < {_money(threshold)}, counter ({c1} + {o2}) / 2 -> {c2}")
        return body, seller, steps, c2


def _money(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    return f"{float(x):.2f}"


task_oriented = Specialist("task_oriented", TaskOrientedGenerator)
chitchat = Specialist("chitchat", ChitchatGenerator)
negotiation = Specialist("negotiation", NegotiationGenerator)
