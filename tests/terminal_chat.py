"""One advisor and a fresh terminal session for the transcript tests of the terminal chat."""

from __future__ import annotations

import datetime as dt
from functools import cache

from bot.answering import Advisor
from bot.kb import load_knowledge
from bot.terminal import TerminalSession

TODAY = dt.date(2026, 5, 10)


@cache
def shared_advisor() -> Advisor:
    """The packaged knowledge base with its matcher, built once for every test that reads it."""
    return Advisor(load_knowledge())


def new_session() -> TerminalSession:
    """A terminal chat with no check open, on `TODAY`."""
    return TerminalSession(shared_advisor(), today=lambda: TODAY)
