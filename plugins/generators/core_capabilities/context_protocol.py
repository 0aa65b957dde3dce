"""context_protocol: extractive QA over memory blocks.

The prompt holds ``<context>...</context>`` (personal memory) and ``<hive name=...>...</hive>``
(shared knowledge) blocks. The answer is a span of one block; the question names the block when
several blocks hold the same kind of fact, and threshold questions state the threshold (Anima 30 %,
Hive 50 %, Divine 70 %) and have exactly one belief above it.
"""

from __future__ import annotations

from datetime import date, timedelta

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.plugins.generators.core_capabilities.common import pick_template
from simplex_training.specialist import Specialist


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
        k, tpl = pick_template(ctx, self.TEMPLATES)
        prompt = tpl.format(blocks="\n".join(blocks), q=question)
        return TrainingExample(
            prompt=prompt,
            response=f"Answer: {answer}",
            metadata={"answer": answer, "question_type": qtype, "phrasing": k},
        )


context_protocol = Specialist("context_protocol", ContextProtocolGenerator)
