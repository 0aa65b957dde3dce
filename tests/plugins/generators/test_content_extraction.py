"""Content tests for the content-extraction generators: gold structures are checked against the text."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from simplex_training.pluginmanager import get_host

IDS = ("entity_extraction", "relation_extraction", "event_extraction", "keyword_extraction")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_RE = re.compile(rf"\b(?:(?:{MONTHS}) \d{{1,2}}, \d{{4}}|\d{{1,2}} (?:{MONTHS}) \d{{4}}|\d{{4}}-\d\d-\d\d)\b")


def examples(name: str, n: int = 300, difficulty: str = "medium", seed: int = 9):
    return list(get_host().registry("generators")[name].generate(n, seed=seed, difficulty=difficulty))


def text_of(prompt: str) -> str:
    """The passage inside the prompt (in quotes / after 'Text:' or 'NER task.' / else the last line)."""
    if m := re.search(r'"([^"]{40,})"', prompt):
        return m.group(1)
    if m := re.search(r"(?:Text:|NER task\.) (.+)", prompt):
        return m.group(1)
    return prompt.split("\n")[-1]


@pytest.mark.parametrize("spec_id", IDS)
def test_response_is_the_gold_json(spec_id: str) -> None:
    for ex in examples(spec_id, 100, "hard"):
        assert json.loads(ex.response) == ex.metadata["fields"]


# -- entity_extraction -----------------------------------------------------------------------------


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_entities_are_complete_unique_and_in_order(difficulty: str) -> None:
    repeats = 0
    for ex in examples("entity_extraction", 300, difficulty):
        f = ex.metadata["fields"]
        assert list(f) == ["person", "organization", "location", "date"]
        text = text_of(ex.prompt)
        # every date written in the text is extracted, and nothing else is called a date
        assert sorted(set(DATE_RE.findall(text))) == sorted(f["date"]), (text, f["date"])
        values = [v for vs in f.values() for v in vs]
        assert len(values) == len(set(values)), "an entity is listed twice or under two types"
        for kind, vs in f.items():
            positions = [text.index(v) for v in vs]
            assert positions == sorted(positions), f"{kind} not in order of first mention"
            repeats += sum(text.count(v) > 1 for v in vs)
        assert f["person"] or f["organization"]
    if difficulty == "hard":
        assert repeats > 30  # entities mentioned twice are still listed once


def test_entity_difficulty_adds_entities() -> None:
    def mean(d: str) -> float:
        exs = examples("entity_extraction", 200, d)
        return sum(sum(map(len, e.metadata["fields"].values())) for e in exs) / len(exs)

    assert mean("easy") < mean("medium") < mean("hard")


# -- relation_extraction ---------------------------------------------------------------------------

RELATION_FORMS = {  # relation -> regexes over "h"/"t"; passive forms reverse the surface order
    "works_for": ("{h} works for {t}", "{h}, an analyst at {t},", "{t} employs {h} "),
    "ceo_of": ("{h} is the chief executive of {t}", "{t} is led by its CEO, {h}", "As CEO of {t}, {h} "),
    "headquartered_in": ("{h} is headquartered in {t}", "{h}, based in {t},", "The head office of {h} is in {t}"),
    "founded_by": ("{h} was founded by {t}", "{t} founded {h} ", "{h}, started by {t},"),
    "born_in": ("{h} was born in {t}", "Born in {t}, {h} "),
    "acquired": ("{h} acquired {t}", "{t} was bought by {h}", "{h} completed its takeover of {t}"),
}


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_relations_match_the_sentences(difficulty: str) -> None:
    passives = 0
    for ex in examples("relation_extraction", 300, difficulty):
        rels = ex.metadata["fields"]["relations"]
        text = text_of(ex.prompt)
        assert ", ".join(RELATION_FORMS) in ex.prompt  # the allowed relation names are given
        positions = []
        for r in rels:
            forms = [f.format(h=r["head"], t=r["tail"]) for f in RELATION_FORMS[r["relation"]]]
            hits = [text.find(f) for f in forms if f in text]
            assert hits, (r, text)
            positions.append(hits[0])
            swapped = [f.format(h=r["tail"], t=r["head"]) for f in RELATION_FORMS[r["relation"]]]
            assert not any(s in text for s in swapped), "head and tail swapped"
            passives += text.index(r["tail"]) < text.index(r["head"])
        assert positions == sorted(positions), "relations listed in text order"
        # one relation per relational sentence: count the relation cues in the text
        cues = (r"works for|an analyst at|employs|chief executive of|led by its CEO|As CEO of|headquartered in|"
                r"based in|head office of|founded|started by|born in|Born in|acquired|was bought by|takeover of")
        assert len(re.findall(cues, text)) == len(rels), text
    assert passives > 20


def test_relation_distractor_sentences_by_difficulty() -> None:
    for d, extra in (("easy", 0), ("medium", 1), ("hard", 2)):
        for ex in examples("relation_extraction", 100, d):
            cues = r"visited the trade fair|published its annual report|rained heavily|shared a taxi"
            sentences = re.findall(cues, text_of(ex.prompt))
            assert len(sentences) == extra


# -- event_extraction ------------------------------------------------------------------------------

TRIGGERS = {
    "acquisition": ("acquired", "bought", "took over"),
    "appointment": ("appointed", "named"),
    "product_launch": ("launched", "unveiled"),
    "lawsuit": ("sued", "filed a lawsuit"),
    "resignation": ("resigned", "stepped down"),
    "office_opening": ("opened",),
}
ROLES = {
    "acquisition": {"acquirer", "target"},
    "appointment": {"organization", "person", "position"},
    "product_launch": {"organization", "product"},
    "lawsuit": {"plaintiff", "defendant"},
    "resignation": {"person", "organization"},
    "office_opening": {"organization", "place"},
}


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_events_have_matching_trigger_and_arguments(difficulty: str) -> None:
    for ex in examples("event_extraction", 300, difficulty):
        events = ex.metadata["fields"]["events"]
        assert len(events) == {"easy": 1, "medium": 2, "hard": 3}[difficulty]
        text = text_of(ex.prompt)
        for ev in events:
            assert ev["trigger"] in TRIGGERS[ev["type"]], ev
            args = {k: v for k, v in ev.items() if k not in ("type", "trigger")}
            assert ROLES[ev["type"]] <= set(args) <= ROLES[ev["type"]] | {"date", "place", "position"}
            # the trigger and all arguments lie within one sentence, anchored on the unique entities
            unique = [v for k, v in args.items() if k not in ("position", "product")]
            starts = [text.index(v) for v in unique]
            lo, hi = min(starts), max(text.index(v) + len(v) for v in unique)
            sentence = text[lo:hi]
            for v in args.values():  # names such as "Mrs. Lee" may contain ". "
                sentence = sentence.replace(v, "X")
            assert hi - lo < 160 and ". " not in sentence, (ev, text)
            window = text[max(0, lo - 20):hi + 40]
            assert ev["trigger"] in window and all(v in window for v in args.values()), (ev, window)
            if "date" in args:
                assert DATE_RE.fullmatch(args["date"])
        # triggers appear in the order the events are listed
        pos = [text.index(ev["trigger"]) for ev in events]
        assert pos == sorted(pos) or len(set(e["trigger"] for e in events)) < len(events)


# -- keyword_extraction ----------------------------------------------------------------------------


def rule(text: str, k: int) -> list[str]:
    from simplex_training.plugins.generators.content_extraction import STOPWORDS

    words = re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower())
    counts = Counter(w for w in words if len(w) >= 4 and w not in STOPWORDS)
    first = {w: words.index(w) for w in counts}
    ranked = sorted((w for w, c in counts.items() if c >= 2), key=lambda w: (-counts[w], first[w]))
    return ranked[:k]


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_keywords_follow_the_frequency_rule(difficulty: str) -> None:
    from simplex_training.plugins.generators.content_extraction import TOPICS

    topic_words = {w for ws in TOPICS.values() for w in ws}
    ranked_differently = 0
    for ex in examples("keyword_extraction", 300, difficulty):
        kws = ex.metadata["fields"]["keywords"]
        k = int(re.search(r"(?:up to|top|most) (\d+)", ex.prompt).group(1))
        assert k == ex.metadata["k"] == {"easy": 3, "medium": 4, "hard": 5}[difficulty]
        body = ex.prompt.lower()
        assert kws == rule(ex.prompt.split("\n")[-1] if "Text:" not in ex.prompt else text_of(ex.prompt), k)
        counts = [len(re.findall(rf"\b{w}\b", body)) for w in kws]
        assert all(c >= 2 for c in counts) and counts == sorted(counts, reverse=True)
        assert set(kws) <= topic_words, "template words must not become keywords"
        first_order = sorted(kws, key=lambda w: body.index(w))
        ranked_differently += first_order != kws
        assert len(kws) == k
    assert ranked_differently > 100  # frequency, not position, decides the order
