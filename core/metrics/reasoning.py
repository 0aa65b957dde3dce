"""Final-answer accuracy for reasoning tasks (chain of steps ending in ``Answer: <answer>``).

Scope
    :func:`extract_final_answer` takes the text after the last ``Answer:`` (up to the end of that
    line), else the last number in the response, else its last non-empty line; confidence tags
    (``[confidence: x]``) and trailing punctuation are removed. :func:`answers_match` decides
    correctness; accuracy is the fraction of correct answers (the GSM8K-style "final answer
    accuracy", Cobbe et al., "Training Verifiers to Solve Math Word Problems", 2021).

Matching rule (in order)
    1. Normalised string equality (lower case, whitespace collapsed, surrounding punctuation and
       ``**`` markup stripped, thousands separators removed).
    2. Numeric: the answer is split into its numbers and the text around them (the "shape", e.g.
       ``"forward <n>, backward <n>"`` or ``"<n> mg"``). Equal shapes and pairwise-close numbers
       match. When the gold has exactly one number (or only ``numeric_answer``), a prediction with
       exactly one number matches on that number alone, so ``"350"`` matches ``"350 mg"``.
    Two numbers are close when |p - g| <= 1e-6, or |p - g| <= 1e-3 |g|, or the prediction is
    written with exactly 2 decimals and equals g rounded half-up to 2 decimals.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ABS_TOL = 1e-6
REL_TOL = 1e-3

_ANSWER = re.compile(r"(?:final\s+)?answer\s*(?:is)?\s*[:=]", re.IGNORECASE)
_TAGS = re.compile(r"\[\s*confidence\s*:[^\]]*\]|\(\s*\d+(?:\.\d+)?\s*%\s*confidence\s*\)", re.IGNORECASE)
_NUM = re.compile(r"(?<![\w.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|(?<![\w.])[-+]?\.\d+")
_STRIP = " \t\r\n,;:!?*`\"'"


def _clean(s: str) -> str:
    """Strip surrounding blanks, quotes, markup and punctuation (a leading ``.5`` is kept)."""
    return s.strip(_STRIP).rstrip(".").strip(_STRIP)


def extract_final_answer(text: str | None) -> str:
    if not text:
        return ""
    text = _TAGS.sub(" ", text)
    matches = list(_ANSWER.finditer(text))
    if matches:
        rest = text[matches[-1].end():].strip()
        return _clean(rest.splitlines()[0] if rest else "")
    numbers = _NUM.findall(text)
    if numbers:
        return numbers[-1]
    lines = [_clean(line) for line in text.splitlines() if _clean(line)]
    return lines[-1] if lines else ""


def normalize(answer: str) -> str:
    s = _TAGS.sub(" ", answer).replace("**", "")
    s = re.sub(r"(?<=\d),(?=\d{3}\b)", "", s)
    return _clean(" ".join(s.lower().split()))


def _numbers(answer: str) -> tuple[list[str], str]:
    """The numbers of ``answer`` (as written) and its shape with numbers replaced by ``<n>``."""
    s = normalize(answer)
    nums = _NUM.findall(s)
    shape = _NUM.sub("<n>", s)
    return nums, " ".join(shape.split())


def _decimals(written: str) -> int:
    return len(written.split(".", 1)[1]) if "." in written else 0


def numbers_close(pred_written: str, gold: float) -> bool:
    try:
        p = float(pred_written.replace(",", ""))
    except ValueError:
        return False
    if abs(p - gold) <= ABS_TOL or abs(p - gold) <= REL_TOL * abs(gold):
        return True
    if _decimals(pred_written) == 2:
        try:
            g2 = Decimal(repr(gold)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            return Decimal(pred_written.replace(",", "")) == g2
        except (InvalidOperation, ValueError):
            return False
    return False


def answers_match(pred: str, gold: str, numeric_answer: float | None = None) -> bool:
    """Whether the predicted final answer equals the gold one (see module doc)."""
    if not pred.strip():
        return False
    if normalize(pred) == normalize(gold):
        return True
    p_nums, p_shape = _numbers(pred)
    g_nums, g_shape = _numbers(gold)
    if g_nums and p_shape == g_shape and len(p_nums) == len(g_nums):
        if all(numbers_close(p, float(g.replace(",", ""))) for p, g in zip(p_nums, g_nums)):
            return True
    if len(p_nums) == 1 and len(g_nums) <= 1:
        target = numeric_answer
        if target is None and g_nums:
            target = float(g_nums[0].replace(",", ""))
        if target is not None and numbers_close(p_nums[0], target):
            return True
    return False


def accuracy(preds: list[str], golds: list[str], numeric: list[float | None] | None = None) -> float:
    numeric = numeric or [None] * len(golds)
    if not (len(preds) == len(golds) == len(numeric)):
        raise ValueError("preds, golds and numeric answers differ in length")
    if not golds:
        return 0.0
    return sum(answers_match(p, g, n) for p, g, n in zip(preds, golds, numeric)) / len(golds)
