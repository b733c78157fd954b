"""The questions of the check, by fact, and how answers read on the review screen.

Each question is declared once, with its fact, in `bot.claims.catalog`; this module only looks
them up and words stored answers. Option values are short ASCII strings so a front end can put
them in Telegram callback data (64 bytes at most).
"""

from __future__ import annotations

import datetime as dt

from bot.claims.catalog import FACT_NAMES, FACTS, FactName
from bot.claims.facts import Facts, PaidVia, Problem
from bot.dialogue.parsers import format_date, format_usd
from bot.dialogue.question import DONE, DONT_KNOW, NONE_OF_THESE, Kind, Question

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


def display_answer(fact: FactName, facts: Facts) -> str:
    """The stored answer in words for the review screen; "I don't know" for an unknown."""
    question = QUESTIONS[fact]
    if not facts.given(fact):
        return "I don't know"
    value = getattr(facts, fact)
    if fact == "paid_via" and value is PaidVia.ALIBABA_ORDER and (facts.amount_paid_outside or 0):
        return "Part through Alibaba, part outside"
    if fact == "delivery_date" and value is None:
        return "Not arrived yet"
    if value is None or (fact == "paid_via" and value == "unknown"):
        return "I don't know"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return format_date(value)
    if fact in ("units_ordered", "units_received"):
        return f"{value:,}"
    if isinstance(value, float | int):
        return format_usd(float(value))
    if isinstance(value, frozenset):
        labels = [o.label for o in question.options if o.value in value]
        return ", ".join(labels) if labels else "None of these"
    for option in question.options:
        if option.value == value:
            return option.label
    return str(value)
