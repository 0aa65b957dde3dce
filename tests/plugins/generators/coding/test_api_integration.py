"""Content tests for the api_integration generator (plugins/generators/coding/api_integration.py)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from simplex_training.plugins.generators.coding.api_integration import (
    API_DOMAINS,
    ApiIntegrationGenerator,
    api_request_line,
)
from simplex_training.testing import sample_each_difficulty


def _sample(gen_cls: type, n: int = 200, seed: int = 3) -> list[Any]:
    return sample_each_difficulty(gen_cls(), n, seed)


ENDPOINTS = {(ep.method, ep.path): ep for _, eps in API_DOMAINS for ep in eps}


def _path_regex(path: str) -> str:
    return "^" + re.sub(r"\\\{\w+\\\}", r"(\\d+)", re.escape(path)) + "$"


def test_api_request_line_grounded_and_canonical() -> None:
    for ex in _sample(ApiIntegrationGenerator):
        line = ex.response
        assert line == ex.metadata["reference"]
        method, rest = line.split(" ", 1)
        target, _, body_text = rest.partition(" ")
        path, _, qs = target.partition("?")
        candidates = [ep for (m, _), ep in ENDPOINTS.items() if m == method and re.match(_path_regex(ep.path), path)]
        assert len(candidates) == 1, line
        ep = candidates[0]
        assert ep.spec() in ex.prompt, "the endpoint used is listed in the prompt's spec"
        for pid in re.match(_path_regex(ep.path), path).groups():  # type: ignore[union-attr]
            assert re.search(rf"\b{pid}\b", ex.prompt)
        spec_q = [p.name for p in ep.params if p.where == "query"]
        if qs:
            pairs = [kv.split("=", 1) for kv in qs.split("&")]
            keys = [k for k, _ in pairs]
            assert keys == [k for k in spec_q if k in keys], "query params in spec order"
            for _, v in pairs:
                assert unquote(v) in ex.prompt.split("\n")[-1] or unquote(v) in ex.prompt, (v, ex.prompt)
        if method in ("POST", "PUT", "PATCH"):
            body = json.loads(body_text)
            spec_b = [p.name for p in ep.params if p.where == "body"]
            assert list(body) == spec_b
            for v in body.values():
                assert json.dumps(v, ensure_ascii=False).strip('"') in ex.prompt, (v, ex.prompt)
        else:
            assert body_text == ""
        assert api_request_line(ep, ex.metadata["values"]) == line


def test_api_difficulty_adds_distractor_endpoints() -> None:
    gen = ApiIntegrationGenerator()

    def spec_lines(d: str) -> float:
        exs = list(gen.generate(100, seed=6, difficulty=d))
        return sum(sum(1 for ln in e.prompt.split("\n") if re.match(r"^(GET|POST|PUT|PATCH|DELETE) /", ln)) for e in exs) / 100

    assert spec_lines("easy") == 2
    assert spec_lines("medium") == 3
    assert spec_lines("hard") > 4
