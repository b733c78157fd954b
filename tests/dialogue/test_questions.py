"""The question catalogue fits the facts model and the front ends' limits."""

from __future__ import annotations

from bot.claims.catalog import FACTS
from bot.claims.facts import Facts, Problem
from bot.dialogue.question import DONE, DONT_KNOW, Kind
from bot.dialogue.questions import FACT_NAMES, QUESTIONS, question_for

CALLBACK_LIMIT = 64
"""Telegram's callback data limit, in bytes."""


def test_every_fact_but_as_of_has_a_question() -> None:
    assert set(FACT_NAMES) == set(Facts.model_fields) - {"as_of"}
    assert set(QUESTIONS) == set(FACT_NAMES)


def test_option_values_fit_telegram_callback_data() -> None:
    for fact, question in QUESTIONS.items():
        for option in question.options:
            data = f"chk:{fact}:{option.value}"
            assert option.value.isascii() and option.value == option.value.strip()
            assert len(data.encode()) <= CALLBACK_LIMIT, data
            assert len(option.label) <= 32, option.label  # one phone button
        assert len(f"chk:{fact}:{DONT_KNOW}".encode()) <= CALLBACK_LIMIT
        assert len(f"chk:{fact}:{DONE}".encode()) <= CALLBACK_LIMIT


def test_choice_values_are_the_enum_values() -> None:
    assert [o.value for o in QUESTIONS["problem"].options] == [p.value for p in Problem]
    paid = {o.value for o in QUESTIONS["paid_via"].options}
    assert "unknown" not in paid  # "I don't know" is its own button


def test_questions_say_why_and_how_to_find_out() -> None:
    for question in QUESTIONS.values():
        assert question.text.endswith("?") or question.kind == Kind.MULTI_CHOICE
        assert question.why
        if question.allow_unknown:
            assert question.help, question.fact
        if question.kind in (Kind.CHOICE, Kind.YES_NO, Kind.MULTI_CHOICE):
            assert question.options
        else:
            assert question.example


def test_ship_by_date_and_arrival_are_separate_questions() -> None:
    assert "ship" in question_for("agreed_date").text and question_for("agreed_date").future_ok
    arrival = question_for("delivery_date")
    assert "arrive" in arrival.text and not arrival.future_ok
    assert [o.value for o in arrival.options] == ["not_arrived"]


def test_every_catalogued_fact_has_its_question_and_where_to_look() -> None:
    for spec in FACTS:
        assert spec.name in QUESTIONS and spec.where and spec.label
