"""Next steps: ordered, concrete actions tailored to the verdict, the decisive rule and the problem.

The buyer acts on these with real money, so each step says where to click, what to gather or
whom to turn to instead, never just "consider your options".
"""

from __future__ import annotations

import datetime as dt

from bot.claims.assessment import Code, Verdict
from bot.claims.case import Case
from bot.claims.catalog import BY_NAME, FactName
from bot.claims.evidence import EXTRA_EVIDENCE, how_to_get, inspection_worth_it, missing_evidence
from bot.claims.facts import COVERED_PROBLEMS, QUALITY_PROBLEMS, PaidVia, Problem
from bot.claims.labels import PROBLEM_LABELS, day, days_phrase, usd
from bot.claims.rules import Outcome

OPEN_DISPUTE_PATH = "My Alibaba > Orders > this order > Open Dispute"

COVERED_PROBLEMS_LINE = (
    "Trade Assurance covers: "
    + ", ".join(PROBLEM_LABELS[p] for p in COVERED_PROBLEMS)
    + " (after the order was confirmed)."
)

STOP_PAYING_OUTSIDE = (
    "Do not send any more money outside the order, whatever fee, discount or 'account "
    "problem' the supplier mentions."
)


def next_steps(case: Case, outcome: Outcome, estimate: float | None = None) -> list[str]:
    """The ordered steps for this outcome."""
    if outcome.verdict is Verdict.NEED_MORE_INFO:
        return _ask_steps(case, outcome.missing_facts)
    if outcome.verdict is Verdict.TOO_EARLY:
        return _with_recall(case, _too_early_steps(case))
    if outcome.verdict is Verdict.NOT_ELIGIBLE:
        steps = _elsewhere_steps(case, outcome.decisive)
        if outcome.decisive is Code.OFF_PLATFORM_PAYMENT:
            return steps  # its own steps already start with stopping or recalling the transfer
        return _with_recall(case, steps)
    return _claim_steps(case, {r.code for r in outcome.reasons}, estimate)


# --- eligible: how to file -----------------------------------------------------------------------


def _claim_steps(case: Case, codes: set[Code], estimate: float | None) -> list[str]:
    f = case.facts
    problem = f.problem
    steps = [_deadline_step(case, urgent=Code.WINDOW_CLOSING in codes)]
    if Code.PART_PAID_OUTSIDE in codes:
        steps.append(
            f"Ask your bank or payment provider today whether the {usd(case.outside)} paid "
            "outside the order can be recalled or charged back; the dispute cannot cover it. "
            + STOP_PAYING_OUTSIDE
        )
    held = case.held
    steps += [how_to_get(item, problem) for item in missing_evidence(problem, held, f.amount_paid)]
    if Code.NO_INSPECTION in codes and not inspection_worth_it(f.amount_paid):
        steps.append(
            "For an order this size, skip the paid inspection: measure and photograph the "
            "defects next to the contract's specifications, with dates, before anything is used."
        )
    steps += _problem_tips(case, codes)
    steps.append(
        "Do not confirm receipt on Alibaba while the problem is open: confirming releases the "
        "payment to the supplier and usually ends the protection."
    )
    label = PROBLEM_LABELS[problem] if problem else "your problem"
    steps.append(
        f"Open the dispute: {OPEN_DISPUTE_PATH}. Choose the reason that fits ({label}), upload "
        "your evidence and state plainly which contract term the supplier broke."
    )
    steps.append(_amount_step(case, codes, estimate))
    steps.append(
        "Negotiate first: the supplier answers in the dispute and may offer a refund. If you "
        "cannot agree, escalate to Alibaba, whose team reviews the evidence and decides "
        "(often in 15 to 60 days)."
    )
    steps.append(
        "If you disagree with Alibaba's decision, appeal within the appeal window (usually "
        "about 7 days) and bring new evidence, not just the same arguments."
    )
    return steps


def _deadline_step(case: Case, *, urgent: bool) -> str:
    when = f"by {day(case.deadline)} ({days_phrase(case.days_left or 0)})"
    check = (
        "; this uses the typical window, so check the real last day on the order page"
        if case.typical_window
        else ", the last day your order page shows"
    )
    if urgent:
        return (
            f"Act today: open the dispute {when}{check}. File with the evidence you already "
            "hold rather than miss the date."
        )
    return f"Open the dispute {when}{check}."


def _problem_tips(case: Case, codes: set[Code]) -> list[str]:
    problem = case.facts.problem
    tips: list[str] = []
    if problem in QUALITY_PROBLEMS or problem is Problem.WRONG_QUANTITY:
        tips.append(
            "Do not use, process or resell the disputed goods until the dispute is settled; "
            "defects reported after use may be rejected."
        )
    if problem is Problem.DEFECT_AFTER_USE:
        tips.append(
            "Stop using the goods now, and show that the defect breaks a measurable term of the "
            "contract (a test result or measurement), not only that the goods wore out."
        )
    if problem is Problem.FORCE_MAJEURE:
        tips.append(
            "Ask the supplier in the Alibaba chat for a firm new ship date or a refund, in "
            "writing; if neither comes, open the dispute and let Alibaba judge the exclusion."
        )
    if Code.VAGUE_SPECS in codes:
        tips.append(
            "Collect every measurable detail the supplier agreed to (in the chat, the product "
            "listing, an approved sample); otherwise general ISO/ASTM standards decide."
        )
    if problem is Problem.LATE_SHIPMENT:
        tips.append(
            "Put the contract's ship-by date next to the real shipping date from tracking; "
            "that gap is your claim."
        )
    if problem is Problem.WRONG_QUANTITY:
        tips.append(
            "Count every carton and unit on video and claim for what is missing, not the whole "
            "payment: the refund covers the missing (or excess) amount."
        )
    if problem is Problem.SUPPLIER_CANCELLED:
        tips.append(
            "Keep the supplier's cancellation (the order status or their chat message) as "
            "proof that they cancelled after confirming the order."
        )
    return tips


def _amount_step(case: Case, codes: set[Code], estimate: float | None) -> str:
    paid = case.facts.amount_paid or 0.0
    protected = case.protected_amount or 0.0
    if estimate is not None:
        return (
            f"Claim about {usd(estimate)}, the share of your payment for the missing units; "
            "Alibaba assesses the exact amount."
        )
    if Code.OVER_COVERAGE in codes:
        return (
            f"Claim up to {usd(protected)}, the most Trade Assurance can refund here; for the "
            f"other {usd(case.unprotected_amount or 0.0)} negotiate with the supplier directly "
            "(refund, replacement or credit on the next order)."
        )
    if Code.COVERAGE_UNKNOWN in codes:
        return (
            "Check the supplier's Trade Assurance coverage amount (on their Alibaba profile or "
            f"your order page): only up to that amount of your {usd(paid)} can be refunded."
        )
    return (
        f"Claim up to {usd(protected)}, the amount paid through the order and within the "
        "supplier's coverage; most successful claims end in a partial refund."
    )


# --- not eligible: where to go instead -----------------------------------------------------------


def _elsewhere_steps(case: Case, decisive: Code) -> list[str]:
    if decisive is Code.OFF_PLATFORM_PAYMENT:
        return _off_platform_steps(case.facts.paid_via)
    if decisive is Code.NOT_TA_ORDER:
        return [
            "Check in My Alibaba > Orders whether the order does show Trade Assurance "
            "protection; if it does, run the check again with that answer.",
            "Ask the supplier in the Alibaba chat for a refund, replacement or discount, "
            "pointing to what you agreed in writing.",
            "Ask your bank or payment provider whether the payment can be disputed or "
            "charged back.",
            "Next time, create the order as a Trade Assurance order with an online contract "
            "and pay through it.",
        ]
    if decisive is Code.NOTHING_PAID:
        steps = [
            "Do not pay anything now until the supplier confirms, in the Alibaba chat, what "
            "will ship and when.",
            "If you decide to pay, pay only through the Alibaba order checkout, never to "
            "bank details sent by chat or email: only that payment is protected.",
            "If the supplier cancelled, ask Alibaba support to close the order so it cannot "
            "be charged later.",
        ]
        return steps
    if decisive is Code.NOT_LATE:
        return [
            "The delay is not a claim here. If the goods themselves are wrong (quality, "
            "quantity), run the check again and choose that problem.",
            "Do not confirm receipt until you have checked the goods against the contract.",
        ]
    if decisive is Code.EXCLUDED_PROBLEM:
        return _excluded_steps(case)
    if decisive is Code.RECEIPT_CONFIRMED:
        if case.arrived is False:
            return _confirmed_before_arrival_steps()
        return [
            "If the defect could not be seen before you confirmed receipt (hidden inside the "
            "goods, found on first testing), contact Alibaba support at once with your photos "
            "and the contract, and ask whether a dispute can still be opened.",
            "Ask the supplier in the Alibaba chat for a refund, replacement or discount, "
            "naming the contract terms the goods break.",
            "You can still ask Alibaba's support about the order, but after confirmation the "
            "answer is usually that it is complete.",
            "Keep your photos, chat and contract together in case the supplier agrees to "
            "make it right.",
            "Next time, inspect the goods (or have them inspected) before you confirm receipt.",
        ]
    with_supplier = (
        "directly with the supplier in the Alibaba chat, pointing to the contract terms they broke."
    )
    closed = [
        # "Otherwise" only follows the check-the-order-page step, which a known window omits.
        ("Otherwise, negotiate " if case.typical_window else "Negotiate ") + with_supplier,
        "Next time, open the dispute as soon as a problem appears instead of waiting on the "
        "supplier's promises past the window.",
    ]
    if case.typical_window:
        closed.insert(
            0,
            f"Check the order page now (My Alibaba > Orders > this order): the typical window "
            f"ended on {day(case.deadline)}, but if the page still shows the dispute window "
            "open, open the dispute there today.",
        )
    return closed


def _confirmed_before_arrival_steps() -> list[str]:
    """Receipt confirmed for goods that never came (often at the supplier's request): the one
    chance left is Alibaba stepping in before the payment is treated as settled."""
    return [
        "Contact Alibaba support at once (My Alibaba > Orders > this order, or the help "
        "centre): say the goods never arrived and receipt was confirmed by mistake, and attach "
        "the Alibaba chat and any tracking; ask whether a dispute can still be opened.",
        "Ask the supplier in the Alibaba chat, in writing, to ship now or refund you.",
        "Do not send any money outside the order to 'fix' the confirmation or release the "
        "goods, whatever the supplier says.",
        "Next time, confirm receipt only after the goods have arrived and you have checked "
        "them against the contract.",
    ]


def _with_recall(case: Case, steps: list[str]) -> list[str]:
    """Money sent outside the order is unprotected whatever the verdict, and a recall only has
    a chance while it is fresh: it comes first whenever some was sent."""
    return [_recall_outside(case), *steps] if case.outside > 0 else steps


def _recall_outside(case: Case) -> str:
    return (
        f"Ask your bank or payment provider today whether the {usd(case.outside)} paid outside "
        "the order can be recalled or charged back. " + STOP_PAYING_OUTSIDE
    )


def _too_early_steps(case: Case) -> list[str]:
    after = day(case.agreed + dt.timedelta(days=1)) if case.agreed else "the ship-by date"
    return [
        "Ask the supplier in the Alibaba chat for a production and shipping update, and keep "
        "the answer: it becomes evidence if the date is missed.",
        "Check that the order page shows the same ship-by date as your contract, and do not "
        "agree to a later date unless the order is updated to match.",
        f"Come back on {after}: if the goods have not shipped by then, run the check again "
        "and open the dispute.",
        "Do not pay any balance outside the order, whatever reason the supplier gives.",
    ]


_RECOVERY: dict[PaidVia, str] = {
    PaidVia.SUPPLIER_BANK_ACCOUNT: (
        "Call your bank today and ask it to recall the wire; a recall only has a chance "
        "before the money is credited, so do not wait."
    ),
    PaidVia.WESTERN_UNION: (
        "Contact Western Union right away: if the money has not been collected yet, the "
        "transfer may still be stopped."
    ),
    PaidVia.PAYPAL_OUTSIDE_ORDER: (
        "Open a dispute with PayPal now under its own buyer protection (strongest for goods "
        "that never arrived)."
    ),
}


def _off_platform_steps(paid_via: PaidVia | None) -> list[str]:
    recover = _RECOVERY.get(
        paid_via or PaidVia.OTHER_OFF_PLATFORM,
        "Contact your bank or payment provider today and ask whether the payment can be "
        "recalled or charged back.",
    )
    return [
        recover,
        STOP_PAYING_OUTSIDE,
        "Report the supplier to Alibaba (from their company page or the chat), attaching your "
        "payment receipt and the chat.",
        "Keep the payment receipt, invoice, contract and full chat history; your bank or a "
        "lawyer will need them.",
        "If you in fact paid by T/T into the account shown on the Alibaba order page "
        "(Alibaba's designated account), that counts as paying through the order: run the "
        "check again.",
        "Next time, pay only through the Alibaba order checkout.",
    ]


_EXCLUDED_STEPS: dict[Problem, tuple[str, ...]] = {
    Problem.TRANSIT_DAMAGE: (
        "Claim from the carrier or freight forwarder that moved the goods, and from your "
        "cargo insurer if the shipment was insured; report it quickly, their time limits "
        "are short.",
        "If the supplier booked freight and insurance (for example on CIF terms), ask the "
        "supplier in the Alibaba chat to claim on their policy for you.",
        "For future valuable shipments, buy cargo insurance.",
    ),
    Problem.CUSTOMS_HOLD: (
        "Ask your customs broker exactly what customs needs (documents, registration, "
        "labels or permits) and the deadline for providing it.",
        "Meeting import rules is normally the importer's job; the supplier only owes the "
        "documents or certificates the contract promises in writing. If it does, ask the "
        "supplier for them in the Alibaba chat.",
        "Next time, write the certificates, registrations and labelling you need into the "
        "contract.",
    ),
    Problem.SUBJECTIVE_QUALITY: (
        "Raise it with the supplier in the Alibaba chat and ask for a discount, a "
        "replacement or a fix in the next batch.",
        "If part of the complaint breaks a measurable term (size, material, colour code, "
        "defect rate), run the check again as a quality mismatch.",
        "Next time, put measurable specifications into the contract: materials, dimensions, "
        "tolerances, colour codes and an acceptable defect level.",
    ),
    Problem.MATCHES_APPROVED_SAMPLE: (
        "Agree design changes with the supplier in the Alibaba chat for the next order; "
        "this order is measured against the sample you approved.",
        "If the bulk differs from the approved sample in something measurable, run the check "
        "again as a quality mismatch and keep the sample as proof.",
    ),
    Problem.SERVICE_OR_WARRANTY: (
        "Claim the service, replacement or warranty from the supplier directly under your "
        "written agreement, in the Alibaba chat so there is a record.",
        "If the goods themselves differ from the contract (missing parts, wrong "
        "specifications), run the check again as a quality mismatch.",
    ),
}


def _excluded_steps(case: Case) -> list[str]:
    problem = case.facts.problem
    if problem is None or problem not in _EXCLUDED_STEPS:
        return ["Take the problem up with the supplier directly, in the Alibaba chat."]
    first, *rest = _EXCLUDED_STEPS[problem]
    extra = EXTRA_EVIDENCE.get(problem, frozenset())
    gather = [how_to_get(e, problem) for e in missing_evidence(problem, case.held) if e in extra]
    return [first, *gather, *rest]


# --- need more info: what to find out ------------------------------------------------------------


def _ask_steps(case: Case, missing: tuple[FactName, ...]) -> list[str]:
    steps: list[str] = []
    if case.deadline is not None and case.days_left is not None:
        steps.append(
            f"Mind the date: disputes usually have to be opened by {day(case.deadline)} "
            f"({days_phrase(case.days_left)})."
        )
    steps += [_ask_step(name, case) for name in missing]
    return steps


def _ask_step(name: FactName, case: Case) -> str:
    if name == "problem" and case.facts.problem is Problem.OTHER:
        return (
            f"{COVERED_PROBLEMS_LINE} If yours is one of these, choose it; if not, ask me "
            "about your problem as a question and I will answer it."
        )
    return BY_NAME[name].where
