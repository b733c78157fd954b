"""The same conversations through the core, the terminal, `ask` and Telegram (on the emulator).

If a front end drifts from the others (a side question read as a bad answer, "hello" answered
with "I don't know"), the transcript fails on that front end only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from bot.answering import Advisor
from tests.conversation.transcripts import (
    AskRunner,
    Choose,
    CoreRunner,
    Runner,
    Say,
    Step,
    TelegramRunner,
    TerminalRunner,
    play,
)
from tests.telegram.harness import SIDE_QUESTION, START, Harness

TODAY = START.date()
PAYMENT_QUESTION = "How did you pay for this order?"
SHIP_BY_QUESTION = "By what date did the order contract say the supplier must ship?"
STILL_OPEN = "Your check is still open. Here is the question again:"

SMALL_TALK: Sequence[Step] = (
    Say("hello", expect=("Happy to help! Ask me anything about Trade Assurance",)),
    Say("thanks!", expect=("Happy to help!",), absent=("Sorry",)),
)

A_QUESTION: Sequence[Step] = (
    Say(SIDE_QUESTION, expect=("Deadlines for opening a dispute", "Terrace International")),
)

SIDE_QUESTION_MID_CHECK: Sequence[Step] = (
    Say("/check", expect=("Let's check if Trade Assurance", "What went wrong with the order?")),
    Choose("Shipped late", expect=(PAYMENT_QUESTION,)),
    Say(SIDE_QUESTION, expect=("Deadlines for opening a dispute", STILL_OPEN, PAYMENT_QUESTION)),
    Choose("Through the Alibaba order", expect=("as a Trade Assurance order",)),
)

WARNING_AND_BAD_INPUT_MID_CHECK: Sequence[Step] = (
    Say("/check", expect=("What went wrong with the order?",)),
    Choose("Shipped late", expect=(PAYMENT_QUESTION,)),
    Choose("Through the Alibaba order", expect=("as a Trade Assurance order",)),
    Choose("Yes", expect=("How much did you pay through this order, in US dollars?",)),
    Say("$3,000", expect=('Have you already tapped "Confirm receipt"',)),
    Choose("No", expect=(SHIP_BY_QUESTION,)),
    Say(
        "the supplier says pay the rest by western union to his cousin, 5% off",
        expect=("Paying outside Alibaba voids protection", STILL_OPEN, SHIP_BY_QUESTION),
    ),
    Say("😀🎉", expect=("not emoji or symbols", SHIP_BY_QUESTION)),
    Say("31 Febtember", expect=("I couldn't read that date", SHIP_BY_QUESTION)),
    Say("2026-03-01", expect=("Have the goods arrived?",)),
    Say("/cancel", expect=("Check cancelled. Your answers were not kept.",)),
    Say("/cancel", expect=("There is no check to cancel.",)),
)

REVIEW_AND_VERDICT: Sequence[Step] = (
    Say("/check", expect=("What went wrong with the order?",)),
    Choose("Shipped late", expect=(PAYMENT_QUESTION,)),
    Choose("Western Union", expect=("No more questions needed", "Please check your answers")),
    Say("what now?", expect=("Please use the options below.", "Please check your answers")),
    Say("ok", expect=("Not eligible",)),
)

CONVERSATIONS = {
    "small talk": SMALL_TALK,
    "a question": A_QUESTION,
    "side question mid-check": SIDE_QUESTION_MID_CHECK,
    "warning and bad input mid-check": WARNING_AND_BAD_INPUT_MID_CHECK,
    "review and verdict": REVIEW_AND_VERDICT,
}
STATELESS = ("small talk", "a question")
"""Conversations `ask` can have: questions only, one at a time."""


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
async def test_core(name: str, advisor: Advisor) -> None:
    await play(CoreRunner(advisor, TODAY), CONVERSATIONS[name])


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
async def test_terminal(name: str, advisor: Advisor) -> None:
    await play(TerminalRunner(advisor, TODAY), CONVERSATIONS[name])


@pytest.mark.parametrize("name", STATELESS)
async def test_ask(name: str, advisor: Advisor) -> None:
    await play(AskRunner(advisor), CONVERSATIONS[name])


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
async def test_telegram(name: str, bot: Harness) -> None:
    runner: Runner = TelegramRunner(bot, bot.emu.create_user())
    await play(runner, CONVERSATIONS[name])


def test_the_transcripts_start_on_the_bots_day() -> None:
    assert dt.date(2026, 3, 10) == TODAY
