"""SQuAD normalisation, exact match and token F1, against the official script's behaviour."""

import pytest

from simplex_training.metrics.qa import exact_match, extract_answer, normalize_answer, token_f1


def test_normalize_answer():
    assert normalize_answer("The Eiffel  Tower!") == "eiffel tower"
    assert normalize_answer("an apple, a pear") == "apple pear"
    assert normalize_answer("theory") == "theory"  # articles only as whole words


def test_exact_match():
    assert exact_match("the Eiffel Tower.", "Eiffel tower") == 1.0
    assert exact_match("Eiffel", "Eiffel tower") == 0.0
    assert exact_match("Paris", ["London", "paris"]) == 1.0


def test_token_f1_hand_computed():
    # pred tokens [big, red, dog], gold [red, dog, barked]: overlap 2 -> P = R = 2/3
    assert token_f1("the big red dog", "a red dog barked") == pytest.approx(2 / 3)
    # repeated tokens are clipped: pred [red, red], gold [red] -> P 1/2, R 1 -> 2/3
    assert token_f1("red red", "red") == pytest.approx(2 / 3)
    assert token_f1("blue", "red") == 0.0
    assert token_f1("", "") == 1.0
    assert token_f1("the", "red") == 0.0
    assert token_f1("red", ["blue", "red car"]) == pytest.approx(2 / 3)


def test_extract_answer():
    assert extract_answer("Looking at the text...\nAnswer: 30 days [confidence: 0.90]") == "30 days"
    assert extract_answer("Answer: x\nAnswer: y\nextra line") == "y"
    assert extract_answer("\n  first line\nsecond") == "first line"
    assert extract_answer("") == ""
    assert extract_answer(None) == ""
