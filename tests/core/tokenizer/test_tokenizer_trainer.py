"""train_spm: exact vocabulary size and layout, piece constraints, determinism, scores, errors."""

from __future__ import annotations

import random
import time

import pytest

from simplex_training.tokenizer.spm import BYTE, CONTROL, MAX_PIECE_BYTES, NORMAL, SPACE
from simplex_training.tokenizer.trainer import _learn_merges, train_spm


def _corpus(n_lines: int = 400, seed: int = 0, n_words: int = 800) -> list[str]:
    rng = random.Random(seed)
    syl = ["ka", "ro", "mi", "te", "su", "lo", "an", "ber", "qu", "ix", "zo", "pel", "é", "日本"]
    words = ["".join(rng.choice(syl) for _ in range(rng.randint(1, 5))) for _ in range(n_words)]
    lines = [" ".join(rng.choice(words) for _ in range(25)) for _ in range(n_lines)]
    return lines + ["def f(x):\n        return x*2\n"] * 50 + ["a" * 200]


def test_exact_size_layout_and_piece_constraints():
    tok = train_spm(_corpus(), 700)
    assert tok.vocab_size == 700
    assert tok.pieces[:6] == ["<unk>", "<s>", "</s>", "<|user|>", "<|assistant|>", "<|end|>"]
    assert tok.types[1:6] == [CONTROL] * 5 and tok.types[6:262] == [BYTE] * 256
    assert set(tok.types[262:]) == {NORMAL}
    assert SPACE in tok.pieces and "日" in tok.pieces
    for piece in tok.pieces:
        assert len(piece.encode("utf-8")) <= MAX_PIECE_BYTES
        assert SPACE not in piece.lstrip(SPACE)  # keeps the exact word-split encoding path valid
    assert tok.word_split_exact
    assert f"{SPACE}{SPACE}{SPACE}{SPACE}" in tok.pieces  # indentation runs are learned


def test_scores_follow_merge_order_and_training_is_deterministic():
    a, b = train_spm(_corpus(), 600), train_spm(_corpus(), 600)
    assert a.to_dict() == b.to_dict()
    normal = a.scores[262:]
    assert normal == sorted(normal, reverse=True) and len(set(normal)) == len(normal)


def test_encoding_compresses_and_round_trips():
    corpus = _corpus()
    tok = train_spm(corpus, 800)
    text = corpus[0]
    ids = tok.encode(text)
    assert len(text) / len(ids) > 2.0
    assert tok.decode(ids) == text


def test_pieces_never_exceed_31_bytes():
    words, counts = [["a"] * 64, ["é"] * 64], [3, 3]
    pieces = _learn_merges(words, counts, 100, reserved=set())
    assert "a" * 16 in pieces and "é" * 8 in pieces
    assert max(len(p.encode("utf-8")) for p in pieces) <= MAX_PIECE_BYTES
    assert "a" * 32 not in pieces and "é" * 16 not in pieces


def test_errors():
    with pytest.raises(ValueError, match="too small"):
        train_spm(["abc"], 262)
    with pytest.raises(ValueError, match="supports only"):
        train_spm(["ab ab ab"], 400)


def test_speed_one_megabyte():
    corpus = _corpus(n_lines=6000, seed=3, n_words=5000)
    assert sum(map(len, corpus)) > 1_000_000
    t0 = time.perf_counter()
    tok = train_spm(corpus, 2048)
    t1 = time.perf_counter()
    n = sum(len(tok.encode(line)) for line in corpus)
    t2 = time.perf_counter()
    assert n > 0 and tok.vocab_size == 2048
    assert t1 - t0 < 60 and t2 - t1 < 60, (t1 - t0, t2 - t1)
