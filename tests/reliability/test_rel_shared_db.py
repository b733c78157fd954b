"""Two bot processes on one SQLite file (`TA_ADVISOR_SHARED_DB=true`), the scale-out shape.

Two real `ta-advisor run` processes in webhook mode sit behind a round-robin proxy (as behind
a load balancer), so each receives about half of the updates, and both handle whatever the
shared inbox holds: a chat's updates are claimed one at a time, oldest first, by whichever
process is free. A burst from many users, each writing several messages quickly, must be
handled exactly once per update (one reply each, each question counted once, no update tried
twice) and in order within each chat; due reminders seeded beforehand (one per chat: they
store no words) must each go out once, though both processes' reminder jobs claim them at the
same moment.

With `TA_ADVISOR_TEST_BACKEND=postgresql` the two processes share a PostgreSQL database instead
(no `TA_ADVISOR_SHARED_DB` needed: a server is shared by replicas on purpose), and the outcome
is read through the storage.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import signal
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest_asyncio
from aiohttp import web

from bot.telegram.webhook import SECRET_HEADER
from tests.emulator import Emulator, User
from tests.reliability import backend
from tests.reliability.test_rel_kills import Zygote, _started, bot_env, free_port, zygote
from tests.reliability.test_rel_write_faults import next_reply

__all__ = ["zygote"]

USERS = 12
QUESTIONS = (
    "What does Trade Assurance cover?",
    "How long do I have to open a dispute?",
    "Can I pay by Western Union?",
    "what documents do I need for a claim",
    "is damage during shipping covered",
)
"""Each user asks all of them, in an order of their own; their answers differ."""
REMINDERS = 40


class RoundRobin:
    """A tiny reverse proxy: each webhook request goes to the next bot process in turn."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.served: Counter[int] = Counter()
        self._turn = 0
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/telegram", self._forward)
        self._http = aiohttp.ClientSession()
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._http is not None:
            await self._http.close()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._http is not None
        port = self.ports[self._turn % len(self.ports)]
        self._turn += 1
        headers = {
            name: value
            for name in (SECRET_HEADER, "Content-Type")
            if (value := request.headers.get(name)) is not None
        }
        body = await request.read()
        try:
            url = f"http://127.0.0.1:{port}/telegram"
            async with self._http.post(url, data=body, headers=headers) as resp:
                self.served[port] += resp.status == 200
                return web.Response(status=resp.status, body=await resp.read())
        except aiohttp.ClientError:
            return web.Response(status=502)


@pytest_asyncio.fixture
async def proxy() -> AsyncIterator[RoundRobin]:
    balancer = RoundRobin([free_port(), free_port()])
    await balancer.start()
    try:
        yield balancer
    finally:
        await balancer.stop()


def _texts_to(emu: Emulator, chat_id: int) -> list[str]:
    return [
        c.params["text"]
        for c in emu.requests
        if c.method == "sendMessage" and c.ok and c.params.get("chat_id") == chat_id
    ]


def _headline(text: str) -> str:
    return text.split("\n", 1)[0]


async def test_two_processes_on_one_database_handle_each_update_once_in_order_per_chat(
    emulator: Emulator,
    zygote: Zygote,
    tmp_path: Path,
    proxy: RoundRobin,
    backend_settings: dict[str, Any],
) -> None:
    rng = random.Random(15)
    data = tmp_path / "data"
    where = backend.location(data, backend_settings)
    readers = [emulator.create_user(f"R{i}") for i in range(REMINDERS)]
    for reader in readers:
        emulator.private_chat(reader)
    due = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    async with backend.opened(where) as db:
        for reader in readers:
            await db.add_reminder(reader.id, reader.id, due_at=due, assessment_id=None)

    pids, logs = [], []
    for number, port in enumerate(proxy.ports):
        env = bot_env(emulator, data, webhook_port=port, backend_settings=backend_settings)
        env.update(TELEGRAM_WEBHOOK_URL=proxy.url)
        if not backend.ON_POSTGRES:
            env.update(TA_ADVISOR_SHARED_DB="true")
        logs.append(tmp_path / f"bot{number}.log")
        pids.append(await _started(emulator, zygote, env, logs[-1], first_reminders_s=0.05))
    try:
        # What each question is answered with (asked once, before the burst).
        probe = emulator.create_user("Probe")
        headlines = [_headline(await next_reply(emulator, probe, q)) for q in QUESTIONS]
        assert len(set(headlines)) == len(QUESTIONS), headlines

        users: list[User] = [emulator.create_user(f"User{i}") for i in range(USERS)]
        orders = {user.id: rng.sample(range(len(QUESTIONS)), len(QUESTIONS)) for user in users}
        injected: list[int] = []
        for step in range(len(QUESTIONS)):  # interleaved: every user's n-th, then the next
            for user in rng.sample(users, len(users)):
                injected.append(emulator.send_text(user, None, QUESTIONS[orders[user.id][step]]))
                await asyncio.sleep(rng.uniform(0, 0.01))

        def done() -> bool:
            answered = all(len(_texts_to(emulator, u.id)) >= len(QUESTIONS) for u in users)
            reminded = sum(len(_texts_to(emulator, r.id)) for r in readers) >= REMINDERS
            return answered and reminded

        await emulator.wait_until(done, timeout=90)
        await asyncio.sleep(1.0)  # room for a late duplicate, if there were one
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGTERM)
        codes = [await zygote.reap(pid) for pid in pids]
    assert codes == [0, 0]

    assert all(proxy.served[port] > 0 for port in proxy.ports), proxy.served  # both received
    for user in users:  # one answer per message, in the order the user wrote them
        got = [_headline(text) for text in _texts_to(emulator, user.id)]
        assert got == [headlines[i] for i in orders[user.id]], user.first_name
    async with backend.opened(where) as store:
        logged = Counter(
            row[0] for row in await backend.rows(store, "SELECT update_id FROM question_log")
        )
        inbox = await backend.rows(
            store, "SELECT outcome, attempts, COUNT(*) FROM inbox GROUP BY outcome, attempts"
        )
        unsent = await backend.rows(store, "SELECT COUNT(*) FROM reminders WHERE sent_at IS NULL")
    assert all(logged[update_id] == 1 for update_id in injected), logged
    assert inbox == [("done", 1, len(injected) + len(QUESTIONS))], inbox  # each tried once
    reminders = {reader.id: len(_texts_to(emulator, reader.id)) for reader in readers}
    assert reminders == {reader.id: 1 for reader in readers}  # none lost, none sent twice
    assert unsent == [(0,)]
    handled = [log.read_text().count("question: decision=") for log in logs]
    print(
        f"\nshared {store.kind} database: updates handled per process {handled}, "
        f"received {proxy.served}"
    )
    assert sum(handled) == len(injected) + len(QUESTIONS)
    assert all(count > 0 for count in handled), handled  # both handled some
