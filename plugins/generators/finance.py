"""Generators for the ``finance`` category.

* ``financial_analysis`` -- a small, internally consistent statement for a Faker company (figures
  in $ thousands) and a question about one metric (margins, growth, liquidity and leverage ratios,
  return on equity, EPS, interest coverage). The answer is computed exactly from the stated figures
  and rounded half up to two decimals. Harder levels ask multi-step metrics and add distractor
  figures.
* ``financial_sentiment`` -- a headline (and, at medium/hard, neutral context sentences) about a
  Faker company. The label follows from one explicit cue phrase: positive = beats estimates, raises
  guidance, record profit, upgrade, contract win...; negative = misses estimates, cuts guidance,
  loss, layoffs, recall, probe, downgrade...; neutral = scheduling and administrative news (meeting
  dates, conference presentations, appointments, regular dividends, filings). Context sentences are
  always neutral, so they never change the label.
* ``risk_assessment`` -- a loan applicant or a vendor scored by rules stated in the prompt:
  the level is ``high`` if any high trigger fires, else ``medium`` if any medium trigger fires, else
  ``low``. The ratios involved (debt-to-income, on-time rate, utilisation, defect rate) are computed
  from the figures given; values that would round onto a threshold are never drawn.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist


def round2(x: Fraction) -> Decimal:
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def f2(x: Fraction) -> str:
    return f"{round2(x):.2f}"


# ---------------------------------------------------------------------------------------------
# financial_analysis
# ---------------------------------------------------------------------------------------------

FIGURE_NAMES = {
    "revenue": "Revenue", "prior_revenue": "Revenue (prior year)", "cogs": "Cost of goods sold",
    "opex": "Operating expenses", "interest": "Interest expense", "tax": "Income tax",
    "net_income": "Net income", "prior_net_income": "Net income (prior year)",
    "current_assets": "Current assets", "inventory": "Inventory", "current_liabilities": "Current liabilities",
    "total_debt": "Total debt", "equity": "Shareholders' equity", "shares": "Shares outstanding (thousands)",
}


def _statement(ctx: GenContext) -> dict[str, int]:
    """A coherent set of figures in $ thousands."""
    r = ctx.randint(800, 95000)
    cogs = r * ctx.randint(350, 750) // 1000 + ctx.randint(0, r // 300)
    opex = r * ctx.randint(60, 200) // 1000 + ctx.randint(0, r // 300)
    ebit = r - cogs - opex
    interest = max(1, ebit * ctx.randint(30, 250) // 1000)
    tax = (ebit - interest) * 21 // 100
    ni = ebit - interest - tax
    ca = r * ctx.randint(200, 700) // 1000
    return {
        "revenue": r,
        "prior_revenue": r * 1000 // ctx.randint(800, 1350),
        "cogs": cogs,
        "opex": opex,
        "interest": interest,
        "tax": tax,
        "net_income": ni,
        "prior_net_income": ni * 1000 // ctx.randint(700, 1400),
        "current_assets": ca,
        "inventory": ca * ctx.randint(100, 550) // 1000,
        "current_liabilities": r * ctx.randint(120, 600) // 1000,
        "total_debt": r * ctx.randint(100, 1200) // 1000,
        "equity": r * ctx.randint(300, 1500) // 1000,
        "shares": ctx.randint(200, 20000),
    }


# metric -> (needed figures, unit, questions, difficulty tier)
METRICS = {
    "net_margin": (("revenue", "net_income"), "%", ("What is the net profit margin?", "Compute the net margin."), 1),
    "current_ratio": (("current_assets", "current_liabilities"), "ratio",
                      ("What is the current ratio?", "Compute the current ratio."), 1),
    "debt_to_equity": (("total_debt", "equity"), "ratio",
                       ("What is the debt-to-equity ratio?", "Compute debt to equity."), 1),
    "roe": (("net_income", "equity"), "%", ("What is the return on equity (ROE)?", "Compute ROE."), 1),
    "eps": (("net_income", "shares"), "$", ("What are the earnings per share, in dollars?",
                                            "Compute EPS in dollars per share."), 1),
    "gross_margin": (("revenue", "cogs"), "%", ("What is the gross margin?", "Compute the gross profit margin."), 2),
    "revenue_growth": (("prior_revenue", "revenue"), "%", ("By what percentage did revenue grow year over year?",
                                                            "Compute the year-over-year revenue growth."), 2),
    "quick_ratio": (("current_assets", "inventory", "current_liabilities"), "ratio",
                    ("What is the quick ratio (current assets minus inventory, over current liabilities)?",
                     "Compute the quick ratio."), 2),
    "operating_margin": (("revenue", "cogs", "opex"), "%", ("What is the operating margin?",
                                                             "Compute the operating profit margin."), 3),
    "interest_coverage": (("revenue", "cogs", "opex", "interest"), "ratio",
                          ("What is the interest coverage ratio (operating income over interest expense)?",
                           "Compute interest coverage from operating income."), 3),
    "net_income_growth": (("prior_net_income", "net_income"), "%", ("By what percentage did net income change "
                                                                     "year over year?",
                                                                     "Compute the year-over-year net income growth."),
                          2),
}


def compute_metric(metric: str, v: dict[str, int]) -> tuple[Fraction, list[str]]:
    """Exact value of ``metric`` and the step lines (``label: expr = value``)."""
    F = Fraction
    steps: list[str] = []
    if metric == "net_margin":
        x = F(v["net_income"], v["revenue"]) * 100
        steps.append(f"Net margin: {v['net_income']} ÷ {v['revenue']} × 100 = {f2(x)}")
    elif metric == "current_ratio":
        x = F(v["current_assets"], v["current_liabilities"])
        steps.append(f"Current ratio: {v['current_assets']} ÷ {v['current_liabilities']} = {f2(x)}")
    elif metric == "debt_to_equity":
        x = F(v["total_debt"], v["equity"])
        steps.append(f"Debt to equity: {v['total_debt']} ÷ {v['equity']} = {f2(x)}")
    elif metric == "roe":
        x = F(v["net_income"], v["equity"]) * 100
        steps.append(f"ROE: {v['net_income']} ÷ {v['equity']} × 100 = {f2(x)}")
    elif metric == "eps":
        x = F(v["net_income"], v["shares"])  # both in thousands
        steps.append(f"EPS: {v['net_income']} ÷ {v['shares']} = {f2(x)}")
    elif metric == "gross_margin":
        gp = v["revenue"] - v["cogs"]
        steps.append(f"Gross profit: {v['revenue']} - {v['cogs']} = {gp}")
        x = F(gp, v["revenue"]) * 100
        steps.append(f"Gross margin: {gp} ÷ {v['revenue']} × 100 = {f2(x)}")
    elif metric in ("revenue_growth", "net_income_growth"):
        cur, prev = (("revenue", "prior_revenue") if metric == "revenue_growth" else ("net_income", "prior_net_income"))
        d = v[cur] - v[prev]
        steps.append(f"Change: {v[cur]} - {v[prev]} = {d}")
        x = F(d, v[prev]) * 100
        steps.append(f"Growth: {d} ÷ {v[prev]} × 100 = {f2(x)}")
    elif metric == "quick_ratio":
        q = v["current_assets"] - v["inventory"]
        steps.append(f"Quick assets: {v['current_assets']} - {v['inventory']} = {q}")
        x = F(q, v["current_liabilities"])
        steps.append(f"Quick ratio: {q} ÷ {v['current_liabilities']} = {f2(x)}")
    elif metric in ("operating_margin", "interest_coverage"):
        op = v["revenue"] - v["cogs"] - v["opex"]
        steps.append(f"Operating income: {v['revenue']} - {v['cogs']} - {v['opex']} = {op}")
        if metric == "operating_margin":
            x = F(op, v["revenue"]) * 100
            steps.append(f"Operating margin: {op} ÷ {v['revenue']} × 100 = {f2(x)}")
        else:
            x = F(op, v["interest"])
            steps.append(f"Interest coverage: {op} ÷ {v['interest']} = {f2(x)}")
    else:
        raise ValueError(metric)
    return x, steps


def format_metric(x: Fraction, unit: str) -> str:
    return f"{f2(x)}%" if unit == "%" else f2(x)


class FinancialAnalysisGenerator(Generator):
    name = "financial_analysis"
    task_type = "reasoning"
    phrasings = 4

    TEMPLATES = (
        "{company}, fiscal {year} (in $ thousands): {figures}.\n{question} Round to two decimals.",
        "Financial data for {company} ({year}, $ thousands):\n{figures_lines}\n{question} Give two decimals.",
        "{question} Use these figures for {company} in {year} ($000s): {figures}. Round to 2 decimals.",
        "Analyst task. Company: {company}. Year: {year}. Figures in thousands of dollars:\n{figures_lines}\n"
        "Q: {question} (two decimals)",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        tier = ctx.level((1,), (1, 2), (2, 3))
        metric = ctx.choice([m for m, spec in METRICS.items() if spec[3] in tier])
        needed, unit, questions, _ = METRICS[metric]
        values = _statement(ctx)
        others = [f for f in FIGURE_NAMES if f not in needed and f != "shares"]
        shown = list(needed) + ctx.sample(others, ctx.level(0, 2, 4))
        ctx.rng.shuffle(shown)
        figs = [(FIGURE_NAMES[f], f"{values[f]:,}") for f in shown]
        company = ctx.fake.company()
        year = ctx.randint(2015, 2025)
        x, steps = compute_metric(metric, values)
        answer = format_metric(x, unit)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(
            company=company, year=year, question=ctx.choice(questions),
            figures="; ".join(f"{n} {v}" for n, v in figs),
            figures_lines="\n".join(f"- {n}: {v}" for n, v in figs),
        )
        return TrainingExample(
            prompt=prompt,
            response="\n".join(steps) + f"\nAnswer: {answer}",
            metadata={"answer": answer, "numeric_answer": float(round2(x)), "phrasing": k, "metric": metric,
                      "figures": {f: values[f] for f in shown}, "unit": unit},
        )


# ---------------------------------------------------------------------------------------------
# financial_sentiment
# ---------------------------------------------------------------------------------------------

FIN_CUES = {
    "positive": (
        "{co} beats analyst estimates as quarterly revenue rises {pct}%",
        "{co} raises full-year guidance after strong {q} sales",
        "{co} reports record quarterly profit of ${amt} million",
        "{co} shares jump {pct}% after upbeat outlook",
        "{co} wins ${amt} million contract from {co2}",
        "{co} upgraded to buy by analysts at {co2}",
        "{co} net income climbs {pct}% year over year",
        "{co} raises its dividend by {pct}%",
        "{co} posts {q} earnings well above expectations",
    ),
    "negative": (
        "{co} misses earnings estimates as sales fall {pct}%",
        "{co} cuts full-year guidance, citing weak demand",
        "{co} shares slide {pct}% after profit warning",
        "{co} to lay off {n} employees as revenue declines",
        "{co} downgraded to sell by analysts at {co2}",
        "{co} posts quarterly loss of ${amt} million",
        "{co} recalls {n} units over safety defect",
        "{co} faces regulatory probe into its accounting",
        "{co} suspends dividend after {q} loss",
    ),
    "neutral": (
        "{co} announces date of annual shareholder meeting: {date}",
        "{co} to present at investor conference in {city}",
        "{co} appoints {name} as chief financial officer",
        "{co} will release {q} results on {date}",
        "{co} declares regular quarterly dividend of ${small} per share",
        "{co} completes move of headquarters to {city}",
        "{co} files annual report with regulators",
        "{co} names {name} to its board of directors",
        "{co} schedules earnings conference call for {date}",
    ),
}
FIN_CONTEXT = (
    "The company is based in {city}.",
    "{co} employs about {n} people.",
    "The announcement was made on {date}.",
    "{co} is listed on the {exchange}.",
    "The statement was issued by the company's press office.",
    "{co} was founded in {year}.",
    "A spokesperson for {co} confirmed the details.",
)
EXCHANGES = ("New York Stock Exchange", "Nasdaq", "London Stock Exchange", "Frankfurt Stock Exchange",
             "Toronto Stock Exchange")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")


class FinancialSentimentGenerator(Generator):
    name = "financial_sentiment"
    task_type = "classification"
    labels = ("positive", "negative", "neutral")
    phrasings = 4

    TEMPLATES = (
        "Classify the sentiment of this financial news for investors (positive, negative or neutral).\n{text}",
        "Headline: {text}\nSentiment?",
        "What is the market sentiment of the following text: positive, negative, or neutral?\n\"{text}\"",
        "Financial news item:\n{text}\nLabel its sentiment.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        label = ctx.label
        co = ctx.fake.company()
        slots = {
            "co": co, "co2": ctx.fake.company(), "pct": ctx.randint(2, 38), "amt": ctx.randint(5, 900),
            "q": ctx.choice(("first-quarter", "second-quarter", "third-quarter", "fourth-quarter")),
            "n": f"{ctx.randint(2, 90) * 100:,}", "city": ctx.fake.city(), "name": ctx.fake.name(),
            "date": f"{ctx.choice(MONTH_NAMES)} {ctx.randint(1, 28)}", "small": f"{ctx.randint(5, 150) / 100:.2f}",
            "exchange": ctx.choice(EXCHANGES), "year": ctx.randint(1950, 2015),
        }
        cue = ctx.choice(FIN_CUES[label]).format(**slots)
        context = [c.format(**slots) for c in ctx.sample(FIN_CONTEXT, ctx.level(0, 1, 2))]
        if ctx.difficulty == "hard":  # the cue sits inside the body, not at the start
            text = " ".join([context[0], cue + ".", context[1]])
        elif context:
            text = f"{cue}. {context[0]}"
        else:
            text = cue
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        return TrainingExample(
            prompt=self.TEMPLATES[k].format(text=text),
            response=f"Sentiment: {label}",
            metadata={"label": label, "phrasing": k, "cue": cue,
                      "names": [co, slots["co2"], slots["name"], slots["city"]]},
        )


# ---------------------------------------------------------------------------------------------
# risk_assessment
# ---------------------------------------------------------------------------------------------

LEVELS = ("low", "medium", "high")


def loan_level(dti: Fraction, missed: int, util: Fraction | None) -> tuple[str, str]:
    """Loan rules: high if DTI > 40% or missed >= 3 or utilisation > 80%; medium if DTI > 25% or
    missed >= 1 or utilisation > 50%; else low. Returns (level, reason)."""
    if dti > 40:
        return "high", "DTI above 40%"
    if missed >= 3:
        return "high", "3 or more missed payments"
    if util is not None and util > 80:
        return "high", "utilization above 80%"
    if dti > 25:
        return "medium", "DTI above 25%"
    if missed >= 1:
        return "medium", "at least 1 missed payment"
    if util is not None and util > 50:
        return "medium", "utilization above 50%"
    return "low", "no trigger applies"


def vendor_level(ontime: Fraction, disputes: int, years: int | None, defect: Fraction | None) -> tuple[str, str]:
    """Vendor rules: high if on-time < 85% or disputes > 2 or defect rate > 5%; medium if
    on-time < 95% or years in business < 3 or defect rate > 2%; else low."""
    if ontime < 85:
        return "high", "on-time rate below 85%"
    if disputes > 2:
        return "high", "more than 2 open disputes"
    if defect is not None and defect > 5:
        return "high", "defect rate above 5%"
    if ontime < 95:
        return "medium", "on-time rate below 95%"
    if years is not None and years < 3:
        return "medium", "under 3 years in business"
    if defect is not None and defect > 2:
        return "medium", "defect rate above 2%"
    return "low", "no trigger applies"


def _pct_range(ctx: GenContext, level: str, bounds: tuple[int, int], lo: int, hi: int, higher_is_worse: bool = True):
    """A percentage drawn in the band of ``level`` given (medium, high) thresholds."""
    m, h = bounds
    if higher_is_worse:
        band = {"low": (lo, m - 1), "medium": (m + 1, h - 1), "high": (h + 1, hi)}[level]
    else:
        band = {"low": (m + 1, hi), "medium": (h + 1, m - 1), "high": (lo, h - 1)}[level]
    return ctx.rng.uniform(*band)


class RiskAssessmentGenerator(Generator):
    name = "risk_assessment"
    task_type = "reasoning"
    phrasings = 4

    LOAN_TEMPLATES = (
        "Assess the credit risk of this loan applicant.\nPolicy: {rules}\nApplicant: {facts}",
        "Loan application from {name}. {facts}\nRisk rules: {rules}\nWhat is the risk level (low, medium or high)?",
        "Rules: {rules}\nData: {facts}\nClassify the applicant's risk level.",
        "{facts}\nUsing the bank's policy ({rules}), rate the risk of lending to {name}.",
    )
    VENDOR_TEMPLATES = (
        "Assess the supplier risk of {name}.\nPolicy: {rules}\nVendor data: {facts}",
        "Vendor review for {name}. {facts}\nRisk rules: {rules}\nWhat is the risk level (low, medium or high)?",
        "Rules: {rules}\nData: {facts}\nClassify the vendor's risk level.",
        "{facts}\nUsing the procurement policy ({rules}), rate the risk of working with {name}.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        target = ctx.choice(LEVELS)
        family = ctx.choice(("loan", "vendor"))
        make = self._loan if family == "loan" else self._vendor
        for _ in range(200):
            out = make(ctx, target)
            if out is not None:
                break
        else:  # pragma: no cover
            raise RuntimeError("could not draw a risk case")
        rules, facts, steps, level, name, inputs = out
        templates = self.LOAN_TEMPLATES if family == "loan" else self.VENDOR_TEMPLATES
        k = ctx.randint(0, len(templates) - 1)
        prompt = templates[k].format(rules=rules, facts=facts, name=name)
        return TrainingExample(
            prompt=prompt,
            response="\n".join(steps) + f"\nAnswer: {level}",
            metadata={"answer": level, "phrasing": k, "family": family, "inputs": inputs},
        )

    @staticmethod
    def _pick_levels(ctx: GenContext, target: str, n: int) -> list[str]:
        """Per-factor levels: none above ``target``, at least one equal (unless target is low)."""
        allowed = LEVELS[: LEVELS.index(target) + 1]
        levels = [ctx.choice(allowed) for _ in range(n)]
        levels[ctx.randint(0, n - 1)] = target
        return levels

    def _loan(self, ctx: GenContext, target: str):
        hard, easy = ctx.difficulty == "hard", ctx.difficulty == "easy"
        lv = self._pick_levels(ctx, target, 3 if hard else 2)
        monthly = ctx.randint(18, 150) * 100
        dti_goal = _pct_range(ctx, lv[0], (25, 40), 3, 70)
        debt_total = round(monthly * dti_goal / 100)
        missed = {"low": 0, "medium": ctx.randint(1, 2), "high": ctx.randint(3, 6)}[lv[1]]
        name = ctx.fake.name()
        steps: list[str] = []
        facts: list[str] = []
        inputs: dict = {"missed": missed}
        if easy:
            facts.append(f"monthly income ${monthly:,}; monthly debt payments ${debt_total:,}")
            income = Fraction(monthly)
            inputs.update(monthly_income=monthly, debts=[debt_total])
        else:
            parts = [debt_total]
            n_debts = ctx.randint(2, 3)
            for _ in range(n_debts - 1):
                cut = ctx.randint(0, parts[-1])
                parts[-1] -= cut
                parts.append(cut)
            if min(parts) < 20:
                return None
            kinds = ctx.sample(("car loan", "student loan", "credit card minimum", "mortgage", "personal loan"),
                               n_debts)
            annual = monthly * 12
            facts.append(f"annual income ${annual:,}; monthly debts: " +
                         ", ".join(f"{kd} ${p:,}" for kd, p in zip(kinds, parts)))
            steps.append(f"Monthly income: {annual} ÷ 12 = {monthly}")
            steps.append(f"Monthly debt: {' + '.join(str(p) for p in parts)} = {debt_total}")
            income = Fraction(monthly)
            inputs.update(annual_income=annual, debts=parts)
        dti = Fraction(debt_total) / income * 100
        if f2(dti) in ("25.00", "40.00") or dti == 0:
            return None
        steps.append(f"DTI: {debt_total} ÷ {monthly} × 100 = {f2(dti)}%")
        facts.append(f"missed payments in the last 12 months: {missed}")
        steps.append(f"Missed payments: {missed}")
        rules = "high if debt-to-income (DTI) is above 40% or there are 3 or more missed payments"
        util = None
        if hard:
            limit = ctx.randint(10, 300) * 100
            util_goal = _pct_range(ctx, lv[2], (50, 80), 2, 99)
            balance = round(limit * util_goal / 100)
            util = Fraction(balance, limit) * 100
            if f2(util) in ("50.00", "80.00"):
                return None
            facts.append(f"credit card balance ${balance:,} of a ${limit:,} limit")
            steps.append(f"Utilization: {balance} ÷ {limit} × 100 = {f2(util)}%")
            rules += " or credit utilization is above 80%; medium if DTI is above 25% or there is at least 1 " \
                     "missed payment or utilization is above 50%; otherwise low."
            extra = [f"age {ctx.randint(21, 70)}", f"{ctx.randint(0, 25)} years with current employer",
                     f"requested amount ${ctx.randint(5, 400) * 100:,}",
                     f"loan purpose: {ctx.choice(('home repair', 'car', 'debt consolidation', 'education'))}"]
            facts.extend(ctx.sample(extra, 2))
            ctx.rng.shuffle(facts)
            inputs.update(balance=balance, limit=limit)
        else:
            rules += "; medium if DTI is above 25% or there is at least 1 missed payment; otherwise low."
        level, reason = loan_level(dti, missed, util)
        if level != target:
            return None
        steps.append(f"Rule: {reason} -> {level}")
        return rules, "; ".join(facts), steps, level, name, inputs

    def _vendor(self, ctx: GenContext, target: str):
        hard, easy = ctx.difficulty == "hard", ctx.difficulty == "easy"
        lv = self._pick_levels(ctx, target, 3 if not easy else 2)
        ontime_goal = _pct_range(ctx, lv[0], (95, 85), 60, 100, higher_is_worse=False)
        # lv[1] drives disputes (easy/medium/hard) and, from medium on, years in business via lv[2]
        disputes = {"low": ctx.randint(0, 2), "medium": ctx.randint(0, 2), "high": ctx.randint(3, 7)}[lv[1]]
        name = ctx.fake.company()
        steps: list[str] = []
        facts: list[str] = []
        inputs: dict = {"disputes": disputes}
        if easy:
            ontime = Fraction(round(ontime_goal * 10), 10)
            if ontime >= 100:
                return None
            facts.append(f"on-time delivery rate {ontime.numerator / ontime.denominator:.1f}%")
            steps.append(f"On-time rate: {float(ontime):.1f}%")
            inputs["ontime_rate"] = float(ontime)
        else:
            total = ctx.randint(40, 600)
            on = round(total * ontime_goal / 100)
            if on > total:
                return None
            ontime = Fraction(on, total) * 100
            facts.append(f"{on} of {total} deliveries on time")
            steps.append(f"On-time rate: {on} ÷ {total} × 100 = {f2(ontime)}%")
            inputs.update(on_time=on, deliveries=total)
        if f2(ontime) in ("85.00", "95.00"):
            return None
        facts.append(f"open disputes: {disputes}")
        steps.append(f"Open disputes: {disputes}")
        years = defect = None
        rules_high = "high if the on-time delivery rate is below 85% or there are more than 2 open disputes"
        rules_med = "medium if the on-time rate is below 95%"
        if not easy:
            years = {"low": ctx.randint(3, 40), "medium": ctx.randint(1, 2), "high": ctx.randint(1, 40)}[lv[2]]
            facts.append(f"in business since {2025 - years} (it is now 2025)")
            steps.append(f"Years in business: 2025 - {2025 - years} = {years}")
            rules_med += " or the vendor has been in business for fewer than 3 years"
            inputs["years"] = years
        if hard:
            units = ctx.randint(20, 400) * 10
            defect_goal = _pct_range(ctx, ctx.choice(LEVELS[: LEVELS.index(target) + 1]), (2, 5), 0, 9)
            bad = round(units * defect_goal / 100)
            defect = Fraction(bad, units) * 100
            if f2(defect) in ("2.00", "5.00"):
                return None
            facts.append(f"{bad} defective units out of {units}")
            steps.append(f"Defect rate: {bad} ÷ {units} × 100 = {f2(defect)}%")
            rules_high += " or the defect rate is above 5%"
            rules_med += " or the defect rate is above 2%"
            extra = [f"contact: {ctx.fake.name()}", f"located in {ctx.fake.city()}",
                     f"annual spend ${ctx.randint(10, 900) * 1000:,}", f"{ctx.randint(3, 60)} product lines"]
            facts.extend(ctx.sample(extra, 2))
            ctx.rng.shuffle(facts)
            inputs.update(defective=bad, units=units)
        level, reason = vendor_level(ontime, disputes, years, defect)
        if level != target:
            return None
        steps.append(f"Rule: {reason} -> {level}")
        rules = f"{rules_high}; {rules_med}; otherwise low."
        return rules, "; ".join(facts), steps, level, name, inputs


financial_analysis = Specialist("financial_analysis", FinancialAnalysisGenerator)
financial_sentiment = Specialist("financial_sentiment", FinancialSentimentGenerator)
risk_assessment = Specialist("risk_assessment", RiskAssessmentGenerator)
