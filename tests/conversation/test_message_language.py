"""Which language a reply is written in: the reader's own, unless the message clearly is in
another offered language. Numbers, "ok" or a date never switch it."""

from __future__ import annotations

import pytest

from bot.conversation.language import message_language
from bot.matching.language import detect_language, evident_language


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


@pytest.mark.parametrize(
    "text",
    [
        "Mas safe po ba magbayad thru PayPal o sa TA? mga 80k pesos yung order ko",
        "bhai supplier ne advance le liya aur maal nahi bheja, kya karu ab",
        "abeg the supplier no send the goods, wetin I go do now",
    ],
)
def test_regional_englishes_are_answered_in_english_not_a_romance_language(text: str) -> None:
    """A stray "o", "le" or "mas" in Taglish or Hindi-English is not Portuguese or French."""
    assert message_language(text, "en") == "en"
    assert detect_language(text) == "en"


def test_a_script_we_do_not_serve_is_still_named() -> None:
    """`ask --json` reports the message's language even where the product answers in English."""
    assert detect_language("האם אפשר לשלם לספק דרך ווסטרן יוניון?") == "he"
    assert detect_language("هل يمكنني الدفع عن طريق ويسترن يونيون؟") == "ar"
