"""The general synthetic corpus the embedded base model is pretrained on.

Two streams, both deterministic for a seed:

* :func:`documents` — plain text of many kinds made with Faker: prose paragraphs, biographies,
  addresses and contact cards, dated notes, key-value records, JSON objects, CSV tables, markdown
  tables, lists, simple Python functions, arithmetic facts, and short dialogues. This teaches the
  tokenizer's vocabulary, spelling, numbers and common formats.
* :func:`lessons` — chat-formatted generic instructions (prompt, response) that teach the chat
  template, stopping with ``<|end|>``, copying spans, and reformatting: repeat, upper/lower-case,
  reverse a list, sort numbers, count words, pick the n-th item, extract an e-mail or a number,
  fill a JSON object, answer a look-up in a given record, add two numbers.

The specialists' own task templates are deliberately absent: a specialist's improvement over the
base comes from its LoRA fine-tuning, not from pretraining on its test distribution.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator

WORDS_FALLBACK = ("alpha", "beta", "gamma", "delta")


# Faker draws ``date()`` between 1970 and *now*, so a corpus built on another day had other dates
# (and so another base). Corpora draw them up to this fixed day instead.
DATES_UNTIL = dt.datetime(2026, 1, 1)


def _faker(seed: int, locale: str = "en_US"):  # noqa: ANN202
    from faker import Faker
    from faker.providers.date_time import Provider as DateTimeProvider

    class PinnedDates(DateTimeProvider):
        def date(self, pattern: str = "%Y-%m-%d", end_datetime=None) -> str:  # noqa: ANN001
            return super().date(pattern, end_datetime if end_datetime is not None else DATES_UNTIL)

    fake = Faker(locale)
    fake.add_provider(PinnedDates)
    fake.seed_instance(seed)
    return fake


# -- documents ------------------------------------------------------------------------------------


def _prose(r: random.Random, f) -> str:  # noqa: ANN001
    return f.paragraph(nb_sentences=r.randint(2, 6))


def _bio(r: random.Random, f) -> str:  # noqa: ANN001
    name, job, company, city = f.name(), f.job(), f.company(), f.city()
    year = r.randint(1950, 2004)
    return (f"{name} was born in {year} in {city}. {name.split()[0]} works as a {job.lower()} at {company}. "
            f"{f.sentence()}")


def _contact(r: random.Random, f) -> str:  # noqa: ANN001
    return f"{f.name()}\n{f.address()}\nPhone: {f.phone_number()}\nEmail: {f.email()}"


def _note(r: random.Random, f) -> str:  # noqa: ANN001
    return f"{f.date()} - {f.sentence()} {f.sentence()}"


def _record(r: random.Random, f) -> str:  # noqa: ANN001
    rows = {"name": f.name(), "city": f.city(), "age": r.randint(18, 90), "email": f.email(), "job": f.job()}
    keys = r.sample(list(rows), r.randint(3, 5))
    return "\n".join(f"{k}: {rows[k]}" for k in keys)


def _json_doc(r: random.Random, f) -> str:  # noqa: ANN001
    obj = {"id": r.randint(1, 99999), "name": f.name(), "active": r.random() < 0.5,
           "tags": f.words(r.randint(1, 4)), "score": round(r.uniform(0, 100), 2)}
    return json.dumps(obj, indent=r.choice([None, 2]))


def _csv(r: random.Random, f) -> str:  # noqa: ANN001
    lines = ["name,city,amount"] + [f"{f.first_name()},{f.city()},{r.randint(1, 999)}" for _ in range(r.randint(2, 6))]
    return "\n".join(lines)


def _md_table(r: random.Random, f) -> str:  # noqa: ANN001
    rows = [f"| {f.word()} | {r.randint(0, 500)} | {f.color_name()} |" for _ in range(r.randint(2, 5))]
    return "| item | count | color |\n|---|---|---|\n" + "\n".join(rows)


def _bullets(r: random.Random, f) -> str:  # noqa: ANN001
    marker = r.choice(["-", "*", "1."])
    return f"{f.sentence()}\n" + "\n".join(f"{marker} {f.sentence(nb_words=r.randint(3, 8))}" for _ in range(r.randint(2, 5)))


def _code(r: random.Random, f) -> str:  # noqa: ANN001
    fn, a, b = f.word(), f.word(), f.word()
    if a == b:
        b = b + "2"
    op = r.choice(["+", "-", "*"])
    return f"def {fn}_{r.randint(1, 99)}({a}, {b}):\n    result = {a} {op} {b}\n    return result\n"


def _arith(r: random.Random, f) -> str:  # noqa: ANN001
    a, b = r.randint(0, 999), r.randint(0, 999)
    op, val = r.choice([("+", a + b), ("-", a - b), ("*", a * b)])
    return f"{a} {op} {b} = {val}"


def _dialogue(r: random.Random, f) -> str:  # noqa: ANN001
    a, b = f.first_name(), f.first_name()
    return "\n".join(f"{who}: {f.sentence()}" for who in [a, b, a, b][: r.randint(2, 4)])


DOCUMENT_KINDS: dict[str, Callable] = {
    "prose": _prose, "bio": _bio, "contact": _contact, "note": _note, "record": _record, "json": _json_doc,
    "csv": _csv, "md_table": _md_table, "bullets": _bullets, "code": _code, "arith": _arith, "dialogue": _dialogue,
}


def documents(seed: int = 0, locale: str = "en_US", kinds: list[Callable] | None = None) -> Iterator[str]:
    """An endless, deterministic stream of short documents, each of a kind drawn from ``kinds``."""
    r, f = random.Random(f"docs:{seed}"), _faker(seed, locale)
    kinds = kinds or list(DOCUMENT_KINDS.values())
    while True:
        yield kinds[r.randrange(len(kinds))](r, f)


# -- lessons --------------------------------------------------------------------------------------


def _l_repeat(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    s = f.sentence()
    return r.choice(["Repeat exactly: ", "Copy this text: ", "Say back: "]) + s, s


def _l_case(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    s = f.sentence(nb_words=r.randint(3, 7))
    if r.random() < 0.5:
        return f"Write in upper case: {s}", s.upper()
    return f"Write in lower case: {s}", s.lower()


def _l_reverse(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    items = f.words(r.randint(3, 6))
    return "Reverse the list: " + ", ".join(items), ", ".join(reversed(items))


def _l_sort(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    nums = [r.randint(0, 500) for _ in range(r.randint(3, 7))]
    return "Sort ascending: " + " ".join(map(str, nums)), " ".join(map(str, sorted(nums)))


def _l_count(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    s = f.sentence(nb_words=r.randint(3, 10)).rstrip(".")
    return f"How many words are in: {s}", str(len(s.split()))


def _l_nth(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    items = f.words(r.randint(3, 6))
    k = r.randint(1, len(items))
    return f"Item number {k} of: " + ", ".join(items), items[k - 1]


def _l_email(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    e = f.email()
    return f"Find the e-mail address. {f.sentence()} Contact {f.first_name()} at {e}. {f.sentence()}", e


def _l_json(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    name, city, age = f.first_name(), f.city(), r.randint(18, 90)
    return (f"Make a JSON object with name {name}, city {city} and age {age}.",
            json.dumps({"name": name, "city": city, "age": age}))


def _l_lookup(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    rec = {"name": f.name(), "city": f.city(), "job": f.job()}
    key = r.choice(list(rec))
    body = "; ".join(f"{k}={v}" for k, v in rec.items())
    return f"Record: {body}. What is the {key}?", rec[key]


def _l_add(r: random.Random, f) -> tuple[str, str]:  # noqa: ANN001
    a, b = r.randint(0, 999), r.randint(0, 999)
    return f"What is {a} plus {b}?", str(a + b)


LESSON_KINDS: dict[str, Callable] = {
    "repeat": _l_repeat, "case": _l_case, "reverse": _l_reverse, "sort": _l_sort, "count": _l_count,
    "nth": _l_nth, "email": _l_email, "json": _l_json, "lookup": _l_lookup, "add": _l_add,
}


def lessons(seed: int = 0, locale: str = "en_US", kinds: list[Callable] | None = None) -> Iterator[tuple[str, str]]:
    """An endless, deterministic stream of (prompt, response) chat lessons of the given kinds."""
    r, f = random.Random(f"lessons:{seed}"), _faker(seed + 1, locale)
    kinds = kinds or list(LESSON_KINDS.values())
    while True:
        yield kinds[r.randrange(len(kinds))](r, f)


def reading_kinds() -> tuple[list[Callable], list[Callable]]:
    """(document kinds, lesson kinds) of the second stage: everything above plus the reading material,
    the new lessons weighted twice."""
    from simplex_training.pretrain.corpus_reading import READING_DOCUMENT_KINDS, READING_LESSON_KINDS

    docs = list(DOCUMENT_KINDS.values()) + 2 * list(READING_DOCUMENT_KINDS.values())
    less = list(LESSON_KINDS.values()) + 2 * list(READING_LESSON_KINDS.values())
    return docs, less


def numeracy_kinds() -> tuple[list[Callable], list[Callable]]:
    """(document kinds, lesson kinds) of the reading stage's numeracy phase: everything of the
    reading corpus plus the numeracy material, its lessons weighted three times."""
    from simplex_training.pretrain.corpus_numeracy import NUMERACY_DOCUMENT_KINDS, NUMERACY_LESSON_KINDS

    docs, less = reading_kinds()
    return docs + 2 * list(NUMERACY_DOCUMENT_KINDS.values()), less + 3 * list(NUMERACY_LESSON_KINDS.values())


def coverage_kinds(tok) -> tuple[list[Callable], list[Callable]]:  # noqa: ANN001
    """(document kinds, lesson kinds) of the reading stage's coverage phase: the numeracy corpus's
    kinds, and as many again of the coverage material made for the tokenizer ``tok``."""
    from simplex_training.pretrain.corpus_coverage import CoverageMaterial

    docs, less = numeracy_kinds()
    cov_docs, cov_less = CoverageMaterial(tok).kinds()
    return (docs + max(1, len(docs) // len(cov_docs)) * cov_docs,
            less + max(1, len(less) // len(cov_less)) * cov_less)


def digits_kinds(tok) -> tuple[list[Callable], list[Callable]]:  # noqa: ANN001
    """(document kinds, lesson kinds) of the opt-in digits phase: the coverage corpus's kinds, and
    about as many lessons again of place values and column arithmetic
    (:mod:`simplex_training.pretrain.corpus_digits`)."""
    from simplex_training.pretrain.corpus_digits import DIGITS_LESSON_KINDS

    docs, less = coverage_kinds(tok)
    return docs, less + max(1, len(less) // len(DIGITS_LESSON_KINDS)) * list(DIGITS_LESSON_KINDS.values())


def equality_kinds(tok) -> tuple[list[Callable], list[Callable]]:  # noqa: ANN001
    """(document kinds, lesson kinds) of the opt-in equality phase: the coverage corpus's kinds, and
    about as many lessons again on whether values are the same, in a list, or repeated
    (:mod:`simplex_training.pretrain.corpus_equality`)."""
    from simplex_training.pretrain.corpus_equality import EQUALITY_LESSON_KINDS

    docs, less = coverage_kinds(tok)
    return docs, less + max(1, len(less) // len(EQUALITY_LESSON_KINDS)) * list(EQUALITY_LESSON_KINDS.values())


def recall_kinds(tok) -> tuple[list[Callable], list[Callable]]:  # noqa: ANN001
    """(document kinds, lesson kinds) of the opt-in recall phase: the coverage corpus's kinds, and
    about as many lessons again that pick one of several like facts by the key a question names
    (:mod:`simplex_training.pretrain.corpus_recall`)."""
    from simplex_training.pretrain.corpus_recall import RECALL_LESSON_KINDS

    docs, less = coverage_kinds(tok)
    return docs, less + max(1, len(less) // len(RECALL_LESSON_KINDS)) * list(RECALL_LESSON_KINDS.values())
