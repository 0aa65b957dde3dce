"""Content tests for the data generators (data_cleaning, data_transformation, table_qa)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from simplex_training.plugins.generators.data import (
    DataCleaningGenerator,
    DataTransformationGenerator,
    TableQAGenerator,
)
from simplex_training.testing import sample_each_difficulty


def _sample(gen_cls: type, n: int = 300, seed: int = 5, locale: str = "en_US") -> list[Any]:
    return sample_each_difficulty(gen_cls(), n, seed, locale=locale)


# -- data_cleaning: parse the messy record back out of the prompt and clean it independently -------

FIELD_RE = re.compile(r"""(\w+)(?:: '(.*?)'(?=\n|$)|="(.*?)"(?=; |\n|$)| = \[(.*?)\](?= \| |\n|$))""")


def parse_records(prompt: str) -> list[dict[str, str]]:
    records = []
    for line in prompt.splitlines():
        body = re.sub(r"^Record \d+: ", "", line)
        if body.startswith("{"):
            records.append(json.loads(body))
        elif line.startswith("Record "):
            records.append({m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in FIELD_RE.finditer(body)})
    if not records:  # one record: "k: 'v'" lines, 'k="v"; ...' or "k = [v] | ..."
        rec = {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in FIELD_RE.finditer(prompt)}
        records.append(rec)
    return records


def clean_date(text: str) -> str:
    text = " ".join(text.split())
    for fmt in ("%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%B %d, %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, fmt).strftime("%Y-%m-%d")
        except ValueError:
            continue
    raise AssertionError(f"unparsed date {text!r}")


def clean(field: str, value: str) -> str:
    if field in ("name", "city"):
        return " ".join(w[:1].upper() + w[1:].lower() for w in value.split())
    if field == "email":
        return value.strip().lower()
    if field == "phone":
        digits = re.sub(r"\D", "", value)
        assert len(digits) in (10, 11)
        return "+1" + digits[-10:]
    if field == "date":
        return clean_date(value)
    amount = Decimal(re.sub(r"[^\d.]", "", value))
    return str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize("locale", ["en_US", "de_DE"])
def test_data_cleaning_output_is_the_canonical_record(locale: str) -> None:
    for ex in _sample(DataCleaningGenerator, n=200, locale=locale):
        assert ex.response == ex.metadata["reference"]
        records = parse_records(ex.prompt)
        assert len(records) == ex.metadata["records"]
        expected = [{k: clean(k, v) for k, v in r.items()} for r in records]
        got = json.loads(ex.response)
        assert (got if isinstance(got, list) else [got]) == expected, (ex.prompt, ex.response)
        assert list(expected[0]) == ex.metadata["fields"]


def test_data_cleaning_inputs_are_messy_and_vary() -> None:
    exs = _sample(DataCleaningGenerator, n=200)
    messy = sum(ex.response not in ex.prompt for ex in exs)
    assert messy > 0.9 * len(exs)
    dates = [r["date"] for ex in exs for r in parse_records(ex.prompt) if "date" in r]
    shapes = {re.sub(r"\d", "9", re.sub(r"[A-Za-z]+", "A", d.strip())) for d in dates}
    assert len(shapes) >= 5  # several date formats


def test_data_cleaning_difficulty_changes_size() -> None:
    gen = DataCleaningGenerator()
    easy = list(gen.generate(50, seed=1, difficulty="easy"))
    hard = list(gen.generate(50, seed=1, difficulty="hard"))
    assert all(len(e.metadata["fields"]) == 3 and e.metadata["records"] == 1 for e in easy)
    assert all(e.metadata["records"] == 2 and isinstance(json.loads(e.response), list) for e in hard)


# -- data_transformation --------------------------------------------------------------------------


def _num(cell: str) -> object:
    return int(cell) if re.fullmatch(r"-?\d+", cell) else cell


def flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in obj.items():
        if isinstance(v, dict):
            out.update(flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def test_data_transformation_outputs_recomputed() -> None:
    kinds = set()
    for ex in _sample(DataTransformationGenerator):
        kind = ex.metadata["kind"]
        kinds.add(kind)
        assert ex.response == ex.metadata["reference"]
        if kind == "csv_to_json":
            lines = ex.prompt.splitlines()
            start = next(i for i, line in enumerate(lines) if re.fullmatch(r"[a-z]+(,[a-z]+)+", line))
            end = next((i for i in range(start + 1, len(lines)) if "," not in lines[i] or "(" in lines[i]), len(lines))
            text = "\n".join(lines[start:end])
            rows = [{k: _num(v) for k, v in r.items()} for r in csv.DictReader(io.StringIO(text))]
            assert json.loads(ex.response) == rows
            assert ex.response == json.dumps(rows, ensure_ascii=False)
        elif kind == "json_to_csv":
            data = json.loads(re.search(r"\[.*\]", ex.prompt).group(0))  # type: ignore[union-attr]
            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=list(data[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(data)
            assert ex.response == buf.getvalue().rstrip("\n")
        elif kind == "flatten":
            data = json.loads(re.search(r"\{.*\}", ex.prompt).group(0))  # type: ignore[union-attr]
            assert json.loads(ex.response) == flatten(data)
            assert list(json.loads(ex.response)) == list(flatten(data))
        elif kind == "temps":
            temps = re.search(r"(?:comma-separated: |Celsius: |keep order: |in C: )([-\d., ]+?)(?:\.?\n|\. List|$)", ex.prompt)
            assert temps, ex.prompt
            cs = [Decimal(t) for t in temps.group(1).split(", ")]
            expected = ", ".join(str((c * 9 / 5 + 32).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) for c in cs)
            assert ex.response == expected, (ex.prompt, ex.response)
        else:
            dates = re.findall(r"\b(\d\d)/(\d\d)/(\d{4})\b", ex.prompt)
            assert dates
            assert ex.response == ", ".join(f"{y}-{m}-{d}" for d, m, y in dates)
    assert kinds == {"csv_to_json", "json_to_csv", "flatten", "temps", "dates"}


def test_data_transformation_difficulty_changes_size() -> None:
    gen = DataTransformationGenerator()

    def size(d: str) -> float:
        exs = list(gen.generate(100, seed=1, difficulty=d))
        return sum(len(e.response) for e in exs) / len(exs)

    assert size("easy") < size("medium") < size("hard")


# -- table_qa: parse the markdown table and the question, recompute the answer ---------------------


def parse_table(prompt: str) -> tuple[list[str], list[dict[str, str]]]:
    lines = [line for line in prompt.splitlines() if line.startswith("|") and "---" not in line]
    cols = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = [dict(zip(cols, (c.strip() for c in line.strip("|").split("|")))) for line in lines[1:]]
    return cols, rows


def answer_table(prompt: str) -> str:
    cols, rows = parse_table(prompt)
    key, cat = cols[0], cols[1]
    by_lower = {c.lower(): c for c in cols}
    if m := re.search(r"What is the (\w+) value for (.+?)\?|Look up the (\w+) of (.+?)\.(?:\n|$)", prompt):
        col, name = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return next(r for r in rows if r[key] == name)[by_lower[col]]
    if m := re.search(r"What is (.+?)'s (\w+) minus (.+?)'s \w+\?", prompt):
        a = next(r for r in rows if r[key] == m.group(1))
        b = next(r for r in rows if r[key] == m.group(3))
        col = by_lower[m.group(2)]
        return str(int(a[col]) - int(b[col]))
    if m := re.search(r"Which \w+(?: in \w+ (\w+))? has the (highest|lowest) (\w+)\?", prompt):
        pool = [r for r in rows if m.group(1) is None or r[cat] == m.group(1)]
        col = by_lower[m.group(3)]
        pick = max if m.group(2) == "highest" else min
        return pick(pool, key=lambda r: int(r[col]))[key]
    if m := re.search(r"What is the total (\w+)(?: for \w+ (\w+))?\?", prompt):
        col = by_lower[m.group(1)]
        return str(sum(int(r[col]) for r in rows if m.group(2) is None or r[cat] == m.group(2)))
    if m := re.search(r"How many \w+s(?: in \w+ (\w+))? have (\w+) above (\d+)\?", prompt):
        col = by_lower[m.group(2)]
        return str(sum(1 for r in rows if int(r[col]) > int(m.group(3)) and (m.group(1) is None or r[cat] == m.group(1))))
    raise AssertionError(prompt)


def test_table_qa_answers_recomputed() -> None:
    qtypes = set()
    for ex in _sample(TableQAGenerator):
        qtypes.add(ex.metadata["qtype"])
        expected = answer_table(ex.prompt)
        assert ex.metadata["answer"] == expected, (ex.prompt, ex.response)
        assert ex.response.splitlines()[-1] == f"Answer: {expected}"
        if re.fullmatch(r"-?\d+", expected):
            assert ex.metadata["numeric_answer"] == float(expected)
        else:
            assert "numeric_answer" not in ex.metadata
    assert qtypes == {"lookup", "sum", "max", "min", "count", "diff", "sum_filter", "count_filter", "max_filter"}


def test_table_qa_difficulty_changes_rows() -> None:
    gen = TableQAGenerator()
    for d, n in (("easy", 3), ("medium", 5), ("hard", 7)):
        for ex in gen.generate(30, seed=1, difficulty=d):
            assert len(parse_table(ex.prompt)[1]) == n
