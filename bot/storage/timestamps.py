"""Conversions between Python times and the database's columns.

Instants are stored as INTEGER unix seconds (UTC) and dates as ISO `YYYY-MM-DD` text. Naive
datetimes are refused: `datetime.now()` without a zone is a local time, and storing it as UTC
would shift every reminder by the server's offset.
"""

from __future__ import annotations

import datetime as dt
import math


def to_unix(moment: dt.datetime) -> int:
    """Unix seconds of an aware datetime, rounded down (the schema keeps whole seconds)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: pass an aware one, e.g. datetime.now(UTC)")
    return math.floor(moment.timestamp())


def from_unix(seconds: int) -> dt.datetime:
    """The aware UTC datetime of stored unix seconds."""
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def optional_from_unix(seconds: int | None) -> dt.datetime | None:
    return None if seconds is None else from_unix(seconds)


def to_iso_date(day: dt.date | None) -> str | None:
    """A deadline as stored; a datetime is refused, since a deadline is a calendar day."""
    if day is None:
        return None
    if isinstance(day, dt.datetime):
        raise TypeError("deadline must be a date, not a datetime")
    return day.isoformat()


def from_iso_date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def utc_now() -> dt.datetime:
    """The default clock of `Database`; tests inject their own."""
    return dt.datetime.now(dt.UTC)
