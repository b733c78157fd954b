"""Privacy end to end: /forget leaves nothing about the user in any table, and the logs of a
whole session never hold what users wrote (at INFO) nor the token (at any level).

tests/storage/test_db_privacy.py proves `forget_user` on rows written through the repository;
tests/telegram/test_tg_private.py checks /forget through the repository's own counter, and
tests/telegram/test_tg_logging.py one question and /check. Here the user does everything the
bot can store (questions answered and not, feedback, a finished check, a reminder, a new check
in progress, a cancelled one, group questions, settings), then the database is read with a
separate connection: every table (the engine's own bookkeeping tables in the schema included),
every column; on SQLite the file, on PostgreSQL (`TA_ADVISOR_TEST_BACKEND=postgresql`) the
test's database.
"""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest

from bot.i18n import render
from bot.logs import REDACTED, configure_logging
from bot.storage.factory import database_location
from bot.telegram import texts
from bot.telegram.context import BotContext
from bot.telegram.maintenance import maintenance_job
from tests.emulator import Chat, User
from tests.reliability import backend
from tests.telegram.harness import COOKING, Harness, button, labels

Json = dict[str, Any]
BOT = "@ta_advisor_test_bot"
MARK = "zqxwvmark"
"""A word only the users type: it must be in no log line at INFO."""


ALL_TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
}


async def _dump(where: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the engine's own included), read with a separate connection."""
    async with backend.opened(where) as store:
        tables = [row[0] for row in await backend.rows(store, ALL_TABLES[store.kind])]
        return {t: await backend.rows(store, f'SELECT * FROM "{t}"') for t in tables}


def _mentions(rows: dict[str, list[tuple[Any, ...]]], user: User, words: list[str]) -> list[str]:
    """Cells that hold the user's id (as a number or inside a text) or one of their words."""
    found = []
    for table, table_rows in rows.items():
        for row in table_rows:
            for cell in row:
                text = str(cell)
                if cell == user.id or str(user.id) in text or any(w in text for w in words):
                    found.append(f"{table}: {row}")
    return found


async def _everything(bot: Harness, user: User, group: Chat, tag: str) -> None:
    """The user leaves a trace in every kind of row the bot keeps."""
    question = bot.advisor.kb.topics["claim-window"].questions[0]
    answer = (await bot.say(user, question)).result
    await bot.press(user, answer, button(answer, "Helpful"))
    await bot.say(user, f"how do I cook {tag} rice")  # unanswered: its text is kept
    # A finished check with a reminder.
    msg = (await bot.say(user, "/check")).result
    for label in ("Shipped late", "Through the Alibaba order", "Yes"):
        msg = await bot.press_and_edit(user, msg, button(msg, label))
    await bot.say(user, f"{tag} three grand")  # a typed answer we cannot read
    for typed in ("$3,000", "no", "2026-02-20", "2026-03-01", "?", "50000"):
        msg = (await bot.say(user, typed)).result
    review = await bot.press_and_edit(user, msg, button(msg, "Done"))
    verdict = await bot.press_and_edit(user, review, button(review, "See the result"))
    await bot.press(user, verdict, button(verdict, "Remind me"))
    await bot.sent(user.id)
    # A cancelled check, then one left open.
    msg = (await bot.say(user, "/check")).result
    assert (await bot.say(user, "/cancel")).result["text"] == render(texts.CHECK_CANCELLED)
    msg = (await bot.say(user, "/check")).result
    await bot.press_and_edit(user, msg, button(msg, "Shipped late"))
    # In a group: an addressed question answered, one not, and a mention.
    await bot.say(user, "/ask what does trade assurance cover", group)
    bot.emu.send_text(user, group, f"/ask {tag} how do I cook rice")
    await bot.say(
        user, f"{BOT} is it safe to pay my supplier by paypal outside the order? {tag}", group
    )
    bot.emu.inline_query(user, f"western union {tag}")
    await bot.emu.wait_for_request("answerInlineQuery")


async def test_forget_leaves_no_row_about_the_user_anywhere(bot: Harness) -> None:
    alice, bob = bot.emu.create_user("Alice"), bot.emu.create_user("Bob")
    group = bot.emu.create_group("Importers")
    bot.emu.set_admins(group, alice)
    await _everything(bot, alice, group, "alicemark")
    await _everything(bot, bob, group, "bobmark")
    panel = (await bot.say(alice, "/settings", group)).result
    await bot.press_and_edit(alice, panel, button(panel, "Turn warnings off"))

    where = database_location(bot.settings)
    before = await _dump(where)
    # The inbox names a user only while their update waits (cleared once it is handled), so
    # whether it still does here is a race; after /forget it is checked like every table.
    user_tables = set(await bot.database.user_tables()) - {"inbox"}
    for table in user_tables:
        # Alice reached every table that can hold user data (else this would prove little).
        assert _mentions({table: before[table]}, alice, []), table
    assert _mentions(before, alice, ["alicemark"])

    ask = (await bot.say(alice, "/forget")).result
    assert labels(ask)[0] == "🗑 Yes, delete everything"
    await bot.press_and_edit(alice, ask, button(ask, "Yes"))
    after = await _dump(where)

    assert _mentions(after, alice, ["alicemark"]) == []
    # Bob's rows are all still there, and the group's settings (which are about the chat).
    assert _mentions(after, bob, ["bobmark"]) == _mentions(before, bob, ["bobmark"])
    assert after["group_settings"] == before["group_settings"]
    assert set(after) == set(before)  # no table dropped on the way
    assert await backend.sound(bot.database)

    # Alice can start over as a new user.
    assert (await bot.say(alice, "/cases")).result["text"] == render(texts.CASES_NONE)


# --------------------------------------------------------------------------- logs


async def _session(harness: Harness) -> None:
    """A whole session: private questions and a check with typed answers, group questions
    and the off-platform warning, inline mode, a forged button, /forget."""
    alice, bob = harness.emu.create_user("Alice"), harness.emu.create_user("Bob")
    group = harness.emu.create_group("Importers")
    async with harness.running() as app:
        await _everything(harness, alice, group, MARK)
        harness.emu.send_text(bob, group, f"pay me by western union {MARK}")
        warning = await harness.sent(group.id, lambda c: c.result["text"].startswith("⚠️"))
        assert MARK not in warning.result["text"]
        await harness.say(bob, f"{MARK} " * 50)
        await harness.say(bob, f"/frobnicate {MARK}")
        ask = (await harness.say(bob, "/forget")).result
        await harness.press_and_edit(bob, ask, button(ask, "Yes"))
        del app


async def test_a_whole_session_logs_no_user_text_at_info(
    harness: Harness, log_stream: io.StringIO
) -> None:
    configure_logging(level="INFO", secrets=[harness.emu.token], stream=log_stream)
    await _session(harness)
    text = log_stream.getvalue()
    assert "question: decision=" in text and "check: stage=" in text  # it did log
    assert MARK not in text
    assert "western union" not in text.lower() and "rice" not in text


@pytest.mark.parametrize("log_format", ["text", "json"])
async def test_a_whole_session_logs_no_token_at_debug(
    harness: Harness, log_stream: io.StringIO, log_format: str
) -> None:
    token = harness.emu.token
    configure_logging(
        level="DEBUG", secrets=[token], stream=log_stream, json_lines=log_format == "json"
    )
    logging.getLogger("httpx").setLevel(logging.DEBUG)  # the worst case: URLs carry the token
    await _session(harness)
    text = log_stream.getvalue()
    assert REDACTED in text  # the token was about to be logged, and was scrubbed
    assert token not in text and token.split(":")[1] not in text
    assert MARK not in text  # nor what users wrote, even at DEBUG (TA_ADVISOR_LOG_USER_TEXT)


async def test_the_housekeeping_job_drops_kept_questions_after_the_retention(bot: Harness) -> None:
    """TA_ADVISOR_QUESTION_RETENTION_DAYS (90 by default), applied by the bot's own job."""
    alice = bot.emu.create_user("Alice")
    await bot.say(alice, COOKING)  # nothing matched: its text is kept for the curators
    assert await bot.database.top_unanswered() == [(COOKING, 1)]
    assert bot.app is not None
    context = BotContext(bot.app)
    bot.clock.advance(days=89)
    await maintenance_job(context)
    assert await bot.database.top_unanswered() == [(COOKING, 1)]
    bot.clock.advance(days=2)
    await maintenance_job(context)
    assert await bot.database.top_unanswered() == []
    assert (await bot.database.stats()).questions == 1  # still counted for /stats
