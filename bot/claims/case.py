"""Facts plus the dates and amounts derived from them, computed once so every rule agrees.

The contract's "Dates" and "Amounts" sections, line for line. Amounts that depend on the verdict
(everything unprotected when not eligible) are settled in `assess`, after the rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.claims.facts import (
    ARRIVED_PROBLEMS,
    NEVER_ARRIVED_PROBLEMS,
    SHIPPING_PROBLEMS,
    Evidence,
    Facts,
    Problem,
)

CLAIM_WINDOW_DAYS = 30
"""Typical dispute window after the delivery (or expected) date, per 003; the order's own wins."""

CLOSING_SOON_DAYS = 7
"""At or below this many days left the check tells the buyer to act now."""

REMIND_DAYS_BEFORE = 7
"""`remind_on` falls this many days before the deadline when that is still ahead."""


def _plus(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def cents(amount: float) -> float:
    """Money rounded to cents, the way every amount in the assessment is given."""
    return round(amount, 2)


@dataclass(frozen=True, slots=True)
class Case:
    """One order under assessment: the facts, the day of the check and the derived figures."""

    facts: Facts
    as_of: dt.date
    held: frozenset[Evidence]
    arrived: bool | None
    """True/False when known; None while `delivery_date` is unanswered for a problem it fits."""
    arrival: dt.date | None
    agreed: dt.date | None
    deadline: dt.date | None
    typical_window: bool
    """The deadline rests on the sources' typical 30 days, not on the order page."""
    days_left: int | None
    outside: float
    protected_amount: float | None
    unprotected_amount: float | None

    @classmethod
    def of(cls, facts: Facts, today: dt.date | None = None) -> Case:
        """Derive the figures; `as_of` falls back to `today` (the real date when not given)."""
        as_of = facts.as_of or today or dt.date.today()
        problem = facts.problem
        arrived, arrival = _arrival(facts)
        agreed = facts.agreed_date if problem in SHIPPING_PROBLEMS else None
        start = arrival if arrived else agreed
        if arrived is None and problem in ARRIVED_PROBLEMS:
            start = None  # the window may start at an arrival not yet given: never "closed"
        typical = facts.order_window_end is None
        if facts.order_window_end is not None:
            deadline: dt.date | None = facts.order_window_end
        else:
            deadline = None if start is None else _plus(start, CLAIM_WINDOW_DAYS)
        outside = facts.amount_paid_outside or 0.0
        protected, unprotected = split_amount(facts.amount_paid, facts.coverage_limit, outside)
        return cls(
            facts=facts,
            as_of=as_of,
            held=facts.evidence or frozenset(),
            arrived=arrived,
            arrival=arrival,
            agreed=agreed,
            deadline=deadline,
            typical_window=typical and deadline is not None,
            days_left=None if deadline is None else (deadline - as_of).days,
            outside=outside,
            protected_amount=protected,
            unprotected_amount=unprotected,
        )

    @property
    def problem(self) -> Problem | None:
        return self.facts.problem

    @property
    def paid(self) -> float | None:
        return self.facts.amount_paid

    @property
    def not_yet_due(self) -> bool:
        """The ship-by date has not passed and the goods have not arrived (TOO_EARLY)."""
        return self.arrived is False and self.agreed is not None and self.as_of <= self.agreed


def _arrival(facts: Facts) -> tuple[bool | None, dt.date | None]:
    """(arrived, on which day): null `delivery_date` is "not arrived", absent is unanswered,
    except for problems whose goods have not arrived by definition."""
    if facts.problem in NEVER_ARRIVED_PROBLEMS:
        return False, None
    if facts.problem in ARRIVED_PROBLEMS or facts.problem is None:
        if not facts.given("delivery_date"):
            return None, None
        day = facts.delivery_date
        return day is not None, day
    return None, None


def split_amount(
    paid: float | None, limit: float | None, outside: float = 0.0
) -> tuple[float | None, float | None]:
    """(protected, unprotected) while a claim is possible.

    Protected is min(paid, limit); with the limit (or the payment) unknown it is null, and the
    unprotected part is then only known as far as the money paid outside the order goes.
    """
    if paid is None or limit is None:
        return None, (cents(outside) if outside > 0 else None)
    protected = min(paid, limit)
    return cents(protected), cents(paid - protected + outside)


def remind_on(deadline: dt.date | None, as_of: dt.date) -> dt.date | None:
    """A week before the deadline, else tomorrow if that is still before it, else None."""
    if deadline is None:
        return None
    week_before = _plus(deadline, -REMIND_DAYS_BEFORE)
    if week_before > as_of:
        return week_before
    tomorrow = _plus(as_of, 1)
    return tomorrow if tomorrow < deadline else None


def claim_estimate(facts: Facts, protected: float | None) -> float | None:
    """The share of the payment for the missing units (003: a refund for what is missing)."""
    ordered, received, paid = facts.units_ordered, facts.units_received, facts.amount_paid
    if facts.problem is not Problem.WRONG_QUANTITY or paid is None:
        return None
    if ordered is None or received is None or not ordered > received >= 0:
        return None
    estimate = cents(paid * (ordered - received) / ordered)
    return estimate if protected is None else min(estimate, protected)
