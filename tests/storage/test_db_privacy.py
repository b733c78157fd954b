"""`/forget`: every row about the user goes, in every table, and nobody else's."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.storage import USER_FREE_TABLES, Database

DUE = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
MARK = "zebra-ledger-4471"
"""A string only user 1 ever typed; it must be gone from the whole file after /forget."""


async def populate(db: Database, user_id: int, *, text: str) -> None:
    """Give the user a row in every table that can hold user data."""
    await db.touch_user(user_id, chat_type="private")
    await db.save_check(user_id, f'{{"note": "{text}"}}')
    aid = await db.add_assessment(
        user_id,
        facts_json=f'{{"note": "{text}"}}',
        assessment_json="{}",
        verdict="eligible",
        deadline=dt.date(2026, 4, 4),
    )
    await db.add_reminder(user_id, user_id, due_at=DUE, text=text, assessment_id=aid)
    await db.add_feedback(user_id, "fees", True)
    await db.log_question(user_id, "private", text, None, "none")
    await db.log_question(user_id, "private", "fees", "fees", "answer")
    await db.log_check_event(user_id, "started")
    await db.log_check_event(user_id, "finished")
    payload = f'{{"update_id": {user_id}, "message": {{"text": "{text}"}}}}'
    await db.inbox_accept([(user_id * 1000, user_id, user_id, payload)])


def raw_files(path: Path) -> bytes:
    """The database file and its WAL, byte for byte (what a disk image would show)."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def dump_everything(path: Path) -> str:
    """Every value of every row of every table, as one string."""
    with sqlite3.connect(path) as raw:
        tables = [
            row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return repr([raw.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables])


async def test_forget_user_leaves_nothing_and_keeps_others(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with await Database.open(path) as db:
        await populate(db, 1, text=MARK)
        await populate(db, 2, text="someone else")
        await db.claim_warning_slot(-100, DUE, 60)

        before_1 = await db.rows_for_user(1)
        before_2 = await db.rows_for_user(2)
        assert set(before_1) == set(await db.tables()) - USER_FREE_TABLES
        assert all(count > 0 for count in before_1.values()), before_1
        assert MARK in dump_everything(path)

        deleted = await db.forget_user(1)

        assert deleted == sum(before_1.values())
        assert await db.rows_for_user(1) == dict.fromkeys(before_1, 0)
        assert await db.rows_for_user(2) == before_2
        assert (await db.group_settings(-100)).last_warning_at == DUE
        assert await db.load_check(1) is None
        assert await db.list_assessments(1) == []
        assert await db.pending_reminders(1) == []
        assert await db.forget_user(1) == 0
        # While the bot still runs: not in the pages, not in the WAL (secure_delete, checkpoint).
        assert MARK.encode() not in raw_files(path)
        assert b"someone else" in raw_files(path)

    # Inspected with a separate connection, after the WAL is checkpointed on close.
    with sqlite3.connect(path) as raw:
        for table in before_1:
            count = raw.execute(f'SELECT COUNT(*) FROM "{table}" WHERE user_id = 1').fetchone()
            assert count == (0,), table
        assert raw.execute("SELECT COUNT(*) FROM reminders WHERE chat_id = 1").fetchone() == (0,)
    assert MARK not in dump_everything(path)


async def test_forget_user_is_all_or_nothing(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "bot.sqlite3") as db:
        await populate(db, 1, text=MARK)
        before = await db.rows_for_user(1)
        # A table that cannot be deleted from makes the last DELETE fail.
        db._user_tables = (*db._user_tables, "no_such_table")
        with pytest.raises(sqlite3.OperationalError):
            await db.forget_user(1)
        db._user_tables = db._user_tables[:-1]
        assert await db.rows_for_user(1) == before
        # The connection is usable again afterwards.
        assert await db.forget_user(1) == sum(before.values())
