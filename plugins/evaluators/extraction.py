"""Evaluator for ``extraction`` specialists: field P/R/F1 and total accuracy, or QA EM/token F1.

Field extraction (``field_f1``, ``field_precision``, ``field_recall``, ``total_accuracy``)
    The first JSON object of each output is compared with ``metadata["fields"]`` by
    :mod:`simplex_training.metrics.extraction` (micro-averaged over flattened fields, numbers with
    tolerance, lists as multisets). ``total_accuracy`` scores the examples whose gold has a
    ``total`` (top-level or nested, e.g. ``totals.total``; else ``metadata["total"]``) with a 1 %
    relative tolerance; it is an error to request it when no example has a total.
    Extras: ``n``, ``json_rate`` (outputs with a parsable JSON object), ``field_tp/fp/fn``,
    ``n_total``.

Extractive QA (``exact_match``, ``token_f1``)
    The text after the last ``Answer:`` (else the first line) is compared with
    ``metadata["answer"]`` (a string or a list of acceptable answers; ``answers`` also works) using
    SQuAD normalisation (:mod:`simplex_training.metrics.qa`). Extras: ``n``.
"""

from __future__ import annotations

from typing import Any

from simplex_training.catalog import CatalogEntry
from simplex_training.data import TrainingExample
from simplex_training.hookspecs import hookimpl
from simplex_training.metrics import qa
from simplex_training.metrics.evaluator import Evaluator, gold
from simplex_training.metrics.extraction import field_scores, flatten, parse_json_object, total_matches
from simplex_training.registry import Register

FIELD_METRICS = ("field_f1", "field_precision", "field_recall", "total_accuracy")
QA_METRICS = ("exact_match", "token_f1")


def find_total(fields: Any) -> Any:
    """The value of a ``total`` field: top-level first, else the first nested ``*.total``."""
    if not isinstance(fields, dict):
        return None
    flat = flatten(fields)
    if "total" in flat:
        return flat["total"]
    return next((v for k, v in flat.items() if k.endswith(".total")), None)


class ExtractionEvaluator(Evaluator):
    name = "extraction"
    metrics = FIELD_METRICS + QA_METRICS

    def score(self, entry: CatalogEntry, examples: list[TrainingExample], outputs: list[str],
              requested: list[str]) -> dict[str, float]:
        out: dict[str, float] = {"n": float(len(examples))}
        field_req = [m for m in requested if m in FIELD_METRICS]
        qa_req = [m for m in requested if m in QA_METRICS]
        if field_req:
            out.update(self._fields(examples, outputs, field_req))
        if qa_req:
            out.update(self._qa(examples, outputs, qa_req))
        return out

    def _fields(self, examples: list[TrainingExample], outputs: list[str], requested: list[str]) -> dict[str, float]:
        metric = requested[0]
        golds = []
        for i, ex in enumerate(examples):
            g = gold(ex, "fields", metric, i)
            if not isinstance(g, dict):
                raise ValueError(f"metric '{metric}': metadata['fields'] of example #{i} is a {type(g).__name__}, "
                                 f"expected a dict of field values")
            golds.append(g)
        preds = [parse_json_object(text) for text in outputs]
        out = field_scores(preds, golds)
        out["json_rate"] = sum(p is not None for p in preds) / len(preds)
        if "total_accuracy" in requested:
            hits = n = 0
            for ex, g, p in zip(examples, golds, preds):
                g_total = find_total(g)
                if g_total is None:
                    g_total = ex.metadata.get("total")
                if g_total is None:
                    continue
                n += 1
                hits += total_matches(find_total(p), g_total)
            if n == 0:
                raise ValueError("metric 'total_accuracy': no example has a gold 'total' "
                                 "(in metadata['fields'] or metadata['total'])")
            out["total_accuracy"] = hits / n
            out["n_total"] = float(n)
        return out

    def _qa(self, examples: list[TrainingExample], outputs: list[str], requested: list[str]) -> dict[str, float]:
        metric = requested[0]
        golds = []
        for i, ex in enumerate(examples):
            g = ex.metadata.get("answers", ex.metadata.get("answer"))
            if g is None:
                gold(ex, "answer", metric, i)  # raises, naming the metric and example
            golds.append([str(a) for a in g] if isinstance(g, (list, tuple)) else str(g))
        preds = [qa.extract_answer(text) for text in outputs]
        n = len(golds)
        return {
            "exact_match": sum(qa.exact_match(p, g) for p, g in zip(preds, golds)) / n,
            "token_f1": sum(qa.token_f1(p, g) for p, g in zip(preds, golds)) / n,
        }


class ExtractionPlugin:
    @hookimpl
    def register_evaluators(self, register: Register) -> None:
        register(ExtractionEvaluator())


plugin = ExtractionPlugin()
