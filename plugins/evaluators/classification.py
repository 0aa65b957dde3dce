"""Evaluator for ``classification`` specialists: accuracy and macro-F1 over the entry's labels.

The predicted label is read from the generated text with
:func:`simplex_training.metrics.classification.extract_label` (a ``Label:``/``Category:``/
``Sentiment:`` line first, else the first label mentioned; longest label first). Gold labels come
from ``metadata["label"]``. Extras: ``precision_<label>``, ``recall_<label>``, ``f1_<label>``,
``support_<label>``, ``n``, ``n_labels_scored``, ``unparsed``.
"""

from __future__ import annotations

from simplex_training.catalog import CatalogEntry
from simplex_training.data import TrainingExample
from simplex_training.hookspecs import hookimpl
from simplex_training.metrics.classification import classification_report, extract_label
from simplex_training.metrics.evaluator import Evaluator, gold
from simplex_training.registry import Register


class ClassificationEvaluator(Evaluator):
    name = "classification"
    metrics = ("accuracy", "macro_f1")

    def score(self, entry: CatalogEntry, examples: list[TrainingExample], outputs: list[str],
              requested: list[str]) -> dict[str, float]:
        if not entry.labels:
            raise ValueError(f"metric '{requested[0]}': specialist '{entry.id}' has no labels")
        golds = [str(gold(ex, "label", requested[0], i)) for i, ex in enumerate(examples)]
        preds = [extract_label(text, entry.labels) for text in outputs]
        return classification_report(golds, preds, entry.labels)


class ClassificationPlugin:
    @hookimpl
    def register_evaluators(self, register: Register) -> None:
        register(ClassificationEvaluator())


plugin = ClassificationPlugin()
