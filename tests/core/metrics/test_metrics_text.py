"""ROUGE-L, corpus BLEU and chrF on small examples worked by hand from their definitions."""

import math

import pytest

from simplex_training.metrics.text import (
    bleu_statistics,
    corpus_bleu,
    corpus_chrf,
    corpus_rouge_l,
    lcs_length,
    rouge_l,
)


def test_lcs():
    assert lcs_length(list("ABCBDAB"), list("BDCABA")) == 4  # CLRS example
    assert lcs_length([], ["a"]) == 0


def test_rouge_l_hand_computed():
    ref = "The cat sat on the mat."
    # LCS("the cat on the mat", ref) = 5: R = 5/6, P = 1 -> F = 2RP/(R+P) = 10/11
    assert rouge_l("the cat on the mat", ref) == pytest.approx(10 / 11)
    # hyp "mat the on": LCS = 2 ("the on"): P = 2/3, R = 1/3 -> F = 4/9
    assert rouge_l("mat the on", ref) == pytest.approx(4 / 9)
    assert rouge_l(ref, ref) == 1.0
    assert rouge_l("", ref) == 0.0
    assert rouge_l("dog", ref) == 0.0
    assert corpus_rouge_l(["the cat on the mat", "mat the on"], [ref, ref]) == pytest.approx((10 / 11 + 4 / 9) / 2)


def test_bleu_statistics_clip_counts():
    m, t, hl, rl = bleu_statistics("the the the the", "the cat the mat")
    assert (m[0], t[0], hl, rl) == (2, 4, 4, 4)  # 'the' clipped to its 2 reference occurrences


def test_bleu_all_orders_matched():
    # unigram 4/5, bigram 3/4, trigram 2/3, 4-gram 1/2; c=5 < r=6 -> BP = exp(1 - 6/5)
    expected = math.exp(-0.2) * (4 / 5 * 3 / 4 * 2 / 3 * 1 / 2) ** 0.25
    assert corpus_bleu(["a b c d e"], ["a b c d f g"]) == pytest.approx(expected)


def test_bleu_exp_smoothing():
    # p1 = 3/4, p2 = 1/3, p3: 0 of 2 -> 1/(2*2), p4: 0 of 1 -> 1/(4*1); BP = 1 (c = r)
    expected = (3 / 4 * 1 / 3 * 1 / 4 * 1 / 4) ** 0.25
    assert corpus_bleu(["a b x d"], ["a b c d"]) == pytest.approx(expected)
    assert expected == pytest.approx(2**-1.5)


def test_bleu_is_corpus_level_not_a_mean():
    # summed statistics: all n-grams match, c = 6, r = 8 -> BLEU = BP = exp(1 - 8/6)
    assert corpus_bleu(["a b c d", "a b"], ["a b c d", "a b c d"]) == pytest.approx(math.exp(-1 / 3))


def test_bleu_edge_cases():
    assert corpus_bleu(["a b"], ["a b"]) == 1.0  # effective order: no 3/4-grams anywhere
    assert corpus_bleu([""], ["a b c"]) == 0.0
    assert corpus_bleu(["x y z w"], ["a b c d"]) == 0.0
    assert corpus_bleu(["Hello , world !"], ["Hello, world!"]) == 1.0  # punctuation split
    with pytest.raises(ValueError):
        corpus_bleu(["a"], [])


def test_chrf_hand_computed():
    # n=1: hyp {a,b} ref {a,b,c}: P 1, R 2/3; n=2: hyp {ab} ref {ab,bc}: P 1, R 1/2;
    # n>=3: no hypothesis n-gram -> skipped. chrP = 1, chrR = 7/12, F2 = 5*chrP*chrR/(4*chrP+chrR) = 7/11
    assert corpus_chrf(["ab"], ["abc"]) == pytest.approx(7 / 11)
    assert corpus_chrf(["a b"], ["ab"]) == 1.0  # whitespace is ignored
    assert corpus_chrf([""], ["abc"]) == 0.0
    assert corpus_chrf(["xyz"], ["abc"]) == 0.0


def test_chrf_weights_recall_over_precision():
    # hyp 'abcd' vs ref 'ab': high recall, low precision; the reverse scores lower with beta = 2
    assert corpus_chrf(["abcd"], ["ab"]) > corpus_chrf(["ab"], ["abcd"])


def test_scores_in_unit_interval():
    hyps, refs = ["the quick brown fox", "jumps over"], ["a quick brown dog", "jumped over it"]
    for f in (corpus_bleu, corpus_chrf, corpus_rouge_l):
        assert 0.0 < f(hyps, refs) < 1.0
