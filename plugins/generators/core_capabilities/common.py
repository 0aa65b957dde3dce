"""Helpers shared by the ``core`` category's generators."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from simplex_training.generator import GenContext


def pick_template(ctx: GenContext, templates: tuple[str, ...]) -> tuple[int, str]:
    """One of ``templates`` and its index (the example's ``phrasing``)."""
    k = ctx.randint(0, len(templates) - 1)
    return k, templates[k]


def half_up(x: Fraction | float, places: int) -> str:
    """Round half up to ``places`` decimals (exact for fractions), as a string."""
    if isinstance(x, Fraction):
        d = Decimal(x.numerator) / Decimal(x.denominator)
    else:
        d = Decimal(repr(x))
    return str(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
