"""JSON parsing and field-level P/R/F1 with normalisation, numeric tolerance and multisets."""

import pytest

from simplex_training.metrics.extraction import (
    as_number,
    field_counts,
    field_scores,
    flatten,
    parse_json_object,
    total_matches,
    values_match,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Here you go: {"a": 1} and some trailing text {x', {"a": 1}),
        ('```json\n{"a": {"b": [1, 2]}}\n```\nDone.', {"a": {"b": [1, 2]}}),
        ("set {x} then {\"k\": \"v\"}", {"k": "v"}),
        ("{'name': 'Acme', 'paid': True}", {"name": "Acme", "paid": True}),
        ('{"a": 1', None),
        ("[1, 2, 3]", None),
        ("no json at all", None),
        ("", None),
    ],
)
def test_parse_json_object(text, expected):
    assert parse_json_object(text) == expected


def test_as_number():
    assert as_number("$1,234.50") == 1234.5
    assert as_number("12%") == 12.0
    assert as_number(-3) == -3.0
    assert as_number("2024-01-05") is None
    assert as_number("1.2.3") is None
    assert as_number(True) is None
    assert as_number("abc") is None


def test_values_match_rules():
    assert values_match("acme corp.", "Acme  Corp")
    assert values_match("$1,234.50", 1234.5)
    assert values_match(100.9, 100)  # 1 % relative
    assert not values_match(101.5, 100)
    assert values_match(0.509, 0.5)  # 0.01 absolute
    assert not values_match(0.52, 0.5)
    assert values_match(["b", "a"], ["A", "B"])
    assert not values_match(["a", "a"], ["a"])
    assert values_match({"City": "paris"}, {"city": "Paris"})
    assert not values_match("x", ["x"])


def test_field_counts_worked_example():
    gold = {"name": "Acme Corp", "total": 1234.5, "items": ["a", "b", "b"]}
    pred = {"Name": "acme corp.", "total": "$1,234.50", "items": ["b", "a", "c"]}
    # name TP, total TP, items: a,b matched (TP 2), c extra (FP 1), second b missing (FN 1)
    assert field_counts(pred, gold) == (4, 1, 1)
    scores = field_scores([pred], [gold])
    assert scores["field_precision"] == pytest.approx(0.8)
    assert scores["field_recall"] == pytest.approx(0.8)
    assert scores["field_f1"] == pytest.approx(0.8)


def test_missing_extra_and_wrong_fields():
    gold = {"a": 1, "b": 2}
    assert field_counts({"a": 1, "c": 3}, gold) == (1, 1, 1)  # c extra, b missing
    assert field_counts({"a": 1, "b": 3}, gold) == (1, 1, 1)  # b wrong: FP + FN
    assert field_counts(None, gold) == (0, 0, 2)
    assert field_counts({}, {"x": []}) == (0, 0, 1)
    assert field_counts({"x": []}, {"x": []}) == (1, 0, 0)


def test_nested_fields_are_flattened():
    gold = {"address": {"city": "Paris", "zip": "75001"}, "name": "Ann"}
    assert flatten(gold) == {"address.city": "Paris", "address.zip": "75001", "name": "Ann"}
    assert field_counts({"address": {"city": "paris"}, "name": "Ann"}, gold) == (2, 0, 1)


def test_lists_of_records_are_matched_as_multisets():
    gold = {"entities": [{"text": "Ann", "type": "PERSON"}, {"text": "Paris", "type": "LOC"}]}
    pred = {"entities": [{"type": "loc", "text": "paris"}, {"text": "Ann", "type": "ORG"}]}
    assert field_counts(pred, gold) == (1, 1, 1)


def test_micro_average_over_examples():
    golds = [{"a": 1, "b": 2}, {"c": "x"}]
    preds = [{"a": 1, "b": 2}, {"c": "y", "d": "z"}]
    s = field_scores(preds, golds)
    # TP 2, FP 2 (c wrong, d extra), FN 1 (c) -> P 2/4, R 2/3, F1 = 2*(.5)(2/3)/(.5+2/3) = 4/7
    assert (s["field_tp"], s["field_fp"], s["field_fn"]) == (2.0, 2.0, 1.0)
    assert s["field_f1"] == pytest.approx(4 / 7)
    assert field_scores([None], [{"a": 1}])["field_f1"] == 0.0
    assert field_scores([{}], [{}])["field_f1"] == 1.0  # nothing to extract, nothing extracted


def test_total_matches_one_percent():
    assert total_matches("$100.90", 100)
    assert not total_matches(102, 100)
    assert total_matches(0.509, 0.5)  # relative to max(|t|, 1)
    assert not total_matches(None, 100)
    assert not total_matches("n/a", 100)
    with pytest.raises(ValueError):
        total_matches(1, "not a number")
