"""Which language a reply is written in: the reader's own, unless the message clearly is in
another offered language. Numbers, "ok" or a date never switch it."""

from __future__ import annotations

import pytest

from bot.conversation.language import message_language
from bot.matching.language import evident_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("что такое trade assurance", "ru"),
        ("вчера", "ru"),
        ("el proveedor no me responde", "es"),
        ("o fornecedor não responde", "pt"),
        ("my supplier is not answering", "en"),
    ],
)
def test_evident_languages(text: str, lang: str) -> None:
    assert evident_language(text) == lang


@pytest.mark.parametrize("text", ["ok", "12500", "05.04.2026", "1 3 4", "no", "hola", "FOB"])
def test_short_or_shared_words_say_nothing(text: str) -> None:
    assert evident_language(text) is None


def test_a_reply_follows_an_evident_offered_language_only() -> None:
    assert message_language("как открыть спор?", "en") == "ru"
    assert message_language("12 500", "ru") == "ru"  # an answer keeps the reader's language
    assert message_language("Le fournisseur ne répond pas et je suis inquiet", "es") == "es"
    assert message_language("how do I open a dispute with my supplier?", "pt") == "en"
