"""Training records for fine-tuning: from a specialist's generator or from a user's JSONL file.

A :class:`Record` is one training sequence in one of three shapes:

* **pair** -- ``prompt`` + ``response``: the prompt is templated and masked, the loss is on the
  response, ``<|end|>`` and ``</s>`` (JSONL keys ``prompt``/``response`` or ``prompt``/``completion``,
  optional ``metadata`` object; a ``messages`` list with one user turn, an optional system message
  before it and one assistant turn is the same thing);
* **text** -- ``text``: the whole text is trained (no template, no mask), then ``</s>``;
* **chat** -- ``messages`` with several turns: the loss is on every assistant turn.

An object with ``prompt`` and ``response`` and also ``text`` (the original Simplex loader's format C)
is a pair. Blank lines are ignored. A malformed line raises :class:`~simplex_training.errors.DataError`
naming the file, the line and the problem, or with ``skip_bad=True`` is skipped and counted
(:class:`LoadedData.skipped`). A dataset with no usable record is an error, never an empty run.

Splits: generator data is one deterministic stream of ``n`` examples assigned to train/val/test by
:class:`~simplex_training.data.SplitAssigner` (exactly what ``simplex-train generate --split`` writes).
A user file is split the same way line by line, unless it is ``X.train.jsonl`` and ``X.val.jsonl``
(and optionally ``X.test.jsonl``) exist beside it, which are then used as given.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from simplex_training.data import SplitAssigner, TrainingExample
from simplex_training.errors import DataError

ROLES = ("system", "user", "assistant")
FORMATS = "'prompt'+'response', 'prompt'+'completion', 'text' or 'messages'"


@dataclass(frozen=True)
class Record:
    """One training sequence (see the module docstring); ``source`` says where it came from."""

    source: str
    prompt: str | None = None
    response: str | None = None
    text: str | None = None
    messages: tuple[tuple[str, str], ...] | None = None
    metadata: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def kind(self) -> str:
        if self.prompt is not None:
            return "pair"
        return "text" if self.text is not None else "chat"

    def as_example(self) -> TrainingExample | None:
        """A :class:`TrainingExample` for generation-based evaluation (pairs only)."""
        if self.kind != "pair":
            return None
        return TrainingExample(prompt=self.prompt, response=self.response, metadata=self.metadata)


@dataclass
class LoadedData:
    """Train/val/test records plus what was skipped on the way (``skipped``: one message per line)."""

    train: list[Record]
    val: list[Record]
    test: list[Record]
    source: str
    skipped: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"train": len(self.train), "val": len(self.val), "test": len(self.test), "skipped": len(self.skipped)}


def _text(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj[key]
    if not isinstance(value, str):
        raise DataError(f"{where}: field '{key}' must be a string, got {type(value).__name__}")
    if not value.strip():
        raise DataError(f"{where}: field '{key}' is empty")
    return value


def _messages(value: Any, where: str) -> list[tuple[str, str]]:
    if not isinstance(value, list) or not value:
        raise DataError(f"{where}: field 'messages' must be a non-empty list of {{'role', 'content'}} objects")
    out: list[tuple[str, str]] = []
    for i, m in enumerate(value):
        if not isinstance(m, dict) or "role" not in m or "content" not in m:
            raise DataError(f"{where}: messages[{i}] must be an object with 'role' and 'content'")
        role, content = m["role"], m["content"]
        if role not in ROLES:
            raise DataError(f"{where}: messages[{i}].role {role!r} is not one of {', '.join(ROLES)}")
        if not isinstance(content, str) or (role == "assistant" and not content.strip()):
            raise DataError(f"{where}: messages[{i}].content must be a non-empty string")
        out.append((role, content))
    if not any(role == "assistant" for role, _ in out):
        raise DataError(f"{where}: 'messages' has no assistant turn (nothing to learn)")
    return out


def parse_record(obj: Any, where: str) -> Record:
    """One JSON value -> :class:`Record`, or :class:`DataError` naming ``where`` and the problem."""
    if not isinstance(obj, dict):
        raise DataError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    metadata = obj.get("metadata", {})
    if not isinstance(metadata, dict):
        raise DataError(f"{where}: field 'metadata' must be an object, got {type(metadata).__name__}")
    if "prompt" in obj:
        key = "response" if "response" in obj else "completion" if "completion" in obj else None
        if key is None:
            raise DataError(f"{where}: has 'prompt' but no 'response' or 'completion'")
        return Record(where, prompt=_text(obj, "prompt", where), response=_text(obj, key, where), metadata=metadata)
    if "messages" in obj:
        msgs = _messages(obj["messages"], where)
        roles = [r for r, _ in msgs]
        if roles in (["user", "assistant"], ["system", "user", "assistant"]):  # single turn: a pair
            prompt = msgs[-2][1] if roles[0] == "user" else f"{msgs[0][1]}\n\n{msgs[1][1]}"
            if not prompt.strip():
                raise DataError(f"{where}: the user message is empty")
            return Record(where, prompt=prompt, response=msgs[-1][1], metadata=metadata)
        return Record(where, messages=tuple(msgs), metadata=metadata)
    if "text" in obj:
        return Record(where, text=_text(obj, "text", where), metadata=metadata)
    keys = ", ".join(sorted(map(str, obj))) or "none"
    raise DataError(f"{where}: unknown record format: expected {FORMATS} (keys found: {keys})")


def jsonl_lines(fh: IO[str], name: str | Path) -> Iterator[tuple[str, str]]:
    """(``"NAME line N"``, line) for each non-blank line of an open text file; a line that is not
    UTF-8 raises :class:`DataError` naming it."""
    lineno = 0
    while True:
        where = f"{name} line {lineno + 1}"
        try:
            line = fh.readline()
        except UnicodeDecodeError as exc:
            raise DataError(f"{where}: not UTF-8 text ({exc.reason})") from None
        if not line:
            return
        lineno += 1
        if line.strip():
            yield where, line


def json_value(line: str, where: str) -> Any:
    """The JSON value of one line, or :class:`DataError` naming ``where``."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None


def read_jsonl(path: str | Path, skip_bad: bool = False) -> tuple[list[Record], list[str]]:
    """Records of a JSONL file and the messages of skipped lines (only with ``skip_bad``)."""
    path = Path(path)
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{path}: cannot read data file ({exc.strerror or exc})") from None
    records: list[Record] = []
    skipped: list[str] = []
    with fh:
        for where, line in jsonl_lines(fh, path):
            try:
                records.append(parse_record(json_value(line, where), where))
            except DataError as exc:
                if not skip_bad:
                    raise
                skipped.append(str(exc))
    return records, skipped


def split_records(records: list[Record], fractions: tuple[float, float, float]) -> dict[str, list[Record]]:
    """Interleaved deterministic split with exact proportions (:class:`SplitAssigner`)."""
    assigner = SplitAssigner(fractions)
    out: dict[str, list[Record]] = {"train": [], "val": [], "test": []}
    for rec in records:
        out[assigner.next()].append(rec)
    return out


def _siblings(path: Path) -> dict[str, Path] | None:
    if not path.name.endswith(".train.jsonl"):
        return None
    stem = path.name[: -len(".train.jsonl")]
    found = {k: path.with_name(f"{stem}.{k}.jsonl") for k in ("train", "val", "test")}
    if not found["val"].exists():
        return None
    return {k: p for k, p in found.items() if p.exists()}


def load_user_data(path: str | Path, fractions: tuple[float, float, float] = (0.8, 0.1, 0.1),
                   skip_bad: bool = False) -> LoadedData:
    """Records of a user JSONL file (or a ``.train/.val/.test.jsonl`` set), split; errors are DataError."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: data file not found")
    files = _siblings(path)
    skipped: list[str] = []
    if files is not None:
        parts: dict[str, list[Record]] = {"train": [], "val": [], "test": []}
        for split, p in files.items():
            parts[split], bad = read_jsonl(p, skip_bad)
            skipped += bad
        source = ", ".join(str(p) for p in files.values())
    else:
        records, skipped = read_jsonl(path, skip_bad)
        if not records:
            why = f" ({len(skipped)} malformed lines skipped)" if skipped else " (the file is empty)"
            raise DataError(f"{path}: no usable examples{why}")
        parts = split_records(records, fractions)
        source = str(path)
    if not parts["train"]:
        raise DataError(f"{source}: no training examples" + (f" ({len(skipped)} malformed lines skipped)"
                                                             if skipped else ""))
    return LoadedData(parts["train"], parts["val"], parts["test"], source, skipped)


def generator_data(specialist_id: str, n: int, seed: int,
                   fractions: tuple[float, float, float] = (0.8, 0.1, 0.1)) -> LoadedData:
    """``n`` examples from the specialist's registered generator, split from one stream."""
    from simplex_training.pluginmanager import get_host

    host = get_host()
    entry = host.registry("specialists")[specialist_id]
    gen = host.registry("generators")[entry.generator]
    if n < 1:
        raise DataError(f"{specialist_id}: n_examples must be >= 1, got {n}")
    records = [Record(f"{entry.generator}#{i}", prompt=ex.prompt, response=ex.response, metadata=ex.metadata)
               for i, ex in enumerate(gen.generate(n, seed=seed))]
    if not records:
        raise DataError(f"generator '{entry.generator}' produced no examples for '{specialist_id}'")
    parts = split_records(records, fractions)
    return LoadedData(parts["train"], parts["val"], parts["test"], f"generator '{entry.generator}' (seed {seed})")
