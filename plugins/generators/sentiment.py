"""Generators for the ``sentiment`` category: sentiment_analysis, aspect_sentiment, opinion_mining.

Reviews are assembled from clauses whose polarity is known, so the label always follows from the
text: positive = only positive clauses, negative = only negative, neutral = only factual clauses,
mixed = at least one positive and one negative clause.

aspect_sentiment answers in three lines: the aspect, the review's sentence about it (quoted), and its
sentiment. Quoting first splits the task into finding the sentence and judging one sentence, which a
small model learns far more reliably than judging the whole review at once (docs/results.md).
"""

from __future__ import annotations

import json

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

PRODUCTS = (
    "headphones", "blender", "laptop", "backpack", "coffee maker", "desk lamp", "running shoes",
    "phone case", "air fryer", "keyboard", "monitor", "water bottle", "tent", "vacuum cleaner",
    "smart watch", "office chair", "bluetooth speaker", "electric kettle", "camera", "mattress",
)
ASPECTS = ("battery", "price", "design", "sound", "delivery", "screen", "comfort", "support")
POSITIVE = {
    "battery": ("the battery lasts all day", "the battery charges quickly"),
    "price": ("the price is a bargain", "it is worth every cent"),
    "design": ("the design is elegant", "it looks fantastic"),
    "sound": ("the sound is crisp and rich", "the audio is superb"),
    "delivery": ("delivery was fast", "it arrived a day early"),
    "screen": ("the screen is bright and sharp", "the display is gorgeous"),
    "comfort": ("it is very comfortable", "it feels great to use"),
    "support": ("customer support was helpful", "the support team solved my issue quickly"),
}
NEGATIVE = {
    "battery": ("the battery dies within hours", "the battery barely holds a charge"),
    "price": ("the price is far too high", "it is overpriced"),
    "design": ("the design feels cheap", "it looks flimsy"),
    "sound": ("the sound is tinny", "the audio crackles constantly"),
    "delivery": ("delivery took three weeks", "it arrived damaged"),
    "screen": ("the screen is dim and blurry", "the display flickers"),
    "comfort": ("it is painful to use for long", "it feels awkward and stiff"),
    "support": ("customer support never answered", "the support team was rude"),
}
NEUTRAL = {
    "battery": ("the battery is rated at 4000 mAh", "it uses a replaceable battery"),
    "price": ("it costs about the same as similar models", "the price was listed on the box"),
    "design": ("it comes in black and grey", "the case is made of plastic"),
    "sound": ("it has two speakers", "the audio output is stereo"),
    "delivery": ("it was shipped by courier", "the package came in a cardboard box"),
    "screen": ("the screen is 13 inches", "the display has a matte finish"),
    "comfort": ("it weighs about 300 grams", "it has an adjustable strap"),
    "support": ("support is available by email", "the manual lists a support number"),
}
POLARITY = {"positive": POSITIVE, "negative": NEGATIVE, "neutral": NEUTRAL}


def _clauses(ctx: GenContext, polarity: str, k: int) -> list[tuple[str, str]]:
    aspects = ctx.sample(ASPECTS, k)
    return [(a, ctx.choice(POLARITY[polarity][a])) for a in aspects]


def _review(ctx: GenContext, label: str) -> tuple[str, list[tuple[str, str, str]]]:
    """A review for ``label``; returns the text and its (aspect, polarity, clause) parts."""
    n = ctx.level(1, 2, 3)
    if label == "mixed":
        aspects = ctx.sample(ASPECTS, max(2, n))
        pols = ["positive", "negative"] + [ctx.choice(("positive", "negative")) for _ in aspects[2:]]
        parts = [(a, pol, ctx.choice(POLARITY[pol][a])) for a, pol in zip(aspects, pols)]
        ctx.rng.shuffle(parts)
    else:
        parts = [(a, label, c) for a, c in _clauses(ctx, label, n)]
    product = ctx.choice(PRODUCTS)
    name = ctx.fake.first_name()
    opener = ctx.choice((f"I bought this {product} last month.", f"{name} here, reviewing the {product}.",
                         f"Got the {product} as a gift.", f"Been using this {product} for a few weeks."))
    body = " ".join(c[0].upper() + c[1:] + "." for _, _, c in parts)
    return f"{opener} {body}", parts


class SentimentAnalysisGenerator(Generator):
    name = "sentiment_analysis"
    task_type = "classification"
    labels = ("positive", "negative", "neutral", "mixed")
    phrasings = 4

    TEMPLATES = (
        "Classify the sentiment of this review as positive, negative, neutral or mixed.\nReview: {text}",
        "What is the sentiment of the following customer review?\n{text}",
        "Review: {text}\nSentiment (positive/negative/neutral/mixed)?",
        "Label the overall tone of this product feedback.\n\"{text}\"",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        text, _parts = _review(ctx, ctx.label)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(text=text)
        return TrainingExample(prompt=prompt, response=f"Sentiment: {ctx.label}", metadata={"label": ctx.label, "phrasing": k})


class AspectSentimentGenerator(Generator):
    name = "aspect_sentiment"
    task_type = "classification"
    labels = ("positive", "negative", "neutral")
    phrasings = 3

    TEMPLATES = (
        "Review: {text}\nWhat is the sentiment toward the {aspect}?",
        "For the aspect '{aspect}', classify the sentiment (positive, negative or neutral).\n{text}",
        "How does the reviewer feel about the {aspect}?\nReview: {text}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        target = ctx.choice(ASPECTS)
        others = [a for a in ASPECTS if a != target]
        parts = [(target, ctx.label, ctx.choice(POLARITY[ctx.label][target]))]
        for a in ctx.sample(others, ctx.level(0, 1, 2)):
            pol = ctx.choice(("positive", "negative", "neutral"))
            parts.append((a, pol, ctx.choice(POLARITY[pol][a])))
        ctx.rng.shuffle(parts)
        sentences = [c[0].upper() + c[1:] + "." for _, _, c in parts]
        text = " ".join(sentences)
        product = ctx.choice(PRODUCTS)
        text = f"My new {product}: {text} ({ctx.fake.first_name()})"
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(text=text, aspect=target)
        quote = sentences[[a for a, _, _ in parts].index(target)]
        return TrainingExample(
            prompt=prompt,
            response=f"Aspect: {target}\nSays: {quote}\nSentiment: {ctx.label}",
            metadata={"label": ctx.label, "aspect": target, "phrasing": k},
        )


class OpinionMiningGenerator(Generator):
    name = "opinion_mining"
    task_type = "extraction"
    phrasings = 3

    TEMPLATES = (
        "Extract every opinion from this review as JSON mapping aspect to polarity.\nReview: {text}",
        "List the aspects the customer comments on and whether each remark is positive, negative or neutral.\n{text}",
        "Opinion mining. Text: {text}\nReturn a JSON object of aspect: polarity.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        n = ctx.level(2, 3, 4)
        parts = []
        for a in ctx.sample(ASPECTS, n):
            pol = ctx.choice(("positive", "negative", "neutral"))
            parts.append((a, pol, ctx.choice(POLARITY[pol][a])))
        product = ctx.choice(PRODUCTS)
        text = f"About the {product} from {ctx.fake.company()}: " + " ".join(
            c[0].upper() + c[1:] + "." for _, _, c in parts
        )
        fields = {a: pol for a, pol, _ in parts}
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(text=text)
        return TrainingExample(
            prompt=prompt,
            response=json.dumps(fields, ensure_ascii=False),
            metadata={"fields": fields, "derived": sorted(fields), "phrasing": k},
        )


sentiment_analysis = Specialist("sentiment_analysis", SentimentAnalysisGenerator)
aspect_sentiment = Specialist("aspect_sentiment", AspectSentimentGenerator)
opinion_mining = Specialist("opinion_mining", OpinionMiningGenerator)
