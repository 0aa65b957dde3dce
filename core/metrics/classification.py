"""Classification metrics: label extraction from generated text, accuracy, per-label P/R/F1, macro-F1.

Scope
    :func:`extract_label` finds the predicted label in free text; :func:`classification_report`
    scores predicted against gold labels.

Definitions
    Precision, recall and F1 per label follow the usual one-vs-rest counts (van Rijsbergen's F1 =
    2PR/(P+R)); macro-F1 is their unweighted mean over the labels of the catalog entry (Sokolova &
    Lapalme, "A systematic analysis of performance measures for classification tasks", 2009).

Fixes with respect to the original system (original-system.md §5)
    * Every label of the entry is recognised (the original only knew ``positive``/``negative``, so
      gold ``neutral``/``mixed`` could never be matched).
    * Macro-F1 runs over *all* labels of the entry, including labels the model never predicts (their
      F1 is 0). A label that occurs neither in the gold nor in the predictions has no defined F1 and
      is skipped (``n_labels_scored`` says how many were averaged).
    * A missing or unparsable prediction counts as wrong (a false negative of the gold label), never
      as a crash.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

# keys of "Key: value" lines that announce the answer of a classifier
PREFERRED_KEYS = frozenset({
    "label", "category", "class", "classification", "sentiment", "intent", "topic", "severity",
    "priority", "verdict", "prediction", "predicted label", "answer", "result", "output", "decision",
    "relevance", "stance", "polarity", "issue", "type", "tone", "level",
})
_KEY_LINE = re.compile(r"^[\s>*#-]*\**\s*([A-Za-z][A-Za-z _-]{0,40}?)\s*\**\s*[:=]\s*(.*)$")
_CONFIDENCE_TAG = re.compile(r"\[\s*confidence\s*:[^\]]*\]", re.IGNORECASE)


@lru_cache(maxsize=512)
def _label_regex(label: str) -> re.Pattern[str]:
    """``non_compliant`` also matches ``non-compliant``/``non compliant``; bounded on both sides."""
    parts = [p for p in re.split(r"[_\-\s]+", label.strip()) if p]
    body = r"[\s_-]+".join(re.escape(p) for p in parts)
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


def _first_label(text: str, labels: Sequence[str], at_start: bool = False) -> str | None:
    """The earliest label mention in ``text``; at equal positions the longest label wins.

    With ``at_start`` the mention must begin the text (after quotes/markup).
    """
    best: tuple[int, int, str] | None = None  # (start, -length, label)
    for label in labels:
        m = _label_regex(label).search(text)
        if m is None:
            continue
        key = (m.start(), -(m.end() - m.start()), label)
        if best is None or key < best:
            best = key
    if best is None:
        return None
    if at_start and text[: best[0]].strip(" \t\"'`*_.([{") != "":
        return None
    return best[2]


def extract_label(text: str | None, labels: Sequence[str]) -> str | None:
    """The label a generated response states, or ``None``.

    Order of preference: (1) a ``Label:``/``Category:``/``Sentiment:``-style line (see
    :data:`PREFERRED_KEYS`) whose value mentions a label; (2) any ``Key: value`` line whose value
    starts with a label; (3) the first label mentioned anywhere, by word boundary. At one position
    the longest label wins, so ``not_claim`` beats ``claim`` and ``non-compliant`` beats
    ``compliant``. ``[confidence: x]`` tags are ignored.
    """
    if not text or not labels:
        return None
    text = _CONFIDENCE_TAG.sub(" ", text)
    key_lines = []
    for line in text.splitlines():
        m = _KEY_LINE.match(line)
        if m:
            key_lines.append((m.group(1).strip().lower().replace("_", " "), m.group(2)))
    for key, value in key_lines:
        if key in PREFERRED_KEYS:
            found = _first_label(value, labels)
            if found is not None:
                return found
    for _key, value in key_lines:
        found = _first_label(value, labels, at_start=True)
        if found is not None:
            return found
    return _first_label(text, labels)


def _safe_div(a: float, b: float) -> float:
    return a / b if b else 0.0


def per_label_prf(
    gold: Sequence[str], pred: Sequence[str | None], labels: Sequence[str]
) -> dict[str, tuple[float, float, float, int]]:
    """``label -> (precision, recall, f1, support)`` with one-vs-rest counts.

    Undefined ratios (no predictions of a label, no gold instance) are 0.
    """
    out: dict[str, tuple[float, float, float, int]] = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred) if g == label and p != label)
        precision, recall = _safe_div(tp, tp + fp), _safe_div(tp, tp + fn)
        f1 = _safe_div(2 * precision * recall, precision + recall)
        out[label] = (precision, recall, f1, tp + fn)
    return out


def accuracy(gold: Sequence[str], pred: Sequence[str | None]) -> float:
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    return _safe_div(sum(1 for g, p in zip(gold, pred) if g == p), len(gold))


def macro_f1(gold: Sequence[str], pred: Sequence[str | None], labels: Sequence[str]) -> float:
    """Mean F1 over every label that occurs in the gold or in the predictions (see module doc)."""
    scored = [label for label in labels if label in gold or label in pred]
    if not scored:
        return 0.0
    prf = per_label_prf(gold, pred, scored)
    return sum(prf[label][2] for label in scored) / len(scored)


def classification_report(gold: Sequence[str], pred: Sequence[str | None], labels: Sequence[str]) -> dict[str, float]:
    """``accuracy``, ``macro_f1`` and flat extras: ``precision_<l>``, ``recall_<l>``, ``f1_<l>``,
    ``support_<l>``, ``n``, ``n_labels_scored``, ``unparsed`` (fraction of predictions with no label).
    """
    unknown = sorted({g for g in gold if g not in labels})
    if unknown:
        raise ValueError(f"gold labels {unknown} are not among the entry's labels {list(labels)}")
    out: dict[str, float] = {"accuracy": accuracy(gold, pred), "macro_f1": macro_f1(gold, pred, labels)}
    for label, (p, r, f, support) in per_label_prf(gold, pred, labels).items():
        out[f"precision_{label}"], out[f"recall_{label}"], out[f"f1_{label}"] = p, r, f
        out[f"support_{label}"] = float(support)
    out["n"] = float(len(gold))
    out["n_labels_scored"] = float(sum(1 for label in labels if label in gold or label in pred))
    out["unparsed"] = _safe_div(sum(1 for p in pred if p is None), len(pred))
    return out
