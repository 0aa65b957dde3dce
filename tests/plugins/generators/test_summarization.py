"""Content tests for the summarization generators (news, meeting, document, multi-document)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from simplex_training.plugins.generators.summarization import (
    DocumentSummarizationGenerator,
    MeetingSummarizationGenerator,
    MultiDocSummarizationGenerator,
    NewsSummarizationGenerator,
)
from simplex_training.testing import sample_each_difficulty

GENS = [NewsSummarizationGenerator, MeetingSummarizationGenerator, DocumentSummarizationGenerator,
        MultiDocSummarizationGenerator]


def _sample(gen_cls: type, n: int = 150, seed: int = 3) -> list[Any]:
    return sample_each_difficulty(gen_cls(), n, seed)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d[\d,.]*\d|\d", text)


@pytest.mark.parametrize("gen_cls", GENS)
def test_summary_is_grounded_and_short(gen_cls: type) -> None:
    """Every number in the summary is in the text; summaries are much shorter than the texts."""
    for ex in _sample(gen_cls):
        for num in _numbers(ex.response):
            assert num in ex.prompt, (num, ex.response)
        assert len(ex.prompt) <= 900
        assert len(ex.response) < 0.75 * len(ex.prompt)
        assert ex.response.count(". ") <= 3


@pytest.mark.parametrize("gen_cls", GENS)
def test_difficulty_lengthens_texts(gen_cls: type) -> None:
    gen = gen_cls()
    avg = lambda d: sum(len(e.prompt) for e in gen.generate(100, seed=5, difficulty=d)) / 100  # noqa: E731
    assert avg("easy") < avg("medium") < avg("hard")


# -- news -----------------------------------------------------------------------------------------


def test_news_summary_states_key_facts_not_filler() -> None:
    for ex in _sample(NewsSummarizationGenerator):
        facts: dict[str, str] = ex.metadata["facts"]
        for key in ("org", "date", "person", "title"):
            assert facts[key] in ex.prompt and facts[key] in ex.response, key
        for key in ("target", "amount", "product", "price", "investor", "jobs", "facility", "revenue", "previous"):
            if key in facts:
                assert facts[key] in ex.prompt and facts[key] in ex.response, key
        assert ex.response.startswith(f"On {facts['date']}, ") and ex.response.endswith(f"{facts['person']} ({facts['title']}) said.")
        for sentence in ex.metadata["filler"]:
            assert sentence in ex.prompt and sentence not in ex.response
        # distractor numbers (founding year, head count...) stay out: every number is a key fact's
        key_numbers = {n for v in facts.values() for n in _numbers(v)}
        assert set(_numbers(ex.response)) <= key_numbers, (ex.response, facts)
        if "direction" in facts:
            cur = int(facts["revenue"].strip("$ million"))
            prev = int(facts["previous"].strip("$ million"))
            assert facts["direction"] == ("up" if cur > prev else "down")
            assert f", {facts['direction']} from " in ex.response
            assert f"${prev} million" in ex.prompt and "earlier" in ex.prompt


def test_news_person_title_pairing_from_quote() -> None:
    for ex in _sample(NewsSummarizationGenerator, n=50):
        f = ex.metadata["facts"]
        assert f"said {f['person']}, {f['title']} of {f['org']}." in ex.prompt


# -- meeting --------------------------------------------------------------------------------------


def test_meeting_summary_decision_and_actions() -> None:
    for ex in _sample(MeetingSummarizationGenerator):
        md = ex.metadata
        # the decision is the one the chair confirms, not a rejected alternative
        m = re.search(r"^(\w+): So it's decided: we (.+)\.$", ex.prompt, re.M)
        assert m and m.group(2) == md["decision"]
        assert f"the team decided to {md['decision']}." in ex.response
        assert f"Today we need to settle the {md['topic']}." in ex.prompt
        rejected = re.findall(r"Should we (.+) instead\?", ex.prompt)
        for alt in rejected:
            assert alt != md["decision"] and alt not in ex.response
        for item in md["action_items"]:
            own, task, dl = item["owner"], item["task"], item["deadline"]
            said = f"{own}: I'll {task} by {dl}." in ex.prompt
            asked = f"{own}, can you {task} by {dl}?" in ex.prompt and f"{own}: Sure, will do." in ex.prompt
            assert said or asked, item
            assert f"{own} will {task} by {dl}." in ex.response
        speakers = set(re.findall(r"^(\w+):", ex.prompt, re.M))
        assert all(i["owner"] in speakers for i in md["action_items"])


def test_meeting_difficulty_structure() -> None:
    gen = MeetingSummarizationGenerator()
    easy = list(gen.generate(50, seed=2, difficulty="easy"))
    hard = list(gen.generate(50, seed=2, difficulty="hard"))
    assert all(len(e.metadata["action_items"]) == 1 and "instead?" not in e.prompt for e in easy)
    assert all(len(e.metadata["action_items"]) == 2 and "instead?" in e.prompt for e in hard)


# -- document -------------------------------------------------------------------------------------


def test_document_direction_computed_from_numbers() -> None:
    for ex in _sample(DocumentSummarizationGenerator):
        md = ex.metadata
        y1, y2 = md["years"]
        assert md["org"] in ex.prompt and md["org"] in ex.response
        assert f"recommend {md['recommendation']}" in ex.prompt
        assert ex.response.endswith(f"It recommends {md['recommendation']}.")
        for f in md["findings"]:
            a, b = f["start"], f["end"]
            assert str(a) in ex.prompt and str(b) in ex.prompt and f["metric"].lower() in ex.prompt.lower()
            word = "rose" if b > a else "fell"
            assert f"{f['metric']} {word} from {a} to {b} between {y1} and {y2}" in ex.response


def test_document_hard_has_two_findings() -> None:
    gen = DocumentSummarizationGenerator()
    assert all(len(e.metadata["findings"]) == 1 for e in gen.generate(40, seed=1, difficulty="easy"))
    assert all(len(e.metadata["findings"]) == 2 for e in gen.generate(40, seed=1, difficulty="hard"))


# -- multi-document -------------------------------------------------------------------------------


def test_multi_doc_merges_facts_from_every_document() -> None:
    for ex in _sample(MultiDocSummarizationGenerator):
        md = ex.metadata
        docs = re.findall(r"^\[\d\] .*$", ex.prompt, re.M)
        assert len(docs) == md["n_docs"]
        facts: dict[str, str] = md["facts"]
        for key, v in facts.items():
            assert v in ex.prompt and v in ex.response, key
        # each document contributes at least one fact that no other document has
        for i, doc in enumerate(docs):
            own = [v for v in facts.values() if v in doc and not any(v in d for j, d in enumerate(docs) if j != i)]
            assert own, (i, doc)
        assert facts["amount"] not in docs[0] and facts["date"] not in docs[1]
        for sentence in md["filler"]:
            assert sentence not in ex.response
        assert ("jobs" in facts) == (md["n_docs"] == 3)


def test_multi_doc_difficulty_doc_count() -> None:
    gen = MultiDocSummarizationGenerator()
    assert all(e.metadata["n_docs"] == 2 for e in gen.generate(30, seed=1, difficulty="easy"))
    assert all(e.metadata["n_docs"] == 3 for e in gen.generate(30, seed=1, difficulty="hard"))
