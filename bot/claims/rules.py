"""The contract's rules, in its order: each has a code, a condition, an effect and sources.

`evaluate` walks them once: the first decisive rule that applies wins, risks seen before it
accumulate. Every condition is written to be False while its own inputs are unknown, which is
what lets an early decisive rule (say an off-platform payment) decide a case whatever else is
missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.claims.assessment import Code, FactName, Reason, Verdict
from bot.claims.case import CLOSING_SOON_DAYS, Case
from bot.claims.facts import (
    DELIVERY_PROBLEMS,
    EXCLUDED_PROBLEMS,
    EXPECTED_DATE_PROBLEMS,
    SPEC_PROBLEMS,
    Evidence,
    PaidVia,
    Problem,
    Specs,
)
from bot.claims.labels import EVIDENCE_LABELS, PAID_VIA_LABELS, PROBLEM_LABELS, days_phrase, usd
from bot.claims.sources import cite

# --- which facts are still needed ------------------------------------------------------------


def missing_facts(case: Case) -> list[FactName]:
    """Required facts still unknown, in the contract's order.

    `paid_via: unknown` and `problem: other` count as missing: neither lets the rules decide.
    Specs are only asked for quality and quantity problems.
    """
    f = case.facts
    missing: list[FactName] = []
    if f.trade_assurance_order is None:
        missing.append("trade_assurance_order")
    if f.paid_via in (None, PaidVia.UNKNOWN):
        missing.append("paid_via")
    if f.problem in (None, Problem.OTHER):
        missing.append("problem")
    if f.receipt_confirmed is None:
        missing.append("receipt_confirmed")
    if f.delivery_date is None:
        missing.append("delivery_date")
    if f.amount_paid is None:
        missing.append("amount_paid")
    if f.problem in SPEC_PROBLEMS and f.specs_in_contract is None:
        missing.append("specs_in_contract")
    return missing


def delivery_date_label(problem: Problem | None) -> str:
    """What `delivery_date` means for this problem (expected vs actual)."""
    if problem in EXPECTED_DATE_PROBLEMS:
        return "the expected delivery date in the contract"
    if problem is None or problem is Problem.OTHER:
        return "the delivery date (actual, or expected if the goods have not arrived)"
    return "the date the goods were delivered"


def fact_label(name: FactName, problem: Problem | None) -> str:
    """A fact name in words, for reasons and cards."""
    if name == "delivery_date":
        return delivery_date_label(problem)
    return {
        "trade_assurance_order": "whether the order is a Trade Assurance order",
        "paid_via": "how you paid",
        "problem": "what went wrong",
        "receipt_confirmed": "whether you have confirmed receipt on Alibaba",
        "amount_paid": "the amount paid through the order",
        "specs_in_contract": "how precisely the contract states the specifications",
    }[name]


# --- conditions --------------------------------------------------------------------------------


def _off_platform(c: Case) -> bool:
    return c.facts.paid_via not in (None, PaidVia.ALIBABA_ORDER, PaidVia.UNKNOWN)


def _not_ta_order(c: Case) -> bool:
    return c.facts.trade_assurance_order is False


def _excluded(c: Case) -> bool:
    return c.facts.problem in EXCLUDED_PROBLEMS


def _receipt_confirmed(c: Case) -> bool:
    return c.facts.receipt_confirmed is True


def _window_closed(c: Case) -> bool:
    return c.days_left is not None and c.days_left < 0


def _needs_facts(c: Case) -> bool:
    return bool(missing_facts(c))


def _window_closing(c: Case) -> bool:
    return c.days_left is not None and 0 <= c.days_left <= CLOSING_SOON_DAYS


def _vague_specs(c: Case) -> bool:
    return c.facts.problem in SPEC_PROBLEMS and c.facts.specs_in_contract in (
        Specs.VAGUE,
        Specs.NONE,
    )


def _no_inspection(c: Case) -> bool:
    return c.facts.problem in SPEC_PROBLEMS and Evidence.INSPECTION_REPORT not in c.held


def weak_evidence_gaps(c: Case) -> list[Evidence]:
    """The key items whose absence makes WEAK_EVIDENCE fire (tracking only for delivery issues)."""
    key = [Evidence.CONTRACT, Evidence.PLATFORM_CHAT]
    if c.facts.problem in DELIVERY_PROBLEMS:
        key.append(Evidence.TRACKING)
    return [item for item in key if item not in c.held]


def _weak_evidence(c: Case) -> bool:
    return bool(weak_evidence_gaps(c))


def _over_coverage(c: Case) -> bool:
    paid, limit = c.facts.amount_paid, c.facts.coverage_limit
    return paid is not None and limit is not None and paid > limit


def _coverage_unknown(c: Case) -> bool:
    return c.facts.coverage_limit is None


def _always(c: Case) -> bool:
    return True


# --- reason texts ------------------------------------------------------------------------------


def _text_off_platform(c: Case) -> str:
    how = PAID_VIA_LABELS[c.facts.paid_via or PaidVia.OTHER_OFF_PLATFORM]
    return (
        f"You paid {how}. Trade Assurance protects only money paid through the Alibaba order "
        "itself; paying anywhere else gives up the protection, even when the supplier shows "
        "the Trade Assurance badge."
    )


def _text_not_ta_order(c: Case) -> str:
    return (
        "The order was not created on Alibaba.com as a Trade Assurance order with an online "
        "order contract, so there is no protection to claim under."
    )


_EXCLUSION_TEXTS: dict[Problem, str] = {
    Problem.TRANSIT_DAMAGE: (
        "Damage that happens in transit is a matter for the carrier or a cargo insurer: "
        "Trade Assurance only answers for what the supplier promised in the contract."
    ),
    Problem.CUSTOMS_HOLD: (
        "Goods held or seized by customs are outside Trade Assurance; meeting your country's "
        "import rules is normally the importer's job unless the contract put it on the supplier."
    ),
    Problem.FORCE_MAJEURE: (
        "Events nobody controls, such as natural disasters, government action or pandemics, "
        "are excluded from Trade Assurance."
    ),
    Problem.SUBJECTIVE_QUALITY: (
        "Trade Assurance judges quality only against measurable specifications; not liking "
        "the look or feel does not count unless the contract measured it."
    ),
    Problem.MATCHES_APPROVED_SAMPLE: (
        "Bulk goods that match the sample you approved are what was agreed, so Trade "
        "Assurance will not refund them even if the design does not suit your market."
    ),
    Problem.SERVICE_OR_WARRANTY: (
        "Trade Assurance refunds the value of the goods only; services such as installation "
        "or training, replacements and warranty promises are outside it."
    ),
    Problem.DEFECT_AFTER_USE: (
        "Defects found after the goods were used or processed are usually rejected: claims are "
        "expected at inspection, before use."
    ),
}


def _text_excluded(c: Case) -> str:
    fallback = "This problem is outside what Trade Assurance covers."
    return _EXCLUSION_TEXTS.get(c.facts.problem or Problem.OTHER, fallback)


def _text_receipt_confirmed(c: Case) -> str:
    return (
        "You have already confirmed receipt on Alibaba. Confirming releases the payment to the "
        "supplier, and problems raised after that generally fall outside Trade Assurance."
    )


def _text_window_closed(c: Case) -> str:
    return (
        f"The usual 30-day dispute window ended on {c.deadline} "
        f"({days_phrase(c.days_left or 0)}); disputes opened after the window are usually "
        "rejected, however strong the case."
    )


def _text_need_facts(c: Case) -> str:
    names = [fact_label(n, c.facts.problem) for n in missing_facts(c)]
    return "To judge the claim I still need: " + "; ".join(names) + "."


def _text_window_closing(c: Case) -> str:
    return (
        f"Time is short: the dispute window closes on {c.deadline} "
        f"({days_phrase(c.days_left or 0)}); act now, a late dispute is usually rejected."
    )


def _text_vague_specs(c: Case) -> str:
    state = "vague" if c.facts.specs_in_contract is Specs.VAGUE else "missing"
    return (
        f"The contract's specifications are {state}, so the goods will be judged against an "
        "inspector's general industry standards (such as ISO or ASTM), not what you had in mind."
    )


def _text_no_inspection(c: Case) -> str:
    return (
        "There is no third-party inspection report; without one Alibaba may find your "
        "evidence insufficient for a quality or quantity dispute."
    )


def _text_weak_evidence(c: Case) -> str:
    gaps = ", ".join(EVIDENCE_LABELS[e] for e in weak_evidence_gaps(c))
    return f"Key evidence is missing ({gaps}); disputes are decided on evidence."


def _text_over_coverage(c: Case) -> str:
    paid, limit = c.facts.amount_paid or 0.0, c.facts.coverage_limit or 0.0
    return (
        f"You paid {usd(paid)} but the supplier's coverage is {usd(limit)}: at most "
        f"{usd(c.protected_amount or 0.0)} can be refunded through Trade Assurance and "
        f"{usd(c.unprotected_amount or 0.0)} is unprotected."
    )


def _text_coverage_unknown(c: Case) -> str:
    return (
        "The supplier's coverage amount is unknown. Check it (supplier profile or order page) "
        "before counting on a full refund: if it is below what you paid, only part is protected."
    )


def _text_covered(c: Case) -> str:
    problem = c.facts.problem
    what = PROBLEM_LABELS[problem].capitalize() if problem else "The problem"
    return (
        f"{what} is a problem Trade Assurance covers; the order is protected, paid through "
        f"Alibaba, and the dispute window is open until {c.deadline}."
    )


# --- the rule table ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the contract's table.

    `effect` is the verdict a decisive rule imposes; None marks a risk. COVERED_PROBLEM's
    effect is refined to `eligible_with_risks` when any risk fired.
    """

    code: Code
    applies: Callable[[Case], bool]
    effect: Verdict | None
    sources: tuple[str, ...]
    explain: Callable[[Case], str]

    def reason(self, case: Case) -> Reason:
        """This rule's reason for the case at hand."""
        return Reason(code=self.code, text=self.explain(case), sources=list(self.sources))


NOT_ELIGIBLE = Verdict.NOT_ELIGIBLE
RULES: tuple[Rule, ...] = (
    Rule(
        Code.OFF_PLATFORM_PAYMENT,
        _off_platform,
        NOT_ELIGIBLE,
        cite("000", "001", "002", "003", "004"),
        _text_off_platform,
    ),
    Rule(
        Code.NOT_TA_ORDER,
        _not_ta_order,
        NOT_ELIGIBLE,
        cite("002", "003", "004"),
        _text_not_ta_order,
    ),
    Rule(
        Code.EXCLUDED_PROBLEM,
        _excluded,
        NOT_ELIGIBLE,
        cite("000", "001", "002", "003"),
        _text_excluded,
    ),
    Rule(
        Code.RECEIPT_CONFIRMED,
        _receipt_confirmed,
        NOT_ELIGIBLE,
        cite("001", "003"),
        _text_receipt_confirmed,
    ),
    Rule(Code.WINDOW_CLOSED, _window_closed, NOT_ELIGIBLE, cite("001", "003"), _text_window_closed),
    Rule(Code.NEED_FACTS, _needs_facts, Verdict.NEED_MORE_INFO, (), _text_need_facts),
    Rule(Code.WINDOW_CLOSING, _window_closing, None, cite("001", "003"), _text_window_closing),
    Rule(Code.VAGUE_SPECS, _vague_specs, None, cite("001", "002", "003"), _text_vague_specs),
    Rule(Code.NO_INSPECTION, _no_inspection, None, cite("001", "002", "003"), _text_no_inspection),
    Rule(Code.WEAK_EVIDENCE, _weak_evidence, None, cite("001", "003"), _text_weak_evidence),
    Rule(Code.OVER_COVERAGE, _over_coverage, None, cite("001", "002", "003"), _text_over_coverage),
    Rule(
        Code.COVERAGE_UNKNOWN, _coverage_unknown, None, cite("001", "004"), _text_coverage_unknown
    ),
    Rule(
        Code.COVERED_PROBLEM,
        _always,
        Verdict.ELIGIBLE,
        cite("000", "001", "003", "004"),
        _text_covered,
    ),
)
"""The contract's table, row for row and in its order."""

RULES_BY_CODE: dict[Code, Rule] = {rule.code: rule for rule in RULES}

URGENT_WHILE_ASKING = (Code.WINDOW_CLOSING, Code.VAGUE_SPECS, Code.OVER_COVERAGE)
"""Risks worth showing even while facts are still missing, because their own facts are known and
they change what the buyer does next: the clock runs while the user looks, vague specs and an
order above the supplier's coverage weaken the claim whatever the missing answers are. (Risks
that rest on evidence or coverage not yet given are left out: absent is not yet "lacking".)"""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the rules concluded: the verdict, the reasons (decisive first) and missing facts."""

    verdict: Verdict
    decisive: Code
    reasons: tuple[Reason, ...]
    missing_facts: tuple[FactName, ...]


def evaluate(case: Case) -> Outcome:
    """Apply the rules in order; the first decisive one wins and risks accumulate."""
    risks: list[Rule] = []
    for rule in RULES:
        if not rule.applies(case):
            continue
        if rule.effect is None:
            risks.append(rule)
            continue
        return _conclude(rule, risks, case)
    raise AssertionError("COVERED_PROBLEM always applies")  # pragma: no cover


def _conclude(decisive: Rule, risks: list[Rule], case: Case) -> Outcome:
    verdict = decisive.effect or Verdict.ELIGIBLE
    extra = risks
    if decisive.code is Code.COVERED_PROBLEM and risks:
        verdict = Verdict.ELIGIBLE_WITH_RISKS
    if decisive.code is Code.NEED_FACTS:
        extra = [RULES_BY_CODE[c] for c in URGENT_WHILE_ASKING if RULES_BY_CODE[c].applies(case)]
    missing = tuple(missing_facts(case)) if verdict is Verdict.NEED_MORE_INFO else ()
    reasons = (decisive.reason(case), *(r.reason(case) for r in extra))
    return Outcome(verdict=verdict, decisive=decisive.code, reasons=reasons, missing_facts=missing)
