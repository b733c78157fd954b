"""The attacks of issue #14, run again from outside against real `ta-advisor run` processes.

    python -m bench.attacks [--out FILE]

Starts the Bot API emulator on 127.0.0.1 and two bots as separate processes, the way an
operator would (`python -m bot run`, settings from the environment, umask 022): one in webhook
mode (secret, metrics token, default listen address) and one in long-polling mode (DEBUG logs,
an admin, metrics on their own port). Then replays each attack of the issue's numbered findings
with nothing but HTTP, raw sockets, the emulator's users, the command line and the files on
disk, and prints one line per attack: expected, observed, pass or FAIL (the exit code is the
number of failures). `--out` also writes the table as Markdown (docs/reliability.md quotes it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from tests.emulator import Emulator, User

ROOT = Path(__file__).resolve().parents[1]
SECRET = "attack-secret_1"
METRICS_TOKEN = "attack-metrics_2"
MARK = "qvzmarkx"
"""A word only the attacking users type: it must never reach a log or outlive /forget."""
IDLE_LIMIT_S = 15.0
"""The webhook server's idle and header timeout (bot.telegram.webhook.IDLE_TIMEOUT_S)."""

Json = dict[str, Any]


@dataclass
class Result:
    finding: str
    attack: str
    expected: str
    observed: str
    ok: bool
    timed: bool = False
    """Judged by a time measured on this machine: a benchmark figure, not a test's verdict."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class BotProcess:
    """`python -m bot run` with its own data folder and log file."""

    def __init__(self, emu: Emulator, folder: Path, **env: str) -> None:
        self.emu = emu
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "bot.log"
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": emu.token,
            "TELEGRAM_API_BASE_URL": emu.base_url,
            "TELEGRAM_API_BASE_FILE_URL": emu.base_file_url,
            "TA_ADVISOR_DATA_DIR": str(self.data),
            **env,
        }
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def database(self) -> Path:
        return self.data / "ta-advisor.sqlite3"

    def spawn(self, log: Path | None = None) -> subprocess.Popen[bytes]:
        with open(log or self.log, "ab") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--env-file", str(self.folder / "none.env")],
                cwd=self.folder,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                umask=0o022,  # an operator's usual umask: the bot must make its files private
            )

    async def start(self) -> None:
        marker = "setWebhook" if "TELEGRAM_WEBHOOK_URL" in self.env else "deleteWebhook"
        before = _calls(self.emu, marker)
        self.proc = self.spawn()
        await self.emu.wait_until(lambda: _calls(self.emu, marker) > before, timeout=180)

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()

    def open_files(self) -> int:
        """The process's open file descriptors (sockets included), from /proc."""
        assert self.proc is not None
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _calls(emu: Emulator, method: str) -> int:
    return sum(1 for c in emu.requests if c.method == method)


def _texts_to(emu: Emulator, chat_id: int) -> list[str]:
    return [
        c.params["text"]
        for c in emu.requests
        if c.method == "sendMessage" and c.ok and c.params.get("chat_id") == chat_id
    ]


async def _say(emu: Emulator, user: User, text: str, timeout: float = 30) -> str:
    before = len(_texts_to(emu, user.id))
    emu.send_text(user, None, text)
    await emu.wait_until(lambda: len(_texts_to(emu, user.id)) > before, timeout=timeout)
    return _texts_to(emu, user.id)[before]


def _cli(*args: str) -> tuple[int, str]:
    """`python -m bot ARGS`: its exit code and everything it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def _listen_addresses(port: int) -> set[str]:
    """The local addresses with a listening TCP socket on `port` (from /proc/net)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as lines:
            next(lines)
            for line in lines:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state != "0A" or int(hex_port, 16) != port:
                    continue
                if len(address) == 8:
                    found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
                else:
                    raw = b"".join(bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, 32, 8))
                    found.add(socket.inet_ntop(socket.AF_INET6, raw))
    return found


class Attacks:
    """Each method is one attack; `results` collects what was seen."""

    def __init__(
        self, emu: Emulator, webhook: BotProcess, polling: BotProcess, admin: User
    ) -> None:
        self.emu, self.webhook, self.polling, self.admin = emu, webhook, polling, admin
        self.hook_port = int(webhook.env["TELEGRAM_WEBHOOK_PORT"])
        self.metrics_port = int(polling.env["TA_ADVISOR_METRICS_PORT"])
        self.results: list[Result] = []

    def record(
        self,
        finding: str,
        attack: str,
        expected: str,
        observed: str,
        ok: bool,
        *,
        timed: bool = False,
    ) -> None:
        self.results.append(Result(finding, attack, expected, observed, ok, timed))
        mark = "pass" if ok else "FAIL"
        print(f"[{mark}] {finding} {attack}: expected {expected}; observed {observed}", flush=True)

    async def attempt(self, attack: Callable[[], Awaitable[None]]) -> None:
        """Run one attack; an attack that breaks the harness is a failure, not the end."""
        try:
            await attack()
        except Exception as exc:
            name = getattr(attack, "__name__", "attack")
            self.record("?", name, "runs to the end", f"{type(exc).__name__}: {exc}", False)

    # -- 7. webhook server -------------------------------------------------------------------

    async def _raw_status(self, request: bytes) -> str:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.hook_port)
        writer.write(request)
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), 10)
        writer.close()
        return line.decode(errors="replace").strip()

    async def secret_bytes(self) -> None:
        body = json.dumps({"update_id": 1}).encode()
        status = await self._raw_status(
            b"POST /telegram HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: \xff\xfe\r\n"
            b"Content-Type: application/json\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\nConnection: close\r\n\r\n"
            + body
        )
        traceback = "Traceback" in self.webhook.log_text()
        self.record(
            "7",
            "secret header with bytes that are not UTF-8",
            "403, no traceback",
            f"{status!r}, traceback in log: {traceback}",
            " 403 " in status and not traceback,
        )

    async def _post(self, body: bytes, secret: str | None = SECRET) -> int:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        url = f"http://127.0.0.1:{self.hook_port}/telegram"
        async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as r:
            return r.status

    async def wrong_secret(self) -> None:
        body = json.dumps({"update_id": 5, "message": {"text": "x"}}).encode()
        statuses = [await self._post(body, None), await self._post(body, "guess")]
        self.record(
            "7",
            "missing or wrong secret",
            "403, 403",
            ", ".join(map(str, statuses)),
            statuses == [403, 403],
        )

    async def absurd_json(self) -> None:
        bodies = {
            "JSON nested 5,000 deep": '{"update_id": 1, "m": ' + "[" * 5000 + "]" * 5000 + "}",
            "a 2^70 user id": json.dumps({"update_id": 2, "message": {"from": {"id": 2**70}}}),
            "a lone surrogate": '{"update_id": 3, "message": {"text": "\\ud800"}}',
            "a string update_id": '{"update_id": "4"}',
            "NaN": '{"update_id": 5, "x": NaN}',
        }
        for name, body in bodies.items():
            status = await self._post(body.encode())
            self.record("7", name, "400", str(status), status == 400)
        alive = await self._health(self.hook_port)
        self.record("7", "after the absurd bodies", "/healthz 200", str(alive[0]), alive[0] == 200)

    async def replay(self) -> None:
        user = self.emu.create_user("Replayer")
        update = {
            "update_id": 900_001,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": user.id, "type": "private", "first_name": "Replayer"},
                "from": user.to_api(),
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }
        self.emu.private_chat(user)
        statuses = [await self._post(json.dumps(update).encode()) for _ in range(4)]
        await asyncio.sleep(2.0)
        replies = len(_texts_to(self.emu, user.id))
        self.record(
            "2",
            "one webhook update posted four times",
            "200 x4, one reply",
            f"{statuses}, {replies} reply(ies)",
            statuses == [200] * 4 and replies == 1,
        )

    async def slow_headers(self) -> None:
        """Headers sent one byte a second: closed by the header deadline, not kept forever."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.hook_port)
        request = b"POST /telegram HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 200
        start = time.monotonic()
        closed_after = None
        for byte in request:
            try:
                writer.write(bytes([byte]))
                await writer.drain()
            except (ConnectionError, OSError):
                closed_after = time.monotonic() - start
                break
            with contextlib.suppress(TimeoutError):
                data = await asyncio.wait_for(reader.read(1024), 1.0)
                if data == b"" or data:
                    closed_after = time.monotonic() - start
                    break
            if time.monotonic() - start > IDLE_LIMIT_S * 3:
                break
        writer.close()
        observed = (
            "open after 45 s" if closed_after is None else f"closed after {closed_after:.1f} s"
        )
        ok = closed_after is not None and closed_after <= IDLE_LIMIT_S + 3
        self.record(
            "7",
            "headers trickled one byte a second",
            f"closed by ~{IDLE_LIMIT_S:.0f} s",
            observed,
            ok,
        )

    async def slow_body(self) -> None:
        """Headers complete, then a body that never arrives in full."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.hook_port)
        writer.write(
            f"POST /telegram HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: {SECRET}"
            "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n".encode()
            + b'{"update_id": 7, '
        )
        await writer.drain()
        start = time.monotonic()
        try:
            line = (await asyncio.wait_for(reader.readline(), 30)).decode(errors="replace")
        except TimeoutError:
            line = "no answer in 30 s"
        elapsed = time.monotonic() - start
        writer.close()
        self.record(
            "7",
            "a body that stops half-way",
            "408 after ~10 s",
            f"{line.strip()!r} after {elapsed:.1f} s",
            " 408 " in line and elapsed <= 13,
        )

    async def idle_connections(self) -> None:
        """140 idle connections: beyond the cap of 100 the longest-waiting are closed to make
        room, so a real request still gets through; the rest close after the timeout."""
        before = self.webhook.log_text().count("\n")
        fds_before = self.webhook.open_files()
        conns = []
        for _ in range(140):
            with contextlib.suppress(OSError):
                conns.append(await asyncio.open_connection("127.0.0.1", self.hook_port))
        await asyncio.sleep(1.0)
        health = (await self._health(self.hook_port))[0]
        fds_held = self.webhook.open_files()

        async def closed(reader: asyncio.StreamReader, wait: float) -> bool:
            try:
                return await asyncio.wait_for(reader.read(), wait) == b""
            except TimeoutError:
                return False
            except (ConnectionError, OSError):
                return True

        start = time.monotonic()
        later = await asyncio.gather(*(closed(r, IDLE_LIMIT_S + 5) for r, _ in conns))
        elapsed = time.monotonic() - start
        for _, writer in conns:
            writer.close()
        lines = self.webhook.log_text().count("\n") - before
        kept_at_most_cap = fds_held - fds_before <= 100 + 5
        ok = all(later) and health == 200 and lines <= 5 and elapsed <= IDLE_LIMIT_S + 6
        ok = ok and kept_at_most_cap
        self.record(
            "7",
            "140 idle connections",
            "at most 100 kept (oldest idle closed to make room), /healthz 200 while they are "
            "held, all closed by ~15 s, few log lines",
            f"bot's open descriptors {fds_before} before, {fds_held} while held; "
            f"{sum(later)} of {len(conns)} closed within "
            f"{elapsed:.1f} s, /healthz {health}, {lines} log line(s)",
            ok,
        )

    async def listen_address(self, port: int, what: str, setting: str) -> None:
        found = _listen_addresses(port)
        self.record(
            "7",
            f"{what}'s listen address with no {setting}",
            "127.0.0.1 only",
            ", ".join(sorted(found)) or "not listening",
            found == {"127.0.0.1"},
        )

    async def webhook_listen(self) -> None:
        await self.listen_address(self.hook_port, "webhook", "TELEGRAM_WEBHOOK_LISTEN")

    async def metrics_listen(self) -> None:
        await self.listen_address(self.metrics_port, "metrics server", "TA_ADVISOR_METRICS_LISTEN")
        separate = (await self._get(self.metrics_port, "/metrics"))[0]
        self.record(
            "7",
            "/metrics on its own port (TA_ADVISOR_METRICS_PORT)",
            "200 (on 127.0.0.1, see the listen check)",
            str(separate),
            separate == 200,
        )

    async def _get(self, port: int, path: str, token: str | None = None) -> tuple[int, str]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        url = f"http://127.0.0.1:{port}{path}"
        async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as resp:
            return resp.status, await resp.text()

    async def _health(self, port: int) -> tuple[int, str]:
        return await self._get(port, "/healthz")

    async def metrics_and_health(self) -> None:
        plain = (await self._get(self.hook_port, "/metrics"))[0]
        wrong = (await self._get(self.hook_port, "/metrics", "guess"))[0]
        right = (await self._get(self.hook_port, "/metrics", METRICS_TOKEN))[0]
        self.record(
            "7",
            "/metrics on the webhook port: no token, a wrong one, the right one",
            "404, 404, 200",
            f"{plain}, {wrong}, {right}",
            (plain, wrong, right) == (404, 404, 200),
        )
        status, body = await self._health(self.hook_port)
        keys = sorted(json.loads(body))
        leaks = [s for s in (str(self.webhook.data), self.emu.token, SECRET) if s in body]
        self.record(
            "7",
            "/healthz on the webhook port",
            "200 with status flags only (no path, token or secret)",
            f"{status} {keys}, leaks: {leaks}",
            status == 200 and not leaks,
        )

    # -- 6. polling --------------------------------------------------------------------------

    async def unparseable_update(self) -> None:
        user = self.emu.create_user("Parser")
        polls_before = _calls(self.emu, "getUpdates")
        bad = self.emu.inject("message", {"message_id": 1, "text": f"{MARK} bad", "chat": 5})
        answer = await _say(self.emu, user, "What does Trade Assurance cover?")
        await asyncio.sleep(3.0)
        polls = _calls(self.emu, "getUpdates") - polls_before
        log = self.polling.log_text()
        skipped = f"skipping unreadable update {bad}" in log
        critical = log.count("CRITICAL")
        ok = skipped and critical == 0 and polls <= 10 and "<i>Sources:" in answer
        self.record(
            "6",
            "an update the library cannot parse, then a question",
            "skipped by id, next question answered, no poll storm, no CRITICAL",
            f"skipped by id: {skipped}, answered: {'<i>Sources:' in answer}, "
            f"{polls} polls in ~3 s, {critical} CRITICAL",
            ok,
        )

    # -- 8. privacy --------------------------------------------------------------------------

    async def forget(self) -> None:
        user = self.emu.create_user("Forgetful")
        await _say(self.emu, user, f"how do I cook {MARK}forget rice")  # unanswered: kept
        files = self._files()
        before = (MARK + "forget").encode() in files
        ask = await _say(self.emu, user, "/forget")
        message = self.emu.messages_to(user.id)[-1]
        data = next(d for t, d in Emulator.buttons(message) if "Yes" in t and d)
        edits = self._edits_to(user)
        self.emu.press_button(user, message, data)
        await self.emu.wait_until(lambda: self._edits_to(user) > edits, timeout=20)
        await asyncio.sleep(0.5)
        after = (MARK + "forget").encode() in self._files()
        says_backups = "backup" in ask.lower()
        self.record(
            "8",
            "/forget, then the database and WAL files read byte by byte (bot still running)",
            "text in the files before, gone after; /forget says what backups keep",
            f"before: {before}, after: {after}, mentions backups: {says_backups}",
            before and not after and says_backups,
        )

    def _edits_to(self, user: User) -> int:
        return sum(
            1
            for c in self.emu.requests
            if c.method == "editMessageText" and c.params.get("chat_id") == user.id
        )

    def _files(self) -> bytes:
        db = self.polling.database
        return b"".join(p.read_bytes() for p in (db, db.with_name(db.name + "-wal")) if p.exists())

    async def report_escapes(self) -> None:
        user = self.emu.create_user("Escaper")
        await _say(self.emu, user, f"evil {MARK} \x1b]0;owned\x07 \u202eright-to-left \x1b[2J")
        code, out = _cli("report", "--db", str(self.polling.database), "--period", "all")
        raw = [c for c in ("\x1b", "\x07", "\u202e") if c in out]
        self.record(
            "8",
            "`ta-advisor report` on a question with terminal escapes",
            "exit 0, escapes shown as \\x1b..., none raw",
            f"exit {code}, raw control characters: {[hex(ord(c)) for c in raw]}",
            code == 0 and not raw and "\\x1b" in out,
        )

    async def unanswered_brackets(self) -> None:
        for n in range(12):
            user = self.emu.create_user(f"Angle{n}")
            await _say(self.emu, user, f"{n} " + "<" * 300 + f" {MARK} <b>why</b> " + ">" * 80)
        calls_before = len(self.emu.requests)
        text = await _say(self.emu, self.admin, "/unanswered all")
        failed = [
            c.method
            for c in self.emu.requests[calls_before:]
            if c.method == "sendMessage" and not c.ok
        ]
        ok = not failed and "&lt;" in text and len(text) <= 4096 and "Sorry" not in text
        self.record(
            "8",
            "/unanswered after twelve questions full of `<`",
            "a valid HTML message of at most 4,096 characters, cut between entries",
            f"{len(text)} characters, refused by the API: {len(failed)}",
            ok,
        )

    def file_modes(self) -> None:
        data = self.polling.data
        modes = {data.name: stat.S_IMODE(data.stat().st_mode)}
        for path in sorted(data.iterdir()):
            modes[path.name] = stat.S_IMODE(path.stat().st_mode)
        wrong = {
            name: oct(mode)
            for name, mode in modes.items()
            if mode != (0o700 if name == data.name else 0o600)
        }
        self.record(
            "8",
            "file modes under umask 022",
            "folder 0700, database, WAL, shm and lock 0600",
            ", ".join(f"{n} {oct(m)}" for n, m in modes.items()),
            not wrong,
        )

    def debug_logs(self) -> None:
        texts = {
            name: bot.log_text()
            for name, bot in (("webhook", self.webhook), ("polling", self.polling))
        }
        leaks = [name for name, text in texts.items() if MARK in text]
        tokens = [name for name, text in texts.items() if self.emu.token.split(":")[1] in text]
        lines = sum(text.count("\n") for text in texts.values())
        self.record(
            "8",
            "logs of both bots (TA_ADVISOR_LOG_LEVEL=DEBUG) after every attack",
            "no user text, no token",
            f"{lines} lines; user text in: {leaks}, token in: {tokens}",
            not leaks and not tokens,
        )

    # -- 9. operator commands ----------------------------------------------------------------

    async def backups(self) -> None:
        live = str(self.polling.database)
        target = self.polling.folder / "backup.sqlite3"
        missing = self.polling.folder / "no-such-folder" / "b.sqlite3"
        onto_live = _cli("db", "backup", live, "--db", live)[0]
        onto_wal = _cli("db", "backup", live + "-wal", "--db", live)[0]
        into_missing = _cli("db", "backup", str(missing), "--db", live)[0]
        first = _cli("db", "backup", str(target), "--db", live)[0]
        again = _cli("db", "backup", str(target), "--db", live)[0]
        forced = _cli("db", "backup", str(target), "--db", live, "--force")[0]
        sound = _integrity(self.polling.database)
        codes = (onto_live, onto_wal, into_missing, first, again, forced)
        self.record(
            "9",
            "`db backup` onto the live file, its WAL, a missing folder; new file, again, --force",
            "2, 2, 2 (folder not created), 0, 2, 0; live file intact",
            f"{', '.join(map(str, codes))}; folder created: {missing.parent.exists()}; "
            f"integrity {sound}",
            codes == (2, 2, 2, 0, 2, 0) and not missing.parent.exists() and sound == "ok",
        )

    def evals(self) -> None:
        bad = {
            "an empty file": "",
            "a list": "- {q: hi, topic: null}\n",
            "`qs:` instead of `questions:`": "qs:\n  - {q: hi, topic: null}\n",
            "an unknown topic id": "questions:\n  - {q: hi, topic: no-such-topic}\n",
        }
        folder = Path(tempfile.mkdtemp(prefix="ta-advisor-eval-"))
        for name, content in bad.items():
            path = folder / "set.yaml"
            path.write_text(content)
            code, out = _cli("eval", str(path))
            self.record(
                "9",
                f"`eval` on {name}",
                "refused (exit 2), no PASS",
                f"exit {code}, PASS printed: {'PASS' in out}",
                code == 2 and "PASS" not in out,
            )

    # -- 2. one instance -----------------------------------------------------------------------

    async def second_process(self) -> None:
        log = self.polling.folder / "second.log"
        proc = self.polling.spawn(log)
        try:
            code = await asyncio.to_thread(proc.wait, 120)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = None
        output = log.read_text()
        self.record(
            "2",
            "a second bot on the same database",
            "exit 1 with one line",
            f"exit {code}, {output.count(chr(10))} line(s): {_shown(output, self.polling.data)!r}",
            code == 1 and output.count("\n") == 1,
        )

    # -- 4. storage faults ----------------------------------------------------------------------

    async def deleted_while_running(self) -> None:
        db = self.polling.database
        moved = db.with_name("moved-away.sqlite3")
        db.rename(moved)
        try:
            gone = await self._health(self.metrics_port)
        finally:
            moved.rename(db)
        back = await self._health(self.metrics_port)
        self.record(
            "4",
            "the database file moved away under the running bot, then put back",
            "/healthz 503 naming the problem, then 200",
            f"{gone[0]} {json.loads(gone[1]).get('db_problem')!r}, then {back[0]}",
            gone[0] == 503 and "gone" in gone[1] and back[0] == 200,
        )

    async def _refused_start(self, log_name: str) -> tuple[int | None, str]:
        log = self.polling.folder / log_name
        proc = self.polling.spawn(log)
        try:
            code = await asyncio.to_thread(proc.wait, 180)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = None
        return code, log.read_text()

    async def faults_at_start(self) -> None:
        """With the bot stopped: an empty, a deleted and a damaged database file."""
        db = self.polling.database
        saved = db.read_bytes()
        damaged = bytearray(saved)
        damaged[4096:] = b"\xff" * (len(damaged) - 4096)
        faults = {
            "an empty (0-byte) database file": (b"", ("is empty",)),
            "a deleted database file": (None, ("is missing",)),
            "a damaged database file (every page after the first)": (
                bytes(damaged),
                ("is damaged", "is unusable"),
            ),
        }
        try:
            for name, (content, words) in faults.items():
                db.unlink(missing_ok=True)
                if content is not None:
                    db.write_bytes(content)
                code, output = await self._refused_start(f"fault-{len(self.results)}.log")
                lines = output.count("\n")
                self.record(
                    "4",
                    f"start on {name}",
                    f"exit 1, one line saying it {' or '.join(words)}",
                    f"exit {code}, {lines} line(s): {_shown(output, self.polling.data)!r}",
                    code == 1 and lines == 1 and any(w in output for w in words),
                )
        finally:
            db.write_bytes(saved)

    # -- 5. hostile text -----------------------------------------------------------------------

    async def hostile_text(self) -> None:
        """Others' answer time while one user sends ten 4,096-character hostile messages."""
        other = self.emu.create_user("Bystander")

        async def timed() -> float:
            start = time.monotonic()
            await _say(self.emu, other, "What does Trade Assurance cover?")
            return time.monotonic() - start

        baseline = min([await timed() for _ in range(3)])
        flooder = self.emu.create_user("Flooder")
        group = self.emu.create_group("Hostile")
        for n in range(10):
            family = ("1," * 2048, "$1" * 2048, "?" * 4096, "1 " * 2048, "9" * 4096)[n % 5]
            self.emu.send_text(flooder, group if n % 2 else None, family[:4096])
        during = await timed()
        extra = during - baseline
        self.record(
            "5",
            "ten 4,096-character hostile messages (separators, digits, currency, ?), "
            "then another user's question",
            "the other user's answer at most ~0.5 s slower",
            f"baseline {baseline * 1000:.0f} ms, during {during * 1000:.0f} ms",
            extra <= 0.5,
            timed=True,
        )


def _shown(output: str, data: Path) -> str:
    """A refusal line as the table shows it: the temporary folder shortened."""
    return output.strip().replace(str(data), "DATA")[:140]


def _integrity(path: Path) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as raw:
        return str(raw.execute("PRAGMA quick_check").fetchone()[0])


async def run_attacks() -> list[Result]:
    folder = Path(tempfile.mkdtemp(prefix="ta-advisor-attacks-"))
    async with Emulator() as emu:
        emu.webhook_retry = True
        hook_port = free_port()
        webhook = BotProcess(
            emu,
            folder / "webhook",
            TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{hook_port}/telegram",
            TELEGRAM_WEBHOOK_SECRET=SECRET,
            TELEGRAM_WEBHOOK_PORT=str(hook_port),
            TA_ADVISOR_METRICS_TOKEN=METRICS_TOKEN,
            TA_ADVISOR_LOG_LEVEL="DEBUG",
        )
        admin = emu.create_user("Admin")
        polling = BotProcess(
            emu,
            folder / "polling",
            TA_ADVISOR_ADMIN_IDS=str(admin.id),
            TA_ADVISOR_METRICS_PORT=str(free_port()),
            TA_ADVISOR_LOG_LEVEL="DEBUG",
        )
        for bot in (webhook, polling):
            bot.folder.mkdir(parents=True)
        attacks = Attacks(emu, webhook, polling, admin)
        # One bot at a time on the emulator's single update stream: webhook first.
        await webhook.start()
        try:
            for step in (
                attacks.webhook_listen,
                attacks.secret_bytes,
                attacks.wrong_secret,
                attacks.absurd_json,
                attacks.replay,
                attacks.metrics_and_health,
                attacks.slow_headers,
                attacks.slow_body,
                attacks.idle_connections,
            ):
                await attacks.attempt(step)
        finally:
            webhook.stop()
        await polling.start()  # it deletes the webhook, as an operator switching back would
        try:
            for step in (
                attacks.metrics_listen,
                attacks.deleted_while_running,
                attacks.unparseable_update,
                attacks.forget,
                attacks.report_escapes,
                attacks.unanswered_brackets,
                attacks.hostile_text,
                attacks.backups,
                attacks.second_process,
            ):
                await attacks.attempt(step)
            attacks.file_modes()
            attacks.evals()
        finally:
            polling.stop()
        await attacks.attempt(attacks.faults_at_start)
        attacks.debug_logs()
        return attacks.results


def markdown(results: list[Result]) -> str:
    lines = [
        "| # | attack | expected | observed | result |",
        "|---|--------|----------|----------|--------|",
    ]
    for r in results:
        cells = [r.finding, r.attack, r.expected, r.observed, "pass" if r.ok else "**FAIL**"]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="also write the results as a Markdown table")
    args = parser.parse_args(argv)
    results = asyncio.run(run_attacks())
    failures = sum(not r.ok for r in results)
    print(f"{len(results) - failures} of {len(results)} attacks refused or harmless")
    if args.out is not None:
        args.out.write_text(markdown(results))
    return failures


if __name__ == "__main__":
    sys.exit(main())
