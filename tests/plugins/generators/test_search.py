"""Content tests for the search generators (query_understanding, passage_ranking)."""

from __future__ import annotations

import json
import re
from typing import Any


from simplex_training.plugins.generators.search import (
    BRANDS,
    COLORS,
    PRODUCTS,
    SIZES,
    PassageRankingGenerator,
    QueryUnderstandingGenerator,
)
from simplex_training.testing import sample_each_difficulty


def _sample(gen_cls: type, n: int = 300, seed: int = 5) -> list[Any]:
    return sample_each_difficulty(gen_cls(), n, seed)


# -- query_understanding --------------------------------------------------------------------------


def parse_query(query: str) -> dict[str, object]:
    """An independent parser for product, brand, size and price ceiling of a shopping query."""
    out: dict[str, object] = {}
    low = query.lower()
    for p in sorted(PRODUCTS, key=len, reverse=True):
        if re.search(rf"\b{re.escape(p)}\b", low):
            out["product"] = p
            break
    for b in BRANDS:
        if re.search(rf"\b{b.lower()}\b", low):
            out["brand"] = b
    if m := re.search(r"\bsize (\S+)", low):
        out["size"] = m.group(1)
    if m := re.search(r"(?:under \$|below |less than \$|max \$|up to \$|budget \$|\$)(\d+)(?: dollars| or less)?", low):
        out["max_price"] = int(m.group(1))
    return out


def test_query_understanding_fields_parse_back() -> None:
    for ex in _sample(QueryUnderstandingGenerator):
        fields = json.loads(ex.response)
        assert fields == ex.metadata["fields"]
        query = ex.metadata["query"]
        assert query in ex.prompt
        assert list(fields) == [k for k in ("product", "brand", "color", "size", "max_price", "location") if k in fields]
        # every string value is written in the query exactly as stored
        for key, value in fields.items():
            if isinstance(value, str):
                assert value in query, (key, value, query)
        parsed = parse_query(query)
        assert parsed["product"] == str(fields["product"]).lower()
        if "brand" in fields:
            assert parsed.get("brand", "").lower() == str(fields["brand"]).lower()
        else:
            assert "brand" not in parsed
        if "size" in fields:
            assert str(fields["size"]).upper() in SIZES and parsed["size"] == str(fields["size"]).lower()
        assert parsed.get("max_price") == fields.get("max_price"), query
        if "color" in fields:
            assert str(fields["color"]).lower() in COLORS
            assert re.search(rf"\b{fields['color']}\b", query)
        if "location" in fields:
            assert re.search(rf"(?:near|in|delivered to|around|available in) {re.escape(str(fields['location']))}", query)


def test_query_understanding_difficulty_changes_field_count() -> None:
    gen = QueryUnderstandingGenerator()
    for d, lo, hi in (("easy", 2, 2), ("medium", 3, 3), ("hard", 4, 6)):
        for ex in gen.generate(50, seed=1, difficulty=d):
            assert lo <= len(ex.metadata["fields"]) <= hi


# -- passage_ranking ------------------------------------------------------------------------------

# A passage answers the query only if it has this kind's answer cue next to the entity.
ANSWER_CUES = {
    "founded": r"[Ff]ounded in \d{4}",
    "ceo": r"chief executive of|led by CEO",
    "hours": r"opens (?:at|its doors at) \d+ am",
    "population": r"population of about|residents live in",
    "price": r"costs \$\d+|priced at \$\d+",
    "height": r"\d[\d,]* meters",
}


def test_passage_ranking_labels_follow_from_text() -> None:
    counts: dict[str, int] = {}
    for ex in _sample(PassageRankingGenerator):
        label, kind, entity = ex.metadata["label"], ex.metadata["kind"], ex.metadata["entity"]
        counts[label] = counts.get(label, 0) + 1
        assert ex.response.endswith(f"\nRelevance: {label}")
        m = re.search(r"(?:Passage|Text|Doc): (.+?)(?:\n|$)", ex.prompt)
        assert m, ex.prompt
        passage = m.group(1)
        sentences = re.split(r"(?<=[.!?]) (?=[A-Z])", passage)
        answering = [s for s in sentences if entity in s and re.search(ANSWER_CUES[kind], s)]
        mentions = [s for s in sentences if entity in s]
        if label == "relevant":
            assert len(answering) == 1, passage
        elif label == "partially_relevant":
            assert mentions and not answering, passage
        else:
            assert entity not in passage, passage
        roles = ex.metadata["roles"]
        assert ("answer" in roles) == (label == "relevant")
        assert all(r == "offtopic" for r in roles) == (label == "not_relevant")
    assert set(counts) == {"relevant", "partially_relevant", "not_relevant"}


# Words that only an entity of this type has in its name (company and town names are Faker's).
TYPE_NAMES = {"shop": r"'s (?:Bakery|Pharmacy|Bookshop|Hardware|Florist|Deli)\b", "mountain": r"\bMount [A-Z]",
              "product": r"\b(?:Kettle|Lamp|Backpack|Blender|Speaker|Router|Toaster|Heater|Drone|Scooter) \d\b"}


def test_passage_ranking_walk_names_both_kinds_and_agrees_with_the_label() -> None:
    from simplex_training.plugins.generators.search import ASKS, ENTITY_TYPES

    seen = set()
    for ex in _sample(PassageRankingGenerator):
        label, kind, pkind = ex.metadata["label"], ex.metadata["kind"], ex.metadata["passage_kind"]
        query_line, passage_line, _ = ex.response.split("\n")
        assert query_line == f"Query: a {ENTITY_TYPES[kind]}'s {ASKS[kind]}"
        passage = re.search(r"(?:Passage|Text|Doc): (.+?)(?:\n|$)", ex.prompt).group(1)
        ptype = ENTITY_TYPES[pkind]
        if ptype in TYPE_NAMES:  # the passage really is about an entity of the type the answer names
            assert re.search(TYPE_NAMES[ptype], passage), (ptype, passage)
        assert passage_line.startswith(f"Passage: a {ptype}")
        same_type = ptype == ENTITY_TYPES[kind]
        if label == "relevant":
            assert passage_line.endswith(f", the same one, gives its {ASKS[kind]}")
        elif label == "partially_relevant":
            assert passage_line.endswith(f", the same one, does not give its {ASKS[kind]}")
        else:
            assert passage_line == f"Passage: a {ptype}" + (", another one" if same_type else "")
        seen.add((label, same_type))
    assert seen == {("relevant", True), ("partially_relevant", True), ("not_relevant", True),
                    ("not_relevant", False)}


def test_passage_ranking_hard_has_same_kind_distractors() -> None:
    gen = PassageRankingGenerator()
    hard = [e for e in gen.generate(300, seed=2, difficulty="hard") if e.metadata["label"] == "not_relevant"]
    # an off-topic passage that answers the same kind of question about another entity
    tricky = [e for e in hard if re.search(ANSWER_CUES[e.metadata["kind"]], e.prompt)]
    assert tricky


def test_passage_ranking_difficulty_changes_passage_length() -> None:
    gen = PassageRankingGenerator()

    def n_sentences(d: str) -> float:
        exs = list(gen.generate(150, seed=2, difficulty=d))
        return sum(len(e.metadata["roles"]) for e in exs) / len(exs)

    assert n_sentences("easy") < n_sentences("medium") < n_sentences("hard")
