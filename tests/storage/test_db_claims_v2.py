"""Migration V2_CLAIMS (#16): one current assessment per check, with its reminder following it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from bot.storage import Database, InspectableStorage
from bot.storage.migrations import MIGRATIONS, V1_INITIAL, V2_CLAIMS, split_statements
from tests.storage.conftest import OpenStore

DUE = dt.datetime(2026, 3, 24, 9, tzinfo=dt.UTC)


async def _finish(db: InspectableStorage, check_id: str | None, due: dt.datetime | None) -> int:
    return await db.finish_check(
        7,
        "{}",
        facts_json="{}",
        assessment_json="{}",
        verdict="eligible",
        deadline=dt.date(2026, 3, 31),
        check_id=check_id,
        reminder_due=due,
    )


async def test_a_correction_supersedes_and_moves_the_reminder(open_store: OpenStore) -> None:
    async with await open_store() as db:
        first = await _finish(db, "abc", DUE)
        await db.add_reminder(7, 7, due_at=DUE, text="assessment", assessment_id=first)
        other = await _finish(db, "other-check", None)  # another check is not touched
        later = DUE + dt.timedelta(days=5)
        second = await _finish(db, "abc", later)
        by_id = {a.id: a for a in await db.list_assessments(7)}
        assert by_id[first].superseded_by == second and by_id[first].superseded
        assert not by_id[second].superseded and not by_id[other].superseded
        (reminder,) = await db.pending_reminders(7)
        assert (reminder.assessment_id, reminder.due_at) == (second, later)
        current = await db.current_assessment(7, first)
        assert current is not None and current.id == second
        assert await db.current_assessment(8, first) is None  # not another user's

        third = await _finish(db, "abc", None)  # nothing left to remind about
        assert await db.pending_reminders(7) == []
        current = await db.current_assessment(7, first)
        assert current is not None and current.id == third


async def test_assessments_without_a_check_id_never_supersede(open_store: OpenStore) -> None:
    async with await open_store() as db:
        one, two = await _finish(db, None, None), await _finish(db, None, None)
        assert not any(a.superseded for a in await db.list_assessments(7))
        assert one != two


async def test_v2_claims_migrates_a_version_1_database_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    raw = sqlite3.connect(path)
    for statement in split_statements(V1_INITIAL):
        raw.execute(statement)
    raw.execute(
        """INSERT INTO assessments
           (user_id, created_at, verdict, deadline, facts_json, assessment_json)
           VALUES (7, 1, 'eligible', '2026-03-31', '{}', '{}')"""
    )
    raw.execute(
        """INSERT INTO reminders (user_id, chat_id, due_at, text, assessment_id, created_at)
           VALUES (7, 7, 2, '<b>old text</b>', 1, 1)"""
    )
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    async with await Database.open(path) as db:
        assert await db.schema_version() == len(MIGRATIONS)
        (old,) = await db.list_assessments(7)
        assert old.check_id is None and not old.superseded
        (reminder,) = await db.pending_reminders(7)
        assert reminder.assessment_id == old.id


def test_v2_claims_only_adds_columns_and_an_index() -> None:
    """Independent of the other migrations of this release: it can run in either order."""
    for statement in split_statements(V2_CLAIMS):
        body = " ".join(line.split("--")[0] for line in statement.splitlines()).strip()
        assert body.startswith(
            ("ALTER TABLE assessments ADD", "ALTER TABLE check_states ADD", "CREATE INDEX")
        ), body


async def test_a_saved_state_is_unseen_until_marked_shown(open_store: OpenStore) -> None:
    async with await open_store() as db:
        assert await db.check_shown(7)  # no check at all
        await db.save_check(7, "{}")
        assert not await db.check_shown(7)
        await db.mark_check_shown(7)
        assert await db.check_shown(7) and await db.load_check(7) == "{}"
