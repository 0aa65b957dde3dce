"""Generators for the ``legal`` category.

* ``legal_analysis`` -- apply one stated rule to stated facts: a notice period (days between two
  dates, at ``hard`` counted from deemed receipt of a posted notice), a limitation period (a
  deadline N days / years / months after an event, at ``hard`` extended by a pause), a minimum age
  on a given date, or a small-claims monetary limit (sum of the claimed items, at ``hard`` with
  items the rule excludes). The answer is ``yes`` / ``no`` with the computed number or date, e.g.
  ``no (28 days)`` or ``yes (deadline 2025-03-14)``.
* ``contract_review`` -- a short contract; the fields (parties, effective_date, term_months,
  governing_law, termination_notice_days, payment_terms_days by difficulty) are copied literally
  from the text; ``hard`` adds distractor clauses with other numbers (renewal period, liability cap,
  confidentiality survival).
* ``compliance_check`` -- an expense report, a travel booking or a data-retention log checked
  against explicitly stated policy limits. ``non_compliant`` examples break exactly one rule (the
  response names it); ``compliant`` examples break none, and at ``hard`` (expense and retention
  cases) include an item that looks like a breach but is covered by an exception the policy states
  (approval given, legal hold).
"""

from __future__ import annotations

import calendar
import json
from datetime import date, timedelta

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def rand_date(ctx: GenContext, y0: int = 2015, y1: int = 2025) -> date:
    """A date with day <= 28, so adding months / years never needs clamping."""
    return date(ctx.randint(y0, y1), ctx.randint(1, 12), ctx.randint(1, 28))


def fmt_date(d: date, style: int) -> str:
    if style == 0:
        return d.isoformat()
    if style == 1:
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months (negative allowed), the day clamped to the month's length."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# ---------------------------------------------------------------------------------------------
# legal_analysis
# ---------------------------------------------------------------------------------------------

def legal_notice(ctx: GenContext, style: int):
    n = ctx.choice((14, 30, 60, 90)) if ctx.difficulty == "easy" else ctx.choice((30, 45, 60, 90))
    tenant = ctx.fake.name()
    landlord = ctx.fake.company()
    hard = ctx.difficulty == "hard"
    posted = rand_date(ctx, 2018, 2025)
    lag = ctx.randint(2, 5) if hard else 0
    received = posted + timedelta(days=lag)
    days = n + ctx.randint(-min(15, n - 1), 15)
    if days == n and ctx.rng.random() < 0.5:
        days += 1
    moveout = received + timedelta(days=days)
    rule = f"A tenant must give at least {n} days' written notice before the move-out date."
    if hard:
        rule += f" A notice sent by post counts as received {lag} days after posting; the period runs from receipt."
        facts = (f"{tenant} posted a notice to {landlord} on {fmt_date(posted, style)} and moved out on "
                 f"{fmt_date(moveout, style)}. The lease was signed on {fmt_date(rand_date(ctx, 2010, 2017), style)}.")
        steps = [f"Received: {posted.isoformat()} + {lag} days = {received.isoformat()}",
                 f"Notice period: {received.isoformat()} to {moveout.isoformat()} = {days} days"]
    else:
        facts = (f"{tenant} gave written notice to {landlord} on {fmt_date(posted, style)} and moved out on "
                 f"{fmt_date(moveout, style)}.")
        steps = [f"Notice period: {posted.isoformat()} to {moveout.isoformat()} = {days} days"]
    ok = days >= n
    steps.append(f"{days} {'>=' if ok else '<'} {n}, so the notice was {'sufficient' if ok else 'too short'}.")
    question = "Was the notice sufficient?"
    return rule, facts, question, steps, ok, f"{days} days", {"kind": "notice", "required": n, "days": days,
                                                              "start": received.isoformat(), "end": moveout.isoformat()}


def legal_limitation(ctx: GenContext, style: int):
    event = ctx.choice(("the accident", "the breach of contract", "the injury", "the delivery of the defective goods"))
    claimant = ctx.fake.name()
    d0 = rand_date(ctx, 2014, 2023)
    if ctx.difficulty == "easy":
        n = ctx.choice((30, 60, 90, 180))
        deadline = d0 + timedelta(days=n)
        period, step0 = f"{n} days", f"Deadline: {d0.isoformat()} + {n} days = {deadline.isoformat()}"
        extra = ""
        pause = 0
    elif ctx.difficulty == "medium":
        n = ctx.choice((1, 2, 3, 6))
        deadline = d0.replace(year=d0.year + n)
        period = f"{n} year{'s' if n > 1 else ''}"
        step0 = f"Deadline: {d0.isoformat()} + {period} = {deadline.isoformat()}"
        extra = ""
        pause = 0
    else:
        n = ctx.choice((6, 12, 18, 24, 36))
        pause = ctx.randint(10, 120)
        base = add_months(d0, n)
        deadline = base + timedelta(days=pause)
        period = f"{n} months"
        step0 = (f"Deadline: {d0.isoformat()} + {n} months = {base.isoformat()}; + {pause} days paused = "
                 f"{deadline.isoformat()}")
        extra = (f" The period is paused for any days spent in mandatory mediation; {claimant} spent {pause} days "
                 f"in mediation.")
    filed = deadline + timedelta(days=ctx.choice((-1, 1)) * ctx.randint(0, 40))
    rule = f"A claim must be filed within {period} of {event}."
    facts = f"{event[0].upper() + event[1:]} happened on {fmt_date(d0, style)}. {claimant} filed the claim on " \
            f"{fmt_date(filed, style)}.{extra}"
    ok = filed <= deadline
    steps = [step0, f"Filed {filed.isoformat()} is {'on or before' if ok else 'after'} the deadline."]
    return rule, facts, "Was the claim filed in time?", steps, ok, f"deadline {deadline.isoformat()}", {
        "kind": "limitation", "event_date": d0.isoformat(), "filed": filed.isoformat(),
        "deadline": deadline.isoformat(), "pause_days": pause}


def legal_age(ctx: GenContext, style: int):
    a = ctx.choice((16, 18, 21))
    act = ctx.choice(("signing a rental contract", "opening a brokerage account", "signing the loan agreement",
                      "registering the company"))
    person = ctx.fake.name()
    signed = rand_date(ctx, 2016, 2025)
    if ctx.difficulty == "easy":
        age_target = a + ctx.choice((-3, -2, -1, 1, 2, 3, 5))
        birth = date(signed.year - age_target, ctx.randint(1, 12), ctx.randint(1, 28))
    else:  # birthday close to the signing date: the boundary matters
        years = a + ctx.choice((-1, 0, 0, 1))
        birth = date(signed.year - years, signed.month, signed.day) + timedelta(days=ctx.randint(-20, 20))
    age = age_on(birth, signed)
    rule = f"A person must be at least {a} years old on the date of {act}."
    facts = f"{person} was born on {fmt_date(birth, style)} and completed {act} on {fmt_date(signed, style)}."
    if ctx.difficulty == "hard":
        applied = signed - timedelta(days=ctx.randint(30, 400))
        facts += f" The application had been submitted on {fmt_date(applied, style)}."
    ok = age >= a
    steps = [f"Age on {signed.isoformat()}: born {birth.isoformat()} -> {age} years",
             f"{age} {'>=' if ok else '<'} {a}"]
    return rule, facts, "Did the person meet the age requirement?", steps, ok, f"age {age}", {
        "kind": "age", "birth": birth.isoformat(), "on": signed.isoformat(), "min_age": a, "age": age}


def legal_small_claims(ctx: GenContext, style: int):
    limit = ctx.choice((2500, 5000, 7500, 10000, 12500))
    claimant = ctx.fake.name()
    kinds = ["unpaid invoice", "repair costs", "lost wages", "replacement goods", "cleaning costs", "unpaid rent"]
    n = ctx.level(2, 3, 4)
    items = [(kd, ctx.randint(100, limit * 2 // n * 100) / 100) for kd in ctx.sample(kinds, n)]
    rule = f"The small claims court hears claims of up to ${limit:,.2f}"
    excluded = []
    if ctx.difficulty == "hard":
        fee = ctx.randint(50, 400)
        excluded = [("court filing fee", float(fee))]
        rule += "; court fees are not counted toward the limit."
    else:
        rule += "."
    shown = items + excluded
    ctx.rng.shuffle(shown)
    facts = f"{claimant} claims: " + ", ".join(f"{kd} ${amt:,.2f}" for kd, amt in shown) + "."
    cents = sum(round(amt * 100) for _, amt in items)
    total = cents / 100
    ok = cents <= limit * 100
    steps = [f"Counted total: {' + '.join(f'{amt:.2f}' for _, amt in items)} = {total:.2f}"]
    if excluded:
        steps.insert(0, "The court filing fee is not counted.")
    steps.append(f"{total:.2f} {'<=' if ok else '>'} {limit:.2f}")
    return rule, facts, "Can the claim be heard in small claims court?", steps, ok, f"${total:,.2f}", {
        "kind": "small_claims", "limit": limit, "items": [list(i) for i in items],
        "excluded": [list(e) for e in excluded], "total": total}


LEGAL_KINDS = {"notice": legal_notice, "limitation": legal_limitation, "age": legal_age,
               "small_claims": legal_small_claims}
LEGAL_KEYS = tuple(LEGAL_KINDS)


class LegalAnalysisGenerator(Generator):
    name = "legal_analysis"
    task_type = "reasoning"
    phrasings = 4

    TEMPLATES = (
        "Rule: {rule}\nFacts: {facts}\nQuestion: {question}",
        "Apply the rule to the facts. {rule}\n{facts}\n{question}",
        "Facts: {facts}\nApplicable rule: {rule}\n{question} Answer yes or no with the computed value.",
        "Legal question. {question}\nRule: {rule}\nFacts: {facts}",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        kind = ctx.choice(LEGAL_KEYS)
        style = ctx.randint(0, 2)
        rule, facts, question, steps, ok, value, data = LEGAL_KINDS[kind](ctx, style)
        answer = f"{'yes' if ok else 'no'} ({value})"
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        return TrainingExample(
            prompt=self.TEMPLATES[k].format(rule=rule, facts=facts, question=question),
            response="\n".join(steps) + f"\nAnswer: {answer}",
            metadata={"answer": answer, "decision": "yes" if ok else "no", "phrasing": k, "case": data},
        )


# ---------------------------------------------------------------------------------------------
# contract_review
# ---------------------------------------------------------------------------------------------

JURISDICTIONS = (
    ("New York", "the State of New York"), ("Delaware", "the State of Delaware"),
    ("California", "the State of California"), ("Texas", "the State of Texas"),
    ("England and Wales", "England and Wales"), ("Ontario", "the Province of Ontario"),
    ("Germany", "the Federal Republic of Germany"), ("Ireland", "Ireland"), ("Singapore", "Singapore"),
    ("Illinois", "the State of Illinois"), ("Scotland", "Scotland"), ("Victoria", "the State of Victoria"),
)
CONTRACT_KINDS = ("Services", "Supply", "Consulting", "Software License", "Distribution", "Maintenance",
                  "Marketing", "Data Processing")
ROLES = (("Provider", "Client"), ("Supplier", "Buyer"), ("Consultant", "Company"), ("Licensor", "Licensee"),
         ("Vendor", "Customer"))
CLAUSES = {
    "intro": (
        "This {kind} Agreement (the \"Agreement\") is made as of {date} (the \"Effective Date\") between {a} "
        "(\"{ra}\") and {b} (\"{rb}\").",
        "This {kind} Agreement is entered into by {a} and {b}, effective {date}.",
        "{kind_upper} AGREEMENT. Parties: {a} (the {ra}) and {b} (the {rb}). Effective Date: {date}.",
        "{a} and {b} agree to the following {kind} Agreement, which takes effect on {date}.",
    ),
    "term_months": (
        "The Agreement runs for {term} months from the Effective Date.",
        "Term: {term} months.",
        "This Agreement remains in force for a period of {term} months.",
    ),
    "termination_notice_days": (
        "Either party may terminate this Agreement on {notice} days' written notice.",
        "Termination requires {notice} days' prior written notice.",
        "A party wishing to end the Agreement must give at least {notice} days' notice in writing.",
    ),
    "governing_law": (
        "This Agreement is governed by the laws of {law}.",
        "Governing law: {law}.",
        "Any dispute shall be decided under the laws of {law}.",
    ),
    "payment_terms_days": (
        "Invoices are payable within {pay} days of receipt.",
        "Payment terms: net {pay} days.",
        "The {rb} shall pay each invoice within {pay} days.",
    ),
}
DISTRACTORS = (
    "Confidentiality obligations survive for {surv} years after termination.",
    "Each party's liability is capped at ${cap:,}.",
    "The Agreement renews automatically for successive {renew}-month periods.",
    "Notices must be sent to the addresses listed in Schedule {sched}.",
)
FIELD_SETS = {
    "easy": ("parties", "effective_date", "term_months"),
    "medium": ("parties", "effective_date", "term_months", "governing_law", "termination_notice_days"),
    "hard": ("parties", "effective_date", "term_months", "governing_law", "termination_notice_days",
             "payment_terms_days"),
}


class ContractReviewGenerator(Generator):
    name = "contract_review"
    task_type = "extraction"
    phrasings = 4

    TEMPLATES = (
        "Extract these fields from the contract as JSON: {fields}.\n\n{text}",
        "Contract:\n{text}\n\nReturn a JSON object with keys {fields}.",
        "Review the agreement below and list {fields} in JSON.\n---\n{text}\n---",
        "{text}\n\nKey terms ({fields}) as JSON:",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        names = ctx.fake.company(), ctx.fake.company()
        while names[1] == names[0] or names[0] in names[1] or names[1] in names[0]:
            names = names[0], ctx.fake.company()
        a, b = names
        ra, rb = ctx.choice(ROLES)
        d = rand_date(ctx, 2016, 2026)
        date_text = fmt_date(d, ctx.randint(0, 2))
        term = ctx.choice((6, 12, 18, 24, 36, 48, 60))
        notice = ctx.choice((10, 14, 30, 45, 60, 90))
        pay = ctx.choice((15, 20, 30, 45, 60))
        law, law_text = ctx.choice(JURISDICTIONS)
        kind = ctx.choice(CONTRACT_KINDS)
        keys = FIELD_SETS[ctx.difficulty]
        slots = {"kind": kind, "kind_upper": kind.upper(), "a": a, "b": b, "ra": ra, "rb": rb, "date": date_text,
                 "term": term, "notice": notice, "law": law_text, "pay": pay}
        intro = ctx.choice(CLAUSES["intro"]).format(**slots)
        body = [ctx.choice(CLAUSES[key]).format(**slots) for key in keys if key in CLAUSES]
        if ctx.difficulty == "hard":
            renew = ctx.choice([m for m in (6, 12, 24) if m != term])
            for dtext in ctx.sample(DISTRACTORS, 2):
                body.append(dtext.format(surv=ctx.randint(2, 7), cap=ctx.randint(5, 500) * 1000, renew=renew,
                                         sched=ctx.choice("ABC")))
        if ctx.difficulty != "easy":
            ctx.rng.shuffle(body)
        text = intro + "\n" + "\n".join(f"{i}. {c}" for i, c in enumerate(body, 1))
        all_fields = {"parties": [a, b], "effective_date": date_text, "term_months": term, "governing_law": law,
                      "termination_notice_days": notice, "payment_terms_days": pay}
        fields = {key: all_fields[key] for key in keys}
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(text=text, fields=", ".join(keys))
        return TrainingExample(
            prompt=prompt,
            response=json.dumps(fields, ensure_ascii=False),
            metadata={"fields": fields, "phrasing": k},
        )


# ---------------------------------------------------------------------------------------------
# compliance_check
# ---------------------------------------------------------------------------------------------

def _usd(x: float) -> str:
    return f"${x:,.2f}"


def compliance_expense(ctx: GenContext, violate: bool):
    meal = ctx.choice((40, 50, 60, 75, 90))
    appr = ctx.choice((250, 300, 500, 750))
    rcpt = ctx.choice((20, 25, 50))
    n_rules = ctx.level(1, 2, 3)
    rules = [f"meals may not exceed {_usd(meal)} each"]
    if n_rules >= 2:
        rules.append(f"any single expense above {_usd(appr)} needs manager approval")
    if n_rules >= 3:
        rules.append(f"expenses above {_usd(rcpt)} need a receipt")
    n_items = ctx.level(2, 3, 4)
    items = []  # (description, category, amount, approved, receipt)
    for _ in range(n_items):
        cat = ctx.choice(("meal", "taxi", "hotel", "supplies", "train ticket"))
        hi = {"meal": meal, "taxi": 90, "hotel": appr if n_rules >= 2 else 400, "supplies": 150,
              "train ticket": 180}[cat]
        amt = ctx.randint(500, hi * 100) / 100
        items.append([cat, amt, n_rules >= 2 and ctx.rng.random() < 0.3, True])
    if ctx.difficulty == "hard" and not violate:  # above the approval limit, but approved: still fine
        items[ctx.randint(0, n_items - 1)] = ["hotel", ctx.randint(appr * 100 + 100, appr * 250) / 100, True, True]
    reason = None
    if violate:
        j = ctx.randint(0, n_items - 1)
        which = ctx.randint(0, n_rules - 1)
        if which == 0:
            items[j] = ["meal", ctx.randint(meal * 100 + 1, meal * 160) / 100, True, True]
            reason = f"meal of {_usd(items[j][1])} exceeds the {_usd(meal)} limit"
        elif which == 1:
            items[j] = ["hotel", ctx.randint(appr * 100 + 1, appr * 250) / 100, False, True]
            reason = f"hotel of {_usd(items[j][1])} is above {_usd(appr)} without approval"
        else:
            items[j] = ["taxi", ctx.randint(rcpt * 100 + 1, rcpt * 300) / 100, False, False]
            reason = f"taxi of {_usd(items[j][1])} is above {_usd(rcpt)} without a receipt"
    lines = []
    for cat, amt, approved, receipt in items:
        extra = []
        if n_rules >= 2:
            extra.append(f"approved: {'yes' if approved else 'no'}")
        if n_rules >= 3:
            extra.append(f"receipt: {'yes' if receipt else 'no'}")
        lines.append(f"- {cat}: {_usd(amt)}" + (f" ({', '.join(extra)})" if extra else ""))
    policy = "Expense policy: " + "; ".join(rules) + "."
    report = f"Expense report of {ctx.fake.name()}:\n" + "\n".join(lines)
    found = check_expense(items, meal, appr if n_rules >= 2 else None, rcpt if n_rules >= 3 else None)
    return policy, report, reason, found, {"family": "expense", "items": items, "meal_limit": meal,
                                           "approval_limit": appr if n_rules >= 2 else None,
                                           "receipt_limit": rcpt if n_rules >= 3 else None}


def check_expense(items, meal, appr, rcpt) -> int:
    """Number of rule breaches in an expense report."""
    bad = 0
    for cat, amt, approved, receipt in items:
        bad += cat == "meal" and amt > meal
        bad += appr is not None and amt > appr and not approved
        bad += rcpt is not None and amt > rcpt and not receipt
    return bad


def compliance_travel(ctx: GenContext, violate: bool):
    hours = ctx.choice((4, 5, 6, 8))
    rate = ctx.choice((150, 180, 220, 250))
    adv = ctx.choice((7, 14, 21))
    n_rules = ctx.level(1, 2, 3)
    rules = [f"flights shorter than {hours} hours must be booked in economy class"]
    if n_rules >= 2:
        rules.append(f"hotel rates may not exceed {_usd(rate)} per night")
    if n_rules >= 3:
        rules.append(f"trips must be booked at least {adv} days before departure")
    dur = ctx.randint(60, hours * 60 + 300)
    cls = "economy" if dur < hours * 60 else ctx.choice(("economy", "business"))
    hotel = ctx.randint(6000, rate * 100) / 100
    depart = rand_date(ctx, 2022, 2025)
    booked = depart - timedelta(days=ctx.randint(adv, adv + 60))
    reason = None
    if violate:
        which = ctx.randint(0, n_rules - 1)
        if which == 0:
            dur, cls = ctx.randint(45, hours * 60 - 1), "business"
            reason = f"a {dur // 60}h {dur % 60:02d}m flight was booked in business class"
        elif which == 1:
            hotel = ctx.randint(rate * 100 + 1, rate * 180) / 100
            reason = f"hotel rate {_usd(hotel)} exceeds {_usd(rate)} per night"
        else:
            booked = depart - timedelta(days=ctx.randint(0, adv - 1))
            reason = f"booked {(depart - booked).days} days before departure, fewer than {adv}"
    facts = [f"flight duration {dur // 60}h {dur % 60:02d}m, {cls} class"]
    if n_rules >= 2:
        facts.append(f"hotel {_usd(hotel)} per night")
    else:
        facts.append(f"hotel in {ctx.fake.city()}")
    if n_rules >= 3:
        facts.append(f"booked on {booked.isoformat()}, departure {depart.isoformat()}")
    policy = "Travel policy: " + "; ".join(rules) + "."
    report = f"Booking for {ctx.fake.name()}: " + "; ".join(facts) + "."
    bad = (dur < hours * 60 and cls != "economy") + (n_rules >= 2 and hotel > rate) + \
        (n_rules >= 3 and (depart - booked).days < adv)
    return policy, report, reason, bad, {"family": "travel", "minutes": dur, "class": cls, "hotel": hotel,
                                         "booked": booked.isoformat(), "departure": depart.isoformat(),
                                         "max_hours": hours, "max_rate": rate, "advance_days": adv,
                                         "rules": n_rules}


def compliance_retention(ctx: GenContext, violate: bool):
    months = ctx.choice((6, 12, 18, 24))
    audit = rand_date(ctx, 2023, 2025)
    hold_rule = ctx.difficulty == "hard"
    rules = [f"customer records must be deleted within {months} months of account closure"]
    if hold_rule:
        rules.append("records under legal hold are exempt")
    n = ctx.level(2, 3, 4)
    recs = []  # (id, closed, stored, hold)
    for _ in range(n):
        stored = ctx.rng.random() < 0.6
        if stored:  # still stored: closed recently enough
            closed = audit - timedelta(days=ctx.randint(5, months * 28))
        else:
            closed = audit - timedelta(days=ctx.randint(5, months * 60))
        recs.append([ctx.fake.numerify("CUST-#####"), closed, stored, False])
    if hold_rule and not violate:
        closed = add_months(audit, -months) - timedelta(days=ctx.randint(10, 300))
        recs[ctx.randint(0, n - 1)] = [ctx.fake.numerify("CUST-#####"), closed, True, True]
    reason = None
    if violate:
        j = ctx.randint(0, n - 1)
        closed = add_months(audit, -months) - timedelta(days=ctx.randint(1, 400))
        recs[j] = [ctx.fake.numerify("CUST-#####"), closed, True, False]
        reason = f"{recs[j][0]} closed {closed.isoformat()} is still stored after {months} months"
    lines = []
    for rid, closed, stored, hold in recs:
        status = "still stored" if stored else "deleted"
        lines.append(f"- {rid}: closed {closed.isoformat()}, {status}" + (", legal hold" if hold else ""))
    policy = "Data retention policy: " + "; ".join(rules) + "."
    report = f"Audit on {audit.isoformat()}:\n" + "\n".join(lines)
    bad = sum(1 for _, closed, stored, hold in recs
              if stored and not (hold and hold_rule) and add_months(closed, months) < audit)
    data = {"family": "retention", "audit": audit.isoformat(), "months": months, "hold_rule": hold_rule,
            "records": [[r, c.isoformat(), s, h] for r, c, s, h in recs]}
    return policy, report, reason, bad, data


def _mark(bad: bool) -> str:
    return " -> breach" if bad else " -> ok"


def _plain(x: float) -> str:
    """An amount as the checks write it: no currency sign, no thousands separator (1158.88)."""
    return f"{x:.2f}"


def _vs(amount: float, limit: float) -> str:
    return f"{_plain(amount)} {'>' if amount > limit else '<='} {_plain(limit)}"


def expense_checks(data: dict) -> list[str]:
    """One line per expense item: each rule that applies to it, compared, then ok or breach."""
    meal, appr, rcpt = data["meal_limit"], data["approval_limit"], data["receipt_limit"]
    lines = []
    for cat, amt, approved, receipt in data["items"]:
        parts, bad = [], False
        if cat == "meal":
            parts.append(f"meal limit {_vs(amt, meal)}")
            bad |= amt > meal
        if appr is not None:
            parts.append(f"approval limit {_vs(amt, appr)}"
                         + (f", approved: {'yes' if approved else 'no'}" if amt > appr else ""))
            bad |= amt > appr and not approved
        if rcpt is not None:
            parts.append(f"receipt limit {_vs(amt, rcpt)}"
                         + (f", receipt: {'yes' if receipt else 'no'}" if amt > rcpt else ""))
            bad |= amt > rcpt and not receipt
        lines.append(f"- {cat} {_plain(amt)}: " + ("; ".join(parts) or "no rule applies") + _mark(bad))
    return lines


def travel_checks(data: dict) -> list[str]:
    """The flight, then the hotel rate and the booking date when the policy has those rules."""
    dur, cls, hours = data["minutes"], data["class"], data["max_hours"]
    short = dur < hours * 60
    lines = [f"- flight {dur // 60}h {dur % 60:02d}m: {'shorter' if short else 'not shorter'} than {hours} hours, "
             f"{cls} class" + _mark(short and cls != "economy")]
    if data["rules"] >= 2:
        hotel, rate = data["hotel"], data["max_rate"]
        lines.append(f"- hotel rate {_vs(hotel, rate)}" + _mark(hotel > rate))
    if data["rules"] >= 3:
        depart = date.fromisoformat(data["departure"])
        last = depart - timedelta(days=data["advance_days"])
        booked = date.fromisoformat(data["booked"])
        lines.append(f"- departure {depart.isoformat()} - {data['advance_days']} days = {last.isoformat()}; booked "
                     f"{booked.isoformat()}, {'after' if booked > last else 'not after'} it" + _mark(booked > last))
    return lines


def _plus_months(closed: date, months: int) -> str:
    """``closed + N months = date``, years and months apart so each is a small step."""
    years, rest = divmod(months, 12)
    parts = [f"{years} year{'s' if years > 1 else ''}"] if years else []
    parts += [f"{rest} months"] if rest else []
    return f"{closed.isoformat()} + {' '.join(parts)} = {add_months(closed, months).isoformat()}"


def retention_checks(data: dict) -> list[str]:
    """One line per record: deleted, exempt, or its deletion date against the audit date."""
    audit, months = date.fromisoformat(data["audit"]), data["months"]
    lines = []
    for rid, closed, stored, hold in data["records"]:
        if not stored:
            lines.append(f"- {rid}: deleted" + _mark(False))
        elif hold and data["hold_rule"]:
            lines.append(f"- {rid}: under legal hold, exempt" + _mark(False))
        else:
            closed_on = date.fromisoformat(closed)
            late = add_months(closed_on, months) < audit
            lines.append(f"- {rid}: still stored; delete by {_plus_months(closed_on, months)}; "
                         f"audit {audit.isoformat()} is {'after' if late else 'not after'} it" + _mark(late))
    return lines


COMPLIANCE_CHECKS = {"expense": expense_checks, "travel": travel_checks, "retention": retention_checks}


COMPLIANCE_FAMILIES = {"expense": compliance_expense, "travel": compliance_travel, "retention": compliance_retention}
COMPLIANCE_KEYS = tuple(COMPLIANCE_FAMILIES)


class ComplianceCheckGenerator(Generator):
    name = "compliance_check"
    task_type = "classification"
    labels = ("compliant", "non_compliant")
    phrasings = 4

    TEMPLATES = (
        "{policy}\n{report}\nIs this compliant or non_compliant?",
        "Check the following against the policy.\n{policy}\n{report}",
        "Compliance review.\n{report}\n{policy}\nVerdict (compliant / non_compliant)?",
        "{policy}\nRecord: {report}\nDoes it comply?",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        label = ctx.label
        violate = label == "non_compliant"
        family = ctx.choice(COMPLIANCE_KEYS)
        for _ in range(200):
            policy, report, reason, breaches, data = COMPLIANCE_FAMILIES[family](ctx, violate)
            if breaches == (1 if violate else 0):
                break
        else:  # pragma: no cover
            raise RuntimeError("could not draw a compliance case")
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        reason = reason or "no rule is broken"
        return TrainingExample(
            prompt=self.TEMPLATES[k].format(policy=policy, report=report),
            response="Checks:\n" + "\n".join(COMPLIANCE_CHECKS[family](data)) + f"\nVerdict: {label}\nReason: {reason}",
            metadata={"label": label, "phrasing": k, "case": data, "reason": reason},
        )


legal_analysis = Specialist("legal_analysis", LegalAnalysisGenerator)
contract_review = Specialist("contract_review", ContractReviewGenerator)
compliance_check = Specialist("compliance_check", ComplianceCheckGenerator)
