"""Tokenization for fine-tuning: prompt masking, chat turns, truncation counts, bucketed batches."""

from __future__ import annotations

import numpy as np
import pytest

from simplex_training.finetune.batches import IGNORE, collate, encode_record, epoch_batches, eval_batches, tokenize
from simplex_training.finetune.data import Record
from simplex_training.tokenizer.chat import encode_example, end_id, format_chat
from simplex_training.tokenizer.spm import SPACE, SPMTokenizer


@pytest.fixture(scope="module")
def tok() -> SPMTokenizer:
    pieces = [SPACE, "\n", ".", "?"] + list("abcdefghijklmnopqrstuvwxyzHBOG") + [SPACE + "the", "He", "ll"]
    return SPMTokenizer.from_pieces([(p, -float(i)) for i, p in enumerate(pieces)])


def test_pair_labels_mask_exactly_the_prompt(tok):
    rec = Record("t", prompt="is this good?", response="yes it is.")
    ids, labels = encode_record(tok, rec)
    ex = encode_example(tok, rec.prompt, rec.response)
    assert ids == ex.ids  # the serve-time template, EOS learned
    assert labels[: ex.prompt_len] == [IGNORE] * ex.prompt_len
    assert labels[ex.prompt_len:] == ids[ex.prompt_len:]
    assert ids[-2:] == [end_id(tok), tok.eos_id]
    assert tok.decode(ids[ex.prompt_len:-2], strip_leading_space=False) == "yes it is."


def test_single_turn_messages_equal_the_pair():
    from simplex_training.finetune.data import parse_record

    rec = parse_record({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "ho"}]}, "x")
    assert rec == Record("x", prompt="hi", response="ho")


def test_text_is_trained_whole(tok):
    ids, labels = encode_record(tok, Record("t", text="hello there."))
    assert ids[0] == tok.bos_id and ids[-1] == tok.eos_id
    assert labels[0] == IGNORE and labels[1:] == ids[1:]


def test_chat_scores_only_assistant_turns_and_matches_the_template(tok):
    msgs = (("system", "be short."), ("user", "Hi?"), ("assistant", "Hello."), ("user", "Bye?"),
            ("assistant", "Good bye."), ("user", "trailing, unanswered"))
    ids, labels = encode_record(tok, Record("t", messages=msgs))
    scored = [i for i, lab in enumerate(labels) if lab != IGNORE]
    spans = np.split(np.array(scored), np.where(np.diff(scored) != 1)[0] + 1)
    assert len(spans) == 2
    first, second = [[ids[i] for i in s] for s in spans]
    assert tok.decode(first[:-1], strip_leading_space=False) == "Hello." and first[-1] == end_id(tok)
    assert tok.decode(second[:-2], strip_leading_space=False) == "Good bye."
    assert second[-2:] == [end_id(tok), tok.eos_id]  # EOS only after the last assistant turn
    as_dicts = [{"role": r, "content": c} for r, c in msgs]
    # the context before each assistant turn is what llama.cpp tokenizes from the rendered template
    for k, span in ((2, spans[0]), (4, spans[1])):
        expected = tok.encode(format_chat(as_dicts[:k]), add_bos=True, parse_special=True)
        assert ids[: span[0]] == expected


def test_truncation_keeps_the_start_and_is_counted(tok):
    recs = [Record("a", prompt="is this good?", response="yes " * 30), Record("b", prompt="hi", response="ok"),
            Record("c", prompt="x " * 40, response="ok")]
    items, stats = tokenize(tok, recs, max_seq_len=40)
    full = [encode_record(tok, r)[0] for r in recs]
    assert stats.truncated == 2 and stats.dropped == 1 and stats.dropped_sources == ["c"]  # c: no response left
    assert [it.index for it in items] == [0, 1]
    assert items[0].truncated and list(items[0].ids) == full[0][:40]
    assert not items[1].truncated and stats.max_len == 40 and stats.examples == 2


def test_bucketed_batches_are_deterministic_and_cover_every_example():
    rng = np.random.default_rng(0)
    lengths = rng.integers(5, 200, size=103)
    a = epoch_batches(lengths, 4, seed=7, epoch=2)
    assert [b.tolist() for b in a] == [b.tolist() for b in epoch_batches(lengths, 4, seed=7, epoch=2)]
    assert [b.tolist() for b in a] != [b.tolist() for b in epoch_batches(lengths, 4, seed=7, epoch=3)]
    assert [b.tolist() for b in a] != [b.tolist() for b in epoch_batches(lengths, 4, seed=8, epoch=2)]
    assert sorted(np.concatenate(a).tolist()) == list(range(103)) and len(a) == 26
    spread = np.mean([np.ptp(lengths[b]) for b in a])
    random_spread = np.mean([np.ptp(lengths[b]) for b in np.array_split(rng.permutation(103), 26)])
    assert spread < random_spread / 2  # similar lengths together: little padding


def test_collate_pads_with_eos_and_ignores_padding(tok):
    items, _ = tokenize(tok, [Record("a", prompt="hi", response="ok"), Record("b", prompt="hello there", response="o")],
                        256)
    x, y, n = collate(items, tok.eos_id)
    short = 0 if len(items[0].ids) < len(items[1].ids) else 1
    L = len(items[short].ids)
    assert x.shape == y.shape == (2, max(len(it.ids) for it in items) - 1)
    assert (x[short, L:] == tok.eos_id).all() and (y[short, L - 1:] == IGNORE).all()
    assert n == sum(it.n_targets for it in items) == int((y != IGNORE).sum())
    assert [len(b) for b in eval_batches(items * 3, 4)] == [4, 2]
