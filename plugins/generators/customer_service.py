"""Generators for the ``customer_service`` category.

* ``ticket_classification`` -- a support ticket whose *problem sentence* comes from the pool of the
  gold category (billing, technical, account, shipping, general). Filler sentences are neutral; at
  ``hard`` a disclaimer about another category is added ("The parcel arrived on time."), which
  explicitly says that area is *not* the problem, so the label still follows from the text.
* ``response_generation`` -- a reply built from the facts in the prompt (customer name, order
  number, issue, days since delivery, the resolution policy) in one fixed structure. Whether the
  policy remedy or the fallback applies is decided by comparing the stated days with the stated
  policy window.
* ``faq_answering`` -- extractive QA over a short FAQ/policy passage; the answer is the exact span
  of the asked fact, which occurs exactly once in the prompt.
* ``complaint_handling`` -- severity low/medium/high from explicit cues:

  - high: a safety risk (fire, smoke, shock, burn, injury), a legal threat (lawyer, court,
    regulator), or a repeated failure (third replacement, fault reported several times);
  - medium (no high cue): a money or time loss -- a refund not received, an overcharge, a late
    delivery, a service outage;
  - low (no high or medium cue): cosmetic or minor issues -- a scratch, a dented box, a typo, a
    slightly different colour.

  The highest cue present decides; at ``hard`` lower-severity cues are added next to the deciding
  one, so the precedence rule matters. The response names the deciding cue type.
"""

from __future__ import annotations

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

ITEMS = (
    "blender", "laptop stand", "desk lamp", "coffee grinder", "wireless mouse", "backpack", "kettle",
    "phone charger", "yoga mat", "rice cooker", "bluetooth speaker", "office chair", "air purifier",
    "hair dryer", "monitor", "toaster", "webcam", "electric toothbrush", "space heater", "keyboard",
)
DEVICES = ("iPhone", "Android phone", "Windows laptop", "MacBook", "iPad", "Chromebook", "smart TV")
PRODUCTS = ("smart thermostat", "router", "security camera", "smart speaker", "fitness tracker", "e-reader")


def _money(ctx: GenContext, lo: float, hi: float) -> str:
    return f"${ctx.money(lo, hi):,.2f}"


def _order(ctx: GenContext) -> str:
    return ctx.choice(("ORD-", "A", "SO-", "")) + ctx.fake.numerify("#######")


def _slots(ctx: GenContext) -> dict[str, str]:
    """Values for the placeholders used in ticket / complaint sentences."""
    return {
        "amount": _money(ctx, 4, 480),
        "order": _order(ctx),
        "item": ctx.choice(ITEMS),
        "product": ctx.choice(PRODUCTS),
        "device": ctx.choice(DEVICES),
        "code": ctx.fake.bothify("E-###"),
        "version": f"{ctx.randint(2, 9)}.{ctx.randint(0, 12)}.{ctx.randint(0, 9)}",
        "invoice": ctx.fake.bothify("INV-######"),
        "last4": ctx.fake.numerify("####"),
        "email": ctx.fake.email(),
        "name": ctx.fake.name(),
        "city": ctx.fake.city(),
        "country": ctx.fake.country(),
        "address": ctx.fake.street_address(),
        "company": ctx.fake.company(),
        "date": f"{ctx.choice(MONTHS)} {ctx.randint(1, 28)}",
        "n": str(ctx.randint(3, 14)),
    }


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

# ---------------------------------------------------------------------------------------------
# ticket_classification
# ---------------------------------------------------------------------------------------------

TICKET_PROBLEMS = {
    "billing": (
        "I was charged {amount} twice for the same order.",
        "My invoice {invoice} shows {amount}, which is more than my plan costs.",
        "The refund of {amount} you promised never reached my card ending in {last4}.",
        "There is an unknown charge of {amount} on my card statement from your company.",
        "I need a corrected invoice for my payment of {amount}.",
        "The discount code was not applied at checkout and I paid the full {amount}.",
        "My payment of {amount} was declined, yet the money left my bank account.",
        "Can you explain the late fee of {amount} on my latest bill?",
        "My subscription renewed at {amount} although I switched off automatic payment.",
        "I was billed {amount} for a plan upgrade I never asked for.",
    ),
    "technical": (
        "The app crashes every time I open the settings page on my {device}.",
        "I keep getting error {code} when I try to sync my data.",
        "The {product} will not connect to my Wi-Fi network since the last update.",
        "Pages load extremely slowly and the dashboard times out on my {device}.",
        "The export to PDF feature produces a blank file.",
        "After updating to version {version}, notifications stopped working on my {device}.",
        "The {product} firmware update failed and now the device will not start.",
        "Video calls drop every few minutes on my {device}.",
        "The search bar returns error {code} for every query.",
        "My {product} keeps disconnecting from the app every hour.",
    ),
    "account": (
        "I cannot reset my password because the reset link says it has expired.",
        "Please change the email address on my account to {email}.",
        "My account was locked after too many sign-in attempts.",
        "I would like to close my account and have my personal data deleted.",
        "Please update the name on my profile to {name}.",
        "I never receive the two-factor login code when I sign in.",
        "I think someone signed in to my account from {city} without my permission.",
        "How do I merge my two accounts registered under {email}?",
        "Please add {name} as a second user on my account.",
        "My username was changed and I can no longer sign in with {email}.",
    ),
    "shipping": (
        "My order {order} has not arrived, and tracking has not updated since {date}.",
        "The parcel for order {order} was delivered to the wrong address in {city}.",
        "Can I change the delivery address for order {order} to {address}?",
        "The courier marked order {order} as delivered, but nothing was at my door.",
        "How long does delivery to {country} usually take?",
        "The box for order {order} arrived crushed in transit and the {item} inside is broken.",
        "Order {order} was supposed to ship on {date} but still shows 'processing'.",
        "Can you upgrade order {order} to express delivery?",
        "Only half of order {order} arrived; the {item} is missing from the parcel.",
        "The tracking number for order {order} says the parcel is stuck at customs.",
    ),
    "general": (
        "Do you have a physical store in {city}?",
        "What are your customer service opening hours on public holidays?",
        "I just want to say thank you to {name} for the great help last week.",
        "Do you sell gift vouchers?",
        "Are you hiring? I would love to work for {company}.",
        "Do you have a loyalty programme for regular customers?",
        "Is the {item} also available in other colours?",
        "Where can I find your company's sustainability report?",
        "Who should I talk to about a corporate partnership with {company}?",
        "Are your products made in {country}?",
    ),
}
# Disclaimers that mention another category while saying it is NOT the problem (hard only).
TICKET_DISCLAIMERS = {
    "billing": ("My payment went through without any problem.", "The billing side is all fine."),
    "technical": ("The app itself works fine.", "There is nothing wrong with the website."),
    "account": ("I can sign in to my account without problems.", "My account details are correct."),
    "shipping": ("The parcel arrived on time.", "Delivery was quick, no complaints there."),
}
TICKET_CONTEXT = (
    "I have been a customer since {year}.",
    "My customer number is {cust}.",
    "I am writing from {city}.",
    "I already checked your help pages.",
    "This is my first time contacting you.",
    "I would appreciate a quick reply.",
)
GREETINGS = ("Hello,", "Hi there,", "Good morning,", "Dear support team,", "Hi,", "")
SIGNOFFS = ("Thanks, {name}", "Regards, {name}", "- {name}", "Best, {name}", "{name}", "Cheers, {name}")


class TicketClassificationGenerator(Generator):
    name = "ticket_classification"
    task_type = "classification"
    labels = ("billing", "technical", "account", "shipping", "general")
    phrasings = 5

    TEMPLATES = (
        "Classify this support ticket as billing, technical, account, shipping or general.\nTicket: {text}",
        "Route the following customer ticket to the right team (billing/technical/account/shipping/general).\n{text}",
        "Ticket #{tid}:\n{text}\nCategory?",
        "Which category does this ticket belong to?\n\"{text}\"",
        "Support inbox message from {email}:\n{text}\nAssign a category.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        label = ctx.label
        slots = _slots(ctx)
        problem = ctx.choice(TICKET_PROBLEMS[label]).format(**slots)
        parts = [problem]
        n_context = ctx.level(0, 1, 2)
        for c in ctx.sample(TICKET_CONTEXT, n_context):
            parts.append(c.format(year=ctx.randint(2008, 2024), cust=ctx.fake.numerify("C#######"), city=slots["city"]))
        disclaimer = None
        if ctx.difficulty == "hard":
            other = ctx.choice([c for c in ("billing", "technical", "account", "shipping") if c != label])
            disclaimer = ctx.choice(TICKET_DISCLAIMERS[other])
            parts.insert(ctx.randint(0, len(parts)), disclaimer)
        elif n_context:
            ctx.rng.shuffle(parts)
        greeting = ctx.choice(GREETINGS)
        signoff = ctx.choice(SIGNOFFS).format(name=ctx.fake.first_name())
        text = " ".join(p for p in [greeting, *parts, signoff] if p)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(text=text, tid=ctx.fake.numerify("######"), email=ctx.fake.email())
        return TrainingExample(
            prompt=prompt,
            response=f"Category: {label}",
            metadata={"label": label, "phrasing": k, "problem": problem, "disclaimer": disclaimer},
        )


# ---------------------------------------------------------------------------------------------
# response_generation
# ---------------------------------------------------------------------------------------------

# For each issue: customer messages, the apology clause, the policy sentence, the remedy (policy
# applies) and the fallback (policy does not apply). ``window``: "max" = eligible when
# days <= window, "min" = eligible when days >= window, None = always eligible.
RESPONSE_ISSUES = {
    "damaged": {
        "issue": "item arrived damaged",
        "messages": ("My {item} from order {order} arrived damaged.",
                     "The {item} I received (order {order}) has a cracked casing.",
                     "Order {order}: the {item} was broken when I opened the box."),
        "sorry": "that your {item} arrived damaged",
        "policy": "Damaged items are replaced free of charge within {window} days of delivery.",
        "remedy": "we will send you a free replacement {item}",
        "fallback": "we can offer a repair at half price",
        "window": "max",
    },
    "wrong_item": {
        "issue": "wrong item received",
        "messages": ("I ordered a {item} (order {order}) but received something else.",
                     "Order {order} contained the wrong product instead of my {item}.",
                     "You sent me the wrong item for order {order}; I wanted the {item}."),
        "sorry": "that you received the wrong item instead of your {item}",
        "policy": "Wrong items are exchanged free of charge if reported within {window} days of delivery.",
        "remedy": "we will ship the correct {item} and email you a prepaid return label",
        "fallback": "we can offer store credit of {amount}",
        "window": "max",
    },
    "return": {
        "issue": "wants to return the item for a refund",
        "messages": ("I'd like to return the {item} from order {order} and get my money back.",
                     "The {item} (order {order}) is not what I expected. Can I get a refund?",
                     "Please refund my {item}, order {order}. I no longer need it."),
        "sorry": "that the {item} did not meet your expectations",
        "policy": "Returns are refunded in full within {window} days of delivery.",
        "remedy": "we will refund {amount} to your original payment method",
        "fallback": "we can offer store credit of {amount}",
        "window": "max",
    },
    "late": {
        "issue": "order has not arrived",
        "messages": ("Where is my order {order}? The {item} still hasn't arrived.",
                     "Order {order} ({item}) is taking forever to arrive.",
                     "I'm still waiting for my {item}, order {order}."),
        "sorry": "that order {order} has not arrived yet",
        "policy": "If an order has not arrived {window} or more days after dispatch, we reship it at no cost.",
        "remedy": "we will reship your {item} at no cost today",
        "fallback": "please allow a few more days for delivery",
        "window": "min",
    },
    "double_charge": {
        "issue": "charged twice for one order",
        "messages": ("I was charged twice for order {order}.",
                     "My card shows two payments of {amount} for order {order}.",
                     "Order {order} was billed two times. Please fix this."),
        "sorry": "that you were charged twice",
        "policy": "Duplicate charges are always reversed within 3 business days.",
        "remedy": "we will reverse the duplicate charge of {amount} within 3 business days",
        "fallback": "",
        "window": None,
    },
}
DAYS_LABEL = {"max": "days since delivery", "min": "days since dispatch"}
EXTRA_FACTS = ("loyalty tier: {tier}", "previous orders: {prev}", "phone: {phone}", "customer since: {year}",
               "preferred language: English")


class ResponseGenerationGenerator(Generator):
    name = "response_generation"
    task_type = "generation"
    phrasings = 4

    TEMPLATES = (
        "You are a support agent for {company}. Reply to the customer using the facts and policy.\n"
        "Customer message: \"{message}\"\nFacts: {facts}\nPolicy: {policy}\nAgent: {agent}",
        "Write a support reply.\nCompany: {company}\nAgent: {agent}\nPolicy: {policy}\nFacts: {facts}\n"
        "Message: {message}",
        "Customer wrote: {message}\n[{facts}]\n{company} policy: {policy}\nDraft {agent}'s response.",
        "Facts: {facts}\nPolicy: {policy}\nThe customer says: \"{message}\"\n"
        "Respond on behalf of {company} as {agent}.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        if ctx.difficulty == "easy":
            key = ctx.choice(("double_charge", "damaged", "wrong_item", "return", "late"))
        else:
            key = ctx.choice(("damaged", "wrong_item", "return", "late", "damaged", "return", "double_charge"))
        spec = RESPONSE_ISSUES[key]
        first, last = ctx.fake.first_name(), ctx.fake.last_name()
        order = _order(ctx)
        item = ctx.choice(ITEMS)
        amount = _money(ctx, 12, 450)
        company = ctx.fake.company()
        agent = ctx.fake.first_name()
        vals = {"item": item, "order": order, "amount": amount}
        message = ctx.choice(spec["messages"]).format(**vals)
        facts = [f"name: {first} {last}", f"order: {order}", f"issue: {spec['issue']}", f"item: {item}"]
        if key in ("return", "double_charge", "wrong_item"):
            facts.append(f"amount: {amount}")
        days = window = None
        eligible = True
        if spec["window"] is not None:
            window = ctx.choice((7, 14, 30, 60)) if spec["window"] == "max" else ctx.choice((5, 7, 10, 14))
            if ctx.difficulty == "easy":
                days = ctx.randint(1, window - 1) if spec["window"] == "max" else ctx.randint(window + 1, window + 20)
            else:
                days = ctx.randint(1, window + 25) if spec["window"] == "max" else ctx.randint(1, window + 10)
            eligible = days <= window if spec["window"] == "max" else days >= window
            facts.append(f"{DAYS_LABEL[spec['window']]}: {days}")
        policy = spec["policy"].format(window=window)
        if ctx.difficulty == "hard":
            other = ctx.choice([k for k in RESPONSE_ISSUES if k != key])
            ow = 30 if RESPONSE_ISSUES[other]["window"] == "max" else 10
            policy = f"{policy} {RESPONSE_ISSUES[other]['policy'].format(window=ow)}"
            for f in ctx.sample(EXTRA_FACTS, 2):
                facts.append(f.format(tier=ctx.choice(("silver", "gold", "basic")), prev=ctx.randint(0, 40),
                                      phone=ctx.fake.phone_number(), year=ctx.randint(2010, 2024)))
            ctx.rng.shuffle(facts)
        if eligible:
            decision = f"Under our policy, {spec['remedy'].format(**vals)}."
        else:
            where = "outside" if spec["window"] == "max" else "within"
            what = "" if spec["window"] == "max" else " delivery"
            decision = (f"As it has been {days} days, which is {where} our {window}-day{what} window, "
                        f"{spec['fallback'].format(**vals)}.")
        reply = (f"Dear {first},\nThank you for contacting {company} about order {order}. "
                 f"We are sorry {spec['sorry'].format(**vals)}.\n{decision}\nBest regards,\n{agent}")
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(company=company, message=message, facts="; ".join(facts),
                                          policy=policy, agent=agent)
        return TrainingExample(
            prompt=prompt,
            response=reply,
            metadata={"reference": reply, "phrasing": k, "issue": key, "eligible": eligible, "days": days,
                      "window": window, "customer": first, "order": order, "agent": agent, "company": company},
        )


# ---------------------------------------------------------------------------------------------
# faq_answering
# ---------------------------------------------------------------------------------------------

def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}" + ("" if n == 1 else "s")


def _hours(ctx: GenContext) -> str:
    days = ctx.choice(("Monday to Friday", "Monday to Saturday", "every day", "weekdays"))
    a, b = ctx.randint(7, 10), ctx.randint(4, 9)
    return f"{days}, {a} am to {b} pm"


# fact id -> (value maker, passage sentences, questions)
FAQ_FACTS = {
    "return_window": (lambda c: f"{c.choice((14, 21, 30, 45, 60, 90))} days",
                      ("Items can be returned within {v} of delivery.",
                       "You may send back any unused item within {v} of receiving it."),
                      ("How long do I have to return an item?", "What is the return window?")),
    "shipping_fee": (lambda c: f"${c.choice((2, 3, 4, 5, 6, 7, 8, 9))}.{c.choice((49, 95, 99))}",
                     ("Standard shipping costs {v} per order.", "We charge a flat shipping fee of {v}."),
                     ("How much does standard shipping cost?", "What is the shipping fee?")),
    "free_shipping": (lambda c: f"${c.choice((25, 35, 40, 50, 75, 100, 150))}",
                      ("Orders over {v} ship for free.", "Shipping is free on orders above {v}."),
                      ("What is the minimum order value for free shipping?",
                       "Above what amount is shipping free?")),
    "hours": (_hours,
              ("Our support team is available {v}.", "You can reach customer service {v}."),
              ("When is customer support available?", "What are the support hours?")),
    "email": (lambda c: f"help@{c.fake.domain_name()}",
              ("Questions can be sent to {v}.", "Email our team at {v}."),
              ("Which email address should I write to?", "What is the support email address?")),
    "warranty": (lambda c: _plural(c.choice((1, 2, 3, 5)), "year"),
                 ("Every product comes with a warranty of {v}.", "Our warranty covers defects for {v}."),
                 ("How long is the warranty?", "For how long are defects covered?")),
    "refund_time": (lambda c: f"{c.choice((3, 5, 7, 10))} business days",
                    ("Refunds are processed within {v}.", "Once approved, a refund takes up to {v}."),
                    ("How long does a refund take?", "How quickly are refunds processed?")),
    "cancel": (lambda c: _plural(c.choice((1, 2, 12, 24, 48)), "hour"),
               ("Orders can be cancelled free of charge within {v} of purchase.",
                "You can cancel an order at no cost for {v} after ordering."),
               ("How long can I cancel an order for free?", "Until when can an order be cancelled at no cost?")),
    "store": (lambda c: c.fake.city(),
              ("Our flagship store is located in {v}.", "Visit our main store in {v}."),
              ("Where is the flagship store?", "In which city is the main store?")),
    "points": (lambda c: f"{c.choice((2, 3, 4, 5, 10))} points",
               ("Loyalty members earn {v} for every dollar spent.", "Members collect {v} per dollar."),
               ("How many loyalty points do members earn per dollar?", "What do members earn per dollar spent?")),
    "countries": (lambda c: f"{c.randint(12, 95)} countries",
                  ("We ship internationally to {v}.", "International delivery is available to {v}."),
                  ("How many countries do you ship to?", "To how many countries is delivery available?")),
    "founded": (lambda c: str(c.randint(1950, 2019)),
                ("The company was founded in {v}.", "We have been in business since {v}."),
                ("When was the company founded?", "Since what year has the company been in business?")),
}
FAQ_KEYS = tuple(FAQ_FACTS)


class FaqAnsweringGenerator(Generator):
    name = "faq_answering"
    task_type = "extraction"
    phrasings = 4

    TEMPLATES = (
        "Answer the question using the exact words from the FAQ.\nFAQ ({company}): {passage}\nQuestion: {question}",
        "{company} help centre:\n{passage}\n\nQ: {question}",
        "Context: {passage}\nQuestion: {question}\nReply with the answer span only.",
        "Read the policy of {company} and answer.\nPolicy: {passage}\nCustomer asks: {question}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        n = ctx.level(3, 5, 7)
        company = ctx.fake.company()
        for _ in range(100):
            keys = ctx.sample(FAQ_KEYS, n)
            values = {k: FAQ_FACTS[k][0](ctx) for k in keys}
            sentences = [ctx.choice(FAQ_FACTS[k][1]).format(v=values[k]) for k in keys]
            passage = " ".join(sentences)
            target = ctx.choice(keys)
            question = ctx.choice(FAQ_FACTS[target][2])
            k = ctx.randint(0, len(self.TEMPLATES) - 1)
            prompt = self.TEMPLATES[k].format(company=company, passage=passage, question=question)
            answer = values[target]
            # the span must be unambiguous: exactly one occurrence in the whole prompt
            if prompt.lower().count(answer.lower()) == 1:
                break
        return TrainingExample(
            prompt=prompt,
            response=f"Answer: {answer}",
            metadata={"answer": answer, "phrasing": k, "fact": target, "n_facts": n},
        )


# ---------------------------------------------------------------------------------------------
# complaint_handling
# ---------------------------------------------------------------------------------------------

SEVERITY = {"high": 2, "medium": 1, "low": 0}
COMPLAINT_CUES = {
    "safety risk": ("high", (
        "The {item} started smoking while it was plugged in.",
        "The {item} gave me an electric shock when I touched it.",
        "The {item} overheated and burned my hand.",
        "My child cut a finger on a sharp broken edge of the {item}.",
        "The {item} caught fire on my kitchen counter.",
        "Sparks came out of the {item}'s power cable.",
    )),
    "legal threat": ("high", (
        "I have contacted my lawyer and will take legal action if this is not resolved.",
        "I am filing a formal complaint with the consumer protection authority.",
        "If I do not hear back, I will take you to small claims court.",
        "My attorney will contact you about this.",
    )),
    "repeated failure": ("high", (
        "This is the third replacement {item} that has failed in exactly the same way.",
        "I have reported this same fault {n} times and it is still not fixed.",
        "The repair of my {item} has now failed for the fourth time.",
        "Every replacement {item} you send breaks within a week; I am on replacement number {n}.",
    )),
    "refund delay": ("medium", (
        "I returned the {item} {n} days ago and still have not received my refund of {amount}.",
        "My refund of {amount} for order {order} is long overdue.",
    )),
    "billing error": ("medium", (
        "I was charged {amount} more than the advertised price for order {order}.",
        "You billed me {amount} for a warranty I never ordered.",
    )),
    "delivery delay": ("medium", (
        "Order {order} is {n} days past the promised delivery date.",
        "My {item} was due on {date} and has still not been delivered.",
    )),
    "service outage": ("medium", (
        "My internet service has been down for {n} days.",
        "The online account portal has been unavailable since {date}, so I cannot pay my bill.",
    )),
    "cosmetic issue": ("low", (
        "There is a small scratch on the side of the {item}.",
        "The colour of the {item} is slightly different from the photo.",
        "The sticker on the {item} is a bit crooked.",
    )),
    "minor inconvenience": ("low", (
        "The box was a bit dented, but the {item} inside works fine.",
        "The instruction leaflet has a few typos.",
        "The {item} is a little louder than I expected.",
        "The {item} came without the gift wrapping I selected.",
    )),
}
CUE_KEYS = tuple(COMPLAINT_CUES)
COMPLAINT_OPENERS = (
    "I bought a {item} from you last month (order {order}).",
    "Regarding order {order}:",
    "I am writing about the {item} I ordered.",
    "My name is {name} and I am a customer of yours.",
    "",
)


def complaint_severity(cue_types: list[str]) -> str:
    """The documented rule: the most severe cue present decides."""
    return max((COMPLAINT_CUES[c][0] for c in cue_types), key=SEVERITY.__getitem__)


class ComplaintHandlingGenerator(Generator):
    name = "complaint_handling"
    task_type = "classification"
    labels = ("low", "medium", "high")
    phrasings = 4

    TEMPLATES = (
        "Rate the severity of this customer complaint as low, medium or high.\nComplaint: {text}",
        "Complaint received from {name}:\n{text}\nHow severe is it (low/medium/high)?",
        "Triage the following complaint. Safety risks, legal threats and repeated failures are high; "
        "refund, billing, delay or outage problems are medium; cosmetic or minor issues are low.\n{text}",
        "\"{text}\"\nSeverity level?",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        label = ctx.label
        deciding = ctx.choice([c for c in CUE_KEYS if COMPLAINT_CUES[c][0] == label])
        cues = [deciding]
        if ctx.difficulty == "hard":
            lower = [c for c in CUE_KEYS if SEVERITY[COMPLAINT_CUES[c][0]] < SEVERITY[label]]
            if lower:
                cues.append(ctx.choice(lower))
            else:  # low: a second low cue of the other kind
                cues.append(next(c for c in CUE_KEYS if COMPLAINT_CUES[c][0] == "low" and c != deciding))
        slots = _slots(ctx)
        slots["name"] = ctx.fake.name()
        sentences = [ctx.choice(COMPLAINT_CUES[c][1]).format(**slots) for c in cues]
        ctx.rng.shuffle(sentences)
        opener = ctx.choice(COMPLAINT_OPENERS).format(**slots) if ctx.difficulty != "easy" else ""
        closer = ctx.choice(("Please sort this out.", "I expect a response.", "What will you do about it?", ""))
        text = " ".join(p for p in (opener, *sentences, closer) if p)
        assert complaint_severity(cues) == label
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(text=text, name=slots["name"])
        return TrainingExample(
            prompt=prompt,
            response=f"Severity: {label}\nReason: {deciding}",
            metadata={"label": label, "phrasing": k, "cues": cues, "reason": deciding},
        )


ticket_classification = Specialist("ticket_classification", TicketClassificationGenerator)
response_generation = Specialist("response_generation", ResponseGenerationGenerator)
faq_answering = Specialist("faq_answering", FaqAnsweringGenerator)
complaint_handling = Specialist("complaint_handling", ComplaintHandlingGenerator)
