"""The extraction evaluator plugin: field F1 / total accuracy and QA exact match / token F1."""

import json

import pytest

from simplex_training.catalog import CatalogEntry, builtin_catalog
from simplex_training.data import TrainingExample
from simplex_training.pluginmanager import get_host

INVOICE = CatalogEntry(
    id="invoice_demo", name="Invoice demo", category="finance", description="demo", task_type="extraction",
    lora_preset="standard", size_class="small", generator="invoice_processing",
    metrics=[{"name": "field_f1", "threshold": 0.75}, {"name": "total_accuracy", "threshold": 0.8},
             {"name": "field_precision", "threshold": 0.5}, {"name": "field_recall", "threshold": 0.5}],
)


def _invoice(i, total, **extra):
    fields = {"invoice_number": f"INV-{i:04d}", "vendor": f"Vendor {i}", "total": total, **extra}
    return TrainingExample(prompt=f"Invoice {i}", response=json.dumps(fields), metadata={"fields": fields})


@pytest.fixture(scope="module")
def evaluator():
    return get_host().registry("evaluators")["extraction"]


def test_registered():
    host = get_host()
    assert "evaluators.extraction" in host.infos
    ev = host.registry("evaluators")["extraction"]
    assert set(ev.metrics) == {"field_f1", "field_precision", "field_recall", "total_accuracy", "exact_match", "token_f1"}


def test_opinion_mining_perfect_and_garbage(evaluator):
    entry = builtin_catalog()["opinion_mining"]
    examples = list(get_host().registry("generators")["opinion_mining"].generate(100, seed=2))
    perfect = evaluator.evaluate(entry, examples, [ex.response for ex in examples])
    assert perfect["field_f1"] == 1.0 and perfect["json_rate"] == 1.0
    assert all(m.passes(perfect[m.name]) for m in entry.metrics)
    garbage = evaluator.evaluate(entry, examples, ["The customer liked it."] * len(examples))
    assert garbage["field_f1"] == 0.0 and garbage["json_rate"] == 0.0


def test_context_protocol_qa_perfect_and_garbage(evaluator):
    entry = builtin_catalog()["context_protocol"]
    examples = list(get_host().registry("generators")["context_protocol"].generate(100, seed=2))
    perfect = evaluator.evaluate(entry, examples, [ex.response for ex in examples])
    assert perfect["exact_match"] == 1.0 and perfect["token_f1"] == 1.0
    garbage = evaluator.evaluate(entry, examples, ["Answer: zzqx"] * len(examples))
    assert garbage["exact_match"] == 0.0 and garbage["token_f1"] == 0.0


def test_invoice_fields_and_total_hand_computed(evaluator):
    examples = [_invoice(1, 100.0), _invoice(2, 250.5), _invoice(3, 80.0)]
    outputs = [
        'Extracted: {"invoice_number": "inv-0001", "vendor": "Vendor 1", "total": "$100.90"} done',  # 3 TP, total ok
        '{"invoice_number": "INV-0002", "vendor": "Other", "total": 260}',  # 1 TP, 2 FP, 2 FN, total off
        "I could not read it.",  # 3 FN
    ]
    r = evaluator.evaluate(INVOICE, examples, outputs)
    # TP 4, FP 2, FN 5 -> P 4/6, R 4/9
    assert r["field_precision"] == pytest.approx(4 / 6)
    assert r["field_recall"] == pytest.approx(4 / 9)
    assert r["field_f1"] == pytest.approx(2 * (4 / 6) * (4 / 9) / (4 / 6 + 4 / 9))
    assert r["total_accuracy"] == pytest.approx(1 / 3) and r["n_total"] == 3.0
    assert r["json_rate"] == pytest.approx(2 / 3)


def test_total_from_nested_field_or_metadata(evaluator):
    nested = TrainingExample(prompt="p", response="r", metadata={"fields": {"totals": {"total": "1,000.00"}}})
    meta = TrainingExample(prompt="q", response="r", metadata={"fields": {"vendor": "A"}, "total": 50})
    r = evaluator.evaluate(INVOICE, [nested, meta], ['{"totals": {"total": 1000}}', '{"vendor": "A", "total": 50.2}'])
    assert r["total_accuracy"] == 1.0


def test_errors(evaluator):
    no_total = [TrainingExample(prompt="p", response="r", metadata={"fields": {"vendor": "A"}})]
    with pytest.raises(ValueError, match="total_accuracy"):
        evaluator.evaluate(INVOICE, no_total, ['{"vendor": "A"}'])
    with pytest.raises(ValueError, match="metadata\\['fields'\\]"):
        evaluator.evaluate(INVOICE, [TrainingExample(prompt="p", response="r", metadata={"answer": "x"})], ["x"])
    qa_entry = builtin_catalog()["faq_answering"]
    with pytest.raises(ValueError, match="exact_match"):
        evaluator.evaluate(qa_entry, [TrainingExample(prompt="p", response="r", metadata={})], ["x"])
