"""The catalog: the shipped YAML validates; malformed catalogs fail naming file, entry and field."""

import pytest

from simplex_training.catalog import METRICS, builtin_catalog, load_catalog_file, load_catalog_text
from simplex_training.errors import CatalogError

GOOD = """
specialists:
  - id: demo_one
    name: Demo One
    category: demo
    description: A demo specialist
    task_type: classification
    lora_preset: simple
    size_class: small
    generator: demo_one
    labels: [alpha, beta]
    metrics:
      - {name: accuracy, threshold: 0.8}
"""


def test_builtin_catalog_has_61_entries_in_at_least_17_categories():
    cat = builtin_catalog()
    assert len(cat) >= 61
    assert len({e.category for e in cat.values()} - {"core"}) >= 17
    assert "neural_ir" in cat


def test_builtin_catalog_covers_the_original_catalog():
    import pathlib

    import yaml

    ref = pathlib.Path(__file__).resolve().parents[3] / "shared" / "reference" / "specialists_catalog.original.yaml"
    if not ref.exists():
        pytest.skip("../shared is not beside the checkout")
    orig = yaml.safe_load(ref.read_text())
    ids = {sid for cat, entries in orig.items() if not cat.startswith("_") for sid in entries}
    assert ids <= set(builtin_catalog())


def test_thresholds_at_least_as_strict_as_the_original():
    cat = builtin_catalog()
    assert cat["sentiment_analysis"].threshold("accuracy") >= 0.85
    assert cat["sentiment_analysis"].threshold("macro_f1") >= 0.84
    assert cat["sentiment_analysis"].labels == ["positive", "negative", "neutral", "mixed"]
    assert cat["sql_generation"].threshold("exact_match") >= 0.60
    assert cat["sql_generation"].threshold("valid_sql") >= 0.90
    assert cat["invoice_processing"].threshold("field_f1") >= 0.75
    assert cat["invoice_processing"].threshold("total_accuracy") >= 0.80
    for sid in ("news_summarization", "meeting_summarization", "document_summarization", "multi_doc_summarization"):
        assert cat[sid].threshold("rouge_l") >= 0.35
    for entry in cat.values():
        if entry.task_type.value in ("classification", "reasoning"):
            assert entry.threshold("accuracy") >= 0.80, entry.id


def test_every_entry_has_a_known_task_type_and_preset():
    for entry in builtin_catalog().values():
        assert entry.task_type.value in {"classification", "extraction", "generation", "reasoning", "calibration"}
        assert entry.lora["rank"] in (8, 16, 32)
        assert all(m.name in METRICS for m in entry.metrics)


def test_good_catalog_parses():
    (entry,) = load_catalog_text(GOOD, "demo.yaml")
    assert entry.id == "demo_one" and entry.source == "demo.yaml"


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("task_type: classification", "task_type: poetry", "task_type"),
        ("size_class: small", "size_class: 12", "size_class"),
        ("threshold: 0.8", "threshold: 1.7", "metrics.0.threshold"),
        ("threshold: 0.8", "threshold: high", "metrics.0.threshold"),
        ("name: accuracy", "name: vibes", "metrics.0.name"),
        ("lora_preset: simple", "lora_preset: huge", "lora_preset"),
        ("labels: [alpha, beta]", "labels: [yes]", "labels"),
        ("    name: Demo One\n", "", "name"),
        ("id: demo_one", "id: Demo One", "id"),
    ],
)
def test_malformed_entry_names_file_entry_and_field(old, new, field):
    bad = GOOD.replace(old, new)
    with pytest.raises(CatalogError) as err:
        load_catalog_text(bad, "catalog/demo.yaml")
    msg = str(err.value)
    assert "catalog/demo.yaml" in msg
    assert "demo_one" in msg or "Demo One" in msg
    assert field in msg


def test_duplicate_id_is_an_error():
    doc = GOOD + GOOD.split("specialists:\n", 1)[1]
    with pytest.raises(CatalogError, match=r"demo.yaml: entry 'demo_one': field 'id': duplicate id"):
        load_catalog_text(doc, "demo.yaml")


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("specialists:\n  - id: x\n    name: [unclosed\n")
    with pytest.raises(CatalogError, match=r"broken.yaml: line \d+"):
        load_catalog_file(path)


def test_wrong_top_level_shape():
    with pytest.raises(CatalogError, match="specialists"):
        load_catalog_text("- just a list\n", "x.yaml")


def test_unknown_generator_is_reported_with_file_and_entry(register_plugin, simplex_host):
    from simplex_training import hookimpl

    class Orphan:
        @hookimpl
        def register_specialists(self, register):
            register(load_catalog_text(GOOD.replace("generator: demo_one", "generator: nowhere"), "orphan.yaml")[0])

    register_plugin(Orphan(), "specialists.orphan")
    with pytest.raises(CatalogError, match=r"orphan.yaml: entry 'demo_one': field 'generator': unknown generator 'nowhere'"):
        simplex_host.registry("specialists")


def test_lora_overrides_refine_the_preset_and_unknown_keys_fail():
    entry = builtin_catalog()["sentiment_analysis"]
    assert entry.lora["rank"] == 8 and entry.lora["targets"] == ["all"]
    bad = GOOD.replace("lora_preset: simple", "lora_preset: simple\n    lora_overrides: {rnak: 4}")
    with pytest.raises(CatalogError, match="lora_overrides.*rnak"):
        load_catalog_text(bad, "demo.yaml")


def test_training_defaults_are_checked_like_a_config_file():
    entry = load_catalog_text(GOOD.replace("size_class: small", "size_class: small\n    training: {token_budget: 1000000}"),
                              "demo.yaml")[0]
    assert entry.training == {"token_budget": 1000000}
    for bad, message in (("{token_budgt: 5}", "field 'training'.*unknown fine-tuning setting.*token_budgt"),
                         ("{token_budget: 0}", "field 'training'.*token_budget must be >= 1")):
        with pytest.raises(CatalogError, match=f"demo.yaml: entry 'demo_one': {message}"):
            load_catalog_text(GOOD.replace("size_class: small", f"size_class: small\n    training: {bad}"), "demo.yaml")
