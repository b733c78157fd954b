"""Next steps: ordered, concrete actions tailored to the verdict, the decisive rule and the problem.

The buyer acts on these with real money, so each step says where to click, what to gather or
whom to turn to instead, never just "consider your options". A step is a code with its figures
(`Step`); `STEP_WORDS` words each code from the catalogue when the step is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.claims.assessment import Code, Figures, Step, Verdict
from bot.claims.assessment import StepCode as S
from bot.claims.case import Case
from bot.claims.catalog import BY_NAME, FactName
from bot.claims.evidence import EXTRA_EVIDENCE, how_to_get, inspection_worth_it, missing_evidence
from bot.claims.facts import COVERED_PROBLEMS, QUALITY_PROBLEMS, PaidVia, Problem
from bot.claims.labels import PROBLEM_LABELS, days_left, money, when
from bot.claims.rules import Outcome
from bot.i18n import Text, _, join


def next_steps(case: Case, outcome: Outcome, estimate: float | None = None) -> list[Step]:
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


def _step(code: S, **figures: object) -> Step:
    return Step(code=code, figures=Figures.model_validate(figures))


# --- eligible: how to file -----------------------------------------------------------------------


def _claim_steps(case: Case, codes: set[Code], estimate: float | None) -> list[Step]:
    f = case.facts
    problem = f.problem
    steps = [_deadline_step(case, urgent=Code.WINDOW_CLOSING in codes)]
    if Code.PART_PAID_OUTSIDE in codes:
        steps.append(_step(S.RECALL_PART_OUTSIDE, outside=case.outside))
    held = case.held
    steps += [
        _step(S.GET_EVIDENCE, evidence=item, problem=problem)
        for item in missing_evidence(problem, held, f.amount_paid)
    ]
    if Code.NO_INSPECTION in codes and not inspection_worth_it(f.amount_paid):
        steps.append(_step(S.SKIP_INSPECTION))
    steps += _problem_tips(case, codes)
    steps.append(_step(S.DONT_CONFIRM_RECEIPT))
    steps.append(_step(S.OPEN_DISPUTE, problem=problem))
    steps.append(_amount_step(case, codes, estimate))
    steps.append(_step(S.NEGOTIATE_FIRST))
    steps.append(_step(S.APPEAL))
    return steps


def _deadline_step(case: Case, *, urgent: bool) -> Step:
    return _step(
        S.DEADLINE,
        deadline=case.deadline,
        days_left=case.days_left or 0,
        typical=case.typical_window,
        variant="urgent" if urgent else None,
    )


def _problem_tips(case: Case, codes: set[Code]) -> list[Step]:
    problem = case.facts.problem
    tips: list[Step] = []
    if problem in QUALITY_PROBLEMS or problem is Problem.WRONG_QUANTITY:
        tips.append(_step(S.KEEP_GOODS_UNUSED))
    if problem is Problem.DEFECT_AFTER_USE:
        tips.append(_step(S.STOP_USING))
    if problem is Problem.FORCE_MAJEURE:
        tips.append(_step(S.FORCE_MAJEURE_ASK))
    if Code.VAGUE_SPECS in codes:
        tips.append(_step(S.COLLECT_SPECS))
    if problem is Problem.LATE_SHIPMENT:
        tips.append(_step(S.COMPARE_SHIP_DATES))
    if problem is Problem.WRONG_QUANTITY:
        tips.append(_step(S.COUNT_UNITS))
    if problem is Problem.SUPPLIER_CANCELLED:
        tips.append(_step(S.KEEP_CANCELLATION))
    return tips


def _amount_step(case: Case, codes: set[Code], estimate: float | None) -> Step:
    if estimate is not None:
        return _step(S.CLAIM_ESTIMATE, estimate=estimate)
    if Code.OVER_COVERAGE in codes:
        return _step(
            S.CLAIM_UP_TO_COVERAGE,
            protected=case.protected_amount or 0.0,
            unprotected=case.unprotected_amount or 0.0,
        )
    if Code.COVERAGE_UNKNOWN in codes:
        return _step(S.CHECK_COVERAGE, paid=case.facts.amount_paid or 0.0)
    return _step(S.CLAIM_UP_TO, protected=case.protected_amount or 0.0)


# --- not eligible: where to go instead -----------------------------------------------------------


def _elsewhere_steps(case: Case, decisive: Code) -> list[Step]:
    if decisive is Code.OFF_PLATFORM_PAYMENT:
        return _off_platform_steps(case.facts.paid_via)
    if decisive is Code.NOT_TA_ORDER:
        return [
            _step(S.CHECK_TA_ORDER),
            _step(S.ASK_SUPPLIER_REFUND),
            _step(S.ASK_BANK_CHARGEBACK),
            _step(S.NEXT_TIME_TA_ORDER),
        ]
    if decisive is Code.NOTHING_PAID:
        return [_step(S.DONT_PAY_YET), _step(S.PAY_ONLY_CHECKOUT), _step(S.CLOSE_CANCELLED_ORDER)]
    if decisive is Code.NOT_LATE:
        return [_step(S.NOT_LATE_OTHER_PROBLEM), _step(S.CHECK_BEFORE_CONFIRMING)]
    if decisive is Code.EXCLUDED_PROBLEM:
        return _excluded_steps(case)
    if decisive is Code.RECEIPT_CONFIRMED:
        if case.arrived is False:
            return _confirmed_before_arrival_steps()
        return [
            _step(S.HIDDEN_DEFECT_SUPPORT),
            _step(S.ASK_SUPPLIER_TERMS),
            _step(S.SUPPORT_AFTER_CONFIRMING),
            _step(S.KEEP_RECORDS),
            _step(S.NEXT_TIME_INSPECT),
        ]
    # "Otherwise" only follows the check-the-order-page step, which a known window omits.
    closed = [
        _step(S.NEGOTIATE_DIRECTLY, variant="otherwise" if case.typical_window else None),
        _step(S.NEXT_TIME_DISPUTE_EARLY),
    ]
    if case.typical_window:
        closed.insert(0, _step(S.CHECK_ORDER_PAGE_NOW, deadline=case.deadline))
    return closed


def _confirmed_before_arrival_steps() -> list[Step]:
    """Receipt confirmed for goods that never came (often at the supplier's request): the one
    chance left is Alibaba stepping in before the payment is treated as settled."""
    return [
        _step(S.SUPPORT_NEVER_ARRIVED),
        _step(S.ASK_SHIP_OR_REFUND),
        _step(S.NO_MONEY_TO_FIX),
        _step(S.NEXT_TIME_CONFIRM_AFTER),
    ]


def _with_recall(case: Case, steps: list[Step]) -> list[Step]:
    """Money sent outside the order is unprotected whatever the verdict, and a recall only has
    a chance while it is fresh: it comes first whenever some was sent."""
    if case.outside > 0:
        return [_step(S.RECALL_OUTSIDE, outside=case.outside), *steps]
    return steps


def _too_early_steps(case: Case) -> list[Step]:
    after = case.agreed + dt.timedelta(days=1) if case.agreed else None
    return [
        _step(S.ASK_PRODUCTION_UPDATE),
        _step(S.CHECK_SHIP_BY_DATE),
        _step(S.COME_BACK, day=after),
        _step(S.NO_BALANCE_OUTSIDE),
    ]


def _off_platform_steps(paid_via: PaidVia | None) -> list[Step]:
    return [
        _step(S.RECOVER_PAYMENT, paid_via=paid_via or PaidVia.OTHER_OFF_PLATFORM),
        _step(S.STOP_PAYING_OUTSIDE),
        _step(S.REPORT_SUPPLIER),
        _step(S.KEEP_PAYMENT_RECORDS),
        _step(S.DESIGNATED_ACCOUNT),
        _step(S.NEXT_TIME_CHECKOUT),
    ]


def _excluded_steps(case: Case) -> list[Step]:
    problem = case.facts.problem
    if problem is None or problem not in EXCLUDED_ADVICE:
        return [_step(S.TAKE_UP_WITH_SUPPLIER)]
    first, *rest = (
        _step(S.EXCLUDED_ADVICE, problem=problem, variant=str(n))
        for n in range(1, len(EXCLUDED_ADVICE[problem]) + 1)
    )
    extra = EXTRA_EVIDENCE.get(problem, frozenset())
    gather = [
        _step(S.GET_EVIDENCE, evidence=e, problem=problem)
        for e in missing_evidence(problem, case.held)
        if e in extra
    ]
    return [first, *gather, *rest]


# --- need more info: what to find out ------------------------------------------------------------


def _ask_steps(case: Case, missing: tuple[FactName, ...]) -> list[Step]:
    steps: list[Step] = []
    if case.deadline is not None and case.days_left is not None:
        steps.append(_step(S.MIND_THE_DATE, deadline=case.deadline, days_left=case.days_left))
    for name in missing:
        if name == "problem" and case.facts.problem is Problem.OTHER:
            steps.append(_step(S.CHOOSE_COVERED_PROBLEM))
        else:
            steps.append(_step(S.FIND_FACT, fact=name))
    return steps


# --- the words -----------------------------------------------------------------------------------


def _stop_paying_outside() -> Text:
    return _(
        "Do not send any more money outside the order, whatever fee, discount or 'account "
        "problem' the supplier mentions."
    )


def _open_dispute_path() -> Text:
    return _("My Alibaba > Orders > this order > Open Dispute")


def _words_deadline(f: Figures) -> Text:
    if f.deadline is None:  # no arrival or ship-by date to count from: never "an unknown date"
        return _(
            "Find the last day to open a dispute on your order page (My Alibaba > Orders > this "
            "order) and open it before then; without the dates I cannot count the window for you."
        )
    params = {"deadline": when(f.deadline), "left": days_left(f.days_left or 0)}
    if f.variant == "urgent":
        if f.typical:
            return _(
                "Act today: open the dispute by {deadline} ({left}); this uses the typical "
                "window, so check the real last day on the order page. File with the evidence "
                "you already hold rather than miss the date.",
                **params,
            )
        return _(
            "Act today: open the dispute by {deadline} ({left}), the last day your order page "
            "shows. File with the evidence you already hold rather than miss the date.",
            **params,
        )
    if f.typical:
        return _(
            "Open the dispute by {deadline} ({left}); this uses the typical window, so check "
            "the real last day on the order page.",
            **params,
        )
    return _(
        "Open the dispute by {deadline} ({left}), the last day your order page shows.", **params
    )


def _words_recall(f: Figures) -> Text:
    return _(
        "Ask your bank or payment provider today whether the {outside} paid outside the order "
        "can be recalled or charged back; the dispute cannot cover it. {stop}",
        outside=money(f.outside),
        stop=_stop_paying_outside(),
    )


def _words_open_dispute(f: Figures) -> Text:
    problem = PROBLEM_LABELS[f.problem] if f.problem else _("your problem")
    return _(
        "Open the dispute: {path}. Choose the reason that fits ({problem}), upload your evidence "
        "and state plainly which contract term the supplier broke.",
        path=_open_dispute_path(),
        problem=problem,
    )


def _words_claim_estimate(f: Figures) -> Text:
    return _(
        "Claim about {estimate}, the share of your payment for the missing units; Alibaba "
        "assesses the exact amount.",
        estimate=money(f.estimate),
    )


def _words_claim_up_to_coverage(f: Figures) -> Text:
    return _(
        "Claim up to {protected}, the most Trade Assurance can refund here; for the other "
        "{unprotected} negotiate with the supplier directly (refund, replacement or credit on "
        "the next order).",
        protected=money(f.protected),
        unprotected=money(f.unprotected),
    )


def _words_check_coverage(f: Figures) -> Text:
    return _(
        "Check the supplier's Trade Assurance coverage amount (on their Alibaba profile or your "
        "order page): only up to that amount of your {paid} can be refunded.",
        paid=money(f.paid),
    )


def _words_claim_up_to(f: Figures) -> Text:
    return _(
        "Claim up to {protected}, the amount paid through the order and within the supplier's "
        "coverage; most successful claims end in a partial refund.",
        protected=money(f.protected),
    )


def _words_negotiate_directly(f: Figures) -> Text:
    if f.variant == "otherwise":
        return _(
            "Otherwise, negotiate directly with the supplier in the Alibaba chat, pointing to "
            "the contract terms they broke."
        )
    return _(
        "Negotiate directly with the supplier in the Alibaba chat, pointing to the contract "
        "terms they broke."
    )


def _words_check_order_page_now(f: Figures) -> Text:
    return _(
        "Check the order page now (My Alibaba > Orders > this order): the typical window ended "
        "on {deadline}, but if the page still shows the dispute window open, open the dispute "
        "there today.",
        deadline=when(f.deadline),
    )


def _words_come_back(f: Figures) -> Text:
    return _(
        "Come back on {day}: if the goods have not shipped by then, run the check again and "
        "open the dispute.",
        day=f.day if f.day is not None else _("the ship-by date"),
    )


def _words_recover(f: Figures) -> Text:
    if f.paid_via is PaidVia.SUPPLIER_BANK_ACCOUNT:
        return _(
            "Call your bank today and ask it to recall the wire; a recall only has a chance "
            "before the money is credited, so do not wait."
        )
    if f.paid_via is PaidVia.WESTERN_UNION:
        return _(
            "Contact Western Union right away: if the money has not been collected yet, the "
            "transfer may still be stopped."
        )
    if f.paid_via is PaidVia.PAYPAL_OUTSIDE_ORDER:
        return _(
            "Open a dispute with PayPal now under its own buyer protection (strongest for goods "
            "that never arrived)."
        )
    return _(
        "Contact your bank or payment provider today and ask whether the payment can be "
        "recalled or charged back."
    )


EXCLUDED_ADVICE: dict[Problem, tuple[Text, ...]] = {
    Problem.TRANSIT_DAMAGE: (
        _(
            "Claim from the carrier or freight forwarder that moved the goods, and from your "
            "cargo insurer if the shipment was insured; report it quickly, their time limits "
            "are short."
        ),
        _(
            "If the supplier booked freight and insurance (for example on CIF terms), ask the "
            "supplier in the Alibaba chat to claim on their policy for you."
        ),
        _("For future valuable shipments, buy cargo insurance."),
    ),
    Problem.CUSTOMS_HOLD: (
        _(
            "Ask your customs broker exactly what customs needs (documents, registration, "
            "labels or permits) and the deadline for providing it."
        ),
        _(
            "Meeting import rules is normally the importer's job; the supplier only owes the "
            "documents or certificates the contract promises in writing. If it does, ask the "
            "supplier for them in the Alibaba chat."
        ),
        _(
            "Next time, write the certificates, registrations and labelling you need into the "
            "contract."
        ),
    ),
    Problem.SUBJECTIVE_QUALITY: (
        _(
            "Raise it with the supplier in the Alibaba chat and ask for a discount, a "
            "replacement or a fix in the next batch."
        ),
        _(
            "If part of the complaint breaks a measurable term (size, material, colour code, "
            "defect rate), run the check again as a quality mismatch."
        ),
        _(
            "Next time, put measurable specifications into the contract: materials, "
            "dimensions, tolerances, colour codes and an acceptable defect level."
        ),
    ),
    Problem.MATCHES_APPROVED_SAMPLE: (
        _(
            "Agree design changes with the supplier in the Alibaba chat for the next order; "
            "this order is measured against the sample you approved."
        ),
        _(
            "If the bulk differs from the approved sample in something measurable, run the "
            "check again as a quality mismatch and keep the sample as proof."
        ),
    ),
    Problem.SERVICE_OR_WARRANTY: (
        _(
            "Claim the service, replacement or warranty from the supplier directly under your "
            "written agreement, in the Alibaba chat so there is a record."
        ),
        _(
            "If the goods themselves differ from the contract (missing parts, wrong "
            "specifications), run the check again as a quality mismatch."
        ),
    ),
}
"""Where to turn instead, per excluded problem (stored as the problem and the step's number)."""


def _take_up_with_supplier() -> Text:
    return _("Take the problem up with the supplier directly, in the Alibaba chat.")


def _words_excluded_advice(f: Figures) -> Text:
    advice = EXCLUDED_ADVICE.get(f.problem) if f.problem else None
    n = int(f.variant or 0)
    if advice is None or not 1 <= n <= len(advice):
        return _take_up_with_supplier()  # a step of an older wording that no longer exists
    return advice[n - 1]


def _words_get_evidence(f: Figures) -> Text:
    return how_to_get(f.evidence, f.problem) if f.evidence else _take_up_with_supplier()


def _words_mind_the_date(f: Figures) -> Text:
    return _(
        "Mind the date: disputes usually have to be opened by {deadline} ({left}).",
        deadline=when(f.deadline),
        left=days_left(f.days_left or 0),
    )


def _words_find_fact(f: Figures) -> Text:
    where = None if f.fact is None else BY_NAME[f.fact].where
    return where if where is not None else _take_up_with_supplier()


def _words_choose_covered(f: Figures) -> Text:
    covered = join(*(PROBLEM_LABELS[p] for p in COVERED_PROBLEMS), sep=", ")
    return _(
        "Trade Assurance covers: {covered} (after the order was confirmed). If yours is one of "
        "these, choose it; if not, ask me about your problem as a question and I will answer it.",
        covered=covered,
    )


def _fixed(text: Text) -> Callable[[Figures], Text]:
    def words(f: Figures) -> Text:
        return text

    return words


STEP_WORDS: dict[S, Callable[[Figures], Text]] = {
    S.DEADLINE: _words_deadline,
    S.RECALL_PART_OUTSIDE: _words_recall,
    S.GET_EVIDENCE: _words_get_evidence,
    S.SKIP_INSPECTION: _fixed(
        _(
            "For an order this size, skip the paid inspection: measure and photograph the "
            "defects next to the contract's specifications, with dates, before anything is "
            "used."
        )
    ),
    S.KEEP_GOODS_UNUSED: _fixed(
        _(
            "Do not use, process or resell the disputed goods until the dispute is settled; "
            "defects reported after use may be rejected."
        )
    ),
    S.STOP_USING: _fixed(
        _(
            "Stop using the goods now, and show that the defect breaks a measurable term of the "
            "contract (a test result or measurement), not only that the goods wore out."
        )
    ),
    S.FORCE_MAJEURE_ASK: _fixed(
        _(
            "Ask the supplier in the Alibaba chat for a firm new ship date or a refund, in "
            "writing; if neither comes, open the dispute and let Alibaba judge the exclusion."
        )
    ),
    S.COLLECT_SPECS: _fixed(
        _(
            "Collect every measurable detail the supplier agreed to (in the chat, the product "
            "listing, an approved sample); otherwise general ISO/ASTM standards decide."
        )
    ),
    S.COMPARE_SHIP_DATES: _fixed(
        _(
            "Put the contract's ship-by date next to the real shipping date from tracking; "
            "that gap is your claim."
        )
    ),
    S.COUNT_UNITS: _fixed(
        _(
            "Count every carton and unit on video and claim for what is missing, not the whole "
            "payment: the refund covers the missing (or excess) amount."
        )
    ),
    S.KEEP_CANCELLATION: _fixed(
        _(
            "Keep the supplier's cancellation (the order status or their chat message) as "
            "proof that they cancelled after confirming the order."
        )
    ),
    S.DONT_CONFIRM_RECEIPT: _fixed(
        _(
            "Do not confirm receipt on Alibaba while the problem is open: confirming releases "
            "the payment to the supplier and usually ends the protection."
        )
    ),
    S.OPEN_DISPUTE: _words_open_dispute,
    S.CLAIM_ESTIMATE: _words_claim_estimate,
    S.CLAIM_UP_TO_COVERAGE: _words_claim_up_to_coverage,
    S.CHECK_COVERAGE: _words_check_coverage,
    S.CLAIM_UP_TO: _words_claim_up_to,
    S.NEGOTIATE_FIRST: _fixed(
        _(
            "Negotiate first: the supplier answers in the dispute and may offer a refund. If "
            "you cannot agree, escalate to Alibaba, whose team reviews the evidence and decides "
            "(often in 15 to 60 days)."
        )
    ),
    S.APPEAL: _fixed(
        _(
            "If you disagree with Alibaba's decision, appeal within the appeal window (usually "
            "about 7 days) and bring new evidence, not just the same arguments."
        )
    ),
    S.CHECK_TA_ORDER: _fixed(
        _(
            "Check in My Alibaba > Orders whether the order does show Trade Assurance "
            "protection; if it does, run the check again with that answer."
        )
    ),
    S.ASK_SUPPLIER_REFUND: _fixed(
        _(
            "Ask the supplier in the Alibaba chat for a refund, replacement or discount, "
            "pointing to what you agreed in writing."
        )
    ),
    S.ASK_BANK_CHARGEBACK: _fixed(
        _("Ask your bank or payment provider whether the payment can be disputed or charged back.")
    ),
    S.NEXT_TIME_TA_ORDER: _fixed(
        _(
            "Next time, create the order as a Trade Assurance order with an online contract "
            "and pay through it."
        )
    ),
    S.DONT_PAY_YET: _fixed(
        _(
            "Do not pay anything now until the supplier confirms, in the Alibaba chat, what "
            "will ship and when."
        )
    ),
    S.PAY_ONLY_CHECKOUT: _fixed(
        _(
            "If you decide to pay, pay only through the Alibaba order checkout, never to "
            "bank details sent by chat or email: only that payment is protected."
        )
    ),
    S.CLOSE_CANCELLED_ORDER: _fixed(
        _(
            "If the supplier cancelled, ask Alibaba support to close the order so it cannot "
            "be charged later."
        )
    ),
    S.NOT_LATE_OTHER_PROBLEM: _fixed(
        _(
            "The delay is not a claim here. If the goods themselves are wrong (quality, "
            "quantity), run the check again and choose that problem."
        )
    ),
    S.CHECK_BEFORE_CONFIRMING: _fixed(
        _("Do not confirm receipt until you have checked the goods against the contract.")
    ),
    S.HIDDEN_DEFECT_SUPPORT: _fixed(
        _(
            "If the defect could not be seen before you confirmed receipt (hidden inside the "
            "goods, found on first testing), contact Alibaba support at once with your photos "
            "and the contract, and ask whether a dispute can still be opened."
        )
    ),
    S.ASK_SUPPLIER_TERMS: _fixed(
        _(
            "Ask the supplier in the Alibaba chat for a refund, replacement or discount, "
            "naming the contract terms the goods break."
        )
    ),
    S.SUPPORT_AFTER_CONFIRMING: _fixed(
        _(
            "You can still ask Alibaba's support about the order, but after confirmation the "
            "answer is usually that it is complete."
        )
    ),
    S.KEEP_RECORDS: _fixed(
        _(
            "Keep your photos, chat and contract together in case the supplier agrees to "
            "make it right."
        )
    ),
    S.NEXT_TIME_INSPECT: _fixed(
        _("Next time, inspect the goods (or have them inspected) before you confirm receipt.")
    ),
    S.SUPPORT_NEVER_ARRIVED: _fixed(
        _(
            "Contact Alibaba support at once (My Alibaba > Orders > this order, or the help "
            "centre): say the goods never arrived and receipt was confirmed by mistake, and "
            "attach the Alibaba chat and any tracking; ask whether a dispute can still be "
            "opened."
        )
    ),
    S.ASK_SHIP_OR_REFUND: _fixed(
        _("Ask the supplier in the Alibaba chat, in writing, to ship now or refund you.")
    ),
    S.NO_MONEY_TO_FIX: _fixed(
        _(
            "Do not send any money outside the order to 'fix' the confirmation or release the "
            "goods, whatever the supplier says."
        )
    ),
    S.NEXT_TIME_CONFIRM_AFTER: _fixed(
        _(
            "Next time, confirm receipt only after the goods have arrived and you have checked "
            "them against the contract."
        )
    ),
    S.CHECK_ORDER_PAGE_NOW: _words_check_order_page_now,
    S.NEGOTIATE_DIRECTLY: _words_negotiate_directly,
    S.NEXT_TIME_DISPUTE_EARLY: _fixed(
        _(
            "Next time, open the dispute as soon as a problem appears instead of waiting on the "
            "supplier's promises past the window."
        )
    ),
    S.RECALL_OUTSIDE: lambda f: _(
        "Ask your bank or payment provider today whether the {outside} paid outside the order "
        "can be recalled or charged back. {stop}",
        outside=money(f.outside),
        stop=_stop_paying_outside(),
    ),
    S.ASK_PRODUCTION_UPDATE: _fixed(
        _(
            "Ask the supplier in the Alibaba chat for a production and shipping update, and "
            "keep the answer: it becomes evidence if the date is missed."
        )
    ),
    S.CHECK_SHIP_BY_DATE: _fixed(
        _(
            "Check that the order page shows the same ship-by date as your contract, and do "
            "not agree to a later date unless the order is updated to match."
        )
    ),
    S.COME_BACK: _words_come_back,
    S.NO_BALANCE_OUTSIDE: _fixed(
        _("Do not pay any balance outside the order, whatever reason the supplier gives.")
    ),
    S.RECOVER_PAYMENT: _words_recover,
    S.STOP_PAYING_OUTSIDE: lambda f: _stop_paying_outside(),
    S.REPORT_SUPPLIER: _fixed(
        _(
            "Report the supplier to Alibaba (from their company page or the chat), attaching "
            "your payment receipt and the chat."
        )
    ),
    S.KEEP_PAYMENT_RECORDS: _fixed(
        _(
            "Keep the payment receipt, invoice, contract and full chat history; your bank or a "
            "lawyer will need them."
        )
    ),
    S.DESIGNATED_ACCOUNT: _fixed(
        _(
            "If you in fact paid by T/T into the account shown on the Alibaba order page "
            "(Alibaba's designated account), that counts as paying through the order: run the "
            "check again."
        )
    ),
    S.NEXT_TIME_CHECKOUT: _fixed(_("Next time, pay only through the Alibaba order checkout.")),
    S.EXCLUDED_ADVICE: _words_excluded_advice,
    S.TAKE_UP_WITH_SUPPLIER: lambda f: _take_up_with_supplier(),
    S.MIND_THE_DATE: _words_mind_the_date,
    S.FIND_FACT: _words_find_fact,
    S.CHOOSE_COVERED_PROBLEM: _words_choose_covered,
}
"""Each step code's wording from its figures (rendered when shown)."""
assert set(STEP_WORDS) == set(S), "word every step code"
