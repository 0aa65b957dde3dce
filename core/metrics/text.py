"""Text-overlap metrics for generation: ROUGE-L, corpus BLEU and chrF, all in [0, 1].

ROUGE-L (Lin, "ROUGE: A Package for Automatic Evaluation of Summaries", ACL workshop 2004, §3.1)
    Sentence-level LCS on tokens: R = LCS/|ref|, P = LCS/|hyp|,
    F = (1 + b^2) R P / (R + b^2 P) with b = 1 (the F-measure reported by Google's ``rouge-score``).
    Tokens: lower-cased ``\\w+`` runs (``rouge-score`` keeps ``[a-z0-9]+``; ``\\w`` also keeps
    non-ASCII letters). The corpus score is the mean of per-example F.

BLEU (Papineni et al., "BLEU: a Method for Automatic Evaluation of Machine Translation", ACL 2002)
    Corpus level: clipped n-gram matches and hypothesis n-gram counts are summed over the corpus
    for n = 1..4; BLEU = BP * exp(mean_n log p_n), BP = exp(1 - r/c) when c <= r else 1, with c and
    r the total hypothesis and reference lengths. Tokens: ``\\w+`` runs and single punctuation
    marks, case kept (close to sacreBLEU's ``13a`` tokenizer). Smoothing: Chen & Cherry (2014)
    method 3 ("exp", the NIST mteval smoothing, sacreBLEU's default): the k-th order with zero
    matches gets p_n = 1 / (2^k * total_n). Orders for which the corpus has no hypothesis n-gram
    at all are left out of the mean (sacreBLEU's ``effective_order``). No unigram match -> 0.

chrF (Popović, "chrF: character n-gram F-score for automatic MT evaluation", WMT 2015)
    Character n-grams for n = 1..6 with whitespace removed; statistics summed over the corpus;
    chrP and chrR are the averages over n of the n-gram precision and recall (orders with no
    hypothesis or no reference n-gram are skipped), chrF_b = (1 + b^2) chrP chrR / (b^2 chrP + chrR)
    with b = 2 (recall weighted twice as much), as in sacreBLEU's ``CHRF`` (scaled to [0, 1]).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

_WORD = re.compile(r"\w+", re.UNICODE)
_BLEU_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


# -- ROUGE-L -------------------------------------------------------------------------------------


def rouge_tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence (dynamic programming, two rows)."""
    if len(a) < len(b):
        a, b = b, a
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            cur[j] = prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1])
        prev = cur
    return prev[-1]


def rouge_l(hypothesis: str, reference: str, beta: float = 1.0) -> float:
    """ROUGE-L F-measure of one pair (0 when either side has no token)."""
    hyp, ref = rouge_tokens(hypothesis), rouge_tokens(reference)
    if not hyp or not ref:
        return 0.0
    lcs = lcs_length(hyp, ref)
    if lcs == 0:
        return 0.0
    r, p = lcs / len(ref), lcs / len(hyp)
    return (1 + beta**2) * r * p / (r + beta**2 * p)


def corpus_rouge_l(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses but {len(references)} references")
    if not references:
        return 0.0
    return sum(rouge_l(h, r) for h, r in zip(hypotheses, references)) / len(references)


# -- BLEU ----------------------------------------------------------------------------------------


def bleu_tokens(text: str) -> list[str]:
    return _BLEU_TOKEN.findall(text)


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def bleu_statistics(hypothesis: str, reference: str, max_order: int = 4) -> tuple[list[int], list[int], int, int]:
    """(matches per order, hypothesis n-grams per order, hypothesis length, reference length)."""
    hyp, ref = bleu_tokens(hypothesis), bleu_tokens(reference)
    matches, totals = [], []
    for n in range(1, max_order + 1):
        h, r = _ngrams(hyp, n), _ngrams(ref, n)
        matches.append(sum(min(c, r[g]) for g, c in h.items()))
        totals.append(max(0, len(hyp) - n + 1))
    return matches, totals, len(hyp), len(ref)


def corpus_bleu(hypotheses: Sequence[str], references: Sequence[str], max_order: int = 4) -> float:
    """Corpus BLEU in [0, 1] (see module doc for tokenisation and smoothing)."""
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses but {len(references)} references")
    matches, totals = [0] * max_order, [0] * max_order
    hyp_len = ref_len = 0
    for h, r in zip(hypotheses, references):
        m, t, hl, rl = bleu_statistics(h, r, max_order)
        matches = [a + b for a, b in zip(matches, m)]
        totals = [a + b for a, b in zip(totals, t)]
        hyp_len, ref_len = hyp_len + hl, ref_len + rl
    if hyp_len == 0 or matches[0] == 0:
        return 0.0
    log_p, k = [], 1.0
    for m, t in zip(matches, totals):
        if t == 0:
            break  # effective order: no hypothesis n-gram of this order anywhere
        if m == 0:
            k *= 2
            log_p.append(math.log(1.0 / (k * t)))
        else:
            log_p.append(math.log(m / t))
    bp = 1.0 if hyp_len > ref_len else math.exp(1 - ref_len / hyp_len)
    return min(1.0, bp * math.exp(sum(log_p) / len(log_p)))


# -- chrF ----------------------------------------------------------------------------------------


def _char_ngrams(text: str, n: int) -> Counter[str]:
    s = "".join(text.split())
    return Counter(s[i : i + n] for i in range(len(s) - n + 1))


def chrf_statistics(hypothesis: str, reference: str, order: int = 6) -> list[tuple[int, int, int]]:
    """Per order n: (hypothesis n-grams, reference n-grams, clipped matches)."""
    out = []
    for n in range(1, order + 1):
        h, r = _char_ngrams(hypothesis, n), _char_ngrams(reference, n)
        out.append((sum(h.values()), sum(r.values()), sum((h & r).values())))
    return out


def corpus_chrf(hypotheses: Sequence[str], references: Sequence[str], order: int = 6, beta: float = 2.0) -> float:
    """Corpus chrF in [0, 1] (see module doc)."""
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses but {len(references)} references")
    stats = [[0, 0, 0] for _ in range(order)]
    for h, r in zip(hypotheses, references):
        for i, (a, b, c) in enumerate(chrf_statistics(h, r, order)):
            stats[i][0] += a
            stats[i][1] += b
            stats[i][2] += c
    precisions, recalls = [], []
    for n_hyp, n_ref, n_match in stats:
        if n_hyp > 0 and n_ref > 0:
            precisions.append(n_match / n_hyp)
            recalls.append(n_match / n_ref)
    if not precisions:
        return 0.0
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    if p + r == 0:
        return 0.0
    return (1 + beta**2) * p * r / (beta**2 * p + r)
