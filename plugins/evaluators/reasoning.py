"""Evaluator for ``reasoning`` specialists: final-answer accuracy.

The final answer is read from the output by
:func:`simplex_training.metrics.reasoning.extract_final_answer` (after the last ``Answer:``, else the
last number or line) and compared with ``metadata["answer"]`` (numbers with tolerance, using
``metadata["numeric_answer"]`` when present; see :func:`...metrics.reasoning.answers_match`).

Extras: ``n``, ``answered`` (fraction of outputs with a non-empty final answer) and, for entries
with ``states_confidence``, ``ece``/``brier``/``confidence_rate`` of the stated ``[confidence: x]``
against correctness (a missing confidence counts as 1.0: an unhedged answer claims certainty).
"""

from __future__ import annotations

from simplex_training.catalog import CatalogEntry
from simplex_training.data import TrainingExample
from simplex_training.hookspecs import hookimpl
from simplex_training.metrics import calibration
from simplex_training.metrics.evaluator import Evaluator, gold
from simplex_training.metrics.reasoning import answers_match, extract_final_answer
from simplex_training.registry import Register


class ReasoningEvaluator(Evaluator):
    name = "reasoning"
    metrics = ("accuracy",)

    def score(self, entry: CatalogEntry, examples: list[TrainingExample], outputs: list[str],
              requested: list[str]) -> dict[str, float]:
        n = len(examples)
        preds = [extract_final_answer(o) for o in outputs]
        correct = []
        for i, (ex, p) in enumerate(zip(examples, preds)):
            g = str(gold(ex, "answer", "accuracy", i))
            num = ex.metadata.get("numeric_answer")
            correct.append(answers_match(p, g, float(num) if num is not None else None))
        out = {"accuracy": sum(correct) / n, "n": float(n), "answered": sum(bool(p) for p in preds) / n}
        if entry.states_confidence:
            stated = [calibration.parse_confidence(o) for o in outputs]
            conf = [1.0 if c is None else c for c in stated]
            out["ece"] = calibration.expected_calibration_error(conf, correct)
            out["brier"] = calibration.brier_score(conf, correct)
            out["confidence_rate"] = sum(c is not None for c in stated) / n
        return out


class ReasoningPlugin:
    @hookimpl
    def register_evaluators(self, register: Register) -> None:
        register(ReasoningEvaluator())


plugin = ReasoningPlugin()
