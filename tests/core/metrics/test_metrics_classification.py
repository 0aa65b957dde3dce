"""Label extraction and classification scores, checked against hand-computed values."""

import pytest

from simplex_training.metrics.classification import (
    accuracy,
    classification_report,
    extract_label,
    macro_f1,
    per_label_prf,
)

SENT = ["positive", "negative", "neutral", "mixed"]


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        ("Sentiment: neutral", SENT, "neutral"),
        ("Sentiment: mixed", SENT, "mixed"),
        ("Aspect: battery\nSentiment: negative", ["positive", "negative", "neutral"], "negative"),
        ("I first thought positive.\nSentiment: negative", SENT, "negative"),
        ("**Category:** billing", ["billing", "technical", "account"], "billing"),
        ("Severity: high\nReason: the customer mentions a low battery", ["low", "medium", "high"], "high"),
        ("Label: not_claim", ["claim", "not_claim"], "not_claim"),
        ("This is not claim material", ["claim", "not_claim"], "not_claim"),
        ("The sentence states a claim.", ["claim", "not_claim"], "claim"),
        ("The policy is non-compliant with rule 4", ["compliant", "non_compliant"], "non_compliant"),
        ("The policy is compliant", ["compliant", "non_compliant"], "compliant"),
        ("Relevance: partially relevant", ["relevant", "partially_relevant", "not_relevant"], "partially_relevant"),
        ("it is not relevant at all", ["relevant", "partially_relevant", "not_relevant"], "not_relevant"),
        ("The review is mixed, though partly positive", SENT, "mixed"),
        ("POSITIVE", SENT, "positive"),
        ("[confidence: 0.90] Category: account", ["billing", "account"], "account"),
        ("Verdict: not enough info", ["supported", "refuted", "not_enough_info"], "not_enough_info"),
        ("The author writes positively", SENT, None),
        ("no label here", SENT, None),
        ("", SENT, None),
        (None, SENT, None),
    ],
)
def test_extract_label(text, labels, expected):
    assert extract_label(text, labels) == expected


def test_label_line_beats_an_earlier_mention():
    # a preferred "Label:" line wins over the first mention in prose
    text = "The reviewer hates the price but the verdict is clear.\nLabel: positive"
    assert extract_label(text, SENT) == "positive"
    # a non-preferred key line counts only when its value starts with a label
    assert extract_label("Summary: negative tone overall", SENT) == "negative"
    assert extract_label("Note: nothing negative\nthen positive", SENT) == "negative"


def test_macro_f1_counts_a_label_never_predicted():
    gold = ["a", "a", "b", "c"]
    pred = ["a", "a", "b", "b"]
    prf = per_label_prf(gold, pred, ["a", "b", "c"])
    assert prf["a"] == (1.0, 1.0, 1.0, 2)
    assert prf["b"][:3] == pytest.approx((0.5, 1.0, 2 / 3))
    assert prf["c"] == (0.0, 0.0, 0.0, 1)
    assert macro_f1(gold, pred, ["a", "b", "c"]) == pytest.approx((1 + 2 / 3 + 0) / 3)
    assert accuracy(gold, pred) == 0.75


def test_label_absent_from_gold_and_predictions_is_skipped():
    gold, pred = ["a", "a", "b", "c"], ["a", "a", "b", "b"]
    report = classification_report(gold, pred, ["a", "b", "c", "d"])
    assert report["macro_f1"] == pytest.approx(5 / 9)
    assert report["n_labels_scored"] == 3
    assert report["f1_d"] == 0.0


def test_predicted_but_never_gold_label_lowers_macro_f1():
    # 'c' is predicted once but never gold: P(c) = 0 -> F1(c) = 0 is averaged in
    report = classification_report(["a", "b"], ["a", "c"], ["a", "b", "c"])
    assert report["macro_f1"] == pytest.approx((1 + 0 + 0) / 3)


def test_unparsed_predictions_are_wrong_not_crashes():
    report = classification_report(["a", "b"], ["a", None], ["a", "b"])
    assert report["accuracy"] == 0.5
    # a: tp1 fp0 fn0 -> F1 1; b: tp0 fn1 (no prediction is not a 'b') -> F1 0
    assert report["macro_f1"] == pytest.approx(0.5)
    assert report["recall_b"] == 0.0
    assert report["unparsed"] == 0.5


def test_report_values_and_errors():
    report = classification_report(["a", "b", "b"], ["a", "b", "a"], ["a", "b"])
    # a: tp1 fp1 fn0 -> P .5 R 1 F 2/3; b: tp1 fp0 fn1 -> P 1 R .5 F 2/3
    assert report["f1_a"] == pytest.approx(2 / 3) and report["f1_b"] == pytest.approx(2 / 3)
    assert report["precision_a"] == 0.5 and report["recall_b"] == 0.5
    assert report["support_b"] == 2.0 and report["n"] == 3.0
    assert all(isinstance(v, float) for v in report.values())
    with pytest.raises(ValueError, match="not among"):
        classification_report(["zzz"], ["a"], ["a", "b"])
    with pytest.raises(ValueError):
        accuracy(["a"], ["a", "b"])
