"""The sentiment generators: labels really follow from the review text."""

import json

import pytest

from simplex_training.pluginmanager import get_host
from simplex_training.plugins.generators.sentiment import NEGATIVE, NEUTRAL, POSITIVE

ALL = {"positive": POSITIVE, "negative": NEGATIVE, "neutral": NEUTRAL}


def clause_polarities(text: str) -> set[str]:
    low = text.lower()
    return {pol for pol, table in ALL.items() for clauses in table.values() for c in clauses if c.lower() in low}


@pytest.mark.parametrize("sid", ["sentiment_analysis", "aspect_sentiment", "opinion_mining"])
def test_registered(sid):
    host = get_host()
    assert f"specialists.{sid}" in host.infos
    assert sid in host.registry("generators")


def test_sentiment_label_follows_from_clauses():
    gen = get_host().registry("generators")["sentiment_analysis"]
    for ex in gen.generate(400, seed=3):
        pols = clause_polarities(ex.prompt)
        label = ex.metadata["label"]
        if label == "mixed":
            assert {"positive", "negative"} <= pols
        else:
            assert pols == {label}, (label, pols, ex.prompt)
        assert ex.response == f"Sentiment: {label}"


def test_aspect_sentiment_targets_the_named_aspect():
    gen = get_host().registry("generators")["aspect_sentiment"]
    for ex in gen.generate(300, seed=4):
        aspect, label = ex.metadata["aspect"], ex.metadata["label"]
        assert aspect in ex.prompt
        assert any(c.lower() in ex.prompt.lower() for c in ALL[label][aspect])


def test_aspect_sentiment_quotes_the_aspect_sentence_before_the_label():
    gen = get_host().registry("generators")["aspect_sentiment"]
    for ex in gen.generate(300, seed=4):
        aspect, label = ex.metadata["aspect"], ex.metadata["label"]
        head, says, verdict = ex.response.split("\n")
        assert head == f"Aspect: {aspect}" and verdict == f"Sentiment: {label}"
        quote = says.removeprefix("Says: ")
        assert quote in ex.prompt  # copied verbatim from the review
        assert quote[:-1].lower() in {c.lower() for c in ALL[label][aspect]}  # that aspect's sentence, its polarity


def test_opinion_mining_fields_match_clauses():
    gen = get_host().registry("generators")["opinion_mining"]
    for ex in gen.generate(300, seed=5):
        fields = json.loads(ex.response)
        assert fields == ex.metadata["fields"]
        for aspect, pol in fields.items():
            assert any(c.lower() in ex.prompt.lower() for c in ALL[pol][aspect])


def test_difficulty_changes_review_length():
    gen = get_host().registry("generators")["sentiment_analysis"]
    mean = lambda d: sum(len(e.prompt) for e in gen.generate(200, seed=1, difficulty=d)) / 200  # noqa: E731
    assert mean("easy") < mean("medium") < mean("hard")
