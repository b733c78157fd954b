"""What a reminder says, written from the current assessment on the day it is sent.

Stored data holds codes and figures, never finished sentences: a reminder row only points at
its assessment, so a correction (new dates) or a day passing changes the words it is sent with.
"""

from __future__ import annotations

import datetime as dt

from bot.claims.assessment import Assessment, Verdict
from bot.claims.labels import day, days_phrase

OPEN_DISPUTE = "My Alibaba > Orders > your order > Open Dispute"


def reminder_message(a: Assessment, today: dt.date) -> str:
    """Plain text (front ends escape it): what to do now, and by when."""
    if a.verdict is Verdict.TOO_EARLY:
        return (
            "⏰ Reminder: the ship-by date in your order contract has passed. If the goods "
            "have not shipped, send /check to run the check again and open the dispute"
            + (f" by {day(a.deadline)}." if a.deadline else ".")
        )
    if a.deadline is None:
        return "⏰ Reminder about your Trade Assurance claim: send /cases to see it."
    left = (a.deadline - today).days
    if left < 0:
        return (
            f"⏰ Reminder: the usual last day to open your dispute was {day(a.deadline)}. "
            "Check the order page today: if it still shows the dispute window open, open the "
            f"dispute now ({OPEN_DISPUTE})."
        )
    return (
        f"⏰ Reminder: the last day to open your Trade Assurance dispute is {day(a.deadline)} "
        f"({days_phrase(left)}). If the problem is not solved, open it now: {OPEN_DISPUTE}."
    )
