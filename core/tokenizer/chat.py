"""The chat template shared by training, the GGUF ``tokenizer.chat_template`` and inference.

Convention (one turn)::

    text      = "<|user|>\\n{prompt}<|end|>\\n<|assistant|>\\n"            (format_prompt)
    prompt_ids = tok.encode(text, add_bos=True, parse_special=True)        (what llama.cpp feeds)
    ids        = prompt_ids + tok.encode_raw(response) + [id(<|end|>), EOS]

``prompt_ids`` is exactly what llama.cpp produces when it applies :data:`CHAT_TEMPLATE` and
tokenizes the result with ``add_special=True, parse_special=True`` (so, with
``add_space_prefix``, each text fragment after a special token gets a leading ``▁``, as in
llama.cpp). The response is tokenized as a continuation (:meth:`SPMTokenizer.encode_raw`: no
space prefix, special-token texts inside it stay plain text), so the generated tokens detokenize
to exactly ``response``. The model learns to end with ``<|end|>`` (written to the GGUF as
``tokenizer.ggml.eot_token_id``, an end-of-generation token for llama.cpp) followed by ``</s>``.

Multi-turn text (:func:`format_chat`) renders each user turn as ``<|user|>\\n...<|end|>\\n`` and
each assistant turn as ``<|assistant|>\\n...<|end|>\\n``; system messages are prepended to the next
user turn followed by a blank line. BOS is not part of the template (llama.cpp adds it).
For user/assistant turns this is the Phi-3 layout: llama.cpp's built-in (non-Jinja)
``llama_chat_apply_template`` detects the template as Phi-3 and renders identical text; only
system messages differ there (Phi-3 writes a ``<|system|>`` turn, which this vocabulary lacks).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from simplex_training.tokenizer.spm import SPMTokenizer

USER, ASSISTANT, END = "<|user|>", "<|assistant|>", "<|end|>"

# Jinja source for tokenizer.chat_template; renders exactly like format_chat().
CHAT_TEMPLATE = (
    "{%- set ns = namespace(system='') -%}"
    "{%- for message in messages -%}"
    "{%- if message['role'] == 'system' -%}"
    "{%- set ns.system = ns.system + message['content'] + '\\n\\n' -%}"
    "{%- elif message['role'] == 'user' -%}"
    "{{- '<|user|>\\n' + ns.system + message['content'] + '<|end|>\\n' -}}"
    "{%- set ns.system = '' -%}"
    "{%- elif message['role'] == 'assistant' -%}"
    "{{- '<|assistant|>\\n' + message['content'] + '<|end|>\\n' -}}"
    "{%- endif -%}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}"
    "{{- '<|assistant|>\\n' -}}"
    "{%- endif -%}"
)


def format_prompt(prompt: str) -> str:
    """The text of a single-turn prompt, ready for the assistant's reply."""
    return f"{USER}\n{prompt}{END}\n{ASSISTANT}\n"


def format_chat(messages: Sequence[Mapping[str, str]], add_generation_prompt: bool = True) -> str:
    """Render ``[{"role": ..., "content": ...}, ...]`` like :data:`CHAT_TEMPLATE`."""
    parts: list[str] = []
    system = ""
    for message in messages:
        role, content = message["role"], message["content"]
        if role == "system":
            system += content + "\n\n"
        elif role == "user":
            parts.append(f"{USER}\n{system}{content}{END}\n")
            system = ""
        elif role == "assistant":
            parts.append(f"{ASSISTANT}\n{content}{END}\n")
    if add_generation_prompt:
        parts.append(f"{ASSISTANT}\n")
    return "".join(parts)


def _require(tok: SPMTokenizer, piece: str) -> int:
    tid = tok.token_id(piece)
    if tid is None:
        raise ValueError(f"the tokenizer has no chat token {piece!r}")
    return tid


def end_id(tok: SPMTokenizer) -> int:
    """The id of ``<|end|>``, the end-of-turn token."""
    return _require(tok, END)


def encode_prompt(tok: SPMTokenizer, prompt: str) -> list[int]:
    """Ids llama.cpp feeds the model for ``prompt`` (BOS + templated prompt, specials parsed)."""
    _require(tok, USER), _require(tok, ASSISTANT), _require(tok, END)
    return tok.encode(format_prompt(prompt), add_bos=True, parse_special=True)


@dataclass(frozen=True)
class ChatExample:
    """One training sequence: ``ids[:prompt_len]`` is the prompt, the rest the target reply."""

    ids: list[int]
    prompt_len: int


def encode_example(tok: SPMTokenizer, prompt: str, response: str) -> ChatExample:
    """``encode_prompt(prompt) + encode_raw(response) + [<|end|>, </s>]``."""
    prompt_ids = encode_prompt(tok, prompt)
    ids = prompt_ids + tok.encode_raw(response) + [end_id(tok), tok.eos_id]
    return ChatExample(ids, len(prompt_ids))
