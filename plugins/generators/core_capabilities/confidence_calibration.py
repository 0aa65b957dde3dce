"""confidence_calibration: forecasts whose probability is exactly known from the prompt.

Observed frequencies, base rates, dice, coins, cards, urns. The answer is the more likely outcome,
the stated confidence is its probability, and ``correct`` is simulated by drawing the outcome with
that probability, so stated confidence matches accuracy by construction.
"""

from __future__ import annotations

from fractions import Fraction

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator, confidence_tag
from simplex_training.plugins.generators.core_capabilities.common import (
    half_up,
    pick_template,
)
from simplex_training.specialist import Specialist

FREQ_SUBJECTS = (
    # (plural noun, source phrase, past event, yes/no question about the next one)
    ("orders", "from {company}", "arrived late", "Will the next order from {company} arrive late?"),
    ("flights", "operated by {company}", "were delayed", "Will the next {company} flight be delayed?"),
    ("parts", "made by {company}", "failed inspection", "Will the next part from {company} fail inspection?"),
    ("invoices", "sent to {company}", "were paid early", "Will the next invoice to {company} be paid early?"),
    ("support calls", "handled by {person}", "were resolved on the first call",
     "Will {person}'s next support call be resolved on the first call?"),
    ("deliveries", "driven by {person}", "arrived before noon", "Will {person}'s next delivery arrive before noon?"),
)
BASE_RATES = (
    ("of {company}'s employees commute by train", "Does a randomly chosen {company} employee commute by train?"),
    ("of the customers in {company}'s database are from {city}",
     "Is a randomly picked customer of {company} from {city}?"),
    ("of the laptops in {company}'s fleet run Linux", "Does a randomly selected {company} laptop run Linux?"),
    ("of the tickets sent to {company}'s help desk are about passwords",
     "Is a random ticket at {company}'s help desk about passwords?"),
    ("of the residents of {city} own a bicycle", "Does a randomly chosen resident of {city} own a bicycle?"),
)
DIE_CONDS = (
    ("greater than {k}", lambda v, k: v > k),
    ("at most {k}", lambda v, k: v <= k),
    ("at least {k}", lambda v, k: v >= k),
    ("even", lambda v, k: v % 2 == 0),
    ("a multiple of 3", lambda v, k: v % 3 == 0),
)
COLOURS = ("red", "blue", "green", "yellow", "white", "black")


class ConfidenceCalibrationGenerator(Generator):
    """Forecasts with exactly known probabilities; the answer is the more likely outcome."""

    name = "confidence_calibration"
    task_type = "calibration"
    phrasings = 4

    TEMPLATES = (
        "{q} Answer {opts} and state your confidence.",
        "Forecast question: {q}\nGive the more likely outcome ({opts}) with a calibrated confidence.",
        "{q}\nReply with {opts} and a confidence equal to the probability of being right.",
        "Predict the outcome. {q} Options: {opts}.",
    )

    # -- item families: each returns (question, options, answer, p_answer, reason) ------------------

    def _frequency(self, ctx: GenContext) -> tuple[str, tuple[str, str], str, Fraction, str]:
        noun, source, event, question = ctx.choice(FREQ_SUBJECTS)
        who = {"company": ctx.fake.company(), "person": ctx.fake.first_name()}
        n = ctx.choice((5, 8, 10, 12, 20, 25, 40, 50))
        k = ctx.randint(0, n)
        text = f"Of the last {n} {noun} {source.format(**who)}, {k} {event}."
        if ctx.difficulty == "hard":  # a second source as distractor
            other = {"company": ctx.fake.company(), "person": ctx.fake.first_name()}
            n2 = ctx.choice((6, 10, 15, 30))
            text += f" Of {n2} {noun} {source.format(**other)}, {ctx.randint(0, n2)} {event}."
        p_yes = Fraction(k, n)
        q = f"{text} {question.format(**who)}"
        return q, ("yes", "no"), *_binary(p_yes, f"P(yes) = {k}/{n} = {half_up(p_yes, 2)}")

    def _base_rate(self, ctx: GenContext) -> tuple[str, tuple[str, str], str, Fraction, str]:
        stem, question = ctx.choice(BASE_RATES)
        who = {"company": ctx.fake.company(), "city": ctx.fake.city()}
        pct = ctx.randint(2, 98)
        q = f"{pct}% {stem.format(**who)}. {question.format(**who)}"
        p_yes = Fraction(pct, 100)
        return q, ("yes", "no"), *_binary(p_yes, f"P(yes) = {half_up(p_yes, 2)}")

    def _die(self, ctx: GenContext) -> tuple[str, tuple[str, str], str, Fraction, str]:
        sides = ctx.choice((4, 6, 8, 10, 12, 20))
        desc, cond = ctx.choice(DIE_CONDS)
        k = ctx.randint(1, sides - 1)
        hits = sum(1 for v in range(1, sides + 1) if cond(v, k))
        q = f"A fair {sides}-sided die (faces 1-{sides}) is rolled once. Will the result be {desc.format(k=k)}?"
        p_yes = Fraction(hits, sides)
        return q, ("yes", "no"), *_binary(p_yes, f"{hits} of {sides} faces qualify, P(yes) = {half_up(p_yes, 2)}")

    def _two_dice(self, ctx: GenContext) -> tuple[str, tuple[str, str], str, Fraction, str]:
        if ctx.randint(0, 3) == 0:
            hits, what = 6, "a double (both dice equal)"
        else:
            k = ctx.randint(3, 12)
            hits = sum(1 for a in range(1, 7) for b in range(1, 7) if a + b >= k)
            what = f"a sum of at least {k}"
        q = f"Two fair six-sided dice are rolled. Will they show {what}?"
        p_yes = Fraction(hits, 36)
        return q, ("yes", "no"), *_binary(p_yes, f"{hits} of 36 outcomes qualify, P(yes) = {half_up(p_yes, 2)}")

    def _coins(self, ctx: GenContext) -> tuple[str, tuple[str, str], str, Fraction, str]:
        n = ctx.randint(2, 6)
        if ctx.randint(0, 1):
            p_yes, what = 1 - Fraction(1, 2**n), "at least one head"
            reason = f"P(no head) = 1/{2**n}, P(yes) = {half_up(p_yes, 2)}"
        else:
            p_yes, what = Fraction(1, 2**n), f"{n} heads in a row"
            reason = f"P(yes) = 1/{2**n} = {half_up(p_yes, 2)}"
        q = f"A fair coin is tossed {n} times. Will there be {what}?"
        return q, ("yes", "no"), *_binary(p_yes, reason)

    def _cards(self, ctx: GenContext) -> tuple[str, tuple[str, str], str, Fraction, str]:
        what, hits = ctx.choice((("a face card (J, Q or K)", 12), ("a heart", 13), ("an ace", 4), ("not a spade", 39),
                                 ("a number card from 2 to 10", 36), ("a king or a queen", 8), ("a red ace", 2)))
        q = f"One card is drawn from a shuffled standard 52-card deck. Will it be {what}?"
        p_yes = Fraction(hits, 52)
        return q, ("yes", "no"), *_binary(p_yes, f"{hits} of 52 cards qualify, P(yes) = {half_up(p_yes, 2)}")

    def _urn(self, ctx: GenContext) -> tuple[str, tuple[str, ...], str, Fraction, str]:
        k = ctx.level(2, 3, 3)
        colours = ctx.sample(COLOURS, k)
        while True:
            counts = [ctx.randint(1, 15) for _ in colours]
            if counts.count(max(counts)) == 1:
                break
        total = sum(counts)
        listing = ", ".join(f"{c} {col}" for c, col in zip(counts, colours))
        if ctx.difficulty == "hard" and ctx.randint(0, 1):
            first = colours[0]
            hits = counts[0] * (counts[0] - 1)
            p_yes = Fraction(hits, total * (total - 1))
            q = f"A bag holds {listing} marbles. Two are drawn without replacement. Will both be {first}?"
            reason = f"P(both {first}) = {counts[0]}/{total} x {counts[0] - 1}/{total - 1} = {half_up(p_yes, 2)}"
            return q, ("yes", "no"), *_binary(p_yes, reason)
        best = max(range(k), key=lambda i: counts[i])
        p = Fraction(counts[best], total)
        q = f"A bag holds {listing} marbles. One is drawn at random. Which colour will it be?"
        reason = f"{colours[best]} is most common: {counts[best]}/{total} = {half_up(p, 2)}"
        return q, tuple(colours), colours[best], p, reason

    def example(self, ctx: GenContext) -> TrainingExample:
        families = ctx.level(
            (self._frequency, self._base_rate, self._die, self._coins),
            (self._frequency, self._base_rate, self._die, self._cards, self._urn, self._coins),
            (self._frequency, self._two_dice, self._cards, self._urn, self._coins, self._base_rate),
        )
        while True:
            family = ctx.choice(families)
            q, opts, answer, p, reason = family(ctx)
            # exact ties are not forecastable; keep mostly confident items (a calibrated model then
            # reaches the catalog's accuracy/Brier thresholds) but also some near-coin-flips
            if p != Fraction(1, 2) and (p >= Fraction(3, 4) or ctx.rng.random() < 0.25):
                break
        conf = float(half_up(p, 2))
        # simulate the real outcome: the answer turns out right with probability p
        correct = ctx.rng.random() < float(p)
        if correct:
            outcome = answer
        else:
            others = [o for o in opts if o != answer]
            outcome = others[0] if len(others) == 1 else ctx.choice(others)  # any other option
        opts_text = " or ".join(opts) if len(opts) == 2 else ", ".join(opts[:-1]) + " or " + opts[-1]
        k, tpl = pick_template(ctx, self.TEMPLATES)
        prompt = tpl.format(q=q, opts=opts_text)
        response = f"{reason}.\nAnswer: {answer} {confidence_tag(conf)}"
        return TrainingExample(
            prompt=prompt,
            response=response,
            metadata={"answer": answer, "confidence": conf, "correct": correct, "outcome": outcome,
                      "probability": round(float(p), 6), "family": family.__name__.lstrip("_"), "phrasing": k},
        )


def _binary(p_yes: Fraction, reason: str) -> tuple[str, Fraction, str]:
    """The more likely of yes/no, its probability and the reason line."""
    if p_yes > Fraction(1, 2):
        return "yes", p_yes, reason
    return "no", 1 - p_yes, reason + ", so P(no) = " + half_up(1 - p_yes, 2)


confidence_calibration = Specialist("confidence_calibration", ConfidenceCalibrationGenerator)
