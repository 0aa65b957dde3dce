"""Evaluator for ``calibration`` specialists: accuracy, ECE and Brier score of stated confidences.

Each output states an answer (after ``Answer:``) and a confidence (``[confidence: x]`` and the
original's other forms, :func:`simplex_training.metrics.calibration.parse_confidence`). Gold
metadata: ``answer`` (the answer to give), ``correct`` (whether that answer turned out right) and,
optionally, ``outcome`` (what actually happened).

Correctness ``y`` of an output: its answer matches ``answer`` -> ``y = correct``; otherwise, when
``outcome`` is known, ``y = (answer matches outcome)``; otherwise ``y = 0``. A missing confidence
counts as 1.0 (an unhedged answer claims certainty), so leaving the tag out never improves ECE or
Brier. ``ece`` uses 10 equal-width bins ``(lo, hi]`` and ``brier`` = mean ``(c - y)^2``: calibration
is judged against what really happened, as for any forecast. ``accuracy`` is the fraction of
outputs whose answer is the gold ``answer`` (the right choice given the question, as in the
original, where accuracy was "gold answer in the response"); perfect outputs score accuracy 1 and the
gold's own ECE/Brier.

Extras: ``n``, ``outcome_accuracy`` (mean ``y``), ``confidence_rate`` (outputs with a parsable
confidence), ``mean_confidence`` and, when every example's metadata holds the gold ``confidence``,
``gold_ece``: the ECE of the gold answers on the same outcomes. Outcomes are drawn, so a binned ECE
on a few hundred of them is not 0 even for perfect forecasts (on 100 examples of the built-in
generator the gold averages about 0.07); ``gold_ece`` is that floor for the split at hand.
"""

from __future__ import annotations

from simplex_training.catalog import CatalogEntry
from simplex_training.data import TrainingExample
from simplex_training.hookspecs import hookimpl
from simplex_training.metrics import calibration
from simplex_training.metrics.evaluator import Evaluator, gold
from simplex_training.metrics.reasoning import answers_match, extract_final_answer
from simplex_training.registry import Register


def outcome_of(example: TrainingExample, predicted: str, index: int) -> bool:
    """Whether the predicted answer was right, from the gold metadata (see module doc)."""
    answer = str(gold(example, "answer", "accuracy", index))
    correct = gold(example, "correct", "ece", index)
    if not isinstance(correct, bool):
        raise ValueError(f"metric 'ece': metadata['correct'] of example #{index} must be a bool")
    if answers_match(predicted, answer):
        return correct
    outcome = example.metadata.get("outcome")
    return outcome is not None and answers_match(predicted, str(outcome))


class CalibrationEvaluator(Evaluator):
    name = "calibration"
    metrics = ("accuracy", "ece", "brier")

    def score(self, entry: CatalogEntry, examples: list[TrainingExample], outputs: list[str],
              requested: list[str]) -> dict[str, float]:
        n = len(examples)
        preds = [extract_final_answer(o) for o in outputs]
        ys = [outcome_of(ex, p, i) for i, (ex, p) in enumerate(zip(examples, preds))]
        stated = [calibration.parse_confidence(o) for o in outputs]
        conf = [1.0 if c is None else c for c in stated]
        return {
            "accuracy": sum(answers_match(p, str(ex.metadata["answer"])) for p, ex in zip(preds, examples)) / n,
            "ece": calibration.expected_calibration_error(conf, ys),
            "brier": calibration.brier_score(conf, ys),
            "n": float(n),
            "outcome_accuracy": calibration.accuracy(ys),
            "confidence_rate": sum(c is not None for c in stated) / n,
            "mean_confidence": sum(conf) / n,
            **gold_ece(examples),
        }


def gold_ece(examples: list[TrainingExample]) -> dict[str, float]:
    """``{"gold_ece": ...}``: the gold confidences' ECE on the examples' outcomes; ``{}`` without them."""
    confs = [ex.metadata.get("confidence") for ex in examples]
    correct = [ex.metadata.get("correct") for ex in examples]
    if not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in confs):
        return {}
    return {"gold_ece": calibration.expected_calibration_error([float(c) for c in confs], correct)}


class CalibrationPlugin:
    @hookimpl
    def register_evaluators(self, register: Register) -> None:
        register(CalibrationEvaluator())


plugin = CalibrationPlugin()
