"""The inbox in the running bot: unreadable updates skipped, a failing question log harmless."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from bot.telegram.inbox import MAX_ATTEMPTS
from tests.reliability import backend
from tests.telegram.harness import Harness


async def test_an_update_the_library_cannot_read_is_skipped_and_polling_goes_on(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    alice = bot.emu.create_user("Alice")
    bad = bot.emu.inject("message", {"message_id": 1, "text": "secret words", "chat": 5})
    call = await bot.say(alice, "What does Trade Assurance cover?")
    assert call.ok  # the next update was answered: polling did not stop at the bad one
    inbox = bot.services.inbox
    assert inbox is not None and inbox.skipped == 1
    assert bot.emu.pending_updates == 0  # confirmed, never fetched again
    lines = [r.getMessage() for r in caplog.records]
    assert any(f"skipping unreadable update {bad}" in line for line in lines)
    assert not any("secret words" in line for line in lines)
    assert not [r for r in caplog.records if r.levelno >= logging.CRITICAL]


async def test_answers_go_on_when_the_question_log_cannot_be_written(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await backend.fail_inserts(bot.database, "question_log", "disk I/O error")
    alice = bot.emu.create_user("Alice")
    for _ in range(2):
        call = await bot.say(alice, "What does Trade Assurance cover?")
        assert call.ok and "What is covered" in call.params["text"]
    assert not any("APOLOGY" in r.getMessage() for r in caplog.records)
    assert sum(1 for c in bot.emu.requests if c.method == "sendMessage") == 2  # no apology


async def test_an_update_cut_too_often_is_given_up_not_looped_on(bot: Harness) -> None:
    alice = bot.emu.create_user("Alice")
    payload = json.dumps(
        {
            "update_id": 777,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": "/help",
                "chat": {"id": alice.id, "type": "private"},
            },
        }
    )
    await backend.write(
        bot.database,
        "INSERT INTO inbox (update_id, chat_key, user_id, payload, received_at, attempts) "
        "VALUES (777, ?, ?, ?, 0, ?)",
        alice.id,
        alice.id,
        payload,
        MAX_ATTEMPTS,
    )
    inbox = bot.services.inbox
    assert inbox is not None
    inbox._wake.set()
    for _ in range(50):
        rows = await backend.rows(bot.database, "SELECT outcome FROM inbox WHERE update_id = 777")
        if rows[0][0] is not None:
            break
        await asyncio.sleep(0.05)
    assert rows[0][0] == "given up"
    assert not [c for c in bot.emu.requests if c.method == "sendMessage"]
