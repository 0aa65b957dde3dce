"""The finance generators: metrics recomputed from the stated figures, sentiment labels from cue
phrases, risk levels from the stated rules."""

import re
import statistics
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from simplex_training.pluginmanager import get_host

DIFFS = ["easy", "medium", "hard"]


def gen(sid):
    return get_host().registry("generators")[sid]


def r2(x) -> Decimal:
    x = Fraction(x)
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# -- financial_analysis ---------------------------------------------------------------------------

LABELS = {
    "revenue": "Revenue", "prior_revenue": "Revenue (prior year)", "cogs": "Cost of goods sold",
    "opex": "Operating expenses", "interest": "Interest expense", "net_income": "Net income",
    "prior_net_income": "Net income (prior year)", "current_assets": "Current assets", "inventory": "Inventory",
    "current_liabilities": "Current liabilities", "total_debt": "Total debt", "equity": "Shareholders' equity",
    "shares": "Shares outstanding (thousands)", "tax": "Income tax",
}
F = Fraction
FORMULAS = {
    "net_margin": (lambda v: F(v["net_income"], v["revenue"]) * 100, True),
    "current_ratio": (lambda v: F(v["current_assets"], v["current_liabilities"]), False),
    "debt_to_equity": (lambda v: F(v["total_debt"], v["equity"]), False),
    "roe": (lambda v: F(v["net_income"], v["equity"]) * 100, True),
    "eps": (lambda v: F(v["net_income"], v["shares"]), False),
    "gross_margin": (lambda v: F(v["revenue"] - v["cogs"], v["revenue"]) * 100, True),
    "revenue_growth": (lambda v: F(v["revenue"] - v["prior_revenue"], v["prior_revenue"]) * 100, True),
    "net_income_growth": (lambda v: F(v["net_income"] - v["prior_net_income"], v["prior_net_income"]) * 100, True),
    "quick_ratio": (lambda v: F(v["current_assets"] - v["inventory"], v["current_liabilities"]), False),
    "operating_margin": (lambda v: F(v["revenue"] - v["cogs"] - v["opex"], v["revenue"]) * 100, True),
    "interest_coverage": (lambda v: F(v["revenue"] - v["cogs"] - v["opex"], v["interest"]), False),
}


def figures_from_prompt(prompt: str) -> dict[str, int]:
    out = {}
    for key, label in LABELS.items():
        m = re.search(rf"(?:^|; |- |: ){re.escape(label)}:? ([\d,]+)", prompt, re.M)
        if m:
            out[key] = int(m.group(1).replace(",", ""))
    return out


@pytest.mark.parametrize("difficulty", DIFFS)
def test_financial_metric_recomputed_from_the_prompt(difficulty):
    for ex in gen("financial_analysis").generate(400, seed=2, difficulty=difficulty):
        md = ex.metadata
        figs = figures_from_prompt(ex.prompt)
        assert figs == md["figures"], (ex.prompt, figs)
        formula, pct = FORMULAS[md["metric"]]
        value = r2(formula(figs))
        want = f"{value:.2f}%" if pct else f"{value:.2f}"
        assert md["answer"] == want
        assert ex.response.endswith(f"\nAnswer: {want}")
        assert md["numeric_answer"] == float(value)


def test_financial_difficulty_adds_figures_and_steps():
    g = gen("financial_analysis")
    figs = {d: statistics.mean(len(e.metadata["figures"]) for e in g.generate(300, seed=3, difficulty=d))
            for d in DIFFS}
    steps = {d: statistics.mean(e.response.count("\n") for e in g.generate(300, seed=3, difficulty=d)) for d in DIFFS}
    assert figs["easy"] < figs["medium"] < figs["hard"]
    assert steps["easy"] < steps["hard"]


# -- financial_sentiment --------------------------------------------------------------------------

POS = [r"\bbeats\b", r"raises full-year guidance", r"\brecord\b", r"\bjump", r"\bwins\b", r"upgraded",
       r"\bclimbs\b", r"raises its dividend", r"above expectations"]
NEG = [r"\bmisses\b", r"cuts full-year guidance", r"\bslide", r"lay off", r"downgraded", r"\bloss\b",
       r"\brecalls\b", r"\bprobe\b", r"suspends dividend"]


def strip_names(text: str, names) -> str:
    for n in names:
        text = text.replace(str(n), " ")
    return text


@pytest.mark.parametrize("difficulty", DIFFS)
def test_financial_sentiment_label_from_cue_phrases(difficulty):
    for ex in gen("financial_sentiment").generate(450, seed=4, difficulty=difficulty):
        label = ex.metadata["label"]
        text = strip_names(ex.prompt, ex.metadata["names"])
        pos = any(re.search(c, text) for c in POS)
        neg = any(re.search(c, text) for c in NEG)
        got = {(True, False): "positive", (False, True): "negative", (False, False): "neutral"}.get((pos, neg), "?")
        assert got == label, (label, ex.prompt)
        assert ex.response == f"Sentiment: {label}"
        assert ex.metadata["cue"] in ex.prompt


@pytest.mark.parametrize("difficulty", DIFFS)
def test_financial_sentiment_hard_buries_the_cue(difficulty):
    for ex in gen("financial_sentiment").generate(100, seed=5, difficulty=difficulty):
        idx = ex.prompt.index(ex.metadata["cue"])
        after_sentence = ex.prompt[idx - 2 : idx] == ". "
        assert after_sentence == (difficulty == "hard"), ex.prompt


# -- risk_assessment ------------------------------------------------------------------------------

def loan_rule(i) -> str:
    income = i["monthly_income"] if "monthly_income" in i else F(i["annual_income"], 12)
    dti = F(sum(i["debts"])) / income * 100
    util = F(i["balance"], i["limit"]) * 100 if "limit" in i else None
    if dti > 40 or i["missed"] >= 3 or (util is not None and util > 80):
        return "high"
    if dti > 25 or i["missed"] >= 1 or (util is not None and util > 50):
        return "medium"
    return "low"


def vendor_rule(i) -> str:
    ontime = F(i["ontime_rate"]).limit_denominator(10) if "ontime_rate" in i else F(i["on_time"], i["deliveries"]) * 100
    defect = F(i["defective"], i["units"]) * 100 if "units" in i else None
    if ontime < 85 or i["disputes"] > 2 or (defect is not None and defect > 5):
        return "high"
    if ontime < 95 or ("years" in i and i["years"] < 3) or (defect is not None and defect > 2):
        return "medium"
    return "low"


@pytest.mark.parametrize("difficulty", DIFFS)
def test_risk_level_follows_the_stated_rules(difficulty):
    levels = []
    for ex in gen("risk_assessment").generate(400, seed=6, difficulty=difficulty):
        md, i = ex.metadata, ex.metadata["inputs"]
        want = loan_rule(i) if md["family"] == "loan" else vendor_rule(i)
        assert md["answer"] == want, (ex.prompt, ex.response)
        assert ex.response.endswith(f"\nAnswer: {want}")
        levels.append(want)
        # the rules are stated in the prompt and every figure used is in it
        assert "high if" in ex.prompt and "medium if" in ex.prompt and "otherwise low" in ex.prompt
        for key, v in i.items():
            if key == "years":
                assert f"in business since {2025 - v} (it is now 2025)" in ex.prompt
                continue
            for x in v if isinstance(v, list) else [v]:
                s = f"{x:,}" if isinstance(x, int) else f"{x:.1f}"
                assert s in ex.prompt or str(x) in ex.prompt, (key, s, ex.prompt)
    counts = {lv: levels.count(lv) for lv in ("low", "medium", "high")}
    assert min(counts.values()) > 80, counts  # all three levels, roughly balanced


def test_risk_hard_adds_factors():
    g = gen("risk_assessment")
    n = {d: statistics.mean(len(e.metadata["inputs"]) for e in g.generate(200, seed=7, difficulty=d)) for d in DIFFS}
    assert n["easy"] < n["medium"] < n["hard"]
