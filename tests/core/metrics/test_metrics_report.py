"""Before/after comparison against catalog thresholds, including lower-is-better metrics."""

from simplex_training.catalog import CatalogEntry
from simplex_training.metrics.report import compare

ENTRY = CatalogEntry(
    id="calib_demo", name="Calibration demo", category="core", description="demo", task_type="calibration",
    lora_preset="simple", size_class="small", generator="confidence_calibration",
    metrics=[{"name": "accuracy", "threshold": 0.8}, {"name": "ece", "threshold": 0.1}],
)


def test_pass_and_fail_per_metric():
    report = compare(ENTRY, {"accuracy": 0.5, "ece": 0.3}, {"accuracy": 0.85, "ece": 0.12, "n": 200.0})
    acc, ece = report["metrics"]["accuracy"], report["metrics"]["ece"]
    assert acc["passed"] and not acc["passed_before"]
    assert acc["delta"] == 0.85 - 0.5 and acc["threshold"] == 0.8 and acc["higher_is_better"]
    assert not ece["passed"] and not ece["higher_is_better"]  # 0.12 > 0.1 (lower is better)
    assert report["passed"] is False
    assert report["extras"] == {"n": 200.0}
    assert report["specialist"] == "calib_demo" and report["task_type"] == "calibration"


def test_overall_pass_and_missing_values():
    assert compare(ENTRY, None, {"accuracy": 0.8, "ece": 0.1})["passed"] is True  # thresholds are inclusive
    report = compare(ENTRY, {}, {"accuracy": 0.9})
    assert report["metrics"]["ece"]["after"] is None and not report["metrics"]["ece"]["passed"]
    assert report["metrics"]["accuracy"]["before"] is None and report["metrics"]["accuracy"]["delta"] is None
    assert report["passed"] is False
    assert compare(ENTRY, None, {"accuracy": float("nan"), "ece": 0.0})["metrics"]["accuracy"]["passed"] is False
