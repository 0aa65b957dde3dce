"""How much of the vocabulary the pretraining corpora exercise.

A token that never occurs in the corpora is never a target, so its (tied) embedding row stays near
its initial value, and a LoRA adapter fine-tuned on the base later barely learns to emit it
(docs/base-model.md, "What it can do"). ``pretrain`` logs this count and keeps it in its summary.
Byte tokens are counted over those some printable text can produce (:func:`producible_bytes`); the
coverage phase (:mod:`simplex_training.pretrain.corpus_coverage`) makes all of them targets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from simplex_training.tokenizer.spm import SPMTokenizer

RARE = 10  # occurrences below which a token counts as rare


def token_counts(tok: SPMTokenizer, streams: Iterable[np.ndarray]) -> np.ndarray:
    """Occurrences of every token id over the token arrays ``streams``."""
    counts = np.zeros(tok.vocab_size, dtype=np.int64)
    for ids in streams:
        counts += np.bincount(np.asarray(ids, dtype=np.int64).ravel(), minlength=tok.vocab_size)[: tok.vocab_size]
    return counts


def byte_value(piece: str) -> int | None:
    """The byte a byte-fallback token's text (``<0xXX>``) stands for, or ``None`` for any other piece."""
    return int(piece[3:5], 16) if len(piece) == 6 and piece.startswith("<0x") and piece.endswith(">") else None


def producible_bytes(tok: SPMTokenizer) -> set[int]:
    """Ids of the byte tokens some printable text is written with: an ASCII character (or tab,
    newline, carriage return) the vocabulary has no piece for, or a byte of a non-ASCII character's
    UTF-8. No text produces the rest (control characters, bytes UTF-8 never uses, ASCII the pieces
    cover)."""
    from simplex_training.pretrain.corpus_coverage import printable_chars

    utf8 = {b for c in printable_chars() for b in c.encode()}
    out = set()
    for i, p in enumerate(tok.pieces):
        b = byte_value(p)
        if b is not None:
            if b in utf8 or (b < 0x80 and (chr(b).isprintable() or chr(b) in "\t\n\r")
                                and i in tok.encode_raw(chr(b))):
                out.add(i)
    return out


def vocabulary_coverage(tok: SPMTokenizer, counts: np.ndarray, examples: int = 20) -> dict[str, Any]:
    """Learned pieces and byte tokens that never (or rarely) occur, given :func:`token_counts`."""
    special = {tok.bos_id, tok.eos_id, tok.unk_id} | {i for i, p in enumerate(tok.pieces) if p.startswith("<|")}
    byte_ids = [i for i, p in enumerate(tok.pieces) if byte_value(p) is not None]
    learned = [i for i in range(len(tok.pieces)) if i not in special and byte_value(tok.pieces[i]) is None]
    never = [i for i in learned if counts[i] == 0]
    producible = producible_bytes(tok)
    return {"learned_pieces": len(learned), "pieces_never": len(never),
            "pieces_rare": sum(1 for i in learned if 0 < counts[i] < RARE),
            "byte_tokens": len(byte_ids), "bytes_producible": len(producible),
            "bytes_never": sum(1 for i in producible if counts[i] == 0),
            "bytes_rare": sum(1 for i in producible if 0 < counts[i] < RARE),
            "never_examples": [tok.pieces[i] for i in never[:examples]]}


def describe(cov: dict[str, Any]) -> str:
    return (f"vocabulary coverage: {cov['pieces_never']:,} of {cov['learned_pieces']:,} learned pieces never occur "
            f"in the corpora and {cov['pieces_rare']:,} fewer than {RARE} times; {cov['bytes_never']} of the "
            f"{cov['bytes_producible']} byte tokens text can produce never occur and {cov['bytes_rare']} fewer than "
            f"{RARE} times" + (" (their embedding rows stay untrained)" if cov["pieces_never"] or cov["bytes_never"]
                               else ""))
