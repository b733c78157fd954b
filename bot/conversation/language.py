"""Which language to answer one message in: the reader's own, unless the message is clearly
written in another language the product offers (a Russian speaker with an English phone, a
Brazilian member of a Spanish-speaking group)."""

from __future__ import annotations

from bot.i18n import SUPPORTED_LANGS
from bot.matching.language import evident_language


def message_language(text: str, base: str) -> str:
    """`base` (the user's or group's language), or the message's own when it is evident,
    offered and different: an answer is read in the language its question was asked in."""
    evident = evident_language(text) if text else None
    return evident if evident in SUPPORTED_LANGS and evident is not None else base
