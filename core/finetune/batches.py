"""Tokenize records with the chat template, truncate, and draw length-bucketed batches.

Tokens and labels (one label per token, ``-100`` = not scored; the trainer shifts them)::

    pair   ids = BOS + encode(format_prompt(prompt)) + encode_raw(response) + [<|end|>, </s>]
           labels = -100 on BOS + the templated prompt, the token itself on the rest
    text   ids = BOS + encode(text) + [</s>]; every token but BOS is scored
    chat   ids = BOS + for each assistant turn: encode(<the turns before it> + "<|assistant|>\\n")
                 + encode_raw(content) + [<|end|>], then [</s>] after the last assistant turn;
           labels on the assistant contents, their <|end|> and the final </s> only

A pair is exactly :func:`simplex_training.tokenizer.chat.encode_example` (the serve-time prompt of
llama.cpp), so training and inference see the same template; ``</s>`` is learned so generation
stops. Chat segments start right after ``<|end|>`` (a special token), so encoding them one by one
gives the tokens llama.cpp gets from the whole rendered conversation.

Truncation keeps the start of the sequence (the prompt start) and drops the end; a sequence cut so
that no scored token is left is dropped. Both are counted in :class:`TokenStats`.

Batches: per epoch, ``default_rng([seed, epoch])`` shuffles the examples, each chunk of
``batch_size * bucket_batches`` is sorted by length and cut into batches, and the batch order is
shuffled, so a batch holds similar lengths (little padding) and the order is a pure function of
(seed, epoch). Padding uses ``</s>`` with label ``-100``, on the right (causal attention never lets
a real token see it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from simplex_training.finetune.data import Record
from simplex_training.tokenizer.chat import ASSISTANT, END, USER, encode_example, end_id
from simplex_training.tokenizer.spm import SPMTokenizer

IGNORE = -100


@dataclass(frozen=True)
class Tokenized:
    """Token ids and labels (same length) of one record; ``index`` is its position in the split."""

    ids: np.ndarray
    labels: np.ndarray
    index: int
    truncated: bool = False

    @property
    def n_targets(self) -> int:
        return int((self.labels[1:] != IGNORE).sum())


@dataclass
class TokenStats:
    examples: int = 0
    tokens: int = 0
    target_tokens: int = 0
    truncated: int = 0
    dropped: int = 0
    max_len: int = 0
    dropped_sources: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"examples": self.examples, "tokens": self.tokens, "target_tokens": self.target_tokens,
                "truncated": self.truncated, "dropped": self.dropped, "max_len": self.max_len}


def _chat_segments(tok: SPMTokenizer, messages: Sequence[tuple[str, str]]) -> tuple[list[int], list[int]]:
    last = max(i for i, (role, _) in enumerate(messages) if role == "assistant")
    ids, labels = [tok.bos_id], [IGNORE]
    pending, system, first = "", "", True
    for i, (role, content) in enumerate(messages[: last + 1]):
        if role == "system":
            system += content + "\n\n"
        elif role == "user":
            pending += f"{USER}\n{system}{content}{END}\n"
            system = ""
        else:  # assistant: prompt segment (masked), then the content + <|end|> (scored)
            seg = tok.encode(("" if first else "\n") + pending + f"{ASSISTANT}\n", add_bos=False, parse_special=True)
            target = tok.encode_raw(content) + [end_id(tok)] + ([tok.eos_id] if i == last else [])
            ids += seg + target
            labels += [IGNORE] * len(seg) + target
            pending, first = "", False
    return ids, labels


def encode_record(tok: SPMTokenizer, rec: Record) -> tuple[list[int], list[int]]:
    """(ids, labels) of one record, untruncated (see the module docstring)."""
    if rec.kind == "pair":
        ex = encode_example(tok, rec.prompt, rec.response)
        return ex.ids, [IGNORE] * ex.prompt_len + ex.ids[ex.prompt_len:]
    if rec.kind == "text":
        ids = tok.encode(rec.text, add_bos=True) + [tok.eos_id]
        if ids[0] != tok.bos_id:
            ids = [tok.bos_id, *ids]
        return ids, [IGNORE, *ids[1:]]
    return _chat_segments(tok, rec.messages or ())


def tokenize(tok: SPMTokenizer, records: Sequence[Record], max_seq_len: int) -> tuple[list[Tokenized], TokenStats]:
    """Tokenize, truncate to ``max_seq_len`` tokens (start kept) and count what happened."""
    if max_seq_len < 2:
        raise ValueError(f"max_seq_len must be >= 2, got {max_seq_len}")
    out: list[Tokenized] = []
    stats = TokenStats()
    for i, rec in enumerate(records):
        ids, labels = encode_record(tok, rec)
        cut = len(ids) > max_seq_len
        if cut:
            ids, labels = ids[:max_seq_len], labels[:max_seq_len]
            stats.truncated += 1
        item = Tokenized(np.asarray(ids, dtype=np.int32), np.asarray(labels, dtype=np.int32), i, cut)
        if item.n_targets == 0:
            stats.dropped += 1
            stats.dropped_sources.append(rec.source)
            continue
        out.append(item)
        stats.examples += 1
        stats.tokens += len(ids)
        stats.target_tokens += item.n_targets
        stats.max_len = max(stats.max_len, len(ids))
    return out, stats


def fingerprint(items: Sequence[Tokenized]) -> str:
    """A hash of the token ids and labels (checkpoints refuse to resume on other data)."""
    h = hashlib.sha256()
    for it in items:
        h.update(it.ids.tobytes())
        h.update(it.labels.tobytes())
        h.update(b"|")
    return h.hexdigest()[:16]


def epoch_batches(lengths: Sequence[int], batch_size: int, seed: int, epoch: int,
                  bucket_batches: int = 8) -> list[np.ndarray]:
    """The batches (arrays of example indices) of one epoch; a pure function of its arguments."""
    n = len(lengths)
    if n == 0:
        return []
    lens = np.asarray(lengths)
    rng = np.random.default_rng([seed, epoch])
    order = rng.permutation(n)
    chunk = batch_size * max(1, bucket_batches)
    batches: list[np.ndarray] = []
    for s in range(0, n, chunk):
        part = order[s : s + chunk]
        part = part[np.argsort(lens[part], kind="stable")]
        batches += [part[i : i + batch_size] for i in range(0, len(part), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def collate(items: Sequence[Tokenized], pad_id: int) -> tuple[np.ndarray, np.ndarray, int]:
    """(inputs (B, T-1), targets (B, T-1), number of scored targets), right-padded with ``pad_id``."""
    T = max(len(it.ids) for it in items)
    ids = np.full((len(items), T), pad_id, dtype=np.int64)
    labels = np.full((len(items), T), IGNORE, dtype=np.int64)
    for r, it in enumerate(items):
        ids[r, : len(it.ids)] = it.ids
        labels[r, : len(it.labels)] = it.labels
    targets = labels[:, 1:]
    return ids[:, :-1], targets, int((targets != IGNORE).sum())


def eval_batches(items: Sequence[Tokenized], batch_size: int) -> list[list[Tokenized]]:
    """Fixed batches for validation loss: sorted by length, then cut (deterministic)."""
    order = sorted(range(len(items)), key=lambda i: (len(items[i].ids), i))
    return [[items[i] for i in order[s : s + batch_size]] for s in range(0, len(order), batch_size)]
