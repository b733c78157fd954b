"""Handle, then acknowledge, with real processes and real SIGKILLs.

`ta-advisor run` is killed (SIGKILL, no shutdown code) fifty times at random moments while two
dozen users keep writing, in long-polling mode and in webhook mode (the emulator re-pushes an
update the webhook did not accept, as Telegram does). After a last, clean start every question
must be answered and counted exactly once: the question log holds each injected update_id once
(none lost, none applied twice), the inbox is empty and the store is sound. Replies sent twice
(a kill between Telegram accepting a reply and the update being marked done) are counted and
printed: that window is the only source of duplicates.

The bot processes are forked from `tests/reliability/zygote.py`, which has the knowledge base
loaded already, so a restart costs a fraction of a second instead of several.

The same tests run on PostgreSQL with `TA_ADVISOR_TEST_BACKEND=postgresql` (the bot processes
get `TA_ADVISOR_DATABASE_URL`); outcomes are read through the storage, not the file.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import signal
import socket
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.emulator import Emulator, User
from tests.reliability import backend

ROOT = Path(__file__).resolve().parents[2]
KILLS = 50
USERS = 24
BURST = 4
"""Messages injected per kill cycle, from random users."""
QUESTIONS = (
    "What does Trade Assurance cover?",
    "How long do I have to open a dispute?",
    "what documents do I need for a claim",
    "is damage during shipping covered",
)
SECRET = "kill-test-secret"


class Zygote:
    """Drives `tests.reliability.zygote`: forks bot processes on demand."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(cls) -> Zygote:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TA_"))}
        env["PYTHONPATH"] = str(ROOT)
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.reliability.zygote",
            cwd=ROOT,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        zygote = cls(proc)
        assert await zygote._line(120) == "ready"
        return zygote

    async def _line(self, timeout: float = 30) -> str:
        assert self.proc.stdout is not None
        return (await asyncio.wait_for(self.proc.stdout.readline(), timeout)).decode().strip()

    async def _send(self, command: dict[str, object]) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(command) + "\n").encode())
        await self.proc.stdin.drain()
        return await self._line()

    async def spawn(
        self,
        env: dict[str, str],
        log: Path,
        *,
        first_reminders_s: float | None = None,
        uid: int | None = None,
    ) -> int:
        """Fork a bot; `uid`: run it as that user (the zygote must be root to switch)."""
        command: dict[str, object] = {"op": "spawn", "env": env, "log": str(log)}
        if first_reminders_s is not None:
            command["first_reminders_s"] = first_reminders_s
        if uid is not None:
            command["uid"] = uid
        return int(await self._send(command))

    async def reap(self, pid: int) -> int:
        return int(await self._send({"op": "reap", "pid": pid}))

    async def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        await asyncio.wait_for(self.proc.wait(), 30)


@pytest_asyncio.fixture
async def zygote() -> AsyncIterator[Zygote]:
    z = await Zygote.start()
    try:
        yield z
    finally:
        await z.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def bot_env(
    emu: Emulator,
    data: Path,
    *,
    webhook_port: int | None = None,
    backend_settings: dict[str, Any] | None = None,
) -> dict[str, str]:
    env = {
        "TELEGRAM_BOT_TOKEN": emu.token,
        "TELEGRAM_API_BASE_URL": emu.base_url,
        "TELEGRAM_API_BASE_FILE_URL": emu.base_file_url,
        "TA_ADVISOR_DATA_DIR": str(data),
        "PATH": os.environ.get("PATH", ""),
        **backend.bot_env(backend_settings or {}),
    }
    if webhook_port is not None:
        env.update(
            TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{webhook_port}/telegram",
            TELEGRAM_WEBHOOK_SECRET=SECRET,
            TELEGRAM_WEBHOOK_PORT=str(webhook_port),
        )
    return env


def _calls(emu: Emulator, method: str) -> int:
    return sum(1 for c in emu.requests if c.method == method)


async def _started(
    emu: Emulator,
    zygote: Zygote,
    env: dict[str, str],
    log: Path,
    *,
    first_reminders_s: float | None = None,
    uid: int | None = None,
) -> int:
    """Spawn a bot and wait until it receives updates (its deleteWebhook or setWebhook)."""
    marker = "setWebhook" if "TELEGRAM_WEBHOOK_URL" in env else "deleteWebhook"
    before = _calls(emu, marker)
    pid = await zygote.spawn(env, log, first_reminders_s=first_reminders_s, uid=uid)
    await emu.wait_until(lambda: _calls(emu, marker) > before, timeout=60)
    return pid


def _received(emu: Emulator, injected: list[int]) -> bool:
    """Telegram's side is done: every update confirmed (polling) or accepted (webhook)."""
    accepted = {d.update_id for d in emu.deliveries if d.status == 200}
    return emu.pending_updates == 0 and (not emu.webhook.url or accepted >= set(injected))


async def _pending(where: str) -> int:
    """Updates received (or still to be re-pushed by the emulator) and not yet handled."""
    async with backend.opened(where) as store:
        return await store.inbox_pending()


def _replies(emu: Emulator) -> Counter[int]:
    return Counter(
        c.params.get("chat_id") for c in emu.requests if c.method == "sendMessage" and c.ok
    )


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_fifty_kills_during_a_burst_lose_nothing_and_apply_nothing_twice(
    emulator: Emulator,
    zygote: Zygote,
    tmp_path: Path,
    mode: str,
    backend_settings: dict[str, Any],
) -> None:
    rng = random.Random(14)
    emulator.webhook_retry = True
    port = free_port() if mode == "webhook" else None
    env = bot_env(emulator, tmp_path / "data", webhook_port=port, backend_settings=backend_settings)
    where = backend.location(tmp_path / "data", backend_settings)
    log = tmp_path / "bot.log"
    users: list[User] = [emulator.create_user(f"User{i}") for i in range(USERS)]
    sent: Counter[int] = Counter()
    injected: list[int] = []
    for _ in range(KILLS):
        pid = await _started(emulator, zygote, env, log)
        for _ in range(BURST):
            user = rng.choice(users)
            injected.append(emulator.send_text(user, None, QUESTIONS[sent[user.id] % 4]))
            sent[user.id] += 1
            await asyncio.sleep(rng.uniform(0, 0.03))
        await asyncio.sleep(rng.uniform(0, 0.4))
        os.kill(pid, signal.SIGKILL)
        assert await zygote.reap(pid) == -signal.SIGKILL

    pid = await _started(emulator, zygote, env, log)
    for _ in range(600):  # until everything stored is handled (or a minute passed)
        if _received(emulator, injected) and await _pending(where) == 0:
            break
        await asyncio.sleep(0.1)
    os.kill(pid, signal.SIGTERM)
    assert await zygote.reap(pid) == 0

    async with backend.opened(where) as store:
        logged = [row[0] for row in await backend.rows(store, "SELECT update_id FROM question_log")]
        pending = await store.inbox_pending()
        sound = await backend.sound(store)
    lost = set(injected) - set(logged)
    twice = [uid for uid, n in Counter(logged).items() if n > 1]
    replies = _replies(emulator)
    duplicates = sum(replies[u.id] for u in users) - len(injected)
    print(
        f"\n{store.kind} {mode}: {KILLS} SIGKILLs, {len(injected)} updates from {USERS} users: "
        f"{len(lost)} lost, {len(twice)} applied twice, {duplicates} replies sent twice"
    )
    assert not lost and not twice, (sorted(lost), twice)
    assert sorted(logged) == sorted(injected)
    assert pending == 0 and sound
    # Only a kill between a reply going out and its update marked done repeats a reply: at
    # most the updates of the burst in flight at that moment.
    assert 0 <= duplicates <= KILLS * BURST
    assert "Traceback" not in log.read_text()


REMINDERS = 150
REMINDER_KILLS = 15


async def test_reminders_survive_kills_none_lost_duplicates_only_in_the_window(
    emulator: Emulator, zygote: Zygote, tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    """Claim, send, mark: 150 due reminders, the sender killed 15 times mid-delivery.

    A reminder stores no words (it is written when sent), so each goes to a chat of its own:
    a chat with no reminder is one lost, a chat with two is one sent twice."""
    rng = random.Random(3)
    data = tmp_path / "data"
    users = [emulator.create_user(f"R{i}") for i in range(REMINDERS)]
    for user in users:
        emulator.private_chat(user)
    due = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    where = backend.location(data, backend_settings)
    async with backend.opened(where) as db:
        for user in users:
            await db.add_reminder(user.id, user.id, due_at=due, assessment_id=None)
    env = bot_env(emulator, data, backend_settings=backend_settings)
    log = tmp_path / "bot.log"
    for _ in range(REMINDER_KILLS):
        pid = await zygote.spawn(env, log, first_reminders_s=0.05)
        await asyncio.sleep(rng.uniform(0.3, 1.2))
        os.kill(pid, signal.SIGKILL)
        assert await zygote.reap(pid) == -signal.SIGKILL
    pid = await _started(emulator, zygote, env, log, first_reminders_s=0.05)  # SIGTERM-ready
    chats = {user.id for user in users}

    def sent() -> Counter[int]:
        return Counter(
            c.params["chat_id"]
            for c in emulator.requests
            if c.method == "sendMessage" and c.ok and c.params["text"].startswith("⏰ Reminder")
        )

    await emulator.wait_until(lambda: set(sent()) >= chats, timeout=60)
    os.kill(pid, signal.SIGTERM)
    assert await zygote.reap(pid) == 0
    counts = sent()
    lost = chats - set(counts)
    duplicates = sum(n - 1 for n in counts.values())
    print(
        f"\n{'postgresql' if backend_settings else 'sqlite'} reminders: "
        f"{REMINDER_KILLS} SIGKILLs during delivery of {REMINDERS}: "
        f"{len(lost)} lost, {duplicates} sent twice"
    )
    assert not lost
    assert duplicates <= REMINDER_KILLS  # at most the one in flight at each kill
    async with backend.opened(where) as db:
        unsent = await backend.rows(db, "SELECT COUNT(*) FROM reminders WHERE sent_at IS NULL")
    assert unsent == [(0,)]
