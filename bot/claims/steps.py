"""Next steps: ordered, concrete actions tailored to the verdict, the decisive rule and the problem.

The buyer acts on these with real money, so each step says where to click, what to gather or
whom to turn to instead, never just "consider your options".
"""

from __future__ import annotations

from bot.claims.assessment import Code, FactName, Verdict
from bot.claims.case import Case
from bot.claims.evidence import EXTRA_EVIDENCE, how_to_get, missing_evidence
from bot.claims.facts import SPEC_PROBLEMS, PaidVia, Problem
from bot.claims.labels import PROBLEM_LABELS, days_phrase, usd
from bot.claims.rules import Outcome, delivery_date_label

OPEN_DISPUTE_PATH = "My Alibaba > Orders > this order > Open Dispute"

COVERED_PROBLEMS_LINE = (
    "Trade Assurance covers: the supplier shipping late, goods never delivered, quality that "
    "does not match the contract's specifications, the wrong quantity, and the supplier "
    "cancelling after the order was confirmed."
)


def next_steps(case: Case, outcome: Outcome) -> list[str]:
    """The ordered steps for this outcome."""
    if outcome.verdict is Verdict.NEED_MORE_INFO:
        return _ask_steps(case, outcome.missing_facts)
    if outcome.verdict is Verdict.NOT_ELIGIBLE:
        return _elsewhere_steps(case, outcome.decisive)
    return _claim_steps(case, {r.code for r in outcome.reasons})


# --- eligible: how to file -----------------------------------------------------------------------


def _claim_steps(case: Case, codes: set[Code]) -> list[str]:
    f = case.facts
    problem = f.problem
    steps = [_deadline_step(case, urgent=Code.WINDOW_CLOSING in codes)]
    if problem is Problem.NOT_DELIVERED and f.delivery_date and case.as_of < f.delivery_date:
        steps.append(
            f"The expected delivery date ({f.delivery_date}) has not come yet: ask the supplier "
            "for a shipping update in the Alibaba chat, and claim if the date passes."
        )
    steps += [how_to_get(item, problem) for item in missing_evidence(problem, case.held)]
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
    steps.append(_amount_step(case, codes))
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
    when = f"by {case.deadline} — {days_phrase(case.days_left or 0)}"
    if urgent:
        return (
            f"Act today: open the dispute {when}. File with the evidence you already hold "
            "rather than miss the date."
        )
    return f"Open the dispute {when}; the order page may show a different window, check it."


def _problem_tips(case: Case, codes: set[Code]) -> list[str]:
    problem = case.facts.problem
    tips: list[str] = []
    if problem in SPEC_PROBLEMS:
        tips.append(
            "Do not use, process or resell the disputed goods until the dispute is settled; "
            "defects reported after use are usually rejected."
        )
    if Code.VAGUE_SPECS in codes:
        tips.append(
            "Collect every measurable detail the supplier agreed to (in the chat, the product "
            "listing, an approved sample); otherwise general ISO/ASTM standards decide."
        )
    if problem is Problem.LATE_SHIPMENT:
        tips.append(
            "Put the contract's shipping date next to the real shipping date from tracking; "
            "that gap is your claim."
        )
    if problem is Problem.SUPPLIER_CANCELLED:
        tips.append(
            "Keep the supplier's cancellation (the order status or their chat message) as "
            "proof that they cancelled after confirming the order."
        )
    return tips


def _amount_step(case: Case, codes: set[Code]) -> str:
    paid = case.facts.amount_paid or 0.0
    protected = case.protected_amount or 0.0
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
    return f"Claim up to {usd(protected)}: your payment is within the supplier's coverage."


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
    if decisive is Code.EXCLUDED_PROBLEM:
        return _excluded_steps(case)
    if decisive is Code.RECEIPT_CONFIRMED:
        return [
            "Ask the supplier in the Alibaba chat for a refund, replacement or discount, "
            "naming the contract terms the goods break.",
            "You can still ask Alibaba's support about the order, but after confirmation the "
            "answer is usually that it is complete.",
            "Keep your photos, chat and contract together in case the supplier agrees to "
            "make it right.",
            "Next time, inspect the goods (or have them inspected) before you confirm receipt.",
        ]
    return [
        f"The usual window ended on {case.deadline} ({days_phrase(case.days_left or 0)}). "
        f"Check this order's own window in My Alibaba > Orders; if it is still open, use Open "
        "Dispute there today.",
        "Otherwise, negotiate directly with the supplier in the Alibaba chat, pointing to the "
        "contract terms they broke.",
        "Next time, open the dispute as soon as a problem appears instead of waiting on the "
        "supplier's promises past the window.",
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
        "Do not send any more money outside the order, whatever fee, discount or 'account "
        "problem' the supplier mentions.",
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
    Problem.FORCE_MAJEURE: (
        "Agree with the supplier in the Alibaba chat on a new shipping date, or a "
        "cancellation and refund, and have the order updated to match.",
        "Check whether your cargo or business insurance covers the event.",
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
    Problem.DEFECT_AFTER_USE: (
        "Ask the supplier in the Alibaba chat for a repair, replacement or warranty "
        "settlement under your contract.",
        "Next time, inspect the goods (or have them inspected) on arrival, before use, and "
        "open any dispute then.",
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
            f"Mind the date: disputes usually have to be opened by {case.deadline} — "
            f"{days_phrase(case.days_left)}."
        )
    steps += [_ask_step(name, case) for name in missing]
    return steps


def _ask_step(name: FactName, case: Case) -> str:
    problem = case.facts.problem
    if name == "trade_assurance_order":
        return (
            "Check in My Alibaba > Orders whether the order is a Trade Assurance order with an "
            "online order contract."
        )
    if name == "paid_via":
        return (
            "Find out how you paid: card, e-checking or T/T into the account shown on the "
            "Alibaba order is protected; a wire to the supplier's own account, Western Union "
            "or PayPal outside the order is not."
        )
    if name == "problem":
        if problem is Problem.OTHER:
            return (
                f"{COVERED_PROBLEMS_LINE} If yours is one of these, choose it; if not, "
                "describe your problem as a question and I will answer it."
            )
        return f"Say what went wrong. {COVERED_PROBLEMS_LINE}"
    if name == "receipt_confirmed":
        return (
            "Check the order status for whether you already confirmed receipt; if not, do not "
            "confirm it while the problem is open."
        )
    if name == "delivery_date":
        return (
            f"Give {delivery_date_label(problem)} (YYYY-MM-DD); the dispute window counts from it."
        )
    if name == "amount_paid":
        return "Give the amount in US dollars you paid through the order (see its payment record)."
    return (
        "Look at the contract: does it state measurable specifications (dimensions, materials, "
        "tolerances, quantities), only vague words like 'good quality', or none at all?"
    )
