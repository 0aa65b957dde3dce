"""Vocabulary coverage of the pretraining corpora: counted exactly, logged and kept by ``pretrain``."""

from __future__ import annotations

import numpy as np

from simplex_training.pretrain.coverage import RARE, describe, token_counts, vocabulary_coverage
from simplex_training.pretrain.run import pretrain, tiny_config
from simplex_training.tokenizer.spm import SPMTokenizer


def _tok():
    pieces = ["<unk>", "<s>", "</s>", "<|end|>", *[f"<0x{b:02X}>" for b in (0x00, 0x21, 0x80, 0xC3)],
              "▁a", "▁b", "c", "d"]
    return SPMTokenizer(pieces, scores=[0.0] * len(pieces), types=[2, 3, 3, 4, 6, 6, 6, 6, 1, 1, 1, 1],
                        bos_id=1, eos_id=2, unk_id=0)


def test_counts_and_coverage_of_a_small_vocabulary():
    tok = _tok()
    counts = token_counts(tok, [np.array([8, 8, 9, 4, 1]), np.array([[8, 9], [9, 2]])])
    assert counts.tolist() == [0, 1, 1, 0, 1, 0, 0, 0, 3, 3, 0, 0]
    cov = vocabulary_coverage(tok, counts)
    # no text produces byte 0x00 (a control character); "!" and the bytes of "é" (C3 A9) text does
    assert cov == {"learned_pieces": 4, "pieces_never": 2, "pieces_rare": 2, "byte_tokens": 4, "bytes_producible": 3,
                   "bytes_never": 3, "bytes_rare": 0, "never_examples": ["c", "d"]}
    counts[8], counts[5] = RARE, 1
    cov = vocabulary_coverage(tok, counts)
    assert cov["pieces_rare"] == 1 and cov["bytes_never"] == 2 and cov["bytes_rare"] == 1  # RARE is no longer rare
    assert describe(cov).startswith("vocabulary coverage: 2 of 4 learned pieces never occur")


def test_pretrain_logs_and_keeps_the_coverage(tmp_path):
    logs = []
    summary = pretrain(tiny_config(0), tmp_path / "w", tmp_path / "t.gguf", log=logs.append)
    cov = summary["vocabulary_coverage"]
    assert cov["learned_pieces"] + cov["byte_tokens"] < 512 and cov["byte_tokens"] == 256
    assert 0 <= cov["pieces_never"] <= cov["learned_pieces"]
    assert len(cov["never_examples"]) == min(20, cov["pieces_never"])
    assert describe(cov) in logs
