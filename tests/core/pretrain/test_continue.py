"""Continued pretraining from a finished GGUF (``simplex-train pretrain --init FILE.gguf``)."""

import shutil
from dataclasses import replace

import numpy as np
import pytest
from click.testing import CliRunner

from simplex_training.cli import cli
from simplex_training.gguf.reader import read_llama_gguf
from simplex_training.pretrain.run import continued_config, pretrain, tiny_config


class Stop(Exception):
    pass


def _quiet(message):
    pass


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A tiny finished base (first stage only) to continue from."""
    d = tmp_path_factory.mktemp("base")
    pretrain(replace(tiny_config(0), steps=4, reading=None), d / "w", d / "base.gguf", log=_quiet)
    return d / "base.gguf"


def test_a_continued_run_starts_from_the_file_and_runs_only_the_phases_given(tmp_path, base):
    cfg = continued_config(tiny_config(0), base, {"digits": 3, "numeracy": 2})
    assert cfg.steps == 0 and cfg.init == str(base)
    assert [(p.corpus, p.steps) for p in cfg.reading.phases] == [("numeracy", 2), ("digits", 3)]
    summary = pretrain(cfg, tmp_path / "w", tmp_path / "out.gguf", log=_quiet)
    assert summary["steps"] == 5 and summary["corpus_tokens"] == 0 and summary["digits_tokens"] > 0
    assert summary["reading_tokens"] == 0 and len(summary["init_sha256"]) == 16
    c0, w0, t0, _ = read_llama_gguf(base)
    c1, w1, t1, _ = read_llama_gguf(tmp_path / "out.gguf")
    assert c1 == c0 and t1.pieces == t0.pieces
    assert all(w1[k].shape == w0[k].shape for k in w0)
    moved = [k for k in w0 if not np.array_equal(w0[k], w1[k])]
    assert len(moved) == len(w0)  # every weight trained, from the file's values
    assert max(float(np.abs(w1[k] - w0[k]).max()) for k in w0) < 0.05  # a few small steps away, not a new model


def test_a_continued_run_resumes_exactly_and_only_from_its_own_start(tmp_path, base):
    start = tmp_path / "start.gguf"
    shutil.copyfile(base, start)
    cfg = replace(continued_config(tiny_config(0), start, {"coverage": 4}), checkpoint_every=2)
    full = pretrain(cfg, tmp_path / "a", tmp_path / "a.gguf", log=_quiet)

    def kill(step, rec):
        if step == 3:
            raise Stop

    with pytest.raises(Stop):
        pretrain(cfg, tmp_path / "b", tmp_path / "b.gguf", log=_quiet, progress=kill)
    resumed = pretrain(cfg, tmp_path / "b", tmp_path / "b.gguf", log=_quiet)
    assert resumed["final_loss"] == full["final_loss"]
    _, wa, _, _ = read_llama_gguf(tmp_path / "a.gguf")
    _, wb, _, _ = read_llama_gguf(tmp_path / "b.gguf")
    assert all(np.array_equal(wa[k], wb[k]) for k in wa)

    # the file at the same path now holds another model: its checkpoint is refused
    pretrain(replace(tiny_config(1), steps=4, reading=None), tmp_path / "o", start, log=_quiet)
    with pytest.raises(ValueError, match="another starting model"):
        pretrain(cfg, tmp_path / "b", tmp_path / "c.gguf", log=_quiet)


def test_a_continued_run_is_checked(tmp_path, base):
    with pytest.raises(ValueError, match="at least one phase"):
        continued_config(tiny_config(0), base, {"digits": 0})
    cfg = continued_config(tiny_config(0), base, {"digits": 2})
    with pytest.raises(ValueError, match="no first stage"):
        pretrain(replace(cfg, steps=3), tmp_path / "w", tmp_path / "x.gguf", log=_quiet)
    with pytest.raises(ValueError, match="is not this run's model"):
        pretrain(replace(cfg, model=replace(cfg.model, dim=32)), tmp_path / "w", tmp_path / "x.gguf", log=_quiet)


def test_the_cli_continues_a_base_and_refuses_what_makes_no_sense(tmp_path, base):
    runner = CliRunner()
    args = ["pretrain", "--preset", "tiny", "--init", str(base), "--work", str(tmp_path / "w")]
    for extra, message in ((["--steps", "5", "--digits-steps", "2"], "no first stage"),
                           (["--no-reading", "--digits-steps", "2"], "no first stage"),
                           ([], "at least one phase")):
        res = runner.invoke(cli, args + extra)
        assert res.exit_code == 2 and message in res.output, res.output
    res = runner.invoke(cli, args + ["--digits-steps", "2"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "w" / "base.gguf").exists() and '"steps": 2' in res.output
