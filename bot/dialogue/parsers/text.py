"""Text clean-up shared by every parser, the re-ask error and "I don't know"."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from bot.dialogue.parsers.lexicon import UNKNOWN_PHRASES
from bot.i18n import N_, Text, _, deferred, join, render

MAX_INPUT_CHARS = 200
"""Answers longer than this are not a date, an amount or a choice; refusing them keeps parsing
cheap whatever is pasted in."""

MAX_AMOUNT = 100_000_000.0
"""US$100 million: far above any order a small importer places, low enough to catch pasted
order numbers and runaway zeros."""

MIN_YEAR = 2000
"""Trade Assurance is younger than this; earlier years are typos."""

DATE_HELP = N_("I couldn't read that date. Try 2026-05-01, 1 May or 3 days ago.")
AMOUNT_HELP = N_("I couldn't read that amount. Try 12500, $12,500 or 12.5k.")
YES_NO_HELP = N_("Please answer yes or no.")


class ParseError(ValueError):
    """An answer we could not read; `text` is the friendly re-ask, rendered for its reader
    where it is shown, and `message` (also `str(exc)`) its English wording.

    A plain `str` is a message id (a constant marked with `N_`). `suggestions` holds option
    values worth offering as buttons (for "did you mean").
    """

    def __init__(self, message: Text | str, suggestions: Sequence[str] = ()) -> None:
        self.text = message if isinstance(message, Text) else deferred(message)
        self.message = render(self.text)
        super().__init__(self.message)
        self.suggestions: tuple[str, ...] = tuple(suggestions)


# --------------------------------------------------------------------------- text clean-up


def normalize(text: str) -> str:
    """NFKC, every Unicode digit as ASCII, lower case, single spaces.

    NFKC turns full-width digits and letters (common on Chinese and Japanese keyboards) into
    ASCII; the digit pass also covers Arabic-Indic and Devanagari digits.
    """
    text = unicodedata.normalize("NFKC", text)
    chars = []
    for ch in text:
        digit = unicodedata.decimal(ch, None)
        chars.append(str(digit) if digit is not None and not ch.isascii() else ch)
    text = "".join(chars).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.lower().split())


def guard(text: str, help_text: Text | str) -> str:
    """Normalised text, or a ParseError for empty and overlong input."""
    if len(text) > MAX_INPUT_CHARS:
        help_ = help_text if isinstance(help_text, Text) else deferred(help_text)
        raise ParseError(join(_("That answer is too long."), help_))
    cleaned = normalize(text)
    if not cleaned:
        raise ParseError(help_text)
    return cleaned


_UNKNOWN_PHRASES = (
    frozenset(
        {
            "?",
            "??",
            "???",
            "i don't know",
            "i dont know",
            "i do not know",
            "don't know",
            "dont know",
            "do not know",
            "idk",
            "dunno",
            "not sure",
            "i'm not sure",
            "im not sure",
            "i am not sure",
            "unsure",
            "no idea",
            "i have no idea",
            "don't remember",
            "dont remember",
            "i don't remember",
            "i dont remember",
            "unknown",
            "no clue",
            "not known",
        }
    )
    | UNKNOWN_PHRASES
)


def is_unknown(text: str) -> bool:
    """True when the user says they don't know ("idk", "not sure", "?")."""
    if len(text) > MAX_INPUT_CHARS:
        return False
    cleaned = normalize(text).strip(" .!")
    return cleaned in _UNKNOWN_PHRASES or (cleaned.rstrip("?") in _UNKNOWN_PHRASES)
