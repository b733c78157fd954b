"""A throw-away PostgreSQL server for the tests: the `postgres_server` and `postgres_url` fixtures.

The server is a real one (the distribution's binaries: Debian's `postgresql` package puts them
in /usr/lib/postgresql/<version>/bin), initialised in a temporary folder and listening on a free
port of 127.0.0.1 and a private socket folder, started once per test session and removed at the
end. PostgreSQL refuses to run as root, so under root the cluster belongs to the `postgres`
user the package creates. Each test gets a database of its own (`postgres_url`).

`TA_ADVISOR_TEST_POSTGRES_URL` points the tests at a server that is already running instead
(its user must be allowed to create databases). Without either, the PostgreSQL tests are
skipped with the reason, except under CI (`CI=true`), where a missing server is a failure:
`.ci/run` installs it.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import pytest

ENV_URL = "TA_ADVISOR_TEST_POSTGRES_URL"
ENV_BINDIR = "TA_ADVISOR_TEST_POSTGRES_BINDIR"
MISSING = (
    "PostgreSQL server binaries not found (Debian: apt-get install postgresql; or set "
    f"{ENV_URL} to a running server): PostgreSQL tests skipped"
)


def find_bindir() -> Path | None:
    """Where `initdb`, `pg_ctl` and `postgres` are: an explicit folder, the newest Debian
    version folder, or PATH."""
    explicit = os.environ.get(ENV_BINDIR)
    if explicit:
        return Path(explicit)
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name.split(".")[0] or 0),
    )
    if versions:
        return Path(versions[-1]).parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """A running server; `admin_url` reaches its maintenance database."""

    admin_url: str
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def url_for(self, database: str) -> str:
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{database}"

    async def create_database(self) -> str:
        name = f"t{next(self._counter)}_{uuid.uuid4().hex[:8]}"
        conn = await asyncpg.connect(self.admin_url)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        return name

    async def drop_database(self, name: str) -> None:
        conn = await asyncpg.connect(self.admin_url)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


class Cluster:
    """initdb + pg_ctl in a temporary folder, as an unprivileged user when we are root."""

    def __init__(self, bindir: Path, *, durable: bool = False) -> None:
        self.bindir = bindir
        self.durable = durable
        """False (tests): no fsync, faster; True (benchmarks): the server's real durability."""
        self.root = Path(tempfile.mkdtemp(prefix="ta-advisor-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root and there is no `postgres` user") from None
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        self.role = self.user.pw_name if self.user else pwd.getpwuid(os.getuid()).pw_name

    def _run(self, *args: str) -> None:
        kwargs: dict[str, Any] = {}
        if self.user is not None:
            kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        done = subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            check=False,
            cwd=self.root,
            timeout=120,
            **kwargs,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.strip()[-800:]}")

    def start(self) -> str:
        self._run(
            "initdb", "-D", str(self.data), "-U", self.role, "--auth=trust", "-E", "UTF8",
            "--no-locale", "--no-sync",
        )  # fmt: skip
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
        options += "-c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"),
            "-w", "-t", "60", "start",
        )  # fmt: skip
        return f"postgresql://{self.role}@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the PostgreSQL tests: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One server for the whole session (started at first use)."""
    external = os.environ.get(ENV_URL)
    if external:
        yield PostgresServer(admin_url=external)
        return
    bindir = find_bindir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        _unavailable(MISSING)
        return
    cluster = Cluster(bindir)
    try:
        url = cluster.start()
    except (RuntimeError, OSError) as exc:
        cluster.stop()
        _unavailable(f"cannot start a PostgreSQL server: {exc}")
        return
    try:
        yield PostgresServer(admin_url=url)
    finally:
        cluster.stop()


@pytest.fixture
async def postgres_url(postgres_server: PostgresServer) -> AsyncIterator[str]:
    """A fresh, empty database of its own for one test."""
    name = await postgres_server.create_database()
    try:
        yield postgres_server.url_for(name)
    finally:
        await postgres_server.drop_database(name)


@pytest.fixture
def backend_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Settings overrides for the bot's database: none (a SQLite file), or with
    `TA_ADVISOR_TEST_BACKEND=postgresql` a fresh PostgreSQL database of the test's own."""
    if os.environ.get("TA_ADVISOR_TEST_BACKEND") != "postgresql":
        return {}
    return {"database_url": request.getfixturevalue("postgres_url")}
