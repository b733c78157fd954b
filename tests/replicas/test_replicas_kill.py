"""Two webhook replicas on one PostgreSQL database behind a proxy; one is SIGKILLed mid-check.

A user walks through the guided claim check while `ta-advisor run` runs twice (two real
processes, webhook mode, `TA_ADVISOR_DATABASE_URL` set) behind a round-robin reverse proxy, as
in deploy/compose.yaml. In the middle of the check, the replica holding the user's update is
killed with SIGKILL while it handles it. The user goes on through the proxy, which now reaches
only the survivor: the survivor takes over the dead replica's claim (its database session is
gone) and the check reaches its verdict with nothing lost (every step applied) and nothing
repeated (one result, one "finished" event, every update handled once).
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.dialogue.machine import CheckState
from tests.emulator import Emulator, User
from tests.reliability.test_rel_crash import BOB_TAPS as TAPS
from tests.reliability.test_rel_crash import BOB_TYPES as TYPES
from tests.replicas.fleet import Proxy, replica_env
from tests.telegram.harness import button

Json = dict[str, Any]
KILL_AT_MOVE = 4


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Replica:
    """One `python -m bot run` in webhook mode on its own port."""

    def __init__(self, name: str, tmp: Path, emu: Emulator, url: str, public: str) -> None:
        self.name, self.port = name, _free_port()
        self.env = replica_env(emu, public, self.port, tmp / name, url)
        self.cwd = tmp
        self.proc: asyncio.subprocess.Process | None = None

    @property
    def upstream(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--env-file", str(self.cwd / "absent.env"),
            cwd=self.cwd, env=self.env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip

    async def stop(self, sig: int = signal.SIGTERM) -> bytes:
        if self.proc is None or self.proc.returncode is not None:
            return b""
        self.proc.send_signal(sig)
        _, err = await asyncio.wait_for(self.proc.communicate(), 30)
        return err


async def _state(url: str, user: User) -> tuple[str | None, CheckState | None]:
    conn = await asyncpg.connect(url)
    try:
        raw = await conn.fetchval("SELECT state_json FROM check_states WHERE user_id = $1", user.id)
    finally:
        await conn.close()
    return raw, (CheckState.from_json(raw) if raw else None)


async def _screen(emu: Emulator, user: User, label: str) -> Json:
    """The newest message with a button like `label` (its screen may follow the stored state
    by a moment)."""
    for _ in range(200):
        for message in reversed(emu.messages_to(user.id)):
            if any(label.lower() in text.lower() for text, _ in Emulator.buttons(message)):
                return message
        await asyncio.sleep(0.05)
    raise AssertionError(f"no message with a {label!r} button")


async def _holder(url: str, update_id: int, timeout: float) -> int | None:
    """The OS pid of the replica handling `update_id` (from its claim), while it does."""
    conn = await asyncpg.connect(url)
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            row = await conn.fetchrow(
                "SELECT claimed_by, done_at FROM inbox WHERE update_id = $1", update_id
            )
            if row is not None and row["done_at"] is not None:
                return None  # handled already: too late to catch it in the act
            if row is not None and row["claimed_by"]:
                # "<server pid>@<host>:<os pid>:<id>" (bot.storage.postgres, bot.telegram.inbox)
                return int(str(row["claimed_by"]).split("@", 1)[1].split(":")[1])
            await asyncio.sleep(0.002)
    finally:
        await conn.close()
    return None


@pytest.fixture
async def proxy() -> AsyncIterator[Proxy]:
    p = Proxy([])
    yield p
    await p.stop()


async def test_two_replicas_one_killed_mid_check_the_user_finishes_through_the_other(
    emulator: Emulator, postgres_url: str, tmp_path: Path, proxy: Proxy
) -> None:
    emu = emulator
    emu.webhook_retry = True  # like Telegram: an update not accepted is pushed again
    port = await proxy.start()
    public = f"http://127.0.0.1:{port}/telegram"
    replicas = [Replica(n, tmp_path, emu, postgres_url, public) for n in ("a", "b")]
    proxy.upstreams.extend(r.upstream for r in replicas)
    for replica in replicas:
        await replica.start()
    bob = emu.create_user("Bob")
    errors: list[bytes] = []
    try:
        await emu.wait_until(
            lambda: sum(1 for c in emu.requests if c.method == "setWebhook") >= 2, timeout=120
        )
        emu.send_text(bob, None, "/check")
        await emu.wait_for_request(
            "sendMessage", lambda c: c.params.get("chat_id") == bob.id, timeout=30
        )
        killed: tuple[str, bool] | None = None
        moves: list[int] = []
        for number in range(1, 30):
            before, state = await _state(postgres_url, bob)
            assert state is not None and state.stage in ("asking", "review", "done"), state
            if state.stage == "done":
                break
            if state.stage == "review":
                label = "See the result"
            elif state.current in TYPES:
                label = ""
                moves.append(emu.send_text(bob, None, TYPES[state.current]))
            else:
                assert state.current is not None
                label = TAPS[state.current]
            if label:
                screen = await _screen(emu, bob, label)
                moves.append(emu.press_button(bob, screen, button(screen, label)))
            if number == KILL_AT_MOVE:
                pid = await _holder(postgres_url, moves[-1], timeout=15)
                victim = next(
                    (r for r in replicas if r.proc is not None and r.proc.pid == pid),
                    replicas[0],
                )
                errors.append(await victim.stop(signal.SIGKILL))
                killed = (victim.name, pid is not None)
            for _ in range(300):  # the step lands (through the survivor after the kill)
                now, _ = await _state(postgres_url, bob)
                if now != before:
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"move {number} was never applied")
        else:
            raise AssertionError("the check does not progress")
        verdict = await _screen(emu, bob, "Remind me")  # the verdict reached the user
    finally:
        for replica in replicas:
            errors.append(await replica.stop())

    assert killed is not None
    print(f"\nkilled replica {killed[0]} {'while it handled' if killed[1] else 'after'} a move")
    conn = await asyncpg.connect(postgres_url)
    try:
        results = await conn.fetch("SELECT verdict FROM assessments WHERE user_id = $1", bob.id)
        finished = await conn.fetchval(
            "SELECT COUNT(*) FROM check_events WHERE user_id = $1 AND event = 'finished'", bob.id
        )
        outcomes = await conn.fetch(
            "SELECT update_id, outcome FROM inbox WHERE update_id = ANY($1::bigint[])", moves
        )
    finally:
        await conn.close()
    assert [r["verdict"] for r in results] == ["eligible_with_risks"]  # one result, not two
    assert finished == 1
    assert sorted(r["update_id"] for r in outcomes) == sorted(moves)  # none lost
    assert {r["outcome"] for r in outcomes} == {"done"}  # each handled, none given up
    assert "Remind me" in str(Emulator.buttons(verdict))
    token_secret = emu.token.split(":")[1]
    assert all(token_secret.encode() not in err for err in errors)
