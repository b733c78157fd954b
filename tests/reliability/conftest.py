"""Fixtures for the reliability suite: the Telegram harness, plus a guard that no update ended
in the error handler (an exception that escaped a handler is logged there at ERROR)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator import Emulator, User
from tests.telegram.conftest import advisor, bot, harness, log_stream

__all__ = ["advisor", "bot", "forge_press", "harness", "log_stream", "no_escaped_errors"]

Json = dict[str, Any]


@pytest.fixture
def no_escaped_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fails the test if anything was logged at ERROR (the error handler logs every exception
    that escapes a handler there; PTB logs its own failures there too)."""
    caplog.set_level(logging.ERROR)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [f"{r.name}: {r.getMessage()}" for r in errors]


def forge_press(
    emu: Emulator,
    user: User,
    data: str | None,
    *,
    message: Json | None = None,
    inline_message_id: str | None = None,
) -> str:
    """Inject a callback query as a modified client could send it; returns its query id.

    Unlike `Emulator.press_button`, the data need not be on the message (or there may be no
    data or no message at all). The query is registered as answerable, like a real one.
    """
    query_id = f"forged-{len(emu.updates)}"
    emu._open_callbacks.add(query_id)  # test-only: let the bot answer this query
    query: Json = {"id": query_id, "from": user.to_api(), "chat_instance": "42"}
    if message is not None:
        query["message"] = message
    if inline_message_id is not None:
        query["inline_message_id"] = inline_message_id
    if data is not None:
        query["data"] = data
    emu.inject("callback_query", query)
    return query_id


def answer_to(emu: Emulator, query_id: str) -> Json | None:
    """The bot's answerCallbackQuery for `query_id`, if it answered."""
    return next((a for a in emu.answered_callbacks if a.get("callback_query_id") == query_id), None)
