"""Generators for the ``document_processing`` category: document_extraction, invoice_processing,
contract_analysis, resume_parsing.

Each generator first draws the gold field values, then renders a document that prints them, so every
field is a literal span of the prompt. The exceptions are listed in ``metadata["derived"]``:

* ``invoice_processing``: money is computed with ``Decimal`` (line amount = qty x unit price,
  subtotal = sum of lines, tax = subtotal x rate rounded half up, total = subtotal + tax). Easy and
  medium invoices print the subtotal, tax and total; hard invoices print only the line items and
  the tax rate, so the three amounts are computed (derived).
* ``contract_analysis``: ``risks`` are labels from a fixed vocabulary, derived from which clause
  variant (risky or safe) the contract contains.

Amounts are stored as strings with two decimals, exactly as printed (``"1234.50"``).

``document_extraction``'s answer to a form names the wanted fields (``Fields: iban, date``) before
the JSON object; a table's answer is the JSON object alone.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

CENT = Decimal("0.01")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def _day(ctx: GenContext, start: date = date(2019, 1, 1), span: int = 2400) -> date:
    return start + timedelta(days=ctx.randint(0, span))


def fmt_date(d: date, style: int) -> str:
    """One of five printed date styles."""
    if style == 0:
        return d.isoformat()
    if style == 1:
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == 2:
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == 3:
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    return f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}"


def money(ctx: GenContext, lo: int, hi: int) -> Decimal:
    """An amount in [lo, hi] with two decimals."""
    return (Decimal(ctx.randint(lo * 100, hi * 100)) / 100).quantize(CENT)


def _json(fields: dict) -> str:
    return json.dumps(fields, ensure_ascii=False)


# =================================================================================================
# invoice_processing
# =================================================================================================

PRODUCTS = (
    "USB-C cable", "Wireless mouse", "Printer paper A4", "Toner cartridge", "Desk lamp", "Office chair",
    "Laptop stand", "HDMI adapter", "Notebook pack", "Whiteboard markers", "Monitor 27in", "Keyboard",
    "Consulting hour", "Cloud storage plan", "Software licence", "Installation service", "Delivery fee",
    "Coffee beans 1kg", "Cleaning service", "Webcam HD", "Headset", "Ethernet switch", "Filing cabinet",
)
TAX_RATES = (0, 5, 7, 8, 10, 19, 20)
CURRENCIES = ("$", "EUR ", "£", "")


def invoice_number(ctx: GenContext) -> str:
    return ctx.choice((
        lambda: f"INV-{ctx.randint(2019, 2026)}-{ctx.randint(1, 9999):04d}",
        lambda: f"{ctx.choice('ABCDEFGHKMR')}-{ctx.randint(10000, 99999)}",
        lambda: f"{ctx.randint(2019, 2026)}/{ctx.randint(1, 999):03d}",
        lambda: f"RE{ctx.randint(100000, 999999)}",
    ))()


class InvoiceProcessingGenerator(Generator):
    name = "invoice_processing"
    task_type = "extraction"
    phrasings = 4

    INSTRUCTIONS = (
        "Extract invoice_number, vendor, date, subtotal, tax and total from this invoice as JSON.",
        "Read the document and return JSON with the keys invoice_number, vendor, date, subtotal, tax, total.",
        "Invoice processing: give the invoice number, vendor, invoice date, subtotal, tax and total (JSON).",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        n_items = ctx.level(ctx.randint(1, 2), ctx.randint(2, 3), ctx.randint(3, 5))
        items = []
        for name in ctx.sample(PRODUCTS, n_items):
            qty = ctx.randint(1, 12)
            unit = money(ctx, 1, ctx.choice((40, 150, 600)))
            items.append((name, qty, unit, unit * qty))
        subtotal = sum((line for *_, line in items), Decimal("0.00"))
        rate = ctx.choice(TAX_RATES)
        tax = (subtotal * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        total = subtotal + tax
        print_totals = ctx.difficulty != "hard"

        inv, vendor, customer = invoice_number(ctx), ctx.fake.company(), ctx.fake.company()
        dstyle = ctx.randint(0, 4)
        issued = _day(ctx)
        date_s = fmt_date(issued, dstyle)
        due_s = fmt_date(issued + timedelta(days=ctx.choice((14, 30, 45, 60))), dstyle)
        cur = ctx.choice(CURRENCIES)
        distract = ctx.difficulty != "easy"
        po = f"PO-{ctx.randint(1000, 99999)}"
        cust_no = f"{ctx.randint(10000, 99999)}"

        layout = ctx.randint(0, 3)
        if layout == 0:  # classic invoice
            lines = ["INVOICE", vendor, ctx.fake.street_address() + ", " + ctx.fake.city(),
                     f"Invoice No: {inv}", f"Invoice date: {date_s}"]
            if distract:
                lines += [f"Due date: {due_s}", f"Customer no: {cust_no}"]
            lines.append(f"Bill to: {customer}")
            lines += [f"{q} x {n} @ {cur}{u} = {cur}{a}" for n, q, u, a in items]
            if print_totals:
                lines += [f"Subtotal: {cur}{subtotal}", f"Tax ({rate}%): {cur}{tax}", f"Total due: {cur}{total}"]
            else:
                lines.append(f"Tax rate: {rate}%")
        elif layout == 1:  # till receipt
            lines = [f"{vendor} - RECEIPT #{inv}", f"{date_s} {ctx.randint(7, 21):02d}:{ctx.randint(0, 59):02d}"]
            if distract:
                lines.append(f"Cashier {ctx.randint(1, 40)}  Till {ctx.randint(1, 9)}")
            lines += [f"{n.upper()}  {q} x {u}  {a}" for n, q, u, a in items]
            if print_totals:
                lines += [f"SUBTOTAL {subtotal}", f"TAX {rate}% {tax}", f"TOTAL {cur}{total}"]
            else:
                lines.append(f"TAX RATE {rate}%")
            if distract:
                lines.append(f"Card payment ref {ctx.randint(100000, 999999)}")
        elif layout == 2:  # e-mail body
            item_text = "; ".join(f"{q} {n} at {cur}{u} each ({cur}{a})" for n, q, u, a in items)
            lines = [f"From: billing@{vendor.split()[0].strip(',').lower()}.example",
                     f"Dear {customer}, please find invoice {inv} from {vendor}, dated {date_s}."]
            if distract:
                lines.append(f"Your order {po} is referenced; payment is due by {due_s}.")
            lines.append(f"Items: {item_text}.")
            if print_totals:
                lines.append(f"Subtotal {cur}{subtotal}, tax {cur}{tax} ({rate}%), amount due {cur}{total}.")
            else:
                lines.append(f"Tax is charged at {rate}%.")
        else:  # scanned form with pipes
            lines = [f"Seller: {vendor} | Buyer: {customer}", f"Invoice #: {inv} | Issued: {date_s}"]
            if distract:
                lines.append(f"PO: {po} | Due: {due_s}")
            lines.append("Item | Qty | Unit | Amount")
            lines += [f"{n} | {q} | {u} | {a}" for n, q, u, a in items]
            if print_totals:
                lines.append(f"Net {subtotal} | Tax {rate}% {tax} | Gross {cur}{total}")
            else:
                lines.append(f"Tax rate {rate}% | Currency {cur.strip() or 'USD'}")
        instruction = ctx.choice(self.INSTRUCTIONS)
        prompt = instruction + "\n\n" + "\n".join(lines)
        fields = {"invoice_number": inv, "vendor": vendor, "date": date_s, "subtotal": str(subtotal),
                  "tax": str(tax), "total": str(total)}
        meta = {
            "fields": fields, "phrasing": layout, "tax_rate": rate,
            "line_items": [{"description": n, "quantity": q, "unit_price": str(u)} for n, q, u, _ in items],
        }
        if not print_totals:
            meta["derived"] = ["subtotal", "tax", "total"]
        return TrainingExample(prompt=prompt, response=_json(fields), metadata=meta)


# =================================================================================================
# document_extraction
# =================================================================================================

LABELS = {  # field -> label variants printed in the document
    "reference": ("Reference", "Ref. No.", "Our ref", "Document ID"),
    "date": ("Date", "Issued on", "Dated", "Date of issue"),
    "sender": ("Sender", "From", "Shipper", "Issued by"),
    "recipient": ("Recipient", "To", "Consignee", "Deliver to"),
    "packages": ("Packages", "No. of parcels", "Pieces", "Package count"),
    "weight": ("Weight", "Gross weight", "Total weight", "Wt."),
    "name": ("Name", "Full name", "Applicant", "Applicant name"),
    "date_of_birth": ("Date of birth", "DOB", "Born", "Birth date"),
    "email": ("Email", "E-mail", "Email address", "Contact email"),
    "phone": ("Phone", "Tel.", "Telephone", "Mobile"),
    "city": ("City", "Town", "City of residence", "Place"),
    "account_holder": ("Account holder", "Holder", "Customer", "Name on account"),
    "iban": ("IBAN", "Account IBAN", "IBAN No.", "Account number (IBAN)"),
    "opening_balance": ("Opening balance", "Balance brought forward", "Start balance", "Previous balance"),
    "closing_balance": ("Closing balance", "New balance", "End balance", "Balance carried forward"),
    "recipient_name": ("Awarded to", "Recipient", "Participant", "Name"),
    "course": ("Course", "Programme", "Training", "Course title"),
    "issuer": ("Issuer", "Issued by", "Institution", "Provider"),
    "certificate_id": ("Certificate ID", "Cert. No.", "Credential ID", "Serial"),
}
COURSES = ("Project Management Basics", "Advanced Excel", "First Aid at Work", "Data Protection Essentials",
           "Forklift Safety", "Python for Analysts", "Leadership Skills", "Food Hygiene Level 2")
TABLE_KINDS = (
    ("Stock list", ("product", "quantity", "location")),
    ("Staff roster", ("employee", "department", "start_date")),
    ("Shipment log", ("tracking_id", "destination", "packages")),
)
DEPARTMENTS = ("Finance", "Sales", "IT", "Logistics", "HR", "Marketing", "Legal", "Support")


class DocumentExtractionGenerator(Generator):
    """Forms, delivery notes, statements, certificates and tables rendered in four layouts."""

    name = "document_extraction"
    task_type = "extraction"
    phrasings = 4

    INSTRUCTIONS = (
        "Extract the following fields as JSON: {keys}.",
        "From the scanned document below, return a JSON object with {keys}.",
        "Document parsing task. Fields wanted: {keys}. Output JSON only.",
    )
    TABLE_INSTRUCTIONS = (
        "Extract every row of the table as JSON: {{\"rows\": [{{{keys}}}]}}.",
        "Table extraction: return the rows as a JSON list under \"rows\" with keys {keys}.",
        "Parse this table into JSON rows ({keys}).",
    )

    def _record(self, ctx: GenContext, dstyle: int) -> tuple[str, dict[str, str | int], list[tuple[str, str]]]:
        """A form-like document: (title, gold values, distractor label/value pairs)."""
        kind = ctx.randint(0, 3)
        other_date = fmt_date(_day(ctx), dstyle)
        if kind == 0:
            vals: dict[str, str | int] = {
                "reference": f"DN-{ctx.randint(10000, 999999)}", "date": fmt_date(_day(ctx), dstyle),
                "sender": ctx.fake.company(), "recipient": ctx.fake.company(),
                "packages": ctx.randint(1, 40), "weight": f"{ctx.randint(5, 9999) / 10} kg",
            }
            distract = [("Printed", other_date), ("Carrier", ctx.fake.company()), ("Route", ctx.fake.city())]
            return "DELIVERY NOTE", vals, distract
        if kind == 1:
            vals = {
                "name": ctx.fake.name(), "date_of_birth": fmt_date(_day(ctx, date(1950, 1, 1), 18000), dstyle),
                "email": ctx.fake.email(), "phone": ctx.fake.phone_number(), "city": ctx.fake.city(),
                "reference": f"APP-{ctx.randint(1000, 99999)}",
            }
            distract = [("Received", other_date), ("Clerk", ctx.fake.name()), ("Office", ctx.fake.city())]
            return "APPLICATION FORM", vals, distract
        if kind == 2:
            opening = money(ctx, 0, 20000)
            vals = {
                "account_holder": ctx.fake.name(), "iban": ctx.fake.iban(), "date": fmt_date(_day(ctx), dstyle),
                "opening_balance": str(opening), "closing_balance": str(opening + money(ctx, -500, 3000)),
            }
            distract = [("Branch", ctx.fake.city()), ("Largest debit", str(money(ctx, 5, 900))),
                        ("Statement printed", other_date)]
            return "ACCOUNT STATEMENT", vals, distract
        vals = {
            "recipient_name": ctx.fake.name(), "course": ctx.choice(COURSES), "issuer": ctx.fake.company(),
            "date": fmt_date(_day(ctx), dstyle), "certificate_id": f"C{ctx.randint(100000, 9999999)}",
        }
        distract = [("Instructor", ctx.fake.name()), ("Valid until", other_date), ("Venue", ctx.fake.city())]
        return "CERTIFICATE OF COMPLETION", vals, distract

    def _table(self, ctx: GenContext, dstyle: int) -> tuple[str, list[dict[str, str | int]], tuple[str, ...]]:
        title, cols = ctx.choice(TABLE_KINDS)
        rows: list[dict[str, str | int]] = []
        for _ in range(ctx.level(2, 3, 5)):
            if cols[0] == "product":
                row: dict[str, str | int] = {"product": ctx.choice(PRODUCTS), "quantity": ctx.randint(1, 500),
                                             "location": f"{ctx.choice('ABCDEF')}-{ctx.randint(1, 30):02d}"}
            elif cols[0] == "employee":
                row = {"employee": ctx.fake.name(), "department": ctx.choice(DEPARTMENTS),
                       "start_date": fmt_date(_day(ctx), dstyle)}
            else:
                row = {"tracking_id": f"TRK{ctx.randint(1000000, 9999999)}", "destination": ctx.fake.city(),
                       "packages": ctx.randint(1, 60)}
            rows.append(row)
        return title, rows, cols

    def example(self, ctx: GenContext) -> TrainingExample:
        layout = ctx.randint(0, 3)
        dstyle = ctx.randint(0, 4)
        if ctx.randint(0, 3) == 0:  # table extraction
            title, rows, cols = self._table(ctx, dstyle)
            heads = [c.replace("_", " ").title() for c in cols]
            cells = [[str(r[c]) for c in cols] for r in rows]
            if layout == 0:
                body = [" | ".join(heads), " | ".join("---" for _ in heads)] + [" | ".join(c) for c in cells]
            elif layout == 1:
                body = [",".join(heads)] + [",".join(f'"{x}"' if "," in x else x for x in c) for c in cells]  # CSV
            elif layout == 2:
                widths = [max(len(x) for x in col) + 2 for col in zip(heads, *cells)]
                body = ["".join(x.ljust(w) for x, w in zip(line, widths)).rstrip() for line in [heads, *cells]]
            else:
                body = [f"Row {i + 1}: " + "; ".join(f"{h}: {x}" for h, x in zip(heads, c))
                        for i, c in enumerate(cells)]
            instr = ctx.choice(self.TABLE_INSTRUCTIONS).format(keys=", ".join(cols))
            prompt = f"{instr}\n\n{title.upper()}\n" + "\n".join(body)
            fields: dict = {"rows": rows}
            return TrainingExample(prompt=prompt, response=_json(fields),
                                   metadata={"fields": fields, "phrasing": layout, "doc_kind": "table"})

        title, vals, distract = self._record(ctx, dstyle)
        keys = list(vals)
        n_fields = min(len(keys), ctx.level(3, 4, 6))
        wanted = sorted(ctx.sample(range(len(keys)), n_fields))
        fields = {keys[i]: vals[keys[i]] for i in wanted}
        pairs = [(ctx.choice(LABELS[k]), str(v)) for k, v in vals.items()]
        pairs += distract[: ctx.level(0, 2, 3)]
        ctx.rng.shuffle(pairs)
        if layout == 0:
            body = [f"{lab}: {v}" for lab, v in pairs]
        elif layout == 1:  # OCR-like: upper-case labels padded with dots
            body = [f"{lab.upper()} {'.' * max(2, 22 - len(lab))} {v}" for lab, v in pairs]
        elif layout == 2:
            body = [f"| {lab} | {v} |" for lab, v in pairs]
        else:
            body = ["; ".join(f"{lab} = {v}" for lab, v in pairs)]
        if ctx.difficulty == "hard":
            body.insert(ctx.randint(0, len(body)), f"Page 1 of {ctx.randint(2, 4)}")
        instr = ctx.choice(self.INSTRUCTIONS).format(keys=", ".join(fields))
        prompt = f"{instr}\n\n{title}\n" + "\n".join(body)
        # the wanted fields first, copied from the instruction: without this line the adapter wrote the
        # fields a document of this kind usually has (42 of 100 test answers had the wrong set)
        response = "Fields: " + ", ".join(fields) + "\n" + _json(fields)
        return TrainingExample(prompt=prompt, response=response,
                               metadata={"fields": fields, "phrasing": layout, "doc_kind": title.lower()})


# =================================================================================================
# contract_analysis
# =================================================================================================

CONTRACT_TYPES = ("Service Agreement", "Supply Agreement", "Consulting Agreement", "Software License Agreement",
                  "Maintenance Agreement", "Distribution Agreement")
LAWS = ("the State of New York", "the State of California", "England and Wales", "Germany", "Ireland",
        "the State of Delaware", "Ontario", "the Netherlands")
RISKS = ("automatic renewal", "unlimited liability", "unilateral termination", "exclusivity")


class ContractAnalysisGenerator(Generator):
    """Clause extraction plus risk flags; each clause has a safe and a risky variant."""

    name = "contract_analysis"
    task_type = "extraction"
    phrasings = 4

    INSTRUCTIONS = (
        "Analyse this contract; return JSON with {keys}.",
        "Extract {keys} from the agreement below as JSON.",
        "Contract review (JSON): {keys}.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        ctype = ctx.choice(CONTRACT_TYPES)
        a, b = ctx.fake.company(), ctx.fake.company()
        dstyle = ctx.randint(0, 4)
        start = _day(ctx)
        eff = fmt_date(start, dstyle)
        signed = fmt_date(start - timedelta(days=ctx.randint(3, 40)), dstyle)
        months = ctx.choice((6, 12, 18, 24, 36, 48))
        term = f"{months // 12} years" if months % 12 == 0 and months > 12 and ctx.randint(0, 1) else f"{months} months"
        law = ctx.choice(LAWS)
        pay = f"{ctx.choice((14, 30, 45, 60, 90))} days"
        notice = f"{ctx.choice((15, 30, 60, 90))} days"
        risky = {r: ctx.rng.random() < 0.4 for r in RISKS}

        clauses = [
            ("Term", f"This Agreement starts on {eff} and runs for {term}."),
            ("Renewal", f"It renews automatically for further {ctx.choice((6, 12))}-month periods unless cancelled in "
                        "writing." if risky["automatic renewal"] else
                        "It expires at the end of the term unless renewed in writing."),
            ("Payment", f"Invoices are due within {pay} of receipt."),
            ("Termination", f"{a} may terminate at any time on {notice}' notice; {b} only for material breach."
             if risky["unilateral termination"] else f"Either party may terminate on {notice}' written notice."),
            ("Liability", f"{b}'s liability is unlimited." if risky["unlimited liability"] else
             f"Liability is capped at {ctx.choice((6, 12))} months' fees."),
            ("Governing law", f"Governed by the laws of {law}."),
        ]
        if risky["exclusivity"]:
            clauses.append(("Exclusivity", f"{b} shall not serve competitors of {a} during the term."))
        if ctx.difficulty != "easy":
            years = ctx.choice((2, 3, 5))
            clauses.append(("Confidentiality", f"Confidential information stays secret for {years} years."))
        head_clauses, tail_clauses = clauses[:1], clauses[1:]
        ctx.rng.shuffle(tail_clauses)
        clauses = head_clauses + tail_clauses

        layout = ctx.randint(0, 3)
        title = ctype.upper() if layout != 2 else ctype
        intro = f"Between {a} (Client) and {b} (Provider)."
        if layout == 0:
            body = [f"{i + 1}. {h}. {t}" for i, (h, t) in enumerate(clauses)]
        elif layout == 1:
            body = [f"Section {i + 1} - {h}: {t}" for i, (h, t) in enumerate(clauses)]
        elif layout == 2:
            body = [" ".join(t for _, t in clauses)]
        else:
            body = [f"({chr(97 + i)}) {t}" for i, (_, t) in enumerate(clauses)]
        footer = f"Signed on {signed} by {ctx.fake.name()}." if ctx.difficulty == "hard" else ""

        fields: dict = {"contract_type": ctype, "parties": [a, b], "effective_date": eff, "term": term}
        if ctx.difficulty != "easy":
            fields["governing_law"] = law
            fields["termination_notice"] = notice
        if ctx.difficulty == "hard":
            fields["payment_terms"] = pay
        fields["risks"] = [r for r in RISKS if risky[r]]
        instr = ctx.choice(self.INSTRUCTIONS).format(keys=", ".join(fields))
        prompt = "\n".join((instr, "", title, intro, *body, footer)).rstrip()
        return TrainingExample(prompt=prompt, response=_json(fields),
                               metadata={"fields": fields, "derived": ["risks"], "phrasing": layout})


# =================================================================================================
# resume_parsing
# =================================================================================================

TITLES = (
    "Data Analyst", "Software Engineer", "Product Manager", "Accountant", "Marketing Specialist", "UX Designer",
    "Sales Manager", "HR Generalist", "Project Coordinator", "DevOps Engineer", "Financial Analyst",
    "Customer Success Manager", "Office Manager", "QA Engineer", "Business Analyst", "Content Writer",
    "Logistics Planner", "Research Assistant", "Data Scientist", "Support Engineer",
)
SKILLS = (
    "Python", "SQL", "Excel", "Tableau", "Java", "JavaScript", "Figma", "SAP", "Salesforce", "Docker",
    "Kubernetes", "Power BI", "Git", "Jira", "Scrum", "negotiation", "public speaking", "copywriting", "SEO",
    "German", "Spanish", "French", "R", "AWS", "Linux", "Photoshop", "budgeting", "forecasting", "C++", "Go",
)
DEGREES = ("BSc Computer Science", "BA Economics", "MSc Data Science", "BA Marketing", "MBA", "BSc Mathematics",
           "BEng Mechanical Engineering", "MA Communication", "BSc Business Administration", "MSc Finance")


class ResumeParsingGenerator(Generator):
    name = "resume_parsing"
    task_type = "extraction"
    phrasings = 4

    INSTRUCTIONS = (
        "Parse this resume into JSON with {keys}.",
        "Extract the candidate's details ({keys}) as JSON.",
        "Resume parsing: return the JSON fields {keys}.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        name, email, phone, city = ctx.fake.name(), ctx.fake.email(), ctx.fake.phone_number(), ctx.fake.city()
        skills = ctx.sample(SKILLS, ctx.level(3, 4, ctx.randint(5, 6)))
        n_jobs = ctx.level(1, 2, 3)
        year = ctx.randint(2004, 2016)
        grad = {"degree": ctx.choice(DEGREES),
                "institution": ctx.choice((f"University of {ctx.fake.city()}", f"{ctx.fake.last_name()} University",
                                           f"{ctx.fake.city()} Institute of Technology")),
                "year": str(year)}
        jobs = []
        for j, title in enumerate(ctx.sample(TITLES, n_jobs)):
            start = year + ctx.randint(0, 2)
            last = j == n_jobs - 1
            end = "present" if last and ctx.randint(0, 1) else str(start + ctx.randint(1, 4))
            jobs.append({"title": title, "company": ctx.fake.company(), "years": f"{start}-{end}"})
            year = start + 1 if end == "present" else int(end)
        n_jobs = len(jobs)
        jobs.reverse()  # most recent first, as resumes list them

        layout = ctx.randint(0, 3)
        ref = (ctx.fake.name(), ctx.fake.email()) if ctx.difficulty == "hard" else None
        if layout == 0:
            lines = [name.upper(), f"{city} | {email} | {phone}", "", "EXPERIENCE"]
            lines += [f"{x['title']}, {x['company']} ({x['years']})" for x in jobs]
            lines += ["", "EDUCATION", f"{grad['degree']}, {grad['institution']}, {grad['year']}",
                      "", "SKILLS", ", ".join(skills)]
            if ref:
                lines += ["", "REFERENCES", f"{ref[0]} ({ref[1]})"]
        elif layout == 1:
            lines = [f"# {name}", f"Location: {city}", f"Email: {email}", f"Phone: {phone}", "## Experience"]
            lines += [f"- {x['title']} at {x['company']}, {x['years']}" for x in jobs]
            lines += ["## Education", f"- {grad['degree']}, {grad['institution']} ({grad['year']})",
                      "## Skills", "- " + "; ".join(skills)]
            if ref:
                lines += ["## References", f"- {ref[0]}, {ref[1]}"]
        elif layout == 2:
            exp = " ".join(f"Worked as {x['title']} at {x['company']} ({x['years']})." for x in jobs)
            lines = [f"{name} lives in {city} and can be reached at {email} or {phone}.", exp,
                     f"Holds a {grad['degree']} from {grad['institution']} ({grad['year']}).",
                     f"Skills: {', '.join(skills)}."]
            if ref:
                lines.append(f"Reference available from {ref[0]} at {ref[1]}.")
        else:
            lines = [f"Name: {name} | Email: {email} | Phone: {phone} | City: {city}",
                     "Experience: " + "; ".join(f"{x['title']} @ {x['company']} {x['years']}" for x in jobs),
                     f"Education: {grad['degree']} | {grad['institution']} | {grad['year']}",
                     "Skills: " + " / ".join(skills)]
            if ref:
                lines.append(f"Referee: {ref[0]} | {ref[1]}")
        fields: dict = {"name": name, "email": email, "phone": phone, "location": city, "skills": skills}
        if ctx.difficulty != "easy":
            fields["education"] = grad
            fields["experience"] = jobs
        instr = ctx.choice(self.INSTRUCTIONS).format(keys=", ".join(fields))
        prompt = instr + "\n\n" + "\n".join(lines)
        return TrainingExample(prompt=prompt, response=_json(fields), metadata={"fields": fields, "phrasing": layout})


document_extraction = Specialist("document_extraction", DocumentExtractionGenerator)
invoice_processing = Specialist("invoice_processing", InvoiceProcessingGenerator)
contract_analysis = Specialist("contract_analysis", ContractAnalysisGenerator)
resume_parsing = Specialist("resume_parsing", ResumeParsingGenerator)
