"""Generators for the ``summarization`` category: news_summarization, meeting_summarization,
document_summarization, multi_doc_summarization.

Texts are built from a handful of key facts (who / what / when / where / amount) drawn with Faker
and the rng, padded with filler sentences that carry no key fact (on harder levels also distractor
numbers such as a founding year or a head count). The reference summary restates exactly the key
facts in one fixed sentence pattern per task, so it is learnable and every fact in it is checkable
against the prompt. Directions ("rose"/"fell", "up"/"down") are computed from the numbers in the
text. Prompts stay under about 900 characters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_D0 = dt.date(2024, 1, 1)
TITLES = ("chief executive", "chief financial officer", "spokesperson", "co-founder", "managing director", "president")


def fmt_date(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def rand_date(ctx: GenContext, span: int = 900) -> str:
    return fmt_date(_D0 + dt.timedelta(days=ctx.randint(0, span)))


def amount(ctx: GenContext) -> str:
    """A deal size such as "$4.2 million" or "$1.3 billion"."""
    if ctx.randint(0, 3) == 0:
        return f"${ctx.randint(11, 99) / 10:.1f} billion"
    return f"${ctx.randint(2, 950)}.{ctx.randint(1, 9)} million"


def _cap(s: str) -> str:
    return s[0].upper() + s[1:]


# ==================================================================================================
# news_summarization
# ==================================================================================================

NEWS_FILLER = (
    "Shares of {org} were little changed in early trading.",
    "Analysts said the move had been expected for some time.",
    "The announcement comes amid a busy period for the industry.",
    "Further details were not disclosed.",
    "A spokesperson declined to comment on future plans.",
    "Local officials welcomed the news.",
    "Competitors have made similar moves this year.",
    "The company did not say how the plan would be financed.",
    "Industry groups are expected to respond later this week.",
)
NEWS_DISTRACTORS = (
    "The company was founded in {year}.",
    "{org} employs about {n} people worldwide.",
    "Last year the firm reported {n} customers in {k} countries.",
    "Its previous announcement, in {year}, drew little attention.",
)
CATEGORIES = ("smartphone", "electric scooter", "laptop", "smart speaker", "fitness tracker", "drone", "e-reader")
FACILITIES = ("factory", "warehouse", "research centre", "office", "distribution hub", "data centre")
QUOTES = ("This is an important step for us", "We are excited about what comes next", "Our customers will benefit",
          "This reflects years of hard work", "We see strong demand", "It was a difficult but necessary decision")


def _news_event(ctx: GenContext, org: str, city: str, date: str) -> tuple[str, list[str], str, dict[str, str]]:
    """(lead sentence, other fact sentences, summary core, key facts) for one event."""
    kind = ctx.randint(0, 5)
    if kind == 0:
        target, amt = ctx.fake.company(), amount(ctx)
        lead = f"{org} has agreed to buy {target} in a deal worth {amt}."
        facts = [f"The deal was announced in {city} on {date}."]
        core = f"{org} agreed to acquire {target} for {amt} in {city}"
        key = {"target": target, "amount": amt}
    elif kind == 1:
        product = f"{ctx.fake.word().capitalize()} {ctx.randint(2, 12)}"
        cat = ctx.choice(CATEGORIES)
        price = f"${ctx.randint(99, 1999)}"
        lead = f"{org} unveiled the {product}, a new {cat}, at an event in {city} on {date}."
        facts = [f"The {cat} will sell for {price}."]
        core = f"{org} launched the {product} {cat} in {city}, priced at {price}"
        key = {"product": product, "price": price}
    elif kind == 2:
        amt, rnd, investor = amount(ctx), ctx.choice("ABCD"), ctx.fake.company()
        lead = f"{city}-based {org} has raised {amt} in a Series {rnd} funding round."
        facts = [f"The round, announced on {date}, was led by {investor}."]
        core = f"{city}-based {org} raised {amt} in a Series {rnd} round led by {investor}"
        key = {"amount": amt, "investor": investor}
    elif kind == 3:
        n = str(ctx.randint(40, 4000))
        lead = f"{org} will cut {n} jobs at its site in {city}."
        facts = [f"The cuts were confirmed on {date}."]
        core = f"{org} said it will cut {n} jobs in {city}"
        key = {"jobs": n}
    elif kind == 4:
        fac, n = ctx.choice(FACILITIES), str(ctx.randint(20, 2500))
        lead = f"{org} opened a new {fac} in {city} on {date}."
        facts = [f"The {fac} will employ {n} people."]
        core = f"{org} opened a new {fac} in {city} that will employ {n} people"
        key = {"facility": fac, "jobs": n}
    else:
        prev, cur = ctx.sample(range(120, 990), 2)
        direction = "up" if cur > prev else "down"
        lead = f"{org} reported quarterly revenue of ${cur} million at its headquarters in {city}."
        facts = [f"A year earlier the figure was ${prev} million.", f"The results were published on {date}."]
        core = f"{org} reported quarterly revenue of ${cur} million, {direction} from ${prev} million"
        key = {"revenue": f"${cur} million", "previous": f"${prev} million", "direction": direction}
    return lead, facts, core, key


class NewsSummarizationGenerator(Generator):
    """News article -> one-sentence summary "On <date>, <core>, <person> (<title>) said."

    Difficulty: 1 / 2-3 / 4-5 filler sentences; hard adds distractor numbers (founding year, head count).
    """

    name = "news_summarization"
    task_type = "generation"
    phrasings = 5

    TEMPLATES = (
        "Summarize this news article in one sentence.\n{article}",
        "Article:\n{article}\n\nTL;DR:",
        "Give a one-sentence summary (who, what, when, where):\n{article}",
        "{article}\n\nSummarize the key facts of the story above.",
        "News from {outlet}:\n{article}\nSummary:",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        org, city, date = ctx.fake.company(), ctx.fake.city(), rand_date(ctx)
        person, title = ctx.fake.name(), ctx.choice(TITLES)
        lead, facts, core, key = _news_event(ctx, org, city, date)
        quote = f"\"{ctx.choice(QUOTES)},\" said {person}, {title} of {org}."
        n_fill = ctx.level(1, ctx.randint(2, 3), ctx.randint(4, 5))
        n_dis = ctx.level(0, 0, 2)
        fill = [f.format(org=org) for f in ctx.sample(NEWS_FILLER, n_fill - n_dis)]
        fill += [d.format(org=org, year=ctx.randint(1950, 2015), n=ctx.randint(200, 90000), k=ctx.randint(3, 60))
                 for d in ctx.sample(NEWS_DISTRACTORS, n_dis)]
        body = facts + [quote] + fill
        ctx.rng.shuffle(body)
        article = " ".join([lead] + body)
        if date not in article:
            article += f" The news was made public on {date}."
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        outlet = f"{ctx.fake.city()} {ctx.choice(('Herald', 'Times', 'Post', 'Gazette', 'Daily'))}"
        prompt = self.TEMPLATES[k].format(article=article, outlet=outlet)
        ref = f"On {date}, {core}, {person} ({title}) said."
        key.update(org=org, city=city, date=date, person=person, title=title)
        return TrainingExample(prompt=prompt, response=ref, metadata={
            "reference": ref, "phrasing": k, "facts": key, "filler": fill})


# ==================================================================================================
# meeting_summarization
# ==================================================================================================

TOPICS = ("supplier contract", "product launch", "office move", "hiring plan", "marketing budget", "website redesign",
          "customer survey", "security review", "holiday schedule", "training programme")
TASKS = ("send the contract to legal", "update the project plan", "book the venue", "draft the announcement",
         "collect three quotes", "set up the test environment", "brief the sales team", "prepare the budget sheet",
         "write the FAQ", "schedule the kickoff")
SMALL_TALK = ("Can everyone hear me?", "Sorry, I'm a couple of minutes late.", "Let me share my screen.",
              "Thanks, that's helpful.", "Good point.", "I can take notes today.", "Is the recording on?",
              "My connection is a bit slow, sorry.", "Let's keep this short.")
REJECTIONS = ("No, that doesn't work for us.", "I think that's too risky.", "That would cost too much.",
              "We tried that last year and it failed.")


def _decision(ctx: GenContext) -> tuple[Callable[[str], str], Callable[[], str]]:
    """A decision phrase template and a slot generator (called for the decision and the rejected option)."""
    kind = ctx.randint(0, 4)
    if kind == 0:
        return (lambda v: f"go with {v} as the new supplier"), (lambda: ctx.fake.company())
    if kind == 1:
        return (lambda v: f"move the launch to {v}"), (lambda: rand_date(ctx))
    if kind == 2:
        return (lambda v: f"raise the budget to {v}"), (lambda: f"${ctx.randint(5, 95) * 1000:,}")
    if kind == 3:
        return (lambda v: f"hire {v} contractors"), (lambda: str(ctx.randint(2, 12)))
    return (lambda v: f"hold the weekly sync on {v}s"), (lambda: ctx.choice(WEEKDAYS))


class MeetingSummarizationGenerator(Generator):
    """Transcript -> "Meeting on the <topic>: the team decided to <decision>. <owner> will <task> by <deadline>."

    Difficulty: easy has one action item and little small talk; medium adds a rejected alternative
    (distractor) and more small talk; hard has two action items, a rejected alternative and more lines.
    """

    name = "meeting_summarization"
    task_type = "generation"
    phrasings = 5

    TEMPLATES = (
        "Summarize this meeting transcript: the decision and the action items.\n{transcript}",
        "Transcript:\n{transcript}\n\nWrite a short meeting summary.",
        "{transcript}\n\nWhat was decided, and who does what by when?",
        "Meeting notes needed. Here is the transcript of the {topic} call:\n{transcript}",
        "Please write the minutes (one or two sentences) for this meeting.\n{transcript}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        people: list[str] = []
        while len(people) < ctx.level(3, 3, 4):
            nm = ctx.fake.first_name()
            if nm not in people:
                people.append(nm)
        chair = people[0]
        topic = ctx.choice(TOPICS)
        phrase, slot = _decision(ctx)
        value = slot()
        lines = [f"{chair}: Okay, let's start. Today we need to settle the {topic}."]
        middle: list[str] = [f"{ctx.choice(people[1:])}: {s}" for s in ctx.sample(SMALL_TALK, ctx.level(1, 2, 3))]
        ctx.rng.shuffle(middle)
        lines += middle
        if ctx.difficulty != "easy":
            alt = slot()
            while alt == value:
                alt = slot()
            a, b = ctx.sample(people[1:], 2)
            lines += [f"{a}: Should we {phrase(alt)} instead?", f"{b}: {ctx.choice(REJECTIONS)}"]
        lines.append(f"{chair}: So it's decided: we {phrase(value)}.")
        items = []
        tasks = ctx.sample(TASKS, ctx.level(1, 1, 2))
        owners = ctx.sample(people, len(tasks))
        for owner, task in zip(owners, tasks):
            deadline = ctx.choice((ctx.choice(WEEKDAYS), rand_date(ctx)))
            if ctx.randint(0, 1) == 0 or owner == chair:
                lines.append(f"{owner}: I'll {task} by {deadline}.")
            else:
                lines += [f"{chair}: {owner}, can you {task} by {deadline}?", f"{owner}: Sure, will do."]
            items.append((owner, task, deadline))
        lines.append(f"{chair}: Great, thanks everyone.")
        transcript = "\n".join(lines)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(transcript=transcript, topic=topic)
        ref = f"Meeting on the {topic}: the team decided to {phrase(value)}. " + " ".join(
            f"{o} will {t} by {d}." for o, t, d in items)
        return TrainingExample(prompt=prompt, response=ref, metadata={
            "reference": ref, "phrasing": k, "topic": topic, "decision": phrase(value),
            "action_items": [{"owner": o, "task": t, "deadline": d} for o, t, d in items]})


# ==================================================================================================
# document_summarization
# ==================================================================================================

DOC_TYPES = ("annual report", "audit report", "research brief", "policy review", "internal review")
DOC_METRICS = ("the number of customer complaints", "energy use in megawatt-hours", "average delivery time in hours",
               "staff turnover in percent", "the on-time rate in percent", "water use in megalitres",
               "the number of active members", "average waiting time in minutes", "the recycling rate in percent")
RECOMMENDATIONS = ("investing in staff training", "replacing the ageing vehicle fleet", "publishing quarterly progress reports",
                   "hiring an independent auditor", "moving support to a single platform", "renegotiating supplier contracts",
                   "expanding the pilot to all sites", "setting up a customer advisory panel")
DOC_FILLER = (
    "This document was prepared for the board.",
    "Data were collected from internal systems and interviews.",
    "The methodology follows the previous edition.",
    "All figures are rounded.",
    "Stakeholders were consulted during the drafting process.",
    "Some data for smaller sites were incomplete.",
    "The appendix lists all sources used.",
    "Comments on the draft were received from several departments.",
    "The review team met monthly throughout the period.",
)
DOC_DISTRACTORS = ("The review covered {n} sites.", "A total of {n} people responded to the survey.",
                   "The previous edition was published in {year}.")


def _finding(ctx: GenContext, metric: str, y1: int, y2: int) -> tuple[str, str, dict[str, object]]:
    a, b = ctx.sample(range(12, 980), 2)
    direction = "rose" if b > a else "fell"
    text = ctx.choice((f"Between {y1} and {y2}, {metric} went from {a} to {b}.",
                       f"{_cap(metric)} stood at {a} in {y1} and at {b} in {y2}.",
                       f"In {y1} {metric} was {a}; by {y2} it was {b}."))
    summary = f"{metric} {direction} from {a} to {b} between {y1} and {y2}"
    return text, summary, {"metric": metric, "start": a, "end": b, "direction": direction}


class DocumentSummarizationGenerator(Generator):
    """Structured document -> "The <type> by <org> finds that <metric> rose|fell from A to B between
    Y1 and Y2[, and ...]. It recommends <recommendation>."

    Difficulty: easy = one finding, 1 filler per section; medium = one finding, distractor numbers;
    hard = two findings and more filler.
    """

    name = "document_summarization"
    task_type = "generation"
    phrasings = 4

    TEMPLATES = (
        "Summarize the following document in one or two sentences.\n\n{doc}",
        "{doc}\n\nSummary of the main finding and recommendation:",
        "Read this {doc_type} and summarize it briefly.\n{doc}",
        "Document:\n{doc}\nWrite an executive summary (two sentences max).",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        doc_type = ctx.choice(DOC_TYPES)
        org = ctx.choice((ctx.fake.company(), f"the {ctx.fake.city()} City Council", f"the {ctx.fake.last_name()} Foundation"))
        y2 = ctx.randint(2018, 2025)
        y1 = y2 - ctx.randint(1, 5)
        metrics = ctx.sample(DOC_METRICS, ctx.level(1, 1, 2))
        findings = [_finding(ctx, m, y1, y2) for m in metrics]
        rec = ctx.choice(RECOMMENDATIONS)
        n_fill = ctx.level(1, 2, 2)
        fill = ctx.sample(DOC_FILLER, 3 * n_fill)
        background = fill[:n_fill]
        if ctx.difficulty != "easy":
            background = background + [ctx.choice(DOC_DISTRACTORS).format(n=ctx.randint(3, 400), year=ctx.randint(2005, y1))]
        sections = [
            f"{_cap(doc_type)} - {org}",
            "1. Background. " + " ".join([f"This {doc_type} covers the period {y1} to {y2}."] + background),
            "2. Findings. " + " ".join([f[0] for f in findings] + fill[n_fill:2 * n_fill]),
            "3. Recommendation. " + " ".join([f"The authors recommend {rec}."] + fill[2 * n_fill:]),
        ]
        doc = "\n".join(sections)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(doc=doc, doc_type=doc_type)
        ref = (f"The {doc_type} by {org} finds that " + ", and ".join(f[1] for f in findings)
               + f". It recommends {rec}.")
        return TrainingExample(prompt=prompt, response=_cap(ref), metadata={
            "reference": _cap(ref), "phrasing": k, "org": org, "doc_type": doc_type, "recommendation": rec,
            "findings": [f[2] for f in findings], "years": [y1, y2]})


# ==================================================================================================
# multi_doc_summarization
# ==================================================================================================

PROJECTS = (("announced plans to build a factory", "factory"), ("unveiled a new research centre", "research centre"),
            ("announced a solar park", "solar park"), ("agreed a warehouse expansion", "warehouse expansion"),
            ("announced a new data centre", "data centre"), ("unveiled a rail freight terminal", "freight terminal"))
MULTI_FILLER = (
    "Construction is set to begin next year.", "Residents have been invited to an information evening.",
    "The plans still need final approval.", "Critics questioned the timing.", "Details of the design were not released.",
    "The site was previously used as farmland.", "Local businesses hope for more customers.",
    "Environmental groups are reviewing the proposal.",
)
OUTLET_KINDS = ("Herald", "Times", "Post", "Gazette", "Daily", "Observer", "Courier")


class MultiDocSummarizationGenerator(Generator):
    """2-3 short reports on one event, each holding different facts -> one merged summary.

    Document 1 has who/what/when, document 2 the amount and the source, document 3 (when present)
    the city and the jobs. With two documents the city moves to document 1 and there is no job
    figure. Difficulty: easy = 2 docs, medium = 2 or 3, hard = 3 docs with more filler.
    """

    name = "multi_doc_summarization"
    task_type = "generation"
    phrasings = 4

    TEMPLATES = (
        "Summarize these reports in one or two sentences, combining their facts.\n\n{docs}",
        "{docs}\n\nWrite one summary that merges the information from all sources.",
        "Multi-document summary needed. Sources:\n{docs}",
        "Read the following {n} articles about the same event and summarize them together.\n{docs}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        org, city, date = ctx.fake.company(), ctx.fake.city(), rand_date(ctx)
        person, title = ctx.fake.name(), ctx.choice(TITLES)
        event, noun = ctx.choice(PROJECTS)
        amt = amount(ctx)
        jobs = str(ctx.randint(30, 3000))
        n_docs = ctx.level(2, ctx.randint(2, 3), 3)
        n_fill = ctx.level(1, 1, 2)
        fill = ctx.sample(MULTI_FILLER, n_fill * n_docs)
        if n_docs == 2:
            d1 = f"{org} {event} in {city} on {date}."
        else:
            d1 = f"{org} {event} on {date}."
        d2 = ctx.choice((f"The {noun} is worth {amt}, according to {person}, {title} of {org}.",
                         f"{person}, {title} of {org}, put the cost of the {noun} at {amt}."))
        docs_facts = [d1, d2]
        if n_docs == 3:
            docs_facts.append(ctx.choice((f"The {noun} in {city} is expected to create {jobs} jobs.",
                                          f"About {jobs} jobs will be created by the new {noun} in {city}.")))
        docs = []
        for i, fact in enumerate(docs_facts):
            sents = [fact] + fill[i * n_fill:(i + 1) * n_fill]
            if i > 0:
                ctx.rng.shuffle(sents)
            outlet = f"{ctx.fake.city()} {ctx.choice(OUTLET_KINDS)}"
            docs.append(f"[{i + 1}] {outlet}: " + " ".join(sents))
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(docs="\n".join(docs), n=n_docs)
        ref = f"On {date}, {org} {event} in {city} worth {amt}, {person} ({title}) said."
        facts = {"org": org, "date": date, "city": city, "amount": amt, "person": person, "title": title}
        if n_docs == 3:
            ref += f" The {noun} is expected to create {jobs} jobs."
            facts["jobs"] = jobs
        return TrainingExample(prompt=prompt, response=ref, metadata={
            "reference": ref, "phrasing": k, "facts": facts, "n_docs": n_docs, "filler": fill})


news_summarization = Specialist("news_summarization", NewsSummarizationGenerator)
meeting_summarization = Specialist("meeting_summarization", MeetingSummarizationGenerator)
document_summarization = Specialist("document_summarization", DocumentSummarizationGenerator)
multi_doc_summarization = Specialist("multi_doc_summarization", MultiDocSummarizationGenerator)
