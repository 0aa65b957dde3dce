"""Generators for the ``writing`` category: technical_writing, copywriting, email_writing,
report_generation, creative_writing.

All are generation tasks scored with ROUGE-L, so the reference is *assembled* from the facts given
in the prompt in one fixed structure per document type (the prompt varies: fact order, layout,
wording; the response layout does not). Nothing in a reference is invented: every name, number and
date in it comes from the prompt, and computed values (report totals, averages, changes) are
computed from the prompt's numbers.

* email_writing: ``Subject`` line, ``Dear <recipient>,``, one sentence per fact in the order the
  prompt lists them, ``Best regards,`` and the sender's signature.
* technical_writing: install guide / config option / endpoint doc / troubleshooting entry /
  release note; one line per provided fact, in the document type's fixed order.
* copywriting: product description / social post / ad (headline + body) from product facts.
* report_generation: total, highest, lowest and average of a small table; hard adds the change
  against the previous period and the biggest mover.
* creative_writing: a short story in a genre skeleton; one sentence per story element.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_D0 = dt.date(2024, 1, 1)


def fmt_date(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def rand_date(ctx: GenContext, span: int = 900) -> dt.date:
    return _D0 + dt.timedelta(days=ctx.randint(0, span))


def money(v: float) -> str:
    return f"${v:,.2f}"


@dataclass(frozen=True)
class Fact:
    key: str  # label shown in the prompt
    sentence: str  # sentence template for the reference ({v})
    make: Callable[[GenContext], str]


def _layout(facts: list[tuple[str, str]], style: int) -> str:
    """Facts as prompt text in one of several layouts."""
    if style == 0:
        return "\n".join(f"- {k}: {v}" for k, v in facts)
    if style == 1:
        return "; ".join(f"{k}: {v}" for k, v in facts)
    if style == 2:
        return "\n".join(f"{i}. {k} = {v}" for i, (k, v) in enumerate(facts, 1))
    return "\n".join(f"* {k} -> {v}" for k, v in facts)


# ==================================================================================================
# email_writing
# ==================================================================================================

PROJECTS = ("website redesign", "Q3 budget", "data migration", "office move", "product launch", "vendor review",
            "hiring plan", "security audit", "customer survey", "pricing update", "mobile app", "annual report")
ROLES = ("Project Manager", "Account Manager", "Finance Officer", "Operations Lead", "Head of Sales",
         "HR Coordinator", "Customer Success Manager", "Office Manager", "Team Lead", "Procurement Specialist")
DELAY_REASONS = ("a supplier shortage", "severe weather", "a customs inspection", "a warehouse system outage",
                 "high order volume", "a missing part")


def _time(ctx: GenContext) -> str:
    return f"{ctx.randint(8, 17)}:{ctx.choice(('00', '15', '30', '45'))}"


def _d(ctx: GenContext) -> str:
    return fmt_date(rand_date(ctx))


@dataclass(frozen=True)
class EmailScenario:
    purpose: str
    subject: str  # template using the first fact's value: {v}
    facts: tuple[Fact, ...]  # facts[0] is always included (it names the subject)


EMAIL_SCENARIOS = (
    EmailScenario("request a meeting", "Meeting request: {v}", (
        Fact("topic", "I would like to meet to discuss the {v}.", lambda c: c.choice(PROJECTS)),
        Fact("date", "Could we meet on {v}?", _d),
        Fact("time", "I suggest starting at {v}.", _time),
        Fact("location", "We can meet in {v}.", lambda c: f"room {c.randint(1, 9)}{c.choice('ABCD')}"),
        Fact("duration", "The meeting should take about {v} minutes.", lambda c: str(c.choice((15, 30, 45, 60, 90)))),
    )),
    EmailScenario("send a payment reminder", "Reminder: invoice {v}", (
        Fact("invoice", "This is a reminder about invoice {v}.", lambda c: f"INV-{c.randint(10000, 99999)}"),
        Fact("amount due", "The amount due is {v}.", lambda c: money(c.money(80, 25000))),
        Fact("due date", "Payment is due on {v}.", _d),
        Fact("payment method", "You can pay by {v}.", lambda c: c.choice(("bank transfer", "credit card", "direct debit", "cheque"))),
        Fact("late fee", "A late fee of {v} applies after the due date.", lambda c: f"{c.randint(1, 10)}%"),
    )),
    EmailScenario("announce a delivery delay", "Update on order {v}", (
        Fact("order", "We are writing about your order {v}.", lambda c: f"#{c.randint(100000, 999999)}"),
        Fact("original date", "It was scheduled to arrive on {v}.", _d),
        Fact("new date", "It will now arrive on {v}.", _d),
        Fact("reason", "The delay is caused by {v}.", lambda c: c.choice(DELAY_REASONS)),
        Fact("compensation", "As an apology we will refund {v} of the shipping cost.", lambda c: money(c.money(5, 60))),
    )),
    EmailScenario("follow up after a meeting", "Follow-up: {v}", (
        Fact("meeting topic", "Thank you for the meeting about the {v}.", lambda c: c.choice(PROJECTS)),
        Fact("decision", "We agreed to {v}.", lambda c: c.choice((
            "extend the deadline by two weeks", "hire an external consultant", "run a pilot first",
            "split the project into two phases", "cut the scope of the first release", "move to weekly check-ins"))),
        Fact("next step", "The next step is to {v}.", lambda c: c.choice((
            "share the revised plan", "send the signed contract", "book the kickoff session",
            "collect quotes from suppliers", "update the budget sheet", "draft the requirements"))),
        Fact("deadline", "Please send your input by {v}.", _d),
        Fact("owner", "{v} will coordinate the work.", lambda c: c.fake.name()),
    )),
    EmailScenario("welcome a new employee", "Welcome to {v}", (
        Fact("company", "We are delighted to welcome you to {v}.", lambda c: c.fake.company()),
        Fact("start date", "Your first day is {v}.", _d),
        Fact("start time", "Please arrive at {v}.", _time),
        Fact("manager", "Your manager will be {v}.", lambda c: c.fake.name()),
        Fact("office", "You will work at our {v} office.", lambda c: c.fake.city()),
    )),
)


class EmailWritingGenerator(Generator):
    """Email from bullet facts. Difficulty: 2 / 3 / 4-5 facts."""

    name = "email_writing"
    task_type = "generation"
    phrasings = 5

    TEMPLATES = (
        "Write an email from {sender} ({role} at {company}) to {recipient} to {purpose}.\nFacts:\n{facts}",
        "Compose a business email.\nFrom: {sender}, {role}, {company}\nTo: {recipient}\nPurpose: {purpose}\nInclude: {facts}",
        "{recipient} needs an email from {sender} ({role}, {company}). Goal: {purpose}.\nDetails:\n{facts}",
        "Draft a short professional email to {purpose}.\nSender: {sender}, {role} at {company}\nRecipient: {recipient}\nKey points:\n{facts}",
        "Please email {recipient} on behalf of {sender}, {role} at {company}, to {purpose}. Mention these points:\n{facts}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        sc = ctx.choice(EMAIL_SCENARIOS)
        n = ctx.level(2, 3, ctx.randint(4, 5))
        chosen = [sc.facts[0]] + ctx.sample(sc.facts[1:], n - 1)
        rest = chosen[1:]
        ctx.rng.shuffle(rest)
        chosen = [chosen[0]] + rest
        values = [(f, f.make(ctx)) for f in chosen]
        sender, recipient = ctx.fake.name(), ctx.fake.name()
        role, company = ctx.choice(ROLES), ctx.fake.company()
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        facts_text = _layout([(f.key, v) for f, v in values], 1 if k == 1 else ctx.randint(0, 3))
        prompt = self.TEMPLATES[k].format(sender=sender, role=role, company=company, recipient=recipient,
                                          purpose=sc.purpose, facts=facts_text)
        body = " ".join(f.sentence.format(v=v) for f, v in values)
        subject = sc.subject.format(v=values[0][1])
        ref = f"Subject: {subject}\n\nDear {recipient},\n\n{body}\n\nBest regards,\n{sender}\n{role}, {company}"
        return TrainingExample(prompt=prompt, response=ref, metadata={
            "reference": ref, "phrasing": k, "facts": {f.key: v for f, v in values}, "scenario": sc.purpose})


# ==================================================================================================
# technical_writing
# ==================================================================================================

TOOL_SUFFIXES = ("ctl", "d", "-cli", "kit", "flow", "sync", "hub", "db")
OSES = ("Linux", "macOS", "Windows", "Ubuntu 22.04", "Debian 12")
EFFECTS = (
    ("maximum number of worker threads", 1, 64), ("request timeout in seconds", 1, 300),
    ("number of retries before giving up", 0, 10), ("cache size in megabytes", 16, 4096),
    ("interval between health checks in seconds", 5, 600), ("maximum upload size in megabytes", 1, 2048),
    ("number of log files kept", 1, 90), ("connection pool size", 1, 200),
)
ERRORS = (
    ("connection refused", "the server is not running or listens on another port", "start the server and check the port setting"),
    ("permission denied", "the process cannot write to its data directory", "give the service user write access to the data directory"),
    ("certificate expired", "the TLS certificate is past its expiry date", "renew the certificate and restart the service"),
    ("disk full", "the data volume has no free space", "free space or move the data directory to a larger disk"),
    ("invalid token", "the API token was revoked or mistyped", "create a new token and update the configuration"),
    ("out of memory", "the cache size exceeds the available memory", "lower the cache size in the configuration"),
)
FEATURES_NEW = ("dark mode", "CSV export", "single sign-on", "bulk editing", "audit logs", "webhooks", "offline mode",
                "two-factor login", "saved searches", "a plugin API")
BUGS = ("a crash on startup", "slow search on large projects", "wrong time zones in reports", "duplicate notifications",
        "a memory leak in the sync worker", "broken links in exported PDFs")


def _tool(ctx: GenContext) -> str:
    return ctx.fake.word().lower() + ctx.choice(TOOL_SUFFIXES)


def _snake(ctx: GenContext) -> str:
    return "_".join(ctx.fake.word().lower() for _ in range(2))


TechFact = tuple[str, str, str, bool]  # (prompt key, value, reference line, required)


class TechnicalWritingGenerator(Generator):
    """Short technical documents from facts.

    Each document type has its facts in a fixed document order; the reference has one line per fact
    given in the prompt, in that order (lines marked ``#. `` become numbered steps). Difficulty: how
    many optional facts are given (0-1 / 1-2 / all).
    """

    name = "technical_writing"
    task_type = "generation"
    phrasings = 4

    TEMPLATES = (
        "Write the {doc} for {subject} using these facts:\n{facts}",
        "Technical writing task: {doc} ({subject}).\n{facts}\nKeep it short and structured.",
        "Facts:\n{facts}\nTurn them into the {doc} for {subject}.",
        "Document {subject}: write the {doc}. Details - {facts}",
    )
    HEADERS = ("## Installing {s}", "`{s}`", "### {s}", "Error {s}", "## Release {s}")

    def example(self, ctx: GenContext) -> TrainingExample:
        kind = ctx.randint(0, 4)
        builders = (self._install, self._config, self._endpoint, self._troubleshoot, self._release)
        doc, subject, facts = builders[kind](ctx)
        optional = [i for i, f in enumerate(facts) if not f[3]]
        n_opt = ctx.level(ctx.randint(0, 1), ctx.randint(1, 2), len(optional))
        keep = set(ctx.sample(optional, min(n_opt, len(optional))))
        used = [f for i, f in enumerate(facts) if f[3] or i in keep]
        shown = [(key, v) for key, v, _, _ in used]
        ctx.rng.shuffle(shown)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(doc=doc, subject=subject,
                                          facts=_layout(shown, 1 if k == 3 else ctx.randint(0, 3)))
        lines = [self.HEADERS[kind].format(s=subject)]
        step = 0
        for _key, _v, line, _req in used:
            if line.startswith("#. "):
                step += 1
                line = f"{step}. " + line[3:]
            lines.append(line)
        ref = "\n".join(lines)
        return TrainingExample(prompt=prompt, response=ref, metadata={
            "reference": ref, "phrasing": k, "doc_type": doc, "facts": {key: v for key, v, _, _ in used}})

    @staticmethod
    def _install(ctx: GenContext) -> tuple[str, str, list[TechFact]]:
        tool = _tool(ctx)
        py = f"3.{ctx.randint(9, 13)}"
        pkg = f"{tool}-{ctx.choice(('server', 'core', 'client', 'agent'))}"
        port = str(ctx.randint(1024, 9999))
        cfg = f"{ctx.choice(('/etc/', '~/.config/', './'))}{tool}.{ctx.choice(('yaml', 'toml', 'ini'))}"
        os_ = ctx.choice(OSES)
        return "installation guide", tool, [
            ("python version", py, f"Requires Python {py} or later.", False),
            ("operating system", os_, f"Supported platform: {os_}.", False),
            ("package", pkg, f"#. Install the package: `pip install {pkg}`.", True),
            ("config file", cfg, f"#. Create the configuration file `{cfg}`.", False),
            ("port", port, f"#. Start the service: `{tool} serve --port {port}`.", False),
        ]

    @staticmethod
    def _config(ctx: GenContext) -> tuple[str, str, list[TechFact]]:
        name = _snake(ctx)
        effect, lo, hi = ctx.choice(EFFECTS)
        default = str(ctx.randint(lo, hi))
        env = "APP_" + name.upper()
        return "configuration reference entry", name, [
            ("purpose", effect, f"Sets the {effect}.", True),
            ("default", default, f"Default: {default}.", True),
            ("allowed range", f"{lo} to {hi}", f"Allowed values: {lo} to {hi}.", False),
            ("environment variable", env, f"Override it with the environment variable `{env}`.", False),
            ("changes apply", "after a restart", "Changes take effect after a restart.", False),
        ]

    @staticmethod
    def _endpoint(ctx: GenContext) -> tuple[str, str, list[TechFact]]:
        res = ctx.fake.word().lower()
        method = ctx.choice(("GET", "POST", "DELETE"))
        path = f"/api/v{ctx.randint(1, 3)}/{res}s" + ("" if method == "POST" else "/{id}")
        action = {"GET": f"returns one {res} by id", "POST": f"creates a new {res}", "DELETE": f"deletes a {res}"}[method]
        param = ctx.choice(("name", "owner", "status", "tag", "priority"))
        limit = str(ctx.choice((30, 60, 100, 300, 1000)))
        auth = ctx.choice(("an API key", "a bearer token", "OAuth 2.0"))
        code = {"GET": "200", "POST": "201", "DELETE": "204"}[method]
        return "endpoint reference", f"{method} {path}", [
            ("action", action, action[0].upper() + action[1:] + ".", True),
            ("parameter", param, f"Parameter: `{param}` (string).", False),
            ("success status", code, f"Returns HTTP {code} on success.", False),
            ("authentication", auth, f"Authentication: {auth}.", False),
            ("rate limit", limit, f"Rate limit: {limit} requests per minute.", False),
        ]

    @staticmethod
    def _troubleshoot(ctx: GenContext) -> tuple[str, str, list[TechFact]]:
        msg, cause, fix = ctx.choice(ERRORS)
        code = f"E{ctx.randint(100, 999)}"
        tool = _tool(ctx)
        log = f"/var/log/{tool}/{ctx.choice(('error', 'server', 'main'))}.log"
        version = f"{ctx.randint(1, 4)}.{ctx.randint(0, 9)}"
        contact = ctx.fake.email()
        return "troubleshooting entry", f"{code} ({msg}) in {tool}", [
            ("cause", cause, f"Cause: {cause}.", True),
            ("fix", fix, f"Fix: {fix}.", True),
            ("log file", log, f"Details are written to `{log}`.", False),
            ("affected versions", f"up to {version}", f"Affects versions up to {version}.", False),
            ("support contact", contact, f"If the problem persists, contact {contact}.", False),
        ]

    @staticmethod
    def _release(ctx: GenContext) -> tuple[str, str, list[TechFact]]:
        version = f"{ctx.randint(1, 9)}.{ctx.randint(0, 20)}.{ctx.randint(0, 9)}"
        feat = ctx.choice(FEATURES_NEW)
        bug = ctx.choice(BUGS)
        date = fmt_date(rand_date(ctx))
        app = _tool(ctx)
        return "release notes", f"{app} {version}", [
            ("release date", date, f"Released on {date}.", False),
            ("new feature", feat, f"New: {feat}.", True),
            ("fixed bug", bug, f"Fixed: {bug}.", False),
            ("upgrade command", f"pip install -U {app}=={version}", f"Upgrade with `pip install -U {app}=={version}`.", False),
        ]


# ==================================================================================================
# copywriting
# ==================================================================================================

PRODUCT_FEATURES = {
    "headphones": ("40-hour battery life", "active noise cancelling", "a foldable design", "USB-C fast charging",
                   "memory-foam ear cushions", "multipoint Bluetooth"),
    "backpack": ("a padded laptop sleeve", "water-resistant fabric", "hidden anti-theft pockets", "a 30-litre capacity",
                 "breathable back panels", "a lifetime warranty"),
    "coffee maker": ("a built-in grinder", "a 12-cup carafe", "a programmable timer", "a keep-warm plate",
                     "a reusable filter", "one-touch cleaning"),
    "running shoes": ("a carbon-plate sole", "breathable mesh uppers", "extra heel cushioning", "reflective details",
                      "a 220-gram weight", "recycled materials"),
    "desk lamp": ("five brightness levels", "a wireless charging base", "a flexible arm", "warm and cool light modes",
                  "an auto-off timer", "a touch dimmer"),
    "smart watch": ("a 7-day battery", "built-in GPS", "heart-rate tracking", "water resistance to 50 metres",
                    "sleep tracking", "contactless payments"),
    "blender": ("a 1200-watt motor", "six speed settings", "a self-cleaning mode", "a glass jar",
                "a pulse function", "dishwasher-safe blades"),
    "office chair": ("adjustable lumbar support", "4D armrests", "a breathable mesh back", "a tilt lock",
                     "a 10-year warranty", "smooth-rolling casters"),
}
AUDIENCES = ("busy commuters", "home cooks", "students", "remote workers", "runners", "families", "frequent travellers",
             "gamers", "small offices", "outdoor lovers")
MODEL_TAGS = ("X", "Pro", "Air", "Max", "One", "Go", "Lite", "S")


class CopywritingGenerator(Generator):
    """Marketing copy in one of three formats. Difficulty: 2 / 3 / 4 features; hard may add a discount."""

    name = "copywriting"
    task_type = "generation"
    phrasings = 5

    FORMATS = ("product description", "social media post", "headline-and-body ad")
    TEMPLATES = (
        "Write a {fmt} for the {product} by {brand}, a {category} for {audience}. Price: {price}. Features: {features}.{extra}",
        "Copywriting brief\nFormat: {fmt}\nProduct: {product} ({category})\nBrand: {brand}\nAudience: {audience}\nPrice: {price}\nFeatures:\n{features_nl}{extra_nl}",
        "{brand} needs a {fmt} for its new {category}, the {product}. Target audience: {audience}. Highlight {features}. It costs {price}.{extra}",
        "Create marketing copy ({fmt}).\nFacts: {category} '{product}' from {brand}; made for {audience}; price {price}; features - {features}.{extra}",
        "Product: {product}\nMaker: {brand}\nType: {category}\nFor: {audience}\nCost: {price}\nKey features: {features}{extra_nl}\nWrite a {fmt}.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        category = ctx.choice(tuple(PRODUCT_FEATURES))
        product = f"{ctx.fake.word().capitalize()} {ctx.choice(MODEL_TAGS)}{ctx.randint(1, 9)}"
        brand = ctx.fake.company()
        audience = ctx.choice(AUDIENCES)
        feats = ctx.sample(PRODUCT_FEATURES[category], ctx.level(2, 3, 4))
        price_v = ctx.randint(19, 499) + ctx.choice((0.0, 0.49, 0.95, 0.99))
        price = money(price_v)
        discount = str(ctx.choice((10, 15, 20, 25, 30))) if ctx.difficulty == "hard" and ctx.randint(0, 1) == 0 else ""
        fmt_i = ctx.randint(0, len(self.FORMATS) - 1)
        fmt = self.FORMATS[fmt_i]
        extra = f" Launch discount: {discount}%." if discount else ""
        extra_nl = f"\nDiscount: {discount}%" if discount else ""
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(
            fmt=fmt, product=product, brand=brand, category=category, audience=audience, price=price,
            features=", ".join(feats), features_nl="\n".join(f"- {f}" for f in feats), extra=extra, extra_nl=extra_nl,
        )
        offer = f"Only {price}."
        if discount:
            offer = f"Now {discount}% off: {money(round(price_v * (100 - int(discount)) / 100, 2))} instead of {price}."
        feat_text = ", ".join(feats[:-1]) + f" and {feats[-1]}"
        if fmt_i == 0:
            ref = (f"The {product} by {brand} is the {category} made for {audience}. "
                   + " ".join(f"It comes with {f}." for f in feats) + f" {offer}")
        elif fmt_i == 1:
            tag = "#" + product.replace(" ", "")
            ref = f"Meet the {product} from {brand}! {feat_text[0].upper() + feat_text[1:]}. Made for {audience}. {offer} {tag}"
        else:
            ref = (f"Headline: The {product}: the {category} for {audience}\n"
                   f"Body: {brand} brings you {feat_text}. {offer} Order today.")
        return TrainingExample(prompt=prompt, response=ref, metadata={
            "reference": ref, "phrasing": k, "format": fmt, "features": feats, "price": price, "product": product,
            "discount": discount})


# ==================================================================================================
# report_generation
# ==================================================================================================

METRICS = (("revenue", "$"), ("units sold", ""), ("support tickets", ""), ("website visits", ""), ("new sign-ups", ""))
UNIT_KINDS = ("region", "store", "team", "product line")
REGIONS = ("North", "South", "East", "West", "Central", "Coastal", "Mountain", "Metro")
PRODUCT_LINES = ("Basic", "Plus", "Premium", "Enterprise", "Starter", "Family", "Student", "Business")


def _num(v: float, prefix: str) -> str:
    return f"{prefix}{v:,.0f}" if float(v).is_integer() else f"{prefix}{v:,.1f}"


class ReportGenerationGenerator(Generator):
    """Short report from a table. Easy 3 rows, medium 4-5, hard 5-6 rows with a previous period."""

    name = "report_generation"
    task_type = "generation"
    phrasings = 4

    TEMPLATES = (
        "Write a short {metric} report for {period} ({company}).\n{table}",
        "Data for {company}, {period}, {metric} by {unit}:\n{table}\nSummarize it as a brief report.",
        "Report request: {metric} per {unit} at {company} for {period}.\n{table}\nInclude total, highest, lowest and average.",
        "{table}\nThe figures above are {company}'s {metric} by {unit} in {period}. Write the report.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        metric, prefix = ctx.choice(METRICS)
        unit = ctx.choice(UNIT_KINDS)
        n = ctx.level(3, ctx.randint(4, 5), ctx.randint(5, 6))
        names = self._names(ctx, unit, n)
        scale = ctx.choice((100, 1000, 10000))
        cur = ctx.sample(range(scale // 10, scale * 10), n)
        two = ctx.difficulty == "hard"
        prev = ctx.sample(range(scale // 10, scale * 10), n) if two else []
        year = ctx.randint(2021, 2025)
        q = ctx.randint(1, 4)
        period = f"Q{q} {year}"
        prev_period = f"Q{q - 1} {year}" if q > 1 else f"Q4 {year - 1}"
        company = ctx.fake.company()
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        table = self._table(ctx, unit, names, cur, prev, prefix, prev_period, period)
        prompt = self.TEMPLATES[k].format(metric=metric, period=period, company=company, unit=unit, table=table)
        total = sum(cur)
        hi = max(range(n), key=lambda i: cur[i])
        lo = min(range(n), key=lambda i: cur[i])
        lines = [
            f"{metric.capitalize()} report, {company}, {period}",
            f"Total {metric}: {_num(total, prefix)} across {n} {unit}s.",
            f"Highest: {names[hi]} ({_num(cur[hi], prefix)}).",
            f"Lowest: {names[lo]} ({_num(cur[lo], prefix)}).",
            f"Average per {unit}: {_num(round(total / n, 1), prefix)}.",
        ]
        meta: dict[str, object] = {"names": names, "current": cur, "total": total}
        if two:
            ptotal = sum(prev)
            pct = round((total - ptotal) / ptotal * 100, 1)
            deltas = [c - p for c, p in zip(cur, prev)]
            mover = max(range(n), key=lambda i: (abs(deltas[i]), -i))
            lines.append(f"Change vs {prev_period}: {pct:+.1f}% (from {_num(ptotal, prefix)}).")
            lines.append(f"Biggest change: {names[mover]} ({'+' if deltas[mover] >= 0 else '-'}{_num(abs(deltas[mover]), prefix)}).")
            meta.update(previous=prev, change_pct=pct)
        ref = "\n".join(lines)
        return TrainingExample(prompt=prompt, response=ref, metadata={"reference": ref, "phrasing": k, **meta})

    @staticmethod
    def _names(ctx: GenContext, unit: str, n: int) -> list[str]:
        if unit == "region":
            return ctx.sample(REGIONS, n)
        if unit == "product line":
            return ctx.sample(PRODUCT_LINES, n)
        out: list[str] = []
        while len(out) < n:
            v = ctx.fake.city() if unit == "store" else f"Team {ctx.fake.last_name()}"
            if v not in out:
                out.append(v)
        return out

    @staticmethod
    def _table(ctx: GenContext, unit: str, names: list[str], cur: list[int], prev: list[int], prefix: str,
               prev_period: str, period: str) -> str:
        style = ctx.randint(0, 2)
        if style == 0:
            head = f"| {unit} | " + (f"{prev_period} | " if prev else "") + f"{period} |"
            rows = [f"| {nm} | " + (f"{_num(p, prefix)} | " if prev else "") + f"{_num(c, prefix)} |"
                    for nm, c, p in zip(names, cur, prev or cur)]
            return "\n".join([head] + rows)
        if style == 1:
            return "\n".join(f"{nm}: {_num(c, prefix)}" + (f" (previous quarter: {_num(p, prefix)})" if prev else "")
                             for nm, c, p in zip(names, cur, prev or cur))
        cur_head = f"{period} ($)" if prefix else period
        head = f"{unit},{cur_head}" + (f",{prev_period}" + (" ($)" if prefix else "") if prev else "")
        return "\n".join([head] + [f"{nm},{c}" + (f",{p}" if prev else "") for nm, c, p in zip(names, cur, prev or cur)])


# ==================================================================================================
# creative_writing
# ==================================================================================================

OCCUPATIONS = ("baker", "lighthouse keeper", "librarian", "mechanic", "botanist", "violinist", "pilot", "cartographer",
               "beekeeper", "clockmaker", "nurse", "fisherman", "painter", "chess teacher")
OBJECTS = ("a silver key", "an old map", "a talking crow", "a broken compass", "a sealed letter", "a glowing stone",
           "a music box", "a locked diary", "a pocket watch", "a paper lantern")
GOALS = ("find a lost sister", "win the harvest fair", "repair the town clock", "reach the northern islands",
         "open a small bakery", "solve an old riddle", "save the family farm", "return a stolen painting")
OBSTACLES = ("a terrible storm", "a jealous rival", "a collapsed bridge", "a strict old mayor", "a week of fog",
             "an empty purse", "a flooded road")
COMPANIONS = ("a stray dog", "a grumpy neighbour", "a curious child", "an old friend", "a retired sailor", "a clever cat")

GENRES = {
    "fairy tale": (
        "Once upon a time in {place}, there lived a {occupation} named {name}.",
        "One morning {name} found {object}.",
        "{name} wished to {goal}.",
        "But {obstacle} stood in the way.",
        "Luckily, {companion} came along to help.",
        "And so {name} lived happily ever after.",
    ),
    "mystery": (
        "{name} had worked as a {occupation} in {place} for years.",
        "Then, late one night, {name} discovered {object}.",
        "It was the only clue that could help {name} {goal}.",
        "The search was slowed by {obstacle}.",
        "{name} was not alone: {companion} followed every lead too.",
        "By dawn, {name} knew the truth.",
    ),
    "science fiction": (
        "In the year {year}, {name}, a {occupation} from {place}, received a strange signal.",
        "The signal led {name} to {object}.",
        "With it, {name} hoped to {goal}.",
        "The mission was threatened by {obstacle}.",
        "{name} travelled with {companion}.",
        "When the signal faded, {name} looked at the stars and smiled.",
    ),
    "adventure": (
        "{name}, a {occupation}, left {place} at sunrise.",
        "In a backpack, {name} carried {object}.",
        "The plan was simple: {goal}.",
        "Soon, {obstacle} blocked the path.",
        "Along the way, {name} met {companion}.",
        "Weeks later, {name} came home with a story to tell.",
    ),
}
GENRE_NAMES = tuple(GENRES)


class CreativeWritingGenerator(Generator):
    """A short story in a fixed genre skeleton, one sentence per element given.

    Difficulty: easy gives character, setting and object; medium adds a goal; hard adds an obstacle
    and a companion.
    """

    name = "creative_writing"
    task_type = "generation"
    phrasings = 5

    TEMPLATES = (
        "Write a short {genre} story.\n{elements}",
        "Story prompt ({genre}):\n{elements}\nKeep it to a few sentences.",
        "Tell a {genre} using these elements - {elements}",
        "Elements:\n{elements}\nNow write a brief {genre} story with them.",
        "I need a tiny {genre} for a writing class. Use: {elements}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        genre = ctx.choice(GENRE_NAMES)
        el = {
            "name": ctx.fake.first_name(), "occupation": ctx.choice(OCCUPATIONS), "place": ctx.fake.city(),
            "object": ctx.choice(OBJECTS), "goal": ctx.choice(GOALS), "obstacle": ctx.choice(OBSTACLES),
            "companion": ctx.choice(COMPANIONS), "year": str(ctx.randint(2150, 3999)),
        }
        keys = ["name", "occupation", "place", "object"]
        keys += ctx.level([], ["goal"], ["goal", "obstacle", "companion"])
        if genre == "science fiction":
            keys.append("year")
        labels = {"name": "main character", "occupation": "occupation", "place": "setting", "object": "object",
                  "goal": "goal", "obstacle": "obstacle", "companion": "companion", "year": "year"}
        shown = [(labels[key], el[key]) for key in keys]
        ctx.rng.shuffle(shown)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(genre=genre, elements=_layout(shown, 1 if k in (2, 4) else ctx.randint(0, 3)))
        skel = GENRES[genre]
        parts = [skel[0], skel[1]]
        if "goal" in keys:
            parts.append(skel[2])
        if "obstacle" in keys:
            parts.append(skel[3])
        if "companion" in keys:
            parts.append(skel[4])
        parts.append(skel[5])
        story = " ".join(p.format(**el) for p in parts)
        story = story[0].upper() + story[1:]
        return TrainingExample(prompt=prompt, response=story, metadata={
            "reference": story, "phrasing": k, "genre": genre, "elements": {key: el[key] for key in keys}})


technical_writing = Specialist("technical_writing", TechnicalWritingGenerator)
copywriting = Specialist("copywriting", CopywritingGenerator)
email_writing = Specialist("email_writing", EmailWritingGenerator)
report_generation = Specialist("report_generation", ReportGenerationGenerator)
creative_writing = Specialist("creative_writing", CreativeWritingGenerator)
