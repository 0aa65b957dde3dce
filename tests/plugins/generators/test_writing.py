"""Content tests for the writing generators (technical_writing, copywriting, email_writing,
report_generation, creative_writing)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from simplex_training.plugins.generators.writing import (
    GENRES,
    CopywritingGenerator,
    CreativeWritingGenerator,
    EmailWritingGenerator,
    ReportGenerationGenerator,
    TechnicalWritingGenerator,
)
from simplex_training.testing import sample_each_difficulty


def _sample(gen_cls: type, n: int = 150, seed: int = 3) -> list[Any]:
    return sample_each_difficulty(gen_cls(), n, seed)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d[\d,.]*\d|\d", text)


@pytest.mark.parametrize("gen_cls", [EmailWritingGenerator, TechnicalWritingGenerator, CreativeWritingGenerator])
def test_every_number_in_reference_is_in_prompt(gen_cls: type) -> None:
    """Nothing is invented: every number of the reference comes from the prompt."""
    for ex in _sample(gen_cls):
        text = re.sub(r"(?m)^\d+\. ", "", ex.response)  # numbered steps are layout, not facts
        for num in _numbers(text):
            assert num in ex.prompt, (num, ex.prompt, ex.response)


# -- email_writing --------------------------------------------------------------------------------


def test_email_structure_and_fact_order() -> None:
    for ex in _sample(EmailWritingGenerator):
        facts: dict[str, str] = ex.metadata["facts"]
        lines = ex.response.split("\n")
        assert lines[0].startswith("Subject: ") and lines[1] == ""
        recipient = re.fullmatch(r"Dear (.+),", lines[2]).group(1)  # type: ignore[union-attr]
        assert recipient in ex.prompt
        assert lines[-3] == "Best regards,"
        sender = lines[-2]
        assert sender in ex.prompt and sender != recipient
        body = lines[4]
        # every fact is stated, once per sentence, in the order the prompt lists them
        prompt_pos = [re.search(re.escape(k) + r"(: | = | -> )" + re.escape(v), ex.prompt).start()  # type: ignore[union-attr]
                      for k, v in facts.items()]
        assert prompt_pos == sorted(prompt_pos)
        pos = [re.search(r"(?<![\w:$,.-])" + re.escape(v) + r"(?![\w:])", body).start()  # type: ignore[union-attr]
               for v in facts.values()]
        assert pos == sorted(pos), (facts, body)
        assert "\n" not in body and lines[5] == ""
        first = next(iter(facts.values()))
        assert first in lines[0], "the subject names the first fact"


def test_email_difficulty_changes_fact_count() -> None:
    gen = EmailWritingGenerator()
    for d, lo, hi in (("easy", 2, 2), ("medium", 3, 3), ("hard", 4, 5)):
        for ex in gen.generate(60, seed=1, difficulty=d):
            assert lo <= len(ex.metadata["facts"]) <= hi


# -- technical_writing ----------------------------------------------------------------------------


def test_technical_facts_grounded_and_structured() -> None:
    for ex in _sample(TechnicalWritingGenerator):
        facts: dict[str, str] = ex.metadata["facts"]
        lines = ex.response.split("\n")
        assert len(lines) == 1 + len(facts)
        for key, v in facts.items():
            assert key in ex.prompt and v in ex.prompt and v.lower() in ex.response.lower(), (key, v)
        steps = [int(m.group(1)) for line in lines if (m := re.match(r"(\d+)\. ", line))]
        assert steps == list(range(1, len(steps) + 1))
        assert ex.metadata["doc_type"] in ex.prompt


def test_technical_fixed_document_order() -> None:
    order = {"release notes": ["Released on", "New:", "Fixed:", "Upgrade with"],
             "configuration reference entry": ["Sets the", "Default:", "Allowed values", "Override it", "Changes take"],
             "troubleshooting entry": ["Cause:", "Fix:", "Details are", "Affects", "If the problem"]}
    for ex in _sample(TechnicalWritingGenerator):
        marks = order.get(ex.metadata["doc_type"])
        if marks:
            pos = [ex.response.index(m) for m in marks if m in ex.response]
            assert pos == sorted(pos)


def test_technical_difficulty_adds_facts() -> None:
    gen = TechnicalWritingGenerator()
    avg = lambda d: sum(len(e.metadata["facts"]) for e in gen.generate(150, seed=2, difficulty=d)) / 150  # noqa: E731
    assert avg("easy") < avg("medium") < avg("hard")


# -- copywriting ----------------------------------------------------------------------------------


def test_copywriting_uses_prompt_facts() -> None:
    for ex in _sample(CopywritingGenerator):
        md = ex.metadata
        for f in md["features"]:
            assert f in ex.prompt and (f in ex.response or f[0].upper() + f[1:] in ex.response)
        assert md["product"] in ex.prompt and md["product"] in ex.response
        assert md["price"] in ex.prompt and md["price"] in ex.response
        if md["format"] == "social media post":
            assert ex.response.endswith("#" + md["product"].replace(" ", ""))
        if md["discount"]:
            price = float(md["price"].replace("$", "").replace(",", ""))
            m = re.search(r"Now (\d+)% off: \$([\d,.]+) instead of", ex.response)
            assert m and m.group(1) == md["discount"] and f"{md['discount']}%" in ex.prompt
            assert abs(float(m.group(2).replace(",", "")) - price * (100 - int(md["discount"])) / 100) < 0.006
        else:
            assert "% off" not in ex.response


def test_copywriting_difficulty_feature_count() -> None:
    gen = CopywritingGenerator()
    for d, n in (("easy", 2), ("medium", 3), ("hard", 4)):
        assert all(len(e.metadata["features"]) == n for e in gen.generate(40, seed=4, difficulty=d))


# -- report_generation ----------------------------------------------------------------------------


def _parse_table(prompt: str) -> list[tuple[str, int, int | None]]:
    """(name, current, previous) read back from any of the three table layouts."""
    rows: list[tuple[str, int, int | None]] = []
    num = lambda s: int(s.replace("$", "").replace(",", ""))  # noqa: E731
    lines = prompt.split("\n")
    pipe = [ln for ln in lines if ln.startswith("| ")]
    if pipe:
        head = [c.strip() for c in pipe[0].strip("|").split("|")]
        for ln in pipe[1:]:
            cells = [c.strip() for c in ln.strip("|").split("|")]
            if len(head) == 3:
                rows.append((cells[0], num(cells[2]), num(cells[1])))
            else:
                rows.append((cells[0], num(cells[1]), None))
        return rows
    for ln in lines:
        m = re.fullmatch(r"(.+?): (\$?[\d,]+)(?: \(previous quarter: (\$?[\d,]+)\))?", ln)
        if m:
            rows.append((m.group(1), num(m.group(2)), num(m.group(3)) if m.group(3) else None))
            continue
        m = re.fullmatch(r"([^,]+),(\d+)(?:,(\d+))?", ln)
        if m:
            rows.append((m.group(1), int(m.group(2)), int(m.group(3)) if m.group(3) else None))
    return rows


def test_report_figures_recomputed_from_prompt() -> None:
    for ex in _sample(ReportGenerationGenerator):
        rows = _parse_table(ex.prompt)
        assert [r[0] for r in rows] == ex.metadata["names"], ex.prompt
        cur = [r[1] for r in rows]
        total = sum(cur)
        fmt = lambda v: ("$" if "$" in ex.prompt else "") + (f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}")  # noqa: E731
        assert f": {fmt(total)} across {len(rows)} " in ex.response
        hi = max(rows, key=lambda r: r[1])
        lo = min(rows, key=lambda r: r[1])
        assert f"Highest: {hi[0]} ({fmt(hi[1])})." in ex.response
        assert f"Lowest: {lo[0]} ({fmt(lo[1])})." in ex.response
        assert f": {fmt(round(total / len(rows), 1))}." in ex.response
        if rows[0][2] is not None:
            prev = [r[2] for r in rows]
            ptotal = sum(prev)  # type: ignore[arg-type]
            assert f"{(total - ptotal) / ptotal * 100:+.1f}%" in ex.response
            deltas = [c - p for c, p in zip(cur, prev)]  # type: ignore[operator]
            big = max(abs(d) for d in deltas)
            mover = next(i for i, d in enumerate(deltas) if abs(d) == big)
            sign = "+" if deltas[mover] >= 0 else "-"
            assert f"Biggest change: {rows[mover][0]} ({sign}{fmt(big)})." in ex.response
        else:
            assert "Change vs" not in ex.response


def test_report_difficulty() -> None:
    gen = ReportGenerationGenerator()
    assert all(len(e.metadata["names"]) == 3 for e in gen.generate(30, seed=1, difficulty="easy"))
    hard = list(gen.generate(30, seed=1, difficulty="hard"))
    assert all(len(e.metadata["names"]) >= 5 and "previous" in e.metadata for e in hard)


# -- creative_writing -----------------------------------------------------------------------------


def test_creative_story_uses_all_elements() -> None:
    for ex in _sample(CreativeWritingGenerator):
        genre = ex.metadata["genre"]
        assert genre in ex.prompt
        els: dict[str, str] = ex.metadata["elements"]
        for key, v in els.items():
            assert v in ex.prompt, (key, v)
            assert v in ex.response, (key, v, ex.response)
        skel = GENRES[genre]
        opener = skel[0].format(**{k: els.get(k, "") for k in ("name", "occupation", "place", "year", "object", "goal",
                                                                 "obstacle", "companion")})
        assert ex.response.startswith(opener[0].upper() + opener[1:])
        assert ex.response.endswith(skel[5].format(name=els["name"]))
        optional = sum(k in els for k in ("goal", "obstacle", "companion"))
        assert ex.response.count(". ") + 1 == 3 + optional


def test_creative_difficulty_adds_elements() -> None:
    gen = CreativeWritingGenerator()
    size = lambda d: sum(len(e.response) for e in gen.generate(60, seed=2, difficulty=d))  # noqa: E731
    assert size("easy") < size("medium") < size("hard")
