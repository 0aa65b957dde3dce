"""Generators for the ``translation`` category: translation, cross_lingual.

Both draw on one small, hand-checked bilingual phrase table: sentence templates in English,
Spanish, French and German whose slots are either carried over unchanged (names, numbers, cities
whose spelling is the same in all four languages, clock hours) or filled from a small lexicon of
translated words (nouns, languages, weekdays, priced items with their article). Templates avoid
constructions whose form would depend on the slot value (gender agreement, singular/plural), so
each filled template has one correct translation.

* translation: English -> es/fr/de; the reference is the filled target template.
* cross_lingual: a premise in es/fr/de (one to three facts about one person) and an English
  hypothesis; the label follows from construction: entailment restates (or weakens) a premise
  fact, contradiction negates it or changes its single-valued slot, neutral is about a fact kind
  the premise does not mention.
"""

from __future__ import annotations

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

LANGS = ("es", "fr", "de")
LANG_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German"}

# Cities spelled identically in English, Spanish, French and German.
CITIES = (
    "Toronto", "Chicago", "Boston", "Dallas", "Denver", "Seattle", "Houston", "Oslo", "Madrid", "Lima",
    "Ottawa", "Vancouver", "Atlanta", "Phoenix", "Austin", "Manchester",
)

# Lexicon: English key -> translations. Plural nouns are used only after a number >= 2.
NOUNS = {
    "books": {"es": "libros", "fr": "livres", "de": "Bücher"},
    "apples": {"es": "manzanas", "fr": "pommes", "de": "Äpfel"},
    "chairs": {"es": "sillas", "fr": "chaises", "de": "Stühle"},
    "letters": {"es": "cartas", "fr": "lettres", "de": "Briefe"},
    "flowers": {"es": "flores", "fr": "fleurs", "de": "Blumen"},
    "eggs": {"es": "huevos", "fr": "œufs", "de": "Eier"},
    "shirts": {"es": "camisas", "fr": "chemises", "de": "Hemden"},
    "keys": {"es": "llaves", "fr": "clés", "de": "Schlüssel"},
    "bottles of water": {"es": "botellas de agua", "fr": "bouteilles d'eau", "de": "Flaschen Wasser"},
    "cups of coffee": {"es": "tazas de café", "fr": "tasses de café", "de": "Tassen Kaffee"},
    "tables": {"es": "mesas", "fr": "tables", "de": "Tische"},
    "bicycles": {"es": "bicicletas", "fr": "vélos", "de": "Fahrräder"},
}
LANGUAGES = {
    "English": {"es": "inglés", "fr": "anglais", "de": "Englisch"},
    "Spanish": {"es": "español", "fr": "espagnol", "de": "Spanisch"},
    "French": {"es": "francés", "fr": "français", "de": "Französisch"},
    "German": {"es": "alemán", "fr": "allemand", "de": "Deutsch"},
    "Italian": {"es": "italiano", "fr": "italien", "de": "Italienisch"},
    "Portuguese": {"es": "portugués", "fr": "portugais", "de": "Portugiesisch"},
    "Japanese": {"es": "japonés", "fr": "japonais", "de": "Japanisch"},
}
DAYS = {
    "Monday": {"es": "el lunes", "fr": "lundi", "de": "am Montag"},
    "Tuesday": {"es": "el martes", "fr": "mardi", "de": "am Dienstag"},
    "Wednesday": {"es": "el miércoles", "fr": "mercredi", "de": "am Mittwoch"},
    "Thursday": {"es": "el jueves", "fr": "jeudi", "de": "am Donnerstag"},
    "Friday": {"es": "el viernes", "fr": "vendredi", "de": "am Freitag"},
    "Saturday": {"es": "el sábado", "fr": "samedi", "de": "am Samstag"},
    "Sunday": {"es": "el domingo", "fr": "dimanche", "de": "am Sonntag"},
}
# Singular items with their article, used only as sentence subjects (German nominative).
ITEMS = {
    "book": {"es": "El libro", "fr": "Le livre", "de": "Das Buch"},
    "chair": {"es": "La silla", "fr": "La chaise", "de": "Der Stuhl"},
    "shirt": {"es": "La camisa", "fr": "La chemise", "de": "Das Hemd"},
    "table": {"es": "La mesa", "fr": "La table", "de": "Der Tisch"},
    "bicycle": {"es": "La bicicleta", "fr": "Le vélo", "de": "Das Fahrrad"},
    "lamp": {"es": "La lámpara", "fr": "La lampe", "de": "Die Lampe"},
    "coat": {"es": "El abrigo", "fr": "Le manteau", "de": "Der Mantel"},
}
LEXICON = {"noun": NOUNS, "lang": LANGUAGES, "day": DAYS, "item": ITEMS}

# Sentence templates. Slots: name, name2, n (int), h (hour 2-11), city, noun, lang, day, item.
PHRASES = {
    "buy": {"en": "{name} bought {n} {noun}.", "es": "{name} compró {n} {noun}.",
            "fr": "{name} a acheté {n} {noun}.", "de": "{name} hat {n} {noun} gekauft."},
    "have": {"en": "{name} has {n} {noun}.", "es": "{name} tiene {n} {noun}.",
             "fr": "{name} a {n} {noun}.", "de": "{name} hat {n} {noun}."},
    "need": {"en": "{name} needs {n} {noun}.", "es": "{name} necesita {n} {noun}.",
             "fr": "{name} a besoin de {n} {noun}.", "de": "{name} braucht {n} {noun}."},
    "we_have": {"en": "We have {n} {noun}.", "es": "Tenemos {n} {noun}.",
                "fr": "Nous avons {n} {noun}.", "de": "Wir haben {n} {noun}."},
    "please": {"en": "I need {n} {noun}, please.", "es": "Necesito {n} {noun}, por favor.",
               "fr": "J'ai besoin de {n} {noun}, s'il vous plaît.", "de": "Ich brauche bitte {n} {noun}."},
    "live": {"en": "{name} lives in {city}.", "es": "{name} vive en {city}.",
             "fr": "{name} habite à {city}.", "de": "{name} wohnt in {city}."},
    "work": {"en": "{name} works in {city}.", "es": "{name} trabaja en {city}.",
             "fr": "{name} travaille à {city}.", "de": "{name} arbeitet in {city}."},
    "wait": {"en": "{name} is waiting in {city}.", "es": "{name} está esperando en {city}.",
             "fr": "{name} attend à {city}.", "de": "{name} wartet in {city}."},
    "age": {"en": "{name} is {n} years old.", "es": "{name} tiene {n} años.",
            "fr": "{name} a {n} ans.", "de": "{name} ist {n} Jahre alt."},
    "speak": {"en": "{name} speaks {lang}.", "es": "{name} habla {lang}.",
              "fr": "{name} parle {lang}.", "de": "{name} spricht {lang}."},
    "call": {"en": "{name} called {name2} yesterday.", "es": "{name} llamó a {name2} ayer.",
             "fr": "{name} a appelé {name2} hier.", "de": "{name} hat {name2} gestern angerufen."},
    "arrive": {"en": "{name} will arrive in {city} on {day}.", "es": "{name} llegará a {city} {day}.",
               "fr": "{name} arrivera à {city} {day}.", "de": "{name} wird {day} in {city} ankommen."},
    "meeting": {"en": "The meeting is at {h} o'clock.", "es": "La reunión es a las {h}.",
                "fr": "La réunion est à {h} heures.", "de": "Die Besprechung ist um {h} Uhr."},
    "store": {"en": "The store opens at {h} o'clock.", "es": "La tienda abre a las {h}.",
              "fr": "Le magasin ouvre à {h} heures.", "de": "Der Laden öffnet um {h} Uhr."},
    "train": {"en": "The train to {city} leaves at {h} o'clock.", "es": "El tren a {city} sale a las {h}.",
              "fr": "Le train pour {city} part à {h} heures.", "de": "Der Zug nach {city} fährt um {h} Uhr ab."},
    "price": {"en": "The {item} costs {n} euros.", "es": "{item} cuesta {n} euros.",
              "fr": "{item} coûte {n} euros.", "de": "{item} kostet {n} Euro."},
    "rain": {"en": "It is raining in {city}.", "es": "Está lloviendo en {city}.",
             "fr": "Il pleut à {city}.", "de": "Es regnet in {city}."},
    "today": {"en": "{name} is in {city} today.", "es": "{name} está en {city} hoy.",
              "fr": "{name} est à {city} aujourd'hui.", "de": "{name} ist heute in {city}."},
}
SLOTS = {
    "buy": ("name", "n", "noun"), "have": ("name", "n", "noun"), "need": ("name", "n", "noun"),
    "we_have": ("n", "noun"), "please": ("n", "noun"), "live": ("name", "city"), "work": ("name", "city"),
    "wait": ("name", "city"), "age": ("name", "n"), "speak": ("name", "lang"), "call": ("name", "name2"),
    "arrive": ("name", "city", "day"), "meeting": ("h",), "store": ("h",), "train": ("city", "h"),
    "price": ("item", "n"), "rain": ("city",), "today": ("name", "city"),
}


def render(key: str, values: dict[str, object], lang: str) -> str:
    """Fill phrase ``key`` in ``lang``; lexicon slots hold English keys and are translated."""
    filled = {}
    for slot, value in values.items():
        if slot in LEXICON:
            filled[slot] = value if lang == "en" else LEXICON[slot][value][lang]
        else:
            filled[slot] = value
    return PHRASES[key][lang].format(**filled)


def _name(ctx: GenContext, avoid: tuple[str, ...] = ()) -> str:
    for _ in range(10):
        name = ctx.fake.first_name()
        if name not in avoid and name.replace("-", "").isalpha():
            return name
    return ctx.choice([n for n in ("Alex", "Sam", "Robin", "Kim", "Noa") if n not in avoid])


def draw_values(ctx: GenContext, key: str, name: str | None = None) -> dict[str, object]:
    values: dict[str, object] = {}
    for slot in SLOTS[key]:
        if slot == "name":
            values[slot] = name or _name(ctx)
        elif slot == "name2":
            values[slot] = _name(ctx, avoid=(str(values.get("name")),))
        elif slot == "n":
            values[slot] = ctx.randint(18, 90) if key == "age" else ctx.randint(2, ctx.choice((12, 30, 250)))
        elif slot == "h":
            values[slot] = ctx.randint(2, 11)
        elif slot == "city":
            values[slot] = ctx.choice(CITIES)
        else:
            values[slot] = ctx.choice(list(LEXICON[slot]))
    return values


class TranslationGenerator(Generator):
    name = "translation"
    task_type = "generation"
    phrasings = 5

    TEMPLATES = (
        "Translate from English to {L}:\n{src}",
        "English: {src}\n{L}:",
        "Translate this into {L}.\n\"{src}\"",
        "Please render the following in {L}: {src}",
        "{L} translation needed. Source (en): {src}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        target = ctx.choice(LANGS)
        n = ctx.level(1, 2, 3)
        keys = ctx.sample(list(PHRASES), n)
        name = _name(ctx)
        src, tgt = [], []
        for key in keys:
            values = draw_values(ctx, key, name=name if ctx.rng.random() < 0.6 else None)
            src.append(render(key, values, "en"))
            tgt.append(render(key, values, target))
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(L=LANG_NAMES[target], src=" ".join(src))
        reference = " ".join(tgt)
        return TrainingExample(
            prompt=prompt,
            response=reference,
            metadata={"reference": reference, "source_lang": "en", "target_lang": target,
                      "phrases": keys, "phrasing": k},
        )


# -- cross_lingual ---------------------------------------------------------------------------------

# Fact kinds about one person. For each: English hypotheses that the fact entails ("entail"),
# that contradict it by negation ("negate"), and whether a changed value contradicts it
# ("change": the slot is single-valued, e.g. age, home city, the day of one arrival).
FACT_KINDS = ("buy", "live", "work", "age", "speak", "call", "arrive")
ENTAIL = {
    "buy": ("{name} bought {n} {noun}.", "{name} purchased {n} {noun}.", "{name} bought some {noun}."),
    "live": ("{name} lives in {city}.", "{name} is a resident of {city}."),
    "work": ("{name} works in {city}.", "{name} has a job in {city}."),
    "age": ("{name} is {n} years old.", "{name} is older than {lower}."),
    "speak": ("{name} speaks {lang}.", "{name} can speak {lang}."),
    "call": ("{name} called {name2} yesterday.", "{name} phoned {name2} yesterday.", "{name2} got a call from {name} yesterday."),
    "arrive": ("{name} will arrive in {city} on {day}.", "{name} is expected in {city} on {day}."),
}
NEGATE = {
    "buy": ("{name} did not buy any {noun}.",),
    "live": ("{name} does not live in {city}.",),
    "work": ("{name} does not work in {city}.", "{name} has never worked in {city}."),
    "age": ("{name} is younger than {lower}.",),
    "speak": ("{name} does not speak {lang}.", "{name} cannot speak {lang}."),
    "call": ("{name} did not call {name2} yesterday.",),
    "arrive": ("{name} will not come to {city}.",),
}
CHANGE = {
    "buy": ("n", "{name} bought {n} {noun}."),
    "live": ("city", "{name} lives in {city}."),
    "age": ("n", "{name} is {n} years old."),
    "arrive": ("day", "{name} will arrive in {city} on {day}."),
}


# The worked answer: the hypothesis's topic and value, then each premise fact in its order, in English,
# set beside the hypothesis. Only a fact of the hypothesis's kind decides; with none, it is neutral.
TOPIC = {"buy": "bought", "live": "lives in", "work": "works in", "age": "age", "speak": "speaks",
         "call": "called", "arrive": "arrives in"}
KEY = {"buy": "n", "live": "city", "work": "city", "age": "n", "speak": "lang", "call": "name2", "arrive": "day"}


def fact_value(kind: str, values: dict[str, object]) -> str:
    """A fact's key slot as the worked answer writes it (an arrival is its city and day)."""
    return f"{values['city']} on {values['day']}" if kind == "arrive" else str(values[KEY[kind]])


def hypothesis_value(kind: str, template: str, values: dict[str, object]) -> str:
    """What the hypothesis says about its kind's key slot: a value, 'some', or a comparison."""
    if "{lower}" in template:
        return f"{'older' if 'older' in template else 'younger'} than {_english('{lower}', values)}"
    if kind == "buy" and "{n}" not in template:
        return "some" if "some" in template else "none"
    if kind == "arrive" and "{day}" not in template:
        return str(values["city"])
    return fact_value(kind, values)


def worked_nli(kind: str, form: str, said: str, facts: list[tuple[str, dict[str, object]]]) -> str:
    negated = form == "negated" and not said.startswith(("younger", "none"))
    lines = [f"Hypothesis: {'not ' if negated else ''}{TOPIC[kind]} {said}."]
    for k, values in facts:
        if k != kind:
            lines.append(f"- {TOPIC[k]}: another topic")
            continue
        stated = fact_value(k, values)
        if negated or said == "none":
            rel = "the hypothesis denies it"
        elif said == "some":
            rel = "fits"
        elif said.startswith(("older", "younger")):
            bound = int(said.rsplit(" ", 1)[1])
            rel = "fits" if (int(stated) > bound) == said.startswith("older") else "does not fit"
        else:
            rel = "same" if said == stated else "different"
        lines.append(f"- {TOPIC[k]} {stated}, hypothesis {said}: {rel}")
    return "\n".join(lines)


def _english(template: str, values: dict[str, object]) -> str:
    filled = dict(values)
    if "n" in values and isinstance(values["n"], int):
        filled["lower"] = values["n"] - values.get("_gap", 5)  # type: ignore[operator]
    return template.format(**filled)


class CrossLingualGenerator(Generator):
    name = "cross_lingual"
    task_type = "classification"
    labels = ("entailment", "neutral", "contradiction")
    phrasings = 4

    TEMPLATES = (
        "Premise ({L}): {p}\nHypothesis (English): {h}\nIs the relation entailment, neutral or contradiction?",
        "Read the {L} premise and decide whether the English hypothesis follows from it, contradicts it, or is neutral.\nPremise: {p}\nHypothesis: {h}",
        "{L}: {p}\nEnglish claim: {h}\nNLI label (entailment / neutral / contradiction)?",
        "Cross-lingual inference.\nP [{lang}]: {p}\nH [en]: {h}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        lang = ctx.choice(LANGS)
        name = _name(ctx)
        n_facts = ctx.level(1, 2, 3)
        kinds = ctx.sample(FACT_KINDS, n_facts)
        facts = []
        for kind in kinds:
            values = draw_values(ctx, kind, name=name)
            if kind == "buy":
                values["n"] = ctx.randint(2, 20)
            facts.append((kind, values))
        premise = " ".join(render(kind, values, lang) for kind, values in facts)

        label = ctx.label
        if label == "neutral":
            kind = ctx.choice([k for k in FACT_KINDS if k not in kinds])
            values = draw_values(ctx, kind, name=name)
            values["_gap"] = ctx.randint(1, 9)
            template = ctx.choice(ENTAIL[kind])
            hyp, form = _english(template, values), "unmentioned"
        else:
            kind, values = ctx.choice(facts)
            values = dict(values)
            values["_gap"] = ctx.randint(1, 9)
            if label == "entailment":
                template = ctx.choice(ENTAIL[kind])
                hyp, form = _english(template, values), "restate"
            elif kind in CHANGE and ctx.rng.random() < 0.5:
                slot, template = CHANGE[kind]
                old = values[slot]
                while values[slot] == old:
                    values[slot] = draw_values(ctx, kind, name=name)[slot]
                hyp, form = _english(template, values), "changed"
            else:
                template = ctx.choice(NEGATE[kind])
                hyp, form = _english(template, values), "negated"
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(L=LANG_NAMES[lang], lang=lang, p=premise, h=hyp)
        return TrainingExample(
            prompt=prompt,
            response=worked_nli(kind, form, hypothesis_value(kind, template, values), facts) + f"\nLabel: {label}",
            metadata={"label": label, "premise_lang": lang, "premise_kinds": kinds,
                      "hypothesis_kind": kind, "hypothesis_form": form, "phrasing": k},
        )


translation = Specialist("translation", TranslationGenerator)
cross_lingual = Specialist("cross_lingual", CrossLingualGenerator)
