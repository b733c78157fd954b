"""Which evidence each problem calls for, and how a buyer gets each item they still lack."""

from __future__ import annotations

from bot.claims.facts import QUALITY_PROBLEMS, Evidence, Problem
from bot.i18n import Text, _

BASE_EVIDENCE = frozenset({Evidence.CONTRACT, Evidence.PLATFORM_CHAT, Evidence.TIMELINE})
"""Every dispute is judged against the contract and the on-platform record of what was agreed."""

EXTRA_EVIDENCE: dict[Problem, frozenset[Evidence]] = {
    Problem.LATE_SHIPMENT: frozenset({Evidence.TRACKING}),
    Problem.NOT_DELIVERED: frozenset({Evidence.TRACKING}),
    Problem.QUALITY_MISMATCH: frozenset({Evidence.INSPECTION_REPORT, Evidence.PHOTOS_VIDEO}),
    Problem.WRONG_QUANTITY: frozenset({Evidence.INSPECTION_REPORT, Evidence.PHOTOS_VIDEO}),
    Problem.DEFECT_AFTER_USE: frozenset({Evidence.INSPECTION_REPORT, Evidence.PHOTOS_VIDEO}),
    # Problems Trade Assurance excludes still need proof for the carrier, insurer or supplier.
    Problem.TRANSIT_DAMAGE: frozenset({Evidence.PHOTOS_VIDEO, Evidence.TRACKING}),
    Problem.CUSTOMS_HOLD: frozenset({Evidence.TRACKING}),
    Problem.SUBJECTIVE_QUALITY: frozenset({Evidence.PHOTOS_VIDEO}),
    Problem.MATCHES_APPROVED_SAMPLE: frozenset({Evidence.PHOTOS_VIDEO}),
}
"""Problem-specific items on top of the base set (problems not listed need only the base)."""


INSPECTION_FROM = 5_000.0
"""003: consider a third-party inspection above US$5,000; below it, it costs more than it saves."""


def inspection_worth_it(amount_paid: float | None) -> bool:
    """Whether booking an inspection is advice worth giving (unknown amount: say so anyway)."""
    return amount_paid is None or amount_paid > INSPECTION_FROM


def called_for(problem: Problem | None, amount_paid: float | None = None) -> list[Evidence]:
    """The evidence items a problem calls for, in the Evidence enum's (stable) order.

    A small order (a US$150 sample) is never told to book an inspection: dated photos, video
    and measurements are its proof.
    """
    wanted = BASE_EVIDENCE | EXTRA_EVIDENCE.get(problem, frozenset()) if problem else BASE_EVIDENCE
    if Evidence.INSPECTION_REPORT in wanted and not inspection_worth_it(amount_paid):
        wanted = (wanted - {Evidence.INSPECTION_REPORT}) | {Evidence.PHOTOS_VIDEO}
    return [item for item in Evidence if item in wanted]


def missing_evidence(
    problem: Problem | None, held: frozenset[Evidence], amount_paid: float | None = None
) -> list[Evidence]:
    """Called-for items the buyer does not hold yet (an unknown problem gets the base set)."""
    return [item for item in called_for(problem, amount_paid) if item not in held]


def how_to_get(item: Evidence, problem: Problem | None) -> Text:
    """One concrete instruction for obtaining an evidence item, worded for the problem at hand."""
    if item is Evidence.CONTRACT:
        return _(
            "Save the order contract: in My Alibaba > Orders open the order and screenshot or "
            "download the page with specifications, quantity, price and dates."
        )
    if item is Evidence.INSPECTION_REPORT:
        if problem is Problem.WRONG_QUANTITY:
            return _(
                "Book a third-party inspection (for example SGS, Bureau Veritas or Intertek) to "
                "count and check the goods against the contract; an independent report is the "
                "strongest proof you can file."
            )
        return _(
            "Book a third-party inspection (for example SGS, Bureau Veritas or Intertek) to "
            "check the goods against the contract; an independent report is the strongest "
            "proof you can file."
        )
    if item is Evidence.PHOTOS_VIDEO:
        if problem is Problem.WRONG_QUANTITY:
            return _(
                "Film the unboxing and take dated photos of packaging, labels and cartons "
                "counted one by one, before you use or resell anything."
            )
        if problem in QUALITY_PROBLEMS:
            return _(
                "Film the unboxing and take dated photos of packaging, labels and the defects "
                "measured next to a ruler or gauge, before you use or resell anything."
            )
        if problem is Problem.TRANSIT_DAMAGE:
            return _(
                "Photograph and film the damaged goods and outer packaging before unpacking "
                "further, and have the damage noted on the delivery receipt."
            )
        return _("Take dated photos and video of the goods, their packaging and labels.")
    if item is Evidence.PLATFORM_CHAT:
        return _(
            "Export or screenshot your Alibaba chat with the supplier; messages on WeChat, "
            "WhatsApp or email usually do not count, so restate key points in the Alibaba chat."
        )
    if item is Evidence.TRACKING:
        if problem in (Problem.LATE_SHIPMENT, Problem.NOT_DELIVERED):
            return _(
                "Save the tracking history and shipping documents (bill of lading or air "
                "waybill) that show when the goods really shipped, or that they never arrived."
            )
        return _("Save the tracking history, bill of lading or air waybill and delivery papers.")
    return _(
        "Write a dated timeline: order, payment, promised ship and delivery dates, what "
        "actually happened, and each time you contacted the supplier."
    )
