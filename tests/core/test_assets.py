"""The embedded default base model ships inside the package and llama.cpp runs it."""


import numpy as np
from llama_cpp import Llama

from simplex_training.assets import default_base_path
from simplex_training.gguf.reader import read_llama_gguf


def test_base_ships_and_is_small():
    path = default_base_path()
    assert path.exists()
    assert path.stat().st_size <= 16 * 1024 * 1024


def test_base_loads_with_tokenizer_and_chat_template():
    cfg, weights, tok, meta = read_llama_gguf(default_base_path())
    assert tok is not None and tok.vocab_size == cfg.vocab_size
    assert "tokenizer.chat_template" in meta
    assert all(np.isfinite(w).all() for w in weights.values())


def test_llamacpp_generates_with_the_base():
    llm = Llama(str(default_base_path()), n_ctx=256, n_threads=2, verbose=False)
    out = llm.create_chat_completion(messages=[{"role": "user", "content": "What is 3 plus 4?"}],
                                     max_tokens=16, temperature=0.0)
    text = out["choices"][0]["message"]["content"]
    assert out["usage"]["completion_tokens"] >= 1 and isinstance(text, str)
    cont = llm("Emily Johnson was born in", max_tokens=12, temperature=0.0)
    assert len(cont["choices"][0]["text"].strip()) > 0


def test_base_is_better_than_chance_on_its_corpus():
    """Held-out corpus text (another seed) is far below uniform perplexity: the base learned."""
    import itertools

    from simplex_training.engine import no_grad
    from simplex_training.model.llama import LlamaModel
    from simplex_training.pretrain.corpus import documents

    cfg, weights, tok, _ = read_llama_gguf(default_base_path())
    model = LlamaModel(cfg, weights=weights)
    ids = []
    for doc in itertools.islice(documents(seed=12345), 40):
        ids.extend(tok.encode(doc, add_bos=True))
    ids = np.array(ids[:257])[None]
    with no_grad():
        loss = model.loss(ids[:, :-1], ids[:, 1:]).item()
    assert loss < 0.5 * np.log(cfg.vocab_size), loss  # uniform would be ln(4096) = 8.3


def _greedy_answers(lessons, max_new_tokens):
    """The shipped base's greedy answers to (prompt, answer) lessons, as text."""
    from simplex_training.model.generate import generate
    from simplex_training.model.llama import LlamaModel
    from simplex_training.tokenizer.chat import encode_prompt, end_id

    cfg, weights, tok, _ = read_llama_gguf(default_base_path())
    model = LlamaModel(cfg, weights={k: np.asarray(v, np.float32) for k, v in weights.items()})
    stops = [end_id(tok), tok.eos_id]
    outs = generate(model, [encode_prompt(tok, p) for p, _ in lessons], max_new_tokens, stop_ids=stops)
    return [tok.decode([t for t in out if t not in stops]).strip() for out in outs]


def test_base_copies_a_span_from_its_prompt():
    """The reading stage's point: held-out "which X does the passage give" lessons (a seed the corpus
    never used) are answered by copying the span exactly (benchmarks/copy_probe.py: 20/20)."""
    import random

    from simplex_training.pretrain.corpus import _faker
    from simplex_training.pretrain.corpus_reading import READING_LESSON_KINDS

    r, f = random.Random("assets-test:31337"), _faker(31337)
    lessons = [READING_LESSON_KINDS["span"](r, f) for _ in range(8)]
    answers = _greedy_answers(lessons, 40)
    exact = sum(a == want for a, (_, want) in zip(answers, lessons))
    assert exact >= 7, list(zip(answers, [w for _, w in lessons]))


def test_base_fills_a_record_of_several_roles_from_prose():
    """The numeracy phase's point for extraction: held-out prose naming a person, a contact, an
    organisation, a city, a date and an e-mail is turned into JSON by role (4/8 exact with the shipped
    base, 7/8 before its coverage phase; the base before the numeracy phase answers none)."""
    import random

    from simplex_training.pretrain.corpus import _faker
    from simplex_training.pretrain.corpus_numeracy import NUMERACY_LESSON_KINDS

    r, f = random.Random("assets-test:31337"), _faker(31337)
    lessons = [NUMERACY_LESSON_KINDS["roles"](r, f) for _ in range(8)]
    answers = _greedy_answers(lessons, 80)
    assert sum(a == want for a, (_, want) in zip(answers, lessons)) >= 4, answers


def test_base_was_trained_on_every_token_text_can_produce():
    """The coverage phase: every learned piece and every byte token some text is written with was a
    target in the shipped base's pretraining corpora (counted when it was built)."""
    import json

    _, _, _, meta = read_llama_gguf(default_base_path())
    cov = json.loads(meta["simplex.pretrain.summary"])["vocabulary_coverage"]
    assert cov["learned_pieces"] == 3834 and cov["bytes_producible"] == 128
    assert cov["pieces_never"] == cov["pieces_rare"] == cov["bytes_never"] == cov["bytes_rare"] == 0
