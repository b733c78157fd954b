"""Dates: absolute, relative ("3 days ago") and ambiguous ones asked again."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from bot.dialogue.parsers.formatting import format_date
from bot.dialogue.parsers.text import DATE_HELP, MIN_YEAR, ParseError, guard

# --------------------------------------------------------------------------- dates

_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(calendar.month_name):
    if _number:
        _MONTHS[_name.lower()] = _number
        _MONTHS[_name.lower()[:3]] = _number
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAYS.update({name.lower()[:3]: i for i, name in enumerate(calendar.day_name)})
_WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
_SMALL_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "couple of": 2,
    "a couple of": 2,
    "few": 3,
}
_UNIT_DAYS = {"day": 1, "week": 7}
_RELATIVE_AGO = re.compile(
    r"^(?P<n>\d{1,4}|a couple of|couple of|[a-z]+)\s+(?P<unit>day|week|month|year)s?\s+"
    r"(?P<dir>ago|before|back|earlier|from now|later|from today)$"
)
_RELATIVE_IN = re.compile(
    r"^in\s+(?P<n>\d{1,4}|a couple of|couple of|[a-z]+)\s+(?P<unit>day|week|month|year)s?$"
)
_ISO = re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})$")
_COMPACT = re.compile(r"^(?P<y>20\d{2})(?P<m>\d{2})(?P<d>\d{2})$")
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})(?:[-/.](?P<y>\d{4}|\d{2}))?$")
_DATE_FILLER_WORDS = frozenset(
    "on it was it's its is around about approximately approx approx. the goods they we i "
    "arrived came delivered received got reached us me our my order shipment date".split()
)
"""Words people put around a date ("they arrived on 1 May"); dropped from the front."""
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def _count(word: str) -> int | None:
    if word.isdecimal() and len(word) < 5:
        return int(word)
    return _SMALL_NUMBERS.get(word)


def _relative(cleaned: str, today: dt.date) -> dt.date | None:
    """ "3 days ago", "in 2 weeks", "yesterday", "last monday"; None when not relative."""
    simple = {
        "today": 0,
        "now": 0,
        "this morning": 0,
        "tonight": 0,
        "yesterday": -1,
        "the day before yesterday": -2,
        "day before yesterday": -2,
        "tomorrow": 1,
        "the day after tomorrow": 2,
        "day after tomorrow": 2,
    }
    if cleaned in simple:
        return today + dt.timedelta(days=simple[cleaned])
    match = _RELATIVE_AGO.match(cleaned) or _RELATIVE_IN.match(cleaned)
    if match:
        count = _count(match.group("n"))
        if count is None:
            raise ParseError(DATE_HELP)
        direction = match.groupdict().get("dir")
        sign = -1 if direction in ("ago", "before", "back", "earlier") else 1
        unit = match.group("unit")
        if count > 3660:
            raise ParseError("That is too far away. " + DATE_HELP)
        if unit in _UNIT_DAYS:
            return today + dt.timedelta(days=sign * count * _UNIT_DAYS[unit])
        months = count * (12 if unit == "year" else 1)
        if months > 1200:
            raise ParseError("That is too far away. " + DATE_HELP)
        return _shift_months(today, sign * months)
    words = cleaned.split()
    if len(words) == 2 and words[1] in _WEEKDAYS:
        target = _WEEKDAYS[words[1]]
        if words[0] in ("last", "past", "previous"):
            back = (today.weekday() - target) % 7 or 7
            return today - dt.timedelta(days=back)
        if words[0] in ("next", "this", "coming"):
            ahead = (target - today.weekday()) % 7 or 7
            return today + dt.timedelta(days=ahead)
        raise ParseError(DATE_HELP)
    if cleaned in ("last week", "last month", "this week", "this month", "recently", "soon"):
        raise ParseError(
            "Which day exactly? The 30-day claim window is counted in days. "
            "Try 1 May or 10 days ago."
        )
    return None


def _infer_year(month: int, day: int, today: dt.date, past: bool) -> dt.date:
    """The most recent past occurrence (past=True) or the nearest one to today."""
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ParseError(f"There is no {day} {calendar.month_name[month]}. Please check the date.")
    if past:
        earlier = [c for c in candidates if c <= today]
        if earlier:
            return max(earlier)
        return min(candidates)
    return min(candidates, key=lambda c: (abs((c - today).days), c))


def _build(year: int | None, month: int, day: int, today: dt.date, past: bool) -> dt.date:
    if not 1 <= month <= 12:
        raise ParseError(DATE_HELP)
    if not 1 <= day <= 31:
        raise ParseError(f"{day} is not a day of the month. " + DATE_HELP)
    if year is None:
        return _infer_year(month, day, today, past)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(
            f"There is no {day} {calendar.month_name[month]} {year}. Please check the date."
        ) from None


def _full_year(raw: str) -> int:
    year = int(raw)
    return year + 2000 if len(raw) == 2 else year


def _numeric(match: re.Match[str], today: dt.date, past: bool) -> dt.date:
    """d/m/y or m/d/y: accepted only when one reading is impossible or both agree."""
    a, b = int(match.group("a")), int(match.group("b"))
    year = _full_year(match.group("y")) if match.group("y") else None
    if a == b or (a > 12 and b <= 12):
        day, month = a, b
    elif b > 12 and a <= 12:
        day, month = b, a
    elif a > 12 and b > 12:
        raise ParseError(DATE_HELP)
    else:
        first = f"{a} {calendar.month_name[b]}"
        second = f"{b} {calendar.month_name[a]}"
        raise ParseError(
            f"Is that {first} or {second}? Please write the month as a word, like {first}."
        )
    return _build(year, month, day, today, past)


def _textual(cleaned: str, today: dt.date, past: bool) -> dt.date | None:
    """ "1 May", "May 1st", "1st of May 2026", "May 1, 2026", "01-May-26"; None if no month."""
    tokens = [t for t in re.split(r"[\s,/.\-]+", cleaned) if t and t not in ("of", "the", "on")]
    tokens = [t for t in tokens if t not in _WEEKDAYS]
    month_tokens = [t for t in tokens if t.isalpha()]
    if len(month_tokens) != 1 or month_tokens[0] not in _MONTHS:
        return None
    month = _MONTHS[month_tokens[0]]
    position = tokens.index(month_tokens[0])
    others = [t for t in tokens if t != month_tokens[0]]
    day: int | None = None
    year: int | None = None
    for index, token in enumerate(others):
        if re.fullmatch(r"\d{4}", token) and year is None:
            year = int(token)
            continue
        ordinal = _ORDINAL.match(token)
        if ordinal and day is None:
            day = int(ordinal.group(1))
            continue
        if (
            re.fullmatch(r"'?\d{2}", token)
            and year is None
            and day is not None
            and index == len(others) - 1
            and position < len(tokens) - 1
        ):
            year = _full_year(token.lstrip("'"))
            continue
        raise ParseError(DATE_HELP)
    if day is None:
        raise ParseError(
            f"Which day of {calendar.month_name[month]}? Please add the day, like 1 "
            f"{calendar.month_name[month]}."
        )
    return _build(year, month, day, today, past)


def parse_date(text: str, *, today: dt.date, must_not_be_future: bool = False) -> dt.date:
    """A calendar date from ISO, "1 May", "May 1st", "25/12/2025", "yesterday", "3 days ago",
    "last monday", relative to `today`.

    `must_not_be_future` is for things that already happened (an actual delivery); it also makes
    a missing year mean the most recent past occurrence. Otherwise a missing year means the
    occurrence nearest to today (an expected date may be either side of today).
    Numeric dates are read only when d/m and m/d cannot be confused; 1/5 is asked back.
    """
    cleaned = guard(text, DATE_HELP).strip(" .!")
    words = cleaned.split()
    while len(words) > 1 and words[0] in _DATE_FILLER_WORDS:
        words.pop(0)
    cleaned = " ".join(words)
    day: dt.date | None = _relative(cleaned, today)
    if day is None:
        words = cleaned.split()
        if len(words) == 1 and words[0] in _WEEKDAYS:
            if not must_not_be_future:
                name = calendar.day_name[_WEEKDAYS[words[0]]]
                raise ParseError(f"Last {name} or next {name}? Please say which, or give the date.")
            target = _WEEKDAYS[words[0]]
            back = (today.weekday() - target) % 7 or 7
            day = today - dt.timedelta(days=back)
    if day is None:
        iso = _ISO.match(cleaned) or _COMPACT.match(cleaned)
        if iso:
            day = _build(
                int(iso.group("y")), int(iso.group("m")), int(iso.group("d")), today, False
            )
        else:
            numeric = _NUMERIC.match(cleaned)
            if numeric:
                day = _numeric(numeric, today, must_not_be_future)
            else:
                day = _textual(cleaned, today, must_not_be_future)
    if day is None:
        raise ParseError(DATE_HELP)
    if day.year < MIN_YEAR:
        raise ParseError(f"{day.year} looks too early. Please check the year. " + DATE_HELP)
    if day.year > today.year + 5:
        raise ParseError(f"{day.year} looks too far ahead. Please check the year.")
    if must_not_be_future and day > today:
        raise ParseError(
            f"{format_date(day)} is in the future. Please give a day that has already passed, "
            "like yesterday, 3 days ago or 1 May."
        )
    return day
