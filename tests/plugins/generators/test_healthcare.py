"""Content tests for the healthcare generators (medical_qa, clinical_ner)."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


from simplex_training.plugins.generators.healthcare import (
    CONDITIONS,
    MEDICATIONS,
    PROCEDURES,
    ClinicalNERGenerator,
    MedicalQAGenerator,
)
from simplex_training.testing import sample_each_difficulty


def _sample(gen_cls: type, n: int = 300, seed: int = 5) -> list[Any]:
    return sample_each_difficulty(gen_cls(), n, seed)


# -- medical_qa: recompute every answer from the numbers in the prompt -----------------------------


def q(x: Decimal, places: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def nums(pattern: str, text: str) -> list[Decimal]:
    m = re.search(pattern, text)
    assert m, f"{pattern!r} not in {text!r}"
    return [Decimal(g) for g in m.groups()]


BMI_CUTS = ((Decimal("18.5"), "underweight"), (Decimal("25"), "normal weight"), (Decimal("30"), "overweight"))


def bmi_category(bmi: Decimal) -> str:
    for cut, name in BMI_CUTS:
        if bmi < cut:
            return name
    return "obese"


def recompute(prompt: str) -> Decimal | str:
    """An independent solver for every medical_qa question form."""
    if "BMI" in prompt:
        if " lb and is " in prompt:
            lb, inches = nums(r"weighs (\d+) lb and is (\d+) inches", prompt)
            bmi = q(Decimal(703) * lb / (inches * inches), 1)
        else:
            kg, cm = nums(r"weighs (\d+) kg and is (\d+) cm", prompt)
            bmi = q(kg / ((cm / 100) ** 2), 1)
        return bmi_category(bmi)
    if "drops/mL" in prompt:
        vol, hours, factor = nums(r"receive (\d+) mL over (\d+) h with a giving set of (\d+) drops/mL", prompt)
        return q(vol * factor / (hours * 60), 0)
    if "mL of fluid infused" in prompt:
        vol, hours = nums(r"needs (\d+) mL of fluid infused over (\d+) hours", prompt)
        return q(vol / hours, 1)
    if "suspension" in prompt:
        if "weighs" in prompt:
            kg, per_kg = nums(r"weighs (\d+) kg and needs ([\d.]+) mg/kg", prompt)
            dose = kg * per_kg
        else:
            (dose,) = nums(r"How many mL deliver ([\d.]+) mg", prompt)
        mg, ml = nums(r"(\d+) mg per (\d+) mL", prompt)
        return q(dose * ml / mg, 1)
    if "changed from" in prompt:
        a, b = nums(r"changed from (\d+) \S+ to (\d+) ", prompt)
        diff = abs(a - b)
        return q(diff * Decimal("0.4536"), 1) if "weight" in prompt else q(diff / 18, 1)
    if "lb to kg" in prompt:
        (v,) = nums(r"weight of (\d+) lb", prompt)
        return q(v * Decimal("0.4536"), 1)
    if "Convert to Celsius" in prompt:
        (v,) = nums(r"temperature is ([\d.]+) F", prompt)
        return q((v - 32) * 5 / 9, 1)
    if "mg/dL. Convert" in prompt:
        (v,) = nums(r"is (\d+) mg/dL", prompt)
        return q(v / 18, 1)
    if "inches tall. Convert" in prompt:
        (v,) = nums(r"is (\d+) inches tall", prompt)
        return q(v * Decimal("2.54"), 1)
    if "mcg" in prompt:
        (v,) = nums(r"contains (\d+) mcg", prompt)
        return v / 1000
    # weight-based dosing
    if " lb. " in prompt:
        lb, per_kg = nums(r"weighs (\d+) lb\. .* dosed at ([\d.]+) mg/kg", prompt)
        return q(q(lb * Decimal("0.4536"), 1) * per_kg, 0)
    kg, per_kg = nums(r"weighs (\d+) kg\. .* (?:at|is) ([\d.]+) mg/kg", prompt)
    single = kg * per_kg
    if "times a day" not in prompt:
        return single
    (times,) = nums(r"(\d+) times a day", prompt)
    daily = single * times
    if "maximum of" in prompt:
        (cap,) = nums(r"maximum of (\d+) mg", prompt)
        return min(daily, cap)
    return daily


def test_medical_qa_answers_recomputed_from_prompt() -> None:
    kinds = set()
    for ex in _sample(MedicalQAGenerator):
        kinds.add(ex.metadata["kind"])
        expected = recompute(ex.prompt)
        assert ex.response.splitlines()[-1] == f"Answer: {ex.metadata['answer']}"
        if isinstance(expected, str):
            assert ex.metadata["answer"] == expected, ex.prompt
            assert "numeric_answer" not in ex.metadata
        else:
            assert Decimal(ex.metadata["answer"]) == expected, (ex.prompt, ex.response)
            assert abs(ex.metadata["numeric_answer"] - float(expected)) < 1e-9
    assert kinds == {"dose", "volume", "bmi", "convert", "infusion"}


def test_medical_qa_is_marked_synthetic_not_advice() -> None:
    for ex in _sample(MedicalQAGenerator, n=100):
        low = ex.prompt.lower()
        assert "not medical advice" in low or "no medical advice" in low
        assert "synthetic" in low or "made-up" in low or "fictional" in low


def test_medical_qa_bmi_categories_all_reached() -> None:
    cats = {ex.metadata["answer"] for ex in _sample(MedicalQAGenerator) if ex.metadata["kind"] == "bmi"}
    assert cats == {"underweight", "normal weight", "overweight", "obese"}


def test_medical_qa_difficulty_changes_the_problem() -> None:
    gen = MedicalQAGenerator()
    easy = [ex for ex in gen.generate(300, seed=1, difficulty="easy") if ex.metadata["kind"] == "dose"]
    hard = [ex for ex in gen.generate(300, seed=1, difficulty="hard") if ex.metadata["kind"] == "dose"]
    assert easy and hard
    assert all("times a day" not in ex.prompt for ex in easy)  # a single dose
    assert all("maximum" in ex.prompt or " lb. " in ex.prompt for ex in hard)  # a cap or a unit conversion
    steps = lambda exs: sum(len(e.response.splitlines()) for e in exs) / len(exs)  # noqa: E731
    assert steps(hard) > steps(easy)


# -- clinical_ner ---------------------------------------------------------------------------------

MED_NAMES = tuple(m for m, _, _ in MEDICATIONS)


def test_clinical_ner_fields_match_note() -> None:
    for ex in _sample(ClinicalNERGenerator):
        fields = json.loads(ex.response)
        assert fields == ex.metadata["fields"]
        assert list(fields) == ["condition", "medication", "dosage", "procedure"]
        note = ex.prompt
        # every value is in the note, in order of mention
        for key, values in fields.items():
            pos = -1
            for v in values:
                nxt = note.find(v, pos + 1)
                assert nxt > pos, f"{key} {v!r} missing or out of order in {note!r}"
                pos = nxt
        # each medication is written with its dosage
        assert len(fields["medication"]) == len(fields["dosage"])
        for med, dose in zip(fields["medication"], fields["dosage"]):
            assert f"{med} {dose}" in note
            allowed = next(d for m, d, _ in MEDICATIONS if m == med)
            assert dose in allowed
        # nothing from the term lists is left out
        for term in CONDITIONS:
            assert (term in note) == (term in fields["condition"]), term
        for term in MED_NAMES:
            assert (term in note) == (term in fields["medication"]), term
        for term in PROCEDURES:
            assert (term in note) == (term in fields["procedure"]), term


def test_clinical_ner_linked_medication_treats_condition() -> None:
    seen = 0
    for ex in _sample(ClinicalNERGenerator):
        for m in re.finditer(r"(?:Started|Prescribed) ([a-z ]+?) \d[\d.]* m?c?g [a-z ]+? for ([^.]+)\.", ex.prompt):
            med, cond = m.group(1), m.group(2)
            indications = next(ind for name, _, ind in MEDICATIONS if name == med)
            assert cond in indications, (med, cond)
            seen += 1
    assert seen > 50


def test_clinical_ner_difficulty_changes_entity_count() -> None:
    gen = ClinicalNERGenerator()

    def mean_entities(d: str) -> float:
        exs = list(gen.generate(200, seed=2, difficulty=d))
        return sum(sum(len(v) for v in e.metadata["fields"].values()) for e in exs) / len(exs)

    assert mean_entities("easy") < mean_entities("medium") < mean_entities("hard")
    hard = list(gen.generate(50, seed=2, difficulty="hard"))
    assert all(re.search(r"BP \d+/\d+", e.prompt) for e in hard)  # vital-sign distractors
