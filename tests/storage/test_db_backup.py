"""`Database.backup`: an online copy through SQLite's backup API."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.storage import Database


def table_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as raw:
        tables = [
            row[0]
            for row in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {t: raw.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}


async def test_backup_of_an_open_database_has_the_same_rows(tmp_path: Path) -> None:
    source = tmp_path / "live" / "bot.sqlite3"
    dest = tmp_path / "backups" / "copy.sqlite3"
    async with await Database.open(source) as db:
        await db.touch_user(1, chat_type="private")
        await db.save_check(1, '{"step": 3}')
        await db.log_question(1, "private", "unknown thing", None, "none")
        await db.set_warnings_enabled(-5, False)
        await db.backup(dest)

        # Still open and uncheckpointed: the rows live in the WAL, yet the copy has them.
        assert (source.parent / "bot.sqlite3-wal").exists()
        copy = table_rows(dest)
        with sqlite3.connect(dest) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert raw.execute("PRAGMA journal_mode").fetchone() == ("delete",)
            assert raw.execute("PRAGMA user_version").fetchone()[0] == await db.schema_version()
        assert copy["check_states"][0][:2] == (1, '{"step": 3}')
        assert not list(dest.parent.glob("*.partial"))

        await db.save_check(1, '{"step": 4}')  # the live database goes on
    assert table_rows(dest) == copy
    assert table_rows(source)["check_states"][0][1] == '{"step": 4}'

    async with await Database.open(dest) as restored:
        assert await restored.load_check(1) == '{"step": 3}'
        assert await restored.top_unanswered() == [("unknown thing", 1)]


async def test_backup_replaces_an_existing_file(tmp_path: Path) -> None:
    dest = tmp_path / "copy.sqlite3"
    dest.write_bytes(b"not a database")
    async with await Database.open(tmp_path / "bot.sqlite3") as db:
        await db.save_check(9, "{}")
        await db.backup(dest)
    assert table_rows(dest)["check_states"][0][0] == 9


async def test_backup_during_writes_is_consistent(tmp_path: Path) -> None:
    dest = tmp_path / "copy.sqlite3"
    async with await Database.open(tmp_path / "bot.sqlite3") as db:

        async def writer() -> None:
            for n in range(200):
                await db.log_check_event(n % 7, "started")
                await db.save_check(n % 7, f'{{"n": {n}}}')

        await asyncio.gather(writer(), db.backup(dest))
    with sqlite3.connect(dest) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        events = raw.execute("SELECT COUNT(*) FROM check_events").fetchone()[0]
        assert 0 <= events <= 200
