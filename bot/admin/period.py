"""Reading a reporting period such as `24h`, `7d`, `4w`, `today` or `all`."""

from __future__ import annotations

import datetime as dt
import re

_SPAN = re.compile(r"^\s*(\d{1,4})\s*(h|d|w)\s*$", re.IGNORECASE)
_UNITS = {"h": dt.timedelta(hours=1), "d": dt.timedelta(days=1), "w": dt.timedelta(weeks=1)}
DEFAULT_PERIOD = "7d"


class PeriodError(ValueError):
    """The period text is not one we understand; the message says what is."""


def parse_period(text: str | None, now: dt.datetime) -> tuple[dt.datetime | None, str]:
    """`(since, label)`: since is None for all time. `now` must be timezone-aware."""
    raw = (text or DEFAULT_PERIOD).strip().lower()
    if raw in {"all", "ever", "all-time"}:
        return None, "all time"
    if raw == "today":
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return start, "today (UTC)"
    found = _SPAN.match(raw)
    if not found or int(found.group(1)) == 0:
        raise PeriodError("Give a period like 24h, 7d, 4w, today or all.")
    amount, unit = int(found.group(1)), found.group(2).lower()
    label = {"h": "hour", "d": "day", "w": "week"}[unit]
    return now - amount * _UNITS[unit], f"last {amount} {label}{'s' if amount > 1 else ''}"
