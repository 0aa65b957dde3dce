"""Content tests for the verification generators (fact_checking, claim_detection)."""

from __future__ import annotations

import re
from typing import Any


from simplex_training.plugins.generators.verification import (
    CITIES,
    PRODUCTS,
    ClaimDetectionGenerator,
    FactCheckingGenerator,
)
from simplex_training.testing import sample_each_difficulty


def _sample(gen_cls: type, n: int = 300, seed: int = 5) -> list[Any]:
    return sample_each_difficulty(gen_cls(), n, seed)


# -- fact_checking: read the evidence for the company and judge the claim independently -------------

EVIDENCE_PATTERNS = {
    "founded": [r"{E} was (?:founded|established) in (\d{{4}})\."],
    "hq": [r"{E} is headquartered in ([A-Z]\w+)\.", r"The head office of {E} is in ([A-Z]\w+)\."],
    "employees": [r"{E} employs (\d+) people\.", r"{E} has a workforce of (\d+)\."],
    "ceo": [r"The chief executive of {E} is ([^.]+?)\.(?: |$)", r"(?:^| )([^.]+?) is the CEO of {E}\."],
    "product": [r"The main product of {E} is ([a-z ]+)\.", r"{E} is best known for its ([a-z ]+), its main product\."],
}


def read_evidence(evidence: str, company: str) -> dict[str, str]:
    facts: dict[str, str] = {}
    for attr, patterns in EVIDENCE_PATTERNS.items():
        for p in patterns:
            m = re.search(p.format(E=re.escape(company)), evidence)
            if m:
                facts[attr] = m.group(1)
    return facts


def claim_value(attr: str, claim: str) -> str:
    if attr in ("founded", "employees"):
        return re.findall(r"\d+", claim)[-1]
    if attr == "hq":
        return next(c for c in CITIES if c in claim)
    if attr == "product":
        return next(p for p in PRODUCTS if p in claim)
    m = re.search(r"^(.+?) is (?:not )?the CEO of|run by chief executive (.+)\.$", claim)
    assert m, claim
    return m.group(1) or m.group(2)


def judge(evidence: str, company: str, claim: str, attr: str) -> str:
    facts = read_evidence(evidence, company)
    if attr not in facts:
        return "not_enough_info"
    v = facts[attr]
    if m := re.search(r"founded (before|after) (\d+)", claim):
        ok = int(v) < int(m.group(2)) if m.group(1) == "before" else int(v) > int(m.group(2))
        return "supported" if ok else "refuted"
    if m := re.search(r"has (more|fewer) than (\d+) employees", claim):
        ok = int(v) > int(m.group(2)) if m.group(1) == "more" else int(v) < int(m.group(2))
        return "supported" if ok else "refuted"
    same = claim_value(attr, claim) == v
    negated = bool(re.search(r"\bnot\b", claim))
    return "supported" if same != negated else "refuted"


def _split(prompt: str) -> tuple[str, str]:
    ev = re.search(r"(?:Evidence: |\[evidence\] |passage: \")(.+?)\"?(?:\n|$)", prompt)
    cl = re.search(r"(?:Claim: |\[claim\] |statement \")(.+?)(?:\" is supported|\n|$)", prompt)
    assert ev and cl, prompt
    return ev.group(1), cl.group(1)


def test_fact_checking_labels_follow_from_evidence() -> None:
    forms = set()
    for ex in _sample(FactCheckingGenerator):
        evidence, claim = _split(ex.prompt)
        m = ex.metadata
        assert claim == m["claim"]
        worked, verdict = ex.response.rsplit("\n", 1)
        assert verdict == f"Verdict: {m['label']}"
        # one worked line per evidence sentence, and only a sentence on the claim's topic decides
        lines = worked.split("\n")
        assert lines[0].startswith("Claim: ") and len(lines) - 1 == len(re.findall(r"\.(?: |$)", evidence))
        deciding = [x for x in lines[1:] if not x.endswith(("another topic", "another company"))]
        assert len(deciding) == (m["label"] != "not_enough_info")
        # the evidence states exactly the listed attributes of the company, with the listed values
        facts = read_evidence(evidence, m["company"])
        assert sorted(facts) == sorted(m["evidence_attrs"]), (evidence, m["evidence_attrs"])
        for attr, value in m["facts"].items():
            assert facts[attr] == str(value)
        assert judge(evidence, m["company"], claim, m["claim_attr"]) == m["label"], (evidence, claim)
        forms.add((m["label"], m["claim_form"]))
    assert {("refuted", "changed"), ("refuted", "negated"), ("supported", "restate"),
            ("not_enough_info", "unstated")} <= forms
    assert any(f in forms for f in (("supported", "more_than"), ("supported", "before")))


def test_fact_checking_equal_values_repeat_the_claim_line() -> None:
    # `= claim` follows an evidence value exactly when `topic value` repeats the claim line's text, so
    # the deciding token is the continuation of an earlier line; a different value gets `!= claim`
    seen = set()
    for ex in _sample(FactCheckingGenerator):
        lines = ex.response.split("\n")
        claim_line = lines[0].removeprefix("Claim: ")
        for line in lines[1:-1]:
            if line.endswith((" = claim", " != claim")):
                same = line.endswith(" = claim")
                assert ("- " + claim_line == line) == same, ex.response
                assert ex.metadata["label"] == ("supported" if same else "refuted")
                seen.add(same)
        if ex.metadata["claim_form"] in ("restate", "changed", "unstated"):
            assert claim_line.endswith(" = claim")
    assert seen == {True, False}


def test_fact_checking_hard_nei_has_other_company_distractor() -> None:
    gen = FactCheckingGenerator()
    hard = [e for e in gen.generate(200, seed=3, difficulty="hard") if e.metadata["label"] == "not_enough_info"]
    assert hard
    for ex in hard:
        evidence, _ = _split(ex.prompt)
        # one more sentence than stated attributes: the same attribute for another company
        assert len(re.findall(r"\.(?: |$)", evidence)) == len(ex.metadata["evidence_attrs"]) + 1


def test_fact_checking_difficulty_changes_evidence_size() -> None:
    gen = FactCheckingGenerator()
    for d, n in (("easy", 2), ("medium", 3), ("hard", 4)):
        assert all(len(e.metadata["evidence_attrs"]) == n for e in gen.generate(30, seed=1, difficulty=d))


# -- claim_detection ------------------------------------------------------------------------------

OPINION = re.compile(r"\b(I think|in my opinion|honestly|I love|I feel|in my view)\b", re.I)
NON_ASSERTIVE = re.compile(r"^(Good morning|Thanks|Congratulations|Hi everyone|Please|Let's|Could you|Remember|"
                           r"I hope|I wish|Hopefully)\b")


def _sentence(prompt: str) -> str:
    for pat in (r"not_claim\.\n(.+)$", r"^Sentence: \"(.+)\"\n", r"^Claim detection: (.+)$", r" said: (.+)\n"):
        m = re.search(pat, prompt, re.S)
        if m:
            return m.group(1)
    raise AssertionError(prompt)


def test_claim_detection_label_follows_from_form() -> None:
    for ex in _sample(ClaimDetectionGenerator):
        text = _sentence(ex.prompt)
        assert text == ex.metadata["text"]
        is_question = text.endswith("?")
        non_claim = is_question or bool(OPINION.search(text)) or bool(NON_ASSERTIVE.search(text))
        assert non_claim == (ex.metadata["label"] == "not_claim"), text
        assert ex.response == f"Label: {ex.metadata['label']}"


def test_claim_detection_hard_breaks_surface_cues() -> None:
    gen = ClaimDetectionGenerator()
    hard = list(gen.generate(300, seed=2, difficulty="hard"))
    # not_claims with numbers, and claims without any digit
    assert any(e.metadata["label"] == "not_claim" and re.search(r"\d", e.metadata["text"]) for e in hard)
    assert any(e.metadata["label"] == "claim" and not re.search(r"\d", e.metadata["text"]) for e in hard)
    easy = list(gen.generate(300, seed=2, difficulty="easy"))
    numeric_nc = lambda exs: sum(e.metadata["label"] == "not_claim" and bool(re.search(r"\d", e.metadata["text"])) for e in exs)  # noqa: E731
    assert numeric_nc(hard) > numeric_nc(easy)
