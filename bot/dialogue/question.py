"""One question of the guided check: its wording, options, help and parser.

The parser is part of the declaration, as with aiogram-dialog's `TextInput(type_factory,
on_error)`: `Question.parse` turns typed text (or a button's value) into the fact's value, and
the `ParseError` (a ValueError) it raises is the friendly re-ask. The questions themselves are
declared with their facts in `bot.claims.catalog`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from bot.claims.facts import Problem, Specs
from bot.dialogue.parsers import (
    Option,
    ParseError,
    parse_amount,
    parse_choice,
    parse_date,
    parse_yes_no,
)
from bot.dialogue.parsers.lexicon import ZERO_WORDS
from bot.i18n import DEFAULT_LANG, N_, Currency, Money, _

ABSENT: Any = object()
"""An answer that leaves the fact unanswered in the facts (an "I don't know" the rules can use
only as "still missing")."""

PART_OUTSIDE = "part_outside"
"""The paid_via option "Part through Alibaba, part outside": paid through the order, and the
amount sent outside is asked next."""
NOT_ARRIVED = "not_arrived"
"""The delivery-date option "Not arrived yet": null, which the contract reads as not arrived."""

DONE = "done"
"""Value of the "Done" button that closes a multi-choice question."""
NONE_OF_THESE = "none"
"""Value of the "None of these" option of the evidence question."""
DONT_KNOW = "dont_know"
"""Value a front end may send for its "I don't know" button."""


class Kind(StrEnum):
    """How an answer is given and read."""

    CHOICE = "choice"
    YES_NO = "yes_no"
    DATE = "date"
    AMOUNT = "amount"
    MULTI_CHOICE = "multi_choice"
    COUNT = "count"


@dataclass(frozen=True)
class Question:
    """One question: wording, options and the help for finding the answer."""

    fact: str
    kind: Kind
    label: str
    """Short name of the answer on the review screen."""
    text: str
    why: str
    options: tuple[Option, ...] = ()
    allow_unknown: bool = False
    help: str = ""
    """Where to find the answer; shown with "I don't know" and when a user is stuck."""
    example: str = ""
    """How to type the answer, for questions without buttons."""
    unknown: Any = ABSENT
    """What "I don't know" records: ABSENT (still unanswered), None or a value."""
    future_ok: bool = False
    """Dates only: may the date lie ahead (a ship-by date) or must it have passed (an arrival)."""

    def parse(self, raw: str, today: dt.date, lang: str = DEFAULT_LANG) -> Any:
        """The fact's value from one typed answer or option value; a ValueError (ParseError)
        is the re-ask, as with aiogram-dialog's `TextInput(type_factory, on_error)`. `lang`
        is the reader's language: it decides how numeric dates and amounts are read."""
        if self.kind == Kind.YES_NO:
            if re.fullmatch(r"\s*#?\d{1,2}\s*[.)]?\s*", raw):
                return parse_choice(raw, YES_NO_OPTIONS) == "yes"
            return parse_yes_no(raw)
        if self.kind == Kind.CHOICE:
            return _CHOICE_TYPES[self.fact](parse_choice(raw, self.options))
        if self.kind == Kind.DATE:
            # A date first: read as an option, "20 November" came close enough to "no" to be
            # taken for "not arrived yet". The option is for what no date can be.
            try:
                return parse_date(
                    raw, today=today, must_not_be_future=not self.future_ok, lang=lang
                )
            except ParseError:
                if self.options and parse_option(raw, self.options) == NOT_ARRIVED:
                    return None
                raise
        if self.kind == Kind.AMOUNT:
            return 0.0 if is_zero(raw) else _usd(raw, lang)
        if self.kind == Kind.COUNT:
            return parse_count(raw)
        raise ParseError(N_("Please use the buttons."))


YES_NO_OPTIONS = (Option("yes", N_("Yes")), Option("no", N_("No")))

_CHOICE_TYPES: dict[str, Any] = {"paid_via": str, "problem": Problem, "specs_in_contract": Specs}
"""Choice facts and their value types (paid_via stays a string: PART_OUTSIDE is an option)."""


def parse_option(raw: str, options: tuple[Option, ...]) -> str | None:
    """An option the text clearly names, or None (the text may still be a date or amount)."""
    try:
        return parse_choice(raw, options)
    except ParseError:
        return None


def parse_count(raw: str) -> int:
    """A whole number of units ("1,000", "800 pcs"); ParseError re-asks."""
    cleaned = re.sub(
        r"(?i)\s*(units?|pcs|pieces|pc|items?|шт|штук|штуки|piezas|unidades|peças|pecas)\.?$",
        "",
        raw.strip(),
    )
    cleaned = cleaned.replace(",", "").replace(" ", "")
    if not re.fullmatch(r"\d{1,12}", cleaned):
        raise ParseError(N_("Please type a whole number of units, like 1000."))
    return int(cleaned)


_ZERO = re.compile(r"(?i)\s*(?:us\s*)?\$?\s*0+(?:[.,]0+)?\s*(?:usd|us\$|\$|dollars?)?\s*")
_ZERO_WORDS = frozenset({"nothing", "none", "zero", "nothing yet", "not yet", "no"}) | ZERO_WORDS


def is_zero(raw: str) -> bool:
    """ "0", "$0", "nothing": a real answer for amounts (nothing paid yet, no coverage shown),
    which the money parser refuses because a payment is normally above zero."""
    return bool(_ZERO.fullmatch(raw)) or raw.strip().lower().strip(".!") in _ZERO_WORDS


def _usd(raw: str, lang: str) -> float:
    money = parse_amount(raw, lang)
    if not money.is_usd:
        code = money.currency
        iso = len(code) == 3 and code.isalpha()
        shown = Money(money.amount, code) if iso else Decimal(str(money.amount))
        reask = _(
            "That looks like {amount} in {currency}. Please give the amount in US dollars, as "
            "the Alibaba order page shows it. If you know both figures, you can write them like "
            "this: 3,000 EUR = 3,250 USD.",
            amount=shown,
            currency=Currency(money.currency, money.currency_name),
        )
        raise ParseError(reask)
    return money.amount
