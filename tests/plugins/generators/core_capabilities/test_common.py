"""The helpers the core category's generators share (plugins/generators/core_capabilities/common.py)."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from simplex_training.generator import GenContext
from simplex_training.plugins.generators.core_capabilities.common import (
    half_up,
    pick_template,
)


@pytest.mark.parametrize(("x", "places", "want"), [
    (Fraction(1, 200), 2, "0.01"),        # exactly half: up
    (Fraction(-1, 200), 2, "-0.01"),      # half away from zero, as Decimal's ROUND_HALF_UP
    (Fraction(1, 3), 3, "0.333"),
    (Fraction(2, 3), 1, "0.7"),
    (2.675, 2, "2.68"),                   # a float is rounded as written, not as stored (2.67499...)
    (0.5, 0, "1"),
    (7, 2, "7.00"),
])
def test_half_up(x, places, want):
    assert half_up(x, places) == want


def test_pick_template_returns_the_index_of_the_template_it_picks():
    templates = ("a {x}", "b {x}", "c {x}")
    picks = []
    for seed in range(40):
        ctx = GenContext(rng=random.Random(seed), fake=None, difficulty="medium", locale="en_US", index=0)
        k, t = pick_template(ctx, templates)
        assert templates[k] == t
        picks.append(k)
    assert set(picks) == {0, 1, 2}
