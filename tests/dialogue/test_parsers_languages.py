"""Typed answers in Russian, Spanish and Portuguese, as importers write them: relative dates,
month names, day-first dates, local amounts, yes/no and "I don't know" words, option words.

Each parser reads every offered language's words whatever the interface language; only number
conventions follow the reader's language (`lang`)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dialogue import machine as m
from bot.dialogue.parsers import ParseError, is_unknown, parse_amount, parse_date, parse_yes_no
from bot.dialogue.parsers.lexicon import canonical_date
from bot.dialogue.questions import question_for
from bot.i18n import render

TODAY = dt.date(2026, 3, 10)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("вчера", "ru", dt.date(2026, 3, 9)),
        ("позавчера", "ru", dt.date(2026, 3, 8)),
        ("3 дня назад", "ru", dt.date(2026, 3, 7)),
        ("неделю назад", "ru", dt.date(2026, 3, 3)),
        ("две недели назад", "ru", dt.date(2026, 2, 24)),
        ("месяц назад", "ru", dt.date(2026, 2, 10)),
        ("пришло 5 дней назад", "ru", dt.date(2026, 3, 5)),
        ("19 февраля", "ru", dt.date(2026, 2, 19)),
        ("19 февраля 2026 г.", "ru", dt.date(2026, 2, 19)),
        ("5 янв", "ru", dt.date(2026, 1, 5)),
        ("05.02.2026", "ru", dt.date(2026, 2, 5)),  # day first, no re-ask
        ("в прошлый понедельник", "ru", dt.date(2026, 3, 9)),
        ("ayer", "es", dt.date(2026, 3, 9)),
        ("anteayer", "es", dt.date(2026, 3, 8)),
        ("hace 3 días", "es", dt.date(2026, 3, 7)),
        ("hace una semana", "es", dt.date(2026, 3, 3)),
        ("llegó el 3 de febrero", "es", dt.date(2026, 2, 3)),
        ("el día 3 de febrero de 2026", "es", dt.date(2026, 2, 3)),
        ("el lunes pasado", "es", dt.date(2026, 3, 9)),
        ("03/02/2026", "es", dt.date(2026, 2, 3)),
        ("ontem", "pt", dt.date(2026, 3, 9)),
        ("anteontem", "pt", dt.date(2026, 3, 8)),
        ("há 3 dias", "pt", dt.date(2026, 3, 7)),
        ("3 dias atrás", "pt", dt.date(2026, 3, 7)),
        ("faz duas semanas", "pt", dt.date(2026, 2, 24)),
        ("chegou dia 5 de fevereiro", "pt", dt.date(2026, 2, 5)),
        ("19 de fevereiro de 2026", "pt", dt.date(2026, 2, 19)),
        ("segunda passada", "pt", dt.date(2026, 3, 9)),
        ("vчера".replace("v", "в"), "en", dt.date(2026, 3, 9)),  # words read in any interface
    ],
)
def test_dates_in_the_reader_s_words(text: str, lang: str, expected: dt.date) -> None:
    assert parse_date(text, today=TODAY, must_not_be_future=True, lang=lang) == expected


def test_future_words_for_a_date_that_may_lie_ahead() -> None:
    assert parse_date("через 2 недели", today=TODAY, lang="ru") == dt.date(2026, 3, 24)
    assert parse_date("dentro de 3 días", today=TODAY, lang="es") == dt.date(2026, 3, 13)
    assert parse_date("daqui a 3 dias", today=TODAY, lang="pt") == dt.date(2026, 3, 13)
    assert parse_date("mañana", today=TODAY, lang="es") == dt.date(2026, 3, 11)


@pytest.mark.parametrize(
    ("text", "lang", "said"),
    [
        ("05.02.2026", "en", "Is that 5 February or 2 May?"),  # English readers are asked
        ("31 февраля", "ru", "нет 31-го числа"),
        ("на прошлой неделе", "ru", "какого именно числа"),
        ("mañana", "es", "todavía no llega"),  # a delivery cannot be tomorrow
        ("marzo", "es", "¿Qué día de marzo?"),
    ],
)
def test_date_re_asks_are_in_the_reader_s_language(text: str, lang: str, said: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_date(text, today=TODAY, must_not_be_future=True, lang=lang)
    assert said in render(err.value.text, lang)


def test_a_weekday_alone_is_asked_back_when_the_date_may_lie_ahead() -> None:
    with pytest.raises(ParseError) as err:
        parse_date("el lunes", today=TODAY, lang="es")
    assert "¿El lunes pasado o el próximo?" in render(err.value.text, "es")


def test_relative_words_become_the_english_grammar() -> None:
    assert canonical_date("hace 3 días") == "3 day ago"
    assert canonical_date("через 2 недели") == "in 2 week"
    assert canonical_date("há uma semana") == "1 week ago"
    assert canonical_date("19 de abril") == "19 abril"


@pytest.mark.parametrize(
    ("text", "lang", "amount", "currency"),
    [
        ("3 тыс.", "ru", 3000.0, "USD"),
        ("3 тысячи долларов", "ru", 3000.0, "USD"),
        ("7,5 тыс", "ru", 7500.0, "USD"),
        ("15к", "ru", 15000.0, "USD"),
        ("12 500", "ru", 12500.0, "USD"),
        ("12.500", "ru", 12500.0, "USD"),  # a dot groups thousands for these readers
        ("12,5", "ru", 12.5, "USD"),
        ("US$12,500.00", "ru", 12500.0, "USD"),  # copied from the order page: unambiguous
        ("3000 рублей", "ru", 3000.0, "RUB"),
        ("5 mil dólares", "es", 5000.0, "USD"),
        ("1,2 mil", "es", 1200.0, "USD"),
        ("2 millones", "es", 2000000.0, "USD"),
        ("US$12.500", "es", 12500.0, "USD"),
        ("500 euros", "es", 500.0, "EUR"),
        ("1.200,50 reais", "pt", 1200.5, "BRL"),
        ("R$ 3.000", "pt", 3000.0, "BRL"),
        ("10 mil reais", "pt", 10000.0, "BRL"),
        ("US$ 12.500", "pt", 12500.0, "USD"),
        ("1.200,50", "pt", 1200.5, "USD"),
    ],
)
def test_amounts_in_local_formats(text: str, lang: str, amount: float, currency: str) -> None:
    money = parse_amount(text, lang)
    assert (money.amount, money.currency) == (amount, currency)


@pytest.mark.parametrize(
    ("text", "lang", "said"),
    [
        ("12,500", "ru", "Это 12\u00a0500 или 12,5?"),  # the other mark is asked back
        ("12,500", "pt", "É 12.500 ou 12,5?"),
        ("12.500", "en", "Is that 12,500 or 12.5?"),
        ("100 шт", "ru", "количество"),
    ],
)
def test_ambiguous_amounts_are_asked_in_the_reader_s_numbers(
    text: str, lang: str, said: str
) -> None:
    with pytest.raises(ParseError) as err:
        parse_amount(text, lang)
    assert said in render(err.value.text, lang)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("да", True),
        ("Да, конечно", True),
        ("нет", False),
        ("неа", False),
        ("ещё нет", False),
        ("sí", True),
        ("si claro", True),
        ("no", False),
        ("todavía no", False),
        ("sim", True),
        ("com certeza", True),
        ("não", False),
        ("ainda não", False),
    ],
)
def test_yes_and_no_words(text: str, answer: bool) -> None:
    assert parse_yes_no(text) is answer


@pytest.mark.parametrize("text", ["не знаю", "Не помню", "no sé", "ni idea", "não sei", "sei lá"])
def test_i_don_t_know_is_not_a_no(text: str) -> None:
    assert is_unknown(text)
    with pytest.raises(ParseError):
        parse_yes_no(text)


def test_yes_and_no_together_is_asked_back_in_the_reader_s_language() -> None:
    with pytest.raises(ParseError) as err:
        parse_yes_no("да нет")  # Russian "no, not really": never guessed
    assert "«да» или «нет»" in render(err.value.text, "ru")


@pytest.mark.parametrize(
    ("fact", "text", "value"),
    [
        ("problem", "отгрузили с опозданием", "late_shipment"),  # the translated label
        ("problem", "товар так и не пришел", "not_delivered"),
        ("problem", "llegó dañado", "transit_damage"),
        ("problem", "a alfândega reteve", "customs_hold"),
        ("paid_via", "через алибабу", "alibaba_order"),
        ("paid_via", "con tarjeta", "alibaba_order"),
        ("paid_via", "вестерн юнион", "western_union"),
        ("paid_via", "part through alibaba, part outside", "part_outside"),
        ("delivery_date", "ainda não chegou", "not_arrived"),
    ],
)
def test_option_words_in_each_language(fact: str, text: str, value: str) -> None:
    from bot.dialogue.parsers import parse_choice

    assert parse_choice(text, question_for(fact).options) == value


def test_evidence_listed_with_local_conjunctions() -> None:
    options = question_for("evidence").options
    from bot.dialogue.parsers import parse_multi

    assert parse_multi("фото и переписка", options) == {"photos_video", "platform_chat"}
    assert parse_multi("fotos y chat", options) == {"photos_video", "platform_chat"}
    assert parse_multi("contrato e rastreio", options) == {"contract", "tracking"}


def test_a_russian_reader_types_a_day_first_date_into_the_check() -> None:
    state = m.start(TODAY)
    for answer in ("1", "1", "да", "3 тыс.", "нет"):
        state = m.answer(state, answer, "ru")
        assert not isinstance(state, ParseError), answer
    state = m.answer(state, "05.02.2026", "ru")
    assert not isinstance(state, ParseError)
    assert state.facts.agreed_date == dt.date(2026, 2, 5)


@pytest.mark.parametrize("text", ["20 February", "20 de febrero", "20 de fevereiro", "20 февраля"])
def test_an_arrival_date_with_a_month_name_is_a_date_not_not_arrived(text: str) -> None:
    # "20 November" came close enough to the option's "no" to be read as "not arrived yet".
    arrival = question_for("delivery_date")
    assert arrival.parse(text, TODAY, "en") == dt.date(2026, 2, 20)


@pytest.mark.parametrize("text", ["yes, 20 February", "sim, 20 de fevereiro", "да, 20 февраля"])
def test_yes_before_the_arrival_day_is_the_day(text: str) -> None:
    # "Have the goods arrived? If so, on which day?" is often answered "yes, <day>".
    arrival = question_for("delivery_date")
    assert arrival.parse(text, TODAY, "en") == dt.date(2026, 2, 20)
