"""The catalogue: the template holds every marked sentence, and a language is one `.po` file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from bot.i18n import DEFAULT_LANG, SUPPORTED_LANGS, Money, _, gettext_for, n_, render
from bot.i18n import catalogue as catalogue
from bot.i18n.catalogue import TEMPLATE, catalogue_problems, extract, template_text
from tests.i18n.fake import installed_language


def test_the_template_is_up_to_date_with_the_source() -> None:
    # Fails when a marked sentence was added or changed without `python -m bot.i18n.catalogue`.
    assert TEMPLATE.read_text(encoding="utf-8") == template_text(), (
        "bot/i18n/locale/messages.pot is stale: run `python -m bot.i18n.catalogue`"
    )


def test_the_template_holds_the_check_s_sentences() -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}
    assert "Why" in ids and "{n} day left" in ids  # card titles and plurals
    assert any(i.startswith("You paid {how}.") for i in ids)  # reasons
    assert any(i.startswith("Open the dispute by {deadline}") for i in ids)  # next steps
    assert len(ids) > 200


@pytest.fixture
def ru_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Russian added the way the next issue will add it: one .po file under locale/."""
    entries: dict[str | tuple[str, str], str | tuple[str, ...]] = {
        "Deadline: {deadline}": "Срок: {deadline}",
        ("{n} day left", "{n} days left"): (
            "остался {n} день",
            "осталось {n} дня",
            "осталось {n} дней",
        ),
        "How did you pay for this order?": "Как вы оплатили этот заказ?",
        "Why": "Почему",
        "Open the dispute by {deadline}: {left}": "Откройте спор до {deadline}: {left}",
    }
    with installed_language("ru", entries, tmp_path, monkeypatch, fuzzy=("Only in English",)):
        yield


@pytest.mark.usefixtures("ru_catalogue")
def test_a_po_file_is_all_a_new_language_needs() -> None:
    deadline = _("Deadline: {deadline}", deadline=dt.date(2026, 4, 19))
    assert render(deadline, "ru").startswith("Срок: ")
    assert render(n_("{n} day left", "{n} days left", 5), "ru") == "осталось 5 дней"
    assert gettext_for("How did you pay for this order?", "ru") == "Как вы оплатили этот заказ?"


@pytest.mark.usefixtures("ru_catalogue")
def test_missing_and_fuzzy_entries_fall_back_to_english() -> None:
    assert render(_("Only in English"), "ru") == "Only in English"
    assert render(_("Not translated yet: {a}", a=Money(5)), "en") == "Not translated yet: US$5"


def test_every_question_s_wording_is_in_the_template() -> None:
    from bot.dialogue.questions import QUESTIONS

    ids = {m.id for m in extract() if isinstance(m.id, str)}
    for question in QUESTIONS.values():
        words = [question.label, question.text, question.why, question.help, question.example]
        words += [option.label for option in question.options]
        missing = [w for w in words if w and w not in ids]
        assert not missing, (question.fact, missing)


@pytest.mark.usefixtures("ru_catalogue")
def test_the_check_s_screens_render_for_the_reader() -> None:
    from bot.claims.facts import Facts
    from bot.dialogue.questions import display_answer
    from bot.dialogue.render import option_label

    assert option_label("How did you pay for this order?", "ru") == "Как вы оплатили этот заказ?"
    facts = Facts.model_validate({"delivery_date": "2026-04-19", "amount_paid": 1200.5})
    assert display_answer("delivery_date", facts, "ru").startswith("19 апреля 2026")
    assert display_answer("amount_paid", facts, "en") == "US$1,200.50"
    assert display_answer("receipt_confirmed", facts, "en") == "I don't know"


@pytest.mark.usefixtures("ru_catalogue")
def test_a_stored_verdict_card_renders_in_the_reader_s_language() -> None:
    from bot.claims.assess import assess
    from bot.claims.assessment import Assessment
    from bot.claims.card import render_text
    from bot.claims.facts import Facts

    facts = Facts.model_validate(
        {"as_of": "2026-03-25", "trade_assurance_order": True, "paid_via": "alibaba_order",
         "problem": "late_shipment", "receipt_confirmed": False, "agreed_date": "2026-03-01",
         "delivery_date": "2026-03-20", "amount_paid": 8000, "coverage_limit": 20000}
    )  # fmt: skip
    stored = Assessment.model_validate_json(assess(facts).model_dump_json())
    russian, english = render_text(stored, "ru"), render_text(stored, "en")
    assert "Почему" in russian and "Откройте спор до 19 апреля 2026" in russian
    assert "осталось 25 дней" in russian  # the plural form for 25 in Russian
    assert "Why" in english and "Open the dispute by 19 April 2026: 25 days left" in english


# --------------------------------------------------------------------------- offered languages


@pytest.mark.parametrize("lang", [lang for lang in SUPPORTED_LANGS if lang != DEFAULT_LANG])
def test_every_offered_language_has_a_complete_and_safe_catalogue(lang: str) -> None:
    # Complete (every message, every plural form, nothing fuzzy) and safe (the source's
    # {figures} and markup); `python -m bot.i18n.catalogue --check LANG` prints the same.
    assert catalogue_problems(lang) == []


def test_the_catalogue_check_names_each_unsafe_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries: dict[str | tuple[str, str], str | tuple[str, ...]] = {
        "Deadline: {deadline}": "Срок: {date}",  # a renamed figure raises at render
        "<b>Why</b>": "<b>Почему",  # Telegram refuses unbalanced markup
    }
    monkeypatch.setattr(catalogue, "extract", lambda root=None: _template(*entries))
    with installed_language("zz", entries, tmp_path, monkeypatch):
        problems = catalogue_problems("zz")
    assert any("'Deadline: {deadline}': figures differ" in p for p in problems)
    assert any("'<b>Why</b>': markup differs" in p for p in problems)


def _template(*msgids: str | tuple[str, str]) -> Catalog:
    template = Catalog(domain="messages")
    for msgid in msgids:
        template.add(msgid)
    return template
