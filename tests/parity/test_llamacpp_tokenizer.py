"""Tokenizer parity with llama.cpp (through llama-cpp-python): ``SPMTokenizer.encode`` against
``Llama.tokenize`` and ``decode`` / ``decode_piece`` against ``Llama.detokenize`` /
``llama_token_to_piece``, for a trained vocabulary with the chat control tokens (reference §3.3).
llama-cpp-python is a test dependency and is imported normally."""

from __future__ import annotations

import ctypes
import random

import llama_cpp
import pytest

from simplex_training.gguf.writer import write_llama_gguf
from simplex_training.model.config import LlamaConfig
from simplex_training.model.reference import random_weights
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from simplex_training.tokenizer.chat import encode_prompt, format_chat, format_prompt
from simplex_training.tokenizer.spm import SPMTokenizer
from simplex_training.tokenizer.trainer import train_spm

pytestmark = pytest.mark.llama_cpp

CASES = [
    "",
    " ",
    "   ",
    "hello world",
    "  leading spaces",
    "trailing spaces   ",
    "runs   of    spaces and\ttabs\t\tand\nnewlines\n\n\n",
    "accents: café, über, naïve, Ærø",
    "CJK: 日本語のテキスト",
    "emoji 🙂🚀 mixed with text",
    "digits 0123456789 3.14159 1e-5",
    "def f(x):\n    return x*2\n",
    "literal <s> and </s> and <unk> inside",
    "<|user|>\nHi there<|end|>\n<|assistant|>\n",
    "<s><s>",
    "<|end|>",
    "x<|user|>y<|assistant|>z",
    "broken <|user| and |end|> markers",
    "\u2581 a literal lower one eighth block",
    "\r\n windows line end",
]


def _corpus() -> list[str]:
    rng = random.Random(1)
    syl = ["he", "llo", "wor", "ld", "sp", "ace", "ta", "b", "re", "turn", "def", "ca", "fé", "über", "日本", "語"]
    words = ["".join(rng.choice(syl) for _ in range(rng.randint(1, 4))) for _ in range(600)]
    lines = []
    for _ in range(300):
        lines.append(" ".join(rng.choice(words) for _ in range(25)) + rng.choice(["\n", "\n    ", "  ", "\t"]))
    return lines + ["def f(x):\n    return x*2\n"] * 20 + ["<s> and </s> <|user|> hello"] * 5


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[SPMTokenizer, llama_cpp.Llama]:
    tok = train_spm(_corpus(), 640)
    config = LlamaConfig(vocab_size=640, dim=32, n_layers=1, n_heads=2, n_kv_heads=1, ffn_dim=64, context_length=128)
    path = write_llama_gguf(tmp_path_factory.mktemp("tok") / "t.gguf", config, random_weights(config), tok)
    llm = llama_cpp.Llama(model_path=str(path), n_ctx=128, verbose=False, n_threads=1, vocab_only=True)
    return tok, llm


def _random_texts(n: int) -> list[str]:
    rng = random.Random(42)
    atoms = list("abcdefhlorstw ") + [" ", "  ", "\t", "\n", "é", "ü", "日", "語", "🙂", "0", "7", "<s>", "</s>",
                                      "<|user|>", "<|end|>", "<unk>", "<", ">", "|", "hello", "world", "return"]
    return ["".join(rng.choice(atoms) for _ in range(rng.randint(0, 25))) for _ in range(n)]


def test_encode_matches_llama_tokenize(pair):
    tok, llm = pair
    compared = 0
    for text in CASES + _random_texts(2000):
        for add_bos in (True, False):
            for special in (True, False):
                expected = llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=special)
                assert tok.encode(text, add_bos=add_bos, parse_special=special) == expected, (text, add_bos, special)
                compared += 1
    print(f"tokenization cases compared: {compared}")


def test_decode_matches_llama_detokenize(pair):
    tok, llm = pair
    for text in CASES + _random_texts(150):
        for add_bos in (True, False):
            for parse_special in (True, False):
                ids = tok.encode(text, add_bos=add_bos, parse_special=parse_special)
                for special in (True, False):
                    expected = llm.detokenize(ids, special=special).decode("utf-8", errors="replace")
                    assert tok.decode(ids, special=special) == expected, (text, add_bos, parse_special, special)
        # round trip, except that a literal "▁" comes back as a space (as in llama.cpp)
        assert tok.decode(tok.encode(text)) == text.replace("\u2581", " ")


def test_every_piece_matches_token_to_piece(pair):
    tok, llm = pair
    buf = (ctypes.c_char * 64)()
    vocab = llama_cpp.llama_model_get_vocab(llm.model)
    for tid in range(tok.vocab_size):
        for special in (False, True):
            n = llama_cpp.llama_token_to_piece(vocab, tid, buf, 64, 0, special)
            assert tok.decode_piece(tid, special) == bytes(buf[:n]), (tid, tok.pieces[tid], special)
        assert len(tok.pieces[tid].encode("utf-8")) <= 31


def test_metadata_and_chat_prompt(pair):
    tok, llm = pair
    assert (llm.token_bos(), llm.token_eos()) == (tok.bos_id, tok.eos_id)
    meta = llm.metadata
    assert meta["tokenizer.ggml.model"] == "llama"
    assert int(meta["tokenizer.ggml.eot_token_id"]) == tok.token_id("<|end|>")
    prompt = "What is 2+2?"
    assert encode_prompt(tok, prompt) == llm.tokenize(format_prompt(prompt).encode(), add_bos=True, special=True)


def test_chat_template_as_llama_cpp_applies_it(pair):
    """The GGUF template rendered by llama-cpp-python (Jinja) and by llama.cpp's built-in
    ``llama_chat_apply_template`` (which recognises this format as Phi-3) equals format_chat."""
    _, llm = pair
    template = llm.metadata["tokenizer.chat_template"]
    msgs = [
        {"role": "user", "content": "Hi?"},
        {"role": "assistant", "content": "Ok"},
        {"role": "user", "content": "2+2"},
    ]
    expected = format_chat(msgs)
    assert Jinja2ChatFormatter(template=template, eos_token="</s>", bos_token="<s>")(messages=msgs).prompt == expected
    chat = (llama_cpp.llama_chat_message * len(msgs))(
        *[llama_cpp.llama_chat_message(role=m["role"].encode(), content=m["content"].encode()) for m in msgs]
    )
    buf = ctypes.create_string_buffer(4096)
    n = llama_cpp.llama_chat_apply_template(template.encode(), chat, len(msgs), True, buf, 4096)
    assert buf.raw[:n].decode() == expected


def test_general_vocabulary_matches_llama_tokenize(tmp_path):
    """A vocabulary outside the trainer's shape: pieces with inner "▁" (whole-fragment path),
    many equal scores (left-most tie-breaking) and a USER_DEFINED token (always split out)."""
    letters = ["▁", "a", "b", "o", "w", "d", "\n"]
    pieces = [(p, 0.0) for p in letters] + [(p, -1.0) for p in ["ab", "ba", "aa", "bb", "▁▁", "o▁", "▁w"]]
    pieces += [("o▁w", -0.5), ("d▁▁", 0.5), ("▁▁a", 0.0), ("aba", -1.0), ("bab", -1.0), ("w\n", -2.0)]
    base = SPMTokenizer.from_pieces(pieces)
    tok = SPMTokenizer(base.pieces + ["@@"], base.scores + [0.0], base.types + [4])
    assert not tok.word_split_exact
    config = LlamaConfig(vocab_size=tok.vocab_size, dim=32, n_layers=1, n_heads=2, n_kv_heads=1, ffn_dim=64)
    path = write_llama_gguf(tmp_path / "g.gguf", config, random_weights(config), tok)
    llm = llama_cpp.Llama(model_path=str(path), verbose=False, n_threads=1, vocab_only=True)
    rng = random.Random(9)
    atoms = ["a", "b", "o", "w", "d", " ", "  ", "\n", "@@", "<s>", "é", "x"]
    for _ in range(1500):
        text = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 30)))
        for add_bos, special in ((True, False), (False, True)):
            expected = llm.tokenize(text.encode(), add_bos=add_bos, special=special)
            assert tok.encode(text, add_bos=add_bos, parse_special=special) == expected, (text, add_bos, special)
            assert tok.decode(expected) == llm.detokenize(expected).decode("utf-8", errors="replace")
