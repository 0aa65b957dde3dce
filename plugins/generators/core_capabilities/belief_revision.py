"""belief_revision: Bayes' rule in odds form.

With a stated likelihood ratio or hit / false-alarm rates, including irrelevant evidence, where the
posterior equals the prior.
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

# (claim, who holds the prior, evidence detector, positive observation, negative observation)
BR_SCENARIOS = (
    ("patient {person} has strep throat", "Dr. {last}", "rapid strep test",
     "comes back positive", "comes back negative"),
    ("transaction #{num} at {company} is fraudulent", "the risk team", "fraud model", "flags it", "does not flag it"),
    ("pump P-{num} at {company} has a bearing fault", "engineer {person}", "vibration alarm",
     "goes off", "stays silent"),
    ("the email from {person} is phishing", "the security desk", "mail filter",
     "marks it as phishing", "lets it through"),
    ("it will rain in {city} tomorrow", "forecaster {person}", "falling-pressure indicator",
     "is triggered", "is not triggered"),
    ("candidate {person} will succeed in the role", "recruiter {last}", "work-sample test", "is passed", "is failed"),
    ("the shipment from {company} is damaged", "the warehouse lead", "tilt sensor on the crate",
     "is tripped", "is intact"),
    ("server {host} is compromised", "analyst {person}", "intrusion detector", "raises an alert", "stays quiet"),
)
IRRELEVANT = (
    "the report was filed on a {weekday}", "the file name contains the letter Q", "{person} wore a blue shirt that day",
    "the ticket number is even", "the message arrived in the afternoon",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
LRS = (Fraction(1, 5), Fraction(1, 4), Fraction(1, 3), Fraction(1, 2), Fraction(2), Fraction(3), Fraction(4),
       Fraction(5), Fraction(6), Fraction(8), Fraction(10))


def _fmt(x: Fraction) -> str:
    return half_up(x, 3)


def _pct(x: Fraction) -> str:
    return f"{int(x * 100)}%"


class BeliefRevisionGenerator(Generator):
    name = "belief_revision"
    task_type = "reasoning"
    phrasings = 5

    TEMPLATES = (
        "{story}\nWhat is the updated probability that {claim}? Give 2 decimals.",
        "Belief update. {story}\nUse Bayes' rule to find P({claim} | evidence), rounded to 2 decimals.",
        "{story}\nRevise the belief that {claim}. Report the posterior probability (2 decimals).",
        "Prior and evidence:\n{story}\nPosterior that {claim}?",
        "{story}\nHow likely is it now that {claim}? Answer with a probability to 2 decimals.",
    )

    def _evidence(self, ctx: GenContext, scen: tuple[str, ...], fill: dict[str, str], form: str, first: bool
                  ) -> tuple[str, Fraction, str]:
        """One piece of evidence: (text, likelihood ratio, step text)."""
        _, _, detector, pos, neg = scen
        if form == "irrelevant":
            fact = ctx.choice(IRRELEVANT).format(weekday=ctx.choice(WEEKDAYS), **fill)
            return (f"It also turns out that {fact}, which is equally likely whether or not the claim is true.",
                    Fraction(1), "irrelevant evidence: LR = 1")
        if form == "lr":
            lr = ctx.choice(LRS)
            which = "New" if first else "Further"
            if lr >= 1:
                text = f"{which} evidence is {lr} times as likely if the claim is true as if it is false."
            else:
                text = f"{which} evidence is {lr.denominator} times as likely if the claim is false as if it is true."
            return text, lr, f"LR = {_fmt(lr)}"
        # hit / false-alarm rates
        if form == "equal_rates":
            h = f = Fraction(ctx.randint(2, 18) * 5, 100)
        else:
            while True:
                h = Fraction(ctx.randint(12, 19) * 5, 100)
                f = Fraction(ctx.randint(2, 8) * 5, 100) if ctx.randint(0, 4) else Fraction(ctx.randint(1, 9), 100)
                if h != f:
                    break
        det = f"The {detector}" if first else f"A second, independent {detector}"
        text = (f"{det} catches {_pct(h)} of true cases "
                f"and fires falsely in {_pct(f)} of other cases.")
        positive = form == "equal_rates" or ctx.rng.random() < (0.7 if first else 0.5)
        if positive:
            lr = h / f
            return f"{text} It {pos}.", lr, f"LR = {_pct(h)}/{_pct(f)} = {_fmt(lr)}"
        lr = (1 - h) / (1 - f)
        return f"{text} It {neg}.", lr, f"LR = {_pct(1 - h)}/{_pct(1 - f)} = {_fmt(lr)}"

    def example(self, ctx: GenContext) -> TrainingExample:
        scen = ctx.choice(BR_SCENARIOS)
        fill = {"person": ctx.fake.name(), "last": ctx.fake.last_name(), "company": ctx.fake.company(),
                "city": ctx.fake.city(), "num": str(ctx.randint(100, 99999)), "host": f"srv-{ctx.randint(1, 99):02d}"}
        claim = scen[0].format(**fill)
        holder = scen[1].format(**fill)
        prior = Fraction(ctx.randint(1, 19) * 5, 100)
        n_ev = ctx.level(1, 1, 2)
        forms = []
        for _ in range(n_ev):
            r = ctx.rng.random()
            forms.append("irrelevant" if r < 0.12 else "equal_rates" if r < 0.2 else
                         ctx.level("lr", ctx.choice(("lr", "rates")), ctx.choice(("lr", "rates", "rates"))))
        evidence = [self._evidence(ctx, scen, fill, form, i == 0) for i, form in enumerate(forms)]
        prior_text = ctx.choice((f"{holder} puts the probability that {claim} at {_pct(prior)}.",
                                 f"{holder} starts with a prior of {half_up(prior, 2)} that {claim}."))
        story = prior_text[0].upper() + prior_text[1:] + " " + " ".join(text for text, _, _ in evidence)
        if n_ev > 1:
            story += " Treat the pieces of evidence as independent."

        odds = prior / (1 - prior)
        steps = [f"Prior odds = {half_up(prior, 2)}/{half_up(1 - prior, 2)} = {_fmt(odds)}."]
        lr_total = Fraction(1)
        for _, lr, step in evidence:
            steps.append(step[0].upper() + step[1:] + ".")
            lr_total *= lr
        post_odds = odds * lr_total
        posterior = post_odds / (1 + post_odds)
        answer = half_up(posterior, 2)
        steps.append(f"Posterior odds = {_fmt(post_odds)}; P = {_fmt(post_odds)}/{_fmt(1 + post_odds)}.")
        conf = float(answer)
        response = "\n".join(steps) + f"\nAnswer: {answer} {confidence_tag(conf)}"
        k, tpl = pick_template(ctx, self.TEMPLATES)
        prompt = tpl.format(story=story, claim=claim)
        return TrainingExample(
            prompt=prompt,
            response=response,
            metadata={
                "answer": answer, "numeric_answer": conf, "confidence": conf, "phrasing": k,
                "prior": float(prior), "likelihood_ratios": [_fmt(lr) for _, lr, _ in evidence],
                "evidence_forms": forms,
            },
        )


belief_revision = Specialist("belief_revision", BeliefRevisionGenerator)
