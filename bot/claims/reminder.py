"""What a reminder says, written from the current assessment on the day it is sent.

Stored data holds codes and figures, never finished sentences: a reminder row only points at
its assessment, so a correction (new dates) or a day passing changes the words it is sent with.
"""

from __future__ import annotations

import datetime as dt

from bot.claims.assessment import Assessment, Verdict
from bot.claims.labels import days_left
from bot.i18n import DEFAULT_LANG, Text, _, render


def _open_dispute() -> Text:
    return _("My Alibaba > Orders > your order > Open Dispute")


def reminder_text(a: Assessment, today: dt.date) -> Text:
    """What to do now, and by when, as a message for the reader's language."""
    if a.verdict is Verdict.TOO_EARLY:
        if a.deadline is None:
            return _(
                "⏰ Reminder: the ship-by date in your order contract has passed. If the goods "
                "have not shipped, send /check to run the check again and open the dispute."
            )
        return _(
            "⏰ Reminder: the ship-by date in your order contract has passed. If the goods have "
            "not shipped, send /check to run the check again and open the dispute by {deadline}.",
            deadline=a.deadline,
        )
    if a.deadline is None:
        return fallback_text()
    left = (a.deadline - today).days
    if left < 0:
        return _(
            "⏰ Reminder: the usual last day to open your dispute was {deadline}. Check the order "
            "page today: if it still shows the dispute window open, open the dispute now "
            "({path}).",
            deadline=a.deadline,
            path=_open_dispute(),
        )
    return _(
        "⏰ Reminder: the last day to open your Trade Assurance dispute is {deadline} ({left}). "
        "If the problem is not solved, open it now: {path}.",
        deadline=a.deadline,
        left=days_left(left),
        path=_open_dispute(),
    )


def fallback_text() -> Text:
    """A reminder whose assessment has no deadline to remind of."""
    return _("⏰ Reminder about your Trade Assurance claim: send /cases to see it.")


def reminder_for(a: Assessment | None, today: dt.date) -> Text:
    """A stored reminder's message: from its check's current assessment, or, when that is gone
    (forgotten, or unreadable from an old version), a pointer to /cases."""
    if a is None:
        return _(
            "⏰ Reminder about your Trade Assurance check. Send /cases to see it, or /check to "
            "run it again."
        )
    return reminder_text(a, today)


def reminder_message(a: Assessment, today: dt.date, lang: str = DEFAULT_LANG) -> str:
    """Plain text (front ends escape it): what to do now, and by when."""
    return render(reminder_text(a, today), lang)
