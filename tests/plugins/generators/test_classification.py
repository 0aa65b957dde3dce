"""Content tests for the classification generators (topic_classification, intent_classification,
spam_detection, toxicity_detection)."""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any

import pytest

from simplex_training.plugins.generators.classification import (
    INTENT_BANK,
    INTENT_HARD,
    TOPIC_BANK,
    IntentClassificationGenerator,
    SpamDetectionGenerator,
    TopicClassificationGenerator,
    ToxicityDetectionGenerator,
)
from simplex_training.testing import sample_each_difficulty


def _sample(gen_cls: type, n: int = 300, seed: int = 5) -> list[Any]:
    return sample_each_difficulty(gen_cls(), n, seed)


@functools.lru_cache(maxsize=None)
def template_regex(template: str) -> re.Pattern[str]:
    """A template with {slots} as a regex that matches any filled-in version of it."""
    parts = re.split(r"\{\w+\}", template)
    return re.compile(".+?".join(re.escape(p) for p in parts))


def matching_labels(text: str, bank: dict[str, tuple[str, ...]]) -> set[str]:
    return {label for label, templates in bank.items() if any(template_regex(t).search(text) for t in templates)}


# -- topic ----------------------------------------------------------------------------------------


def test_topic_text_comes_only_from_its_topic() -> None:
    for ex in _sample(TopicClassificationGenerator):
        label = ex.metadata["label"]
        assert ex.response == f"Topic: {label}"
        assert matching_labels(ex.prompt, TOPIC_BANK) == {label}, ex.prompt


def test_topic_sentence_count_grows_with_difficulty() -> None:
    gen = TopicClassificationGenerator()
    for d, n in (("easy", 1), ("medium", 2), ("hard", 3)):
        for ex in gen.generate(60, seed=1, difficulty=d):
            hits = sum(bool(template_regex(t).search(ex.prompt)) for t in TOPIC_BANK[ex.metadata["label"]])
            assert hits == n, (d, ex.prompt)


# -- intent ---------------------------------------------------------------------------------------


def test_intent_request_comes_only_from_its_intent() -> None:
    banks = {k: INTENT_BANK[k] + INTENT_HARD[k] for k in INTENT_BANK}
    for ex in _sample(IntentClassificationGenerator):
        label = ex.metadata["label"]
        assert ex.response == f"Intent: {label}"
        assert matching_labels(ex.prompt, banks) == {label}, ex.prompt


# Keyword cues per intent: the request's own intent always has one.
INTENT_CUES = {
    "book_flight": r"\b(flights?|fly|plane ticket)\b",
    "cancel_order": r"\bcancel\b|stop my order",
    "check_balance": r"\bbalance\b|how much (money )?(is|do I have)",
    "reset_password": r"\bpassword\b",
    "track_package": r"\b(package|parcel|shipment|delivery|track it)\b",
    "weather_query": r"\b(weather|rain|forecast|umbrella|hot|snow)\b",
}


def test_intent_has_its_cue_and_hard_mixes_other_cues() -> None:
    mixed = 0
    for ex in _sample(IntentClassificationGenerator):
        label = ex.metadata["label"]
        assert re.search(INTENT_CUES[label], ex.prompt, re.I), ex.prompt
        if ex.metadata["difficulty"] == "hard":
            text = ex.prompt.split("\n", 1)[-1] if ex.prompt.startswith("Classify") else ex.prompt
            mixed += any(re.search(c, text.split("Intent")[0], re.I) for k, c in INTENT_CUES.items() if k != label)
    assert mixed > 50  # hard requests mention other intents' words


# -- spam -----------------------------------------------------------------------------------------

SPAM_CUE_RE = re.compile(r"\b(won|claim|verify|free|loan|earn|refund|crypto|winner|prize|miracle|act now|click|"
                         r"confirm your password)\b", re.I)


def _message(prompt: str) -> str:
    lines = prompt.splitlines()
    return "\n".join(line for line in lines if not line.startswith(("Is this message", "Classify the following",
                                                                       "From:", "Label (spam/ham)")))


def test_spam_label_follows_from_cues() -> None:
    for ex in _sample(SpamDetectionGenerator):
        text = _message(ex.prompt)
        has_cue = bool(SPAM_CUE_RE.search(text))
        assert has_cue == (ex.metadata["label"] == "spam"), ex.prompt
        assert ex.response == f"Label: {ex.metadata['label']}"


def test_spam_ham_both_contain_links_and_money_sometimes() -> None:
    exs = _sample(SpamDetectionGenerator)
    ham = [e for e in exs if e.metadata["label"] == "ham"]
    assert any("https://" in e.prompt for e in ham) and any("$" in e.prompt for e in ham)
    spam = [e for e in exs if e.metadata["label"] == "spam"]
    assert sum("http://" in e.prompt for e in spam) > len(spam) / 2


# -- toxicity -------------------------------------------------------------------------------------

TOXIC_RE = re.compile(r"\b(idiot|stupid|shut up|clown|pathetic|loser|moron|you're a joke|worthless|garbage|dumb|"
                      r"fool|troll|get lost|nobody wants you)\b", re.I)
SLURS_AND_THREATS = re.compile(r"\b(kill|die|hurt you|hate you)\b", re.I)


def test_toxicity_label_follows_from_insults() -> None:
    labels = Counter()
    for ex in _sample(ToxicityDetectionGenerator):
        label = ex.metadata["label"]
        labels[label] += 1
        assert bool(TOXIC_RE.search(ex.prompt.replace("non_toxic", "").replace("non-toxic", ""))) == (label == "toxic"), ex.prompt
        assert not SLURS_AND_THREATS.search(ex.prompt)
        assert ex.response == f"Label: {label}"
    assert set(labels) == {"toxic", "non_toxic"}


def test_toxicity_non_toxic_includes_civil_criticism() -> None:
    non = [e for e in _sample(ToxicityDetectionGenerator) if e.metadata["label"] == "non_toxic"]
    assert any(re.search(r"disagree|unclear|frustrated|disappointed|off by", e.prompt) for e in non)


@pytest.mark.parametrize("gen_cls", [TopicClassificationGenerator, SpamDetectionGenerator, ToxicityDetectionGenerator])
def test_difficulty_lengthens_text(gen_cls: type) -> None:
    gen = gen_cls()

    def mean_len(d: str) -> float:
        exs = list(gen.generate(100, seed=1, difficulty=d))
        return sum(len(e.prompt) for e in exs) / len(exs)

    assert mean_len("easy") < mean_len("hard")
