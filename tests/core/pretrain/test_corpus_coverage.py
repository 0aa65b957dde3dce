"""The coverage phase's material: its words really carry their tokens, it reaches every learned piece
and every byte text can produce, its lessons answer right, and a seed fixes it."""

from __future__ import annotations

import itertools
import unicodedata

import pytest

from simplex_training.assets import default_base_path
from simplex_training.gguf.reader import read_llama_gguf
from simplex_training.pretrain.corpus import coverage_kinds, documents, lessons, numeracy_kinds
from simplex_training.pretrain.corpus_coverage import CoverageMaterial, target_tokens, word_pool
from simplex_training.pretrain.coverage import producible_bytes


@pytest.fixture(scope="module")
def tok():
    return read_llama_gguf(default_base_path())[2]


@pytest.fixture(scope="module")
def material(tok):
    return CoverageMaterial(tok)


def test_every_carrier_is_written_with_its_token(tok, material):
    for token, words in material.carriers.items():
        assert 1 <= len(words) <= 4
        for w in words:
            assert token in tok.encode_raw(" " + w), (tok.pieces[token], w)


def test_every_learned_piece_and_producible_byte_has_carriers(tok, material):
    learned = {i for i in target_tokens(tok) if not tok.pieces[i].startswith("<0x")}
    assert learned <= set(material.carriers)
    whitespace = {tok.token_id(f"<0x{ord(c):02X}>") for c in "\t\n\r"}  # the symbol snippets write these
    assert producible_bytes(tok) - whitespace <= set(material.carriers)
    assert set(material.carriers) <= set(target_tokens(tok))  # no control token is drilled


def test_real_words_come_first(tok, material):
    pool = set(word_pool())
    assert set(material.carriers[tok.token_id("ium")]) <= pool  # "moratorium", ...
    made_up = material.carriers[tok.token_id("idence")]  # no pool word has it
    assert not set(made_up) & pool and all("idence" in w for w in made_up)
    assert len(pool) > 5000 and word_pool() == sorted(pool)
    assert any(not w.isascii() for w in word_pool())  # other languages' accented words


def test_the_documents_reach_every_carrier_token(tok, material):
    seen: set[int] = set()
    for text in itertools.islice(documents(5, kinds=[material.word_use]), 3000):
        seen.update(tok.encode_raw(text))
    for text in itertools.islice(documents(6, kinds=[material.char_table, material.symbols]), 1500):
        seen.update(tok.encode_raw(text))
    missing = [tok.pieces[i] for i in sorted(set(material.carriers) - seen)]
    assert not missing, missing[:20]


def test_lessons_answer_right(material):
    for prompt, answer in itertools.islice(lessons(1, kinds=[material.l_longest]), 200):
        words = prompt.split(": ", 1)[1].rstrip("?").split(", ")
        assert answer in words and len(answer) == max(map(len, words))
        assert answer == next(w for w in words if len(w) == len(answer))  # ties: the first
    for prompt, answer in itertools.islice(lessons(2, kinds=[material.l_char]), 200):
        if prompt.startswith("Which character"):
            code, name = prompt.split("U+", 1)[1].split(" (", 1)
            assert answer == chr(int(code, 16)) and unicodedata.name(answer) == name.rstrip(")?")
        else:
            assert answer == unicodedata.name(prompt.removeprefix("Name the character "))
    for prompt, answer in itertools.islice(lessons(3, kinds=[material.l_foreign, material.l_repeat]), 200):
        assert answer and answer in prompt


def test_the_symbols_are_byte_tokens_it_writes(tok, material):
    text = "\n".join(itertools.islice(documents(4, kinds=[material.symbols]), 300))
    pieces = {tok.pieces[i] for i in tok.encode_raw(text)}
    for ch in "!#$%&'/<>\\^`~\t\r":
        piece = f"<0x{ord(ch):02X}>"
        assert piece in pieces or tok.token_id(piece) not in producible_bytes(tok), repr(ch)


def test_the_coverage_corpus_keeps_the_numeracy_material(tok):
    docs, less = coverage_kinds(tok)
    n_docs, n_less = numeracy_kinds()
    assert docs[: len(n_docs)] == n_docs and less[: len(n_less)] == n_less
    assert 0.4 <= (len(docs) - len(n_docs)) / len(docs) <= 0.6  # about half of the kinds are new
    assert 0.4 <= (len(less) - len(n_less)) / len(less) <= 0.6


def test_a_seed_fixes_the_material(tok, material):
    other = CoverageMaterial(tok)
    kinds = [material.word_use, material.char_table, material.symbols, material.foreign]
    a = list(itertools.islice(documents(9, kinds=kinds), 50))
    b = list(itertools.islice(documents(9, kinds=[other.word_use, other.char_table, other.symbols, other.foreign]), 50))
    assert a == b and a != list(itertools.islice(documents(10, kinds=kinds), 50))
    la = list(itertools.islice(lessons(9, kinds=[material.l_foreign, material.l_char]), 30))
    lb = list(itertools.islice(lessons(9, kinds=[other.l_foreign, other.l_char]), 30))
    assert la == lb
