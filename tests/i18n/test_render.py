"""Rendering texts for a reader: figures in the locale's format, plural forms, nesting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bot.i18n import Money, _, n_, normalize_lang, render


def test_a_message_without_figures_is_its_source_sentence_in_english() -> None:
    assert render(_("What would you like to do?"), "en") == "What would you like to do?"


def test_dates_and_money_use_one_long_unambiguous_form() -> None:
    text = _(
        "Open a dispute by {deadline} for {amount}.",
        deadline=dt.date(2026, 4, 19),
        amount=Money(12000),
    )
    assert render(text, "en") == "Open a dispute by 19 April 2026 for US$12,000."


def test_cents_are_shown_only_when_there_are_any() -> None:
    assert render(_("{a}", a=Money(Decimal("99.50"))), "en") == "US$99.50"
    assert render(_("{a}", a=Money(99)), "en") == "US$99"


def test_plural_form_follows_the_count() -> None:
    assert render(n_("{n} day left", "{n} days left", 1), "en") == "1 day left"
    assert render(n_("{n} day left", "{n} days left", 12), "en") == "12 days left"


def test_nested_texts_render_for_the_same_reader() -> None:
    inner = n_("{n} day", "{n} days", 3)
    assert render(_("Only {left} to go.", left=inner), "en") == "Only 3 days to go."


def test_unknown_languages_fall_back_to_english() -> None:
    assert normalize_lang("pt-BR") == "pt"
    assert normalize_lang("ru_RU") == "ru"
    assert normalize_lang("fr") == "en"
    assert normalize_lang(None) == "en"
    assert render(_("Hello"), "xx") == "Hello"


def test_an_absurd_amount_is_shown_whole_instead_of_raising() -> None:
    shown = render(_("{a}", a=Money(1e308)), "en")
    assert shown.startswith("US$100,000,000") and "." not in shown
