"""Structured-extraction metrics: JSON parsing of responses and field-level precision/recall/F1.

Scope
    :func:`parse_json_object` pulls the first JSON object out of a response; :func:`field_counts`
    compares a predicted field dict against the gold ``metadata["fields"]``; :func:`field_scores`
    micro-averages the counts over a data set (the usual slot-filling / key-information-extraction
    scoring, e.g. the CORD and SROIE "field-level F1": each field value is one decision).

Matching
    Nested dicts are flattened to dotted keys (``address.city``); keys are compared case- and
    separator-insensitively. Scalars match when, after normalisation (case, whitespace,
    punctuation), the strings are equal, or when both read as numbers (``$1,234.50``, ``12%``) that
    agree within 0.01 absolute or 1 % relative. Lists are multisets of normalised items: each item
    is one decision (TP for a matched item, FP for an extra predicted one, FN for a missing gold
    one); an empty list is one item ``[]``.

Counts per field (as in the original's invoice evaluator, original-system.md §5): both present and
matching -> TP; both present and different -> FP + FN; predicted only -> FP; gold only -> FN.
Fix with respect to the original: gold values come from ``metadata["fields"]`` (the real values),
never from the whole metadata dict or from a list of key names.
"""

from __future__ import annotations

import ast
import json
import math
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

ABS_TOL = 0.01
REL_TOL = 0.01
_EMPTY = "[]"
_PUNCT = re.compile("[" + re.escape(string.punctuation) + "]")
_NUMBER = re.compile(r"^[-+]?[$€£¥]?\s*(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?\s*%?$")


def parse_json_object(text: str | None) -> dict[str, Any] | None:
    """The first ``{...}`` in ``text`` that parses as a JSON object (trailing text is ignored).

    Falls back to a Python-literal reading (single quotes, ``True``/``None``) of a brace-balanced
    span. Returns ``None`` when there is none.
    """
    if not text:
        return None
    decoder = json.JSONDecoder()
    starts = [m.start() for m in re.finditer(r"\{", text)]
    for start in starts:
        try:
            obj, _end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict):
            return obj
    for start in starts:
        span = _balanced(text, start)
        if span is None:
            continue
        try:
            obj = ast.literal_eval(span)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            continue
        if isinstance(obj, dict):
            return obj
    return None


def _balanced(text: str, start: int) -> str | None:
    depth = 0
    for i in range(start, min(len(text), start + 100_000)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
    return None


def normalize_text(value: Any) -> str:
    """Lower case, punctuation to spaces, whitespace collapsed."""
    return " ".join(_PUNCT.sub(" ", str(value).lower()).split())


def as_number(value: Any) -> float | None:
    """A float for numbers and numeric strings (``"$1,234.50"``, ``"12%"``), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    s = value.strip()
    m = _NUMBER.match(s)
    if not m or not (m.group(1) or m.group(2)):
        return None
    digits = re.sub(r"[^\d.\-+]", "", s)
    try:
        return float(digits)
    except ValueError:
        return None


def numbers_close(a: float, b: float, abs_tol: float = ABS_TOL, rel_tol: float = REL_TOL) -> bool:
    return abs(a - b) <= abs_tol or abs(a - b) <= rel_tol * abs(b)


def values_match(pred: Any, gold: Any) -> bool:
    """Recursive match: numbers with tolerance, strings normalised, dicts key-wise, lists as multisets."""
    if isinstance(gold, Mapping) or isinstance(pred, Mapping):
        if not (isinstance(gold, Mapping) and isinstance(pred, Mapping)):
            return False
        g, p = _norm_keys(gold), _norm_keys(pred)
        return g.keys() == p.keys() and all(values_match(p[k], g[k]) for k in g)
    if isinstance(gold, (list, tuple)) or isinstance(pred, (list, tuple)):
        if not (isinstance(gold, (list, tuple)) and isinstance(pred, (list, tuple))):
            return False
        tp, fp, fn = multiset_counts(pred, gold)
        return fp == 0 and fn == 0
    gn, pn = as_number(gold), as_number(pred)
    if gn is not None and pn is not None:
        return numbers_close(pn, gn)
    if gold is None or pred is None:
        return gold is None and pred is None
    return normalize_text(pred) == normalize_text(gold)


def multiset_counts(pred: Sequence[Any], gold: Sequence[Any]) -> tuple[int, int, int]:
    """(TP, FP, FN) of a greedy one-to-one matching of predicted to gold items."""
    if not gold and not pred:
        return 1, 0, 0
    used = [False] * len(pred)
    tp = 0
    for g in gold:
        for j, p in enumerate(pred):
            if not used[j] and values_match(p, g):
                used[j] = True
                tp += 1
                break
    return tp, len(pred) - tp, len(gold) - tp


def _norm_key(key: Any) -> str:
    return re.sub(r"[\s_\-]+", "_", str(key).strip().lower())


def _norm_keys(d: Mapping[str, Any]) -> dict[str, Any]:
    return {_norm_key(k): v for k, v in d.items()}


def flatten(fields: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts to dotted, normalised keys; lists and scalars are leaves."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        name = prefix + _norm_key(key)
        if isinstance(value, Mapping) and value:
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def field_counts(pred: Mapping[str, Any] | None, gold: Mapping[str, Any]) -> tuple[int, int, int]:
    """(TP, FP, FN) of one example; ``pred=None`` (no JSON found) misses every gold field."""
    g = flatten(gold)
    p = flatten(pred) if pred else {}
    tp = fp = fn = 0
    for key in g.keys() | p.keys():
        if key not in p:
            fn += _size(g[key])
        elif key not in g:
            fp += _size(p[key])
        elif isinstance(g[key], (list, tuple)) and isinstance(p[key], (list, tuple)):
            a, b, c = multiset_counts(p[key], g[key])
            tp, fp, fn = tp + a, fp + b, fn + c
        elif values_match(p[key], g[key]):
            tp += 1
        else:
            fp += _size(p[key])
            fn += _size(g[key])
    return tp, fp, fn


def _size(value: Any) -> int:
    return max(1, len(value)) if isinstance(value, (list, tuple)) else 1


def field_scores(preds: Iterable[Mapping[str, Any] | None], golds: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """Micro-averaged ``field_precision``, ``field_recall``, ``field_f1`` plus ``field_tp/fp/fn``.

    With no decision at all (no gold and no predicted field anywhere) every score is 1.0.
    """
    tp = fp = fn = 0
    for p, g in zip(preds, golds, strict=True):
        a, b, c = field_counts(p, g)
        tp, fp, fn = tp + a, fp + b, fn + c
    if tp + fp + fn == 0:
        precision = recall = f1 = 1.0
    else:
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"field_precision": precision, "field_recall": recall, "field_f1": f1,
            "field_tp": float(tp), "field_fp": float(fp), "field_fn": float(fn)}


def total_matches(pred: Any, gold: Any, rel_tol: float = REL_TOL) -> bool:
    """The original's invoice total rule: ``|p - t| / max(|t|, 1) <= 1 %``."""
    g, p = as_number(gold), as_number(pred)
    if g is None:
        raise ValueError(f"gold total {gold!r} is not a number")
    return p is not None and abs(p - g) / max(abs(g), 1.0) <= rel_tol
