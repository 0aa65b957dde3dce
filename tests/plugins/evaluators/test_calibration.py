"""The calibration evaluator plugin: answer accuracy, ECE and Brier of stated confidences."""

import pytest

from simplex_training.catalog import builtin_catalog
from simplex_training.data import TrainingExample
from simplex_training.metrics.calibration import brier_score, expected_calibration_error
from simplex_training.pluginmanager import get_host

ENTRY = builtin_catalog()["confidence_calibration"]


def _ex(answer, conf, correct, outcome=None):
    meta = {"answer": answer, "confidence": conf, "correct": correct}
    if outcome is not None:
        meta["outcome"] = outcome
    return TrainingExample(prompt="q", response=f"Answer: {answer} [confidence: {conf:.2f}]", metadata=meta)


@pytest.fixture(scope="module")
def evaluator():
    return get_host().registry("evaluators")["calibration"]


def test_registered():
    host = get_host()
    assert "evaluators.calibration" in host.infos
    assert set(host.registry("evaluators")["calibration"].metrics) == {"accuracy", "ece", "brier"}


def test_real_generator_perfect_outputs_match_the_gold_calibration(evaluator):
    examples = list(get_host().registry("generators")["confidence_calibration"].generate(400, seed=3))
    r = evaluator.evaluate(ENTRY, examples, [ex.response for ex in examples])
    confs = [ex.metadata["confidence"] for ex in examples]
    ys = [ex.metadata["correct"] for ex in examples]
    assert r["accuracy"] == 1.0 and r["confidence_rate"] == 1.0
    assert r["ece"] == pytest.approx(expected_calibration_error(confs, ys))
    assert r["brier"] == pytest.approx(brier_score(confs, ys))
    assert r["gold_ece"] == pytest.approx(r["ece"])  # the gold's own ECE: what perfect outputs score
    assert all(m.passes(r[m.name]) for m in ENTRY.metrics)


def test_garbage_outputs_score_worst(evaluator):
    examples = list(get_host().registry("generators")["confidence_calibration"].generate(100, seed=3))
    r = evaluator.evaluate(ENTRY, examples, ["no idea"] * len(examples))
    # no answer -> y = 0; no confidence -> counted as 1.0
    assert r["accuracy"] == 0.0 and r["ece"] == 1.0 and r["brier"] == 1.0 and r["confidence_rate"] == 0.0
    assert not any(m.passes(r[m.name]) for m in ENTRY.metrics)


def test_hand_computed_values(evaluator):
    examples = [_ex("yes", 0.9, True), _ex("no", 0.8, False, outcome="yes"), _ex("red", 0.6, True), _ex("no", 0.7, True)]
    outputs = [
        "Answer: yes [confidence: 0.90]",  # y = 1, c = .9
        "Answer: yes (60% confidence)",    # other answer, matches the outcome -> y = 1, c = .6
        "Answer: blue [confidence: 0.2]",  # wrong answer, no outcome known -> y = 0, c = .2
        "Answer: no",                      # right, no confidence -> c = 1.0, y = 1
    ]
    r = evaluator.evaluate(ENTRY, examples, outputs)
    assert r["accuracy"] == 0.5  # answers equal to the gold answer: #1 and #4
    assert r["outcome_accuracy"] == 0.75
    # bins: .2 -> (.1,.2] acc 0: .2/4; .6 -> (.5,.6] acc 1: .4/4; .9 -> acc 1: .1/4; 1.0 -> 0
    assert r["ece"] == pytest.approx((0.2 + 0.4 + 0.1) / 4)
    assert r["brier"] == pytest.approx((0.01 + 0.16 + 0.04 + 0.0) / 4)
    assert r["confidence_rate"] == 0.75
    # the gold answers' ECE: .9 -> acc 1 (.1/4); .8 and .7 -> (.6,.7] acc 1, (.7,.8] acc 0; .6 -> acc 1
    assert r["gold_ece"] == pytest.approx((0.1 + 0.8 + 0.3 + 0.4) / 4)


def test_gold_ece_needs_every_gold_confidence(evaluator):
    examples = [_ex("yes", 0.9, True), TrainingExample(prompt="q", response="r", metadata={"answer": "no", "correct": True})]
    r = evaluator.evaluate(ENTRY, examples, ["Answer: yes [confidence: 0.9]", "Answer: no [confidence: 0.6]"])
    assert "gold_ece" not in r


def test_correct_must_be_a_bool(evaluator):
    bad = [TrainingExample(prompt="q", response="r", metadata={"answer": "yes", "confidence": 0.5, "correct": "yes"})]
    with pytest.raises(ValueError, match="correct"):
        evaluator.evaluate(ENTRY, bad, ["Answer: yes [confidence: 0.5]"])
