"""Chat template: Python rendering, the Jinja ``tokenizer.chat_template``, training sequences."""

from __future__ import annotations

import jinja2
import pytest

from simplex_training.tokenizer.chat import (
    CHAT_TEMPLATE,
    encode_example,
    encode_prompt,
    end_id,
    format_chat,
    format_prompt,
)
from simplex_training.tokenizer.spm import SPACE, SPMTokenizer


@pytest.fixture(scope="module")
def tok() -> SPMTokenizer:
    pieces = [SPACE, "\n", "H", "i", "?", "O", "k", SPACE + "H", "Hi", "Ok"]
    return SPMTokenizer.from_pieces([(p, -float(i)) for i, p in enumerate(pieces)])


def _render(messages, add_generation_prompt=True) -> str:
    env = jinja2.Environment(loader=jinja2.BaseLoader(), autoescape=False)
    return env.from_string(CHAT_TEMPLATE).render(messages=messages, add_generation_prompt=add_generation_prompt)


def test_format_prompt():
    assert format_prompt("Hi?") == "<|user|>\nHi?<|end|>\n<|assistant|>\n"
    assert format_chat([{"role": "user", "content": "Hi?"}]) == format_prompt("Hi?")


@pytest.mark.parametrize(
    "messages",
    [
        [{"role": "user", "content": "Hi?"}],
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi?"}],
        [
            {"role": "user", "content": "a"},
            {"role": "assistant", "content": "b"},
            {"role": "user", "content": "c <|end|> d"},
        ],
    ],
)
@pytest.mark.parametrize("gen", [True, False])
def test_jinja_template_matches_python(messages, gen):
    assert _render(messages, gen) == format_chat(messages, gen)


def test_training_example(tok):
    ex = encode_example(tok, "Hi?", "Ok")
    prompt = encode_prompt(tok, "Hi?")
    assert ex.ids[: ex.prompt_len] == prompt and prompt[0] == tok.bos_id
    assert prompt[1] == tok.token_id("<|user|>")
    # llama.cpp's space prefix after a special token: "<|assistant|>" then "▁" "\n"
    assert prompt[-3:] == [tok.token_id("<|assistant|>"), tok.token_id(SPACE), tok.token_id("\n")]
    assert ex.ids[ex.prompt_len :] == [tok.token_id("Ok"), end_id(tok), tok.eos_id]
    assert tok.decode(ex.ids[ex.prompt_len : -2]) == "Ok"  # no leading space in the reply
    literal = encode_example(tok, "Hi?", "<|end|>")  # special text in a reply stays plain text
    assert end_id(tok) not in literal.ids[literal.prompt_len : -2]


def test_missing_chat_tokens():
    bare = SPMTokenizer.from_pieces([(SPACE, 0.0)], extra_control=())
    with pytest.raises(ValueError, match="chat token"):
        encode_prompt(bare, "x")
