"""Pretraining: deterministic corpus, exact resume after a kill, a GGUF llama.cpp generates with."""

import itertools
from dataclasses import replace

import numpy as np
import pytest

from simplex_training.pretrain.corpus import DOCUMENT_KINDS, LESSON_KINDS, documents, lessons
from simplex_training.pretrain.run import (Phase, PretrainConfig, ReadingStage, batch_at, batch_from_starts, pretrain,
                                          tiny_config)


def test_corpus_is_deterministic_and_varied():
    a = list(itertools.islice(documents(3), 300))
    assert a == list(itertools.islice(documents(3), 300))
    assert a != list(itertools.islice(documents(4), 300))
    assert len(set(a)) > 290
    les = list(itertools.islice(lessons(3), 300))
    assert les == list(itertools.islice(lessons(3), 300))
    assert len(DOCUMENT_KINDS) >= 10 and len(LESSON_KINDS) >= 8


def test_corpus_does_not_depend_on_the_day_it_is_built(monkeypatch):
    """Faker's dates run up to *now* by default; the corpora pin that end, so another day gives
    the same documents and lessons."""
    import datetime as dt

    import faker.providers.date_time as faker_dates

    from simplex_training.pretrain.corpus_reading import READING_DOCUMENT_KINDS, READING_LESSON_KINDS

    def sample():
        docs = list(itertools.islice(documents(5, kinds=list(READING_DOCUMENT_KINDS.values())), 200))
        return docs + list(itertools.islice(documents(5), 200)), list(
            itertools.islice(lessons(5, kinds=list(READING_LESSON_KINDS.values())), 300))

    today = sample()

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206
            return dt.datetime(2031, 5, 5, tzinfo=tz)

    monkeypatch.setattr(faker_dates, "datetime", Later)
    assert sample() == today
    assert any(str(y) in " ".join(today[0]) for y in range(1971, 2025))  # dates are in it


def test_lessons_are_correct():
    for prompt, response in itertools.islice(lessons(1), 500):
        if prompt.startswith("What is ") and " plus " in prompt:
            a, b = prompt[len("What is "):-1].split(" plus ")
            assert int(response) == int(a) + int(b)
        elif prompt.startswith("Sort ascending: "):
            nums = [int(x) for x in prompt.split(": ", 1)[1].split()]
            assert response == " ".join(map(str, sorted(nums)))
        elif prompt.startswith("Write in upper case: "):
            assert response == prompt.split(": ", 1)[1].upper()


def test_lessons_avoid_specialist_templates():
    markers = ("Sentiment", "SQL", "invoice", "Classify", "Summar", "Translate")
    for prompt, _ in itertools.islice(lessons(0), 2000):
        assert not any(m.lower() in prompt.lower() for m in markers), prompt


def test_batches_depend_only_on_seed_and_step():
    tokens = np.arange(10_000, dtype=np.uint16)
    x1, y1 = batch_at(tokens, 5, 17, 4, 32)
    x2, y2 = batch_at(tokens, 5, 17, 4, 32)
    assert np.array_equal(x1, x2) and np.array_equal(y1[:, :-1], x1[:, 1:])
    assert not np.array_equal(x1, batch_at(tokens, 5, 18, 4, 32)[0])


class Stop(Exception):
    pass


def _kill_at(n):
    def progress(step, rec):
        if step == n:
            raise Stop
    return progress


def _same_weights(a, b):
    from simplex_training.gguf.reader import read_llama_gguf

    _, wa, _, _ = read_llama_gguf(a)
    _, wb, _, _ = read_llama_gguf(b)
    return wa.keys() == wb.keys() and all(np.array_equal(wa[k], wb[k]) for k in wa)


@pytest.mark.slow
@pytest.mark.parametrize("kill", [9, 15, 18, 21, 23])  # first stage, reading phases 1 and 2, numeracy, coverage
def test_tiny_pretrain_resume_is_exact_and_llamacpp_generates(tmp_path, kill):
    from llama_cpp import Llama

    cfg = replace(tiny_config(0), steps=12, checkpoint_every=4)
    assert cfg.total_steps == 24
    full = pretrain(cfg, tmp_path / "a", tmp_path / "a.gguf", log=lambda m: None)
    with pytest.raises(Stop):
        pretrain(cfg, tmp_path / "b", tmp_path / "b.gguf", log=lambda m: None, progress=_kill_at(kill))
    assert not (tmp_path / "b.gguf").exists()
    resumed = pretrain(cfg, tmp_path / "b", tmp_path / "b.gguf", log=lambda m: None)
    assert resumed["final_loss"] == full["final_loss"] and resumed["tokens_seen"] == full["tokens_seen"]
    assert full["steps"] == 24 and full["reading_tokens"] > 0 and full["numeracy_tokens"] > 0
    assert full["coverage_tokens"] > 0
    assert _same_weights(tmp_path / "a.gguf", tmp_path / "b.gguf")
    assert full["final_loss"] < 6.0  # below uniform (ln 512 = 6.24): it learned something
    llm = Llama(str(tmp_path / "a.gguf"), n_ctx=128, verbose=False)
    out = llm("Repeat exactly: hello", max_tokens=8, temperature=0.0)
    assert out["usage"]["completion_tokens"] >= 1


def test_first_stage_checkpoint_continues_into_the_reading_stage(tmp_path):
    """How the shipped base was extended: a run without a reading stage, resumed with one, ends where
    a run with the reading stage from the start ends."""
    cfg = replace(tiny_config(0), steps=6, checkpoint_every=3)
    pretrain(replace(cfg, reading=None), tmp_path / "w", tmp_path / "first.gguf", log=lambda m: None)
    continued = pretrain(cfg, tmp_path / "w", tmp_path / "continued.gguf", log=lambda m: None)
    direct = pretrain(cfg, tmp_path / "d", tmp_path / "direct.gguf", log=lambda m: None)
    assert continued["final_loss"] == direct["final_loss"]
    assert _same_weights(tmp_path / "continued.gguf", tmp_path / "direct.gguf")
    with pytest.raises(ValueError, match="another configuration"):  # past the first stage: reading is fixed
        pretrain(replace(cfg, reading=replace(cfg.reading, phases=(Phase(5, 5e-3, 1e-4, 2),))), tmp_path / "w",
                 tmp_path / "x.gguf", log=lambda m: None)


def test_a_phase_added_after_a_finished_run_continues_it(tmp_path):
    """A finished run's checkpoint resumes with one more reading phase, and ends where a run with
    both phases from the start ends; changing a phase it already ran is refused."""
    cfg = replace(tiny_config(0), steps=4, checkpoint_every=2)
    one = replace(cfg, reading=replace(cfg.reading, phases=cfg.reading.phases[:1]))
    pretrain(one, tmp_path / "w", tmp_path / "one.gguf", log=lambda m: None)
    more = pretrain(cfg, tmp_path / "w", tmp_path / "more.gguf", log=lambda m: None)
    direct = pretrain(cfg, tmp_path / "d", tmp_path / "direct.gguf", log=lambda m: None)
    assert more["steps"] == direct["steps"] == 16 and more["final_loss"] == direct["final_loss"]
    assert _same_weights(tmp_path / "more.gguf", tmp_path / "direct.gguf")
    changed = replace(cfg.reading, phases=(Phase(5, 2e-3, 1e-4, 2),) + cfg.reading.phases[1:])
    with pytest.raises(ValueError, match="another configuration"):
        pretrain(replace(cfg, reading=changed), tmp_path / "w", tmp_path / "x.gguf", log=lambda m: None)


def test_reading_phases_schedule_the_learning_rate():
    stage = tiny_config(0).reading
    assert stage.steps == 12
    assert stage.lr_at(0) == pytest.approx(5e-4) and stage.lr_at(1) == pytest.approx(1e-3)  # warm-up of phase 1
    assert stage.lr_at(5) == pytest.approx(5e-4)  # phase 2 starts after its 1 warm-up step at its peak
    assert stage.phase_at(8) == (stage.phases[2], 0) and stage.phases[2].corpus == "numeracy"
    assert stage.phase_at(11) == (stage.phases[3], 1) and stage.phases[3].corpus == "coverage"
    with pytest.raises(ValueError):
        stage.lr_at(12)


def test_a_phase_names_a_known_corpus():
    with pytest.raises(ValueError, match="unknown pretraining corpus 'maths'"):
        ReadingStage(phases=(Phase(5, 1e-3, 1e-4, 2, corpus="maths"),))


def test_numeracy_phases_read_their_own_stream(tmp_path):
    """The numeracy corpus is built beside the reading one, from other items, and a checkpoint made
    before the numeracy phase does not depend on the numeracy corpus's settings."""
    from simplex_training.pretrain.run import build_reading_tokens, build_tokens, corpus_items

    cfg = tiny_config(0)
    reading, numeracy = corpus_items(cfg, "reading"), corpus_items(cfg, "numeracy")
    assert any("column.\n" in t + "\n" for t, p in numeracy)
    assert not any("column.\n" in t + "\n" for t, p in reading)
    tok, _ = build_tokens(cfg, tmp_path, log=lambda m: None)
    r_tokens, _, _ = build_reading_tokens(cfg, tok, tmp_path, lambda m: None, "reading")
    n_tokens, _, _ = build_reading_tokens(cfg, tok, tmp_path, lambda m: None, "numeracy")
    assert (tmp_path / "numeracy_tokens.npz").exists() and r_tokens.size != n_tokens.size
    shipped = PretrainConfig().reading.phases
    assert [p.corpus for p in shipped] == ["reading", "reading", "numeracy", "coverage"]
    other = replace(cfg.reading, numeracy_chars=99)
    assert other.entered(8) == cfg.reading.entered(8) and other.entered(9) != cfg.reading.entered(9)
    other = replace(cfg.reading, coverage_chars=99)
    assert other.entered(10) == cfg.reading.entered(10) and other.entered(11) != cfg.reading.entered(11)
    digits = cfg.reading.with_phase("digits", 3)
    other = replace(digits, digits_chars=99)
    assert other.entered(12) == digits.entered(12) and other.entered(13) != digits.entered(13)


@pytest.mark.parametrize("corpus", ["coverage", "digits"])
def test_the_tokenizer_corpora_need_the_tokenizer(corpus):
    from simplex_training.pretrain.run import corpus_items

    with pytest.raises(ValueError, match=f"the {corpus} corpus is made for a tokenizer"):
        corpus_items(tiny_config(0), corpus)


def test_phases_are_set_by_corpus_in_order():
    stage = tiny_config(0).reading
    assert [p.corpus for p in stage.with_phase("numeracy", 0).phases] == ["reading", "reading", "coverage"]
    assert stage.with_phase("numeracy", 7).phases[2] == Phase(7, 5e-4, 5e-5, 1, "numeracy")
    no_cov = stage.with_phase("coverage", 0)
    assert no_cov.phases == stage.phases[:3]
    assert no_cov.with_phase("coverage", 4).phases[3] == Phase(4, 5e-4, 5e-5, 1, "coverage")
    none = stage.with_phase("numeracy", 0).with_phase("coverage", 0)
    assert none.with_phase("numeracy", 2).with_phase("coverage", 3).phases[2:] == (
        Phase(2, 5e-4, 5e-5, 1, "numeracy"), Phase(3, 5e-4, 5e-5, 1, "coverage"))
    assert none.with_phase("coverage", 3).with_phase("numeracy", 2).phases[2].corpus == "numeracy"
    assert "digits" not in [p.corpus for p in PretrainConfig().reading.phases]  # opt-in, not shipped
    assert stage.with_phase("digits", 5).phases[4:] == (Phase(5, 5e-4, 5e-5, 1, "digits"),)
    assert [p.corpus for p in stage.with_phase("digits", 5).with_phase("coverage", 0).phases][-1] == "digits"


def test_reading_batches_start_at_items():
    tokens = np.arange(1000, dtype=np.uint16)
    starts = np.array([0, 100, 250, 990])
    x, y = batch_from_starts(tokens, starts, 0, 3, 16, 32)
    assert set(x[:, 0].tolist()) <= {0, 100, 250} and np.array_equal(y[:, :-1], x[:, 1:])


def test_answer_marks_cover_responses_and_documents(tmp_path):
    """A lesson's prompt tokens are not answers; its response and end tokens are, and so is every
    token of a document. The marks are cached with the stream."""
    from simplex_training.pretrain.run import _encode_items, build_reading_tokens, build_tokens
    from simplex_training.tokenizer.chat import encode_example

    cfg = tiny_config(0)
    tok, _ = build_tokens(cfg, tmp_path, log=lambda m: None)
    items = [("A short document.", None), ("Repeat: red fox", "red fox"), ("Another one here.", None)]
    tokens, starts, answer = _encode_items(tok, items)
    assert tokens.size == answer.size
    ex = encode_example(tok, "Repeat: red fox", "red fox")
    lesson = slice(starts[1], starts[2])
    assert answer[lesson].tolist() == [0] * ex.prompt_len + [1] * (len(ex.ids) - ex.prompt_len)
    assert tok.decode(tokens[lesson][answer[lesson] == 1].tolist()).startswith("red fox")
    assert answer[: starts[1]].all() and answer[starts[2]:].all()
    built = build_reading_tokens(cfg, tok, tmp_path, lambda m: None, "reading")
    again = build_reading_tokens(cfg, tok, tmp_path, lambda m: pytest.fail("rebuilt"), "reading")
    assert all(np.array_equal(a, b) for a, b in zip(built, again, strict=True))
    assert 0 < built[2].mean() < 1


def test_answers_only_batches_ignore_prompt_targets():
    tokens = np.arange(1000, dtype=np.uint16)
    starts = np.array([0, 100, 250, 990])
    answer = (np.arange(1000) % 10 >= 6).astype(np.uint8)  # 4 answer tokens after every 6 prompt tokens
    x, y = batch_from_starts(tokens, starts, 0, 3, 16, 32)
    xa, ya = batch_from_starts(tokens, starts, 0, 3, 16, 32, answer)
    assert np.array_equal(x, xa)  # same windows
    kept = ya != -100
    assert np.array_equal(ya[kept], y[kept]) and (answer[y[kept]] == 1).all() and (answer[y[~kept]] == 0).all()


def test_lesson_loss_is_checked_and_part_of_a_checkpoints_settings():
    with pytest.raises(ValueError, match="lesson_loss must be one of all, answers"):
        ReadingStage(lesson_loss="prompts")
    stage = tiny_config(0).reading
    assert replace(stage, lesson_loss="answers").entered(1) != stage.entered(1)


def test_changed_config_refuses_to_resume(tmp_path):
    cfg = replace(tiny_config(0), steps=2, checkpoint_every=1)
    pretrain(cfg, tmp_path / "w", tmp_path / "m.gguf", log=lambda m: None)
    with pytest.raises(ValueError, match="another configuration"):
        pretrain(replace(cfg, lr=1e-2), tmp_path / "w", tmp_path / "m2.gguf", log=lambda m: None)


@pytest.mark.parametrize("flag, steps", [("--reading", 15), ("--no-reading", 3), ("--numeracy-steps=0", 13),
                                         ("--numeracy-steps=4", 17), ("--coverage-steps=0", 13),
                                         ("--coverage-steps=5", 18), ("--digits-steps=4", 19),
                                         ("--equality-steps=4", 19), ("--recall-steps=4", 19),
                                         ("--lesson-loss=answers", 15)])
def test_cli_runs_or_skips_the_reading_stage(tmp_path, flag, steps):
    import json

    from click.testing import CliRunner

    from simplex_training.cli import cli

    result = CliRunner().invoke(cli, ["pretrain", "--preset", "tiny", "--steps", "3", flag, "--work",
                                       str(tmp_path / "w")])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["steps"] == steps and (summary["reading_tokens"] > 0) == (flag != "--no-reading")
    assert (summary["numeracy_tokens"] > 0) == (flag not in ("--no-reading", "--numeracy-steps=0"))
    assert (summary["coverage_tokens"] > 0) == (flag not in ("--no-reading", "--coverage-steps=0"))
    assert (summary["digits_tokens"] > 0) == (flag == "--digits-steps=4")
    assert (summary["equality_tokens"] > 0) == (flag == "--equality-steps=4")
    assert (summary["recall_tokens"] > 0) == (flag == "--recall-steps=4")
    assert (tmp_path / "w" / "base.gguf").exists()
    if flag != "--no-reading":
        from simplex_training.gguf.reader import read_llama_gguf

        meta = read_llama_gguf(tmp_path / "w" / "base.gguf")[3]
        lesson_loss = json.loads(meta["simplex.pretrain.summary"])["config"]["reading"]["lesson_loss"]
        assert lesson_loss == ("answers" if flag == "--lesson-loss=answers" else "all")
