"""Facts plus the figures derived from them, computed once so every rule sees the same numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.claims.facts import Evidence, Facts

CLAIM_WINDOW_DAYS = 30
"""Typical dispute window after the (expected) delivery date; the order's own window wins."""

CLOSING_SOON_DAYS = 7
"""At or below this many days left the check tells the buyer to act now."""


def deadline_for(delivery_date: dt.date | None) -> dt.date | None:
    """Last day to open a dispute: delivery date + 30 days (clamped at the calendar's end)."""
    if delivery_date is None:
        return None
    try:
        return delivery_date + dt.timedelta(days=CLAIM_WINDOW_DAYS)
    except OverflowError:
        return dt.date.max


def split_amount(
    amount_paid: float | None, coverage_limit: float | None
) -> tuple[float | None, float | None]:
    """(protected, unprotected): what Trade Assurance can refund and what lies above the cap.

    With the limit unknown the whole payment counts as protected (a reason then says to check it).
    """
    if amount_paid is None:
        return None, None
    protected = amount_paid if coverage_limit is None else min(amount_paid, coverage_limit)
    return round(protected, 2), round(amount_paid - protected, 2)


@dataclass(frozen=True, slots=True)
class Case:
    """One order under assessment: the facts, the day of the check and the derived figures."""

    facts: Facts
    as_of: dt.date
    held: frozenset[Evidence]
    deadline: dt.date | None
    days_left: int | None
    protected_amount: float | None
    unprotected_amount: float | None

    @classmethod
    def of(cls, facts: Facts, today: dt.date | None = None) -> Case:
        """Derive the figures; `as_of` falls back to `today` (the real date when not given)."""
        as_of = facts.as_of or today or dt.date.today()
        deadline = deadline_for(facts.delivery_date)
        days_left = None if deadline is None else (deadline - as_of).days
        protected, unprotected = split_amount(facts.amount_paid, facts.coverage_limit)
        return cls(
            facts=facts,
            as_of=as_of,
            held=facts.evidence or frozenset(),
            deadline=deadline,
            days_left=days_left,
            protected_amount=protected,
            unprotected_amount=unprotected,
        )
