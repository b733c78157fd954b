"""The questions of the check, by fact, and how answers read on the review screen.

Each question is declared once, with its fact, in `bot.claims.catalog`; this module only looks
them up and words stored answers. Option values are short ASCII strings so a front end can put
them in Telegram callback data (64 bytes at most).
"""

from __future__ import annotations

import datetime as dt

from bot.claims.catalog import FACT_NAMES, FACTS, FactName
from bot.claims.facts import Facts, PaidVia, Problem
from bot.dialogue.question import DONE, DONT_KNOW, NONE_OF_THESE, Kind, Question
from bot.i18n import (
    DEFAULT_LANG,
    Money,
    _,
    format_day,
    format_money,
    format_number,
    gettext_for,
    render,
)

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
]

QUESTIONS: dict[FactName, Question] = {spec.name: spec.question for spec in FACTS}
"""The wording and parser of each catalogued fact, by name."""


def question_for(fact: FactName, problem: Problem | None = None) -> Question:
    """The question for a fact."""
    return QUESTIONS[fact]


def display_answer(fact: FactName, facts: Facts, lang: str = DEFAULT_LANG) -> str:
    """The stored answer in words for the review screen; "I don't know" for an unknown."""
    question = QUESTIONS[fact]
    if not facts.given(fact):
        return render(_("I don't know"), lang)
    value = getattr(facts, fact)
    if fact == "paid_via" and value is PaidVia.ALIBABA_ORDER and (facts.amount_paid_outside or 0):
        return render(_("Part through Alibaba, part outside"), lang)
    if fact == "delivery_date" and value is None:
        return render(_("Not arrived yet"), lang)
    if value is None or (fact == "paid_via" and value == "unknown"):
        return render(_("I don't know"), lang)
    if isinstance(value, bool):
        return render(_("Yes") if value else _("No"), lang)
    if isinstance(value, dt.date):
        return format_day(value, lang)
    if fact in ("units_ordered", "units_received"):
        return format_number(int(value), lang)
    if isinstance(value, float | int):
        return format_money(Money(float(value)), lang)
    if isinstance(value, frozenset):
        labels = [gettext_for(o.label, lang) for o in question.options if o.value in value]
        return ", ".join(labels) if labels else render(_("None of these"), lang)
    for option in question.options:
        if option.value == value:
            return gettext_for(option.label, lang)
    return str(value)
