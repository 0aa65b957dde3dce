"""Generators for the ``content_extraction`` category: entity_extraction, relation_extraction,
event_extraction, keyword_extraction.

Texts are assembled from sentence templates whose slots have known types, so the gold structure is
exactly what was placed in the text (no re-drawn values):

* ``entity_extraction``: ``{"person": [...], "organization": [...], "location": [...], "date": [...]}``,
  each list in order of first mention, without duplicates (all four keys always present).
* ``relation_extraction``: ``{"relations": [{"head", "relation", "tail"}...]}`` in text order; the
  allowed relation names are listed in the prompt, active and passive templates fix head/tail.
* ``event_extraction``: ``{"events": [{"type", "trigger", <role>: value...}]}``; the event types are
  listed in the prompt and the trigger is the verb phrase used in the sentence.
* ``keyword_extraction``: a deterministic rule applied to the final text (:func:`keywords_of`):
  lower-case the text, take words of >= 4 letters that are not stop words, keep those occurring at
  least twice, rank by count (descending) then by first occurrence, and return the first ``k``
  (``k`` is stated in the prompt). Texts are built so that domain terms repeat and template words
  do not, so the rule picks the topical terms.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def _date_text(ctx: GenContext) -> str:
    d = date(2015, 1, 1) + timedelta(days=ctx.randint(0, 4000))
    style = ctx.randint(0, 2)
    if style == 0:
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    if style == 1:
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return d.isoformat()


def _cap(s: str) -> str:
    """Capitalise a sentence; a name ending in '.' (e.g. 'e.G.') also ends the sentence."""
    s = s[0].upper() + s[1:]
    return s[:-1] if s.endswith("..") else s


def _json(fields: dict) -> str:
    return json.dumps(fields, ensure_ascii=False)


class _Pool:
    """Entity draws that are unique within one text."""

    def __init__(self, ctx: GenContext):
        self.ctx, self.used = ctx, set()

    def _draw(self, fn) -> str:
        value = fn()
        for _ in range(30):
            if value not in self.used:
                break
            value = fn()
        self.used.add(value)
        return value

    def person(self) -> str:
        return self._draw(self.ctx.fake.name)

    def org(self) -> str:
        return self._draw(self.ctx.fake.company)

    def loc(self) -> str:
        return self._draw(self.ctx.fake.city)

    def date(self) -> str:
        return self._draw(lambda: _date_text(self.ctx))


# =================================================================================================
# entity_extraction
# =================================================================================================

ENTITY_TEMPLATES = (
    "{person} joined {org} in {loc} on {date}.",
    "On {date}, {org} opened a new office in {loc}.",
    "{person} met {person2} in {loc} last week.",
    "{org} announced that {person} will lead its team in {loc}.",
    "According to {person}, {org} plans to expand to {loc} by {date}.",
    "{person} travelled from {loc} to {loc2} on {date}.",
    "The contract between {org} and {org2} was signed on {date}.",
    "{person} of {org} spoke at a conference in {loc}.",
    "{person} has lived in {loc} since {date}.",
    "Analysts at {org} expect lower prices after {date}.",
    "Residents of {loc} welcomed the decision.",
    "{org} hired {person} as a consultant.",
)
FILLERS = ("Nothing unusual was reported that week.", "The new model sold well.",
           "Prices stayed flat for most of the quarter.", "The meeting ended early.")
ENT_KEYS = ("person", "organization", "location", "date")
SLOT_TYPE = {"person": "person", "person2": "person", "org": "organization", "org2": "organization",
             "loc": "location", "loc2": "location", "date": "date"}


class EntityExtractionGenerator(Generator):
    name = "entity_extraction"
    task_type = "extraction"
    phrasings = 5

    TEMPLATES = (
        "Extract the named entities (person, organization, location, date) from the text as JSON.\nText: {text}",
        "Find all people, organizations, locations and dates mentioned below. Return JSON lists.\n{text}",
        "NER task. {text}\nOutput: JSON with keys person, organization, location, date.",
        "Text: \"{text}\"\nList every person, organization, location and date (JSON).",
        "Identify the entities in this passage and group them by type (person, organization, location, date).\n{text}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        pool = _Pool(ctx)
        seen: dict[str, list[str]] = {k: [] for k in ENT_KEYS}
        sentences = []
        for tpl in ctx.sample(ENTITY_TEMPLATES, ctx.level(2, 3, 4)):
            values = {}
            for slot in re.findall(r"\{(\w+)\}", tpl):
                kind = SLOT_TYPE[slot]
                # hard texts mention some entities twice (the answer lists each once)
                reuse = [v for v in seen[kind] if v not in values.values()]
                if ctx.difficulty == "hard" and reuse and ctx.rng.random() < 0.3:
                    values[slot] = ctx.choice(reuse)
                else:
                    values[slot] = {"person": pool.person, "organization": pool.org, "location": pool.loc,
                                    "date": pool.date}[kind]()
            sentence = tpl.format(**values)
            # record in order of appearance within the sentence
            for slot in sorted(values, key=lambda s: tpl.index("{" + s + "}")):
                kind, value = SLOT_TYPE[slot], values[slot]
                if value not in seen[kind]:
                    seen[kind].append(value)
            sentences.append(_cap(sentence))
        if ctx.difficulty != "easy":
            sentences.insert(ctx.randint(1, len(sentences)), ctx.choice(FILLERS))
        text = " ".join(sentences)
        fields = {k: seen[k] for k in ENT_KEYS}
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(text=text)
        return TrainingExample(prompt=prompt, response=_json(fields), metadata={"fields": fields, "phrasing": k})


# =================================================================================================
# relation_extraction
# =================================================================================================

# relation -> (head type, tail type, templates with {h} and {t})
RELATIONS = {
    "works_for": ("person", "org", ("{h} works for {t}.", "{h}, an analyst at {t}, presented the results.",
                                    "{t} employs {h} in its finance team.")),
    "ceo_of": ("person", "org", ("{h} is the chief executive of {t}.", "{t} is led by its CEO, {h}.",
                                 "As CEO of {t}, {h} approved the budget.")),
    "headquartered_in": ("org", "loc", ("{h} is headquartered in {t}.", "{h}, based in {t}, reported strong sales.",
                                        "The head office of {h} is in {t}.")),
    "founded_by": ("org", "person", ("{h} was founded by {t}.", "{t} founded {h} years ago.",
                                     "{h}, started by {t}, now has a thousand staff.")),
    "born_in": ("person", "loc", ("{h} was born in {t}.", "Born in {t}, {h} moved abroad as a teenager.")),
    "acquired": ("org", "org", ("{h} acquired {t}.", "{t} was bought by {h}.", "{h} completed its takeover of {t}.")),
}
REL_NAMES = tuple(RELATIONS)
REL_DISTRACTORS = ("{person} visited the trade fair.", "{org} published its annual report.",
                   "It rained heavily in {loc} that day.", "{person} and {person2} shared a taxi.")


class RelationExtractionGenerator(Generator):
    name = "relation_extraction"
    task_type = "extraction"
    phrasings = 4

    TEMPLATES = (
        "Extract the relations between entities. Allowed relations: {rels}.\nText: {text}\n"
        "Return JSON: {{\"relations\": [{{\"head\", \"relation\", \"tail\"}}]}}.",
        "Text: {text}\nList every (head, relation, tail) triple using only these relations: {rels}. Answer in JSON.",
        "Relation extraction. Relation types: {rels}.\n{text}",
        "Which relations ({rels}) does this passage state? Give JSON triples.\n\"{text}\"",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        pool = _Pool(ctx)
        draw = {"person": pool.person, "org": pool.org, "loc": pool.loc}
        n_rel = ctx.level(ctx.randint(1, 2), ctx.randint(2, 3), ctx.randint(3, 4))
        sentences: list[str] = []
        relations = []
        for rel in [ctx.choice(REL_NAMES) for _ in range(n_rel)]:
            htype, ttype, templates = RELATIONS[rel]
            h, t = draw[htype](), draw[ttype]()
            sentences.append(_cap(ctx.choice(templates).format(h=h, t=t)))
            relations.append({"head": h, "relation": rel, "tail": t})
        for tpl in ctx.sample(REL_DISTRACTORS, ctx.level(0, 1, 2)):  # sentences without a relation
            pos = ctx.randint(0, len(sentences))
            fill = {"person": pool.person(), "person2": pool.person(), "org": pool.org(), "loc": pool.loc()}
            sentences.insert(pos, tpl.format(**fill))
        text = " ".join(sentences)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(text=text, rels=", ".join(REL_NAMES))
        fields = {"relations": relations}
        return TrainingExample(prompt=prompt, response=_json(fields), metadata={"fields": fields, "phrasing": k})


# =================================================================================================
# event_extraction
# =================================================================================================

POSITIONS = ("chief financial officer", "head of research", "chief technology officer", "sales director",
             "general counsel", "head of marketing", "chief operating officer")
PRODUCT_BASES = ("Atlas", "Nova", "Orion", "Pulse", "Vertex", "Lumen", "Zephyr", "Helix", "Quanta", "Strata")
PRODUCT_TAILS = ("2", "3", "X", "Pro", "Max", "Mini", "One", "Air", "5G", "Plus")

# event type -> list of (template, trigger, roles in the template)
EVENTS = {
    "acquisition": (
        ("{acquirer} acquired {target} on {date}.", "acquired"),
        ("On {date}, {acquirer} bought {target}.", "bought"),
        ("{acquirer} took over its rival {target}.", "took over"),
    ),
    "appointment": (
        ("{organization} appointed {person} as {position} on {date}.", "appointed"),
        ("{person} was named {position} of {organization}.", "named"),
    ),
    "product_launch": (
        ("{organization} launched the {product} in {place} on {date}.", "launched"),
        ("On {date}, {organization} unveiled the {product}.", "unveiled"),
    ),
    "lawsuit": (
        ("{plaintiff} sued {defendant} on {date}.", "sued"),
        ("{plaintiff} filed a lawsuit against {defendant}.", "filed a lawsuit"),
    ),
    "resignation": (
        ("{person} resigned from {organization} on {date}.", "resigned"),
        ("{person} stepped down as {position} of {organization}.", "stepped down"),
    ),
    "office_opening": (
        ("{organization} opened an office in {place} on {date}.", "opened"),
    ),
}
EVENT_TYPES = tuple(EVENTS)
EVENT_FILLERS = ("Analysts had expected the move.", "The news surprised few observers.",
                 "Markets were calm during the week.", "No further details were given.")


class EventExtractionGenerator(Generator):
    name = "event_extraction"
    task_type = "extraction"
    phrasings = 4

    TEMPLATES = (
        "Extract all events as JSON with type, trigger and arguments. Event types: {types}.\nText: {text}",
        "Text: {text}\nFind the events ({types}); give each event's trigger word and arguments in JSON.",
        "Event extraction. Allowed types: {types}.\n{text}",
        "List the events in this news snippet as JSON (types: {types}).\n\"{text}\"",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        pool = _Pool(ctx)
        fillers = {
            "acquirer": pool.org, "target": pool.org, "organization": pool.org, "plaintiff": pool.org,
            "defendant": pool.org, "person": pool.person, "place": pool.loc, "date": pool.date,
            "position": lambda: ctx.choice(POSITIONS),
            "product": lambda: f"{ctx.choice(PRODUCT_BASES)} {ctx.choice(PRODUCT_TAILS)}",
        }
        n_ev = ctx.level(1, 2, 3)
        sentences, events = [], []
        for etype in [ctx.choice(EVENT_TYPES) for _ in range(n_ev)]:
            tpl, trigger = ctx.choice(EVENTS[etype])
            slots = re.findall(r"\{(\w+)\}", tpl)
            values = {s: fillers[s]() for s in slots}
            sentences.append(_cap(tpl.format(**values)))
            event = {"type": etype, "trigger": trigger}
            event.update((s, values[s]) for s in slots)
            events.append(event)
        if ctx.difficulty != "easy":
            sentences.insert(ctx.randint(1, len(sentences)), ctx.choice(EVENT_FILLERS))
        text = " ".join(sentences)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(text=text, types=", ".join(EVENT_TYPES))
        fields = {"events": events}
        return TrainingExample(prompt=prompt, response=_json(fields), metadata={"fields": fields, "phrasing": k})


# =================================================================================================
# keyword_extraction
# =================================================================================================

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself yourselves
said says while within without where whose every many much very well still even yet
""".split())
WORD_RE = re.compile(r"[a-z]+(?:-[a-z]+)*")

TOPICS = {
    "energy": ("solar", "battery", "grid", "turbine", "storage", "inverter", "capacity", "emissions", "hydrogen",
               "efficiency", "tariff", "reactor"),
    "health": ("vaccine", "clinic", "patients", "dosage", "symptoms", "therapy", "hospital", "nurses", "diagnosis",
               "immunity", "screening", "pharmacy"),
    "finance": ("inflation", "interest", "bonds", "equity", "dividend", "portfolio", "liquidity", "mortgage",
                "currency", "deficit", "pension", "credit"),
    "software": ("compiler", "database", "latency", "cache", "kernel", "container", "deployment", "encryption",
                 "framework", "server", "query", "debugging"),
    "farming": ("wheat", "irrigation", "soil", "harvest", "fertiliser", "drought", "livestock", "tractor",
                "orchard", "seeds", "pesticide", "rainfall"),
    "transport": ("railway", "freight", "tram", "congestion", "diesel", "highway", "airport", "cargo", "tunnel",
                  "cyclists", "ferry", "timetable"),
}
TOPIC_NAMES = tuple(TOPICS)
# two-slot sentence frames; their own content words are unique across frames, so only slot terms repeat
KW_FRAMES = (
    "The {0} depends on the {1}.",
    "Experts link {0} to {1}.",
    "Without {0}, the {1} fails.",
    "A report compared {0} with {1}.",
    "Officials want better {0} and cheaper {1}.",
    "Critics blame the {0} for the {1}.",
    "New {0} could change the {1}.",
    "Local groups discussed {0} and {1}.",
    "The {0} shapes how people see the {1}.",
    "Investment in {0} helps the {1}.",
    "Researchers measured {0} near the {1}.",
    "Planners ranked {0} above {1}.",
    "Few doubt that {0} affects the {1}.",
    "Our survey asked about {0} and {1}.",
    "Funding for {0} rose while {1} stalled.",
    "Teachers explained {0} using the {1}.",
)
OPENERS = ("Notes by {name}:", "Summary prepared by {name}.", "{name} writes:", "Briefing from {name}.")


def keywords_of(text: str, k: int) -> list[str]:
    """The keyword rule (see the module docstring): frequent content words, most frequent first."""
    words = WORD_RE.findall(text.lower())
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for i, w in enumerate(words):
        if len(w) >= 4 and w not in STOPWORDS:
            counts[w] = counts.get(w, 0) + 1
            first.setdefault(w, i)
    ranked = sorted((w for w in counts if counts[w] >= 2), key=lambda w: (-counts[w], first[w]))
    return ranked[:k]


class KeywordExtractionGenerator(Generator):
    name = "keyword_extraction"
    task_type = "extraction"
    phrasings = 4

    TEMPLATES = (
        "Extract up to {k} keywords (content words used at least twice, most frequent first) as JSON.\nText: {text}",
        "Text: {text}\nWhat are the top {k} keywords? Return JSON.",
        "Keyword extraction (at most {k}): {text}",
        "List up to {k} key terms of this passage, most frequent first, as a JSON list under \"keywords\".\n{text}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        vocab = TOPICS[ctx.choice(TOPIC_NAMES)]
        k = ctx.level(3, 4, 5)
        n_rep = ctx.level(3, ctx.randint(4, 5), ctx.randint(5, 6))
        terms = ctx.sample(vocab, n_rep + ctx.level(2, 3, 4))
        repeated, once = terms[:n_rep], terms[n_rep:]
        counts = [ctx.randint(2, ctx.level(3, 4, 4)) for _ in repeated]  # repeated terms: 2-4 mentions
        fills = [t for t, c in zip(repeated, counts) for _ in range(c)] + once  # other terms: one mention
        if len(fills) % 2:
            fills.append(repeated[0])
        ctx.rng.shuffle(fills)
        n_sent = len(fills) // 2
        frames = ctx.sample(KW_FRAMES, n_sent)
        sentences = []
        for i, frame in enumerate(frames):
            a, b = fills[2 * i], fills[2 * i + 1]
            if a == b:  # avoid "the grid ... the grid" in one sentence: swap with a later slot
                for j in range(2 * i + 2, len(fills)):
                    if fills[j] != a:
                        fills[2 * i + 1], fills[j] = fills[j], fills[2 * i + 1]
                        break
                b = fills[2 * i + 1]
            sentences.append(_cap(frame.format(a, b)))
        opener = ctx.choice(OPENERS).format(name=ctx.fake.name())
        opener = opener[:-1] if opener.endswith("..") else opener  # a name ending in "B.A." ends the sentence
        text = opener + " " + " ".join(sentences)
        keywords = keywords_of(text, k)
        kk = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[kk].format(text=text, k=k)
        fields = {"keywords": keywords}
        return TrainingExample(prompt=prompt, response=_json(fields),
                               metadata={"fields": fields, "k": k, "phrasing": kk})


entity_extraction = Specialist("entity_extraction", EntityExtractionGenerator)
relation_extraction = Specialist("relation_extraction", RelationExtractionGenerator)
event_extraction = Specialist("event_extraction", EventExtractionGenerator)
keyword_extraction = Specialist("keyword_extraction", KeywordExtractionGenerator)
