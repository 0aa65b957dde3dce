"""Fine-tuning data: every JSONL format, malformed lines (line numbers, --skip-bad), splits, generator data."""

from __future__ import annotations

import json

import pytest

from simplex_training.errors import DataError
from simplex_training.finetune.data import generator_data, load_user_data, parse_record, read_jsonl


def write_jsonl(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def test_each_format_is_read(tmp_path):
    rows = [
        {"prompt": "Classify: great", "response": "positive", "metadata": {"label": "positive"}},
        {"prompt": "Classify: bad", "completion": "negative"},
        {"text": "Plain text, trained whole."},
        {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
                      {"role": "assistant", "content": "Hello."}]},
        {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."},
                      {"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Goodbye."}]},
        {"text": "P\n\nAssistant: R", "prompt": "P", "response": "R"},  # original format C: a pair
    ]
    recs, skipped = read_jsonl(write_jsonl(tmp_path / "d.jsonl", rows))
    assert skipped == []
    assert [r.kind for r in recs] == ["pair", "pair", "text", "pair", "chat", "pair"]
    assert (recs[0].prompt, recs[0].response) == ("Classify: great", "positive")
    assert recs[0].metadata == {"label": "positive"}
    assert recs[1].response == "negative"
    assert recs[3].prompt == "Be brief.\n\nHi" and recs[3].response == "Hello."  # renders like the chat template
    assert recs[4].messages[-1] == ("assistant", "Goodbye.")
    assert recs[0].as_example().response == "positive" and recs[2].as_example() is None
    assert recs[0].source.endswith("d.jsonl line 1")


@pytest.mark.parametrize(("line", "expected"), [
    ('{"prompt": "x", "response": "y"', "not valid JSON"),
    ('["prompt", "response"]', "expected a JSON object, got list"),
    ('{"question": "x", "answer": "y"}', "unknown record format"),
    ('{"prompt": "x"}', "no 'response' or 'completion'"),
    ('{"prompt": 3, "response": "y"}', "field 'prompt' must be a string"),
    ('{"prompt": "x", "response": "   "}', "field 'response' is empty"),
    ('{"messages": [{"role": "tool", "content": "x"}]}', "messages[0].role 'tool'"),
    ('{"messages": [{"role": "user", "content": "x"}]}', "no assistant turn"),
    ('{"prompt": "x", "response": "y", "metadata": [1]}', "'metadata' must be an object"),
])
def test_malformed_line_names_file_line_and_problem(tmp_path, line, expected):
    path = write_jsonl(tmp_path / "bad.jsonl", [{"prompt": "a", "response": "b"}, "", line])
    with pytest.raises(DataError) as info:
        read_jsonl(path)
    msg = str(info.value)
    assert f"{path} line 3" in msg and expected in msg


def test_skip_bad_skips_and_counts(tmp_path):
    rows = [{"prompt": f"p{i}", "response": f"r{i}"} for i in range(10)]
    rows[2], rows[7] = "{oops", {"foo": 1}
    loaded = load_user_data(write_jsonl(tmp_path / "d.jsonl", rows), skip_bad=True)
    assert len(loaded.skipped) == 2
    assert "line 3" in loaded.skipped[0] and "line 8" in loaded.skipped[1]
    assert loaded.counts() == {"train": 6, "val": 1, "test": 1, "skipped": 2}
    with pytest.raises(DataError, match="line 3"):
        load_user_data(tmp_path / "d.jsonl")


def test_empty_dataset_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="empty"):
        load_user_data(write_jsonl(tmp_path / "e.jsonl", ["", "  "]))
    with pytest.raises(DataError, match="no usable examples .2 malformed"):
        load_user_data(write_jsonl(tmp_path / "b.jsonl", ["{", "[]"]), skip_bad=True)
    with pytest.raises(DataError, match="not found"):
        load_user_data(tmp_path / "missing.jsonl")


def test_parse_record_rejects_non_objects():
    with pytest.raises(DataError, match="here: expected a JSON object"):
        parse_record(3, "here")


def test_split_files_beside_train_are_used(tmp_path):
    for split, n in (("train", 5), ("val", 2), ("test", 3)):
        write_jsonl(tmp_path / f"x.{split}.jsonl", [{"prompt": f"{split}{i}", "response": "r"} for i in range(n)])
    loaded = load_user_data(tmp_path / "x.train.jsonl")
    assert [len(loaded.train), len(loaded.val), len(loaded.test)] == [5, 2, 3]
    assert loaded.val[0].prompt == "val0"


def test_user_file_split_is_deterministic(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"prompt": f"p{i}", "response": "r"} for i in range(20)])
    a, b = load_user_data(path), load_user_data(path)
    assert [r.prompt for r in a.test] == [r.prompt for r in b.test]
    assert (len(a.train), len(a.val), len(a.test)) == (16, 2, 2)


def test_generator_data_is_one_deterministic_stream():
    a = generator_data("sentiment_analysis", 30, seed=3)
    b = generator_data("sentiment_analysis", 30, seed=3)
    assert (len(a.train), len(a.val), len(a.test)) == (24, 3, 3)
    assert [r.prompt for r in a.test] == [r.prompt for r in b.test]
    prompts = [r.prompt for r in a.train + a.val + a.test]
    assert len(set(prompts)) == 30  # disjoint splits
    assert a.test[0].metadata["label"] in ("positive", "negative", "neutral", "mixed")
    assert [r.prompt for r in generator_data("sentiment_analysis", 30, seed=4).test] != [r.prompt for r in a.test]
