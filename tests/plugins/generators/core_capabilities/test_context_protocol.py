"""Content tests for the context_protocol generator
(plugins/generators/core_capabilities/context_protocol.py)."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from simplex_training.plugins.generators.core_capabilities.context_protocol import (
    ContextProtocolGenerator,
)

GEN = ContextProtocolGenerator()



BELIEF_RE = re.compile(r"belief: (.*) \(confidence (0\.\d\d)\)")


def _blocks(prompt: str) -> tuple[list[str], dict[str, list[str]]]:
    ctx = re.search(r"<context>\n(.*?)\n</context>", prompt, re.S)
    assert ctx, prompt
    hives = {name: body.split("\n") for name, body in re.findall(r'<hive name="(\w+)">\n(.*?)\n</hive>', prompt, re.S)}
    return ctx.group(1).split("\n"), hives


EPISODES = (
    re.compile(r"\[(?P<date>[\d-]+)\] Met (?P<person>.+) at (?P<place>.+) to discuss (?P<topic>.+)\."),
    re.compile(r"\[(?P<date>[\d-]+)\] Called (?P<person>.+) from (?P<company>.+) about (?P<topic>.+)\."),
    re.compile(r"\[(?P<date>[\d-]+)\] Ordered \d+ (?P<item>.+?) from (?P<company>.+) for (?P<amount>.+)\."),
    re.compile(r"\[(?P<date>[\d-]+)\] Travelled to (?P<city>.+) for the (?P<event>.+)\."),
)


def _episode(line: str) -> re.Match | None:
    return next((m for rx in EPISODES if (m := rx.fullmatch(line))), None)


def _question(prompt: str) -> str:
    outside = re.sub(r"<context>.*?</context>|<hive .*?</hive>", "", prompt, flags=re.S)
    lines = [ln for ln in outside.split("\n") if ln.strip().endswith("?")]
    assert len(lines) == 1, prompt
    return re.sub(r"^(Question: |Q: |User asks: )", "", lines[0].strip())


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_context_protocol_answers_follow_from_blocks(difficulty: str) -> None:
    kinds = set()
    for ex in GEN.generate(300, seed=5, difficulty=difficulty):
        answer, prompt = ex.metadata["answer"], ex.prompt
        assert ex.response == f"Answer: {answer}"
        ctx_lines, hives = _blocks(prompt)
        q = _question(prompt)
        qtype = ex.metadata["question_type"]
        kinds.add(qtype)
        hive_name = re.search(r"(\w+) hive", q)
        if qtype == "threshold":
            pct = int(re.search(r"threshold (?:of |at |\()(\d+)%", q).group(1))
            block = ctx_lines if "Anima" in q else hives[hive_name.group(1)]
            beliefs = [BELIEF_RE.match(ln).groups() for ln in block if ln.startswith("belief:")]
            above = [claim for claim, conf in beliefs if Fraction(conf) >= Fraction(pct, 100)]
            assert above == [answer], (q, block)
        elif qtype == "confidence":
            block = hives[hive_name.group(1)] if hive_name else ctx_lines
            beliefs = [BELIEF_RE.match(ln).groups() for ln in block if ln.startswith("belief:")]
            matches = [conf for claim, conf in beliefs if claim in q]
            assert matches == [answer], (q, block)
        elif qtype == "hive":
            name = hive_name.group(1)
            subject = re.search(r"(?:Project \w+ \w+|the (\w+) service)", q).group(0)
            subject = subject.replace("the ", "The ") if subject.startswith("the ") else subject
            target = [ln for ln in hives[name] if subject in ln]
            assert len(target) == 1 and answer in target[0], (q, hives[name])
            for other, lines in hives.items():  # conflicting copies elsewhere hold another value
                if other != name:
                    assert not any(subject in ln and answer in ln for ln in lines)
        else:
            parsed = [m.groupdict() for ln in ctx_lines if (m := _episode(ln))]
            holders = [g for g in parsed if answer in g.values()]
            assert len(holders) == 1, (answer, ctx_lines)
            keys = [v for v in holders[0].values() if v != answer and v in q]
            assert keys, (q, holders)
            for key in keys:  # the question's key identifies a single memory line
                assert sum(key in g.values() for g in parsed) == 1
    assert kinds == {"episodic", "hive", "confidence", "threshold"}


def test_context_protocol_difficulty_adds_memory() -> None:
    def mean_lines(d: str) -> float:
        exs = list(GEN.generate(200, seed=5, difficulty=d))
        return sum(len(_blocks(e.prompt)[0]) + sum(map(len, _blocks(e.prompt)[1].values())) for e in exs) / len(exs)

    assert mean_lines("easy") + 2 < mean_lines("medium") < mean_lines("hard") - 2
