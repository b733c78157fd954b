"""Values echoed back to the user ("1 May 2026", "US$12,500"), through the one formatter for
dates and money (`bot.i18n`), so a conversation never shows one figure two ways."""

from __future__ import annotations

import datetime as dt

from bot.i18n import DEFAULT_LANG, Money
from bot.i18n.render import format_day, format_money


def format_usd(amount: float, lang: str = DEFAULT_LANG) -> str:
    """US$12,500 or US$99.50: amounts are echoed the way the card writes them."""
    return format_money(Money(round(amount, 2)), lang)


def format_date(day: dt.date, lang: str = DEFAULT_LANG) -> str:
    """1 May 2026: the unambiguous way dates are echoed back (the card's way too)."""
    return format_day(day, lang)
