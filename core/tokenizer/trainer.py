"""Train an SPM vocabulary (llama.cpp ``llama`` tokenizer) with a BPE merge learner.

Scope: :func:`train_spm` turns a corpus into an :class:`SPMTokenizer` of exactly ``vocab_size``
tokens: ``<unk> <s> </s>``, the chat control tokens, 256 byte tokens, the most frequent characters
(``character_coverage`` of all characters; ``▁`` always), then merged pieces.

Method (classic BPE, Sennrich et al. 2016, over word frequencies): every text is escaped the way
the encoder sees it (``"▁" + text.replace(" ", "▁")``) and cut into counting units, each a run of
``▁`` followed by letters, one digit, underscores, punctuation, or a run of other whitespace. The
units are only for counting; every learned piece has the form ``▁*[^▁]*``, which keeps the
tokenizer's exact word-split encoding path valid (see :mod:`simplex_training.tokenizer.spm`).
The most frequent adjacent pair is merged repeatedly (ties: lexicographically smallest pair),
with incremental pair-count updates. Merge ``k`` (from 1) gets score ``-k``, so llama.cpp's
highest-score-first merging replays the merges in the learned order. Pieces never exceed
:data:`~simplex_training.tokenizer.spm.MAX_PIECE_BYTES` bytes. Fully deterministic.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from simplex_training.tokenizer.spm import (
    BOS_PIECE,
    CHAT_PIECES,
    EOS_PIECE,
    MAX_PIECE_BYTES,
    SPACE,
    UNK_PIECE,
    SPMTokenizer,
    byte_piece,
)

_UNITS = re.compile(f"{SPACE}*(?:[^\\W\\d_]+|\\d|_+|[^\\w\\s{SPACE}]+)|{SPACE}+|\\s+")


def _count_units(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        if text:
            counts.update(_UNITS.findall(SPACE + text.replace(" ", SPACE)))
    return counts


def _choose_chars(units: Counter[str], coverage: float, limit: int) -> tuple[list[str], list[str]]:
    """Characters kept as pieces (most frequent first) and the rest, most frequent first."""
    chars: Counter[str] = Counter()
    for unit, c in units.items():
        for ch in unit:
            chars[ch] += c
    ranked = sorted(chars, key=lambda ch: (-chars[ch], ch))
    total = sum(chars.values())
    kept: list[str] = []
    covered = 0
    for ch in ranked:
        if kept and covered >= coverage * total:
            break
        kept.append(ch)
        covered += chars[ch]
    if SPACE not in kept[:limit]:  # "▁" is always a piece
        kept = [ch for ch in kept if ch != SPACE][: limit - 1] + [SPACE]
    kept = kept[:limit]
    kept_set = set(kept)
    rest = [ch for ch in ranked if ch not in kept_set]
    return kept, rest


def _split_words(units: Counter[str], alphabet: set[str]) -> tuple[list[list[str]], list[int]]:
    """Symbol lists (split at characters outside the alphabet) with their counts, sorted."""
    words: Counter[tuple[str, ...]] = Counter()
    for unit, c in units.items():
        seg: list[str] = []
        for ch in unit:
            if ch in alphabet:
                seg.append(ch)
            elif seg:
                words[tuple(seg)] += c
                seg = []
        if seg:
            words[tuple(seg)] += c
    keys = sorted(w for w in words if len(w) > 1)
    return [list(w) for w in keys], [words[w] for w in keys]


def _learn_merges(words: list[list[str]], counts: list[int], n_merges: int, reserved: set[str]) -> list[str]:
    """Up to ``n_merges`` new pieces, in merge order."""
    pair_count: dict[tuple[str, str], int] = {}
    where: dict[tuple[str, str], set[int]] = {}
    for i, (w, c) in enumerate(zip(words, counts)):
        for p in zip(w, w[1:]):
            pair_count[p] = pair_count.get(p, 0) + c
            where.setdefault(p, set()).add(i)
    heap = [(-c, a, b) for (a, b), c in pair_count.items()]
    heapq.heapify(heap)
    known = set(reserved)
    for w in words:
        known.update(w)
    pieces: list[str] = []
    while heap and len(pieces) < n_merges:
        negc, a, b = heapq.heappop(heap)
        pair = (a, b)
        if pair_count.get(pair, 0) != -negc:
            continue  # stale entry
        merged = a + b
        if merged in reserved or len(merged.encode("utf-8")) > MAX_PIECE_BYTES:
            continue  # never merge this pair (it is not pushed again unless its count changes)
        if merged not in known:
            known.add(merged)
            pieces.append(merged)
        changed: set[tuple[str, str]] = set()
        for i in sorted(where.pop(pair, ())):
            w, c = words[i], counts[i]
            new: list[str] = []
            j, n = 0, len(w)
            while j < n:
                if j + 1 < n and w[j] == a and w[j + 1] == b:
                    new.append(merged)
                    j += 2
                else:
                    new.append(w[j])
                    j += 1
            if len(new) == n:
                continue
            for p in zip(w, w[1:]):
                pair_count[p] -= c
                changed.add(p)
            for p in zip(new, new[1:]):
                pair_count[p] = pair_count.get(p, 0) + c
                where.setdefault(p, set()).add(i)
                changed.add(p)
            words[i] = new
        pair_count.pop(pair, None)
        for p in changed:
            c = pair_count.get(p, 0)
            if c > 0:
                heapq.heappush(heap, (-c, p[0], p[1]))
            elif p in pair_count:
                del pair_count[p]
                where.pop(p, None)
    return pieces


def train_spm(
    texts: Iterable[str],
    vocab_size: int,
    *,
    character_coverage: float = 0.9995,
    extra_control: Sequence[str] = CHAT_PIECES,
) -> SPMTokenizer:
    """Learn a vocabulary of exactly ``vocab_size`` tokens from ``texts``.

    :param texts: documents (each is encoded as if it started a sequence, with a space prefix).
    :param vocab_size: total number of tokens, including the control and 256 byte tokens.
    :param character_coverage: fraction of character occurrences covered by single-character
        pieces; rarer characters are left to byte fallback (and may be added back if the corpus
        runs out of merges).
    :param extra_control: CONTROL tokens placed right after ``</s>`` (the chat tokens).
    :raises ValueError: if ``vocab_size`` is too small or the corpus cannot supply enough pieces.
    """
    fixed = [UNK_PIECE, BOS_PIECE, EOS_PIECE, *extra_control] + [byte_piece(b) for b in range(256)]
    budget = vocab_size - len(fixed)
    if budget < 1:
        raise ValueError(f"vocab_size {vocab_size} is too small: {len(fixed)} tokens are reserved")
    units = _count_units(texts)
    chars, rest = _choose_chars(units, character_coverage, budget)
    n_merges = budget - len(chars)
    words, counts = _split_words(units, set(chars))
    merges = _learn_merges(words, counts, n_merges, set(fixed)) if n_merges > 0 else []
    shortfall = n_merges - len(merges)
    if shortfall > 0:  # corpus exhausted: add back rarer characters
        extra = rest[:shortfall]
        chars += extra
        shortfall -= len(extra)
    if shortfall > 0:
        raise ValueError(
            f"the corpus supports only {vocab_size - shortfall} tokens, fewer than vocab_size {vocab_size}"
        )
    # merged pieces first (score -k for merge k), then single characters (lowest scores)
    scored = [(p, -float(k)) for k, p in enumerate(merges, start=1)]
    scored += [(ch, -float(len(merges) + 1 + j)) for j, ch in enumerate(chars)]
    return SPMTokenizer.from_pieces(scored, extra_control=extra_control)
