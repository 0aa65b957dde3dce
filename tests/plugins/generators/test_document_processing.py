"""Content tests for the document-processing generators: values are re-read from the document text."""

from __future__ import annotations

import csv
import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from simplex_training.pluginmanager import get_host

IDS = ("document_extraction", "invoice_processing", "contract_analysis", "resume_parsing")


def examples(name: str, n: int = 300, difficulty: str = "medium", seed: int = 3):
    return list(get_host().registry("generators")[name].generate(n, seed=seed, difficulty=difficulty))


@pytest.mark.parametrize("spec_id", IDS)
def test_response_is_the_gold_json(spec_id: str) -> None:
    for ex in examples(spec_id, 100, "hard"):
        body = ex.response
        if spec_id == "document_extraction" and ex.metadata["doc_kind"] != "table":
            head, body = body.split("\n", 1)
            assert head == "Fields: " + ", ".join(ex.metadata["fields"])  # in the instruction's order
            assert ", ".join(ex.metadata["fields"]) in ex.prompt.split("\n", 1)[0]
        assert json.loads(body) == ex.metadata["fields"]


# -- invoice_processing ----------------------------------------------------------------------------

ITEM_PATTERNS = (
    re.compile(r"^(?P<q>\d+) x (?P<n>.+) @ \D*(?P<u>\d+\.\d\d) = \D*(?P<a>\d+\.\d\d)$", re.M),
    re.compile(r"^(?P<n>[A-Z0-9][A-Z0-9 .-]+)  (?P<q>\d+) x (?P<u>\d+\.\d\d)  (?P<a>\d+\.\d\d)$", re.M),
    re.compile(r"(?P<q>\d+) (?P<n>[^;:]+?) at \D*(?P<u>\d+\.\d\d) each \(\D*(?P<a>\d+\.\d\d)\)"),
    re.compile(r"^(?P<n>[^|\n]+) \| (?P<q>\d+) \| (?P<u>\d+\.\d\d) \| (?P<a>\d+\.\d\d)$", re.M),
)


def _items(prompt: str, layout: int) -> list[tuple[int, Decimal, Decimal]]:
    return [(int(m["q"]), Decimal(m["u"]), Decimal(m["a"])) for m in ITEM_PATTERNS[layout].finditer(prompt)]


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_invoice_totals_are_computed_from_line_items(difficulty: str) -> None:
    for ex in examples("invoice_processing", 300, difficulty):
        f, layout = ex.metadata["fields"], ex.metadata["phrasing"]
        assert set(f) == {"invoice_number", "vendor", "date", "subtotal", "tax", "total"}
        items = _items(ex.prompt, layout)
        assert len(items) == len(ex.metadata["line_items"]) >= 1, ex.prompt
        for q, u, a in items:
            assert q * u == a
        subtotal = sum((a for *_, a in items), Decimal("0.00"))
        rate = int(re.search(r"(?:Tax|TAX|tax)[^%\n]*?(\d+)%|charged at (\d+)%", ex.prompt).group(1)
                   or re.search(r"charged at (\d+)%", ex.prompt).group(1))
        tax = (subtotal * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert f["subtotal"] == str(subtotal), ex.prompt
        assert f["tax"] == str(tax)
        assert f["total"] == str(subtotal + tax)
        assert re.fullmatch(r"\d+\.\d\d", f["total"])
        printed = f["total"] in ex.prompt and f["subtotal"] in ex.prompt
        if difficulty == "hard":
            assert ex.metadata["derived"] == ["subtotal", "tax", "total"]
            body = ex.prompt.split("\n\n", 1)[1]
            assert not re.search(r"(?i)\b(subtotal|total|amount due|gross|net)\b", body)
        else:
            assert printed and "derived" not in ex.metadata
        assert f["invoice_number"] in ex.prompt and f["vendor"] in ex.prompt


def test_invoice_date_is_the_issue_date_not_the_due_date() -> None:
    for ex in examples("invoice_processing", 300, "medium"):
        d = ex.metadata["fields"]["date"]
        line = next(ln for ln in ex.prompt.split("\n") if d in ln)
        assert not re.search(r"(?i)due", line.split(d)[0][-25:]), line


# -- document_extraction ---------------------------------------------------------------------------


def _label_value_units(prompt: str, layout: int) -> list[str]:
    lines = prompt.split("\n\n", 1)[1].split("\n")[1:]  # the document after its title
    return [u for ln in lines for u in (ln.split("; ") if layout == 3 else [ln])]


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_document_fields_sit_next_to_their_labels(difficulty: str) -> None:
    from simplex_training.plugins.generators.document_processing import LABELS

    kinds = set()
    for ex in examples("document_extraction", 300, difficulty):
        fields, layout = ex.metadata["fields"], ex.metadata["phrasing"]
        kinds.add(ex.metadata["doc_kind"])
        if ex.metadata["doc_kind"] == "table":
            lines = ex.prompt.split("\n\n", 1)[1].split("\n")[1:]  # after the title
            split = (lambda ln: ln.split(" | "), lambda ln: next(csv.reader([ln])), lambda ln: re.split(r" {2,}", ln),
                     lambda ln: [c.split(": ", 1)[1] for c in ln.split(": ", 1)[1].split("; ")])[layout]
            rows = [split(ln) for ln in lines if not set(ln) <= set("-| ")]
            data = rows if layout == 3 else rows[1:]  # layouts 0-2 start with a header row
            assert data == [[str(v) for v in row.values()] for row in fields["rows"]], ex.prompt
            continue
        units = _label_value_units(ex.prompt, layout)
        pattern = (r"(.+?): (.*)", r"(.+?) \.+ (.*)", r"\| (.+?) \| (.*) \|", r"(.+?) = (.*)")[layout]
        pairs = [m.groups() for u in units if (m := re.fullmatch(pattern, u))]
        for key, value in fields.items():
            labels = [lab.lower() for lab, v in pairs if v == str(value)]
            assert labels, (key, value, ex.prompt)
            assert any(lab.lower() in labels for lab in LABELS[key]), (key, labels)
    assert len(kinds) == 5


def test_document_difficulty_adds_fields_and_distractors() -> None:
    def stats(d: str) -> tuple[float, float]:
        exs = [e for e in examples("document_extraction", 300, d) if e.metadata["doc_kind"] != "table"]
        n_fields = sum(len(e.metadata["fields"]) for e in exs) / len(exs)
        n_units = sum(len(_label_value_units(e.prompt, e.metadata["phrasing"])) for e in exs) / len(exs)
        return n_fields, n_units

    (fe, ue), (fm, um), (fh, uh) = stats("easy"), stats("medium"), stats("hard")
    assert fe < fm < fh and ue < um < uh


# -- contract_analysis -----------------------------------------------------------------------------

RISK_RULES = {
    "automatic renewal": r"renews automatically",
    "unlimited liability": r"liability is unlimited",
    "unilateral termination": r"only for material breach",
    "exclusivity": r"shall not serve competitors",
}


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_contract_fields_and_risks_follow_from_clauses(difficulty: str) -> None:
    seen_risks = set()
    for ex in examples("contract_analysis", 300, difficulty):
        f, text = ex.metadata["fields"], ex.prompt
        expected = [r for r, rx in RISK_RULES.items() if re.search(rx, text)]
        assert f["risks"] == expected, text
        seen_risks.update(expected)
        assert ex.metadata["derived"] == ["risks"]
        assert re.search(rf"starts on {re.escape(f['effective_date'])} and runs for {re.escape(f['term'])}\.", text)
        a, b = f["parties"]
        assert f"Between {a} (Client) and {b} (Provider)." in text
        assert f["contract_type"].lower() in text.lower().split("\n")[2]
        n_keys = {"easy": 5, "medium": 7, "hard": 8}[difficulty]
        assert len(f) == n_keys
        if "governing_law" in f:
            assert f"laws of {f['governing_law']}." in text
            assert re.search(rf"{re.escape(f['termination_notice'])}' (written )?notice", text)
        if "payment_terms" in f:
            assert f"due within {f['payment_terms']} of receipt" in text
        if difficulty == "hard":  # the signature date is a distractor, not the effective date
            signed = re.search(r"Signed on (.+) by ", text).group(1)
            assert signed != f["effective_date"]
    assert seen_risks == set(RISK_RULES)


# -- resume_parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_resume_entries_are_read_from_one_line(difficulty: str) -> None:
    for ex in examples("resume_parsing", 300, difficulty):
        f, text = ex.metadata["fields"], ex.prompt
        lines = text.split("\n")
        assert f["name"] in text or f["name"].upper() in text
        assert all(s in text for s in f["skills"])
        for job in f.get("experience", []):
            # title, company and years of one job are printed together (in that order)
            frag = re.escape(job["title"]) + r".{1,6}" + re.escape(job["company"]) + r".{1,6}" + re.escape(job["years"])
            assert re.search(frag, text), (job, text)
            start, end = job["years"].split("-")
            assert end == "present" or int(end) > int(start)
        if "experience" in f:
            starts = [int(j["years"].split("-")[0]) for j in f["experience"]]
            assert starts == sorted(starts, reverse=True)  # most recent first
            assert int(f["education"]["year"]) <= starts[-1]
            edu = next(ln for ln in lines if f["education"]["institution"] in ln)
            assert f["education"]["degree"] in edu and f["education"]["year"] in edu
        if difficulty == "hard":  # the referee's e-mail is in the text but is not the candidate's
            ref_line = lines[-1]
            assert re.search(r"(?i)refer", "\n".join(lines[-2:])) and "@" in ref_line
            assert f["email"] not in ref_line and f["name"] not in ref_line


def test_resume_difficulty_changes_fields_and_jobs() -> None:
    easy, medium, hard = (examples("resume_parsing", 100, d) for d in ("easy", "medium", "hard"))
    assert all(set(e.metadata["fields"]) == {"name", "email", "phone", "location", "skills"} for e in easy)
    assert all(len(e.metadata["fields"]["experience"]) == 2 for e in medium)
    assert all(len(e.metadata["fields"]["experience"]) == 3 for e in hard)
