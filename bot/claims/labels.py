"""Short human words for enum values and amounts, shared by reasons, next steps and the card."""

from __future__ import annotations

import calendar
import datetime as dt

from bot.claims.facts import Evidence, PaidVia, Problem

PROBLEM_LABELS: dict[Problem, str] = {
    Problem.LATE_SHIPMENT: "late shipment",
    Problem.NOT_DELIVERED: "goods not delivered",
    Problem.QUALITY_MISMATCH: "quality not as specified in the contract",
    Problem.WRONG_QUANTITY: "wrong quantity",
    Problem.SUPPLIER_CANCELLED: "order cancelled by the supplier",
    Problem.TRANSIT_DAMAGE: "damage in transit",
    Problem.CUSTOMS_HOLD: "goods held by customs",
    Problem.FORCE_MAJEURE: "supplier blames a disaster, lockdown or holiday",
    Problem.SUBJECTIVE_QUALITY: "quality you dislike but the contract does not measure",
    Problem.MATCHES_APPROVED_SAMPLE: "goods match the sample you approved",
    Problem.SERVICE_OR_WARRANTY: "service, installation or warranty promise",
    Problem.DEFECT_AFTER_USE: "defect found only after starting to use the goods",
    Problem.OTHER: "another problem",
}

EVIDENCE_LABELS: dict[Evidence, str] = {
    Evidence.CONTRACT: "the order contract",
    Evidence.INSPECTION_REPORT: "a third-party inspection report",
    Evidence.PHOTOS_VIDEO: "photos or video of the goods",
    Evidence.PLATFORM_CHAT: "your Alibaba chat with the supplier",
    Evidence.TRACKING: "tracking and shipping records",
    Evidence.TIMELINE: "a dated timeline of events",
}

PAID_VIA_LABELS: dict[PaidVia, str] = {
    PaidVia.ALIBABA_ORDER: "through the Alibaba order",
    PaidVia.SUPPLIER_BANK_ACCOUNT: "by wire into the supplier's own bank account",
    PaidVia.WESTERN_UNION: "by Western Union",
    PaidVia.PAYPAL_OUTSIDE_ORDER: "by PayPal outside the order",
    PaidVia.OTHER_OFF_PLATFORM: "outside the Alibaba order",
    PaidVia.UNKNOWN: "in a way not yet known",
}


def usd(amount: float) -> str:
    """US$ with thousands separators; cents only when there are any (US$12,000 / US$99.50)."""
    if amount >= 1e15:  # whole at this size, and `amount * 100` could overflow to infinity
        return f"US${amount:,.0f}"
    cents = round(amount * 100)
    if cents % 100 == 0:
        return f"US${cents // 100:,}"
    return f"US${amount:,.2f}"


def day(value: dt.date | None) -> str:
    """19 April 2026: the one way a date is written to people, everywhere (never 04/19)."""
    if value is None:
        return "an unknown date"
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def days_phrase(days: int) -> str:
    """'21 days left', '1 day left', 'last day today', '3 days ago' — for deadlines."""
    if days > 1:
        return f"{days} days left"
    if days == 1:
        return "1 day left"
    if days == 0:
        return "today is the last day"
    if days == -1:
        return "passed 1 day ago"
    return f"passed {-days} days ago"
