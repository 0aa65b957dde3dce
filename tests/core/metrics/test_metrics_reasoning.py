"""Final-answer extraction and tolerant answer matching for reasoning tasks."""

import pytest

from simplex_training.metrics.reasoning import accuracy, answers_match, extract_final_answer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 + 4 = 7\nAnswer: 7.", "7"),
        ("Answer: 1\nchecking again\nAnswer: 7", "7"),
        ("Posterior odds = 1.5\nAnswer: 0.60 [confidence: 0.60]", "0.60"),
        ("The final answer is: **Paris**", "Paris"),
        ("we get 12 apples, then 15 in total", "15"),
        ("no numbers\nlast line here.", "last line here"),
        ("Answer: .5", ".5"),
        ("", ""),
        (None, ""),
    ],
)
def test_extract_final_answer(text, expected):
    assert extract_final_answer(text) == expected


@pytest.mark.parametrize(
    ("pred", "gold", "numeric", "expected"),
    [
        ("42", "42", None, True),
        ("42.0", "42", 42.0, True),
        ("1,234", "1234", None, True),
        ("0.1235", "0.12345", None, True),      # relative 1e-3
        ("0.124", "0.12345", None, False),      # 4.4e-3 relative: too far, 3 decimals written
        ("0.0000005", "0", None, True),         # absolute 1e-6
        ("0.13", "0.125", None, True),          # 2-decimal rounding, half up (Python's round gives 0.12)
        ("0.12", "0.125", None, False),
        ("0", "0.004", None, False),            # the rounding rule needs 2 written decimals
        ("350", "350 mg", 350.0, True),          # gold has one number: units may be omitted
        ("350.0 mg", "350 mg", 350.0, True),
        ("351 mg", "350 mg", 350.0, False),
        ("forward 1, backward 0.1234", "forward 1, backward 0.1234", 0.1234, True),
        ("forward 0, backward 0.1234", "forward 1, backward 0.1234", 0.1234, False),
        ("0.1234", "forward 1, backward 0.1234", 0.1234, False),  # two gold numbers: both needed
        ("Paris", "paris", None, True),
        ("B", "C", None, False),
        ("", "0", 0.0, False),
        ("-2.5", "-2.50", -2.5, True),
    ],
)
def test_answers_match(pred, gold, numeric, expected):
    assert answers_match(pred, gold, numeric) is expected


def test_accuracy():
    assert accuracy(["7", "8", "x"], ["7", "9", "x"]) == pytest.approx(2 / 3)
    assert accuracy([], []) == 0.0
    with pytest.raises(ValueError):
        accuracy(["1"], ["1", "2"])
