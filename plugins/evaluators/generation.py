"""Evaluator for ``generation`` specialists; dispatches on the metrics the entry requests.

* ``rouge_l``, ``bleu``, ``chrf``: against ``metadata["reference"]`` (:mod:`...metrics.text`;
  ROUGE-L is the mean per-example F, BLEU and chrF are corpus-level).
* ``exact_match``: whitespace-normalised equality with ``reference``; for text-to-SQL examples
  (``metadata["sql"]`` present) the SQL extracted from the output is compared with ``sql`` after
  SQL normalisation (:func:`...metrics.sql.normalize_sql`).
* ``valid_sql``, ``execution_accuracy``: SQLite against ``schema`` (+ ``rows``)
  (:mod:`...metrics.sql`).
* ``pass_rate``: pass@1 of the code in the output against ``metadata["tests"]`` in a sandboxed
  subprocess (:mod:`...metrics.code`); the tests call ``metadata["entry_point"]``, so code that
  does not define that function fails.

Only the requested metrics are computed (SQL and code runs are costly). Extras: ``n``; with
``pass_rate`` also ``tests_passed_fraction`` and ``timeouts`` (a count).
"""

from __future__ import annotations

from simplex_training.catalog import CatalogEntry
from simplex_training.data import TrainingExample
from simplex_training.hookspecs import hookimpl
from simplex_training.metrics import code, sql, text
from simplex_training.metrics.evaluator import Evaluator, gold
from simplex_training.registry import Register


def normalize_whitespace(s: str) -> str:
    return " ".join(s.split())


class GenerationEvaluator(Evaluator):
    name = "generation"
    metrics = ("rouge_l", "bleu", "chrf", "exact_match", "valid_sql", "execution_accuracy", "pass_rate")

    def __init__(self, code_timeout: float = code.DEFAULT_TIMEOUT, sql_timeout: float = sql.DEFAULT_TIMEOUT,
                 workers: int = 2):
        self.code_timeout = code_timeout
        self.sql_timeout = sql_timeout
        self.workers = workers

    def score(self, entry: CatalogEntry, examples: list[TrainingExample], outputs: list[str],
              requested: list[str]) -> dict[str, float]:
        n = len(examples)
        out: dict[str, float] = {"n": float(n)}
        is_sql = all("sql" in ex.metadata for ex in examples)
        text_metrics = [m for m in requested if m in ("rouge_l", "bleu", "chrf") or (m == "exact_match" and not is_sql)]
        if text_metrics:
            refs = [str(gold(ex, "reference", text_metrics[0], i)) for i, ex in enumerate(examples)]
            if "rouge_l" in requested:
                out["rouge_l"] = text.corpus_rouge_l(outputs, refs)
            if "bleu" in requested:
                out["bleu"] = text.corpus_bleu(outputs, refs)
            if "chrf" in requested:
                out["chrf"] = text.corpus_chrf(outputs, refs)
            if "exact_match" in requested and not is_sql:
                out["exact_match"] = sum(normalize_whitespace(o) == normalize_whitespace(r)
                                         for o, r in zip(outputs, refs)) / n
        sql_metrics = [m for m in requested
                       if m in ("valid_sql", "execution_accuracy") or (m == "exact_match" and is_sql)]
        if sql_metrics:
            out.update(self._sql(examples, outputs, sql_metrics))
        if "pass_rate" in requested:
            out.update(self._code(examples, outputs))
        return out

    def _sql(self, examples: list[TrainingExample], outputs: list[str], requested: list[str]) -> dict[str, float]:
        n = len(examples)
        preds = [sql.extract_sql(o) for o in outputs]
        golds = [str(gold(ex, "sql", requested[0], i)) for i, ex in enumerate(examples)]
        out: dict[str, float] = {}
        if "exact_match" in requested:
            out["exact_match"] = sum(sql.sql_exact_match(p, g) for p, g in zip(preds, golds)) / n
        if "valid_sql" in requested:
            schemas = [gold(ex, "schema", "valid_sql", i) for i, ex in enumerate(examples)]
            out["valid_sql"] = sum(sql.is_valid_sql(p, s, self.sql_timeout) for p, s in zip(preds, schemas)) / n
        if "execution_accuracy" in requested:
            hits = 0
            for i, (ex, p, g) in enumerate(zip(examples, preds, golds)):
                schema = gold(ex, "schema", "execution_accuracy", i)
                rows = gold(ex, "rows", "execution_accuracy", i)
                try:
                    hits += sql.execution_match(p, g, schema, rows, self.sql_timeout)
                except ValueError as exc:
                    raise ValueError(f"metric 'execution_accuracy': example #{i}: {exc}") from exc
            out["execution_accuracy"] = hits / n
        return out

    def _code(self, examples: list[TrainingExample], outputs: list[str]) -> dict[str, float]:
        tests = []
        for i, ex in enumerate(examples):
            t = gold(ex, "tests", "pass_rate", i)
            if not isinstance(t, list) or not t:
                raise ValueError(f"metric 'pass_rate': metadata['tests'] of example #{i} must be a non-empty list")
            tests.append([str(a) for a in t])
        results = code.pass_at_1([code.extract_code(o) for o in outputs], tests, self.code_timeout, self.workers)
        n = len(results)
        return {
            "pass_rate": sum(r.passed for r in results) / n,
            "tests_passed_fraction": sum(r.tests_passed / r.tests_total for r in results if r.tests_total) / n,
            "timeouts": float(sum(r.error == "Timeout" for r in results)),
        }


class GenerationPlugin:
    @hookimpl
    def register_evaluators(self, register: Register) -> None:
        register(GenerationEvaluator())


plugin = GenerationPlugin()
