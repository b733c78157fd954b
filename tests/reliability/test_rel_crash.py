"""Crash safety: the bot dies at any point (mid-check, mid-write) and the user just continues.

Two complementary tests:

* `test_a_crash_at_any_write_of_the_final_answer_...` (in process, deterministic): the process
  "dies" just before each database write in turn while the check's result is being stored, the
  bot restarts on the same file and the press is delivered again (as Telegram does for an update
  whose offset was never confirmed). Whatever the point, exactly one result is stored.
* `test_sigkill_loop_...` (the real `ta-advisor run` process): SIGKILLed five times and
  restarted each time: between two taps of one user; then, for another, after a full reply,
  twice the moment an update was handed to the bot (mid-handling: reading, writing or replying)
  and once after the writes of "See the result" but before its screen. Both checks go on to
  their verdict, a reminder stored before the kills is delivered by the restarted bot's job, the
  file passes `PRAGMA integrity_check` and no result is stored twice.

tests/telegram/test_tg_run.py has the single kill between two taps; tests/storage/test_db_crash
kills a writer process in a tight loop of commits.

With `TA_ADVISOR_TEST_BACKEND=postgresql` the SIGKILL loop runs on PostgreSQL (outcomes read
through the storage); the in-process test injects its crash into the SQLite driver's connection
and stays SQLite-only (on PostgreSQL the same writes are cut by the real SIGKILLs here and in
test_rel_kills).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from bot.dialogue.machine import CheckState
from bot.storage import Database
from tests.emulator import Emulator, User
from tests.reliability import backend
from tests.reliability.conftest import answer_to, forge_press
from tests.telegram.harness import Harness, button

Json = dict[str, Any]
ROOT = Path(__file__).resolve().parents[2]
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "COMMIT")


class Crash(Exception):
    """The process dying at a write (the handler stops there; the error handler logs it)."""


def _arm(db: Database, at_write: int) -> list[str]:
    """Make the `at_write`-th write statement on `db` "crash" instead of running; returns the
    list of write statements seen (for the test to know how many there were)."""
    conn = db._conn
    original = conn.execute
    seen: list[str] = []

    def execute(sql: str, parameters: Any = None) -> Any:
        # The inbox's own writes (receiving, claiming) are the machinery that survives a
        # crash; test_rel_kills kills the real process there.
        if sql.lstrip().upper().startswith(WRITES) and "inbox" not in sql:
            seen.append(sql.split()[0].upper())
            if len(seen) == at_write:
                raise Crash(f"killed before write {at_write}: {sql.split()[0]}")
        return original(sql, parameters)

    conn.execute = execute  # type: ignore[method-assign]
    return seen


async def _to_review(h: Harness, user: User) -> Json:
    """A finished set of answers (Western Union: decided at once) on the review screen."""
    msg = (await h.say(user, "/check")).result
    h.emu.press_button(user, msg, button(msg, "Never arrived"))  # #16: the problem comes first
    edit = await h.emu.wait_for_request(
        "editMessageText", lambda c: c.params.get("chat_id") == user.id
    )
    msg = edit.result
    h.emu.press_button(user, msg, button(msg, "Western Union"))
    edit = await h.emu.wait_for_request(
        "editMessageText", lambda c: c.params.get("chat_id") == user.id
    )
    review: Json = edit.result
    return review


async def _rows(db: Database, user_id: int) -> tuple[int, int, str | None]:
    """(assessments, finished events, stage) of the user."""
    events = await db._rows(
        "SELECT COUNT(*) FROM check_events WHERE user_id = ? AND event = 'finished'", (user_id,)
    )
    state = await db.load_check(user_id)
    stage = CheckState.from_json(state).stage if state else None
    return len(await db.list_assessments(user_id)), int(events[0][0]), stage


@backend.sqlite_only("the crash is injected into aiosqlite's connection (`_arm`)")
async def test_a_crash_at_any_write_of_the_final_answer_stores_exactly_one_result(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("CRITICAL")  # the simulated crashes are logged by PTB; expected here
    at_write = 1
    while True:
        user = harness.emu.create_user(f"User{at_write}")
        chat_id = user.id
        async with harness.running():
            review = await _to_review(harness, user)
            confirm = button(review, "See the result")
            seen = _arm(harness.database, at_write)
            query_id = forge_press(harness.emu, user, confirm, message=review)
            await harness.emu.wait_until(lambda q=query_id: answer_to(harness.emu, q) is not None)  # type: ignore[misc]
            crashed = len(seen) >= at_write
        # Restarted on the same file; the unconfirmed press arrives again.
        async with harness.running():
            query_id = forge_press(harness.emu, user, confirm, message=review)
            await harness.emu.wait_until(lambda q=query_id: answer_to(harness.emu, q) is not None)  # type: ignore[misc]
            await harness.emu.wait_until(
                lambda: harness.emu.last_message(chat_id)["text"].startswith("❌ Not eligible")  # noqa: B023
            )
            assert await _rows(harness.database, user.id) == (1, 1, "done"), at_write
            assert await harness.database.integrity_check() == "ok"
        if not crashed:
            break  # every write of the confirmation has had its crash
        at_write += 1
    assert at_write >= 3  # at least: user seen, result stored, state saved


# --------------------------------------------------------------------------- the real process


def _env(data_dir: Path, emu: Emulator, backend_settings: dict[str, Any]) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "TA_ADVISOR_")) and k != "PYTHONPATH"
    }
    env.update(
        PYTHONPATH=str(ROOT),
        TA_ADVISOR_DATA_DIR=str(data_dir),
        TELEGRAM_BOT_TOKEN=emu.token,
        TELEGRAM_API_BASE_URL=emu.base_url,
        TA_ADVISOR_LOG_LEVEL="WARNING",
        **backend.bot_env(backend_settings),
    )
    return env


class BotProcess:
    """`python -m bot run` against the emulator; started, SIGKILLed and restarted by the test."""

    def __init__(self, tmp_path: Path, emu: Emulator, backend_settings: dict[str, Any]) -> None:
        self.tmp_path, self.emu = tmp_path, emu
        self.backend_settings = backend_settings
        self.data_dir = tmp_path / "data"
        self.proc: asyncio.subprocess.Process | None = None
        self.stderr: list[bytes] = []

    @property
    def where(self) -> str:
        """The bot's database: its SQLite file or the test's PostgreSQL URL."""
        return backend.location(self.data_dir, self.backend_settings)

    async def start(self) -> None:
        """Start; return once it begins polling (its `deleteWebhook` comes right before)."""
        ready = self._count("deleteWebhook")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--env-file",
            str(self.tmp_path / "absent.env"),
            cwd=self.tmp_path,
            env=_env(self.data_dir, self.emu, self.backend_settings),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        await self.emu.wait_until(lambda: self._count("deleteWebhook") > ready, timeout=30)

    def _count(self, method: str) -> int:
        return sum(1 for c in self.emu.requests if c.method == method)

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        _, err = await self.proc.communicate()
        self.stderr.append(err)
        assert self.proc.returncode == -signal.SIGKILL

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(self.proc.communicate(), 20)
            self.stderr.append(err)
            assert self.proc.returncode == 0, err.decode()


def _screen(emu: Emulator, user: User, label: str) -> Json:
    """The user's newest bot message with a button like `label`: what they would tap."""
    for message in reversed(emu.messages_to(user.id)):
        if any(label.lower() in text.lower() for text, _ in Emulator.buttons(message)):
            return message
    raise AssertionError(f"no message with a {label!r} button")


async def _stored_state(where: str, user: User) -> CheckState | None:
    """Bob's check as stored, read by a separate client."""
    async with backend.opened(where) as store:
        state = await store.load_check(user.id)
    return CheckState.from_json(state) if state else None


# Bob's answers at each step: a late shipment, tapped or typed.
BOB_TAPS = {
    "paid_via": "Through the Alibaba order",
    "trade_assurance_order": "Yes",
    "problem": "Shipped late",
    "receipt_confirmed": "No",
    "order_window_end": "I don't know",
    "evidence": "Done",
}
BOB_TYPES = {
    "agreed_date": "10 days ago",
    "delivery_date": "5 days ago",
    "amount_paid": "$2,500",
    "coverage_limit": "20000",
}


class Move:
    """One step by Bob, decided from the stored state, with ways to wait for its stages."""

    def __init__(self, emu: Emulator, bob: User, state: CheckState | None) -> None:
        self.emu, self.bob = emu, bob
        assert state is not None and state.stage in ("asking", "review"), state
        self.confirm = state.stage == "review"
        self.since = len(emu.requests)
        self.query_id: str | None = None
        if self.confirm:
            self.update_id = self._tap("See the result")
        elif state.current in BOB_TYPES:
            self.update_id = emu.send_text(bob, None, BOB_TYPES[state.current])
        else:
            assert state.current is not None
            self.update_id = self._tap(BOB_TAPS[state.current])

    def _tap(self, label: str) -> int:
        screen = _screen(self.emu, self.bob, label)
        update_id = self.emu.press_button(self.bob, screen, button(screen, label))
        self.query_id = self.emu.updates[-1]["callback_query"]["id"]
        return update_id

    def fetched(self) -> bool:
        """The bot has been handed the update (it is about to handle it, or handling it)."""
        return any(
            c.method == "getUpdates"
            and c.ok
            and any(u["update_id"] == self.update_id for u in c.result)
            for c in self.emu.requests[self.since :]
        )

    def answered(self) -> bool:
        """The press was answered: its writes are done, its new screen not yet shown."""
        return self.query_id is not None and answer_to(self.emu, self.query_id) is not None

    def replied(self) -> bool:
        return any(
            c.method in ("sendMessage", "editMessageText")
            and c.params.get("chat_id") == self.bob.id
            for c in self.emu.requests[self.since :]
        )


async def _settle(emu: Emulator, user: User) -> None:
    """/help and its reply: every earlier update of the chat has been handled by now."""
    since = len(emu.requests)
    emu.send_text(user, None, "/help")
    await emu.wait_for_request(
        "sendMessage",
        lambda c: (
            c.index >= since
            and c.params.get("chat_id") == user.id
            and c.result["text"].startswith("What I can do")
        ),
        timeout=20,
    )


async def _alice_gets_a_reminder(emu: Emulator, alice: User, bot: BotProcess) -> None:
    """A whole check with a deadline ahead (typed dates are relative: the process uses the
    real clock), killed once between two taps, then "Remind me"."""
    emu.send_text(alice, None, "/check")
    msg = (await emu.wait_for_request("sendMessage", timeout=20)).result
    for label in ("Shipped late", "Through the Alibaba order", "Yes"):
        emu.press_button(alice, msg, button(msg, label))
        msg = (await emu.wait_for_request("editMessageText")).result
    await bot.kill()  # between two answers: the next one is typed to the same screen
    await bot.start()
    for typed in ("$3,000", "no", "10 days ago", "3 days ago", "?", "50000"):
        emu.send_text(alice, None, typed)
        msg = (await emu.wait_for_request("sendMessage", timeout=10)).result
    emu.press_button(alice, msg, button(msg, "Done"))
    review = (await emu.wait_for_request("editMessageText")).result
    emu.press_button(alice, review, button(review, "See the result"))
    verdict = (await emu.wait_for_request("editMessageText")).result
    emu.press_button(alice, verdict, button(verdict, "Remind me"))
    confirm = (await emu.wait_for_request("sendMessage", timeout=10)).result
    assert confirm["text"].startswith("⏰ Done. I'll remind you")


# Where each kill lands, by Bob's move number ("confirm" = the tap on "See the result"):
# right after the update was handed to the bot, after its full reply, or after the bot's
# writes and the answer to the tap but before the new screen.
KILLS: dict[int | str, str] = {2: "fetched", 3: "replied", 5: "fetched", "confirm": "answered"}


async def test_sigkill_loop_mid_check_and_mid_write_loses_nothing(
    tmp_path: Path, emulator: Emulator, backend_settings: dict[str, Any]
) -> None:
    emu = emulator
    alice, bob = emu.create_user("Alice"), emu.create_user("Bob")
    bot = BotProcess(tmp_path, emu, backend_settings)
    await bot.start()
    kills: list[str] = []
    try:
        await _alice_gets_a_reminder(emu, alice, bot)
        emu.send_text(bob, None, "/check")
        await emu.wait_for_request("sendMessage", lambda c: c.params.get("chat_id") == bob.id)
        for number in range(1, 30):
            move = Move(emu, bob, await _stored_state(bot.where, bob))
            when = KILLS.get("confirm" if move.confirm else number, "")
            await emu.wait_until(getattr(move, when or "replied"), timeout=20)
            if when:
                await bot.kill()
                kills.append(when)
                await bot.start()
                await _settle(emu, bob)
            state = await _stored_state(bot.where, bob)
            assert state is not None
            if state.stage == "done":
                break
        else:
            raise AssertionError("Bob's check does not progress")
    finally:
        if bot.proc is not None and bot.proc.returncode is None:
            await bot.kill()
    assert sorted(kills) == ["answered", "fetched", "fetched", "replied"]

    # While it is down: Alice's reminder is still there, unsent; make it due now.
    async with backend.opened(bot.where) as store:
        assert await backend.sound(store)
        ((reminder_id, sent_at),) = await backend.rows(
            store, "SELECT id, sent_at FROM reminders WHERE user_id = ?", alice.id
        )
        assert sent_at is None
        due = int(time.time()) - 60
        await backend.write(store, "UPDATE reminders SET due_at = ? WHERE id = ?", due, reminder_id)

    # The last start: the reminder job (its first run comes seconds after start) sends it.
    await bot.start()
    try:
        sent = await emu.wait_for_request(
            "sendMessage",
            lambda c: c.params.get("chat_id") == alice.id and "Reminder" in c.params["text"],
            timeout=20,
        )
        assert "last day to open your Trade Assurance dispute" in sent.result["text"]
    finally:
        await bot.stop()

    async with backend.opened(bot.where) as store:
        assert await backend.sound(store)
        if store.kind == "sqlite":  # PostgreSQL checks foreign keys on every write
            assert await backend.rows(store, "PRAGMA foreign_key_check") == []
        verdicts = await backend.rows(store, "SELECT user_id, verdict FROM assessments ORDER BY id")
        assert verdicts == [(alice.id, "eligible_with_risks"), (bob.id, "eligible_with_risks")]
        events = await backend.rows(
            store,
            "SELECT user_id, COUNT(*) FROM check_events WHERE event = 'finished' GROUP BY user_id",
        )
        assert dict(events) == {alice.id: 1, bob.id: 1}
        sent = await backend.rows(
            store, "SELECT sent_at IS NOT NULL FROM reminders WHERE id = ?", reminder_id
        )
        assert [bool(row[0]) for row in sent] == [True]
        for (facts,) in await backend.rows(store, "SELECT facts_json FROM assessments"):
            assert json.loads(facts)["paid_via"] == "alibaba_order"  # every row whole
    assert await _stored_state(bot.where, bob) is not None
    token_secret = emu.token.split(":")[1]
    assert all(token_secret not in err.decode() for err in bot.stderr)
