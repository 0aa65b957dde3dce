"""Contract of every registered evaluator: perfect outputs score top, empty outputs score low.

Each evaluator is run on contract cases (catalog-style entries plus gold examples, real generators
where they exist) that together request every metric it claims. Perfect outputs are the gold
responses themselves; for calibration the gold states confidence 1.0 on right answers, so "top" is
ECE = Brier = 0. Every result value must be a finite float in [0, 1] or a count, and runs repeat
exactly.
"""

from __future__ import annotations

import json

import pytest

from simplex_training.catalog import METRICS, CatalogEntry, builtin_catalog
from simplex_training.data import TrainingExample
from simplex_training.pluginmanager import get_host

SCHEMA = ["CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL)"]
ROWS = ["INSERT INTO t VALUES (1, 'a', 1.5), (2, 'b', 3.0), (3, 'c', 3.0)"]


def _entry(task: str, metrics: list[str], labels: list[str] | None = None) -> CatalogEntry:
    return CatalogEntry(id=f"contract_{task}", name="Contract", category="contract", description="contract case",
                        task_type=task, lora_preset="simple", size_class="small", generator="contract",
                        labels=labels, metrics=[{"name": m, "threshold": 0.5} for m in metrics])


def _real(sid: str, n: int = 40) -> tuple[CatalogEntry, list[TrainingExample]]:
    return builtin_catalog()[sid], list(get_host().registry("generators")[sid].generate(n, seed=9))


def _ex(response: str, **meta) -> TrainingExample:
    return TrainingExample(prompt="contract prompt", response=response, metadata=meta)


def _classification():
    return [_real("sentiment_analysis")]


def _extraction():
    invoices = []
    for i, total in enumerate((12.5, 300.0, 99.99)):
        fields = {"invoice_number": f"N-{i}", "vendor": f"Shop {i}", "total": total, "items": ["pen", "ink"][: i + 1]}
        invoices.append(_ex(json.dumps(fields), fields=fields))
    return [_real("opinion_mining"), _real("context_protocol"),
            (_entry("extraction", ["field_f1", "field_precision", "field_recall", "total_accuracy"]), invoices)]


def _generation():
    sqls = ["SELECT name FROM t WHERE score > 2", "SELECT COUNT(*) FROM t", "SELECT name FROM t ORDER BY score DESC, id"]
    sql_case = [_ex(s, reference=s, sql=s, schema=SCHEMA, rows=ROWS) for s in sqls]
    code = "def double(x):\n    return 2 * x\n"
    code_case = [_ex(code, reference=code, entry_point="double", tests=["assert double(2) == 4", "assert double(0) == 0"])]
    texts = ["The meeting moved to Friday at ten.", "Please restart the router and try again.",
             "Das Haus ist gross und alt."]
    text_case = [_ex(t, reference=t) for t in texts]
    return [(_entry("generation", ["exact_match", "valid_sql", "execution_accuracy"]), sql_case),
            (_entry("generation", ["pass_rate"]), code_case),
            (_entry("generation", ["rouge_l", "bleu", "chrf", "exact_match"]), text_case)]


def _reasoning():
    return [_real("neural_ir")]


def _calibration():
    case = [_ex(f"Answer: {a} [confidence: 1.00]", answer=a, confidence=1.0, correct=True) for a in ("yes", "no", "red")]
    return [(_entry("calibration", ["accuracy", "ece", "brier"]), case)]


CASES = {"classification": _classification, "extraction": _extraction, "generation": _generation,
         "reasoning": _reasoning, "calibration": _calibration}
NAMES = sorted(get_host().registry("evaluators").names())


@pytest.fixture(scope="module", params=NAMES)
def runs(request):
    """(evaluator, [(entry, examples, perfect, perfect_again, empty), ...]) for one evaluator."""
    name = request.param
    evaluator = get_host().registry("evaluators")[name]
    if name not in CASES:
        pytest.fail(f"no contract cases for evaluator '{name}': add them to CASES in {__file__}")
    out = []
    for entry, examples in CASES[name]():
        perfect = evaluator.evaluate(entry, examples, [ex.response for ex in examples])
        again = evaluator.evaluate(entry, examples, [ex.response for ex in examples])
        empty = evaluator.evaluate(entry, examples, [""] * len(examples))
        out.append((entry, examples, perfect, again, empty))
    return evaluator, out


def test_declares_name_and_known_metrics(runs):
    evaluator, _ = runs
    assert isinstance(evaluator.name, str) and evaluator.name
    assert evaluator.metrics and set(evaluator.metrics) <= set(METRICS)


def test_cases_cover_every_claimed_metric(runs):
    evaluator, cases = runs
    covered = {m.name for entry, *_ in cases for m in entry.metrics}
    assert covered == set(evaluator.metrics)


def test_perfect_outputs_score_top(runs):
    _, cases = runs
    for entry, _examples, perfect, *_ in cases:
        for m in entry.metrics:
            top = 1.0 if METRICS[m.name] else 0.0
            assert perfect[m.name] == pytest.approx(top), (entry.id, m.name, perfect[m.name])


def test_empty_outputs_score_low(runs):
    _, cases = runs
    for entry, _examples, _p, _a, empty in cases:
        for m in entry.metrics:
            low_enough = empty[m.name] <= 0.05 if METRICS[m.name] else empty[m.name] >= 0.5
            assert low_enough, (entry.id, m.name, empty[m.name])


def test_values_are_unit_floats_or_counts(runs):
    _, cases = runs
    for entry, _examples, perfect, _again, empty in cases:
        for result in (perfect, empty):
            for key, value in result.items():
                assert type(value) is float, (key, type(value))
                assert value == value and value >= 0.0, (key, value)
                if key in METRICS:
                    assert value <= 1.0, (key, value)
                else:
                    assert value <= 1.0 or value.is_integer(), (key, value)


def test_deterministic(runs):
    _, cases = runs
    for _entry_, _examples, perfect, again, _empty in cases:
        assert perfect == again


def test_refuses_metrics_it_does_not_compute(runs):
    evaluator, cases = runs
    entry, examples = cases[0][0], cases[0][1]
    foreign = next((m for m in METRICS if m not in evaluator.metrics), None)
    if foreign is None:
        pytest.skip("this evaluator claims every known metric")
    bad = entry.model_copy(update={"metrics": [type(entry.metrics[0])(name=foreign, threshold=0.5)]})
    with pytest.raises(ValueError, match=foreign):
        evaluator.evaluate(bad, examples, [ex.response for ex in examples])


def test_rejects_length_mismatch(runs):
    evaluator, cases = runs
    entry, examples = cases[0][0], cases[0][1]
    with pytest.raises(ValueError):
        evaluator.evaluate(entry, examples, [ex.response for ex in examples][:-1])
