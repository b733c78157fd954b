"""Dates: absolute, relative ("3 days ago") and ambiguous ones asked again."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from bot.dialogue.parsers.lexicon import (
    DATE_FILLERS,
    DAY_FIRST_LANGS,
    canonical_date,
    month_names,
    weekday_names,
)
from bot.dialogue.parsers.text import DATE_HELP, MIN_YEAR, ParseError, guard
from bot.i18n import DEFAULT_LANG, N_, Month, MonthDay, Text, _, deferred, join

# --------------------------------------------------------------------------- dates

_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(calendar.month_name):
    if _number:
        _MONTHS[_name.lower()] = _number
        _MONTHS[_name.lower()[:3]] = _number
_MONTHS.update(month_names())
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAYS.update({name.lower()[:3]: i for i, name in enumerate(calendar.day_name)})
_WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
_WEEKDAYS.update(weekday_names())
WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
"""Weekday names for re-asks, translated when shown."""
TOO_FAR = _("That is too far away.")
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
_DATE_FILLER_WORDS = (
    frozenset(
        "on it was it's its is around about approximately approx approx. the goods they we i "
        "arrived came delivered received got reached us me our my order shipment date".split()
    )
    | DATE_FILLERS
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
            raise ParseError(join(TOO_FAR, deferred(DATE_HELP)))
        if unit in _UNIT_DAYS:
            return today + dt.timedelta(days=sign * count * _UNIT_DAYS[unit])
        months = count * (12 if unit == "year" else 1)
        if months > 1200:
            raise ParseError(join(TOO_FAR, deferred(DATE_HELP)))
        return _shift_months(today, sign * months)
    words = cleaned.split()
    if len(words) == 2 and words[0] in _WEEKDAYS and words[1] in ("last", "next"):
        words.reverse()  # "el lunes pasado", "segunda passada"
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
            N_(
                "Which day exactly? The 30-day claim window is counted in days. "
                "Try 1 May or 10 days ago."
            )
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
        raise ParseError(_no_such_day(day, month))
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
        raise ParseError(
            join(_("{day} is not a day of the month.", day=str(day)), deferred(DATE_HELP))
        )
    if year is None:
        return _infer_year(month, day, today, past)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(_no_such_day(day, month, year)) from None


def _no_such_day(day: int, month: int, year: int | None = None) -> Text:
    """ "There is no day 31 in April", the month in the reader's words."""
    return _(
        "There is no day {day} in {month}. Please check the date.",
        day=str(day),
        month=Month(month),
    )


def _full_year(raw: str) -> int:
    year = int(raw)
    return year + 2000 if len(raw) == 2 else year


def _numeric(match: re.Match[str], today: dt.date, past: bool, lang: str) -> dt.date:
    """d/m/y or m/d/y: accepted only when one reading is impossible or both agree, or when the
    reader's language writes dates day first (nobody in Moscow, Madrid or São Paulo means
    month first)."""
    a, b = int(match.group("a")), int(match.group("b"))
    year = _full_year(match.group("y")) if match.group("y") else None
    if a < 1 or b < 1:
        raise ParseError(DATE_HELP)
    if a == b or (a > 12 and b <= 12) or (lang in DAY_FIRST_LANGS and a <= 31 and b <= 12):
        day, month = a, b
    elif b > 12 and a <= 12:
        day, month = b, a
    elif a > 12 and b > 12:
        raise ParseError(DATE_HELP)
    else:
        first, second = MonthDay(b, a), MonthDay(a, b)  # the year is as typed either way
        raise ParseError(
            _(
                "Is that {first} or {second}? Please write the month as a word, like {first}.",
                first=first,
                second=second,
            )
        )
    return _build(year, month, day, today, past)


def _textual(cleaned: str, today: dt.date, past: bool) -> dt.date | None:
    """ "1 May", "May 1st", "1st of May 2026", "May 1, 2026", "01-May-26"; None if no month."""
    skip = {"of", "the", "on", *DATE_FILLERS}
    tokens = [t for t in re.split(r"[\s,/.\-]+", cleaned) if t and t not in skip]
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
            _(
                "Which day of {month}? Please add the day, like {example}.",
                month=Month(month),
                example=MonthDay(month, 1),
            )
        )
    return _build(year, month, day, today, past)


def parse_date(
    text: str, *, today: dt.date, must_not_be_future: bool = False, lang: str = DEFAULT_LANG
) -> dt.date:
    """A calendar date from ISO, "1 May", "May 1st", "25/12/2025", "yesterday", "3 days ago",
    "last monday", relative to `today`.

    `must_not_be_future` is for things that already happened (an actual delivery); it also makes
    a missing year mean the most recent past occurrence. Otherwise a missing year means the
    occurrence nearest to today (an expected date may be either side of today).
    Numeric dates are read only when d/m and m/d cannot be confused (1/5 is asked back), or
    day first for readers whose language writes them so (`lang`). Relative words, month and
    weekday names of every offered language are read ("вчера", "hace 3 días", "19 de abril").
    """
    cleaned = canonical_date(guard(text, DATE_HELP).strip(" .!"))
    words = cleaned.split()
    while len(words) > 1 and words[0] in _DATE_FILLER_WORDS:
        words.pop(0)
    cleaned = " ".join(words)
    day: dt.date | None = _relative(cleaned, today)
    if day is None:
        words = cleaned.split()
        if len(words) == 1 and words[0] in _WEEKDAYS:
            if not must_not_be_future:
                name = deferred(WEEKDAY_NAMES[_WEEKDAYS[words[0]]])
                raise ParseError(
                    _("Last {day} or next {day}? Please say which, or give the date.", day=name)
                )
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
                day = _numeric(numeric, today, must_not_be_future, lang)
            else:
                day = _textual(cleaned, today, must_not_be_future)
    if day is None:
        raise ParseError(DATE_HELP)
    if day.year < MIN_YEAR:
        too_early = _("{year} looks too early. Please check the year.", year=str(day.year))
        raise ParseError(join(too_early, deferred(DATE_HELP)))
    if day.year > today.year + 5:
        too_late = _("{year} looks too far ahead. Please check the year.", year=str(day.year))
        raise ParseError(too_late)
    if must_not_be_future and day > today:
        raise ParseError(
            _(
                "{day} is in the future. Please give a day that has already passed, like "
                "yesterday, 3 days ago or 1 May.",
                day=day,
            )
        )
    return day
