"""The classification evaluator plugin: registration, perfect and garbage outputs, errors."""

import pytest

from simplex_training.catalog import builtin_catalog
from simplex_training.data import TrainingExample
from simplex_training.pluginmanager import get_host


@pytest.fixture(scope="module")
def evaluator():
    return get_host().registry("evaluators")["classification"]


def _sample(sid, n=120, seed=11):
    return list(get_host().registry("generators")[sid].generate(n, seed=seed))


def test_registered_by_its_plugin():
    host = get_host()
    assert "evaluators.classification" in host.infos
    assert host.registry("evaluators").plugin_of("classification") == "evaluators.classification"
    ev = host.registry("evaluators")["classification"]
    assert ev.name == "classification" and set(ev.metrics) == {"accuracy", "macro_f1"}


@pytest.mark.parametrize("sid", ["sentiment_analysis", "aspect_sentiment"])
def test_perfect_outputs_pass_the_thresholds(evaluator, sid):
    entry = builtin_catalog()[sid]
    examples = _sample(sid)
    result = evaluator.evaluate(entry, examples, [ex.response for ex in examples])
    assert result["accuracy"] == 1.0 and result["macro_f1"] == 1.0
    for m in entry.metrics:
        assert m.passes(result[m.name])
    # neutral and mixed (never recognised by the original) are scored
    assert result["f1_neutral"] == 1.0 and result["support_neutral"] > 0
    assert result["n"] == len(examples) and result["unparsed"] == 0.0


def test_garbage_outputs_score_zero(evaluator):
    entry = builtin_catalog()["sentiment_analysis"]
    examples = _sample("sentiment_analysis")
    result = evaluator.evaluate(entry, examples, ["lorem ipsum dolor"] * len(examples))
    assert result["accuracy"] == 0.0 and result["macro_f1"] == 0.0 and result["unparsed"] == 1.0
    assert not any(m.passes(result[m.name]) for m in entry.metrics)


def test_constant_prediction_gets_chance_accuracy(evaluator):
    entry = builtin_catalog()["sentiment_analysis"]
    examples = _sample("sentiment_analysis", n=80)  # balanced: 20 per label
    result = evaluator.evaluate(entry, examples, ["Sentiment: positive"] * 80)
    assert result["accuracy"] == 0.25
    # positive: P = 20/80, R = 1 -> F1 = 0.4; the three never-predicted labels count with F1 = 0
    assert result["f1_positive"] == pytest.approx(0.4)
    assert result["macro_f1"] == pytest.approx(0.4 / 4)


def test_free_text_outputs_are_read(evaluator):
    entry = builtin_catalog()["compliance_check"]
    examples = [TrainingExample(prompt=f"p{i}", response="x", metadata={"label": lab})
                for i, lab in enumerate(["compliant", "non_compliant", "non_compliant"])]
    outputs = ["The clause is compliant.", "This is non-compliant with GDPR.", "Label: compliant"]
    result = evaluator.evaluate(entry, examples, outputs)
    assert result["accuracy"] == pytest.approx(2 / 3)
    assert result["recall_non_compliant"] == 0.5


def test_errors_name_the_problem(evaluator):
    entry = builtin_catalog()["sentiment_analysis"]
    examples = _sample("sentiment_analysis", n=4)
    with pytest.raises(ValueError, match="4 examples but 3 outputs"):
        evaluator.evaluate(entry, examples, ["x"] * 3)
    bad = entry.model_copy(update={"metrics": [*entry.metrics, type(entry.metrics[0])(name="bleu", threshold=0.1)]})
    with pytest.raises(ValueError, match="'bleu'"):
        evaluator.evaluate(bad, examples, ["x"] * 4)
    no_label = [TrainingExample(prompt="p", response="r", metadata={})]
    with pytest.raises(ValueError, match="metadata\\['label'\\]"):
        evaluator.evaluate(entry, no_label, ["Sentiment: positive"])
