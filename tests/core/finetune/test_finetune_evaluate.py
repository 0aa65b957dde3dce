"""Scoring per group of test examples (``eval --by``): groups by a metadata field, each scored by the
task evaluator on its own examples and outputs."""

import pytest

from simplex_training.data import TrainingExample
from simplex_training.errors import DataError
from simplex_training.finetune.evaluate import check_group_field, group_of, metrics_by
from simplex_training.pluginmanager import get_host


@pytest.fixture(scope="module")
def sentiment():
    host = get_host()
    entry = host.registry("specialists")["sentiment_analysis"]
    examples = list(host.registry("generators")[entry.generator].generate(12, seed=3))
    return entry, examples


def test_each_group_is_scored_on_its_own_examples(sentiment):
    entry, examples = sentiment
    labels = sorted({ex.metadata["label"] for ex in examples})
    right = labels[0]  # answers right for this label's examples, wrong (another label) for the rest
    outputs = [ex.response if ex.metadata["label"] == right else labels[1] if ex.metadata["label"] != labels[1]
               else labels[0] for ex in examples]
    groups = metrics_by(entry, examples, outputs, "label")
    assert list(groups) == labels
    assert sum(g["n"] for g in groups.values()) == len(examples)
    assert groups[right]["accuracy"] == 1.0
    assert all(g["accuracy"] == 0.0 for name, g in groups.items() if name != right)


def test_group_names():
    ex = TrainingExample(prompt="p", response="r", metadata={"kind": "temps", "k": 2, "tags": ["a", "b"]})
    assert [group_of(ex, f) for f in ("kind", "k", "tags", "missing")] == ["temps", "2", '["a", "b"]', "(none)"]


def test_a_field_no_example_has_is_named_with_the_fields_there_are(sentiment):
    _, examples = sentiment
    with pytest.raises(DataError, match="no test example has metadata field 'kind'.*label"):
        check_group_field(examples, "kind")
    check_group_field([], "kind")  # nothing to score: nothing to complain about


def test_an_evaluator_error_stays_in_its_group(sentiment):
    entry, examples = sentiment
    bare = [TrainingExample(prompt=ex.prompt, response=ex.response, metadata={"part": "bare"}) for ex in examples[:2]]
    groups = metrics_by(entry, examples[:3] + bare, [ex.response for ex in examples[:3]] + ["x", "y"], "part")
    assert groups["(none)"]["accuracy"] == 1.0 and groups["(none)"]["n"] == 3
    assert "error" in groups["bare"] and groups["bare"]["n"] == 2
