"""Extractive question-answering metrics: SQuAD exact match and token F1.

Scope and reference
    The official SQuAD v1.1/v2.0 evaluation script (Rajpurkar et al., "SQuAD: 100,000+ Questions
    for Machine Comprehension of Text", EMNLP 2016): answers are normalised by lower-casing,
    removing punctuation, removing the articles *a*, *an*, *the* and collapsing whitespace. Exact
    match is equality of the normalised strings; token F1 is the F1 of the bag-of-tokens overlap
    (``Counter`` intersection). With several gold answers the best score is taken. When both the
    prediction and the gold normalise to no token, F1 is 1 (SQuAD v2 convention for no-answer);
    when only one does, it is 0.

    :func:`extract_answer` takes the text after the last ``Answer:`` (a response frame used by the
    generators), else the first non-empty line, dropping ``[confidence: x]`` tags.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCT = set(string.punctuation)
_ANSWER = re.compile(r"answer\s*:", re.IGNORECASE)
_CONFIDENCE_TAG = re.compile(r"\[\s*confidence\s*:[^\]]*\]|\(\s*\d+(?:\.\d+)?\s*%\s*confidence\s*\)", re.IGNORECASE)


def normalize_answer(s: str) -> str:
    """SQuAD normalisation: lower, drop punctuation, drop articles, collapse whitespace."""
    s = s.lower()
    s = "".join(ch for ch in s if ch not in _PUNCT)
    s = _ARTICLES.sub(" ", s)
    return " ".join(s.split())


def extract_answer(text: str | None) -> str:
    """The answer part of a response (see module doc); ``""`` for an empty response."""
    if not text:
        return ""
    text = _CONFIDENCE_TAG.sub(" ", text)
    matches = list(_ANSWER.finditer(text))
    if matches:
        rest = text[matches[-1].end():].strip()
        return rest.splitlines()[0].strip() if rest else ""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def exact_match(prediction: str, gold: str | Sequence[str]) -> float:
    golds = [gold] if isinstance(gold, str) else list(gold)
    p = normalize_answer(prediction)
    return max((1.0 if p == normalize_answer(g) else 0.0 for g in golds), default=0.0)


def _f1_one(prediction: str, gold: str) -> float:
    p_toks, g_toks = normalize_answer(prediction).split(), normalize_answer(gold).split()
    if not p_toks or not g_toks:
        return float(p_toks == g_toks)
    common = sum((Counter(p_toks) & Counter(g_toks)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(p_toks), common / len(g_toks)
    return 2 * precision * recall / (precision + recall)


def token_f1(prediction: str, gold: str | Sequence[str]) -> float:
    golds = [gold] if isinstance(gold, str) else list(gold)
    return max((_f1_one(prediction, g) for g in golds), default=0.0)
