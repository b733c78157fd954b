"""`ta-advisor db migrate-to URL`: move an existing SQLite database onto a PostgreSQL server.

The SQLite file is first brought to this version's schema (so both sides have the same
columns), read from one read-only snapshot and copied table by table with PostgreSQL's COPY in
one transaction: the server ends up with all of it or none of it. Identity counters continue
after the copied ids (an assessment or reminder id is never reused), and claims, which belonged
to the old process, are dropped. The bot must be stopped meanwhile: the single-instance lock of
the SQLite file is taken, so a running bot makes this refuse instead of losing its last writes.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.storage.db import Database
from bot.storage.errors import StorageError
from bot.storage.lock import InstanceLock
from bot.storage.postgres import PostgresDatabase, redact


def _read_all(
    path: Path, tables: list[str]
) -> dict[str, tuple[list[str], list[tuple[object, ...]]]]:
    """Every table's column names and rows, from one read-only snapshot of the file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        conn.execute("BEGIN")
        data = {}
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in cursor.description]
            data[table] = (columns, [tuple(row) for row in cursor.fetchall()])
        conn.rollback()
        return data
    finally:
        conn.close()


async def migrate_to(sqlite_path: Path, url: str) -> dict[str, int]:
    """Copy the SQLite database at `sqlite_path` into the (empty) PostgreSQL database at
    `url`; returns the rows copied per table. `StorageError` says why it cannot."""
    path = sqlite_path.expanduser()
    if not path.exists():
        raise StorageError(f"no SQLite database at {path}")
    lock = InstanceLock(path)
    lock.acquire()  # refuses while the bot runs on this file
    try:
        async with await Database.open(path, verify=True) as source:
            tables = await source.tables()
        data = await asyncio.to_thread(_read_all, path, tables)
        async with await PostgresDatabase.open(url, verify=True) as target:
            return await target.load_copy(data)
    except StorageError as exc:
        raise StorageError(f"migration to {redact(url)} not done: {exc}") from None
    finally:
        lock.release()
