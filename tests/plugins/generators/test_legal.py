"""The legal generators: rule applications recomputed from the dates / amounts in the prompt,
contract fields grounded in the text, compliance labels re-derived from the stated limits."""

import calendar
import json
import re
import statistics
from datetime import date, timedelta

import pytest

from simplex_training.pluginmanager import get_host

DIFFS = ["easy", "medium", "hard"]
MONTHS = {m: i for i, m in enumerate(calendar.month_name) if m}


def gen(sid):
    return get_host().registry("generators")[sid]


def dates_in(text: str) -> list[date]:
    """Every date in ``text`` (ISO, 'March 5, 2024' or '5 March 2024'), in order of appearance."""
    found = []
    pat = re.compile(r"(\d{4})-(\d{2})-(\d{2})|([A-Z][a-z]+) (\d{1,2}), (\d{4})|(\d{1,2}) ([A-Z][a-z]+) (\d{4})")
    for m in pat.finditer(text):
        if m.group(1):
            found.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        elif m.group(4) in MONTHS:
            found.append(date(int(m.group(6)), MONTHS[m.group(4)], int(m.group(5))))
        elif m.group(8) in MONTHS:
            found.append(date(int(m.group(9)), MONTHS[m.group(8)], int(m.group(7))))
    return found


def plus_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    last = calendar.monthrange(d.year + y, m + 1)[1]
    return date(d.year + y, m + 1, min(d.day, last))


# -- legal_analysis -------------------------------------------------------------------------------

def solve_legal(prompt: str, kind: str) -> str:
    ds = dates_in(prompt)
    if kind == "notice":
        n = int(re.search(r"at least (\d+) days' written notice", prompt).group(1))
        lag = re.search(r"counts as received (\d+) days after posting", prompt)
        start = ds[0] + timedelta(days=int(lag.group(1)) if lag else 0)
        days = (ds[1] - start).days
        return f"{'yes' if days >= n else 'no'} ({days} days)"
    if kind == "limitation":
        event, filed = ds[0], ds[1]
        m = re.search(r"within (\d+) (days|years?|months) of", prompt)
        n, unit = int(m.group(1)), m.group(2)
        if unit == "days":
            deadline = event + timedelta(days=n)
        elif unit.startswith("year"):
            deadline = event.replace(year=event.year + n)
        else:
            deadline = plus_months(event, n)
        pause = re.search(r"spent (\d+) days in mediation", prompt)
        if pause:
            deadline += timedelta(days=int(pause.group(1)))
        return f"{'yes' if filed <= deadline else 'no'} (deadline {deadline.isoformat()})"
    if kind == "age":
        a = int(re.search(r"at least (\d+) years old", prompt).group(1))
        birth, on = ds[0], ds[1]  # born ..., completed ... on ...; the application date is a distractor
        age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
        return f"{'yes' if age >= a else 'no'} (age {age})"
    if kind == "small_claims":
        limit = float(re.search(r"claims of up to \$([\d,]+\.\d\d)", prompt).group(1).replace(",", ""))
        claims = re.search(r"claims: (.+?)\.(?:\n|$)", prompt, re.M).group(1)
        cents = 0
        for what, amt in re.findall(r"([a-z ]+) \$([\d,]+\.\d\d)", claims):
            if "court fees are not counted" in prompt and "court" in what:
                continue
            cents += round(float(amt.replace(",", "")) * 100)
        total = cents / 100
        return f"{'yes' if cents <= round(limit * 100) else 'no'} (${total:,.2f})"
    raise AssertionError(kind)


@pytest.mark.parametrize("difficulty", DIFFS)
def test_legal_answer_recomputed_from_the_prompt(difficulty):
    decisions = []
    for ex in gen("legal_analysis").generate(400, seed=2, difficulty=difficulty):
        kind = ex.metadata["case"]["kind"]
        want = solve_legal(ex.prompt, kind)
        assert ex.metadata["answer"] == want, (ex.prompt, ex.response)
        assert ex.response.endswith(f"\nAnswer: {want}")
        assert ex.metadata["decision"] == want.split()[0]
        decisions.append(want.split()[0])
    assert 0.3 < decisions.count("yes") / len(decisions) < 0.7  # not a constant answer


def test_legal_hard_has_distractors_and_extra_steps():
    g = gen("legal_analysis")
    for ex in g.generate(200, seed=3, difficulty="hard"):
        kind = ex.metadata["case"]["kind"]
        if kind in ("notice", "age"):
            assert len(dates_in(ex.prompt)) == 3  # one date that the rule does not use
        if kind == "small_claims":
            assert "court filing fee" in ex.prompt
    steps = {d: statistics.mean(e.response.count("\n") for e in g.generate(200, seed=3, difficulty=d)) for d in DIFFS}
    assert steps["easy"] < steps["hard"]


# -- contract_review ------------------------------------------------------------------------------

FIELDS = {
    "easy": ["parties", "effective_date", "term_months"],
    "medium": ["parties", "effective_date", "term_months", "governing_law", "termination_notice_days"],
    "hard": ["parties", "effective_date", "term_months", "governing_law", "termination_notice_days",
             "payment_terms_days"],
}


@pytest.mark.parametrize("difficulty", DIFFS)
def test_contract_fields_are_read_from_the_text(difficulty):
    for ex in gen("contract_review").generate(300, seed=4, difficulty=difficulty):
        fields = json.loads(ex.response)
        assert fields == ex.metadata["fields"]
        assert list(fields) == FIELDS[difficulty]
        assert ", ".join(FIELDS[difficulty]) in ex.prompt  # the requested keys are named
        p = ex.prompt
        a, b = fields["parties"]
        assert a != b and a in p and b in p
        assert dates_in(fields["effective_date"]) and fields["effective_date"] in p
        assert dates_in(p)[0] == dates_in(fields["effective_date"])[0]
        assert re.search(rf"\b{fields['term_months']} months\b|Term: {fields['term_months']} months", p)
        if "governing_law" in fields:
            assert re.search(rf"laws of (the [A-Za-z ]+ of )?{re.escape(fields['governing_law'])}\.|"
                             rf"Governing law: (the [A-Za-z ]+ of )?{re.escape(fields['governing_law'])}\.", p)
        if "termination_notice_days" in fields:
            assert re.search(rf"\b{fields['termination_notice_days']} days'", p)
        if "payment_terms_days" in fields:
            n = fields["payment_terms_days"]
            assert re.search(rf"within {n} days of receipt|net {n} days|invoice within {n} days", p)
        if difficulty == "hard":  # distractor clauses with other numbers
            assert re.search(r"survive for|capped at|renews automatically|Schedule [ABC]", p)


# -- compliance_check -----------------------------------------------------------------------------

def money(s: str) -> float:
    return float(s.replace("$", "").replace(",", ""))


def breaches_from_prompt(p: str) -> int:
    bad = 0
    if "Expense policy" in p:
        meal = money(re.search(r"meals may not exceed (\$[\d,.]+?) each", p).group(1))
        appr = re.search(r"above (\$[\d,.]+?) needs manager approval", p)
        rcpt = re.search(r"expenses above (\$[\d,.]+?) need a receipt", p)
        for cat, amt, extra in re.findall(r"^- ([a-z ]+): (\$[\d,]+\.\d\d)(.*)$", p, re.M):
            x = money(amt)
            bad += cat == "meal" and x > meal
            bad += bool(appr) and x > money(appr.group(1)) and "approved: no" in extra
            bad += bool(rcpt) and x > money(rcpt.group(1)) and "receipt: no" in extra
    elif "Travel policy" in p:
        hours = int(re.search(r"flights shorter than (\d+) hours", p).group(1))
        h, m, cls = re.search(r"flight duration (\d+)h (\d+)m, (\w+) class", p).groups()
        bad += int(h) * 60 + int(m) < hours * 60 and cls != "economy"
        rate = re.search(r"hotel rates may not exceed (\$[\d,.]+?) per night", p)
        if rate:
            bad += money(re.search(r"hotel (\$[\d,.]+?) per night", p).group(1)) > money(rate.group(1))
        adv = re.search(r"at least (\d+) days before departure", p)
        if adv:
            booked, depart = dates_in(p)
            bad += (depart - booked).days < int(adv.group(1))
    else:
        months = int(re.search(r"within (\d+) months of account closure", p).group(1))
        audit = dates_in(re.search(r"Audit on (\S+):", p).group(1))[0]
        hold_exempt = "legal hold are exempt" in p
        for closed, status, hold in re.findall(r"closed (\S+), (still stored|deleted)(, legal hold)?", p):
            if status == "still stored" and not (hold and hold_exempt):
                bad += plus_months(dates_in(closed)[0], months) < audit
    return bad


@pytest.mark.parametrize("difficulty", DIFFS)
def test_compliance_label_follows_the_stated_limits(difficulty):
    for ex in gen("compliance_check").generate(400, seed=5, difficulty=difficulty):
        label = ex.metadata["label"]
        bad = breaches_from_prompt(ex.prompt)
        assert bad == (1 if label == "non_compliant" else 0), (label, ex.prompt)
        checks, verdict = ex.response.split("\nVerdict: ")
        assert checks.startswith("Checks:\n") and verdict.startswith(f"{label}\nReason: ")
        # the worked checks find the same breaches as the prompt's own rules
        assert checks.count(" -> breach") == bad and checks.count(" -> ") == checks.count("\n- ")
        if label == "non_compliant":
            # the reason quotes values from the prompt
            for amt in re.findall(r"\$[\d,]+\.\d\d", ex.response):
                assert amt in ex.prompt


def test_compliance_hard_uses_exceptions_and_more_rules():
    g = gen("compliance_check")
    exceptions = 0
    for ex in g.generate(300, seed=6, difficulty="hard"):
        if ex.metadata["label"] == "compliant" and (", legal hold" in ex.prompt or "approved: yes" in ex.prompt):
            exceptions += 1
    assert exceptions > 30
    def n_rules(prompt):
        policy = next(line for line in prompt.split("\n") if "policy: " in line)
        return policy.split("policy: ", 1)[1].count("; ") + 1

    rules = {d: statistics.mean(n_rules(e.prompt) for e in g.generate(200, seed=6, difficulty=d)) for d in DIFFS}
    assert rules["easy"] < rules["medium"] < rules["hard"]
