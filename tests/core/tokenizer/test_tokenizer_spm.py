"""SPMTokenizer: the llama.cpp SPM algorithm on hand-made vocabularies, against a naive oracle,
byte fallback, special partitioning, decoding and JSON persistence."""

from __future__ import annotations

import json
import random

import pytest

from simplex_training.tokenizer.spm import (
    BYTE,
    CONTROL,
    NORMAL,
    SPACE,
    UNKNOWN,
    USER_DEFINED,
    SPMTokenizer,
    byte_piece,
)
from simplex_training.tokenizer.trainer import train_spm


def _tok(pieces: list[tuple[str, float]]) -> SPMTokenizer:
    return SPMTokenizer.from_pieces(pieces)


def _naive_spm(tok: SPMTokenizer, s: str) -> list[int]:
    """Quadratic restatement of the merge rule: merge the adjacent pair whose concatenation is the
    highest-scoring token (ties: leftmost) until none is left; unknown symbols -> bytes."""
    syms = list(s)
    while True:
        best = None
        for i in range(len(syms) - 1):
            tid = tok.token_id(syms[i] + syms[i + 1])
            if tid is not None and (best is None or tok.scores[tid] > best[0]):
                best = (tok.scores[tid], i)
        if best is None:
            break
        i = best[1]
        syms[i : i + 2] = [syms[i] + syms[i + 1]]
    out: list[int] = []
    for sym in syms:
        tid = tok.token_id(sym)
        out.extend([tid] if tid is not None else [tok.token_id(byte_piece(b)) for b in sym.encode()])
    return out


def _oracle(tok: SPMTokenizer, text: str, add_bos: bool = True) -> list[int]:
    """Full llama.cpp encode for texts without special tokens."""
    ids = [tok.bos_id] if add_bos else []
    return ids + (_naive_spm(tok, (" " + text).replace(" ", SPACE)) if text else [])


@pytest.fixture(scope="module")
def trained() -> SPMTokenizer:
    rng = random.Random(7)
    syl = ["ka", "ro", "mi", "te", "su", "lo", "an", "ber", "qu", "é", "ü", "日本", "x", "_", "1", "2"]
    words = ["".join(rng.choice(syl) for _ in range(rng.randint(1, 4))) for _ in range(300)]
    texts = []
    for _ in range(200):
        line = " ".join(rng.choice(words) for _ in range(20))
        texts.append(line + rng.choice(["\n", "\n    ", "  ", "\t", ".\n\n", ""]) + "def f(x):\n    return x*2")
    return train_spm(texts, 500)


def test_layout_and_types():
    tok = _tok([(SPACE, -1.0), ("a", -2.0)])
    assert tok.pieces[:6] == ["<unk>", "<s>", "</s>", "<|user|>", "<|assistant|>", "<|end|>"]
    assert tok.types[:6] == [UNKNOWN, CONTROL, CONTROL, CONTROL, CONTROL, CONTROL]
    assert tok.pieces[6] == "<0x00>" and tok.pieces[6 + 255] == "<0xFF>" and tok.pieces[6 + 0x0A] == "<0x0A>"
    assert set(tok.types[6:262]) == {BYTE}
    assert tok.types[262:] == [NORMAL, NORMAL]
    assert (tok.bos_id, tok.eos_id, tok.unk_id) == (1, 2, 0)


def test_highest_score_wins_not_merge_order():
    # "abc": bigrams "ab" (score -3) and "bc" (score -1): "bc" is merged first, then "abc" needs
    # "a"+"bc", which is a token.
    tok = _tok([("a", -10.0), ("b", -10.0), ("c", -10.0), ("ab", -3.0), ("bc", -1.0), ("abc", -5.0), (SPACE, -9.0)])
    assert tok.encode_raw("abc") == [tok.token_id("abc")]
    tok2 = _tok([("a", -10.0), ("b", -10.0), ("c", -10.0), ("ab", -3.0), ("bc", -1.0), (SPACE, -9.0)])
    assert tok2.encode_raw("abc") == [tok2.token_id("a"), tok2.token_id("bc")]


def test_equal_scores_merge_leftmost_first():
    tok = _tok([("a", -10.0), ("aa", -1.0), (SPACE, -9.0)])
    aa, a = tok.token_id("aa"), tok.token_id("a")
    assert tok.encode_raw("aaa") == [aa, a]
    assert tok.encode_raw("aaaaa") == [aa, aa, a]


def test_byte_fallback_and_space_prefix():
    tok = _tok([(SPACE, -1.0), ("h", -2.0), ("i", -3.0), (SPACE + "h", -0.5)])
    ids = tok.encode("hi é")
    assert ids == [1, tok.token_id(SPACE + "h"), tok.token_id("i"), tok.token_id(SPACE), 6 + 0xC3, 6 + 0xA9]
    assert tok.encode("hi", add_bos=False)[0] == tok.token_id(SPACE + "h")  # prefix even without BOS
    assert tok.encode("") == [1] and tok.encode("", add_bos=False) == []


def test_special_partitioning():
    tok = _tok([(SPACE, -1.0), ("x", -2.0)])
    user, end = tok.token_id("<|user|>"), tok.token_id("<|end|>")
    ids = tok.encode("<|user|>x<|end|>", parse_special=True)
    sp, x = tok.token_id(SPACE), tok.token_id("x")
    assert ids == [1, user, sp, x, end]  # a space prefix after every special token
    plain = tok.encode("<|user|>x", parse_special=False)
    assert user not in plain and plain[1] == sp
    assert tok.encode("<s>", add_bos=False, parse_special=True) == [1]
    assert tok.encode("<unk>", add_bos=False, parse_special=True) == [0]


def test_user_defined_tokens_always_split():
    base = _tok([(SPACE, -1.0), ("x", -2.0)])
    pieces = base.pieces + ["@@"]
    tok = SPMTokenizer(pieces, base.scores + [0.0], base.types + [USER_DEFINED])
    ids = tok.encode("x@@x", add_bos=False, parse_special=False)
    assert ids == [tok.token_id(SPACE), tok.token_id("x"), tok.token_id("@@"), tok.token_id(SPACE), tok.token_id("x")]
    assert tok.decode(ids) == " x@@ x"
    assert tok.encode_raw("x@@x") == ids[1:]  # no prefix at the start, still one after "@@"


def test_matches_naive_oracle_on_random_text(trained):
    rng = random.Random(3)
    alphabet = list("karomitesuloanberqux_12 .\n\t") + ["é", "ü", "日", "本", "🙂", "Z", "  "]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert trained.encode(text) == _oracle(trained, text), repr(text)


def test_word_split_path_equals_whole_fragment_path(trained):
    assert trained.word_split_exact
    slow = SPMTokenizer.from_dict(trained.to_dict())
    slow.word_split_exact = False
    rng = random.Random(5)
    words = ["kamiro", "te", "su", "  ", "\n    ", "return", "x*2", "日本", "é", "berqu"]
    for _ in range(200):
        text = "".join(rng.choice(words) + rng.choice(["", " ", "  "]) for _ in range(rng.randint(1, 30)))
        assert trained.encode(text) == slow.encode(text), repr(text)


def test_vocab_with_inner_space_uses_fragment_path():
    tok = _tok([(SPACE, -1.0), ("a", -2.0), ("b", -2.0), ("a" + SPACE, -0.5), ("a" + SPACE + "b", -0.1)])
    assert not tok.word_split_exact
    assert tok.encode_raw("a b") == [tok.token_id("a" + SPACE + "b")]
    assert tok.encode("a b a", add_bos=False) == _oracle(tok, "a b a", add_bos=False)


def test_decode_round_trip_and_pieces(trained):
    texts = ["", "kamiro te", "  leading and trailing  ", "tab\tnew\nline", "é ü 日本語 🙂", "def f(x):\n    return x*2"]
    for text in texts:
        assert trained.decode(trained.encode(text)) == text
        assert trained.decode(trained.encode(text, add_bos=False)) == (" " + text if text else "")
    assert trained.decode_piece(1) == b"" and trained.decode_piece(1, special=True) == b"<s>"
    assert trained.decode_piece(0) == b"" and trained.decode_piece(0, special=True) == b"<unk>"
    assert trained.decode_piece(6 + 0x0A) == b"\n"
    assert trained.decode([1, 6 + 0xC3]) == "\ufffd"  # a lone lead byte is invalid UTF-8
    ids = trained.encode("<s> x", parse_special=True)
    assert trained.decode(ids, special=True) == "<s><s>  x"  # llama.cpp adds a space after a special


def test_json_round_trip(tmp_path, trained):
    path = tmp_path / "tok.json"
    trained.save(path)
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "simplex-spm"
    again = SPMTokenizer.load(path)
    assert again.to_dict() == trained.to_dict()
    assert again.encode("kamiro é 🙂") == trained.encode("kamiro é 🙂")
    assert [p.name for p in tmp_path.iterdir()] == ["tok.json"]  # no temporary file left


def test_invalid_vocabularies():
    with pytest.raises(ValueError, match="duplicate"):
        SPMTokenizer(["<unk>", "<s>", "</s>", "a", "a"], [0.0] * 5, [2, 3, 3, 1, 1])
    with pytest.raises(ValueError, match="lengths"):
        SPMTokenizer(["<unk>", "<s>", "</s>"], [0.0] * 2, [2, 3, 3])
    with pytest.raises(ValueError, match="eos_id"):
        SPMTokenizer(["<unk>", "<s>"], [0.0] * 2, [2, 3], eos_id=2)
    with pytest.raises(ValueError, match="longer than"):
        _tok([("x" * 32, 0.0)])
