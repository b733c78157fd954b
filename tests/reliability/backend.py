"""Which database the reliability tests run on, and backend-neutral reads of what the bot stored.

With `TA_ADVISOR_TEST_BACKEND=postgresql` the end-to-end tests run on a PostgreSQL database of
their own (tests/postgres_server.py, through the `backend_settings` fixture); otherwise on the
SQLite file in the bot's data folder. Outcomes are read through the storage interfaces
(`Inspection`) where they name them, and otherwise by a query through the storage's own
connection in SQL both engines accept, so one assertion holds the bot to the same outcome on
both. Tests about the SQLite file itself are marked `sqlite_only` with the reason.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.storage.factory import open_storage
from bot.storage.interfaces import InspectableStorage

ON_POSTGRES = os.environ.get("TA_ADVISOR_TEST_BACKEND") == "postgresql"
SQLITE_FILE = "ta-advisor.sqlite3"


def sqlite_only(reason: str) -> pytest.MarkDecorator:
    """Skip on the PostgreSQL run: the test is about the SQLite file itself."""
    return pytest.mark.skipif(ON_POSTGRES, reason=f"about the SQLite file: {reason}")


def location(data_dir: Path, backend_settings: dict[str, Any]) -> str:
    """Where the bot keeps its data: the test's PostgreSQL URL, or the SQLite file."""
    url = backend_settings.get("database_url")
    return str(url) if url else str(data_dir / SQLITE_FILE)


def bot_env(backend_settings: dict[str, Any]) -> dict[str, str]:
    """The environment that points a `ta-advisor run` process at the test's database."""
    url = backend_settings.get("database_url")
    return {"TA_ADVISOR_DATABASE_URL": str(url)} if url else {}


@asynccontextmanager
async def opened(where: str | Path) -> AsyncIterator[InspectableStorage]:
    """The storage at `where` (a URL or a SQLite path), as a separate client would open it."""
    storage = await open_storage(where)
    try:
        yield storage
    finally:
        await storage.close()


def _numbered(sql: str) -> str:
    counter = iter(range(1, sql.count("?") + 1))
    return re.sub(r"\?", lambda _: f"${next(counter)}", sql)


async def rows(storage: InspectableStorage, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """A read in SQL both engines accept (`?` placeholders), through the storage's connection."""
    if storage.kind == "postgresql":
        found = await storage._rows(_numbered(sql), *args)  # type: ignore[attr-defined]
    else:
        found = await storage._rows(sql, args)  # type: ignore[attr-defined]
    return [tuple(row) for row in found]


async def write(storage: InspectableStorage, sql: str, *args: Any) -> None:
    """A test-only write in SQL both engines accept (`?` placeholders)."""
    if storage.kind == "postgresql":
        await storage._execute(_numbered(sql), *args)  # type: ignore[attr-defined]
    else:
        await storage._write(sql, args)  # type: ignore[attr-defined]


async def sound(storage: InspectableStorage) -> bool:
    """The store is whole: SQLite's integrity check of the file; on PostgreSQL, whose server
    answers for its own pages, that it reads and takes writes with every table in place."""
    if storage.kind == "sqlite":
        return await storage.integrity_check() == "ok"  # type: ignore[attr-defined, no-any-return]
    tables = set(await storage.tables())
    return (await storage.health())["db"] is True and {"inbox", "users"} <= tables


async def fail_inserts(storage: InspectableStorage, table: str, message: str) -> None:
    """A trigger that refuses every insert into `table` with `message`, as a failing disk would."""
    if storage.kind == "sqlite":
        await write(
            storage,
            f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
            f"BEGIN SELECT RAISE(FAIL, '{message}'); END",
        )
        return
    await write(
        storage,
        f"CREATE FUNCTION refuse_{table}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$",
    )
    await write(
        storage,
        f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION refuse_{table}()",
    )
