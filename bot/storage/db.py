"""`Database`: the bot's durable state in one SQLite file, behind a small async API.

Durability. The connection runs in autocommit mode, so every single-statement write is its
own transaction, committed before the awaited call returns; multi-statement changes
(`forget_user`, migrations) use an explicit `BEGIN IMMEDIATE … COMMIT`. The journal is WAL with
`synchronous=NORMAL`: per the SQLite documentation a committed transaction then survives the
process being killed (`kill -9`, a crash) because it is already in the WAL file handed to the
OS; only an OS crash or power loss can roll back the last few commits, which is acceptable for
a chat bot and much faster than FULL.

Concurrency. One aiosqlite connection, whose worker thread runs statements one at a time. An
`asyncio.Lock` additionally keeps every call's statements together, so no coroutine's statement
can land inside another's explicit transaction. Other processes (a second bot instance,
`ta-advisor db backup` from a shell) are handled by SQLite's locking and `busy_timeout`.

Time. Instants are stored as unix seconds, dates as ISO text (see `migrations`). Methods that
record "now" read the injected clock (default: the system clock in UTC); methods that take a
datetime require an aware one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite

from bot.storage.migrations import MIGRATIONS, split_statements
from bot.storage.records import GroupSettings, Reminder, Stats, StoredAssessment
from bot.storage.stats import compute_stats
from bot.storage.timestamps import (
    from_iso_date,
    from_unix,
    optional_from_unix,
    to_iso_date,
    to_unix,
    utc_now,
)

BUSY_TIMEOUT_MS = 5000
"""How long a statement waits for another process's lock before failing."""

MAX_QUESTION_CHARS = 1000
"""Unanswered questions are kept for curators; longer texts are cut to this many characters."""

CHECK_EVENTS = frozenset({"started", "finished", "cancelled"})

USER_FREE_TABLES = frozenset({"group_settings"})
"""Tables without a `user_id` column; anything else must have one (the privacy test checks)."""

Clock = Callable[[], dt.datetime]


class StorageError(Exception):
    """The database cannot be used as it is (e.g. created by a newer version of the bot)."""


def question_key(text: str) -> str:
    """What makes two unanswered questions "the same" for `/unanswered`: case, spacing and
    trailing punctuation do not count."""
    key = re.sub(r"\s+", " ", text.casefold()).strip()
    return key.rstrip("?!.…,;: ").strip()


class Database:
    """The bot's storage; create with `await Database.open(path)`, end with `await close()`."""

    def __init__(self, conn: aiosqlite.Connection, *, clock: Clock = utc_now) -> None:
        self._conn = conn
        self._clock = clock
        self._lock = asyncio.Lock()
        self._user_tables: tuple[str, ...] = ()
        self._closed = False

    # -- life cycle ------------------------------------------------------------------------

    @classmethod
    async def open(cls, path: Path | str, *, clock: Clock | None = None) -> Database:
        """Open (creating if needed) the database at `path` and bring its schema up to date.

        `":memory:"` gives a private in-memory database for tests (no WAL there).
        """
        target = str(path)
        in_memory = target == ":memory:" or target.startswith("file::memory:")
        if not in_memory:
            Path(target).expanduser().parent.mkdir(parents=True, exist_ok=True)
            target = str(Path(target).expanduser())
        conn = await aiosqlite.connect(target, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA foreign_keys = ON")
            if not in_memory and await _enable_wal(conn) != "wal":
                raise StorageError(f"cannot switch {target} to WAL mode")
            await conn.execute("PRAGMA synchronous = NORMAL")
            db = cls(conn, clock=clock or utc_now)
            await db._migrate()
            db._user_tables = tuple(await db._tables_with_user_id())
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        """Close the connection; safe to call twice."""
        if not self._closed:
            self._closed = True
            await self._conn.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _migrate(self) -> None:
        """Apply the missing migrations, each with its version bump in one transaction.

        The version is re-read after taking the write lock, so two processes starting at once
        cannot apply the same migration twice.
        """
        current = await self.schema_version()
        if current > len(MIGRATIONS):
            raise StorageError(
                f"database schema version {current} is newer than this program's "
                f"({len(MIGRATIONS)}): upgrade ta-advisor"
            )
        for version in range(current + 1, len(MIGRATIONS) + 1):
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                if await self.schema_version() < version:
                    for statement in split_statements(MIGRATIONS[version - 1]):
                        await self._conn.execute(statement)
                    await self._conn.execute(f"PRAGMA user_version = {version}")
                await self._conn.execute("COMMIT")
            except BaseException:
                await self._conn.rollback()
                raise

    # -- small helpers ---------------------------------------------------------------------

    def _now(self) -> int:
        return to_unix(self._clock())

    async def _write(self, sql: str, params: Iterable[Any] = ()) -> tuple[int, int]:
        """Run one statement (autocommitted); return (rows changed, last row id)."""
        async with self._lock, self._conn.execute(sql, tuple(params)) as cursor:
            return cursor.rowcount, cursor.lastrowid or 0

    async def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        async with self._lock, self._conn.execute(sql, tuple(params)) as cursor:
            return list(await cursor.fetchall())

    async def _row(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        rows = await self._rows(sql, params)
        return rows[0] if rows else None

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """An explicit write transaction, rolled back on any error or cancellation."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                await self._conn.execute("COMMIT")
            except BaseException:
                await self._conn.rollback()
                raise

    # -- introspection and maintenance -----------------------------------------------------

    async def schema_version(self) -> int:
        """`PRAGMA user_version`: the number of migrations applied."""
        row = await self._row("PRAGMA user_version")
        return int(row[0]) if row is not None else 0

    async def ping(self) -> bool:
        """Whether the database answers a trivial query (for the health endpoint)."""
        if self._closed:
            return False
        try:
            row = await self._row("SELECT 1")
        except (sqlite3.Error, ValueError):
            return False
        return row is not None and row[0] == 1

    async def tables(self) -> list[str]:
        """The application's tables, SQLite's own (`sqlite_*`) left out."""
        rows = await self._rows(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
        return [str(row[0]) for row in rows]

    async def _tables_with_user_id(self) -> list[str]:
        names = []
        for table in await self.tables():
            columns = await self._rows(f'PRAGMA table_info("{table}")')
            if any(column["name"] == "user_id" for column in columns):
                names.append(table)
        return names

    async def user_tables(self) -> list[str]:
        """The tables that hold data about users (those with a `user_id` column)."""
        return list(self._user_tables)

    async def journal_mode(self) -> str:
        row = await self._row("PRAGMA journal_mode")
        return str(row[0]).lower() if row is not None else ""

    async def integrity_check(self) -> str:
        """`PRAGMA integrity_check`: "ok" for a sound file, else SQLite's findings."""
        rows = await self._rows("PRAGMA integrity_check")
        return "\n".join(str(row[0]) for row in rows)

    async def backup(self, dest: Path | str) -> None:
        """Copy the live database to `dest` with SQLite's online backup API.

        Consistent even while the bot writes (unlike a file copy, which can catch the WAL
        half-merged). The copy is written beside `dest`, switched to a self-contained
        rollback-journal file and then renamed over `dest`, so `dest` is never half-written.
        """
        final = Path(dest).expanduser()
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.with_name(final.name + ".partial")
        partial.unlink(missing_ok=True)
        target = sqlite3.connect(partial, check_same_thread=False)
        try:
            async with self._lock:
                await self._conn.backup(target)
            await asyncio.to_thread(_finish_backup, target)
        except BaseException:
            target.close()
            partial.unlink(missing_ok=True)
            raise
        target.close()
        os.replace(partial, final)

    # -- users -----------------------------------------------------------------------------

    async def touch_user(self, user_id: int, *, chat_type: str) -> None:
        """Record that the user interacted now (first_seen on the first call, last_seen always)."""
        now = self._now()
        await self._write(
            """INSERT INTO users (user_id, first_seen, last_seen, last_chat_type)
               VALUES (?1, ?2, ?2, ?3)
               ON CONFLICT (user_id) DO UPDATE
               SET last_seen = excluded.last_seen, last_chat_type = excluded.last_chat_type""",
            (user_id, now, chat_type),
        )

    # -- guided checks ---------------------------------------------------------------------

    async def save_check(self, user_id: int, state_json: str) -> None:
        """Store the user's check state; committed when this returns (survives a kill -9).
        The new state counts as not yet shown until `mark_check_shown` (used for verdicts)."""
        await self._write(
            """INSERT INTO check_states (user_id, state_json, updated_at, shown) VALUES (?, ?, ?, 0)
               ON CONFLICT (user_id) DO UPDATE
               SET state_json = excluded.state_json, updated_at = excluded.updated_at, shown = 0""",
            (user_id, state_json, self._now()),
        )

    async def mark_check_shown(self, user_id: int) -> None:
        """The screen of the stored check state reached the user."""
        await self._write("UPDATE check_states SET shown = 1 WHERE user_id = ?", (user_id,))

    async def check_shown(self, user_id: int) -> bool:
        """Whether the stored state's screen reached the user (True when there is none)."""
        row = await self._row("SELECT shown FROM check_states WHERE user_id = ?", (user_id,))
        return row is None or bool(row[0])

    async def load_check(self, user_id: int) -> str | None:
        row = await self._row("SELECT state_json FROM check_states WHERE user_id = ?", (user_id,))
        return None if row is None else str(row[0])

    async def delete_check(self, user_id: int) -> None:
        await self._write("DELETE FROM check_states WHERE user_id = ?", (user_id,))

    # -- assessments -----------------------------------------------------------------------

    async def add_assessment(
        self,
        user_id: int,
        *,
        facts_json: str,
        assessment_json: str,
        verdict: str,
        deadline: dt.date | None,
    ) -> int:
        """Keep a finished check for `/cases`; returns its id (never reused)."""
        _, row_id = await self._write(
            """INSERT INTO assessments
               (user_id, created_at, verdict, deadline, facts_json, assessment_json)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (
                user_id,
                self._now(),
                str(verdict),
                to_iso_date(deadline),
                facts_json,
                assessment_json,
            ),
        )
        return row_id

    async def finish_check(
        self,
        user_id: int,
        state_json: str,
        *,
        facts_json: str,
        assessment_json: str,
        verdict: str,
        deadline: dt.date | None,
        check_id: str | None = None,
        reminder_due: dt.datetime | None = None,
    ) -> int:
        """Store a check's result, its "finished" event and its final state in one transaction;
        returns the assessment id.

        All or nothing: a crash in between cannot leave a result stored beside a state still
        waiting for the confirmation, which the repeated tap would then store a second time.
        When the same check (`check_id`) was assessed before, the older assessments become
        superseded by this one and their unsent reminders move to it, due at `reminder_due`,
        or are cancelled when the new assessment offers no reminder.
        """
        now = self._now()
        async with self._transaction() as conn:
            async with conn.execute(
                """INSERT INTO assessments
                   (user_id, created_at, verdict, deadline, facts_json, assessment_json, check_id)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (
                    user_id,
                    now,
                    str(verdict),
                    to_iso_date(deadline),
                    facts_json,
                    assessment_json,
                    check_id,
                ),
            ) as cursor:
                row_id = cursor.lastrowid or 0
            if check_id is not None:
                await _supersede(conn, user_id, check_id, row_id, reminder_due)
            await conn.execute(
                "INSERT INTO check_events (user_id, event, created_at) VALUES (?, 'finished', ?)",
                (user_id, now),
            )
            await conn.execute(
                """INSERT INTO check_states (user_id, state_json, updated_at, shown)
                   VALUES (?, ?, ?, 0)
                   ON CONFLICT (user_id) DO UPDATE
                   SET state_json = excluded.state_json, updated_at = excluded.updated_at,
                       shown = 0""",
                (user_id, state_json, now),
            )
        return row_id

    async def list_assessments(self, user_id: int, limit: int = 10) -> list[StoredAssessment]:
        """The user's assessments, newest first."""
        rows = await self._rows(
            """SELECT * FROM assessments WHERE user_id = ?
               ORDER BY created_at DESC, id DESC LIMIT ?""",
            (user_id, max(limit, 0)),
        )
        return [_assessment(row) for row in rows]

    async def current_assessment(self, user_id: int, assessment_id: int) -> StoredAssessment | None:
        """The assessment that is current for the check `assessment_id` belongs to (itself,
        or the newest correction that superseded it); None if it is not the user's."""
        seen: set[int] = set()
        stored = await self.get_assessment(user_id, assessment_id)
        while stored is not None and stored.superseded_by is not None and stored.id not in seen:
            seen.add(stored.id)
            stored = await self.get_assessment(user_id, stored.superseded_by)
        return stored

    async def get_assessment(self, user_id: int, assessment_id: int) -> StoredAssessment | None:
        """One assessment, only if it belongs to `user_id` (button data can be forged)."""
        row = await self._row(
            "SELECT * FROM assessments WHERE id = ? AND user_id = ?", (assessment_id, user_id)
        )
        return None if row is None else _assessment(row)

    # -- reminders -------------------------------------------------------------------------

    async def add_reminder(
        self,
        user_id: int,
        chat_id: int,
        *,
        due_at: dt.datetime,
        text: str,
        assessment_id: int | None,
    ) -> int:
        """Schedule a reminder; returns its id. `assessment_id` must exist if given."""
        _, row_id = await self._write(
            """INSERT INTO reminders (user_id, chat_id, due_at, text, assessment_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (user_id, chat_id, to_unix(due_at), text, assessment_id, self._now()),
        )
        return row_id

    async def due_reminders(self, now: dt.datetime, limit: int = 100) -> list[Reminder]:
        """Unsent reminders with `due_at <= now`, oldest first (including overdue ones from
        before a restart)."""
        rows = await self._rows(
            """SELECT * FROM reminders WHERE sent_at IS NULL AND due_at <= ?
               ORDER BY due_at, id LIMIT ?""",
            (to_unix(now), max(limit, 0)),
        )
        return [_reminder(row) for row in rows]

    async def mark_reminder_sent(self, reminder_id: int) -> None:
        """Record delivery; a second call keeps the first time."""
        await self._write(
            "UPDATE reminders SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
            (self._now(), reminder_id),
        )

    async def pending_reminders(self, user_id: int) -> list[Reminder]:
        """The user's unsent reminders, soonest first."""
        rows = await self._rows(
            "SELECT * FROM reminders WHERE user_id = ? AND sent_at IS NULL ORDER BY due_at, id",
            (user_id,),
        )
        return [_reminder(row) for row in rows]

    async def delete_reminder(self, user_id: int, reminder_id: int) -> bool:
        """Cancel one of the user's reminders; False if it is not theirs or does not exist."""
        changed, _ = await self._write(
            "DELETE FROM reminders WHERE id = ? AND user_id = ?", (reminder_id, user_id)
        )
        return changed > 0

    # -- feedback --------------------------------------------------------------------------

    async def add_feedback(self, user_id: int, topic_id: str, helpful: bool) -> None:
        """One vote per user and topic: a later press replaces the earlier vote, so repeated
        taps on 👍 cannot inflate `/stats`."""
        await self._write(
            """INSERT INTO feedback (user_id, topic_id, helpful, created_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (user_id, topic_id) DO UPDATE
               SET helpful = excluded.helpful, created_at = excluded.created_at""",
            (user_id, topic_id, int(bool(helpful)), self._now()),
        )

    # -- question log ----------------------------------------------------------------------

    async def log_question(
        self,
        user_id: int | None,
        chat_type: str,
        text: str | None,
        topic_id: str | None,
        decision: str,
    ) -> None:
        """Count a question for `/stats`. Its text is kept only when nothing matched
        (`decision == "none"`), for curators; answered questions are stored without it."""
        keep = decision == "none" and text is not None and text.strip() != ""
        stored = text.strip()[:MAX_QUESTION_CHARS] if keep and text is not None else None
        await self._write(
            """INSERT INTO question_log
               (user_id, chat_type, decision, topic_id, text, text_key, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (
                user_id,
                chat_type,
                decision,
                topic_id,
                stored,
                question_key(stored) if stored is not None else None,
                self._now(),
            ),
        )

    async def top_unanswered(
        self, limit: int = 20, since: dt.datetime | None = None
    ) -> list[tuple[str, int]]:
        """The most frequent unmatched questions as (latest wording, count), most asked first.

        Questions differing only in case, spacing or trailing punctuation count as one.
        """
        rows = await self._rows(
            """SELECT q.text, g.n FROM (
                   SELECT text_key, COUNT(*) AS n, MAX(id) AS last_id FROM question_log
                   WHERE text_key IS NOT NULL AND (?1 IS NULL OR created_at >= ?1)
                   GROUP BY text_key
               ) AS g JOIN question_log AS q ON q.id = g.last_id
               ORDER BY g.n DESC, g.last_id DESC LIMIT ?2""",
            (to_unix(since) if since is not None else None, max(limit, 0)),
        )
        return [(str(row[0]), int(row[1])) for row in rows]

    # -- group settings --------------------------------------------------------------------

    async def group_settings(self, chat_id: int) -> GroupSettings:
        """The group's settings, or the defaults if it never changed any."""
        row = await self._row(
            "SELECT warnings_enabled, last_warning_at FROM group_settings WHERE chat_id = ?",
            (chat_id,),
        )
        if row is None:
            return GroupSettings(chat_id=chat_id)
        return GroupSettings(
            chat_id=chat_id,
            warnings_enabled=bool(row["warnings_enabled"]),
            last_warning_at=optional_from_unix(row["last_warning_at"]),
        )

    async def set_warnings_enabled(self, chat_id: int, enabled: bool) -> None:
        await self._write(
            """INSERT INTO group_settings (chat_id, warnings_enabled, updated_at) VALUES (?, ?, ?)
               ON CONFLICT (chat_id) DO UPDATE
               SET warnings_enabled = excluded.warnings_enabled,
                   updated_at = excluded.updated_at""",
            (chat_id, int(bool(enabled)), self._now()),
        )

    async def claim_warning_slot(self, chat_id: int, now: dt.datetime, cooldown_s: int) -> bool:
        """True (and `now` recorded) only if warnings are on and `cooldown_s` has passed since
        the last warning. One statement decides and records, so concurrent callers (even in
        other processes) can never both get the slot."""
        at = to_unix(now)
        changed, _ = await self._write(
            """INSERT INTO group_settings (chat_id, warnings_enabled, last_warning_at, updated_at)
               VALUES (?1, 1, ?2, ?2)
               ON CONFLICT (chat_id) DO UPDATE
               SET last_warning_at = excluded.last_warning_at, updated_at = excluded.updated_at
               WHERE group_settings.warnings_enabled = 1
                 AND (group_settings.last_warning_at IS NULL
                      OR ?2 - group_settings.last_warning_at >= ?3)""",
            (chat_id, at, max(cooldown_s, 0)),
        )
        return changed == 1

    # -- checks run ------------------------------------------------------------------------

    async def log_check_event(self, user_id: int, event: str) -> None:
        """Count a check "started", "finished" or "cancelled" for `/stats`."""
        if event not in CHECK_EVENTS:
            raise ValueError(
                f"unknown check event {event!r}; expected one of {sorted(CHECK_EVENTS)}"
            )
        await self._write(
            "INSERT INTO check_events (user_id, event, created_at) VALUES (?, ?, ?)",
            (user_id, event, self._now()),
        )

    # -- statistics ------------------------------------------------------------------------

    async def stats(self, since: dt.datetime | None = None, *, top_n: int = 10) -> Stats:
        """Usage from `since` (inclusive) until now; None means all time."""
        async with self._lock:
            await self._conn.execute("BEGIN")  # one snapshot: the numbers agree with each other
            try:
                return await compute_stats(self._conn, since, top_n=top_n)
            finally:
                await self._conn.rollback()

    # -- privacy ---------------------------------------------------------------------------

    async def forget_user(self, user_id: int) -> int:
        """Delete every row about the user in every table, atomically; returns rows deleted.

        The tables are found by their `user_id` column, so a table added by a later migration
        is covered without touching this method.
        """
        deleted = 0
        async with self._transaction() as conn:
            for table in self._user_tables:
                async with conn.execute(
                    f'DELETE FROM "{table}" WHERE user_id = ?', (user_id,)
                ) as cursor:
                    deleted += max(cursor.rowcount, 0)
        return deleted

    async def rows_for_user(self, user_id: int) -> dict[str, int]:
        """Rows per user-data table that mention the user (zero entries included)."""
        counts: dict[str, int] = {}
        for table in self._user_tables:
            row = await self._row(f'SELECT COUNT(*) FROM "{table}" WHERE user_id = ?', (user_id,))
            counts[table] = int(row[0]) if row is not None else 0
        return counts


async def _enable_wal(conn: aiosqlite.Connection) -> str:
    """Switch to WAL and return the journal mode now in force.

    Changing the journal mode can fail with "database is locked" at once, without the busy
    handler, while another process is opening the same fresh file; so retry for as long as
    `busy_timeout` would have waited.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            async with conn.execute("PRAGMA journal_mode = WAL") as cursor:
                row = await cursor.fetchone()
            return str(row[0]).lower() if row is not None else ""
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() >= deadline:
                raise
        await asyncio.sleep(0.02)


def _finish_backup(target: sqlite3.Connection) -> None:
    """Make the copy one self-contained file (no -wal beside it) and flush it."""
    target.execute("PRAGMA journal_mode = DELETE")
    target.commit()


async def _supersede(
    conn: aiosqlite.Connection,
    user_id: int,
    check_id: str,
    current: int,
    reminder_due: dt.datetime | None,
) -> None:
    """Mark the check's older assessments superseded by `current` and move (or cancel) their
    unsent reminders: one current assessment per check, one reminder following it."""
    older = """SELECT id FROM assessments
               WHERE user_id = ? AND check_id = ? AND id != ? AND superseded_by IS NULL"""
    params = (user_id, check_id, current)
    if reminder_due is None:
        await conn.execute(
            f"DELETE FROM reminders WHERE sent_at IS NULL AND assessment_id IN ({older})", params
        )
    else:
        await conn.execute(
            f"""UPDATE reminders SET assessment_id = ?, due_at = ?
                WHERE sent_at IS NULL AND assessment_id IN ({older})""",
            (current, to_unix(reminder_due), *params),
        )
    await conn.execute(
        f"UPDATE assessments SET superseded_by = ? WHERE id IN ({older})", (current, *params)
    )


def _assessment(row: sqlite3.Row) -> StoredAssessment:
    keys = row.keys()
    return StoredAssessment(
        id=int(row["id"]),
        created_at=from_unix(row["created_at"]),
        verdict=str(row["verdict"]),
        deadline=from_iso_date(row["deadline"]),
        facts_json=str(row["facts_json"]),
        assessment_json=str(row["assessment_json"]),
        check_id=row["check_id"] if "check_id" in keys else None,
        superseded_by=row["superseded_by"] if "superseded_by" in keys else None,
    )


def _reminder(row: sqlite3.Row) -> Reminder:
    return Reminder(
        id=int(row["id"]),
        user_id=int(row["user_id"]),
        chat_id=int(row["chat_id"]),
        due_at=from_unix(row["due_at"]),
        text=str(row["text"]),
        assessment_id=row["assessment_id"],
        sent_at=optional_from_unix(row["sent_at"]),
    )
