"""A request to pay outside the order typed during a check: the warning, then the question.

Transcripts over the terminal session (the Telegram check has its own test over the emulator
in tests/telegram/test_tg_offplatform.py).
"""

from __future__ import annotations

import pytest

from bot.answering import OFF_PLATFORM_TOPIC
from bot.commands.ask import reply_json
from bot.dialogue import machine
from bot.terminal import TerminalSession
from tests.terminal_chat import TODAY, new_session, shared_advisor

WU_TO_RELATIVE = "supplier gives 5% off if I send the balance by Western Union to his brother"


@pytest.fixture
def session() -> TerminalSession:
    return new_session()


def say(session: TerminalSession, *lines: str) -> list[str]:
    out: list[str] = []
    for line in lines:
        out = session.handle(line)
    return out


def test_a_request_at_a_typed_question_is_warned_about_and_the_question_asked_again(
    session: TerminalSession,
) -> None:
    screen = say(session, "/check", "1", "1", "yes", "3000", "no")
    assert "date" in "\n".join(screen)  # a question answered by typing
    before = session.check
    out = say(session, WU_TO_RELATIVE)
    assert out[0].startswith("⚠️ Paying outside Alibaba voids protection")
    assert out[1:] == [f"Your check is still open. Here is the question again:\n{screen[-1]}"]
    assert session.check == before  # nothing recorded
    assert say(session, "1 March 2026") != screen  # and the check goes on


def test_a_request_on_the_review_screen_is_warned_about_too(session: TerminalSession) -> None:
    review = "\n".join(say(session, "/check", "1", "4"))
    assert "Please check your answers" in review
    before = session.check
    out = say(session, "the seller now wants the rest in USDT, sending it tonight")
    assert out[0].startswith("⚠️") and "Please check your answers" in "\n".join(out[1:])
    assert session.check == before


def test_ordinary_answers_and_advice_are_read_as_answers(session: TerminalSession) -> None:
    say(session, "/check", "1", "1", "yes", "3000", "no")
    out = say(session, "never pay by western union")  # advice: not a request, so a bad date
    assert not out[0].startswith("⚠️")


def test_the_payment_question_reads_an_off_platform_route_as_its_answer() -> None:
    state = machine.answer(machine.start(TODAY), "1")  # the problem first, then how you paid
    assert isinstance(state, machine.CheckState)
    advisor = shared_advisor()
    assert advisor.check_interruption(state, "I paid by Western Union") is None
    warning = advisor.check_interruption(state, "he wants me to pay his wife's alipay, ok?")
    assert warning is not None and warning.id == OFF_PLATFORM_TOPIC


def test_no_check_no_interruption() -> None:
    done = machine.cancel(machine.start(TODAY))
    assert shared_advisor().check_interruption(done, WU_TO_RELATIVE) is None


def test_ask_json_carries_off_platform_next_to_warning() -> None:
    advisor = shared_advisor()
    request = reply_json(
        advisor.reply("supplier wants the balance by Western Union, sending it now")
    )
    advice = reply_json(advisor.reply("never pay by Western Union, only through the order"))
    assert request["off_platform"] is True
    assert OFF_PLATFORM_TOPIC in (request["warning"], request["topic"])  # the warning is shown
    assert advice["off_platform"] is False
