"""Content tests for the dialogue generators (task_oriented, chitchat, negotiation)."""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any


from simplex_training.plugins.generators.dialogue import (
    CITIES,
    DOMAINS,
    ChitchatGenerator,
    NegotiationGenerator,
    TaskOrientedGenerator,
)
from simplex_training.testing import sample_each_difficulty


def _sample(gen_cls: type, n: int = 300, seed: int = 5) -> list[Any]:
    return sample_each_difficulty(gen_cls(), n, seed)


# -- task_oriented: an independent slot tracker over the user turns --------------------------------

MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December) \d+"
CITY = "|".join(CITIES)
SHAPES = {  # (domain, slot) -> regex whose group(1) is the value as the user said it
    ("restaurant", "restaurant"): r"(?i:at) ([A-Z][^ ]*'s (?:Bistro|Grill|Kitchen|Trattoria|Diner|Brasserie))",
    ("restaurant", "date"): rf"(?i:on) ({MONTH})",
    ("restaurant", "time"): r"(?i:at) (\d{1,2}:\d\d [ap]m)",
    ("restaurant", "people"): r"(?i:for) (\d+) people",
    ("hotel", "hotel"): r"(?i:at the) ([A-Z][^ ]* (?:Inn|Hotel|Suites|Lodge|Plaza))",
    ("hotel", "check_in"): rf"(?i:from) ({MONTH})",
    ("hotel", "nights"): r"(?i:for) (\d+) nights",
    ("hotel", "guests"): r"(?i:for) (\d+) guests",
    ("taxi", "pickup"): r"(?i:from) (\d+ [^.?,]+?)(?= to \d| at \d| instead|[.?,]|$)",
    ("taxi", "destination"): r"(?i:to) (\d+ [^.?,]+?)(?= from \d| at \d| instead|[.?,]|$)",
    ("taxi", "time"): r"(?i:at) (\d{1,2}:\d\d [ap]m)",
    ("flight", "origin"): rf"(?i:from) ({CITY})",
    ("flight", "destination"): rf"(?i:to) ({CITY})",
    ("flight", "date"): rf"(?i:on) ({MONTH})",
    ("flight", "passengers"): r"(?i:for) (\d+) passengers",
}


def track(domain: str, prompt: str) -> dict[str, str]:
    """The latest value of each slot mentioned in the user turns."""
    state: dict[str, str] = {}
    for line in prompt.splitlines():
        if not line.startswith("User: "):
            continue
        for (dom, slot), pattern in SHAPES.items():
            if dom == domain:
                for m in re.finditer(pattern, line[6:]):
                    state[slot] = m.group(1)
    return state


def test_task_oriented_next_turn_follows_dialogue_state() -> None:
    requests = confirms = corrections = 0
    for ex in _sample(TaskOrientedGenerator):  # en_US: taxi addresses start with a house number
        domain = ex.metadata["domain"]
        slots = [s for s, *_ in DOMAINS[domain][2]]
        assert ", ".join(slots) in ex.prompt  # the schema is in the prompt
        state = track(domain, ex.prompt)
        missing = [s for s in slots if s not in state]
        if ex.response.startswith("Request: "):
            requests += 1
            assert len(missing) == 1, (ex.prompt, state)
            slot = ex.response[len("Request: "):].split(".", 1)[0]
            assert slot == missing[0]
            question = next(qq for s, _, qq, _ in DOMAINS[domain][2] if s == slot)
            assert ex.response == f"Request: {slot}. {question}"
        else:
            confirms += 1
            assert not missing, (ex.prompt, state)
            m = re.fullmatch(r"Confirm: (.+)\. (Shall I [^?]+\?)", ex.response)
            assert m, ex.response
            pairs = [p.split("=", 1) for p in m.group(1).split("; ")]
            assert [k for k, _ in pairs] == slots
            assert dict(pairs) == state, (ex.prompt, ex.response)
        if re.search(r"User: (Actually|Sorry, change that|Wait, I meant)", ex.prompt):
            corrections += 1
    assert requests > 100 and confirms > 100 and corrections > 100


def test_task_oriented_difficulty_changes_turns() -> None:
    gen = TaskOrientedGenerator()

    def user_turns(d: str) -> float:
        exs = list(gen.generate(100, seed=2, difficulty=d))
        return sum(e.prompt.count("User: ") for e in exs) / len(exs)

    assert user_turns("easy") == 1
    assert user_turns("easy") < user_turns("medium") < user_turns("hard")


# -- chitchat -------------------------------------------------------------------------------------

FACT_PATTERNS = {
    "hobby": r"I enjoy ([^.]+)\.",
    "food": r"My favourite food is ([^.]+)\.",
    "pet": r"I have (an? [a-z]+ named [^.]+)\.",
    "job": r"I work as ([^.]+)\.",
    "hometown": r"I'm from ([^.]+)\.",
    "music": r"I mostly listen to ([^.]+)\.",
    "weekend": r"This weekend I plan to ([^.]+)\.",
}


def topic_of(utterance: str) -> str:
    """Which persona fact the user asks about, from keywords alone."""
    u = utterance.lower()
    rules = (("weekend", ("weekend", "saturday")), ("pet", ("pet", "animals")),
             ("music", ("music", "listen", "playlist")), ("food", ("food", "eat", "dish")),
             ("hobby", ("fun", "hobbies", "free time", "not working")),
             ("hometown", ("from", "grow up", "hometown")), ("job", ("living", "job", "work", "all day")))
    for topic, words in rules:
        if any(w in u for w in words):
            return topic
    raise AssertionError(utterance)


def test_chitchat_reply_uses_the_asked_fact() -> None:
    for ex in _sample(ChitchatGenerator):
        user = ex.metadata["user"]
        m = re.search(rf"(?:^|\n){re.escape(user)}(?: says)?: \"?([^\n\"]+)", ex.prompt) or \
            re.search(rf"Message from {re.escape(user)}: ([^\n]+)", ex.prompt)
        assert m, ex.prompt
        topic = topic_of(m.group(1))
        assert topic == ex.metadata["topic"]
        facts = ex.prompt[: m.start()] if "Message from" not in ex.prompt else ex.prompt
        value = re.search(FACT_PATTERNS[topic], facts)
        assert value, (topic, ex.prompt)
        assert ex.response.startswith(f"Hi {user}! ")
        assert value.group(1) in ex.response
        assert ex.response.endswith("?")
        # no other persona fact leaks into the reply
        for other, pattern in FACT_PATTERNS.items():
            if other != topic:
                v = re.search(pattern, facts)
                if v and v.group(1) not in value.group(1):
                    assert v.group(1) not in ex.response, (other, ex.response)


def test_chitchat_difficulty_adds_distractor_facts() -> None:
    gen = ChitchatGenerator()

    def n_facts(d: str) -> float:
        exs = list(gen.generate(100, seed=2, difficulty=d))
        return sum(sum(bool(re.search(p, e.prompt)) for p in FACT_PATTERNS.values()) for e in exs) / len(exs)

    assert n_facts("easy") < n_facts("medium") < n_facts("hard")


# -- negotiation: an independent solver ------------------------------------------------------------


def r5(x: Fraction) -> int:
    return math.floor(x / 5 + Fraction(1, 2)) * 5


def solve(prompt: str) -> int:
    ints = lambda pat: [int(g) for g in re.search(pat, prompt).groups()]  # type: ignore[union-attr]  # noqa: E731
    if "will not go below" in prompt:
        offer, ask = ints(r"offers \$(\d+) for .*? listed at \$(\d+)")
        (floor,) = ints(r"will not go below \$(\d+)")
        return offer if offer >= floor else max(floor, r5(Fraction(ask + offer, 2)))
    if "budget is" in prompt:
        (ask,) = ints(r"asks \$(\d+)")
        (budget,) = ints(r"budget is \$(\d+)")
        (pct,) = ints(r"(\d+)% of the ask")
        return ask if ask <= budget else min(budget, (ask * pct // 100) // 5 * 5)
    (pct,) = ints(r"within (\d+)%")
    if "second offer" in prompt:
        ask, offer = ints(r"at \$(\d+); \S+ opens at \$(\d+)")
        (raise_by,) = ints(r"raises the offer by \$(\d+)")
        last = ask
        for _ in range(2):
            if Fraction(offer) >= Fraction(ask * (100 - pct), 100):
                return offer
            last = r5(Fraction(last + offer, 2))
            offer += raise_by
        return last
    ask, offer = ints(r"for \$(\d+)\. \S+ offers \$(\d+)")
    return offer if Fraction(offer) >= Fraction(ask * (100 - pct), 100) else r5(Fraction(ask + offer, 2))


def test_negotiation_answers_recomputed() -> None:
    kinds: dict[str, set[str]] = {}
    for ex in _sample(NegotiationGenerator):
        expected = solve(ex.prompt)
        assert ex.metadata["answer"] == str(expected), (ex.prompt, ex.response)
        assert ex.metadata["numeric_answer"] == float(expected)
        assert ex.response.splitlines()[-1] == f"Answer: {expected}"
        outcome = "accept" if "accept" in ex.response.splitlines()[-2] else "counter"
        kinds.setdefault(ex.metadata["kind"], set()).add(outcome)
    assert set(kinds) == {"midpoint", "floor", "budget", "two_rounds"}
    assert all(v == {"accept", "counter"} for v in kinds.values()), kinds


def test_negotiation_rounding_rule() -> None:
    assert r5(Fraction(945, 2)) == 475  # 472.5 -> halves up
    assert r5(Fraction(471)) == 470


def test_negotiation_difficulty_changes_scale() -> None:
    gen = NegotiationGenerator()

    def mean_ask(d: str) -> float:
        vals = [int(re.search(r"\$(\d+)", e.prompt).group(1)) for e in gen.generate(100, seed=2, difficulty=d)]  # type: ignore[union-attr]
        return sum(vals) / len(vals)

    assert mean_ask("easy") < mean_ask("medium") < mean_ask("hard")
    assert any(e.metadata["kind"] == "two_rounds" for e in gen.generate(50, seed=2, difficulty="hard"))
