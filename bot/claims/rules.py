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

from bot.claims.assessment import Code, Figures, Reason, Severity, Strength, Verdict
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
from bot.claims.labels import EVIDENCE_LABELS, PAID_VIA_LABELS, days_left, money, when
from bot.claims.sources import cite
from bot.i18n import Text, _, deferred, join
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


# --- reason figures: what each rule's words need, decided here --------------------------------


def _no_figures(c: Case) -> Figures:
    return Figures()


def _fig_off_platform(c: Case) -> Figures:
    return Figures(paid_via=c.facts.paid_via or PaidVia.OTHER_OFF_PLATFORM)


def _fig_not_ta_order(c: Case) -> Figures:
    return Figures(variant="not_ta_order" if c.facts.trade_assurance_order is False else "no_cover")


def _fig_problem(c: Case) -> Figures:
    return Figures(problem=c.problem)


def _sources_excluded(c: Case) -> tuple[str, ...]:
    return cite(*EXCLUSION_SEEDS[c.problem]) if c.problem in EXCLUSION_SEEDS else ()


EXCLUSION_SEEDS: dict[Problem, tuple[str, ...]] = {
    Problem.TRANSIT_DAMAGE: ("003",),
    Problem.CUSTOMS_HOLD: ("003",),
    Problem.SUBJECTIVE_QUALITY: ("000", "001", "003"),
    Problem.MATCHES_APPROVED_SAMPLE: ("000",),
    Problem.SERVICE_OR_WARRANTY: ("002",),
}
"""The seeds that exclude each problem."""


def _fig_dates(c: Case) -> Figures:
    return Figures(arrival=c.arrival, agreed=c.agreed)


def _fig_window(c: Case) -> Figures:
    return Figures(deadline=c.deadline, days_left=c.days_left or 0, typical=c.typical_window)


def _fig_need_facts(c: Case) -> Figures:
    if c.problem is Problem.OTHER:
        return Figures(problem=c.problem)
    return Figures(facts=tuple(missing_facts(c.facts)))


def _fig_outside(c: Case) -> Figures:
    return Figures(outside=c.outside)


def _fig_specs(c: Case) -> Figures:
    return Figures(specs=c.facts.specs_in_contract)


def _fig_no_inspection(c: Case) -> Figures:
    paid = c.facts.amount_paid
    if paid is not None and paid > INSPECTION_WORTH_IT:
        return Figures(variant="must" if paid > INSPECTION_A_MUST else "large")
    return Figures(variant="small")


def _fig_weak_evidence(c: Case) -> Figures:
    if not c.held:
        return Figures(variant="nothing_held")
    return Figures(gaps=tuple(weak_evidence_gaps(c)))


def _fig_over_coverage(c: Case) -> Figures:
    paid, limit = c.facts.amount_paid or 0.0, c.facts.coverage_limit or 0.0
    refundable = min(paid, limit)
    return Figures(paid=paid, limit=limit, protected=refundable, unprotected=paid - refundable)


def _fig_coverage_unknown(c: Case) -> Figures:
    """The typical caps are mentioned only above their floor, the outside part only if any."""
    paid = c.facts.amount_paid
    return Figures(
        paid=paid if paid is not None and paid > TYPICAL_CAP_FLOOR else None,
        outside=c.outside if c.outside > 0 else None,
    )


def _fig_covered(c: Case) -> Figures:
    return Figures(problem=c.problem or Problem.OTHER, deadline=c.deadline)


# --- reason words: the catalogue's sentences for each code, from its figures ------------------


def _by(number: str) -> Text:
    """The publisher a person knows a seed by (reason texts never show seed numbers), in the
    reader's words where the name is a word ("Unnamed publisher")."""
    (file,) = cite(number)
    return deferred(_cite_for_people(file, title=False))


def _words_off_platform(f: Figures) -> Text:
    return _(
        "You paid {how}. Trade Assurance protects only money paid through the Alibaba order "
        "itself (card, e-checking, or T/T into the account Alibaba gives for that order); money "
        "sent anywhere else has no protection, even when the supplier shows the badge.",
        how=PAID_VIA_LABELS[f.paid_via or PaidVia.OTHER_OFF_PLATFORM],
    )


def _words_not_ta_order(f: Figures) -> Text:
    if f.variant == "not_ta_order":
        return _(
            "The order was not created on Alibaba.com as a Trade Assurance order with an online "
            "order contract, so there is no protection to claim under."
        )
    return _(
        "The supplier shows no Trade Assurance coverage amount ({zero}), so there is nothing "
        "Trade Assurance can refund on this order.",
        zero=money(0),
    )


def _words_nothing_paid(f: Figures) -> Text:
    return _(
        "Nothing has been paid through the order, so there is nothing for Trade Assurance to "
        "refund. That also means you have lost nothing yet."
    )


def _words_excluded(f: Figures) -> Text:
    if f.problem is Problem.TRANSIT_DAMAGE:
        return _(
            "Damage in transit is a matter for the carrier or a cargo insurer: Trade Assurance "
            "answers only for what the supplier promised in the contract."
        )
    if f.problem is Problem.CUSTOMS_HOLD:
        return _(
            "Goods held or seized by your country's customs are outside Trade Assurance; meeting "
            "import rules is normally the importer's job unless the contract put it on the "
            "supplier."
        )
    if f.problem is Problem.SUBJECTIVE_QUALITY:
        return _(
            "Trade Assurance judges quality only against what the contract measures; not liking "
            "the look or feel, or minor cosmetic variation, does not qualify."
        )
    if f.problem is Problem.MATCHES_APPROVED_SAMPLE:
        return _(
            "Bulk goods that match the sample you approved are what was agreed, so Trade "
            "Assurance will not refund them even if the design does not suit your market."
        )
    if f.problem is Problem.SERVICE_OR_WARRANTY:
        return _(
            "The order contract covers the products only: services such as installation or "
            "training, replacements and warranty promises are outside Trade Assurance."
        )
    return _("Not covered.")


def _words_receipt_confirmed(f: Figures) -> Text:
    return _(
        "You have already confirmed receipt on Alibaba. Confirming releases the payment to the "
        "supplier, and problems raised after that generally fall outside Trade Assurance."
    )


def _words_not_late(f: Figures) -> Text:
    return _(
        "The goods arrived on {arrival}, on or before the ship-by date in the contract "
        "({agreed}), so the shipment was not late. If something else is wrong with "
        "them, run the check again and choose that problem.",
        arrival=when(f.arrival),
        agreed=when(f.agreed),
    )


def _words_too_early(f: Figures) -> Text:
    return _(
        "Nothing is late yet: the contract gives the supplier until {agreed} to ship. "
        "A claim for a late or missing shipment can only be made once that date has passed.",
        agreed=when(f.agreed),
    )


def _words_window_closed(f: Figures) -> Text:
    left = days_left(f.days_left or 0)
    if f.typical:
        return _(
            "By the typical 30-day window the last day to open a dispute was {deadline} "
            "({left}); disputes opened after the window are usually rejected, however strong "
            "the case.",
            deadline=when(f.deadline),
            left=left,
        )
    return _(
        "By the window shown on your order the last day to open a dispute was {deadline} "
        "({left}); disputes opened after the window are usually rejected, however strong the "
        "case.",
        deadline=when(f.deadline),
        left=left,
    )


def _words_need_facts(f: Figures) -> Text:
    if f.problem is Problem.OTHER:
        return _(
            "Trade Assurance covers specific problems only (late or missing shipments, quality "
            "or quantity not as in the contract, a supplier cancelling); I need to know which "
            "one fits before I can judge."
        )
    names = join(*(label(name) for name in f.facts), sep="; ")
    return _("To judge the claim I still need: {facts}.", facts=names)


def _words_window_closing(f: Figures) -> Text:
    return _(
        "Time is short: the last day to open a dispute is {deadline} ({left}). Act now; a late "
        "dispute is usually rejected.",
        deadline=when(f.deadline),
        left=days_left(f.days_left or 0),
    )


def _words_part_outside(f: Figures) -> Text:
    return _(
        "The {outside} you paid outside the order has no Trade Assurance protection: only money "
        "paid through the order can be refunded. Try to recall that payment, and pay nothing "
        "more outside the order.",
        outside=money(f.outside),
    )


def _words_defect_in_use(f: Figures) -> Text:
    return _(
        "Defects discovered after you started using or processing the goods may be rejected: "
        "claims are expected at inspection, on arrival. A measurable breach of the written "
        "specifications is still worth filing inside the window, but the case is weak."
    )


def _words_force_majeure(f: Figures) -> Text:
    return _(
        "Genuine force majeure (natural disasters, government action, pandemics) is excluded, "
        "but Alibaba decides whether it applies, not the supplier. If nothing ships and nothing "
        "is refunded, file inside the window; expect the supplier to argue the exclusion."
    )


def _words_vague_specs(f: Figures) -> Text:
    if f.specs is Specs.VAGUE:
        return _(
            "The contract's specifications are vague, so the goods will be judged against an "
            "inspector's general industry standards (such as ISO or ASTM), not against what you "
            "expected."
        )
    return _(
        "The contract's specifications are missing, so the goods will be judged against an "
        "inspector's general industry standards (such as ISO or ASTM), not against what you "
        "expected."
    )


def _words_no_inspection(f: Figures) -> Text:
    if f.variant == "must":
        advice = _(
            "For an order of this size {by} recommends a third-party inspection (above {must} it "
            "recommends one as a must).",
            by=_by("003"),
            must=money(INSPECTION_A_MUST),
        )
    elif f.variant == "large":
        advice = _(
            "For an order of this size {by} recommends a third-party inspection.", by=_by("003")
        )
    else:
        advice = _(
            "For an order this small, dated photos, video and measurements against the "
            "contract are the practical proof; {by} suggests an inspection only above {floor}.",
            by=_by("003"),
            floor=money(INSPECTION_WORTH_IT),
        )
    return _(
        "There is no third-party inspection report, the most persuasive proof in a quality "
        "dispute ({by000} calls it a requirement for quality claims; {by001} and {by003} treat "
        "it as strong evidence). {advice}",
        by000=_by("000"),
        by001=_by("001"),
        by003=_by("003"),
        advice=advice,
    )


def _words_weak_evidence(f: Figures) -> Text:
    if f.variant == "nothing_held":
        return _(
            "You hold no evidence yet (contract, Alibaba chat, photos, tracking): disputes are "
            "decided on evidence, so gather it before you file."
        )
    gaps = join(*(EVIDENCE_LABELS[e] for e in f.gaps), sep=", ")
    return _("Key evidence is missing ({gaps}); disputes are decided on evidence.", gaps=gaps)


def _words_over_coverage(f: Figures) -> Text:
    return _(
        "You paid {paid} but the supplier's coverage is {limit}: at most {protected} can be "
        "refunded through Trade Assurance and {unprotected} of it is unprotected.",
        paid=money(f.paid),
        limit=money(f.limit),
        protected=money(f.protected),
        unprotected=money(f.unprotected),
    )


def _words_coverage_unknown(f: Figures) -> Text:
    parts = [
        _(
            "The supplier's Trade Assurance coverage amount is unknown, so I cannot say how "
            "much is protected. It is shown next to the Trade Assurance mark on the supplier's "
            "profile and product pages."
        )
    ]
    if f.paid is not None:
        parts.append(
            _(
                "Typical caps start at {floor} ({by002} gives {low002}-{high002}, {by003} "
                "{low003}-{high003}), so part of your {paid} may be unprotected.",
                floor=money(TYPICAL_CAP_FLOOR),
                by002=_by("002"),
                low002=money(10_000),
                high002=30_000,
                by003=_by("003"),
                low003=money(10_000),
                high003=100_000,
                paid=money(f.paid),
            )
        )
    if f.outside is not None:
        parts.append(
            _(
                "At least the {outside} paid outside the order is unprotected.",
                outside=money(f.outside),
            )
        )
    return join(*parts)


_COVERED_WHAT: dict[Problem, Text] = {
    Problem.LATE_SHIPMENT: _("A shipment later than the contract's date"),
    Problem.NOT_DELIVERED: _("Goods never delivered"),
    Problem.QUALITY_MISMATCH: _("Quality that does not match the contract"),
    Problem.WRONG_QUANTITY: _("A wrong quantity"),
    Problem.SUPPLIER_CANCELLED: _("A supplier cancelling after the order was confirmed"),
    Problem.DEFECT_AFTER_USE: _("A breach of the written specifications"),
    Problem.FORCE_MAJEURE: _("A shipment that never came"),
}


def _words_covered(f: Figures) -> Text:
    what = _COVERED_WHAT.get(f.problem or Problem.OTHER, _("The problem"))
    if f.deadline is not None:
        return _(
            "{what} is a problem Trade Assurance covers; the order is a Trade Assurance order "
            "paid through Alibaba, and the dispute window is open until {deadline}.",
            what=what,
            deadline=f.deadline,
        )
    return _(
        "{what} is a problem Trade Assurance covers; the order is a Trade Assurance order paid "
        "through Alibaba, and the dispute window is open.",
        what=what,
    )


def _words_typical_window(f: Figures) -> Text:
    return _(
        "This deadline uses the typical window {by003} gives: 30 days after delivery or the "
        "expected date. {by002} gives 15 days after customs clearance to report quality problems "
        "under post-delivery coverage. Your order page shows the real last day: open the order "
        "in My Alibaba > Orders.",
        by003=_by("003"),
        by002=_by("002"),
    )


REASON_WORDS: dict[Code, Callable[[Figures], Text]] = {
    Code.OFF_PLATFORM_PAYMENT: _words_off_platform,
    Code.NOT_TA_ORDER: _words_not_ta_order,
    Code.NOTHING_PAID: _words_nothing_paid,
    Code.EXCLUDED_PROBLEM: _words_excluded,
    Code.RECEIPT_CONFIRMED: _words_receipt_confirmed,
    Code.NOT_LATE: _words_not_late,
    Code.TOO_EARLY: _words_too_early,
    Code.WINDOW_CLOSED: _words_window_closed,
    Code.NEED_FACTS: _words_need_facts,
    Code.WINDOW_CLOSING: _words_window_closing,
    Code.PART_PAID_OUTSIDE: _words_part_outside,
    Code.DEFECT_FOUND_IN_USE: _words_defect_in_use,
    Code.FORCE_MAJEURE_CLAIMED: _words_force_majeure,
    Code.VAGUE_SPECS: _words_vague_specs,
    Code.NO_INSPECTION: _words_no_inspection,
    Code.WEAK_EVIDENCE: _words_weak_evidence,
    Code.OVER_COVERAGE: _words_over_coverage,
    Code.COVERAGE_UNKNOWN: _words_coverage_unknown,
    Code.COVERED_PROBLEM: _words_covered,
    Code.TYPICAL_WINDOW: _words_typical_window,
}
"""Each reason code's wording from its figures (rendered when shown)."""


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
    figures: Callable[[Case], Figures]
    sources: Callable[[Case], tuple[str, ...]]
    effect: Verdict | None = None
    weak: Callable[[Case], bool] = _never

    def reason(self, case: Case) -> Reason:
        """This rule's reason for the case at hand."""
        return Reason(
            code=self.code,
            severity=self.severity,
            sources=list(self.sources(case)),
            figures=self.figures(case),
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
    Rule(Code.OFF_PLATFORM_PAYMENT, DECISIVE, ("paid_via",), _off_platform, _fig_off_platform,
         _seeds("000", "001", "002", "003", "004"), NO),
    Rule(Code.NOT_TA_ORDER, DECISIVE, ("trade_assurance_order", "coverage_limit"), _not_ta_order,
         _fig_not_ta_order, _seeds("002", "003", "004"), NO),
    Rule(Code.NOTHING_PAID, DECISIVE, ("amount_paid",), _nothing_paid, _no_figures,
         _seeds(), NO),
    Rule(Code.EXCLUDED_PROBLEM, DECISIVE, ("problem",), _excluded, _fig_problem,
         _sources_excluded, NO),
    Rule(Code.RECEIPT_CONFIRMED, DECISIVE, ("receipt_confirmed",), _receipt_confirmed,
         _no_figures, _seeds("001", "003"), NO),
    Rule(Code.NOT_LATE, DECISIVE, ("problem", "agreed_date", "delivery_date"), _not_late,
         _fig_dates, _seeds("003"), NO),
    Rule(Code.TOO_EARLY, DECISIVE, ("problem", "agreed_date", "delivery_date"), _too_early,
         _fig_dates, _seeds("003"), Verdict.TOO_EARLY),
    Rule(Code.WINDOW_CLOSED, DECISIVE, ALL_DATES, _window_closed, _fig_window,
         _seeds("001", "003"), NO),
    Rule(Code.NEED_FACTS, DECISIVE, (), _needs_facts, _fig_need_facts, _seeds(),
         Verdict.NEED_MORE_INFO),
    Rule(Code.WINDOW_CLOSING, RISK, ALL_DATES, _window_closing, _fig_window,
         _seeds("001", "003")),
    Rule(Code.PART_PAID_OUTSIDE, RISK, ("amount_paid_outside",), _part_outside,
         _fig_outside, _seeds("001", "002", "003")),
    Rule(Code.DEFECT_FOUND_IN_USE, RISK, ("problem",), _defect_in_use, _no_figures,
         _seeds("003"), weak=_always),
    Rule(Code.FORCE_MAJEURE_CLAIMED, RISK, ("problem",), _force_majeure, _no_figures,
         _seeds("003"), weak=_always),
    Rule(Code.VAGUE_SPECS, RISK, ("problem", "specs_in_contract"), _vague_specs,
         _fig_specs, _seeds("001", "002", "003"), weak=_no_specs),
    Rule(Code.NO_INSPECTION, RISK, ("problem", "evidence", "amount_paid"), _no_inspection,
         _fig_no_inspection, _seeds("001", "002", "003")),
    Rule(Code.WEAK_EVIDENCE, RISK, ("problem", "evidence", "delivery_date"), _weak_evidence,
         _fig_weak_evidence, _seeds("001", "003"), weak=_no_evidence),
    Rule(Code.OVER_COVERAGE, RISK, ("amount_paid", "coverage_limit"), _over_coverage,
         _fig_over_coverage, _seeds("001", "002", "003")),
    Rule(Code.COVERAGE_UNKNOWN, RISK, ("coverage_limit", "amount_paid"), _coverage_unknown,
         _fig_coverage_unknown, _seeds("001", "002", "003", "004")),
    Rule(Code.COVERED_PROBLEM, DECISIVE, ("problem",), _always, _fig_covered,
         _seeds("000", "001", "003", "004"), Verdict.ELIGIBLE),
    Rule(Code.TYPICAL_WINDOW, NOTE, ALL_DATES, _typical_window, _no_figures,
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
