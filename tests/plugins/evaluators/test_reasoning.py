"""The reasoning evaluator plugin: final-answer accuracy, tolerant numbers, stated confidence."""

import pytest

from simplex_training.catalog import builtin_catalog
from simplex_training.data import TrainingExample
from simplex_training.pluginmanager import get_host


@pytest.fixture(scope="module")
def evaluator():
    return get_host().registry("evaluators")["reasoning"]


def test_registered():
    host = get_host()
    assert "evaluators.reasoning" in host.infos
    assert host.registry("evaluators")["reasoning"].metrics == ("accuracy",)


@pytest.mark.parametrize("sid", ["neural_ir", "belief_revision"])
def test_real_generator_perfect_and_garbage(evaluator, sid):
    entry = builtin_catalog()[sid]
    examples = list(get_host().registry("generators")[sid].generate(150, seed=4))
    perfect = evaluator.evaluate(entry, examples, [ex.response for ex in examples])
    assert perfect["accuracy"] == 1.0 and perfect["answered"] == 1.0
    assert all(m.passes(perfect[m.name]) for m in entry.metrics)
    garbage = evaluator.evaluate(entry, examples, ["I do not know."] * len(examples))
    assert garbage["accuracy"] == 0.0


def test_belief_revision_reports_calibration_extras(evaluator):
    entry = builtin_catalog()["belief_revision"]
    assert entry.states_confidence
    examples = list(get_host().registry("generators")["belief_revision"].generate(50, seed=4))
    r = evaluator.evaluate(entry, examples, [ex.response for ex in examples])
    assert r["confidence_rate"] == 1.0
    # every answer is right; stated confidence = posterior -> Brier = mean (1 - c)^2
    confs = [ex.metadata["confidence"] for ex in examples]
    assert r["brier"] == pytest.approx(sum((1 - c) ** 2 for c in confs) / len(confs))
    assert "ece" not in evaluator.evaluate(builtin_catalog()["neural_ir"], examples[:1], ["x"])


def test_hand_made_tolerances(evaluator):
    entry = builtin_catalog()["math_reasoning"]
    examples = [
        TrainingExample(prompt="a", response="r", metadata={"answer": "12.50", "numeric_answer": 12.5}),
        TrainingExample(prompt="b", response="r", metadata={"answer": "$1,200", "numeric_answer": 1200.0}),
        TrainingExample(prompt="c", response="r", metadata={"answer": "0.333", "numeric_answer": 0.333}),
        TrainingExample(prompt="d", response="r", metadata={"answer": "Tuesday"}),
    ]
    outputs = ["Steps...\nAnswer: 12.5", "Answer: $1200", "Answer: 0.3", "The meeting is on tuesday\nAnswer: Tuesday."]
    r = evaluator.evaluate(entry, examples, outputs)
    assert r["accuracy"] == 0.75  # 0.3 is neither within 1e-3 relative nor 0.333 rounded to 2 decimals
    assert r["n"] == 4.0


def test_missing_answer_metadata(evaluator):
    with pytest.raises(ValueError, match="metadata\\['answer'\\]"):
        evaluator.evaluate(builtin_catalog()["math_reasoning"], [TrainingExample(prompt="p", response="r")], ["1"])
