"""Generators for the ``core`` category: context_protocol, confidence_calibration, belief_revision,
neural_ir.

Every answer is computed from the values placed in the prompt:

* ``context_protocol``: extractive QA over ``<context>...</context>`` (personal memory) and
  ``<hive name=...>...</hive>`` (shared knowledge) blocks. The answer is a span of one block; the
  question names the block when several blocks hold the same kind of fact, and threshold questions
  state the threshold (Anima 30 %, Hive 50 %, Divine 70 %) and have exactly one belief above it.
* ``confidence_calibration``: forecast items whose probability is exactly known from the prompt
  (observed frequencies, base rates, dice, coins, cards, urns). The answer is the more likely
  outcome, the stated confidence is its probability, and ``correct`` is simulated by drawing the
  outcome with that probability, so stated confidence matches accuracy by construction.
* ``belief_revision``: Bayes' rule in odds form with a stated likelihood ratio or hit/false-alarm
  rates (including irrelevant evidence, where the posterior equals the prior).
* ``neural_ir``: sigmoid gates, entropy (nats), temperature softmax, straight-through estimators,
  Gumbel-softmax with explicit noise and soft logic on probabilities, all with correct arithmetic.
  Soft-logic convention: inputs are probabilities; AND = a*b, OR = a + b - a*b, NOT = 1 - a.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator, confidence_tag
from simplex_training.specialist import Specialist

# -- shared helpers ------------------------------------------------------------------------------


def _pick(ctx: GenContext, templates: tuple[str, ...]) -> tuple[int, str]:
    k = ctx.randint(0, len(templates) - 1)
    return k, templates[k]


def _day(ctx: GenContext, start: date = date(2021, 1, 1), span: int = 1800) -> date:
    return start + timedelta(days=ctx.randint(0, span))


def _uniq(ctx: GenContext, draw, used: set[str], tries: int = 40) -> str:
    """Draw a value not in ``used`` (membership only; nothing iterates the set)."""
    value = draw()
    for _ in range(tries):
        if value not in used:
            break
        value = draw()
    used.add(value)
    return value


def half_up(x: Fraction | float, places: int) -> str:
    """Round half up to ``places`` decimals (exact for fractions), as a string."""
    if isinstance(x, Fraction):
        d = Decimal(x.numerator) / Decimal(x.denominator)
    else:
        d = Decimal(repr(x))
    return str(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


# =================================================================================================
# context_protocol
# =================================================================================================

TOPICS = (
    "the Q3 budget", "the onboarding plan", "the vendor contract", "the hiring freeze", "the website redesign",
    "the data migration", "the security audit", "the product roadmap", "the travel policy", "the churn report",
    "the office move", "the pricing update", "the API deprecation", "the quarterly review", "the training plan",
    "the warehouse layout", "the spring campaign", "the support backlog", "the cloud costs", "the release checklist",
)
VENUES = (
    "Café {last}", "the {city} office", "{last} Hall", "the {last} Hotel", "meeting room {n}", "the {last} Bistro",
)
ITEMS = (
    "standing desks", "laptops", "office chairs", "monitors", "printer cartridges", "headsets", "whiteboards",
    "server racks", "desk lamps", "coffee machines", "docking stations", "projectors",
)
EVENTS = (
    "sales summit", "partner workshop", "trade fair", "board meeting", "customer visit", "tech conference",
    "site inspection", "team offsite", "supplier audit", "product demo",
)
SYSTEMS = (
    "billing", "search", "login", "payments", "reporting", "email", "inventory", "analytics", "checkout",
    "backup", "invoicing", "scheduling",
)
HOST_PREFIX = ("app", "db", "web", "node", "srv", "edge", "core", "batch")
CODE_ADJ = (
    "Amber", "Cobalt", "Crimson", "Silver", "Golden", "Indigo", "Jade", "Scarlet", "Azure", "Onyx", "Ivory", "Copper",
)
CODE_NOUN = (
    "Falcon", "Harbor", "Meadow", "Comet", "Lantern", "Summit", "Orchid", "Glacier", "Beacon", "Canyon", "Willow",
    "Raven",
)
TEAMS = ("platform", "finance", "research", "sales", "ops", "design", "legal", "support", "security", "marketing")
ROLES = (
    "CFO", "head of sales", "lead engineer", "product manager", "recruiter", "account manager", "data analyst",
    "office manager", "legal counsel", "CTO", "support lead", "buyer",
)
CLAIMS = (
    "{company} will renew its contract", "the {system} outage was caused by a bad deploy",
    "{person} prefers morning meetings", "Project {code} will ship on time", "the {system} service needs more memory",
    "{company} is planning a price increase", "the {city} office will close next year",
    "the {item} order will arrive late", "{person} will accept the offer", "customers want a dark mode",
    "the {system} database should be sharded", "{company} is evaluating a competitor",
)
THRESHOLDS = (("Anima", 30), ("Hive", 50), ("Divine", 70))


class _Memory:
    """Random names, dates and values for one prompt, each unique within it."""

    def __init__(self, ctx: GenContext):
        self.ctx = ctx
        self.used: set[str] = set()

    def person(self) -> str:
        return _uniq(self.ctx, self.ctx.fake.name, self.used)

    def company(self) -> str:
        return _uniq(self.ctx, self.ctx.fake.company, self.used)

    def date(self) -> str:
        return _uniq(self.ctx, lambda: _day(self.ctx).isoformat(), self.used)

    def pick(self, seq: tuple[str, ...]) -> str:
        return _uniq(self.ctx, lambda: self.ctx.choice(seq), self.used)

    def venue(self) -> str:
        ctx = self.ctx

        def draw() -> str:
            return ctx.choice(VENUES).format(last=ctx.fake.last_name(), city=ctx.fake.city(), n=ctx.randint(101, 950))

        return _uniq(ctx, draw, self.used)

    def host(self) -> str:
        return _uniq(self.ctx, lambda: f"{self.ctx.choice(HOST_PREFIX)}-{self.ctx.randint(1, 99):02d}", self.used)

    def code(self) -> str:
        return _uniq(self.ctx, lambda: f"{self.ctx.choice(CODE_ADJ)} {self.ctx.choice(CODE_NOUN)}", self.used)

    def amount(self) -> str:
        return _uniq(self.ctx, lambda: f"{self.ctx.randint(120, 48000)}.{self.ctx.randint(0, 99):02d} EUR", self.used)

    def claim(self) -> str:
        ctx = self.ctx

        def draw() -> str:
            return ctx.choice(CLAIMS).format(
                company=ctx.fake.company(), system=ctx.choice(SYSTEMS), person=ctx.fake.name(),
                code=f"{ctx.choice(CODE_ADJ)} {ctx.choice(CODE_NOUN)}", city=ctx.fake.city(), item=ctx.choice(ITEMS),
            )

        return _uniq(ctx, draw, self.used)

    def conf(self, lo: int, hi: int) -> str:
        return _uniq(self.ctx, lambda: f"0.{self.ctx.randint(lo, hi):02d}", self.used)


def _episodic(m: _Memory) -> tuple[str, list[tuple[tuple[str, ...], str]]]:
    """One personal memory line and the questions it answers (question variants, answer span)."""
    ctx = m.ctx
    kind = ctx.randint(0, 3)
    d = m.date()
    if kind == 0:
        person, place, topic = m.person(), m.venue(), m.pick(TOPICS)
        line = f"[{d}] Met {person} at {place} to discuss {topic}."
        qas = [
            ((f"Where did I meet {person}?", f"At which place did I meet {person}?"), place),
            ((f"Who did I meet on {d}?", f"Which person did I see on {d}?"), person),
            ((f"What did I discuss with {person}?", f"What was the topic of my meeting with {person}?"), topic),
        ]
    elif kind == 1:
        person, company, topic = m.person(), m.company(), m.pick(TOPICS)
        line = f"[{d}] Called {person} from {company} about {topic}."
        qas = [
            ((f"Which company is {person} from?", f"{person} works for which company?"), company),
            ((f"Whom did I call about {topic}?", f"Who did I phone about {topic}?"), person),
        ]
    elif kind == 2:
        item, company, amount = m.pick(ITEMS), m.company(), m.amount()
        line = f"[{d}] Ordered {ctx.randint(2, 40)} {item} from {company} for {amount}."
        qas = [
            ((f"How much did the {item} order cost?", f"What did I pay for the {item}?"), amount),
            ((f"From which company did I order {item}?", f"Who supplied the {item}?"), company),
            ((f"When did I order the {item}?", f"On what date were the {item} ordered?"), d),
        ]
    else:
        city, event = _uniq(ctx, ctx.fake.city, m.used), m.pick(EVENTS)
        line = f"[{d}] Travelled to {city} for the {event}."
        qas = [
            ((f"Where did I travel for the {event}?", f"Which city was the {event} in?"), city),
            ((f"When did I travel to {city}?", f"On which date did I go to {city}?"), d),
        ]
    return line, qas


def _hive_fact(
    m: _Memory, subject: str | None = None, kind: int | None = None
) -> tuple[str, str, int, tuple[str, ...], str]:
    """A shared fact: (line, subject, kind, question variants with {hive}, answer span)."""
    ctx = m.ctx
    kind = ctx.randint(0, 3) if kind is None else kind
    if kind == 0:
        system = subject or m.pick(SYSTEMS)
        host = m.host()
        return (f"The {system} service runs on {host}.", system, 0,
                (f"According to the {{hive}} hive, which host runs the {system} service?",
                 f"Per the {{hive}} hive, where does the {system} service run?"), host)
    code = subject or m.code()
    if kind == 1:
        d = m.date()
        return (f"Project {code} deadline: {d}.", code, 1,
                (f"What is the deadline of Project {code} according to the {{hive}} hive?",
                 f"Per the {{hive}} hive, when is Project {code} due?"), d)
    if kind == 2:
        person = m.person()
        return (f"Project {code} is owned by {person}.", code, 2,
                (f"Who owns Project {code} according to the {{hive}} hive?",
                 f"Per the {{hive}} hive, who is the owner of Project {code}?"), person)
    amount = m.amount()
    return (f"Project {code} budget: {amount}.", code, 3,
            (f"What budget does the {{hive}} hive record for Project {code}?",
             f"According to the {{hive}} hive, how large is the Project {code} budget?"), amount)


def _belief(claim: str, conf: str) -> str:
    return f"belief: {claim} (confidence {conf})"


class ContextProtocolGenerator(Generator):
    name = "context_protocol"
    task_type = "extraction"
    phrasings = 5

    TEMPLATES = (
        "{blocks}\nQuestion: {q}",
        "Answer with a short span copied from the memory blocks.\n{blocks}\nQ: {q}",
        "{q}\nUse the memory below.\n{blocks}",
        "Memory:\n{blocks}\n\nUser asks: {q}",
        "Given the personal context and hive knowledge below, answer briefly.\n{blocks}\n{q}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        m = _Memory(ctx)
        n_ctx, n_hives, n_facts = ctx.level(2, 3, 4), ctx.level(1, 2, 3), 1
        teams = ctx.sample(TEAMS, n_hives)
        qtype = ctx.choice(("episodic", "episodic", "hive", "hive", "confidence", "threshold", "threshold"))

        # personal context: episodic lines (+ own beliefs)
        episodic = [_episodic(m) for _ in range(n_ctx)]
        ctx_lines = [line for line, _ in episodic]
        hive_lines: list[list[str]] = [[] for _ in teams]
        answer, question = "", ""

        if qtype == "episodic":
            _, qas = ctx.choice(episodic)
            variants, answer = ctx.choice(qas)
            question = ctx.choice(variants)
        elif qtype == "hive":
            target = ctx.randint(0, n_hives - 1)
            line, subject, kind, variants, answer = _hive_fact(m)
            hive_lines[target].append(line)
            question = ctx.choice(variants).format(hive=teams[target])
            for j in range(n_hives):  # other hives hold a conflicting value for the same subject
                if j != target:
                    hive_lines[j].append(_hive_fact(m, subject, kind)[0])
        elif qtype == "confidence":
            where = ctx.randint(-1, n_hives - 1)  # -1: my own belief in <context>
            claim, conf = m.claim(), m.conf(5, 95)
            answer = conf
            if where < 0:
                ctx_lines.append(_belief(claim, conf))
                question = ctx.choice((f"How confident am I that {claim}?", f"What confidence do I hold that {claim}?"))
            else:
                hive_lines[where].append(_belief(claim, conf))
                question = ctx.choice((f"How confident is the {teams[where]} hive that {claim}?",
                                       f"What confidence does the {teams[where]} hive give to: {claim}?"))
        else:  # threshold: exactly one belief of the named block clears the stated threshold
            level_name, pct = ctx.choice(THRESHOLDS)
            where = -1 if level_name == "Anima" else ctx.randint(0, n_hives - 1)
            answer = m.claim()
            beliefs = [_belief(answer, m.conf(pct, 98))]
            beliefs += [_belief(m.claim(), m.conf(3, pct - 1)) for _ in range(ctx.level(1, 2, 3))]
            ctx.rng.shuffle(beliefs)
            if where < 0:
                ctx_lines.extend(beliefs)
                question = ctx.choice((
                    f"Which of my own beliefs clears the Anima threshold of {pct}%?",
                    f"With the Anima threshold at {pct}%, which personal belief may I act on?",
                ))
            else:
                hive_lines[where].extend(beliefs)
                question = ctx.choice((
                    f"Which belief in the {teams[where]} hive meets the {level_name} threshold of {pct}%?",
                    f"Using the {level_name} threshold ({pct}%), which {teams[where]} hive belief can be acted on?",
                ))

        # distractor facts and beliefs in every hive
        for j in range(n_hives):
            for _ in range(n_facts - (1 if hive_lines[j] else 0)):
                hive_lines[j].append(_hive_fact(m)[0])
            if ctx.difficulty == "hard" and qtype != "threshold":
                hive_lines[j].append(_belief(m.claim(), m.conf(5, 95)))
            ctx.rng.shuffle(hive_lines[j])
        ctx.rng.shuffle(ctx_lines)
        blocks = ["<context>\n" + "\n".join(ctx_lines) + "\n</context>"]
        blocks += [f'<hive name="{t}">\n' + "\n".join(lines) + "\n</hive>" for t, lines in zip(teams, hive_lines)]
        k, tpl = _pick(ctx, self.TEMPLATES)
        prompt = tpl.format(blocks="\n".join(blocks), q=question)
        return TrainingExample(
            prompt=prompt,
            response=f"Answer: {answer}",
            metadata={"answer": answer, "question_type": qtype, "phrasing": k},
        )


# =================================================================================================
# confidence_calibration
# =================================================================================================

FREQ_SUBJECTS = (
    # (plural noun, source phrase, past event, yes/no question about the next one)
    ("orders", "from {company}", "arrived late", "Will the next order from {company} arrive late?"),
    ("flights", "operated by {company}", "were delayed", "Will the next {company} flight be delayed?"),
    ("parts", "made by {company}", "failed inspection", "Will the next part from {company} fail inspection?"),
    ("invoices", "sent to {company}", "were paid early", "Will the next invoice to {company} be paid early?"),
    ("support calls", "handled by {person}", "were resolved on the first call",
     "Will {person}'s next support call be resolved on the first call?"),
    ("deliveries", "driven by {person}", "arrived before noon", "Will {person}'s next delivery arrive before noon?"),
)
BASE_RATES = (
    ("of {company}'s employees commute by train", "Does a randomly chosen {company} employee commute by train?"),
    ("of the customers in {company}'s database are from {city}",
     "Is a randomly picked customer of {company} from {city}?"),
    ("of the laptops in {company}'s fleet run Linux", "Does a randomly selected {company} laptop run Linux?"),
    ("of the tickets sent to {company}'s help desk are about passwords",
     "Is a random ticket at {company}'s help desk about passwords?"),
    ("of the residents of {city} own a bicycle", "Does a randomly chosen resident of {city} own a bicycle?"),
)
DIE_CONDS = (
    ("greater than {k}", lambda v, k: v > k),
    ("at most {k}", lambda v, k: v <= k),
    ("at least {k}", lambda v, k: v >= k),
    ("even", lambda v, k: v % 2 == 0),
    ("a multiple of 3", lambda v, k: v % 3 == 0),
)
COLOURS = ("red", "blue", "green", "yellow", "white", "black")


class ConfidenceCalibrationGenerator(Generator):
    """Forecasts with exactly known probabilities; the answer is the more likely outcome."""

    name = "confidence_calibration"
    task_type = "calibration"
    phrasings = 4

    TEMPLATES = (
        "{q} Answer {opts} and state your confidence.",
        "Forecast question: {q}\nGive the more likely outcome ({opts}) with a calibrated confidence.",
        "{q}\nReply with {opts} and a confidence equal to the probability of being right.",
        "Predict the outcome. {q} Options: {opts}.",
    )

    # -- item families: each returns (question, options, answer, p_answer, reason) ------------------

    def _frequency(self, ctx: GenContext) -> tuple[str, tuple[str, str], str, Fraction, str]:
        noun, source, event, question = ctx.choice(FREQ_SUBJECTS)
        who = {"company": ctx.fake.company(), "person": ctx.fake.first_name()}
        n = ctx.choice((5, 8, 10, 12, 20, 25, 40, 50))
        k = ctx.randint(0, n)
        text = f"Of the last {n} {noun} {source.format(**who)}, {k} {event}."
        if ctx.difficulty == "hard":  # a second source as distractor
            other = {"company": ctx.fake.company(), "person": ctx.fake.first_name()}
            n2 = ctx.choice((6, 10, 15, 30))
            text += f" Of {n2} {noun} {source.format(**other)}, {ctx.randint(0, n2)} {event}."
        p_yes = Fraction(k, n)
        q = f"{text} {question.format(**who)}"
        return q, ("yes", "no"), *_binary(p_yes, f"P(yes) = {k}/{n} = {half_up(p_yes, 2)}")

    def _base_rate(self, ctx: GenContext) -> tuple[str, tuple[str, str], str, Fraction, str]:
        stem, question = ctx.choice(BASE_RATES)
        who = {"company": ctx.fake.company(), "city": ctx.fake.city()}
        pct = ctx.randint(2, 98)
        q = f"{pct}% {stem.format(**who)}. {question.format(**who)}"
        p_yes = Fraction(pct, 100)
        return q, ("yes", "no"), *_binary(p_yes, f"P(yes) = {half_up(p_yes, 2)}")

    def _die(self, ctx: GenContext) -> tuple[str, tuple[str, str], str, Fraction, str]:
        sides = ctx.choice((4, 6, 8, 10, 12, 20))
        desc, cond = ctx.choice(DIE_CONDS)
        k = ctx.randint(1, sides - 1)
        hits = sum(1 for v in range(1, sides + 1) if cond(v, k))
        q = f"A fair {sides}-sided die (faces 1-{sides}) is rolled once. Will the result be {desc.format(k=k)}?"
        p_yes = Fraction(hits, sides)
        return q, ("yes", "no"), *_binary(p_yes, f"{hits} of {sides} faces qualify, P(yes) = {half_up(p_yes, 2)}")

    def _two_dice(self, ctx: GenContext) -> tuple[str, tuple[str, str], str, Fraction, str]:
        if ctx.randint(0, 3) == 0:
            hits, what = 6, "a double (both dice equal)"
        else:
            k = ctx.randint(3, 12)
            hits = sum(1 for a in range(1, 7) for b in range(1, 7) if a + b >= k)
            what = f"a sum of at least {k}"
        q = f"Two fair six-sided dice are rolled. Will they show {what}?"
        p_yes = Fraction(hits, 36)
        return q, ("yes", "no"), *_binary(p_yes, f"{hits} of 36 outcomes qualify, P(yes) = {half_up(p_yes, 2)}")

    def _coins(self, ctx: GenContext) -> tuple[str, tuple[str, str], str, Fraction, str]:
        n = ctx.randint(2, 6)
        if ctx.randint(0, 1):
            p_yes, what = 1 - Fraction(1, 2**n), "at least one head"
            reason = f"P(no head) = 1/{2**n}, P(yes) = {half_up(p_yes, 2)}"
        else:
            p_yes, what = Fraction(1, 2**n), f"{n} heads in a row"
            reason = f"P(yes) = 1/{2**n} = {half_up(p_yes, 2)}"
        q = f"A fair coin is tossed {n} times. Will there be {what}?"
        return q, ("yes", "no"), *_binary(p_yes, reason)

    def _cards(self, ctx: GenContext) -> tuple[str, tuple[str, str], str, Fraction, str]:
        what, hits = ctx.choice((("a face card (J, Q or K)", 12), ("a heart", 13), ("an ace", 4), ("not a spade", 39),
                                 ("a number card from 2 to 10", 36), ("a king or a queen", 8), ("a red ace", 2)))
        q = f"One card is drawn from a shuffled standard 52-card deck. Will it be {what}?"
        p_yes = Fraction(hits, 52)
        return q, ("yes", "no"), *_binary(p_yes, f"{hits} of 52 cards qualify, P(yes) = {half_up(p_yes, 2)}")

    def _urn(self, ctx: GenContext) -> tuple[str, tuple[str, ...], str, Fraction, str]:
        k = ctx.level(2, 3, 3)
        colours = ctx.sample(COLOURS, k)
        while True:
            counts = [ctx.randint(1, 15) for _ in colours]
            if counts.count(max(counts)) == 1:
                break
        total = sum(counts)
        listing = ", ".join(f"{c} {col}" for c, col in zip(counts, colours))
        if ctx.difficulty == "hard" and ctx.randint(0, 1):
            first = colours[0]
            hits = counts[0] * (counts[0] - 1)
            p_yes = Fraction(hits, total * (total - 1))
            q = f"A bag holds {listing} marbles. Two are drawn without replacement. Will both be {first}?"
            reason = f"P(both {first}) = {counts[0]}/{total} x {counts[0] - 1}/{total - 1} = {half_up(p_yes, 2)}"
            return q, ("yes", "no"), *_binary(p_yes, reason)
        best = max(range(k), key=lambda i: counts[i])
        p = Fraction(counts[best], total)
        q = f"A bag holds {listing} marbles. One is drawn at random. Which colour will it be?"
        reason = f"{colours[best]} is most common: {counts[best]}/{total} = {half_up(p, 2)}"
        return q, tuple(colours), colours[best], p, reason

    def example(self, ctx: GenContext) -> TrainingExample:
        families = ctx.level(
            (self._frequency, self._base_rate, self._die, self._coins),
            (self._frequency, self._base_rate, self._die, self._cards, self._urn, self._coins),
            (self._frequency, self._two_dice, self._cards, self._urn, self._coins, self._base_rate),
        )
        while True:
            family = ctx.choice(families)
            q, opts, answer, p, reason = family(ctx)
            # exact ties are not forecastable; keep mostly confident items (a calibrated model then
            # reaches the catalog's accuracy/Brier thresholds) but also some near-coin-flips
            if p != Fraction(1, 2) and (p >= Fraction(3, 4) or ctx.rng.random() < 0.25):
                break
        conf = float(half_up(p, 2))
        # simulate the real outcome: the answer turns out right with probability p
        correct = ctx.rng.random() < float(p)
        if correct:
            outcome = answer
        else:
            others = [o for o in opts if o != answer]
            outcome = others[0] if len(others) == 1 else ctx.choice(others)  # any other option
        opts_text = " or ".join(opts) if len(opts) == 2 else ", ".join(opts[:-1]) + " or " + opts[-1]
        k, tpl = _pick(ctx, self.TEMPLATES)
        prompt = tpl.format(q=q, opts=opts_text)
        response = f"{reason}.\nAnswer: {answer} {confidence_tag(conf)}"
        return TrainingExample(
            prompt=prompt,
            response=response,
            metadata={"answer": answer, "confidence": conf, "correct": correct, "outcome": outcome,
                      "probability": round(float(p), 6), "family": family.__name__.lstrip("_"), "phrasing": k},
        )


def _binary(p_yes: Fraction, reason: str) -> tuple[str, Fraction, str]:
    """The more likely of yes/no, its probability and the reason line."""
    if p_yes > Fraction(1, 2):
        return "yes", p_yes, reason
    return "no", 1 - p_yes, reason + ", so P(no) = " + half_up(1 - p_yes, 2)


# =================================================================================================
# belief_revision
# =================================================================================================

# (claim, who holds the prior, evidence detector, positive observation, negative observation)
BR_SCENARIOS = (
    ("patient {person} has strep throat", "Dr. {last}", "rapid strep test",
     "comes back positive", "comes back negative"),
    ("transaction #{num} at {company} is fraudulent", "the risk team", "fraud model", "flags it", "does not flag it"),
    ("pump P-{num} at {company} has a bearing fault", "engineer {person}", "vibration alarm",
     "goes off", "stays silent"),
    ("the email from {person} is phishing", "the security desk", "mail filter",
     "marks it as phishing", "lets it through"),
    ("it will rain in {city} tomorrow", "forecaster {person}", "falling-pressure indicator",
     "is triggered", "is not triggered"),
    ("candidate {person} will succeed in the role", "recruiter {last}", "work-sample test", "is passed", "is failed"),
    ("the shipment from {company} is damaged", "the warehouse lead", "tilt sensor on the crate",
     "is tripped", "is intact"),
    ("server {host} is compromised", "analyst {person}", "intrusion detector", "raises an alert", "stays quiet"),
)
IRRELEVANT = (
    "the report was filed on a {weekday}", "the file name contains the letter Q", "{person} wore a blue shirt that day",
    "the ticket number is even", "the message arrived in the afternoon",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
LRS = (Fraction(1, 5), Fraction(1, 4), Fraction(1, 3), Fraction(1, 2), Fraction(2), Fraction(3), Fraction(4),
       Fraction(5), Fraction(6), Fraction(8), Fraction(10))


def _fmt(x: Fraction) -> str:
    return half_up(x, 3)


def _pct(x: Fraction) -> str:
    return f"{int(x * 100)}%"


class BeliefRevisionGenerator(Generator):
    name = "belief_revision"
    task_type = "reasoning"
    phrasings = 5

    TEMPLATES = (
        "{story}\nWhat is the updated probability that {claim}? Give 2 decimals.",
        "Belief update. {story}\nUse Bayes' rule to find P({claim} | evidence), rounded to 2 decimals.",
        "{story}\nRevise the belief that {claim}. Report the posterior probability (2 decimals).",
        "Prior and evidence:\n{story}\nPosterior that {claim}?",
        "{story}\nHow likely is it now that {claim}? Answer with a probability to 2 decimals.",
    )

    def _evidence(self, ctx: GenContext, scen: tuple[str, ...], fill: dict[str, str], form: str, first: bool
                  ) -> tuple[str, Fraction, str]:
        """One piece of evidence: (text, likelihood ratio, step text)."""
        _, _, detector, pos, neg = scen
        if form == "irrelevant":
            fact = ctx.choice(IRRELEVANT).format(weekday=ctx.choice(WEEKDAYS), **fill)
            return (f"It also turns out that {fact}, which is equally likely whether or not the claim is true.",
                    Fraction(1), "irrelevant evidence: LR = 1")
        if form == "lr":
            lr = ctx.choice(LRS)
            which = "New" if first else "Further"
            if lr >= 1:
                text = f"{which} evidence is {lr} times as likely if the claim is true as if it is false."
            else:
                text = f"{which} evidence is {lr.denominator} times as likely if the claim is false as if it is true."
            return text, lr, f"LR = {_fmt(lr)}"
        # hit / false-alarm rates
        if form == "equal_rates":
            h = f = Fraction(ctx.randint(2, 18) * 5, 100)
        else:
            while True:
                h = Fraction(ctx.randint(12, 19) * 5, 100)
                f = Fraction(ctx.randint(2, 8) * 5, 100) if ctx.randint(0, 4) else Fraction(ctx.randint(1, 9), 100)
                if h != f:
                    break
        det = f"The {detector}" if first else f"A second, independent {detector}"
        text = (f"{det} catches {_pct(h)} of true cases "
                f"and fires falsely in {_pct(f)} of other cases.")
        positive = form == "equal_rates" or ctx.rng.random() < (0.7 if first else 0.5)
        if positive:
            lr = h / f
            return f"{text} It {pos}.", lr, f"LR = {_pct(h)}/{_pct(f)} = {_fmt(lr)}"
        lr = (1 - h) / (1 - f)
        return f"{text} It {neg}.", lr, f"LR = {_pct(1 - h)}/{_pct(1 - f)} = {_fmt(lr)}"

    def example(self, ctx: GenContext) -> TrainingExample:
        scen = ctx.choice(BR_SCENARIOS)
        fill = {"person": ctx.fake.name(), "last": ctx.fake.last_name(), "company": ctx.fake.company(),
                "city": ctx.fake.city(), "num": str(ctx.randint(100, 99999)), "host": f"srv-{ctx.randint(1, 99):02d}"}
        claim = scen[0].format(**fill)
        holder = scen[1].format(**fill)
        prior = Fraction(ctx.randint(1, 19) * 5, 100)
        n_ev = ctx.level(1, 1, 2)
        forms = []
        for _ in range(n_ev):
            r = ctx.rng.random()
            forms.append("irrelevant" if r < 0.12 else "equal_rates" if r < 0.2 else
                         ctx.level("lr", ctx.choice(("lr", "rates")), ctx.choice(("lr", "rates", "rates"))))
        evidence = [self._evidence(ctx, scen, fill, form, i == 0) for i, form in enumerate(forms)]
        prior_text = ctx.choice((f"{holder} puts the probability that {claim} at {_pct(prior)}.",
                                 f"{holder} starts with a prior of {half_up(prior, 2)} that {claim}."))
        story = prior_text[0].upper() + prior_text[1:] + " " + " ".join(text for text, _, _ in evidence)
        if n_ev > 1:
            story += " Treat the pieces of evidence as independent."

        odds = prior / (1 - prior)
        steps = [f"Prior odds = {half_up(prior, 2)}/{half_up(1 - prior, 2)} = {_fmt(odds)}."]
        lr_total = Fraction(1)
        for _, lr, step in evidence:
            steps.append(step[0].upper() + step[1:] + ".")
            lr_total *= lr
        post_odds = odds * lr_total
        posterior = post_odds / (1 + post_odds)
        answer = half_up(posterior, 2)
        steps.append(f"Posterior odds = {_fmt(post_odds)}; P = {_fmt(post_odds)}/{_fmt(1 + post_odds)}.")
        conf = float(answer)
        response = "\n".join(steps) + f"\nAnswer: {answer} {confidence_tag(conf)}"
        k, tpl = _pick(ctx, self.TEMPLATES)
        prompt = tpl.format(story=story, claim=claim)
        return TrainingExample(
            prompt=prompt,
            response=response,
            metadata={
                "answer": answer, "numeric_answer": conf, "confidence": conf, "phrasing": k,
                "prior": float(prior), "likelihood_ratios": [_fmt(lr) for _, lr, _ in evidence],
                "evidence_forms": forms,
            },
        )


# =================================================================================================
# neural_ir
# =================================================================================================


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def softmax(values: list[float]) -> list[float]:
    m = max(values)
    exps = [math.exp(v - m) for v in values]
    s = sum(exps)
    return [e / s for e in exps]


def _num(x: float, d: int) -> str:
    """Fixed-point text of ``x`` with ``d`` decimals, without a negative zero."""
    s = f"{x:.{d}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def _par(x: float) -> str:
    """A number for use after a minus sign: negative values in parentheses."""
    return f"({x})" if x < 0 else str(x)


def _tenth(ctx: GenContext, lo: int, hi: int) -> float:
    """A value with one decimal in [lo/10, hi/10]."""
    return ctx.randint(lo, hi) / 10


CLASS_NAMES = ("A", "B", "C", "D")
TEMPS = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0)


class NeuralIRGenerator(Generator):
    """Gate and soft-logic arithmetic with stated rounding; steps show the intermediate values."""

    name = "neural_ir"
    task_type = "reasoning"
    phrasings = 4

    FRAMES = (
        "{task}",
        "Neural IR exercise. {task}",
        "Compute the following and show the steps.\n{task}",
        "{task}\nGive the final value after 'Answer:'.",
    )

    def _gate(self, ctx: GenContext, d: int) -> tuple[str, list[str], str, float]:
        x, th = _tenth(ctx, -20, 30), _tenth(ctx, -10, 20)
        t = ctx.choice(TEMPS)
        z = (x - th) / t
        y = sigmoid(z)
        task = (f"A soft threshold gate outputs sigmoid((x - threshold)/T). With x = {x}, threshold = {th} and "
                f"temperature T = {t}, what is the gate output? Round to {d} decimals.")
        steps = [f"z = ({x} - {_par(th)})/{t} = {_num(z, 4)}",
                 f"sigmoid({_num(z, 4)}) = 1/(1 + e^({_num(-z, 4)})) = {_num(y, d + 1)}"]
        return task, steps, _num(y, d), y

    def _entropy(self, ctx: GenContext, d: int) -> tuple[str, list[str], str, float]:
        n = ctx.level(2, 3, 4)
        while True:
            cuts = sorted(ctx.sample(range(1, 100), n - 1))
            probs = [b - a for a, b in zip([0, *cuts], [*cuts, 100])]
            if all(p >= 2 for p in probs):
                break
        ps = [p / 100 for p in probs]
        h = -sum(p * math.log(p) for p in ps)
        plist = ", ".join(f"{p:.2f}" for p in ps)
        task = (f"Compute the entropy H = -sum p ln p (natural log, in nats) of the distribution [{plist}]. "
                f"Round to {d} decimals.")
        terms = " + ".join(f"{-p * math.log(p):.4f}" for p in ps)
        steps = [f"-p ln p terms: {terms}", f"H = {_num(h, d + 1)} nats"]
        return task, steps, _num(h, d), h

    def _softmax(self, ctx: GenContext, d: int) -> tuple[str, list[str], str, float]:
        n = ctx.level(2, 3, 4)
        logits = [_tenth(ctx, -20, 30) for _ in range(n)]
        t = ctx.choice(TEMPS[2:])
        target = ctx.randint(0, n - 1)
        probs = softmax([z / t for z in logits])
        names = CLASS_NAMES[:n]
        lst = ", ".join(f"{c}={z}" for c, z in zip(names, logits))
        task = (f"Logits: {lst}. Apply softmax with temperature T = {t}. What probability does class {names[target]} "
                f"get? Round to {d} decimals.")
        scaled = ", ".join(_num(z / t, 2) for z in logits)
        steps = [f"z/T = [{scaled}]", "softmax = [" + ", ".join(_num(p, 4) for p in probs) + "]"]
        return task, steps, _num(probs[target], d), probs[target]

    def _ste(self, ctx: GenContext, d: int) -> tuple[str, list[str], str, float]:
        x, th = _tenth(ctx, -10, 30), _tenth(ctx, 0, 20)
        t = ctx.choice(TEMPS[1:])
        z = (x - th) / t
        s = sigmoid(z)
        fwd = 1 if x >= th else 0
        grad = s * (1 - s) / t
        task = (f"A straight-through estimator uses the hard threshold 1[x >= threshold] in the forward pass and "
                f"the gradient of sigmoid((x - threshold)/T) in the backward pass. For x = {x}, threshold = {th}, "
                f"T = {t}: give the forward value and the backward gradient (round to {d} decimals).")
        steps = [f"forward: {x} {'>=' if fwd else '<'} {th}, so output {fwd}",
                 f"z = {_num(z, 4)}, sigmoid(z) = {_num(s, 4)}",
                 f"gradient = s(1 - s)/T = {_num(s, 4)} x {_num(1 - s, 4)} / {t} = {_num(grad, d + 1)}"]
        answer = f"forward {fwd}, backward {_num(grad, d)}"
        return task, steps, answer, grad

    def _gumbel(self, ctx: GenContext, d: int) -> tuple[str, list[str], str, float | None]:
        n = ctx.level(2, 3, 3)
        names = CLASS_NAMES[:n]
        while True:
            logits = [_tenth(ctx, -10, 20) for _ in range(n)]
            us = [ctx.randint(5, 95) / 100 for _ in range(n)]
            gs = [-math.log(-math.log(u)) for u in us]
            t = ctx.choice((0.5, 1.0, 2.0))
            ys = softmax([(z + g) / t for z, g in zip(logits, gs)])
            order = sorted(range(n), key=lambda i: -ys[i])
            if ys[order[0]] - ys[order[1]] > 0.01:
                break
        best = order[0]
        lst = ", ".join(f"{c}={z}" for c, z in zip(names, logits))
        ulst = ", ".join(f"{u:.2f}" for u in us)
        ask_prob = ctx.randint(0, 1) == 1
        ask = (f"What is the soft probability y of class {names[best]}? Round to {d} decimals." if ask_prob else
               "Which class does the hard (argmax) sample select?")
        task = (f"Gumbel-softmax with logits {lst}, uniform draws u = [{ulst}] and tau = {t}. "
                f"Use g = -ln(-ln u) and y = softmax((logits + g)/tau). {ask}")
        steps = ["g = [" + ", ".join(_num(g, 3) for g in gs) + "]",
                 "y = [" + ", ".join(_num(y, 4) for y in ys) + "]",
                 f"argmax is class {names[best]}"]
        if ask_prob:
            return task, steps, _num(ys[best], d), ys[best]
        return task, steps, names[best], None

    def _logic(self, ctx: GenContext, d: int) -> tuple[str, list[str], str, float]:
        a, b, c = (ctx.randint(1, 99) / 100 for _ in range(3))
        forms = ctx.level(
            ("A AND B", "A OR B", "NOT A"),
            ("A AND NOT B", "NOT A OR B", "NOT (A AND B)", "A OR B"),
            ("(A OR B) AND NOT C", "(A AND B) OR C", "NOT (A OR B) AND C", "(A AND NOT B) OR (NOT A AND B)"),
        )
        expr = ctx.choice(forms)
        na, nb, nc = 1 - a, 1 - b, 1 - c

        def por(p: float, q: float) -> float:
            return p + q - p * q

        steps: list[str]
        if expr == "A AND B":
            v, steps = a * b, [f"{a} x {b}"]
        elif expr == "A OR B":
            v, steps = por(a, b), [f"{a} + {b} - {a} x {b}"]
        elif expr == "NOT A":
            v, steps = na, [f"1 - {a}"]
        elif expr == "A AND NOT B":
            v, steps = a * nb, [f"NOT B = {_num(nb, 2)}", f"{a} x {_num(nb, 2)}"]
        elif expr == "NOT A OR B":
            v, steps = por(na, b), [f"NOT A = {_num(na, 2)}", f"{_num(na, 2)} + {b} - {_num(na, 2)} x {b}"]
        elif expr == "NOT (A AND B)":
            v, steps = 1 - a * b, [f"A AND B = {_num(a * b, 4)}", f"1 - {_num(a * b, 4)}"]
        elif expr == "(A OR B) AND NOT C":
            o = por(a, b)
            v, steps = o * nc, [f"A OR B = {_num(o, 4)}", f"NOT C = {_num(nc, 2)}", f"{_num(o, 4)} x {_num(nc, 2)}"]
        elif expr == "(A AND B) OR C":
            ab = a * b
            v, steps = por(ab, c), [f"A AND B = {_num(ab, 4)}", f"{_num(ab, 4)} + {c} - {_num(ab, 4)} x {c}"]
        elif expr == "NOT (A OR B) AND C":
            o = por(a, b)
            v, steps = (1 - o) * c, [f"A OR B = {_num(o, 4)}", f"NOT = {_num(1 - o, 4)}", f"{_num(1 - o, 4)} x {c}"]
        else:  # soft XOR
            l, r = a * nb, na * b
            v, steps = por(l, r), [f"A AND NOT B = {_num(l, 4)}", f"NOT A AND B = {_num(r, 4)}",
                                   f"{_num(l, 4)} + {_num(r, 4)} - {_num(l, 4)} x {_num(r, 4)}"]
        steps[-1] += f" = {_num(v, d + 1)}"
        uses_c = "C" in expr
        vals = f"A = {a}, B = {b}" + (f", C = {c}" if uses_c else "")
        task = (f"Soft logic on probabilities: AND = a*b, OR = a + b - a*b, NOT = 1 - a. With {vals}, evaluate "
                f"{expr}. Round to {d} decimals.")
        return task, steps, _num(v, d), v

    def example(self, ctx: GenContext) -> TrainingExample:
        families = (self._gate, self._entropy, self._softmax, self._ste, self._gumbel, self._logic)
        family = ctx.choice(families)
        d = ctx.choice((2, 3, 3, 4))
        task, steps, answer, value = family(ctx, d)
        k, tpl = _pick(ctx, self.FRAMES)
        prompt = tpl.format(task=task)
        response = "\n".join(steps) + f"\nAnswer: {answer}"
        meta = {"answer": answer, "family": family.__name__.lstrip("_"), "decimals": d, "phrasing": k}
        if value is not None:
            meta["numeric_answer"] = float(_num(value, d))
        return TrainingExample(prompt=prompt, response=response, metadata=meta)


context_protocol = Specialist("context_protocol", ContextProtocolGenerator)
confidence_calibration = Specialist("confidence_calibration", ConfidenceCalibrationGenerator)
belief_revision = Specialist("belief_revision", BeliefRevisionGenerator)
neural_ir = Specialist("neural_ir", NeuralIRGenerator)
