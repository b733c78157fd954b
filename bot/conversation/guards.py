"""Input checks every front end applies before reading a message, and the confirm words.

Each check only says what is wrong; the session re-shows the open check question after it, so a
bad message never costs an answer.
"""

from __future__ import annotations

from bot.dialogue.parsers.lexicon import CONFIRM_WORDS as LOCAL_CONFIRM_WORDS
from bot.i18n import Text, _

MAX_INPUT_CHARS = 4096
"""The longest message read: Telegram's message limit (a test pins it to
`telegram.constants.MessageLimit.MAX_TEXT_LENGTH`), kept by every front end so all behave alike."""

CONFIRM_WORDS = (
    frozenset({"ok", "okay", "yes", "y", "done", "confirm", "result", "go", "k"})
    | LOCAL_CONFIRM_WORDS
)
"""Typed words that mean "see the result" on the review screen."""

UNKNOWN_KEYS = frozenset({"?", "0"})
"""What a text front end types for "I don't know" (the numbered list shows 0)."""


def is_confirm_word(text: str) -> bool:
    """A typed "ok" (in any case, with a full stop or an exclamation mark)."""
    return text.lower().strip(" .!") in CONFIRM_WORDS


def has_words(text: str) -> bool:
    """Letters or digits in any script ("٣٠٠٠" counts)."""
    return any(ch.isalnum() for ch in text)


def input_problem(text: str, *, in_check: bool) -> Text | None:
    """The friendly reply to a message we cannot use (too long, empty, emoji only), or None."""
    if len(text) > MAX_INPUT_CHARS:
        return _(
            "That message is too long ({length} characters). Please keep it under {limit} "
            "characters.",
            length=str(len(text)),  # a count to compare, not an amount: no separators
            limit=str(MAX_INPUT_CHARS),
        )
    stripped = text.strip()
    if not stripped:
        if in_check:
            return _("Please type an answer, or choose one of the options.")
        return _("Type a question about Trade Assurance, or /help to see what I can do.")
    if not has_words(stripped) and not (in_check and stripped.strip("?") == ""):
        return _("I can only read words and numbers, not emoji or symbols on their own.")
    return None
