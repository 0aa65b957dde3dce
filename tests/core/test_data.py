"""TrainingExample JSONL form, split parsing and assignment, atomic writes."""

import json
import os

import pytest

from simplex_training.atomic import atomic_write, atomic_write_text
from simplex_training.data import SplitAssigner, TrainingExample, parse_split


def test_example_json_is_stable_and_ordered():
    ex = TrainingExample(prompt="p", response="r", metadata={"label": "x", "é": 1})
    line = ex.to_json()
    assert list(json.loads(line)) == ["prompt", "response", "metadata"]
    assert "é" in line  # not escaped


def test_example_rejects_empty_and_extra_fields():
    with pytest.raises(ValueError):
        TrainingExample(prompt="", response="r")
    with pytest.raises(ValueError):
        TrainingExample(prompt="p", response="r", other=1)


@pytest.mark.parametrize("spec", ["0.8,0.2", "a,b,c", "0.5,0.5,0.5", "-0.1,0.6,0.5"])
def test_bad_split_specs(spec):
    with pytest.raises(ValueError, match="--split"):
        parse_split(spec)


def test_split_assignment_is_exact_and_interleaved():
    a = SplitAssigner(parse_split("0.8,0.1,0.1"))
    names = [a.next() for _ in range(1000)]
    assert names.count("train") == 800 and names.count("val") == 100 and names.count("test") == 100
    assert "val" in names[:20] and "test" in names[:20]


def test_atomic_write_replaces_only_on_success(tmp_path):
    target = tmp_path / "out.jsonl"
    atomic_write_text(target, "old\n")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as fh:
            fh.write("partial")
            raise RuntimeError("killed")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]  # temp file removed


def test_files_that_belong_together_change_together(tmp_path, monkeypatch):
    from simplex_training import atomic

    atomic.atomic_write_files({tmp_path / "w.bin": b"old weights", tmp_path / "c.json": b"old config"})
    real_fdopen, opened = os.fdopen, []

    def second_write_fails(fd, *args, **kwargs):
        opened.append(fd)
        if len(opened) == 2:
            raise OSError(28, "No space left on device")
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "fdopen", second_write_fails)
    with pytest.raises(OSError, match="No space left"):
        atomic.atomic_write_files({tmp_path / "w.bin": b"new weights", tmp_path / "c.json": b"new config"})
    monkeypatch.undo()
    assert (tmp_path / "w.bin").read_bytes() == b"old weights" and (tmp_path / "c.json").read_bytes() == b"old config"
    assert sorted(os.listdir(tmp_path)) == ["c.json", "w.bin"]  # both temporary files removed
    atomic.atomic_write_files({tmp_path / "w.bin": b"new weights", tmp_path / "c.json": b"new config"})
    assert (tmp_path / "w.bin").read_bytes() == b"new weights" and (tmp_path / "c.json").read_bytes() == b"new config"


def test_atomic_write_keeps_no_partial_file_under_final_name(tmp_path):
    target = tmp_path / "new.jsonl"
    with atomic_write(target) as fh:
        fh.write("x")
        assert not target.exists()
        assert any(p.name.startswith(".new.jsonl.") for p in tmp_path.iterdir())
    assert target.read_text() == "x"
    assert os.listdir(tmp_path) == ["new.jsonl"]
