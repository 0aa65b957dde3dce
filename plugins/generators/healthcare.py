"""Generators for the ``healthcare`` category: medical_qa, clinical_ner.

Everything here is synthetic practice material, not medical advice.

* medical_qa: clinical arithmetic (weight-based dosing, liquid volumes, BMI category, unit
  conversions, infusion rates). Every factor and cut-off the answer needs is stated in the prompt,
  and the answer is computed exactly (``Fraction``) from the prompt's values with round-half-up.
* clinical_ner: a short synthetic note assembled from curated term lists; the gold fields are the
  terms placed in the note, in order of mention.
"""

from __future__ import annotations

import json
from fractions import Fraction

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist


def round_half_up(x: Fraction | int, places: int = 0) -> Fraction:
    """Round an exact value to ``places`` decimals, halves away from zero."""
    x = Fraction(x)
    scale = Fraction(10) ** places
    scaled = abs(x) * scale
    n = int(scaled)
    if scaled - n >= Fraction(1, 2):
        n += 1
    return Fraction(n if x >= 0 else -n) / scale


def fmt_num(x: Fraction | int | float, places: int = 2) -> str:
    """Plain decimal text: ``12``, ``12.5``, ``0.25`` (no trailing zeros, no thousands separator)."""
    x = round_half_up(Fraction(x), places)
    if x.denominator == 1:
        return str(x.numerator)
    text = f"{float(x):.{places}f}".rstrip("0").rstrip(".")
    return text


# -- medical_qa ------------------------------------------------------------------------------------

DRUGS = ("Drug A", "Drug B", "Drug C", "Drug X", "Drug Y", "Drug Z", "Compound K", "Agent M")
BMI_CATEGORIES = ((Fraction(185, 10), "underweight"), (Fraction(25), "normal weight"), (Fraction(30), "overweight"))
NOTICE = (
    "Synthetic practice problem (not medical advice).\n{body}",
    "{body}\n(Made-up exercise for arithmetic practice only; not medical advice.)",
    "Practice question with fictional data, no medical advice: {body}",
    "Clinical math drill - fictional patient, not medical advice.\n{body}\nShow your steps.",
    "[Synthetic training item, not medical advice]\n{body}",
)


def bmi_category(bmi: Fraction) -> str:
    for cut, name in BMI_CATEGORIES:
        if bmi < cut:
            return name
    return "obese"


BMI_RULE = "Categories: under 18.5 underweight, 18.5-24.9 normal weight, 25-29.9 overweight, 30 or more obese."


class MedicalQAGenerator(Generator):
    name = "medical_qa"
    task_type = "reasoning"
    phrasings = len(NOTICE)

    KINDS = ("dose", "volume", "bmi", "convert", "infusion")

    def example(self, ctx: GenContext) -> TrainingExample:
        kind = ctx.choice(self.KINDS)
        who = f"{ctx.fake.first_name()} {ctx.fake.last_name()}"
        body, steps, answer, numeric = getattr(self, f"_{kind}")(ctx, who)
        k = ctx.randint(0, len(NOTICE) - 1)
        prompt = NOTICE[k].format(body=body)
        response = "\n".join(steps + [f"Answer: {answer}"])
        meta = {"answer": answer, "kind": kind, "phrasing": k}
        if numeric is not None:
            meta["numeric_answer"] = float(numeric)
        return TrainingExample(prompt=prompt, response=response, metadata=meta)

    # each returns (prompt body, steps, answer text, numeric value or None)

    def _dose(self, ctx: GenContext, who: str):
        drug = ctx.choice(DRUGS)
        per_kg = Fraction(ctx.choice(("2", "2.5", "4", "5", "7.5", "10", "12.5", "15", "20")))
        if ctx.difficulty == "hard" and ctx.rng.random() < 0.5:
            lb = ctx.randint(22, 240)
            kg = round_half_up(Fraction(lb) * Fraction("0.4536"), 1)
            dose = round_half_up(kg * per_kg, 0)
            body = (f"{who} weighs {lb} lb. {drug} is dosed at {fmt_num(per_kg)} mg/kg per dose. "
                    f"Convert with 1 lb = 0.4536 kg (round kg to 1 decimal), then give one dose in mg, "
                    f"rounded to the nearest mg.")
            steps = [f"Weight = {lb} x 0.4536 = {fmt_num(kg, 1)} kg",
                     f"Dose = {fmt_num(kg, 1)} x {fmt_num(per_kg)} = {fmt_num(dose)} mg"]
            return body, steps, fmt_num(dose), dose
        kg = ctx.randint(8, 110)
        single = kg * per_kg
        if ctx.difficulty == "easy":
            body = f"{who} weighs {kg} kg. {drug} is given at {fmt_num(per_kg)} mg/kg. What is one dose in mg?"
            steps = [f"Dose = {kg} x {fmt_num(per_kg)} = {fmt_num(single)} mg"]
            return body, steps, fmt_num(single), single
        times = ctx.randint(2, 4)
        daily = single * times
        if ctx.difficulty == "medium":
            body = (f"{who} weighs {kg} kg. {drug} is {fmt_num(per_kg)} mg/kg per dose, {times} times a day. "
                    f"What is the total daily dose in mg?")
            steps = [f"One dose = {kg} x {fmt_num(per_kg)} = {fmt_num(single)} mg",
                     f"Daily = {fmt_num(single)} x {times} = {fmt_num(daily)} mg"]
            return body, steps, fmt_num(daily), daily
        cap = ctx.choice((1000, 1200, 1500, 2000, 2400, 3000, 4000))
        final = min(daily, Fraction(cap))
        body = (f"{who} weighs {kg} kg. {drug} is {fmt_num(per_kg)} mg/kg per dose, {times} times a day, "
                f"with a maximum of {cap} mg per day. What total daily dose in mg is given?")
        steps = [f"One dose = {kg} x {fmt_num(per_kg)} = {fmt_num(single)} mg",
                 f"Daily = {fmt_num(single)} x {times} = {fmt_num(daily)} mg",
                 (f"{fmt_num(daily)} > {cap}, so the cap applies" if daily > cap
                  else f"{fmt_num(daily)} <= {cap}, within the limit")]
        return body, steps, fmt_num(final), final

    def _volume(self, ctx: GenContext, who: str):
        drug = ctx.choice(DRUGS)
        conc_mg, conc_ml = ctx.choice(((100, 5), (125, 5), (160, 5), (200, 5), (250, 5), (40, 1), (50, 1), (100, 1)))
        if ctx.difficulty == "easy":
            dose = Fraction(ctx.randint(4, 80) * 5)
            body = (f"An oral suspension of {drug} contains {conc_mg} mg per {conc_ml} mL. "
                    f"How many mL deliver {fmt_num(dose)} mg? Round to 1 decimal.")
            steps = []
        else:
            kg = ctx.randint(6, 60)
            per_kg = Fraction(ctx.choice(("5", "7.5", "10", "15")))
            dose = kg * per_kg
            body = (f"{who} weighs {kg} kg and needs {fmt_num(per_kg)} mg/kg of {drug}. The suspension has "
                    f"{conc_mg} mg per {conc_ml} mL. What volume in mL is one dose? Round to 1 decimal.")
            steps = [f"Dose = {kg} x {fmt_num(per_kg)} = {fmt_num(dose)} mg"]
        vol = round_half_up(dose * conc_ml / conc_mg, 1)
        steps.append(f"Volume = {fmt_num(dose)} x {conc_ml} / {conc_mg} = {fmt_num(vol, 1)} mL")
        return body, steps, fmt_num(vol, 1), vol

    def _bmi(self, ctx: GenContext, who: str):
        if ctx.difficulty == "hard":
            lb = ctx.randint(90, 300)
            inches = ctx.randint(58, 77)
            bmi = round_half_up(Fraction(703 * lb, inches * inches), 1)
            body = (f"{who} weighs {lb} lb and is {inches} inches tall. Use BMI = 703 x lb / in^2, rounded to 1 "
                    f"decimal. {BMI_RULE} Which category applies?")
            steps = [f"BMI = 703 x {lb} / {inches}^2 = {fmt_num(bmi, 1)}"]
        else:
            kg = ctx.randint(40, 135)
            cm = ctx.randint(148, 198)
            bmi = round_half_up(Fraction(kg * 10000, cm * cm), 1)
            body = (f"{who} weighs {kg} kg and is {cm} cm tall. BMI = kg / m^2, rounded to 1 decimal. "
                    f"{BMI_RULE} What is the BMI category?")
            steps = [f"Height = {fmt_num(Fraction(cm, 100))} m",
                     f"BMI = {kg} / {fmt_num(Fraction(cm, 100))}^2 = {fmt_num(bmi, 1)}"]
        cat = bmi_category(bmi)
        steps.append(f"{fmt_num(bmi, 1)} falls in {cat}")
        return body, steps, cat, None

    def _convert(self, ctx: GenContext, who: str):
        if ctx.difficulty == "hard":  # convert a change between two readings
            if ctx.rng.random() < 0.5:
                a, b = ctx.sample(range(90, 300), 2)
                factor, src, dst, rule, op = Fraction("0.4536"), "lb", "kg", "1 lb = 0.4536 kg", "x 0.4536"
                what = "weight"
            else:
                a, b = ctx.sample(range(60, 400), 2)
                factor, src, dst, rule, op = Fraction(1, 18), "mg/dL", "mmol/L", "1 mmol/L = 18 mg/dL", "/ 18"
                what = "glucose"
            diff = abs(a - b)
            out = round_half_up(diff * factor, 1)
            body = (f"{who}'s {what} changed from {a} {src} to {b} {src}. Using {rule}, by how many {dst} did it "
                    f"change? Round to 1 decimal.")
            steps = [f"Change = |{a} - {b}| = {diff} {src}", f"{diff} {op} = {fmt_num(out, 1)} {dst}"]
            return body, steps, fmt_num(out, 1), out
        sub = ctx.choice(("lb_kg", "f_c", "glucose", "in_cm", "mcg_mg"))
        if sub == "lb_kg":
            v = ctx.randint(20, 320)
            out = round_half_up(v * Fraction("0.4536"), 1)
            body = f"Convert {who}'s weight of {v} lb to kg (1 lb = 0.4536 kg). Round to 1 decimal."
            steps = [f"{v} x 0.4536 = {fmt_num(out, 1)} kg"]
        elif sub == "f_c":
            v = Fraction(ctx.randint(950, 1060), 10)
            out = round_half_up((v - 32) * Fraction(5, 9), 1)
            body = f"{who}'s temperature is {fmt_num(v, 1)} F. Convert to Celsius with C = (F - 32) x 5/9, rounded to 1 decimal."
            steps = [f"({fmt_num(v, 1)} - 32) x 5/9 = {fmt_num(out, 1)} C"]
        elif sub == "glucose":
            v = ctx.randint(55, 400)
            out = round_half_up(Fraction(v, 18), 1)
            body = f"A glucose reading for {who} is {v} mg/dL. Convert to mmol/L using 1 mmol/L = 18 mg/dL; round to 1 decimal."
            steps = [f"{v} / 18 = {fmt_num(out, 1)} mmol/L"]
        elif sub == "in_cm":
            v = ctx.randint(20, 80)
            out = round_half_up(v * Fraction("2.54"), 1)
            body = f"{who} is {v} inches tall. Convert to cm (1 in = 2.54 cm), 1 decimal."
            steps = [f"{v} x 2.54 = {fmt_num(out, 1)} cm"]
        else:
            v = ctx.randint(1, 400) * 25
            out = Fraction(v, 1000)
            body = f"A tablet for {who} contains {v} mcg. How many mg is that? (1 mg = 1000 mcg)"
            steps = [f"{v} / 1000 = {fmt_num(out, 3)} mg"]
            return body, steps, fmt_num(out, 3), out
        return body, steps, fmt_num(out, 1), out

    def _infusion(self, ctx: GenContext, who: str):
        vol = ctx.choice((250, 500, 750, 1000, 1500, 2000)) if ctx.difficulty != "easy" else ctx.randint(2, 40) * 25
        hours = ctx.randint(2, 12)
        if ctx.difficulty == "hard":
            factor = ctx.choice((10, 15, 20, 60))
            drops = round_half_up(Fraction(vol * factor, hours * 60), 0)
            body = (f"{who} is to receive {vol} mL over {hours} h with a giving set of {factor} drops/mL. "
                    f"What is the drip rate in drops per minute (nearest whole drop)?")
            steps = [f"Minutes = {hours} x 60 = {hours * 60}",
                     f"Rate = {vol} x {factor} / {hours * 60} = {fmt_num(drops)} drops/min"]
            return body, steps, fmt_num(drops), drops
        rate = round_half_up(Fraction(vol, hours), 1)
        body = f"{who} needs {vol} mL of fluid infused over {hours} hours. What pump rate in mL/h is that? Round to 1 decimal."
        steps = [f"Rate = {vol} / {hours} = {fmt_num(rate, 1)} mL/h"]
        return body, steps, fmt_num(rate, 1), rate


# -- clinical_ner ----------------------------------------------------------------------------------

CONDITIONS = (
    "hypertension", "type 2 diabetes", "asthma", "atrial fibrillation", "chronic kidney disease",
    "hypothyroidism", "COPD", "pneumonia", "migraine", "osteoarthritis", "GERD", "iron deficiency anemia",
    "heart failure", "hyperlipidemia", "major depressive disorder", "urinary tract infection", "cellulitis",
    "gout", "rheumatoid arthritis",
)
# medication -> (typical dosages, conditions it is prescribed for)
MEDICATIONS = (
    ("metformin", ("500 mg", "850 mg", "1000 mg"), ("type 2 diabetes",)),
    ("lisinopril", ("5 mg", "10 mg", "20 mg"), ("hypertension", "heart failure", "chronic kidney disease")),
    ("atorvastatin", ("20 mg", "40 mg", "80 mg"), ("hyperlipidemia",)),
    ("levothyroxine", ("50 mcg", "75 mcg", "100 mcg"), ("hypothyroidism",)),
    ("amoxicillin", ("250 mg", "500 mg"), ("pneumonia",)),
    ("albuterol", ("90 mcg", "180 mcg"), ("asthma", "COPD")),
    ("omeprazole", ("20 mg", "40 mg"), ("GERD",)),
    ("warfarin", ("2 mg", "5 mg"), ("atrial fibrillation",)),
    ("furosemide", ("20 mg", "40 mg"), ("heart failure",)),
    ("sertraline", ("50 mg", "100 mg"), ("major depressive disorder",)),
    ("allopurinol", ("100 mg", "300 mg"), ("gout",)),
    ("ibuprofen", ("400 mg", "600 mg"), ("osteoarthritis",)),
    ("apixaban", ("2.5 mg", "5 mg"), ("atrial fibrillation",)),
    ("metoprolol", ("25 mg", "50 mg"), ("hypertension", "atrial fibrillation")),
    ("prednisone", ("10 mg", "20 mg"), ("rheumatoid arthritis", "COPD")),
    ("cephalexin", ("500 mg",), ("cellulitis", "urinary tract infection")),
    ("sumatriptan", ("50 mg", "100 mg"), ("migraine",)),
    ("amlodipine", ("5 mg", "10 mg"), ("hypertension",)),
    ("ferrous sulfate", ("325 mg",), ("iron deficiency anemia",)),
    ("nitrofurantoin", ("100 mg",), ("urinary tract infection",)),
)
PROCEDURES = (
    "chest X-ray", "echocardiogram", "colonoscopy", "appendectomy", "knee arthroscopy",
    "cardiac catheterization", "CT scan of the abdomen", "MRI of the brain", "upper endoscopy",
    "skin biopsy", "spirometry", "cataract surgery", "electrocardiogram", "renal ultrasound",
)
FREQUENCIES = ("daily", "twice daily", "at night", "every morning", "three times daily")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class ClinicalNERGenerator(Generator):
    name = "clinical_ner"
    task_type = "extraction"
    phrasings = 4

    TEMPLATES = (
        "Extract the conditions, medications, dosages and procedures from this synthetic clinical note as JSON.\nNote: {note}",
        "Clinical note (synthetic): {note}\nReturn JSON with keys condition, medication, dosage, procedure (lists, in order of mention).",
        "Identify the medical entities in the note below. Output JSON lists for condition, medication, dosage and procedure.\n{note}",
        "Note: {note}\nTag every condition, medication, dosage and procedure; answer as JSON.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        n_cond = ctx.level(1, 2, ctx.randint(2, 3))
        n_med = ctx.level(1, 2, 3)
        n_proc = ctx.level(ctx.randint(0, 1), 1, ctx.randint(1, 2))
        conds = ctx.sample(CONDITIONS, n_cond)
        picked = ctx.sample(MEDICATIONS, n_med)
        tied = None
        if ctx.rng.random() < 0.5:  # one medication is linked to the condition it treats
            tied = conds[0]
            chosen = ctx.choice([m for m in MEDICATIONS if tied in m[2]])
            if chosen in picked:
                picked.remove(chosen)
            else:
                picked.pop()
            picked.insert(0, chosen)
        meds = [(m, ctx.choice(doses)) for m, doses, _ in picked]
        procs = ctx.sample(PROCEDURES, n_proc)

        # each sentence: (text, [(field, value), ...] in order of mention)
        sentences: list[tuple[str, list[tuple[str, str]]]] = []
        plain = [c for c in conds if c != tied]
        if plain:
            opener = ctx.choice(("History of", "Past medical history includes", "Known", "Diagnosed with"))
            sentences.append((f"{opener} {_join(plain)}.", [("condition", c) for c in plain]))
        for i, (m, d) in enumerate(meds):
            freq = ctx.choice(FREQUENCIES)
            if i == 0 and tied is not None:
                text = ctx.choice(("Started {m} {d} {f} for {c}.", "Prescribed {m} {d} {f} for {c}."))
                sentences.append((text.format(m=m, d=d, f=freq, c=tied),
                                  [("medication", m), ("dosage", d), ("condition", tied)]))
            else:
                text = ctx.choice(("Takes {m} {d} {f}.", "Continue {m} {d} {f}.", "On {m} {d} {f}."))
                sentences.append((text.format(m=m, d=d, f=freq), [("medication", m), ("dosage", d)]))
        for p in procs:
            text = ctx.choice(("Underwent {p} in {y}.", "Scheduled for {p} next week.", "Plan: {p}.", "Prior {p} was unremarkable."))
            sentences.append((text.format(p=p, y=ctx.randint(2005, 2023)), [("procedure", p)]))
        ctx.rng.shuffle(sentences)

        age, sex = ctx.randint(19, 92), ctx.choice(("male", "female"))
        intro = ctx.choice((f"{age}-year-old {sex} seen on {ctx.randint(1, 28)}/{ctx.randint(1, 12)}.",
                            f"Pt {ctx.fake.last_name()}, {age} y/o {sex}.",
                            f"{age} yo {sex} presenting for follow-up."))
        parts = [intro] + [s for s, _ in sentences]
        if ctx.difficulty == "hard":  # vital-sign numbers are not dosages
            vitals = f"BP {ctx.randint(100, 170)}/{ctx.randint(60, 100)}, HR {ctx.randint(55, 110)}."
            parts.insert(ctx.randint(1, len(parts)), vitals)
        note = " ".join(parts)

        fields: dict[str, list[str]] = {"condition": [], "medication": [], "dosage": [], "procedure": []}
        for _, ents in sentences:
            for key, value in ents:
                fields[key].append(value)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        return TrainingExample(
            prompt=self.TEMPLATES[k].format(note=note),
            response=json.dumps(fields, ensure_ascii=False),
            metadata={"fields": fields, "phrasing": k},
        )


medical_qa = Specialist("medical_qa", MedicalQAGenerator)
clinical_ner = Specialist("clinical_ner", ClinicalNERGenerator)
