"""Write failures while the bot runs, seen from outside a real `ta-advisor run` process.

The faults are made from outside, on the database the running bot uses (its SQLite file, or
with `TA_ADVISOR_TEST_BACKEND=postgresql` its PostgreSQL database): a trigger makes chosen
writes fail (SQLite: it calls a function SQLite does not have; PostgreSQL: it raises), as an
I/O error or a full disk would, while every other write goes on working. Then:

* a user whose update fails gets one apology, the log one error line for that update (not one
  per handler, not one per try), and the update is not handled again, not even after a
  restart (its inbox outcome is `failed`);
* when only the question log cannot be written, every question is still answered, the failure
  is logged once (not once per message, though other writes work in between) and `/healthz`
  says which write fails until it works again.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path
from typing import Any

import aiohttp

from bot.i18n import render
from bot.telegram import texts
from tests.emulator import Emulator, User
from tests.reliability import backend
from tests.reliability.test_rel_kills import Zygote, _started, bot_env, free_port, zygote

__all__ = ["zygote"]

FAULT = "SELECT ta_advisor_write_fault();"
"""A SQLite trigger body that fails at run time: SQLite has no such function."""
PG_FAULT = (
    "CREATE OR REPLACE FUNCTION ta_advisor_write_fault() RETURNS trigger LANGUAGE plpgsql "
    "AS $$ BEGIN RAISE EXCEPTION 'disk I/O error'; END $$"
)


async def _fault(where: str, table: str, *events: str) -> None:
    """Make `events` ("INSERT", "UPDATE") on `table` fail, from another connection."""
    async with backend.opened(where) as store:
        if store.kind != "sqlite":
            await backend.write(store, PG_FAULT)
        for event in events:
            name = f"fault_{table}_{event.lower()}"
            body = f"BEGIN {FAULT} END"
            if store.kind != "sqlite":
                body = "FOR EACH ROW EXECUTE FUNCTION ta_advisor_write_fault()"
            await backend.write(store, f"CREATE TRIGGER {name} BEFORE {event} ON {table} {body}")


FAULT_TRIGGERS = {
    "sqlite": "SELECT name, tbl_name FROM sqlite_master "
    "WHERE type = 'trigger' AND name LIKE 'fault_%'",
    "postgresql": "SELECT DISTINCT trigger_name, event_object_table "
    "FROM information_schema.triggers WHERE trigger_name LIKE 'fault_%'",
}


async def _repair(where: str) -> None:
    async with backend.opened(where) as store:
        for name, table in await backend.rows(store, FAULT_TRIGGERS[store.kind]):
            on = f" ON {table}" if store.kind != "sqlite" else ""
            await backend.write(store, f'DROP TRIGGER "{name}"{on}')


def _texts_to(emu: Emulator, user: User) -> list[str]:
    return [
        c.params["text"]
        for c in emu.requests
        if c.method == "sendMessage" and c.ok and c.params.get("chat_id") == user.id
    ]


async def next_reply(emu: Emulator, user: User, text: str) -> str:
    """Send `text`; the bot's next message to the user."""
    before = len(_texts_to(emu, user))
    emu.send_text(user, None, text)
    await emu.wait_until(lambda: len(_texts_to(emu, user)) > before, timeout=20)
    return _texts_to(emu, user)[before]


async def health_at(port: int) -> tuple[int, dict[str, object]]:
    url = f"http://127.0.0.1:{port}/healthz"
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        body: dict[str, object] = await resp.json()
        return resp.status, body


async def test_a_failing_update_runs_the_error_handler_once_and_is_not_handled_again(
    emulator: Emulator, zygote: Zygote, tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    env = bot_env(emulator, tmp_path / "data", backend_settings=backend_settings)
    database = backend.location(tmp_path / "data", backend_settings)
    log = tmp_path / "bot.log"
    users = [emulator.create_user(f"User{i}") for i in range(3)]
    pid = await _started(emulator, zygote, env, log)
    assert (await next_reply(emulator, users[0], "/help")).startswith("<b>What I can do</b>")

    # Seeing a user and starting a check both fail now: the gate's write (kept quiet: the
    # answer matters more) and the handler's (which cannot go on without it).
    await _fault(database, "users", "INSERT", "UPDATE")
    await _fault(database, "check_states", "INSERT", "UPDATE")
    failing: list[int] = []
    for _ in range(2):
        for user in users:
            failing.append(emulator.send_text(user, None, "/check"))
    await emulator.wait_until(
        lambda: (
            sum(_texts_to(emulator, u).count(render(texts.APOLOGY)) for u in users) >= len(failing)
        ),
        timeout=30,
    )
    await asyncio.sleep(1.5)  # time for a second report or a retry, if there were any
    for user in users:
        assert _texts_to(emulator, user).count(render(texts.APOLOGY)) == 2, user.first_name

    # Killed and restarted: the failed updates are done with, not handled again.
    os.kill(pid, signal.SIGKILL)
    assert await zygote.reap(pid) == -signal.SIGKILL
    pid = await _started(emulator, zygote, env, log)
    await _repair(database)
    first = await next_reply(emulator, users[1], "/check")
    assert first != render(texts.APOLOGY)  # the check starts once the writes work
    os.kill(pid, signal.SIGTERM)
    assert await zygote.reap(pid) == 0

    assert sum(_texts_to(emulator, u).count(render(texts.APOLOGY)) for u in users) == len(failing)
    output = log.read_text()
    for update_id in failing:  # the error handler: exactly once per failing update
        assert output.count(f"error while handling update {update_id} ") == 1, update_id
    assert output.count("database write failed") == 1, output
    async with backend.opened(database) as store:
        rows = await backend.rows(
            store,
            f"SELECT outcome, attempts FROM inbox WHERE update_id IN ({','.join('?' * 6)})",
            *failing,
        )
    assert rows == [("failed", 1)] * len(failing)


async def test_answers_go_on_and_a_failing_question_log_is_reported_once(
    emulator: Emulator, zygote: Zygote, tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    port = free_port()
    env = bot_env(emulator, tmp_path / "data", backend_settings=backend_settings)
    env["TA_ADVISOR_METRICS_PORT"] = str(port)
    database = backend.location(tmp_path / "data", backend_settings)
    log = tmp_path / "bot.log"
    users = [emulator.create_user(f"User{i}") for i in range(3)]
    pid = await _started(emulator, zygote, env, log)
    try:
        assert (await health_at(port))[0] == 200
        await _fault(database, "question_log", "INSERT")
        questions = ("What does Trade Assurance cover?", "How long do I have to open a dispute?")
        for question in questions:
            for user in users:
                answer = await next_reply(emulator, user, question)
                assert answer != render(texts.APOLOGY) and "<i>Sources:" in answer, answer
        status, body = await health_at(port)
        assert status == 503 and body["db_problem"] == "writes fail: INSERT question_log", body

        await _repair(database)
        await next_reply(emulator, users[0], questions[0])
        assert (await health_at(port))[0] == 200
    finally:
        os.kill(pid, signal.SIGTERM)
        assert await zygote.reap(pid) == 0

    output = log.read_text()
    assert output.count("database write failed") == 1, output
    assert "database write failed (INSERT question_log)" in output
    assert output.count("database writes work again") == 1, output
    assert "error while handling" not in output and render(texts.APOLOGY) not in output
    async with backend.opened(database) as store:  # only the question asked after the repair
        assert await backend.rows(store, "SELECT COUNT(*) FROM question_log") == [(1,)]
