"""Generators for the ``classification`` category: topic_classification, intent_classification,
spam_detection, toxicity_detection.

Texts are assembled from curated per-label sentence banks filled with Faker values, so the label
always follows from the text:

* topic: every content sentence comes from the label's bank (harder levels add more sentences and a
  topic-neutral filler);
* intent: one request from the label's bank; harder levels add small talk and requests that mention
  another intent's words while still asking for this one;
* spam: spam messages always carry a spam cue (prize, urgent verification, loan, "click", ...);
  ham messages never do (they may mention money or links in an ordinary way);
* toxicity: toxic comments contain an insult or hostile phrase from a small curated list of mild
  insults (no slurs); non-toxic comments may be critical or negative but never insult anyone.
"""

from __future__ import annotations

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
MASCOTS = ("Hawks", "Tigers", "Rovers", "Comets", "Wolves", "Falcons", "Otters", "Giants", "United", "Rangers")
ITEMS = ("blue jacket", "coffee grinder", "phone charger", "desk chair", "pair of boots", "gaming mouse",
         "yoga mat", "winter coat", "standing desk", "toaster")
THINGS = ("article", "tutorial", "review", "proposal", "design", "patch", "essay", "video", "plan", "recipe")
ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "tenth")


def _values(ctx: GenContext) -> dict[str, object]:
    """A bag of Faker / curated fillers; templates use the ones they need."""
    city = ctx.fake.city()
    return {
        "name": f"{ctx.fake.first_name()} {ctx.fake.last_name()}", "first": ctx.fake.first_name(),
        "company": ctx.fake.company(), "city": city, "city2": ctx.fake.city(),
        "team": f"{ctx.fake.city()} {ctx.choice(MASCOTS)}", "team2": f"{ctx.fake.city()} {ctx.choice(MASCOTS)}",
        "n": ctx.randint(12, 950), "k": ctx.randint(2, 12), "pct": ctx.randint(2, 35), "year": ctx.randint(1995, 2024),
        "s1": ctx.randint(2, 6), "s2": ctx.randint(0, 1), "ordinal": ctx.choice(ORDINALS),
        "weekday": ctx.choice(WEEKDAYS), "date": f"{ctx.choice(MONTHS)} {ctx.randint(1, 28)}",
        "h": ctx.randint(1, 11), "order": ctx.randint(100000, 999999), "last4": f"{ctx.randint(0, 9999):04d}",
        "tracking": f"{ctx.choice(('1Z', 'TR', 'PK'))}{ctx.randint(10 ** 7, 10 ** 8 - 1)}",
        "item": ctx.choice(ITEMS), "thing": ctx.choice(THINGS), "amt": f"{ctx.randint(2, 300) * 5:,}",
        "email": ctx.fake.email(), "user": ctx.fake.user_name(), "domain": ctx.fake.domain_word(),
    }


def _fill(template: str, values: dict[str, object]) -> str:
    return template.format(**values)


def _pick(ctx: GenContext, templates: tuple[str, ...]) -> tuple[int, str]:
    k = ctx.randint(0, len(templates) - 1)
    return k, templates[k]


# -- topic_classification -------------------------------------------------------------------------

TOPIC_BANK = {
    "business": (
        "{company} reported quarterly revenue of ${n} million, up {pct}% from a year earlier.",
        "Shares of {company} fell {pct}% after the retailer cut its profit forecast.",
        "{company} agreed to buy a smaller rival for ${n} million in cash.",
        "{company} will cut {n} jobs as part of a cost-saving plan, chief executive {name} said.",
        "Investors cheered as {company} raised its dividend by {pct}%.",
        "Retail sales in {city} rose {pct}% in the holiday quarter, lifting local merchants.",
        "{company} opened its {ordinal} store in {city}, targeting budget shoppers.",
        "Stock markets closed higher as bond yields eased and oil prices slipped {pct}%.",
    ),
    "sports": (
        "The {team} beat the {team2} {s1}-{s2} on Saturday to reach the final.",
        "{name} scored twice as the {team} won their {ordinal} straight match.",
        "The {city} marathon drew {n} runners, and {name} won the race in record time.",
        "The {team} signed striker {name} on a three-year contract.",
        "Tennis player {name} withdrew from the tournament with a wrist injury.",
        "Coach {name} was fired after the {team} lost {k} games in a row.",
        "{name} set a national record in the 400 metres at the championships in {city}.",
        "The {team} clinched the league title with {k} matches still to play.",
    ),
    "technology": (
        "{company} released a software update that fixes {k} security vulnerabilities.",
        "The new smartphone from {company} has a faster chip and a {n}-megapixel camera.",
        "{company} launched a cloud service that lets developers train AI models.",
        "A data breach at {company} exposed the email addresses of {n} thousand users.",
        "Engineers at {company} unveiled a laptop whose battery lasts {k} hours.",
        "The open-source web browser added support for a new encryption protocol.",
        "{company} is rolling out fibre broadband and 5G home internet in {city}.",
        "A startup in {city} built a chip that runs language models on a phone.",
    ),
    "politics": (
        "Senator {name} introduced a bill to raise the minimum wage.",
        "Voters in {city} head to the polls on {weekday} to elect a new mayor.",
        "Parliament passed the budget by {k} votes after a long debate.",
        "Opposition leader {name} called for an inquiry into the election campaign.",
        "The governor signed a law that limits campaign donations.",
        "President {name} met foreign ministers to negotiate a trade treaty.",
        "The city council of {city} voted to approve the new housing policy.",
        "Lawmakers debated an immigration reform bill ahead of the election.",
    ),
    "science": (
        "Astronomers discovered an exoplanet orbiting a star {n} light-years away.",
        "Researchers in {city} sequenced the genome of a rare deep-sea fish.",
        "A new telescope captured images of a galaxy that formed {k} billion years ago.",
        "Physicists measured the mass of the neutrino with record precision.",
        "Geologists found fossils of a {n}-million-year-old dinosaur near {city}.",
        "Chemists created a material that conducts electricity without resistance at low temperatures.",
        "A team led by Dr. {name} described a new species of beetle from the rainforest.",
        "Climate scientists reported that Arctic sea ice shrank {pct}% over the decade.",
    ),
    "health": (
        "Doctors recommend at least seven hours of sleep a night for adults.",
        "The hospital in {city} opened a new clinic for patients with diabetes.",
        "A study found that walking {k} thousand steps a day lowers the risk of heart disease.",
        "Health officials urged residents of {city} to get their flu vaccine.",
        "Nutritionists say eating more vegetables can help lower blood pressure.",
        "Dr. {name} warned that smoking among teenagers has risen by {pct}%.",
        "Measles cases rose in {city}, prompting a vaccination campaign at local clinics.",
        "Regular exercise reduces stress and improves mental health, a survey of {n} patients found.",
    ),
}
TOPIC_FILLERS = ("More details are expected next week.", "The announcement came on {weekday}.",
                 "Reporting by {first}.", "The story is developing.")


class TopicClassificationGenerator(Generator):
    name = "topic_classification"
    task_type = "classification"
    labels = ("business", "sports", "technology", "politics", "science", "health")
    phrasings = 5

    TEMPLATES = (
        "Classify the topic of this news text (business, sports, technology, politics, science, health).\n{text}",
        "Headline: {text}\nTopic?",
        "What is this article about? Choose one: business, sports, technology, politics, science, health.\n\"{text}\"",
        "Text: {text}\nCategory:",
        "Assign a news category to the following.\n{text}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        n = ctx.level(1, 2, 3)
        sentences = [_fill(t, _values(ctx)) for t in ctx.sample(TOPIC_BANK[ctx.label], n)]
        if ctx.difficulty == "hard":
            sentences.insert(ctx.randint(1, len(sentences)), _fill(ctx.choice(TOPIC_FILLERS), _values(ctx)))
        k, template = _pick(ctx, self.TEMPLATES)
        return TrainingExample(prompt=template.format(text=" ".join(sentences)), response=f"Topic: {ctx.label}",
                               metadata={"label": ctx.label, "phrasing": k})


# -- intent_classification ------------------------------------------------------------------------

INTENT_BANK = {
    "book_flight": (
        "I need a flight from {city} to {city2} on {date}.",
        "Book me a plane ticket to {city2} for next {weekday}.",
        "Can you find flights to {city2} leaving {date}?",
        "I want to fly from {city} to {city2}, economy, for {k} people.",
        "Reserve a seat on the earliest flight to {city2}.",
    ),
    "cancel_order": (
        "Please cancel my order #{order}.",
        "I want to cancel order {order}, I picked the wrong size.",
        "Cancel the {item} I ordered yesterday.",
        "How do I cancel order number {order} before it ships?",
        "Stop my order {order}, I don't need it anymore.",
    ),
    "check_balance": (
        "What's the balance on my checking account?",
        "How much money is left in my account ending {last4}?",
        "Show me my current savings balance.",
        "Can you tell me my account balance?",
        "How much do I have in the account ending in {last4}?",
    ),
    "reset_password": (
        "I forgot my password, can you help me reset it?",
        "Reset the password for {email}.",
        "I'm locked out of my account and need a new password.",
        "I can't log in as {user}, how do I reset my password?",
        "Send a password reset link to {email}.",
    ),
    "track_package": (
        "Where is my package? Tracking number {tracking}.",
        "Track shipment {tracking} please.",
        "When will my parcel with the {item} arrive?",
        "Has my delivery {tracking} left the warehouse yet?",
        "Can you check where my package from {company} is?",
    ),
    "weather_query": (
        "What's the weather in {city} tomorrow?",
        "Will it rain in {city} on {weekday}?",
        "How hot will it be in {city} this weekend?",
        "Do I need an umbrella in {city} today?",
        "What's the forecast for {city} on {date}?",
    ),
}
# Hard: the request mentions another intent's words but still asks for this one.
INTENT_HARD = {
    "book_flight": ("My order was cancelled, so please just book me a flight to {city2} on {date}.",
                    "The weather looks great, so book a flight from {city} to {city2} for {weekday}."),
    "cancel_order": ("I ordered a {item} for my flight to {city}; please cancel order {order}.",
                     "Don't bother tracking it, just cancel order {order}."),
    "check_balance": ("Before I book anything, how much is in my account ending {last4}?",
                      "I just reset my password; now show me my account balance."),
    "reset_password": ("I can't check my balance because I forgot my password, please reset it.",
                       "To track my orders I need to log in, but my password doesn't work. Reset it please."),
    "track_package": ("The weather has been bad in {city}; where is my package {tracking} now?",
                      "I don't want to cancel, I just want to know where order {order} is. Track it please."),
    "weather_query": ("I'm flying to {city} on {weekday}, what will the weather be like there?",
                      "Not booking anything yet, just tell me if it will snow in {city} tomorrow."),
}
SMALL_TALK = ("Hi there. ", "Hello! ", "Quick question. ", "Good morning. ", "Hey, ")
SIGN_OFFS = (" Thanks!", " Thank you.", " Appreciate it.", " Cheers.")


class IntentClassificationGenerator(Generator):
    name = "intent_classification"
    task_type = "classification"
    labels = ("book_flight", "cancel_order", "check_balance", "reset_password", "track_package", "weather_query")
    phrasings = 4

    TEMPLATES = (
        "Classify the user's intent.\nUser: {text}",
        "Utterance: \"{text}\"\nIntent (book_flight, cancel_order, check_balance, reset_password, track_package, weather_query):",
        "What does the customer want? {text}",
        "Message: {text}\nIntent:",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        label = ctx.label
        values = _values(ctx)
        while values["city2"] == values["city"]:
            values["city2"] = ctx.fake.city()
        if ctx.difficulty == "hard" and ctx.rng.random() < 0.5:
            text = _fill(ctx.choice(INTENT_HARD[label]), values)
        else:
            text = _fill(ctx.choice(INTENT_BANK[label]), values)
        if ctx.difficulty != "easy":
            if ctx.rng.random() < 0.6:
                text = ctx.choice(SMALL_TALK) + text
            if ctx.rng.random() < 0.5:
                text += ctx.choice(SIGN_OFFS)
        k, template = _pick(ctx, self.TEMPLATES)
        return TrainingExample(prompt=template.format(text=text), response=f"Intent: {label}",
                               metadata={"label": label, "phrasing": k})


# -- spam_detection -------------------------------------------------------------------------------

SPAM_BANK = (
    "Congratulations {first}! You've won a ${amt} gift card. Click {url} to claim it now!",
    "URGENT: your account has been suspended. Verify your details at {url} within 24 hours.",
    "You have been selected for a FREE cruise! Reply YES to claim your prize.",
    "Get a loan of ${amt} approved in minutes, no credit check! Apply at {url}",
    "Earn ${amt} a week working from home. Limited spots, sign up at {url}",
    "Final notice: claim your unpaid refund of ${amt} today at {url}",
    "Double your crypto in 24 hours! Send any amount and get 2x back. {url}",
    "WINNER!! Your number was drawn for a ${amt} cash prize. Call now to collect.",
    "Lose 10 kg in one week with this miracle pill. Order now at {url}!",
    "Dear customer, we noticed unusual activity. Confirm your password at {url} to avoid account closure.",
    "Act now: exclusive offer, 90% off designer watches, only today at {url}",
)
SPAM_CUES = ("won", "claim", "verify", "free", "loan", "earn", "refund", "crypto", "winner", "prize",
             "miracle", "confirm your password", "act now", "click")
HAM_BANK = (
    "Hi {first}, are we still on for lunch on {weekday}?",
    "The meeting with {company} moved to {h} pm, see you in room {k}.",
    "Thanks for the photos from the trip to {city}, they look great.",
    "Can you pick up milk and bread on your way home?",
    "Reminder: your dentist appointment is on {date} at {h}:00.",
    "{first}, I left the report on your desk. Let me know if you have questions.",
    "Happy birthday {first}! Hope you have a wonderful day.",
    "Running {k} minutes late, start without me.",
    "Your parcel from {company} has shipped and should arrive on {weekday}.",
    "I paid you back the ${amt} for dinner, check when you can.",
    "Here is the link to the shared slides for {weekday}: {url}",
    "Mum says the train to {city} leaves at {h}:15, don't be late.",
)


class SpamDetectionGenerator(Generator):
    name = "spam_detection"
    task_type = "classification"
    labels = ("spam", "ham")
    phrasings = 4

    TEMPLATES = (
        "Is this message spam or ham?\n{text}",
        "SMS: \"{text}\"\nLabel (spam/ham):",
        "Classify the following message as spam or ham (legitimate).\nFrom: {sender}\n{text}",
        "Message: {text}\nSpam filter verdict:",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        values = _values(ctx)
        if ctx.label == "spam":
            values["url"] = f"http://{values['domain']}-{ctx.choice(('rewards', 'secure', 'deals', 'claim'))}.{ctx.choice(('biz', 'top', 'info', 'xyz'))}/{ctx.randint(10, 999)}"
            parts = [_fill(t, values) for t in ctx.sample(SPAM_BANK, ctx.level(1, 1, 2))]
            sender = ctx.choice(("+44 7" + f"{ctx.randint(100000000, 999999999)}", f"promo@{values['domain']}.biz",
                                 f"{ctx.randint(10000, 99999)}"))
        else:
            values["url"] = f"https://docs.{values['domain']}.com/d/{ctx.randint(1000, 9999)}"
            parts = [_fill(t, values) for t in ctx.sample(HAM_BANK, ctx.level(1, 1, 2))]
            sender = values["name"]
        text = " ".join(parts)
        if ctx.difficulty == "easy" and ctx.label == "spam":
            text = text.upper() if ctx.rng.random() < 0.3 else text
        k, template = _pick(ctx, self.TEMPLATES)
        return TrainingExample(prompt=template.format(text=text, sender=sender), response=f"Label: {ctx.label}",
                               metadata={"label": ctx.label, "phrasing": k})


# -- toxicity_detection ---------------------------------------------------------------------------

# Mild insults and hostile phrases only (no slurs, no threats of violence).
TOXIC_BANK = (
    "You are such an idiot, {first}.",
    "Nobody cares about your stupid opinion.",
    "Shut up, {first}, you clueless clown.",
    "What a pathetic excuse for a {thing}. You should be ashamed of yourself.",
    "Get lost, loser. Nobody wants you here.",
    "Only a moron would write a {thing} like this.",
    "You're a joke and everyone in {city} knows it.",
    "Go away, {first}, you worthless troll.",
    "Your {thing} is garbage and so are you.",
    "Are you really this dumb, {first}?",
    "Nobody asked you, you braindead fool.",
)
TOXIC_MARKERS = ("idiot", "stupid", "shut up", "clown", "pathetic", "loser", "moron", "you're a joke", "worthless",
                 "garbage", "dumb", "fool", "troll", "get lost", "nobody wants you")
NON_TOXIC_BANK = (
    "Thanks for the detailed answer, {first}!",
    "I see your point, but I disagree about the {thing}.",
    "Could you share a source for that claim?",
    "Great game last night in {city}!",
    "I think the {thing} could be improved with a few more examples.",
    "Welcome to the forum, {first}. Glad you're here.",
    "This {thing} didn't work for me; the instructions were unclear.",
    "I'm frustrated that the bus was late again today.",
    "Respectfully, I think your numbers are off by about {pct}%.",
    "Honestly the ending of the {thing} disappointed me, but the start was strong.",
    "Nice work on the {thing}, {first}. The second part was my favourite.",
)
NEUTRAL_PADS = ("I read the whole {thing} twice.", "This is about the {thing} from {weekday}.", "Posted from {city}.",
                "I have been following this thread since {weekday}.")
CONTEXTS = ("Replying to {first}:", "Re: the {thing} thread.", "Comment on yesterday's post:", "@{user}",
            "In the {city} community group:")


class ToxicityDetectionGenerator(Generator):
    name = "toxicity_detection"
    task_type = "classification"
    labels = ("toxic", "non_toxic")
    phrasings = 4

    TEMPLATES = (
        "Is this comment toxic or non_toxic?\n{text}",
        "Comment: \"{text}\"\nToxicity label:",
        "Moderation check. Label the message as toxic or non_toxic.\n{text}",
        "{text}\n---\nToxic or non-toxic?",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        values = _values(ctx)
        bank = TOXIC_BANK if ctx.label == "toxic" else NON_TOXIC_BANK
        main = _fill(ctx.choice(bank), values)
        parts = [main]
        if ctx.difficulty != "easy":
            parts.insert(0, _fill(ctx.choice(CONTEXTS), values))
        if ctx.difficulty == "hard":  # civil, on-topic padding around the key sentence
            pad = _fill(ctx.choice(NEUTRAL_PADS), values)
            parts.insert(ctx.randint(1, len(parts)), pad)
        k, template = _pick(ctx, self.TEMPLATES)
        return TrainingExample(prompt=template.format(text=" ".join(parts)), response=f"Label: {ctx.label}",
                               metadata={"label": ctx.label, "phrasing": k})


topic_classification = Specialist("topic_classification", TopicClassificationGenerator)
intent_classification = Specialist("intent_classification", IntentClassificationGenerator)
spam_detection = Specialist("spam_detection", SpamDetectionGenerator)
toxicity_detection = Specialist("toxicity_detection", ToxicityDetectionGenerator)
