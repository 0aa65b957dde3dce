"""Content tests for the translation generators (translation, cross_lingual)."""

from __future__ import annotations

import re
import string
from typing import Any

import pytest

from simplex_training.plugins.generators.translation import (
    CITIES,
    DAYS,
    LANG_NAMES,
    LEXICON,
    PHRASES,
    SLOTS,
    CrossLingualGenerator,
    TranslationGenerator,
    render,
)
from simplex_training.testing import sample_each_difficulty


def _sample(gen_cls: type, n: int = 300, seed: int = 5) -> list[Any]:
    return sample_each_difficulty(gen_cls(), n, seed)


# -- the phrase table ----------------------------------------------------------------------------


def test_phrase_table_is_complete_and_consistent() -> None:
    for key, forms in PHRASES.items():
        assert set(forms) == {"en", "es", "fr", "de"}, key
        for lang, text in forms.items():
            slots = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            assert slots == set(SLOTS[key]), (key, lang, slots)
    for slot, table in LEXICON.items():
        for word, tr in table.items():
            assert set(tr) == {"es", "fr", "de"}, (slot, word)


GOLDEN = [
    ("buy", {"name": "Ana", "n": 3, "noun": "books"}, "es", "Ana compró 3 libros."),
    ("buy", {"name": "Ana", "n": 3, "noun": "books"}, "fr", "Ana a acheté 3 livres."),
    ("buy", {"name": "Ana", "n": 3, "noun": "books"}, "de", "Ana hat 3 Bücher gekauft."),
    ("age", {"name": "Tom", "n": 41}, "fr", "Tom a 41 ans."),
    ("age", {"name": "Tom", "n": 41}, "de", "Tom ist 41 Jahre alt."),
    ("arrive", {"name": "Lea", "city": "Oslo", "day": "Monday"}, "de", "Lea wird am Montag in Oslo ankommen."),
    ("arrive", {"name": "Lea", "city": "Oslo", "day": "Monday"}, "es", "Lea llegará a Oslo el lunes."),
    ("price", {"item": "book", "n": 12}, "de", "Das Buch kostet 12 Euro."),
    ("price", {"item": "chair", "n": 12}, "es", "La silla cuesta 12 euros."),
    ("train", {"city": "Lima", "h": 9}, "de", "Der Zug nach Lima fährt um 9 Uhr ab."),
    ("meeting", {"h": 4}, "es", "La reunión es a las 4."),
    ("speak", {"name": "Kim", "lang": "German"}, "fr", "Kim parle allemand."),
    ("call", {"name": "Kim", "name2": "Ben"}, "es", "Kim llamó a Ben ayer."),
    ("price", {"item": "chair", "n": 12}, "en", "The chair costs 12 euros."),
]


@pytest.mark.parametrize("key,values,lang,expected", GOLDEN)
def test_render_golden(key: str, values: dict[str, object], lang: str, expected: str) -> None:
    assert render(key, values, lang) == expected


# -- translation ---------------------------------------------------------------------------------

ENGLISH_ONLY = ("bought", " lives ", "o'clock", " years old", " the ", " needs ", "yesterday", " costs ")


def test_translation_reference_is_target_language_and_keeps_names_numbers() -> None:
    for ex in _sample(TranslationGenerator):
        m = ex.metadata
        assert ex.response == m["reference"]
        assert m["source_lang"] == "en" and m["target_lang"] in ("es", "fr", "de")
        assert LANG_NAMES[m["target_lang"]] in ex.prompt
        # numbers carry over unchanged, in order
        src_numbers = re.findall(r"\d+", ex.prompt)
        assert re.findall(r"\d+", ex.response) == src_numbers
        # cities carry over unchanged
        for city in CITIES:
            assert ex.prompt.count(city) == ex.response.count(city), city
        # no untranslated English template words
        for word in ENGLISH_ONLY:
            assert word not in f" {ex.response} ", (word, ex.response)
        # one target sentence per source sentence, each from the phrase table in that language
        assert len(m["phrases"]) == ex.response.count(".")
        for key in m["phrases"]:
            head = re.escape(PHRASES[key][m["target_lang"]].split("{")[0])
            assert re.search(head, ex.response), (key, ex.response)


def test_translation_difficulty_changes_length() -> None:
    gen = TranslationGenerator()
    for d, n in (("easy", 1), ("medium", 2), ("hard", 3)):
        assert all(len(ex.metadata["phrases"]) == n for ex in gen.generate(50, seed=1, difficulty=d))


def test_translation_covers_all_targets() -> None:
    targets = {ex.metadata["target_lang"] for ex in _sample(TranslationGenerator, n=60)}
    assert targets == {"es", "fr", "de"}


# -- cross_lingual --------------------------------------------------------------------------------

NEGATION = re.compile(r"\b(not|never|cannot)\b|younger than")


def _split(prompt: str) -> tuple[str, str]:
    lines = prompt.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(("Premise (", "Premise:", "P [")) or re.match(r"^(Spanish|French|German): ", line):
            premise = line.split(": ", 1)[1] if not line.startswith("P [") else line.split("]: ", 1)[1]
            hyp_line = lines[i + 1]
            hyp = hyp_line.split(": ", 1)[1] if not hyp_line.startswith("H [") else hyp_line.split("]: ", 1)[1]
            return premise, hyp
    raise AssertionError(prompt)


def test_cross_lingual_labels_follow_from_construction() -> None:
    for ex in _sample(CrossLingualGenerator):
        m = ex.metadata
        premise, hyp = _split(ex.prompt)
        worked, verdict = ex.response.rsplit("\n", 1)
        assert verdict == f"Label: {m['label']}"
        # one worked line per premise fact; only one of the hypothesis's kind decides, and says how
        lines = worked.split("\n")[1:]
        assert len(lines) == len(m["premise_kinds"])
        rel = [x.rsplit(": ", 1)[1] for x in lines if not x.endswith("another topic")]
        allowed = {"neutral": set(), "entailment": {"same", "fits"},
                   "contradiction": {"different", "does not fit", "the hypothesis denies it"}}[m["label"]]
        assert len(rel) == (m["label"] != "neutral") and set(rel) <= allowed, (ex.response, m)
        lang = m["premise_lang"]
        # the premise is not English
        assert not re.search(r"\b(bought|lives|works|speaks|called|years old|will arrive)\b", premise)
        sentences = re.split(r"(?<=\.) ", premise)
        assert len(sentences) == len(m["premise_kinds"])
        hyp_numbers = set(re.findall(r"\d+", hyp))
        hyp_cities = [c for c in CITIES if c in hyp]
        hyp_days = [d for d in DAYS if d in hyp]
        if m["hypothesis_kind"] in m["premise_kinds"]:
            target = sentences[m["premise_kinds"].index(m["hypothesis_kind"])]
            comparative = "older than" in hyp or "younger than" in hyp
            grounded = ((comparative or hyp_numbers <= set(re.findall(r"\d+", target)))
                        and all(c in target for c in hyp_cities)
                        and all(DAYS[d][lang] in target for d in hyp_days))
        if m["label"] == "neutral":
            assert m["hypothesis_kind"] not in m["premise_kinds"]
        else:
            assert m["hypothesis_kind"] in m["premise_kinds"]
        if m["label"] == "entailment":
            assert not NEGATION.search(hyp), hyp
            assert grounded, (premise, hyp)
        if m["label"] == "contradiction":
            assert NEGATION.search(hyp) or not grounded, (premise, hyp)
        # comparisons against the stated age
        cmp = re.search(r"(older|younger) than (\d+)", hyp)
        if cmp and m["label"] != "neutral":
            age = int(re.search(r"(\d+) (?:años|ans|Jahre)", premise).group(1))  # type: ignore[union-attr]
            holds = age > int(cmp.group(2)) if cmp.group(1) == "older" else age < int(cmp.group(2))
            assert holds == (m["label"] == "entailment")


def test_cross_lingual_uses_all_premise_languages_and_forms() -> None:
    exs = _sample(CrossLingualGenerator)
    assert {e.metadata["premise_lang"] for e in exs} == {"es", "fr", "de"}
    forms = {(e.metadata["label"], e.metadata["hypothesis_form"]) for e in exs}
    assert {("contradiction", "changed"), ("contradiction", "negated"), ("entailment", "restate"),
            ("neutral", "unmentioned")} <= forms


def test_cross_lingual_difficulty_changes_premise_size() -> None:
    gen = CrossLingualGenerator()
    for d, n in (("easy", 1), ("medium", 2), ("hard", 3)):
        assert all(len(ex.metadata["premise_kinds"]) == n for ex in gen.generate(30, seed=1, difficulty=d))
