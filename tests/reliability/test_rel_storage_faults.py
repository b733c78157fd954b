"""Storage faults are seen: refused at start with one line, or `/healthz` turns red.

Also: a second bot on the same database refuses to start; a replayed webhook update is handled
once; a reminder claimed by a process that died is sent after the restart (never lost).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import pwd
import shutil
import signal
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from bot.storage import Database
from bot.telegram import webhook
from tests.emulator import Emulator
from tests.reliability import backend
from tests.reliability.test_rel_kills import Zygote, _started, bot_env, free_port, zygote
from tests.reliability.test_rel_write_faults import health_at
from tests.telegram.test_tg_webhook import SECRET, Hooked, hooked

__all__ = ["hooked", "zygote"]


async def _refusal(
    zygote: Zygote, env: dict[str, str], log: Path, *, uid: int | None = None
) -> tuple[int, str]:
    """Start a bot that must refuse; its exit code and what it printed."""
    log.unlink(missing_ok=True)
    pid = await zygote.spawn(env, log, uid=uid)
    code = await asyncio.wait_for(zygote.reap(pid), 60)
    return code, log.read_text()


@backend.sqlite_only("the single-instance lock beside the file (a server takes replicas)")
async def test_a_second_process_on_the_same_database_refuses_to_start(
    emulator: Emulator, zygote: Zygote, tmp_path: Path
) -> None:
    env = bot_env(emulator, tmp_path / "data")
    first = await _started(emulator, zygote, env, tmp_path / "first.log")
    try:
        code, output = await _refusal(zygote, env, tmp_path / "second.log")
    finally:
        os.kill(first, signal.SIGTERM)
        assert await zygote.reap(first) == 0
    assert code == 1
    assert output.count("\n") == 1, output
    assert "another ta-advisor process is already using" in output
    # Once the first is gone, (even after a SIGKILL: the kernel drops its lock) it starts.
    again = await _started(emulator, zygote, env, tmp_path / "third.log")
    os.kill(again, signal.SIGKILL)
    assert await zygote.reap(again) == -signal.SIGKILL
    again = await _started(emulator, zygote, env, tmp_path / "fourth.log")
    os.kill(again, signal.SIGTERM)
    assert await zygote.reap(again) == 0


@backend.sqlite_only("faults of the file: zero bytes, not a database, wrong permissions")
async def test_storage_faults_are_refused_at_start_with_one_line(
    emulator: Emulator, zygote: Zygote, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    env = bot_env(emulator, data)
    database = data / "ta-advisor.sqlite3"
    pid = await _started(emulator, zygote, env, tmp_path / "ok.log")
    os.kill(pid, signal.SIGTERM)
    assert await zygote.reap(pid) == 0

    saved = database.read_bytes()
    database.write_bytes(b"")  # zero bytes: would silently start empty
    code, output = await _refusal(zygote, env, tmp_path / "empty.log")
    assert code == 1 and output.count("\n") == 1 and "is empty (0 bytes)" in output, output
    assert "TA_ADVISOR_NEW_DB=true" in output and "delete it" not in output, output

    database.unlink()  # deleted: the lock file shows a database was here
    code, output = await _refusal(zygote, env, tmp_path / "missing.log")
    assert code == 1 and output.count("\n") == 1 and "is missing" in output, output

    corrupt = bytearray(saved)
    corrupt[4096:] = b"\xff" * (len(corrupt) - 4096)  # every page but the header damaged
    database.write_bytes(bytes(corrupt))
    code, output = await _refusal(zygote, env, tmp_path / "corrupt.log")
    assert code == 1 and output.count("\n") == 1, output
    assert "damaged" in output or "unusable" in output, output

    # The explicit setting starts a new, empty database where one was.
    database.unlink()
    pid = await _started(emulator, zygote, {**env, "TA_ADVISOR_NEW_DB": "true"}, tmp_path / "n.log")
    os.kill(pid, signal.SIGTERM)
    assert await zygote.reap(pid) == 0
    assert database.stat().st_size > 0
    assert oct(database.stat().st_mode & 0o777) == oct(0o600)


def _unprivileged() -> int | None:
    """The user the bot runs as in the permission tests: root ignores file permissions, so a
    root test run starts the bot as `nobody`; anyone else runs it as themselves."""
    return pwd.getpwnam("nobody").pw_uid if os.geteuid() == 0 else None


@pytest.fixture
def own_folder() -> Iterator[Path]:
    """A data folder owned by the bot's user (pytest's own folders are root-only when root)."""
    folder = Path(tempfile.mkdtemp(prefix="ta-advisor-perm-"))
    uid = _unprivileged()
    if uid is not None:
        os.chown(folder, uid, pwd.getpwuid(uid).pw_gid)
    try:
        yield folder
    finally:
        folder.chmod(0o700)
        shutil.rmtree(folder, ignore_errors=True)


@backend.sqlite_only("a read-only file or folder")
async def test_a_read_only_database_or_folder_is_refused_and_turns_health_red(
    emulator: Emulator, zygote: Zygote, tmp_path: Path, own_folder: Path
) -> None:
    uid = _unprivileged()
    port = free_port()
    env = {**bot_env(emulator, own_folder), "TA_ADVISOR_METRICS_PORT": str(port)}
    database = own_folder / "ta-advisor.sqlite3"
    pid = await _started(emulator, zygote, env, tmp_path / "ok.log", uid=uid)
    try:
        assert (await health_at(port))[0] == 200
        database.chmod(0o400)  # made read-only under the running bot
        status, body = await health_at(port)
        assert status == 503 and body["db_problem"] == "the database file is not writable"
    finally:
        os.kill(pid, signal.SIGTERM)
        assert await zygote.reap(pid) == 0

    code, output = await _refusal(zygote, env, tmp_path / "file.log", uid=uid)
    assert code == 1 and output.count("\n") == 1 and "is read-only" in output, output
    database.chmod(0o600)
    own_folder.chmod(0o500)  # the folder: SQLite could not create its WAL and lock files
    code, output = await _refusal(zygote, env, tmp_path / "folder.log", uid=uid)
    assert code == 1 and output.count("\n") == 1 and "is not writable" in output, output
    own_folder.chmod(0o700)
    pid = await _started(emulator, zygote, env, tmp_path / "again.log", uid=uid)
    os.kill(pid, signal.SIGTERM)
    assert await zygote.reap(pid) == 0


async def _health(hooked: Hooked) -> tuple[int, dict[str, object]]:
    async with aiohttp.ClientSession() as http, http.get(hooked.base + "/healthz") as resp:
        body: dict[str, object] = await resp.json()
        return resp.status, body


@backend.sqlite_only("the file deleted or replaced under the running bot")
async def test_healthz_turns_red_when_the_file_is_deleted_or_replaced(
    hooked: Hooked, tmp_path: Path
) -> None:
    assert (await _health(hooked))[0] == 200
    path = hooked.db._path
    assert path is not None
    moved = path.with_name("moved.sqlite3")
    path.rename(moved)  # deleted (or moved away) while running: writes would go nowhere
    status, body = await _health(hooked)
    assert status == 503 and body["db_problem"] == "the database file is gone"
    path.write_bytes(b"")  # another file in its place
    status, body = await _health(hooked)
    assert status == 503 and body["db_problem"] == "the database file was replaced"
    path.unlink()
    moved.rename(path)  # the same file back
    assert (await _health(hooked))[0] == 200


async def test_a_replayed_webhook_update_is_handled_once(hooked: Hooked) -> None:
    alice = hooked.emu.create_user()
    update_id = hooked.emu.send_text(alice, None, "What does Trade Assurance cover?")
    assert (await hooked.emu.wait_for_delivery(update_id)).status == 200
    await hooked.emu.wait_for_request("sendMessage")
    update = hooked.emu.updates[-1]
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with aiohttp.ClientSession() as http:
        for _ in range(3):  # replayed: accepted (200, so Telegram stops) and dropped
            async with http.post(hooked.url, json=update, headers=headers) as resp:
                assert resp.status == 200
    await asyncio.sleep(0.3)
    assert await hooked.db.inbox_pending() == 0
    rows = await hooked.db._rows("SELECT COUNT(*) FROM question_log WHERE user_id = ?", (alice.id,))
    assert rows[0][0] == 1
    assert sum(1 for c in hooked.emu.requests if c.method == "sendMessage") == 1


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ('{"update_id": 1, "m": ' + "[" * 5000 + "]" * 5000 + "}", "deep"),
        ('{"update_id": 1, "message": {"from": {"id": 1180591620717411303424}}}', "2^70"),
        ('{"update_id": 1, "message": {"text": "\\ud800"}}', "lone surrogate"),
        ('{"update_id": "1"}', "string update_id"),
        ('{"update_id": 1, "x": NaN}', "NaN"),
    ],
)
async def test_absurd_json_is_refused_with_400(hooked: Hooked, body: str, why: str) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    async with (
        aiohttp.ClientSession() as http,
        http.post(hooked.url, data=body, headers=headers) as resp,
    ):
        assert resp.status == 400, why
    assert await hooked.db.inbox_pending() == 0


async def test_a_secret_header_with_bytes_that_are_not_utf8_gets_403(hooked: Hooked) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", hooked.server.port)
    body = json.dumps({"update_id": 1}).encode()
    writer.write(
        b"POST /telegram HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: \xff\xfe\r\n"
        b"Content-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + body
    )
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), 10)
    writer.close()
    assert b" 403 " in status_line, status_line


@backend.sqlite_only(
    "single-instance claims dropped at start; PostgreSQL's dead-owner claims: tests/storage"
)
async def test_a_reminder_claimed_by_a_dead_process_is_sent_after_the_restart(
    tmp_path: Path,
) -> None:
    due = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
    path = tmp_path / "bot.sqlite3"
    async with await Database.open(path) as db:
        rid = await db.add_reminder(1, 1, due_at=due, text="deadline soon", assessment_id=None)
        claimed = await db.claim_due_reminders(due, "dead-process")
        assert [r.id for r in claimed] == [rid]
        # Killed here (claimed, maybe sent, not marked). Nobody else takes it meanwhile:
        assert await db.claim_due_reminders(due, "other") == []
    # After a restart (single instance: the dead owner's claims are dropped) it is due again;
    # in shared mode its lease expires instead.
    async with await Database.open(path) as db:
        assert [r.id for r in await db.claim_due_reminders(due + dt.timedelta(minutes=6), "b")] == [
            rid
        ]
        await db.release_claims()
        again = await db.claim_due_reminders(due, "new-process")
        assert [r.id for r in again] == [rid]
        await db.mark_reminder_sent(rid)
        assert await db.claim_due_reminders(due + dt.timedelta(days=1), "later") == []
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT sent_at IS NOT NULL FROM reminders").fetchone() == (1,)


async def test_idle_and_slow_connections_are_closed_and_capped(
    hooked: Hooked, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhook, "IDLE_TIMEOUT_S", 3.0)
    server = webhook.WebhookServer(
        hooked.app, secret=SECRET, path="/telegram", listen="127.0.0.1", port=0, max_connections=3
    )
    await server.start()
    try:
        idle = [await asyncio.open_connection("127.0.0.1", server.port) for _ in range(3)]
        idle[0][1].write(b"POST /telegram HTTP/1.1\r\nHost: x\r\n")  # headers that never end
        await asyncio.sleep(0.1)
        # At the cap, a real request still gets through: the longest-waiting idle connection
        # is closed to make room (at once, long before the timeout).
        url = f"http://127.0.0.1:{server.port}/healthz"
        async with aiohttp.ClientSession() as http, http.get(url) as resp:
            assert resp.status == 200
        assert await asyncio.wait_for(idle[0][0].read(), 1.5) == b""
        for reader, _ in idle[1:]:  # the other idle ones: closed after the timeout
            assert await asyncio.wait_for(reader.read(), 10) == b""
    finally:
        await server.stop()
