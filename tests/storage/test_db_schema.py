"""Opening, migrating and configuring the database file."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

import bot.storage.db as db_module
from bot.storage import USER_FREE_TABLES, Database, StorageError
from bot.storage.migrations import MIGRATIONS, SCHEMA_VERSION, split_statements

EXPECTED_TABLES = {
    "users",
    "check_states",
    "assessments",
    "reminders",
    "feedback",
    "question_log",
    "check_events",
    "group_settings",
    "inbox",
}


async def test_fresh_database_is_migrated_to_the_latest_version(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "bot.sqlite3"
    db = await Database.open(path)
    try:
        assert path.exists()
        assert await db.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)
        assert set(await db.tables()) == EXPECTED_TABLES
        assert await db.ping()
        assert await db.integrity_check() == "ok"
    finally:
        await db.close()


async def test_pragmas_wal_foreign_keys_synchronous_busy_timeout(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        assert (await db._rows("PRAGMA journal_mode"))[0][0] == "wal"
        rows = {
            name: (await db._rows(f"PRAGMA {name}"))[0][0]
            for name in ("foreign_keys", "synchronous", "busy_timeout")
        }
        assert rows == {"foreign_keys": 1, "synchronous": 1, "busy_timeout": 5000}
    finally:
        await db.close()
    # WAL is a property of the file: another connection sees it too.
    with sqlite3.connect(tmp_path / "bot.sqlite3") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_reopening_keeps_data_and_version(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await db.save_check(7, '{"v": 1}')
    await db.close()
    for _ in range(3):
        db = await Database.open(path)
        assert await db.schema_version() == SCHEMA_VERSION
        assert await db.load_check(7) == '{"v": 1}'
        await db.close()


async def test_memory_database_for_tests() -> None:
    async with await Database.open(":memory:") as db:
        assert await db.schema_version() == SCHEMA_VERSION
        await db.save_check(1, "{}")
        assert await db.load_check(1) == "{}"


async def test_close_is_idempotent_and_ping_reports_closed(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await db.close()
    await db.close()
    assert not await db.ping()


async def test_database_from_a_newer_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StorageError, match="newer"):
        await Database.open(path)


async def test_failed_migration_rolls_back_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bot.sqlite3"
    await (await Database.open(path)).close()
    broken = "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(db_module, "MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(sqlite3.OperationalError):
        await Database.open(path)
    monkeypatch.undo()
    db = await Database.open(path)
    try:
        assert await db.schema_version() == SCHEMA_VERSION
        assert "half_done" not in await db.tables()
    finally:
        await db.close()


async def test_new_migration_is_applied_once_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bot.sqlite3"
    await (await Database.open(path)).close()
    extra = "CREATE TABLE notes (user_id INTEGER NOT NULL, body TEXT);"
    monkeypatch.setattr(db_module, "MIGRATIONS", (*MIGRATIONS, extra))
    for _ in range(2):
        db = await Database.open(path)
        assert await db.schema_version() == SCHEMA_VERSION + 1
        assert "notes" in await db.user_tables()
        await db.close()


async def test_every_table_with_user_data_has_a_user_id_column() -> None:
    async with await Database.open(":memory:") as db:
        tables = set(await db.tables())
        assert set(await db.user_tables()) == tables - USER_FREE_TABLES


def test_split_statements_respects_quotes_comments_and_triggers() -> None:
    script = """
    -- a comment; with a semicolon
    CREATE TABLE t (x TEXT DEFAULT 'a;b');
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN
        UPDATE t SET x = 'c;d';
        DELETE FROM t WHERE x = ';';
    END;
    INSERT INTO t VALUES ('e')
    """
    statements = split_statements(script)
    assert len(statements) == 3
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
    with sqlite3.connect(":memory:") as raw:
        for statement in statements:
            raw.execute(statement)


def test_split_statements_rejects_a_truncated_script() -> None:
    with pytest.raises(ValueError, match="incomplete"):
        split_statements("CREATE TABLE t (x TEXT DEFAULT 'oops);")


def test_the_shipped_migrations_split_cleanly() -> None:
    for script in MIGRATIONS:
        assert split_statements(script)


async def test_concurrent_first_opens_migrate_once(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    databases = await asyncio.gather(*(Database.open(path) for _ in range(6)))
    try:
        for db in databases:
            assert await db.schema_version() == SCHEMA_VERSION
            assert (await db._rows("PRAGMA journal_mode"))[0][0] == "wal"
        await databases[0].save_check(1, "{}")
        assert await databases[-1].load_check(1) == "{}"
    finally:
        for db in databases:
            await db.close()
