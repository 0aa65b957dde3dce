"""The generation evaluator plugin: text overlap, exact match, SQL and code metrics."""

import pytest

from simplex_training.catalog import CatalogEntry, builtin_catalog
from simplex_training.data import TrainingExample
from simplex_training.pluginmanager import get_host

SCHEMA = ["CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, amount REAL)"]
ROWS = ["INSERT INTO orders VALUES (1, 'Ann', 10.5), (2, 'Bob', 99.0), (3, 'Ann', 7.25)"]
SQLS = ["SELECT customer, SUM(amount) FROM orders GROUP BY customer",
        "SELECT id FROM orders WHERE amount > 10 ORDER BY amount DESC",
        "SELECT COUNT(*) FROM orders WHERE customer = 'Ann'"]


def _entry(*metrics):
    return CatalogEntry(id="gen_demo", name="Demo", category="coding", description="demo", task_type="generation",
                        lora_preset="code", size_class="small", generator="sql_generation",
                        metrics=[{"name": m, "threshold": 0.5} for m in metrics])


def _sql_examples():
    return [TrainingExample(prompt=f"q{i}", response=s, metadata={"reference": s, "sql": s, "schema": SCHEMA, "rows": ROWS})
            for i, s in enumerate(SQLS)]


@pytest.fixture(scope="module")
def evaluator():
    return get_host().registry("evaluators")["generation"]


def test_registered():
    host = get_host()
    assert "evaluators.generation" in host.infos
    assert set(host.registry("evaluators")["generation"].metrics) == {
        "rouge_l", "bleu", "chrf", "exact_match", "valid_sql", "execution_accuracy", "pass_rate"}


@pytest.mark.parametrize("sid", ["response_generation", "translation"])
def test_real_generator_perfect_and_garbage(evaluator, sid):
    entry = builtin_catalog()[sid]
    examples = list(get_host().registry("generators")[sid].generate(60, seed=5))
    perfect = evaluator.evaluate(entry, examples, [ex.response for ex in examples])
    assert all(perfect[m.name] == pytest.approx(1.0) for m in entry.metrics)
    assert all(m.passes(perfect[m.name]) for m in entry.metrics)
    garbage = evaluator.evaluate(entry, examples, ["qqq zzz"] * len(examples))
    assert all(garbage[m.name] < 0.05 for m in entry.metrics)


def test_sql_metrics(evaluator):
    entry = _entry("exact_match", "valid_sql", "execution_accuracy")
    examples = _sql_examples()
    perfect = evaluator.evaluate(entry, examples, [f"```sql\n{s};\n```" for s in SQLS])
    assert perfect["exact_match"] == perfect["valid_sql"] == perfect["execution_accuracy"] == 1.0
    outputs = [
        "select customer, sum(amount) from orders group by customer order by customer",  # same rows, other text
        "SELECT id FROM orders WHERE amount > 10 ORDER BY amount ASC",  # gold orders: wrong order
        "SELECT COUNT(*) FROM order_table",  # unknown table
    ]
    r = evaluator.evaluate(entry, examples, outputs)
    assert r["exact_match"] == 0.0
    assert r["valid_sql"] == pytest.approx(2 / 3)
    assert r["execution_accuracy"] == pytest.approx(1 / 3)


def test_exact_match_normalises_whitespace_only(evaluator):
    entry = _entry("exact_match")
    examples = [TrainingExample(prompt="p", response="A b", metadata={"reference": "name: Ann\nage: 3"})] * 2
    r = evaluator.evaluate(entry, examples, ["name:  Ann age: 3 ", "Name: Ann\nage: 3"])
    assert r["exact_match"] == 0.5


def test_pass_rate(evaluator):
    entry = _entry("pass_rate")
    tests = ["assert square(3) == 9", "assert square(2) == 4"]
    examples = [TrainingExample(prompt="p", response="r", metadata={"entry_point": "square", "tests": tests})] * 4
    outputs = ["```python\ndef square(x):\n    return x * x\n```", "def square(x):\n    return x + x\n",
               "def square(x):\n    while True:\n        pass\n", "Sorry, I cannot help."]
    slow = type(evaluator)(code_timeout=1.0)
    r = slow.evaluate(entry, examples, outputs)
    assert r["pass_rate"] == 0.25
    assert r["timeouts"] == 1.0
    assert r["tests_passed_fraction"] == pytest.approx((1 + 0.5 + 0 + 0) / 4)  # x + x passes square(2) only


def test_code_generation_generator_passes_its_own_tests(evaluator):
    entry = builtin_catalog()["code_generation"]
    examples = list(get_host().registry("generators")["code_generation"].generate(6, seed=1))
    assert evaluator.evaluate(entry, examples, [ex.response for ex in examples])["pass_rate"] == 1.0
    assert evaluator.evaluate(entry, examples, ["pass"] * 6)["pass_rate"] == 0.0


def test_missing_gold_metadata_names_the_metric(evaluator):
    with pytest.raises(ValueError, match="'execution_accuracy'.*rows"):
        evaluator.evaluate(_entry("execution_accuracy"),
                           [TrainingExample(prompt="p", response="r", metadata={"sql": "SELECT 1", "schema": SCHEMA})],
                           ["SELECT 1"])
    with pytest.raises(ValueError, match="rouge_l"):
        evaluator.evaluate(_entry("rouge_l"), [TrainingExample(prompt="p", response="r")], ["x"])
