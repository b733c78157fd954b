"""The terminal chat: the pure session step by step, then the real command over a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.terminal import TerminalSession
from tests.terminal_chat import new_session


@pytest.fixture
def session() -> TerminalSession:
    return new_session()


def say(session: TerminalSession, *lines: str) -> str:
    """Feed lines; return what the last one printed."""
    out: list[str] = []
    for line in lines:
        out = session.handle(line)
    return "\n\n".join(out)


def test_help_lists_the_commands(session: TerminalSession) -> None:
    text = say(session, "/help")
    for command in ("/topics", "/check", "/back", "/cancel", "/quit"):
        assert command in text


def test_topics_menu_then_a_number_opens_one(session: TerminalSession) -> None:
    menu = say(session, "/topics")
    assert "  1. " in menu and "Type a number" in menu
    first_title = menu.splitlines()[1].split(". ", 1)[1].removeprefix("⚠️ ")
    assert first_title in say(session, "1")
    assert "Sources:" in say(session, "/topics", "2")
    assert "from 1 to" in say(session, "/topics", "999")


def test_off_platform_text_gets_the_warning_first(session: TerminalSession) -> None:
    out = session.handle("the supplier wants me to pay by western union to his account")
    assert out[0].startswith("⚠️")


def test_unknown_text_gets_an_honest_reply(session: TerminalSession) -> None:
    text = say(session, "how do I cook rice with beans")
    assert "/topics" in text and "/check" in text


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("", "Type a question"),
        ("   ", "Type a question"),
        ("😀😀😀", "not emoji"),
        ("x" * 5000, "too long"),
        ("/frobnicate", "don't know the command"),
        ("/back", "nothing to go back to"),
        ("/cancel", "no check to cancel"),
    ],
)
def test_awkward_input_gets_a_friendly_message(
    session: TerminalSession, line: str, fragment: str
) -> None:
    assert fragment in say(session, line)


def test_awkward_input_mid_check_keeps_the_check(session: TerminalSession) -> None:
    say(session, "/check", "quality", "1")
    before = session.check
    for line in ("", "🙂", "y" * 5000):
        out = say(session, line)
        assert "Did you place this order" in out  # the open question is shown again
        assert session.check == before


def test_a_full_check_with_review_edit_and_verdict(session: TerminalSession) -> None:
    assert "Step 1 of about 5" in say(session, "/check")  # the problem comes first
    say(session, "3", "1", "yes")  # quality; through the order; a Trade Assurance order
    assert "in US dollars" in say(session, "€3000")
    say(session, "$12,500", "no")
    assert "Is that 1 May or 5 January" in say(session, "1/5/2026")
    out = say(session, "3 days ago", "1")
    assert "order page show a last day" in out
    out = say(session, "?")
    assert "How to find out" in out and "My Alibaba > Orders" in out
    out = say(session, "?")
    assert "How to find out" in out and "profile page" in out
    review = say(session, "1 3 4")
    assert "Please check your answers" in review
    assert "Amount paid: US$12,500" in review
    assert "Change your answer" in say(session, "5")
    assert "Amount paid: US$9,000" in say(session, "9000")
    verdict = say(session, "ok")
    assert "You can claim" in verdict and "Alibaba decides" in verdict
    assert "Protected: unknown" in verdict  # the coverage amount was not known
    assert "Please check your answers" in say(session, "/back")
    assert "cancelled" in say(session, "/cancel")


def test_part_paid_outside_and_a_late_shipment_not_yet_arrived(session: TerminalSession) -> None:
    say(session, "/check", "late")
    assert "Part on Alibaba, part outside" in say(session, "")
    assert "send outside the Alibaba order" in say(session, "2")
    say(session, "7000", "yes", "3000", "no")
    assert "By what date did the order contract say the supplier must ship?" in say(session, "")
    assert "Have the goods arrived?" in say(session, "2026-05-01")
    assert "Not arrived yet" in say(session, "")
    say(session, "1", "?", "20000", "1 4")
    verdict = say(session, "ok")
    assert "paid outside the order" in verdict and "US$7,000" in verdict


def test_something_else_ends_the_check_at_once(session: TerminalSession) -> None:
    out = say(session, "/check", "13")
    assert "Trade Assurance covers" in out and "Please check your answers" not in out


def test_not_shipped_yet_is_too_early(session: TerminalSession) -> None:
    say(session, "/check", "late", "1", "yes", "3000", "no", "in 5 days")
    out = say(session, "not yet")
    assert "No more questions needed" in out and "Nothing is late yet" in out
    assert "Too early to claim" in say(session, "ok")


def test_off_platform_answer_ends_the_check(session: TerminalSession) -> None:
    review = say(session, "/check", "late", "4")
    assert "No more questions needed" in review and "Please check your answers" in review
    assert "Not eligible" in say(session, "ok")


def test_dont_know_needs_the_option(session: TerminalSession) -> None:
    assert "choose one of the answers" in say(session, "/check", "0")
    assert "Step 2" in say(session, "3")


def test_back_in_a_check(session: TerminalSession) -> None:
    assert "This is the first question" in say(session, "/check", "/back")
    assert "Step 1" in say(session, "late", "/back")


def test_topics_pause_the_check_and_check_resumes_it(session: TerminalSession) -> None:
    say(session, "/check", "late")
    assert "paused" in say(session, "/topics")
    assert "Sources:" in say(session, "3")  # the number opens a topic, not a check answer
    assert "How did you pay" in say(session, "/check")


def test_quit(session: TerminalSession) -> None:
    assert "Bye" in say(session, "/quit")
    assert session.finished


# --------------------------------------------------------------------------- the real command


def _command() -> list[str]:
    script = Path(sys.executable).parent / "ta-advisor"
    return [str(script), "chat"] if script.exists() else [sys.executable, "-m", "bot", "chat"]


SCRIPT = [
    "can I pay the supplier by western union?",
    "/topics",
    "1",
    "/check",
    "late",  # shipped late
    "1",  # paid through the Alibaba order
    "yes",  # a Trade Assurance order
    "$8,000",
    "no",  # receipt not confirmed
    "5 days ago",  # the ship-by date
    "not yet",  # not arrived
    "?",  # the order page's last day: not known
    "20000",
    "1 4 5",
    "ok",
    "/back",
    "/cancel",
    "/quit",
    "this line is never read",
]


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONIOENCODING": "utf-8", "TA_ADVISOR_DATA_DIR": str(tmp_path)}


def test_chat_command_over_a_pipe(tmp_path: Path) -> None:
    env = _env(tmp_path)
    done = subprocess.run(
        _command(),
        input="\n".join(SCRIPT) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Hello!")
    assert "⚠️" in out  # the off-platform warning
    assert "Topics I can explain:" in out
    assert "Step 1 of about 5" in out
    assert "By what date did the order contract say the supplier must ship?" in out
    assert "Please check your answers" in out
    assert "You can claim" in out and "Alibaba decides" in out
    assert out.count("Please check your answers") == 2  # again after /back
    assert "Check cancelled" in out
    assert out.rstrip().endswith("Bye! Good luck with your order.")
    assert "never read" not in out


def _chat(tmp_path: Path, lines: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_command(), *extra],
        input=lines,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=_env(tmp_path),
        check=False,
    )


def test_chat_command_ends_cleanly_at_end_of_input(tmp_path: Path) -> None:
    done = _chat(tmp_path, "/check\n1\n")
    assert done.returncode == 0, done.stderr
    assert "Step 2" in done.stdout
    assert "Traceback" not in done.stderr


def test_an_open_check_survives_closing_the_terminal(tmp_path: Path) -> None:
    first = _chat(tmp_path, "/check\nlate\n1\n")
    assert "Step 4" in first.stdout  # paid through the order: nothing outside, not asked
    second = _chat(tmp_path, "/check\n")
    assert "unfinished check from last time" in second.stdout
    assert "Back to your check." in second.stdout and "Step 4" in second.stdout
    assert (tmp_path / "ta-advisor.sqlite3").exists()
    finished = _chat(tmp_path, "/check\n/cancel\n")
    assert "Check cancelled" in finished.stdout
    assert "unfinished" not in _chat(tmp_path, "/quit\n").stdout
    _chat(tmp_path, "/check\n1\n")  # saved again
    assert "unfinished" not in _chat(tmp_path, "/quit\n", "--no-save").stdout
    assert "unfinished" in _chat(tmp_path, "/quit\n").stdout


def test_shortage_with_counts_and_the_order_pages_date(session: TerminalSession) -> None:
    say(session, "/check", "wrong quantity", "1", "yes", "5000", "no", "3 days ago")
    assert "how many units did you order" in say(session, "")
    assert "How many units did you receive?" in say(session, "1000")
    out = say(session, "800", "2026-06-01")  # the last day shown on the order page
    assert "coverage amount" in out
    verdict = say(session, "10000", "1 3 4", "ok")
    assert "Claim for the missing units: about US$1,000" in verdict
    assert "1 June 2026" in verdict and "your order page" in verdict
