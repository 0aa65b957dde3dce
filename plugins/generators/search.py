"""Generators for the ``search`` category: query_understanding, passage_ranking.

* query_understanding: a shopping query assembled from typed parts (product, brand, colour, size,
  price ceiling, location) in varied orders and wordings; the gold fields are exactly the parts put
  into the query, written as they appear in it.
* passage_ranking: a question about one entity (a company's founding year, a shop's opening hour,
  a town's population...) and a passage built from sentences with known roles: "answer" sentences
  answer it, "topic" sentences mention the entity without answering, "offtopic" sentences are about
  another entity. relevant = contains an answer sentence; partially_relevant = mentions the entity
  but never answers; not_relevant = only off-topic sentences. The answer names the kind of entity
  the query asks about (company, shop, town, product, mountain) and what it asks, then the kind of
  entity the passage is about, and whether it is the same one and gives the answer, before the label.
"""

from __future__ import annotations

import json

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

# -- query_understanding --------------------------------------------------------------------------

PRODUCTS = ("running shoes", "backpack", "rain jacket", "desk lamp", "coffee table", "yoga mat", "winter boots",
            "wool sweater", "laptop bag", "water bottle", "sunglasses", "office chair", "sofa", "bike helmet",
            "headphones", "tent", "dress", "jeans", "smartwatch", "kettle")
BRANDS = ("Nimbus", "Acorn", "Vertex", "Solace", "Northpeak", "Kestrel", "Lumen", "Orbit", "Brightwood", "Tallis",
          "Corvo", "Halden")
COLORS = ("red", "blue", "black", "white", "green", "grey", "navy", "pink", "brown", "beige", "yellow", "purple",
          "orange", "teal")
SIZES = ("S", "M", "L", "XL", "XXL", "8", "9", "10", "11", "38", "40", "42", "44")
FIELD_ORDER = ("product", "brand", "color", "size", "max_price", "location")
PRICE_FORMS = ("under ${p}", "below {p} dollars", "for less than ${p}", "max ${p}", "up to ${p}", "${p} or less",
               "budget ${p}")
LOCATION_FORMS = ("near {v}", "in {v}", "delivered to {v}", "around {v}", "available in {v}")
PREFIXES = ("", "", "buy ", "looking for ", "find ", "shop ", "where to buy ", "i want ")
NOISE = ("best", "cheap", "new", "top rated", "sale")


class QueryUnderstandingGenerator(Generator):
    name = "query_understanding"
    task_type = "extraction"
    phrasings = 4

    TEMPLATES = (
        "Parse this search query into JSON with the fields it mentions (product, brand, color, size, max_price, location).\nQuery: {q}",
        "Query: \"{q}\"\nExtract the structured filters as JSON; leave out fields that are not mentioned.",
        "Search query understanding.\nInput: {q}\nOutput JSON (keys among product, brand, color, size, max_price, location):",
        "Turn the user's search into filters.\n{q}\nJSON:",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        n_extra = ctx.level(1, 2, ctx.randint(3, 5))
        extras = ctx.sample(FIELD_ORDER[1:], n_extra)
        values: dict[str, object] = {"product": ctx.choice(PRODUCTS)}
        if "brand" in extras:
            values["brand"] = ctx.choice(BRANDS)
        if "color" in extras:
            values["color"] = ctx.choice(COLORS)
        if "size" in extras:
            values["size"] = ctx.choice(SIZES)
        if "max_price" in extras:
            values["max_price"] = ctx.randint(2, 60) * ctx.choice((5, 10, 25))
        if "location" in extras:
            values["location"] = ctx.fake.city()

        # the head: colour / brand around the product
        head = str(values["product"])
        color, brand = values.get("color"), values.get("brand")
        style = ctx.randint(0, 2)
        if color and style == 2:
            head = f"{head} in {color}"
        elif color:
            head = f"{color} {head}"
        if brand and ctx.rng.random() < 0.3:
            head = f"{head} by {brand}"
        elif brand:
            head = f"{brand} {head}"
        mods = []
        if "size" in values:
            mods.append(f"size {values['size']}")
        if "max_price" in values:
            mods.append(ctx.choice(PRICE_FORMS).format(p=values["max_price"]))
        if "location" in values:
            mods.append(ctx.choice(LOCATION_FORMS).format(v=values["location"]))
        ctx.rng.shuffle(mods)
        prefix = ctx.choice(PREFIXES)
        if ctx.difficulty == "hard" and ctx.rng.random() < 0.6:
            prefix += ctx.choice(NOISE) + " "
        query = (prefix + " ".join([head] + mods)).strip()
        lower = ctx.rng.random() < 0.5
        if lower:  # real queries are often typed in lower case; fields are written as they appear
            query = query.lower()
            values = {k: (v.lower() if isinstance(v, str) else v) for k, v in values.items()}
        fields = {k: values[k] for k in FIELD_ORDER if k in values}
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        return TrainingExample(
            prompt=self.TEMPLATES[k].format(q=query),
            response=json.dumps(fields, ensure_ascii=False),
            metadata={"fields": fields, "query": query, "phrasing": k},
        )


# -- passage_ranking ------------------------------------------------------------------------------

SHOPS = ("Bakery", "Pharmacy", "Bookshop", "Hardware", "Florist", "Deli")
GADGET_ADJ = ("Compact", "Deluxe", "Classic", "Ultra", "Smart", "Eco", "Nordic", "Urban", "Aero", "Zen")
GADGET_NOUN = ("Kettle", "Lamp", "Backpack", "Blender", "Speaker", "Router", "Toaster", "Heater", "Drone", "Scooter")
LANDMARKS = ("its old market square", "a long river promenade", "a busy harbour", "a medieval castle",
             "its botanical garden", "a famous clock tower")
FESTIVALS = ("music", "film", "food", "jazz", "book", "lantern")
GOODS = ("kitchen appliances", "garden tools", "bicycles", "office furniture", "outdoor clothing", "toys")


def _entity(ctx: GenContext, kind: str) -> str:
    if kind in ("founded", "ceo"):
        return ctx.fake.company()
    if kind == "hours":
        return f"{ctx.fake.last_name()}'s {ctx.choice(SHOPS)}"
    if kind == "population":
        return ctx.fake.city()
    if kind == "price":
        return f"{ctx.choice(GADGET_ADJ)} {ctx.choice(GADGET_NOUN)} {ctx.randint(2, 9)}"
    return f"Mount {ctx.fake.last_name()}"


# kind -> (queries, answer sentences, topic-only sentences). {E} = entity.
RANK_KINDS = {
    "founded": (
        ("When was {E} founded?", "{E} founding year", "what year did {E} start"),
        ("{E} was founded in {year} in {city}.", "Founded in {year}, {E} began as a small workshop."),
        ("{E} employs about {n} people.", "{E} sells {goods} in {k} countries.",
         "The headquarters of {E} are in {city}.", "{E} opened a new office last spring."),
    ),
    "ceo": (
        ("Who is the CEO of {E}?", "{E} chief executive", "who runs {E}"),
        ("{name} has been the chief executive of {E} since {year}.", "{E} is led by CEO {name}."),
        ("{E} reported higher sales this quarter.", "{E} sells {goods} in {k} countries.",
         "{E} moved into a larger building in {city}.", "{E} employs about {n} people."),
    ),
    "hours": (
        ("What time does {E} open?", "{E} opening hours", "when does {E} open on weekdays"),
        ("{E} opens at {h} am on weekdays and closes at {h2} pm.", "On weekdays {E} opens its doors at {h} am."),
        ("{E} is located on {street}.", "{E} is known for its friendly staff.", "{E} was renovated in {year}.",
         "{E} accepts card payments."),
    ),
    "population": (
        ("What is the population of {E}?", "how many people live in {E}", "{E} population"),
        ("{E} has a population of about {n} people.", "Around {n} residents live in {E}."),
        ("{E} is known for {landmark}.", "{E} hosts an annual {festival} festival.", "The mayor of {E} is {name}.",
         "{E} has {k} public parks."),
    ),
    "price": (
        ("How much does the {E} cost?", "{E} price", "price of the {E}"),
        ("The {E} costs ${p}.", "The {E} is priced at ${p} in most stores."),
        ("The {E} comes in {k} colours.", "The {E} weighs {n} grams.", "Reviewers praise the {E} for its design.",
         "The {E} ships with a one-year warranty."),
    ),
    "height": (
        ("How tall is {E}?", "{E} height", "elevation of {E}"),
        ("{E} rises to {n} meters above sea level.", "At {n} meters, {E} is the highest peak in the range."),
        ("{E} is popular with hikers in summer.", "The trail up {E} starts near {city}.",
         "Snow covers {E} for much of the winter.", "{E} was first climbed in {year}."),
    ),
}


# kind -> what the entity is, and what the query asks about it (the worked answer names both)
ENTITY_TYPES = {"founded": "company", "ceo": "company", "hours": "shop", "population": "town", "price": "product",
                "height": "mountain"}
ASKS = {"founded": "founding year", "ceo": "chief executive", "hours": "opening hours", "population": "population",
        "price": "price", "height": "height"}


def _fill(ctx: GenContext, template: str, entity: str) -> str:
    return template.format(
        E=entity, year=ctx.randint(1890, 2020), city=ctx.fake.city(), n=f"{ctx.randint(120, 9800):,}",
        k=ctx.randint(3, 40), goods=ctx.choice(GOODS), name=f"{ctx.fake.first_name()} {ctx.fake.last_name()}",
        h=ctx.randint(6, 10), h2=ctx.randint(5, 9), street=ctx.fake.street_name(), landmark=ctx.choice(LANDMARKS),
        festival=ctx.choice(FESTIVALS), p=ctx.randint(19, 899),
    )


def relevance_walk(kind: str, passage_kind: str, label: str) -> str:
    """The worked part of a relevance answer: what the query asks about which kind of entity, then
    what kind of entity the passage is about and, if it is the query's kind, whether it is the same
    one and gives the answer. The kinds come from a closed list, so the adapter compares two words it
    has seen together many times rather than two names (which it cannot tell apart reliably)."""
    query_type, passage_type = ENTITY_TYPES[kind], ENTITY_TYPES[passage_kind]
    about = f"a {passage_type}"
    if label != "not_relevant":
        about += f", the same one, {'gives' if label == 'relevant' else 'does not give'} its {ASKS[kind]}"
    elif passage_type == query_type:
        about += ", another one"
    return f"Query: a {query_type}'s {ASKS[kind]}\nPassage: {about}"


class PassageRankingGenerator(Generator):
    name = "passage_ranking"
    task_type = "classification"
    labels = ("relevant", "partially_relevant", "not_relevant")
    phrasings = 4

    TEMPLATES = (
        "Query: {q}\nPassage: {p}\nHow relevant is the passage? (relevant / partially_relevant / not_relevant)",
        "Rate the passage for the search query.\nSearch: {q}\nText: {p}",
        "Passage: {p}\nDoes this passage answer \"{q}\"? Label it relevant, partially_relevant or not_relevant.",
        "Relevance judgement\nQ: {q}\nDoc: {p}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        kind = ctx.choice(sorted(RANK_KINDS))
        entity = _entity(ctx, kind)
        queries, answers, topics = RANK_KINDS[kind]
        query = ctx.choice(queries).format(E=entity)
        n = ctx.level(ctx.randint(1, 2), ctx.randint(2, 3), ctx.randint(3, 4))
        label = ctx.label
        parts: list[tuple[str, str]] = []
        passage_kind = kind  # the kind of entity the passage is about
        if label in ("relevant", "partially_relevant"):
            n_topic = n - 1 if label == "relevant" else n
            for t in ctx.sample(topics, min(n_topic, len(topics))):
                parts.append(("topic", _fill(ctx, t, entity)))
            if label == "relevant":
                parts.append(("answer", _fill(ctx, ctx.choice(answers), entity)))
            ctx.rng.shuffle(parts)
        else:
            # another entity; on hard, sometimes the same kind of fact about a different entity
            passage_kind = kind if (ctx.difficulty == "hard" and ctx.rng.random() < 0.5) else \
                ctx.choice([k for k in sorted(RANK_KINDS) if k != kind])
            other = _entity(ctx, passage_kind)
            while entity.lower() in other.lower() or other.lower() in entity.lower():
                other = _entity(ctx, passage_kind)
            _, o_answers, o_topics = RANK_KINDS[passage_kind]
            pool = list(o_answers[:1]) + list(o_topics)
            for t in ctx.sample(pool, min(n, len(pool))):
                parts.append(("offtopic", _fill(ctx, t, other)))
            ctx.rng.shuffle(parts)
            for role, text in parts:  # an off-topic passage must not name the query entity by accident
                if entity.lower() in text.lower():
                    return self.example(ctx)
        passage = " ".join(text for _, text in parts)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        return TrainingExample(
            prompt=self.TEMPLATES[k].format(q=query, p=passage),
            response=relevance_walk(kind, passage_kind, label) + f"\nRelevance: {label}",
            metadata={"label": label, "kind": kind, "passage_kind": passage_kind, "entity": entity,
                      "roles": [r for r, _ in parts], "phrasing": k},
        )


query_understanding = Specialist("query_understanding", QueryUnderstandingGenerator)
passage_ranking = Specialist("passage_ranking", PassageRankingGenerator)
