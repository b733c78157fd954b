"""The questions of the check, by fact, and how answers read on the review screen.

Each question is declared once, with its fact, in `bot.claims.catalog`; this module only looks
them up and words stored answers. Option values are short ASCII strings so a front end can put
them in Telegram callback data (64 bytes at most).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from bot.claims.catalog import FACT_NAMES, FACTS, FactName
from bot.claims.facts import Facts, PaidVia, Problem
from bot.dialogue.parsers import Option
from bot.dialogue.question import DONE, DONT_KNOW, NONE_OF_THESE, Kind, Question
from bot.i18n import DEFAULT_LANG, Money, Text, _, deferred, join, render
from bot.i18n.text import Param
from bot.yamltext import parse

__all__ = [  # the button values and kinds stay importable from here for existing callers
    "DONE",
    "DONT_KNOW",
    "FACT_NAMES",
    "NONE_OF_THESE",
    "QUESTIONS",
    "Kind",
    "Question",
    "display_answer",
    "question_for",
    "review_answer",
]

OPTION_WORDS = Path(__file__).with_name("option_words.yaml")
"""What importers type for each option in the other offered languages (data, by fact)."""


def _local_words() -> dict[str, dict[str, dict[str, list[str]]]]:
    data = parse(OPTION_WORDS.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def with_local_words(question: Question, words: dict[str, dict[str, list[str]]]) -> Question:
    """The question with each option's words in the other offered languages, so typed answers
    in those languages pick the option a button would."""
    if not words:
        return question
    options = tuple(
        Option(
            o.value,
            o.label,
            o.keywords,
            tuple(dict.fromkeys(w for ws in words.get(o.value, {}).values() for w in ws or ())),
        )
        for o in question.options
    )
    return replace(question, options=options)


_WORDS = _local_words()
QUESTIONS: dict[FactName, Question] = {
    spec.name: with_local_words(spec.question, _WORDS.get(spec.name, {})) for spec in FACTS
}
"""The wording and parser of each catalogued fact, by name."""


def question_for(fact: FactName, problem: Problem | None = None) -> Question:
    """The question for a fact."""
    return QUESTIONS[fact]


def review_answer(fact: FactName, facts: Facts) -> Text:
    """The stored answer for the review screen, as a figure or a label rendered for the
    reader ("I don't know" for an unknown): dates and amounts in the reader's format."""
    question = QUESTIONS[fact]
    if not facts.given(fact):
        return _("I don't know")
    value = getattr(facts, fact)
    if fact == "paid_via" and value is PaidVia.ALIBABA_ORDER and (facts.amount_paid_outside or 0):
        return _("Part through Alibaba, part outside")
    if fact == "delivery_date" and value is None:
        return _("Not arrived yet")
    if value is None or (fact == "paid_via" and value == "unknown"):
        return _("I don't know")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date):
        return _figure(value)
    if fact in ("units_ordered", "units_received"):
        return _figure(int(value))
    if isinstance(value, float | int):
        return _figure(Money(float(value)))
    if isinstance(value, frozenset):
        labels = [deferred(o.label) for o in question.options if o.value in value]
        return join(*labels, sep=", ") if labels else _("None of these")
    for option in question.options:
        if option.value == value:
            return deferred(option.label)
    return _figure(str(value))


def _figure(value: Param) -> Text:
    """A value shown on its own, formatted for the reader when rendered."""
    return Text("{value}", (("value", value),), verbatim=True)


def display_answer(fact: FactName, facts: Facts, lang: str = DEFAULT_LANG) -> str:
    """The stored answer in words, in `lang`."""
    return render(review_answer(fact, facts), lang)
