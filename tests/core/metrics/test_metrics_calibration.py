"""Confidence parsing, (lo, hi] binning, ECE and Brier against hand-computed values."""

import pytest

from simplex_training.metrics.calibration import (
    accuracy,
    bin_index,
    brier_score,
    expected_calibration_error,
    parse_confidence,
    reliability_bins,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Answer: yes [confidence: 0.87]", 0.87),
        ("Answer: yes [confidence: 85%]", 0.85),
        ("Confidence: 85", 0.85),
        ("my confidence: 0.4.", 0.4),
        ("It is Paris (90% confidence)", 0.9),
        ("confidence: 150", 1.0),
        ("[confidence: 0.2] first, then [confidence: 0.7]", 0.7),
        ("I am quite confident", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_confidence(text, expected):
    got = parse_confidence(text)
    assert got == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("c", "b"), [(0.0, 0), (0.05, 0), (0.1, 0), (0.10001, 1), (0.3, 2), (0.30001, 3), (0.7, 6), (0.9, 8), (1.0, 9)]
)
def test_bins_are_left_open_right_closed(c, b):
    assert bin_index(c) == b


def test_ece_and_brier_hand_computed():
    conf = [0.1, 0.3, 0.3, 0.85, 0.95]
    y = [False, True, False, True, True]
    # bins: (0,.1] n1 conf .1 acc 0 -> .1*1/5; (.2,.3] n2 conf .3 acc .5 -> .2*2/5;
    # (.8,.9] n1 |1-.85| -> .15/5; (.9,1] n1 |1-.95| -> .05/5   => .02+.08+.03+.01
    assert expected_calibration_error(conf, y) == pytest.approx(0.14)
    # Brier: (.01 + .49 + .09 + .0225 + .0025) / 5
    assert brier_score(conf, y) == pytest.approx(0.123)
    assert accuracy(y) == 0.6
    bins = reliability_bins(conf, y)
    assert bins[2] == (2, pytest.approx(0.3), 0.5)
    assert bins[5] == (0, 0.0, 0.0)


def test_perfect_and_worst_calibration():
    assert expected_calibration_error([1.0, 1.0], [True, True]) == 0.0
    assert brier_score([1.0, 0.0], [True, False]) == 0.0
    assert expected_calibration_error([1.0, 1.0], [False, False]) == 1.0
    assert brier_score([1.0], [False]) == 1.0
    # calibrated on average within a bin: 4 answers at .75 with 3 right
    assert expected_calibration_error([0.75] * 4, [1, 1, 1, 0]) == pytest.approx(0.0)


def test_errors():
    with pytest.raises(ValueError):
        expected_calibration_error([], [])
    with pytest.raises(ValueError):
        brier_score([0.5], [True, False])
    with pytest.raises(ValueError):
        expected_calibration_error([1.5], [True])
