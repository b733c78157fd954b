"""Short words for enum values, dates and amounts, shared by reasons, next steps and the card.

Labels are catalogue messages (rendered in the reader's language); dates and money go through
the one formatter in `bot.i18n`, so a conversation never writes them two ways.
"""

from __future__ import annotations

import datetime as dt

from bot.claims.facts import Evidence, PaidVia, Problem
from bot.i18n import DEFAULT_LANG, Money, Text, _, format_day, format_money, n_, render

PROBLEM_LABELS: dict[Problem, Text] = {
    Problem.LATE_SHIPMENT: _("late shipment"),
    Problem.NOT_DELIVERED: _("goods not delivered"),
    Problem.QUALITY_MISMATCH: _("quality not as specified in the contract"),
    Problem.WRONG_QUANTITY: _("wrong quantity"),
    Problem.SUPPLIER_CANCELLED: _("order cancelled by the supplier"),
    Problem.TRANSIT_DAMAGE: _("damage in transit"),
    Problem.CUSTOMS_HOLD: _("goods held by customs"),
    Problem.FORCE_MAJEURE: _("supplier blames a disaster, lockdown or holiday"),
    Problem.SUBJECTIVE_QUALITY: _("quality you dislike but the contract does not measure"),
    Problem.MATCHES_APPROVED_SAMPLE: _("goods match the sample you approved"),
    Problem.SERVICE_OR_WARRANTY: _("service, installation or warranty promise"),
    Problem.DEFECT_AFTER_USE: _("defect found only after starting to use the goods"),
    Problem.OTHER: _("another problem"),
}

EVIDENCE_LABELS: dict[Evidence, Text] = {
    Evidence.CONTRACT: _("the order contract"),
    Evidence.INSPECTION_REPORT: _("a third-party inspection report"),
    Evidence.PHOTOS_VIDEO: _("photos or video of the goods"),
    Evidence.PLATFORM_CHAT: _("your Alibaba chat with the supplier"),
    Evidence.TRACKING: _("tracking and shipping records"),
    Evidence.TIMELINE: _("a dated timeline of events"),
}

PAID_VIA_LABELS: dict[PaidVia, Text] = {
    PaidVia.ALIBABA_ORDER: _("through the Alibaba order"),
    PaidVia.SUPPLIER_BANK_ACCOUNT: _("by wire into the supplier's own bank account"),
    PaidVia.WESTERN_UNION: _("by Western Union"),
    PaidVia.PAYPAL_OUTSIDE_ORDER: _("by PayPal outside the order"),
    PaidVia.OTHER_OFF_PLATFORM: _("outside the Alibaba order"),
    PaidVia.UNKNOWN: _("in a way not yet known"),
}


def money(amount: float | None) -> Money:
    """An amount in US dollars as a figure for a message (None reads as zero)."""
    return Money(amount or 0.0)


def when(value: dt.date | None) -> dt.date | Text:
    """A date as a figure for a message; "an unknown date" when there is none."""
    return _("an unknown date") if value is None else value


def usd(amount: float, lang: str = DEFAULT_LANG) -> str:
    """US$12,000 / US$99.50 (cents only when there are any): `bot.i18n`'s one money format."""
    return format_money(Money(amount), lang)


def day(value: dt.date | None, lang: str = DEFAULT_LANG) -> str:
    """19 April 2026: `bot.i18n`'s one date format (never 04/19)."""
    return render(_("an unknown date"), lang) if value is None else format_day(value, lang)


def days_left(days: int) -> Text:
    """'21 days left', '1 day left', 'today is the last day', 'passed 3 days ago'."""
    if days > 0:
        return n_("{n} day left", "{n} days left", days)
    if days == 0:
        return _("today is the last day")
    return n_("passed {n} day ago", "passed {n} days ago", -days)


def days_phrase(days: int, lang: str = DEFAULT_LANG) -> str:
    """`days_left` rendered (for callers that want a string)."""
    return render(days_left(days), lang)
