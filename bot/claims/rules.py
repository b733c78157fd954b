"""The contract's rules (v2), in its order: each has a code, the facts it reads, a condition, an
effect and the seeds that state it.

`evaluate` walks them once: the first decisive rule that applies wins and alone explains the
verdict (with helpful notes); risks and notes are weighed only when no decisive rule fired.
Every condition is False while its own facts are unknown, so an early decisive rule (say an
off-platform payment) decides a case whatever else is missing, and no rule decides from a fact
that was not given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.claims.assessment import Code, Reason, Severity, Strength, Verdict
from bot.claims.case import CLOSING_SOON_DAYS, Case
from bot.claims.catalog import FactName, label, missing_facts
from bot.claims.facts import (
    EXCLUDED_PROBLEMS,
    QUALITY_PROBLEMS,
    Evidence,
    PaidVia,
    Problem,
    Specs,
)
from bot.claims.labels import EVIDENCE_LABELS, PAID_VIA_LABELS, day, days_phrase, usd
from bot.claims.sources import cite
from bot.kb.citations import cite as _cite_for_people

INSPECTION_WORTH_IT = 5_000.0
"""003: consider a third-party inspection above US$5,000 (insist above US$20,000)."""

INSPECTION_A_MUST = 20_000.0

TYPICAL_CAP_FLOOR = 10_000.0
"""Typical coverage caps start here (002: US$10,000-30,000; 003: US$10,000-100,000)."""

# --- conditions --------------------------------------------------------------------------------


def _off_platform(c: Case) -> bool:
    return c.facts.paid_via not in (None, PaidVia.ALIBABA_ORDER, PaidVia.UNKNOWN)


def _not_ta_order(c: Case) -> bool:
    return c.facts.trade_assurance_order is False or c.facts.coverage_limit == 0


def _nothing_paid(c: Case) -> bool:
    return c.facts.amount_paid == 0


def _excluded(c: Case) -> bool:
    return c.problem in EXCLUDED_PROBLEMS


def _receipt_confirmed(c: Case) -> bool:
    return c.facts.receipt_confirmed is True


def _not_late(c: Case) -> bool:
    return (
        c.problem is Problem.LATE_SHIPMENT
        and c.arrival is not None
        and c.agreed is not None
        and c.arrival <= c.agreed
    )


def _too_early(c: Case) -> bool:
    return c.problem in (Problem.LATE_SHIPMENT, Problem.NOT_DELIVERED) and c.not_yet_due


def _window_closed(c: Case) -> bool:
    return c.days_left is not None and c.days_left < 0


def _needs_facts(c: Case) -> bool:
    return bool(missing_facts(c.facts))


def _window_closing(c: Case) -> bool:
    return c.days_left is not None and 0 <= c.days_left <= CLOSING_SOON_DAYS


def _part_outside(c: Case) -> bool:
    return c.outside > 0


def _defect_in_use(c: Case) -> bool:
    return c.problem is Problem.DEFECT_AFTER_USE


def _force_majeure(c: Case) -> bool:
    return c.problem is Problem.FORCE_MAJEURE


def _vague_specs(c: Case) -> bool:
    return c.problem in QUALITY_PROBLEMS and c.facts.specs_in_contract in (Specs.VAGUE, Specs.NONE)


def _no_specs(c: Case) -> bool:
    return c.facts.specs_in_contract is Specs.NONE


def _no_inspection(c: Case) -> bool:
    return c.problem in QUALITY_PROBLEMS and Evidence.INSPECTION_REPORT not in c.held


def weak_evidence_gaps(c: Case) -> list[Evidence]:
    """The key items whose absence raises WEAK_EVIDENCE.

    Tracking counts only for a late shipment that arrived: when the goods never shipped, the
    missing tracking is itself the evidence.
    """
    key = [Evidence.CONTRACT, Evidence.PLATFORM_CHAT]
    if c.problem is Problem.LATE_SHIPMENT and c.arrived:
        key.append(Evidence.TRACKING)
    return [item for item in key if item not in c.held]


def _weak_evidence(c: Case) -> bool:
    return bool(weak_evidence_gaps(c))


def _no_evidence(c: Case) -> bool:
    return not c.held


def _over_coverage(c: Case) -> bool:
    paid, limit = c.facts.amount_paid, c.facts.coverage_limit
    return paid is not None and limit is not None and paid > limit


def _coverage_unknown(c: Case) -> bool:
    return c.facts.coverage_limit is None


def _typical_window(c: Case) -> bool:
    return c.typical_window


def _always(c: Case) -> bool:
    return True


def _never(c: Case) -> bool:
    return False


# --- reason texts ------------------------------------------------------------------------------


def _text_off_platform(c: Case) -> str:
    how = PAID_VIA_LABELS[c.facts.paid_via or PaidVia.OTHER_OFF_PLATFORM]
    return (
        f"You paid {how}. Trade Assurance protects only money paid through the Alibaba order "
        "itself (card, e-checking, or T/T into the account Alibaba gives for that order); money "
        "sent anywhere else has no protection, even when the supplier shows the badge."
    )


def _text_not_ta_order(c: Case) -> str:
    if c.facts.trade_assurance_order is False:
        return (
            "The order was not created on Alibaba.com as a Trade Assurance order with an online "
            "order contract, so there is no protection to claim under."
        )
    return (
        "The supplier shows no Trade Assurance coverage amount (US$0), so there is nothing "
        "Trade Assurance can refund on this order."
    )


def _text_nothing_paid(c: Case) -> str:
    return (
        "Nothing has been paid through the order, so there is nothing for Trade Assurance to "
        "refund. That also means you have lost nothing yet."
    )


_EXCLUSIONS: dict[Problem, tuple[str, tuple[str, ...]]] = {
    Problem.TRANSIT_DAMAGE: (
        "Damage in transit is a matter for the carrier or a cargo insurer: Trade Assurance "
        "answers only for what the supplier promised in the contract.",
        ("003",),
    ),
    Problem.CUSTOMS_HOLD: (
        "Goods held or seized by your country's customs are outside Trade Assurance; meeting "
        "import rules is normally the importer's job unless the contract put it on the supplier.",
        ("003",),
    ),
    Problem.SUBJECTIVE_QUALITY: (
        "Trade Assurance judges quality only against what the contract measures; not liking "
        "the look or feel, or minor cosmetic variation, does not qualify.",
        ("000", "001", "003"),
    ),
    Problem.MATCHES_APPROVED_SAMPLE: (
        "Bulk goods that match the sample you approved are what was agreed, so Trade "
        "Assurance will not refund them even if the design does not suit your market.",
        ("000",),
    ),
    Problem.SERVICE_OR_WARRANTY: (
        "The order contract covers the products only: services such as installation or "
        "training, replacements and warranty promises are outside Trade Assurance.",
        ("002",),
    ),
}


def _text_excluded(c: Case) -> str:
    return _EXCLUSIONS[c.problem][0] if c.problem in _EXCLUSIONS else "Not covered."


def _sources_excluded(c: Case) -> tuple[str, ...]:
    return cite(*_EXCLUSIONS[c.problem][1]) if c.problem in _EXCLUSIONS else ()


def _text_receipt_confirmed(c: Case) -> str:
    return (
        "You have already confirmed receipt on Alibaba. Confirming releases the payment to the "
        "supplier, and problems raised after that generally fall outside Trade Assurance."
    )


def _text_not_late(c: Case) -> str:
    return (
        f"The goods arrived on {day(c.arrival)}, on or before the ship-by date in the contract "
        f"({day(c.agreed)}), so the shipment was not late. If something else is wrong with "
        "them, run the check again and choose that problem."
    )


def _text_too_early(c: Case) -> str:
    return (
        f"Nothing is late yet: the contract gives the supplier until {day(c.agreed)} to ship. "
        "A claim for a late or missing shipment can only be made once that date has passed."
    )


def _text_window_closed(c: Case) -> str:
    where = "the typical 30-day window" if c.typical_window else "the window shown on your order"
    return (
        f"By {where} the last day to open a dispute was {day(c.deadline)} "
        f"({days_phrase(c.days_left or 0)}); disputes opened after the window are usually "
        "rejected, however strong the case."
    )


def _text_need_facts(c: Case) -> str:
    if c.problem is Problem.OTHER:
        return (
            "Trade Assurance covers specific problems only (late or missing shipments, quality "
            "or quantity not as in the contract, a supplier cancelling); I need to know which "
            "one fits before I can judge."
        )
    names = [label(n) for n in missing_facts(c.facts)]
    return "To judge the claim I still need: " + "; ".join(names) + "."


def _text_window_closing(c: Case) -> str:
    return (
        f"Time is short: the last day to open a dispute is {day(c.deadline)} "
        f"({days_phrase(c.days_left or 0)}). Act now; a late dispute is usually rejected."
    )


def _text_part_outside(c: Case) -> str:
    return (
        f"The {usd(c.outside)} you paid outside the order has no Trade Assurance protection: "
        "only money paid through the order can be refunded. Try to recall that payment, and "
        "pay nothing more outside the order."
    )


def _text_defect_in_use(c: Case) -> str:
    return (
        "Defects discovered after you started using or processing the goods may be rejected: "
        "claims are expected at inspection, on arrival. A measurable breach of the written "
        "specifications is still worth filing inside the window, but the case is weak."
    )


def _text_force_majeure(c: Case) -> str:
    return (
        "Genuine force majeure (natural disasters, government action, pandemics) is excluded, "
        "but Alibaba decides whether it applies, not the supplier. If nothing ships and nothing "
        "is refunded, file inside the window; expect the supplier to argue the exclusion."
    )


def _text_vague_specs(c: Case) -> str:
    state = "vague" if c.facts.specs_in_contract is Specs.VAGUE else "missing"
    return (
        f"The contract's specifications are {state}, so the goods will be judged against an "
        "inspector's general industry standards (such as ISO or ASTM), not against what you "
        "expected."
    )


def _text_no_inspection(c: Case) -> str:
    paid = c.facts.amount_paid
    if paid is not None and paid > INSPECTION_WORTH_IT:
        must = " (above US$20,000 it recommends one as a must)" if paid > INSPECTION_A_MUST else ""
        advice = (
            f"For an order of this size {_by('003')} recommends a third-party inspection"
            + must
            + "."
        )
    else:
        advice = (
            "For an order this small, dated photos, video and measurements against the "
            f"contract are the practical proof; {_by('003')} suggests an inspection only "
            "above US$5,000."
        )
    return (
        "There is no third-party inspection report, the most persuasive proof in a quality "
        f"dispute ({_by('000')} calls it a requirement for quality claims; {_by('001')} and "
        f"{_by('003')} treat it as strong evidence). {advice}"
    )


def _text_weak_evidence(c: Case) -> str:
    if not c.held:
        return (
            "You hold no evidence yet (contract, Alibaba chat, photos, tracking): disputes are "
            "decided on evidence, so gather it before you file."
        )
    gaps = ", ".join(EVIDENCE_LABELS[e] for e in weak_evidence_gaps(c))
    return f"Key evidence is missing ({gaps}); disputes are decided on evidence."


def _text_over_coverage(c: Case) -> str:
    paid, limit = c.facts.amount_paid or 0.0, c.facts.coverage_limit or 0.0
    return (
        f"You paid {usd(paid)} but the supplier's coverage is {usd(limit)}: at most "
        f"{usd(min(paid, limit))} can be refunded through Trade Assurance and "
        f"{usd(paid - min(paid, limit))} of it is unprotected."
    )


def _text_coverage_unknown(c: Case) -> str:
    text = (
        "The supplier's Trade Assurance coverage amount is unknown, so I cannot say how much "
        "is protected. It is shown next to the Trade Assurance mark on the supplier's profile "
        "and product pages."
    )
    paid = c.facts.amount_paid
    if paid is not None and paid > TYPICAL_CAP_FLOOR:
        text += (
            f" Typical caps start at US$10,000 ({_by('002')} gives US$10,000-30,000, "
            f"{_by('003')} US$10,000-100,000), so part of your {usd(paid)} may be unprotected."
        )
    if c.outside > 0:
        text += f" At least the {usd(c.outside)} paid outside the order is unprotected."
    return text


def _text_covered(c: Case) -> str:
    what = {
        Problem.LATE_SHIPMENT: "A shipment later than the contract's date",
        Problem.NOT_DELIVERED: "Goods never delivered",
        Problem.QUALITY_MISMATCH: "Quality that does not match the contract",
        Problem.WRONG_QUANTITY: "A wrong quantity",
        Problem.SUPPLIER_CANCELLED: "A supplier cancelling after the order was confirmed",
        Problem.DEFECT_AFTER_USE: "A breach of the written specifications",
        Problem.FORCE_MAJEURE: "A shipment that never came",
    }.get(c.problem or Problem.OTHER, "The problem")
    until = f" until {day(c.deadline)}" if c.deadline else ""
    return (
        f"{what} is a problem Trade Assurance covers; the order is a Trade Assurance order paid "
        f"through Alibaba, and the dispute window is open{until}."
    )


def _by(number: str) -> str:
    """The publisher a person knows a seed by (reason texts never show seed numbers)."""
    (file,) = cite(number)
    return _cite_for_people(file, title=False)


def _text_typical_window(c: Case) -> str:
    return (
        f"This deadline uses the typical window {_by('003')} gives: 30 days after "
        f"delivery or the expected date. {_by('002')} gives 15 days after customs "
        "clearance to report quality problems under post-delivery coverage. Your order page "
        "shows the real last day: open the order in My Alibaba > Orders."
    )


# --- the rule table ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the contract's table.

    `effect` is the verdict a decisive rule imposes (None for risks and notes); `reads` names
    the facts the condition uses; `weak` says whether a risk makes the case weak.
    """

    code: Code
    severity: Severity
    reads: tuple[FactName, ...]
    applies: Callable[[Case], bool]
    explain: Callable[[Case], str]
    sources: Callable[[Case], tuple[str, ...]]
    effect: Verdict | None = None
    weak: Callable[[Case], bool] = _never

    def reason(self, case: Case) -> Reason:
        """This rule's reason for the case at hand."""
        return Reason(
            code=self.code,
            severity=self.severity,
            text=self.explain(case),
            sources=list(self.sources(case)),
        )


def _seeds(*numbers: str) -> Callable[[Case], tuple[str, ...]]:
    files = cite(*numbers)

    def sources(case: Case) -> tuple[str, ...]:
        return files

    return sources


DECISIVE, RISK, NOTE = Severity.DECISIVE, Severity.RISK, Severity.NOTE
NO = Verdict.NOT_ELIGIBLE
ALL_DATES: tuple[FactName, ...] = ("delivery_date", "agreed_date", "order_window_end")

RULES: tuple[Rule, ...] = (
    Rule(Code.OFF_PLATFORM_PAYMENT, DECISIVE, ("paid_via",), _off_platform, _text_off_platform,
         _seeds("000", "001", "002", "003", "004"), NO),
    Rule(Code.NOT_TA_ORDER, DECISIVE, ("trade_assurance_order", "coverage_limit"), _not_ta_order,
         _text_not_ta_order, _seeds("002", "003", "004"), NO),
    Rule(Code.NOTHING_PAID, DECISIVE, ("amount_paid",), _nothing_paid, _text_nothing_paid,
         _seeds(), NO),
    Rule(Code.EXCLUDED_PROBLEM, DECISIVE, ("problem",), _excluded, _text_excluded,
         _sources_excluded, NO),
    Rule(Code.RECEIPT_CONFIRMED, DECISIVE, ("receipt_confirmed",), _receipt_confirmed,
         _text_receipt_confirmed, _seeds("001", "003"), NO),
    Rule(Code.NOT_LATE, DECISIVE, ("problem", "agreed_date", "delivery_date"), _not_late,
         _text_not_late, _seeds("003"), NO),
    Rule(Code.TOO_EARLY, DECISIVE, ("problem", "agreed_date", "delivery_date"), _too_early,
         _text_too_early, _seeds("003"), Verdict.TOO_EARLY),
    Rule(Code.WINDOW_CLOSED, DECISIVE, ALL_DATES, _window_closed, _text_window_closed,
         _seeds("001", "003"), NO),
    Rule(Code.NEED_FACTS, DECISIVE, (), _needs_facts, _text_need_facts, _seeds(),
         Verdict.NEED_MORE_INFO),
    Rule(Code.WINDOW_CLOSING, RISK, ALL_DATES, _window_closing, _text_window_closing,
         _seeds("001", "003")),
    Rule(Code.PART_PAID_OUTSIDE, RISK, ("amount_paid_outside",), _part_outside,
         _text_part_outside, _seeds("001", "002", "003")),
    Rule(Code.DEFECT_FOUND_IN_USE, RISK, ("problem",), _defect_in_use, _text_defect_in_use,
         _seeds("003"), weak=_always),
    Rule(Code.FORCE_MAJEURE_CLAIMED, RISK, ("problem",), _force_majeure, _text_force_majeure,
         _seeds("003"), weak=_always),
    Rule(Code.VAGUE_SPECS, RISK, ("problem", "specs_in_contract"), _vague_specs,
         _text_vague_specs, _seeds("001", "002", "003"), weak=_no_specs),
    Rule(Code.NO_INSPECTION, RISK, ("problem", "evidence", "amount_paid"), _no_inspection,
         _text_no_inspection, _seeds("001", "002", "003")),
    Rule(Code.WEAK_EVIDENCE, RISK, ("problem", "evidence", "delivery_date"), _weak_evidence,
         _text_weak_evidence, _seeds("001", "003"), weak=_no_evidence),
    Rule(Code.OVER_COVERAGE, RISK, ("amount_paid", "coverage_limit"), _over_coverage,
         _text_over_coverage, _seeds("001", "002", "003")),
    Rule(Code.COVERAGE_UNKNOWN, RISK, ("coverage_limit", "amount_paid"), _coverage_unknown,
         _text_coverage_unknown, _seeds("001", "002", "003", "004")),
    Rule(Code.COVERED_PROBLEM, DECISIVE, ("problem",), _always, _text_covered,
         _seeds("000", "001", "003", "004"), Verdict.ELIGIBLE),
    Rule(Code.TYPICAL_WINDOW, NOTE, ALL_DATES, _typical_window, _text_typical_window,
         _seeds("002", "003")),
)  # fmt: skip
"""The contract's table, row for row and in its order, then the notes."""

RULES_BY_CODE: dict[Code, Rule] = {rule.code: rule for rule in RULES}

NOTES_WITH: dict[Code, frozenset[Code]] = {
    Code.WINDOW_CLOSED: frozenset({Code.TYPICAL_WINDOW}),
    Code.TOO_EARLY: frozenset({Code.TYPICAL_WINDOW}),
    Code.NEED_FACTS: frozenset({Code.TYPICAL_WINDOW}),
    Code.COVERED_PROBLEM: frozenset({Code.TYPICAL_WINDOW}),
}
"""The notes that help next to each decisive reason (a deadline note only where the deadline
is part of the answer)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the rules concluded: the verdict, its strength, the reasons and missing facts."""

    verdict: Verdict
    decisive: Code
    strength: Strength | None
    reasons: tuple[Reason, ...]
    missing_facts: tuple[FactName, ...]


def evaluate(case: Case) -> Outcome:
    """Apply the rules in order: the first decisive one wins; otherwise risks decide strength."""
    risks: list[Rule] = []
    for rule in RULES:
        if rule.severity is NOTE or not rule.applies(case):
            continue
        if rule.severity is RISK:
            risks.append(rule)
            continue
        return _conclude(rule, risks, case)
    raise AssertionError("COVERED_PROBLEM always applies")  # pragma: no cover


def _conclude(decisive: Rule, risks: list[Rule], case: Case) -> Outcome:
    verdict = decisive.effect or Verdict.ELIGIBLE
    strength: Strength | None = None
    if decisive.code is Code.COVERED_PROBLEM:
        if risks:
            verdict = Verdict.ELIGIBLE_WITH_RISKS
        strength = _strength(risks, case)
    else:
        risks = []
    wanted = NOTES_WITH.get(decisive.code, frozenset())
    notes = [r for r in RULES if r.code in wanted and r.applies(case)]
    missing = tuple(missing_facts(case.facts)) if verdict is Verdict.NEED_MORE_INFO else ()
    reasons = tuple(r.reason(case) for r in (decisive, *risks, *notes))
    return Outcome(verdict, decisive.code, strength, reasons, missing)


def _strength(risks: list[Rule], case: Case) -> Strength:
    if any(r.weak(case) for r in risks):
        return Strength.WEAK
    return Strength.FAIR if risks else Strength.STRONG
