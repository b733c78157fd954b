"""Forgiving parsers for typed answers: dates, money, yes/no and choices.

Users type on phones, often in a second language, so every parser accepts the many ways people
write a value and, when it cannot be sure, raises `ParseError` with a short re-ask that says what
to type. Guessing is never allowed where a wrong guess moves money: an ambiguous 1/5/2026, a
`12.500` that could be twelve thousand or twelve and a half, or euros typed as if they were
dollars all come back as a question.

Everything here is pure and uses the standard library plus rapidfuzz.
"""

from bot.dialogue.parsers.choices import Option, parse_choice, parse_multi
from bot.dialogue.parsers.dates import parse_date
from bot.dialogue.parsers.formatting import format_date, format_usd
from bot.dialogue.parsers.money import Money, parse_amount
from bot.dialogue.parsers.text import (
    AMOUNT_HELP,
    DATE_HELP,
    MAX_AMOUNT,
    MAX_INPUT_CHARS,
    MIN_YEAR,
    YES_NO_HELP,
    ParseError,
    is_unknown,
    normalize,
)
from bot.dialogue.parsers.yes_no import parse_yes_no

__all__ = [
    "AMOUNT_HELP",
    "DATE_HELP",
    "MAX_AMOUNT",
    "MAX_INPUT_CHARS",
    "MIN_YEAR",
    "YES_NO_HELP",
    "Money",
    "Option",
    "ParseError",
    "format_date",
    "format_usd",
    "is_unknown",
    "normalize",
    "parse_amount",
    "parse_choice",
    "parse_date",
    "parse_multi",
    "parse_yes_no",
]
