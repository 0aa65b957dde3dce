"""The customer_service generators: labels follow from the ticket/complaint text, replies follow
from the facts and policy in the prompt, FAQ answers are exact spans."""

import re
import statistics

import pytest

from simplex_training.pluginmanager import get_host
from simplex_training.plugins.generators.customer_service import FAQ_FACTS, TICKET_DISCLAIMERS, TICKET_PROBLEMS


def gen(sid):
    return get_host().registry("generators")[sid]


def template_re(template: str) -> re.Pattern:
    """A regex matching ``template`` with every ``{slot}`` filled by some text."""
    parts = re.split(r"\{[a-z0-9_]+\}", template)
    return re.compile(".+?".join(re.escape(p) for p in parts), re.S)


# -- ticket_classification ------------------------------------------------------------------------

PROBLEM_RES = {cat: [template_re(t) for t in ts] for cat, ts in TICKET_PROBLEMS.items()}


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_ticket_label_follows_from_the_problem_sentence(difficulty):
    for ex in gen("ticket_classification").generate(300, seed=2, difficulty=difficulty):
        label = ex.metadata["label"]
        matched = {cat for cat, res in PROBLEM_RES.items() if any(r.search(ex.prompt) for r in res)}
        assert matched == {label}, (label, matched, ex.prompt)
        assert ex.response == f"Category: {label}"
        disclaimer = ex.metadata["disclaimer"]
        if difficulty == "hard":
            # the distractor names another area and says it is fine
            owner = [c for c, ds in TICKET_DISCLAIMERS.items() if disclaimer in ds]
            assert owner and owner[0] != label and disclaimer in ex.prompt
        else:
            assert disclaimer is None


def test_ticket_difficulty_adds_text():
    g = gen("ticket_classification")
    mean = {d: statistics.mean(len(e.prompt) for e in g.generate(200, seed=1, difficulty=d))
            for d in ("easy", "medium", "hard")}
    assert mean["easy"] < mean["medium"] < mean["hard"]


# -- response_generation --------------------------------------------------------------------------

REPLY_RE = re.compile(
    r"^Dear (?P<first>[^,\n]+),\nThank you for contacting (?P<company>.+) about order (?P<order>\S+)\. "
    r"We are sorry (?P<sorry>.+)\.\n(?P<decision>.+)\nBest regards,\n(?P<agent>.+)$"
)


def _fact(prompt: str, key: str):
    m = re.search(rf"{re.escape(key)}: ([^;\]\n]+)", prompt)
    return m.group(1) if m else None


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_reply_is_built_from_the_prompt_facts(difficulty):
    for ex in gen("response_generation").generate(300, seed=4, difficulty=difficulty):
        p, r = ex.prompt, ex.response
        assert ex.metadata["reference"] == r
        m = REPLY_RE.match(r)
        assert m, r
        name = _fact(p, "name")
        assert name.split()[0] == m["first"]
        assert _fact(p, "order") == m["order"]
        assert m["company"] in p and m["agent"] in p
        item = _fact(p, "item")
        # every amount in the reply was given in the prompt
        for amount in re.findall(r"\$[\d,]+\.\d\d", r):
            assert amount in p
        # the remedy / fallback decision follows from days vs. the policy window
        since_delivery, since_dispatch = _fact(p, "days since delivery"), _fact(p, "days since dispatch")
        issue = _fact(p, "issue")
        policy_line = p[p.index("olicy: ") :]
        if since_delivery is not None:
            days = int(since_delivery)
            window = int(re.search(r"within (\d+) days of delivery", policy_line).group(1))
            eligible = days <= window
        elif since_dispatch is not None:
            days = int(since_dispatch)
            window = int(re.search(r"(\d+) or more days after dispatch", policy_line).group(1))
            eligible = days >= window
        else:
            assert issue == "charged twice for one order"
            eligible = True
        assert ex.metadata["eligible"] == eligible
        if eligible:
            assert m["decision"].startswith("Under our policy, ")
        else:
            assert m["decision"].startswith(f"As it has been {days} days, which is ")
            assert f"our {window}-day" in m["decision"]
        if "replacement" in m["decision"] or "correct" in m["decision"]:
            assert item in m["decision"]
        if difficulty == "easy":
            assert eligible


def test_reply_hard_adds_distractor_facts_and_policies():
    g = gen("response_generation")
    for ex in g.generate(100, seed=5, difficulty="hard"):
        policy = ex.prompt[ex.prompt.index("olicy: "):].split("\n")[0]
        assert policy.count(".") >= 2  # the issue's policy plus one that does not apply
    med = statistics.mean(len(e.prompt) for e in g.generate(100, seed=5, difficulty="medium"))
    hard = statistics.mean(len(e.prompt) for e in g.generate(100, seed=5, difficulty="hard"))
    assert hard > med + 50


# -- faq_answering --------------------------------------------------------------------------------

@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_faq_answer_is_the_unique_span_of_the_asked_fact(difficulty):
    n_expected = {"easy": 3, "medium": 5, "hard": 7}[difficulty]
    for ex in gen("faq_answering").generate(300, seed=6, difficulty=difficulty):
        ans, fact = ex.metadata["answer"], ex.metadata["fact"]
        assert ex.response == f"Answer: {ans}"
        assert ex.prompt.lower().count(ans.lower()) == 1, (ans, ex.prompt)
        _, sentences, questions = FAQ_FACTS[fact]
        assert any(q in ex.prompt for q in questions)
        # the sentence holding the answer is a sentence of the asked fact
        assert any(s.format(v=ans) in ex.prompt for s in sentences)
        # difficulty = number of facts in the passage
        n = sum(any(template_re(s).search(ex.prompt) for s in spec[1]) for spec in FAQ_FACTS.values())
        assert n == n_expected


# -- complaint_handling ---------------------------------------------------------------------------

HIGH = [r"\bsmoking\b", r"electric shock", r"burned my hand", r"cut a finger", r"caught fire", r"\bsparks\b",
        r"\blawyer\b", r"legal action", r"\bcourt\b", r"\battorney\b", r"consumer protection",
        r"third replacement", r"same fault", r"fourth time", r"replacement number"]
MEDIUM = [r"\brefund\b", r"\bcharged\b", r"\bbilled\b", r"past the promised", r"not been delivered",
          r"down for \d+ days", r"\bunavailable\b"]


def complaint_text(ex):
    p, k = ex.prompt, ex.metadata["phrasing"]
    if k == 0:
        return p.split("Complaint: ", 1)[1]
    if k == 1:
        return p.split("\n")[1]
    if k == 2:
        return p.split("\n", 1)[1]
    return p.split('"')[1]


def severity_by_rule(text: str) -> str:
    if any(re.search(c, text, re.I) for c in HIGH):
        return "high"
    if any(re.search(c, text, re.I) for c in MEDIUM):
        return "medium"
    return "low"


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_complaint_severity_follows_the_documented_cues(difficulty):
    for ex in gen("complaint_handling").generate(400, seed=8, difficulty=difficulty):
        label = ex.metadata["label"]
        text = complaint_text(ex)
        assert severity_by_rule(text) == label, (label, text)
        assert ex.response == f"Severity: {label}\nReason: {ex.metadata['reason']}"
        if difficulty == "hard":
            assert len(ex.metadata["cues"]) == 2  # a lower (or equal, for low) cue next to the deciding one


def test_complaint_hard_mixes_lower_cues_under_higher_ones():
    mixed = 0
    for ex in gen("complaint_handling").generate(300, seed=9, difficulty="hard"):
        text = complaint_text(ex)
        if ex.metadata["label"] == "high" and any(re.search(c, text) for c in MEDIUM):
            mixed += 1
    assert mixed > 20  # the precedence rule is exercised, not only single-cue complaints
