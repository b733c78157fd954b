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
import contextlib
import datetime as dt
import logging
import os
import sqlite3
import stat
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.i18n import language_tag, normalize_lang
from bot.storage.common import StoreBase, write_kind
from bot.storage.errors import DataRefused, StorageError, StorageUnavailable, WriteFailed
from bot.storage.inbox import InboxEntry, UpdateScope, current_update
from bot.storage.interfaces import INBOX_LEASE_S, REMINDER_LEASE_S
from bot.storage.migrations import DATA_MIGRATIONS, MIGRATIONS, RewriteRows, split_statements
from bot.storage.records import GroupSettings, Reminder, Stats, StoredAssessment
from bot.storage.rows import (
    CHECK_EVENTS,
    MAX_QUESTION_CHARS,
    USER_FREE_TABLES,
    assessment_from,
    check_event,
    group_settings_from,
    kept_question,
    question_key,
    reminder_from,
    state_for_run,
)
from bot.storage.stats import compute_stats
from bot.storage.timestamps import (
    to_iso_date,
    to_unix,
    utc_now,
)

BUSY_TIMEOUT_MS = 5000
"""How long a statement waits for another process's lock before failing."""

Clock = Callable[[], dt.datetime]

_LOG = logging.getLogger(__name__)

__all__ = [  # the names other modules (and tests) import from here
    "CHECK_EVENTS",
    "INBOX_LEASE_S",
    "MAX_QUESTION_CHARS",
    "REMINDER_LEASE_S",
    "USER_FREE_TABLES",
    "Database",
    "StorageError",
    "WriteFailed",
    "question_key",
    "write_kind",
]


class SQLiteUnavailable(StorageUnavailable, sqlite3.OperationalError):
    """A statement failed (I/O, lock, file gone). Also a `sqlite3.Error`, so code written
    before the storage seam keeps catching it."""


class SQLiteWriteFailed(WriteFailed, SQLiteUnavailable):
    """A write failed (read-only file, disk full...)."""


class SQLiteDataRefused(DataRefused, sqlite3.IntegrityError):
    """A constraint refused the data."""


def translate_error(exc: sqlite3.Error, *, write: bool) -> StorageError:
    """The backend-neutral error for a driver error (raise it `from` the original)."""
    if isinstance(exc, sqlite3.IntegrityError):
        return SQLiteDataRefused(str(exc))
    return (SQLiteWriteFailed if write else SQLiteUnavailable)(str(exc))


class Database(StoreBase):
    """The bot's storage in SQLite (implements `bot.storage.interfaces.Storage`); create with
    `await Database.open(path)`, end with `await close()`."""

    kind = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, *, clock: Clock = utc_now) -> None:
        self._conn = conn
        self._clock = clock
        self._lock = asyncio.Lock()
        self._user_tables: tuple[str, ...] = ()
        self._closed = False
        self._path: Path | None = None
        self._identity: tuple[int, int] | None = None
        self._marks: aiosqlite.Connection | None = None
        """A second connection for marking updates done: that mark closes the window in which
        a kill makes a reply go out twice, so it must not queue behind the other statements."""

    # -- life cycle ------------------------------------------------------------------------

    @classmethod
    async def open(
        cls, path: Path | str, *, clock: Clock | None = None, verify: bool = False
    ) -> Database:
        """Open (creating if needed) the database at `path` and bring its schema up to date.

        `":memory:"` gives a private in-memory database for tests (no WAL there). With
        `verify` (the bot's start-up) an existing file must be non-empty, pass
        `PRAGMA quick_check` and take a write, else `StorageError` says which in one line.
        Folders are created 0700 and the files made 0600: they hold what users wrote.
        """
        target = str(path)
        in_memory = target == ":memory:" or target.startswith("file::memory:")
        if not in_memory:
            file = Path(target).expanduser()
            _private_folder(file.parent)
            if verify and file.exists() and not os.access(file, os.W_OK):
                raise StorageError(f"the database file {file} is read-only")
            if verify and not os.access(file.parent, os.W_OK):
                raise StorageError(f"the database folder {file.parent} is not writable")
            if verify and file.exists() and file.stat().st_size == 0:
                raise StorageError(
                    f"the database file {file} is empty (0 bytes): restore it from a backup, "
                    "or delete it to start a new database"
                )
            target = str(file)
        conn = await aiosqlite.connect(target, isolation_level=None)
        marks: aiosqlite.Connection | None = None
        try:
            conn.row_factory = sqlite3.Row
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA secure_delete = ON")  # deleted text is overwritten
            if verify and not in_memory:
                await _quick_check(conn, target)
            if not in_memory and await _enable_wal(conn) != "wal":
                raise StorageError(f"cannot switch {target} to WAL mode")
            await conn.execute("PRAGMA synchronous = NORMAL")
            db = cls(conn, clock=clock or utc_now)
            await db._migrate()
            db._user_tables = tuple(await db._tables_with_user_id())
            if not in_memory:
                db._path = Path(target)
                marks = db._marks = await aiosqlite.connect(target, isolation_level=None)
                await marks.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                await marks.execute("PRAGMA synchronous = NORMAL")
                await marks.execute("PRAGMA secure_delete = ON")
                _private_files(db._path)
                db._identity = _identity(db._path)
                if verify and not await db.writable():
                    raise StorageError(f"the database file {target} cannot be written")
        except sqlite3.DatabaseError as exc:
            await _close_all(conn, marks)
            if not verify:
                raise translate_error(exc, write=False) from exc
            raise StorageError(f"the database file {target} is unusable: {exc}") from None
        except BaseException:
            await _close_all(conn, marks)
            raise
        return db

    async def close(self) -> None:
        """Close the connection; safe to call twice."""
        if not self._closed:
            self._closed = True
            if self._marks is not None:
                await self._marks.close()
            await self._conn.close()

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
                    for step in DATA_MIGRATIONS.get(version, ()):
                        await _rewrite_rows(self._conn, step)
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
        async with self._lock:
            try:
                async with self._conn.execute(sql, tuple(params)) as cursor:
                    result = cursor.rowcount, cursor.lastrowid or 0
            except sqlite3.Error as exc:
                self._write_failed(exc, write_kind(sql))
                raise translate_error(exc, write=True) from exc
        self._write_worked(write_kind(sql))
        return result

    async def _write_returning(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Run one writing statement with RETURNING (autocommitted); return its rows."""
        async with self._lock:
            try:
                async with self._conn.execute(sql, tuple(params)) as cursor:
                    rows = list(await cursor.fetchall())
            except sqlite3.Error as exc:
                self._write_failed(exc, write_kind(sql))
                raise translate_error(exc, write=True) from exc
        self._write_worked(write_kind(sql))
        return rows

    def _write_failed(self, exc: sqlite3.Error, kind: str) -> None:
        if not isinstance(exc, sqlite3.IntegrityError):  # refused data is not a failing file
            self._write_failed_once(exc, kind)

    async def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        try:
            async with self._lock, self._conn.execute(sql, tuple(params)) as cursor:
                return list(await cursor.fetchall())
        except sqlite3.Error as exc:
            raise translate_error(exc, write=False) from exc

    async def _row(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        rows = await self._rows(sql, params)
        return rows[0] if rows else None

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """An explicit write transaction, rolled back on any error or cancellation."""
        async with self._lock:
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                    await self._conn.execute("COMMIT")
                except BaseException:
                    await self._conn.rollback()
                    raise
            except sqlite3.Error as exc:
                self._write_failed(exc, "transaction")
                raise translate_error(exc, write=True) from exc
        self._write_worked("transaction")

    # -- introspection and maintenance -----------------------------------------------------

    async def schema_version(self) -> int:
        """`PRAGMA user_version`: the number of migrations applied."""
        row = await self._row("PRAGMA user_version")
        return int(row[0]) if row is not None else 0

    async def writable(self) -> bool:
        """Whether a write transaction can start (the file and its folder take writes)."""
        if self._closed:
            return False
        async with self._lock:
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                await self._conn.execute("UPDATE inbox SET attempts = attempts WHERE 0")
                await self._conn.execute("ROLLBACK")
            except (sqlite3.Error, ValueError):
                with contextlib.suppress(sqlite3.Error, ValueError):
                    await self._conn.rollback()
                return False
        return True

    def file_problem(self) -> str | None:
        """Why the open file is no longer the database on disk, or None if it still is.

        A file deleted or replaced while the bot runs would take every later write with it
        (the bot keeps writing to the unlinked inode); this notices it.
        """
        if self._path is None:
            return None
        try:
            identity = _identity(self._path)
        except OSError:
            return "the database file is gone"
        if identity != self._identity:
            return "the database file was replaced"
        if not os.access(self._path, os.W_OK) or not os.access(self._path.parent, os.W_OK):
            return "the database file is not writable"
        return None

    async def health(self) -> dict[str, bool | str]:
        """What `/healthz` reports: readable, writable, still the file on disk."""
        problem = self.file_problem()
        readable = await self.ping()
        writable = readable and problem is None and await self.writable()
        report: dict[str, bool | str] = {
            "db": readable and writable and not self.write_failing,
            "db_readable": readable,
            "db_writable": writable and not self.write_failing,
        }
        if problem is not None:
            report["db_problem"] = problem
        elif self.write_failing:
            report["db_problem"] = "writes fail: " + ", ".join(sorted(self._failing))
        return report

    async def checkpoint(self) -> None:
        """Copy the WAL into the main file and empty it (after `/forget`: no old text left)."""
        if self._path is None:
            return
        async with self._lock:
            try:
                await self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:
                raise translate_error(exc, write=True) from exc

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

    async def integrity_check(self) -> str:
        """`PRAGMA integrity_check`: "ok" for a sound file, else SQLite's findings."""
        rows = await self._rows("PRAGMA integrity_check")
        return "\n".join(str(row[0]) for row in rows)

    async def backup(self, dest: Path | str) -> None:
        """Copy the live database to `dest` with SQLite's online backup API.

        Consistent even while the bot writes (unlike a file copy, which can catch the WAL
        half-merged). The copy is written beside `dest`, switched to a self-contained
        rollback-journal file and then renamed over `dest`, so `dest` is never half-written.
        The copy is private (0600), like the database.
        """
        final = Path(dest).expanduser()
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.with_name(final.name + ".partial")
        partial.unlink(missing_ok=True)
        partial.touch(mode=0o600)
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

    async def touch_user(
        self, user_id: int, *, chat_type: str, language_code: str | None = None
    ) -> None:
        """Record that the user interacted now (first_seen on the first call, last_seen always).

        `language_code` (Telegram's, from the update) sets the user's language the first time
        one is known; after that only `/language` changes it. Its language tag is stored, not
        today's supported fallback, so a language added later reaches the users who speak it.
        """
        now = self._now()
        language = language_tag(language_code)
        await self._write(
            """INSERT INTO users (user_id, first_seen, last_seen, last_chat_type, language)
               VALUES (?1, ?2, ?2, ?3, ?4)
               ON CONFLICT (user_id) DO UPDATE
               SET last_seen = excluded.last_seen, last_chat_type = excluded.last_chat_type,
                   language = COALESCE(users.language, excluded.language)""",
            (user_id, now, chat_type, language),
        )

    async def user_language(self, user_id: int) -> str | None:
        """The supported language to answer the user in, or None while none is known (callers
        fall back to the update's language_code, then English)."""
        row = await self._row("SELECT language FROM users WHERE user_id = ?", (user_id,))
        return None if row is None or row[0] is None else normalize_lang(str(row[0]))

    async def set_user_language(self, user_id: int, language: str, *, chat_type: str) -> None:
        """The user's choice (/language): stored whatever Telegram's language_code says."""
        now = self._now()
        await self._write(
            """INSERT INTO users (user_id, first_seen, last_seen, last_chat_type, language)
               VALUES (?1, ?2, ?2, ?3, ?4)
               ON CONFLICT (user_id) DO UPDATE
               SET last_seen = excluded.last_seen, language = excluded.language""",
            (user_id, now, chat_type, normalize_lang(language)),
        )

    # -- guided checks ---------------------------------------------------------------------

    async def save_check(self, user_id: int, state_json: str) -> None:
        """Store the user's check state; committed when this returns (survives a kill -9).
        The new state counts as not yet shown until `mark_check_shown` (used for verdicts)."""
        scope = current_update()
        await self._write(_SAVE_CHECK, (user_id, state_json, self._now(), _update_id(scope)))
        if scope is not None:
            scope.checks_saved.add(user_id)

    async def mark_check_shown(self, user_id: int) -> None:
        """The screen of the stored check state reached the user."""
        await self._write("UPDATE check_states SET shown = 1 WHERE user_id = ?", (user_id,))

    async def check_shown(self, user_id: int) -> bool:
        """Whether the stored state's screen reached the user (True when there is none)."""
        row = await self._row("SELECT shown FROM check_states WHERE user_id = ?", (user_id,))
        return row is None or bool(row[0])

    async def load_check(self, user_id: int) -> str | None:
        """The user's check state. While an update is handled again after a kill, the state
        from before its first run: applying the same input twice would move the check on
        twice (a typed amount landing on the next question)."""
        row = await self._row(
            "SELECT state_json, update_id, previous_json FROM check_states WHERE user_id = ?",
            (user_id,),
        )
        return state_for_run(row, user_id, current_update())

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
        scope = current_update()
        if scope is not None:
            async with self._transaction() as conn:
                return await _insert_assessment(
                    conn,
                    (user_id, self._now(), str(verdict), to_iso_date(deadline)),
                    (facts_json, assessment_json, None, scope.update_id),
                )
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
        scope = current_update()
        update_id = _update_id(scope)
        async with self._transaction() as conn:
            row_id = await _insert_assessment(
                conn,
                (user_id, now, str(verdict), to_iso_date(deadline)),
                (facts_json, assessment_json, check_id, update_id),
            )
            if check_id is not None:
                await _supersede(conn, user_id, check_id, row_id, reminder_due)
            await conn.execute(
                """INSERT OR IGNORE INTO check_events (user_id, event, created_at, update_id)
                   VALUES (?, 'finished', ?, ?)""",
                (user_id, now, update_id),
            )
            await conn.execute(_SAVE_CHECK, (user_id, state_json, now, update_id))
        if scope is not None:
            scope.checks_saved.add(user_id)
        return row_id

    async def list_assessments(self, user_id: int, limit: int = 10) -> list[StoredAssessment]:
        """The user's assessments, newest first."""
        rows = await self._rows(
            """SELECT * FROM assessments WHERE user_id = ?
               ORDER BY created_at DESC, id DESC LIMIT ?""",
            (user_id, max(limit, 0)),
        )
        return [assessment_from(row) for row in rows]

    async def get_assessment(self, user_id: int, assessment_id: int) -> StoredAssessment | None:
        """One assessment, only if it belongs to `user_id` (button data can be forged)."""
        row = await self._row(
            "SELECT * FROM assessments WHERE id = ? AND user_id = ?", (assessment_id, user_id)
        )
        return None if row is None else assessment_from(row)

    # -- reminders -------------------------------------------------------------------------

    async def add_reminder(
        self,
        user_id: int,
        chat_id: int,
        *,
        due_at: dt.datetime,
        text: str = "",
        assessment_id: int | None,
    ) -> int:
        """Schedule a reminder; returns its id. `assessment_id` must exist if given.

        No words are stored (`text` is accepted for older callers and ignored): a reminder is
        written from its check's current assessment, in the user's language, when it is sent;
        without an assessment it points to /cases (`kind`).
        Scheduled again by the same update (handled again after a kill), the first one's id.
        """
        update_id = _update_id(current_update())
        due = to_unix(due_at)
        kind = "cases" if assessment_id is None else "assessment"
        _, row_id = await self._write(
            """INSERT OR IGNORE INTO reminders
               (user_id, chat_id, due_at, text, kind, assessment_id, created_at, update_id)
               VALUES (?, ?, ?, '', ?, ?, ?, ?)""",
            (user_id, chat_id, due, kind, assessment_id, self._now(), update_id),
        )
        if row_id == 0 or update_id is not None:
            row = await self._row(
                "SELECT id FROM reminders WHERE update_id IS ? AND chat_id = ? AND due_at = ?",
                (update_id, chat_id, due),
            )
            row_id = int(row[0]) if row is not None else row_id
        return row_id

    async def due_reminders(self, now: dt.datetime, limit: int = 100) -> list[Reminder]:
        """Unsent reminders with `due_at <= now`, oldest first (including overdue ones from
        before a restart)."""
        rows = await self._rows(
            """SELECT * FROM reminders WHERE sent_at IS NULL AND due_at <= ?
               ORDER BY due_at, id LIMIT ?""",
            (to_unix(now), max(limit, 0)),
        )
        return [reminder_from(row) for row in rows]

    async def claim_due_reminders(
        self, now: dt.datetime, owner: str, *, limit: int = 100, lease_s: int = REMINDER_LEASE_S
    ) -> list[Reminder]:
        """Claim the unsent reminders due at `now` for `owner`, oldest first.

        One statement claims, so two processes never both get one; a claim older than
        `lease_s` (its owner died between claim and mark) is taken again, so none is lost.
        """
        at = to_unix(now)
        rows = await self._write_returning(
            """UPDATE reminders SET claimed_by = ?1, claimed_at = ?2
               WHERE id IN (
                   SELECT id FROM reminders
                   WHERE sent_at IS NULL AND due_at <= ?2
                     AND (claimed_by IS NULL OR claimed_at <= ?2 - ?3)
                   ORDER BY due_at, id LIMIT ?4)
               RETURNING *""",
            (owner, at, lease_s, max(limit, 0)),
        )
        return sorted((reminder_from(row) for row in rows), key=lambda r: (r.due_at, r.id))

    async def release_reminder(self, reminder_id: int) -> None:
        """Give a claimed reminder back (not sent: the API failed), for the next run."""
        await self._write(
            "UPDATE reminders SET claimed_by = NULL, claimed_at = NULL "
            "WHERE id = ? AND sent_at IS NULL",
            (reminder_id,),
        )

    async def release_claims(self) -> None:
        """Drop every claim on updates and reminders: their owners are dead (the caller holds
        the single-instance lock), so what they held is handled again at once."""
        async with self._transaction() as conn:
            await conn.execute(
                "UPDATE inbox SET claimed_by = NULL, claimed_at = NULL WHERE done_at IS NULL"
            )
            await conn.execute(
                "UPDATE reminders SET claimed_by = NULL, claimed_at = NULL WHERE sent_at IS NULL"
            )

    async def mark_reminder_sent(self, reminder_id: int) -> None:
        """Record delivery; a second call keeps the first time."""
        await self._write(
            "UPDATE reminders SET sent_at = ?, claimed_by = NULL WHERE id = ? AND sent_at IS NULL",
            (self._now(), reminder_id),
        )

    async def pending_reminders(self, user_id: int) -> list[Reminder]:
        """The user's unsent reminders, soonest first."""
        rows = await self._rows(
            "SELECT * FROM reminders WHERE user_id = ? AND sent_at IS NULL ORDER BY due_at, id",
            (user_id,),
        )
        return [reminder_from(row) for row in rows]

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
        stored, key = kept_question(text, decision)
        await self._write(
            """INSERT OR IGNORE INTO question_log
               (user_id, chat_type, decision, topic_id, text, text_key, created_at, update_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                user_id,
                chat_type,
                decision,
                topic_id,
                stored,
                key,
                self._now(),
                _update_id(current_update()),
            ),
        )

    async def prune_questions(self, older_than: dt.datetime) -> int:
        """Drop the texts of questions asked before `older_than` (the retention period); the
        counts stay for `/stats`. Returns how many texts were dropped."""
        changed, _ = await self._write(
            """UPDATE question_log SET text = NULL, text_key = NULL
               WHERE text IS NOT NULL AND created_at < ?""",
            (to_unix(older_than),),
        )
        return changed

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
            "SELECT warnings_enabled, last_warning_at, language FROM group_settings "
            "WHERE chat_id = ?",
            (chat_id,),
        )
        return group_settings_from(chat_id, row)

    async def set_group_language(self, chat_id: int, language: str) -> None:
        """The language a group's admins chose in /settings."""
        await self._write(
            """INSERT INTO group_settings (chat_id, language, updated_at) VALUES (?, ?, ?)
               ON CONFLICT (chat_id) DO UPDATE
               SET language = excluded.language, updated_at = excluded.updated_at""",
            (chat_id, normalize_lang(language), self._now()),
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
        check_event(event)
        await self._write(
            """INSERT OR IGNORE INTO check_events (user_id, event, created_at, update_id)
               VALUES (?, ?, ?, ?)""",
            (user_id, event, self._now(), _update_id(current_update())),
        )

    # -- statistics ------------------------------------------------------------------------

    async def stats(self, since: dt.datetime | None = None, *, top_n: int = 10) -> Stats:
        """Usage from `since` (inclusive) until now; None means all time."""
        async with self._lock:
            try:
                await self._conn.execute("BEGIN")  # one snapshot: the numbers agree
                try:
                    return await compute_stats(self._conn, since, top_n=top_n)
                finally:
                    await self._conn.rollback()
            except sqlite3.Error as exc:
                raise translate_error(exc, write=False) from exc

    # -- privacy ---------------------------------------------------------------------------

    async def forget_user(self, user_id: int) -> int:
        """Delete every row about the user in every table, atomically; returns rows deleted.

        `secure_delete` overwrites the deleted text in the database pages, and the WAL is
        checkpointed and truncated afterwards, so the text is gone from the files at once.

        The tables are found by their `user_id` column, so a table added by a later migration
        is covered without touching this method.
        """
        deleted = 0
        scope = current_update()
        async with self._transaction() as conn:
            for table in self._user_tables:
                sql = f'DELETE FROM "{table}" WHERE user_id = ?'
                params: tuple[int, ...] = (user_id,)
                if table == "inbox" and scope is not None:
                    # What the user sent after this /forget is still to be answered (it is
                    # cleared like any update once handled); this update is done with it.
                    sql, params = sql + " AND update_id < ?", (user_id, scope.update_id)
                async with conn.execute(sql, params) as cursor:
                    deleted += max(cursor.rowcount, 0)
            if scope is not None and "inbox" in self._user_tables:
                await conn.execute(_INBOX_DONE, (self._now(), "done", scope.update_id))
        with contextlib.suppress(StorageError):  # busy readers: the next checkpoint does it
            await self.checkpoint()
        return deleted

    # -- inbox -----------------------------------------------------------------------------

    async def inbox_accept(self, entries: Sequence[tuple[int, int, int | None, str]]) -> list[int]:
        """Store incoming updates `(update_id, chat_key, user_id, raw JSON)` durably, in one
        transaction; returns the ids that were new (a replayed id is dropped here)."""
        if not entries:
            return []
        now = self._now()
        rows = ", ".join("(?, ?, ?, ?, ?)" for _ in entries)  # one statement: all or nothing
        params = [v for e in entries for v in (*e, now)]
        inserted = await self._write_returning(
            f"""INSERT OR IGNORE INTO inbox
                (update_id, chat_key, user_id, payload, received_at) VALUES {rows}
                RETURNING update_id""",
            params,
        )
        return sorted(int(row[0]) for row in inserted)

    async def inbox_claim(
        self, owner: str, *, limit: int = 100, lease_s: int = INBOX_LEASE_S
    ) -> list[InboxEntry]:
        """Claim, for `owner`, the oldest pending update of each chat that nobody holds.

        Only a chat's oldest pending update is claimable, so a chat's updates are handled one
        at a time and in order, even by several processes; a claim older than `lease_s` is
        taken over (its owner died).
        """
        rows = await self._write_returning(
            """WITH heads AS (
                   SELECT MIN(update_id) AS id FROM inbox WHERE done_at IS NULL GROUP BY chat_key)
               UPDATE inbox SET claimed_by = ?1, claimed_at = ?2
               WHERE update_id IN (
                   SELECT i.update_id FROM inbox AS i JOIN heads ON i.update_id = heads.id
                   WHERE i.claimed_by IS NULL OR i.claimed_at <= ?2 - ?3
                   ORDER BY i.update_id LIMIT ?4)
               RETURNING update_id, chat_key, payload, attempts""",
            (owner, self._now(), lease_s, max(limit, 0)),
        )
        entries = [
            InboxEntry(
                int(row["update_id"]),
                int(row["chat_key"]),
                None if row["payload"] is None else str(row["payload"]),
                int(row["attempts"]),
            )
            for row in rows
        ]
        return sorted(entries, key=lambda entry: entry.update_id)

    async def inbox_started(self, update_id: int) -> None:
        """Count a start of an update's handling. Counted here rather than at claim time: a
        process killed between claiming a batch and reaching an update did not try it, and
        only tries that were cut say that an update may be what kills the process."""
        await self._mark(_INBOX_STARTED, (update_id,))

    async def inbox_done(self, update_id: int, outcome: str = "done") -> None:
        """Mark an update handled and drop its content; the bare id stays to catch replays."""
        await self._mark(_INBOX_DONE, (self._now(), outcome, update_id))

    async def _mark(self, statement: str, params: tuple[object, ...]) -> None:
        """An inbox bookkeeping write, on its own connection when there is one (short waits)."""
        if self._marks is None:
            await self._write(statement, params)
            return
        try:
            await self._marks.execute(statement, params)
        except sqlite3.Error as exc:
            self._write_failed(exc, write_kind(statement))
            raise translate_error(exc, write=True) from exc
        self._write_worked(write_kind(statement))

    async def inbox_pending(self) -> int:
        """Updates stored but not yet handled."""
        row = await self._row("SELECT COUNT(*) FROM inbox WHERE done_at IS NULL")
        return int(row[0]) if row is not None else 0

    async def prune_inbox(self, older_than: dt.datetime) -> int:
        """Forget the ids of updates handled before `older_than` (Telegram does not resend
        anything that old)."""
        changed, _ = await self._write(
            "DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < ?", (to_unix(older_than),)
        )
        return changed

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


_SAVE_CHECK = """
INSERT INTO check_states (user_id, state_json, updated_at, update_id, previous_json, shown)
VALUES (?1, ?2, ?3, ?4, NULL, 0)
ON CONFLICT (user_id) DO UPDATE
SET shown = 0,
    previous_json = CASE
        WHEN ?4 IS NOT NULL AND check_states.update_id IS ?4 THEN check_states.previous_json
        ELSE check_states.state_json END,
    state_json = excluded.state_json,
    updated_at = excluded.updated_at,
    update_id = excluded.update_id"""
"""Keeps the state from before the current update, for `load_check` on a re-run; a new state
is not yet shown (`mark_check_shown`)."""

_INBOX_STARTED = "UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ?"

_INBOX_DONE = """
UPDATE inbox SET done_at = ?1, outcome = ?2, payload = NULL, chat_key = NULL, user_id = NULL,
    claimed_by = NULL
WHERE update_id = ?3 AND done_at IS NULL"""


async def _close_all(*conns: aiosqlite.Connection | None) -> None:
    for conn in conns:
        if conn is not None:
            await conn.close()


def _update_id(scope: UpdateScope | None) -> int | None:
    return None if scope is None else scope.update_id


async def _insert_assessment(
    conn: aiosqlite.Connection,
    head: tuple[int, int, str, str | None],
    body: tuple[str, str, str | None, int | None],
) -> int:
    """Insert an assessment unless this update already stored one; its id either way.

    `body` is (facts_json, assessment_json, check_id, update_id)."""
    update_id = body[3]
    async with conn.execute(
        """INSERT OR IGNORE INTO assessments
           (user_id, created_at, verdict, deadline, facts_json, assessment_json, check_id,
            update_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (*head, *body),
    ) as cursor:
        if cursor.rowcount > 0 or update_id is None:
            return cursor.lastrowid or 0
    async with conn.execute(
        "SELECT id FROM assessments WHERE update_id = ?", (update_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row is not None else 0


def _private_folder(folder: Path) -> None:
    """Create the data folder 0700 (an existing one is left as the operator made it)."""
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)


def _private_files(db_file: Path) -> None:
    """The database and its WAL files readable by the owner only (they hold users' text)."""
    for suffix in ("", "-wal", "-shm"):
        file = db_file.with_name(db_file.name + suffix)
        with contextlib.suppress(OSError):
            if stat.S_IMODE(file.stat().st_mode) & 0o077:
                file.chmod(0o600)


def _identity(file: Path) -> tuple[int, int]:
    info = file.stat()
    return info.st_dev, info.st_ino


async def _quick_check(conn: aiosqlite.Connection, target: str) -> None:
    """Refuse a damaged file at start instead of failing on some later page."""
    async with conn.execute("PRAGMA quick_check") as cursor:
        rows = await cursor.fetchall()
    found = [str(row[0]) for row in rows]
    if found != ["ok"]:
        raise StorageError(
            f"the database file {target} is damaged (quick_check: {found[0][:120]}); "
            "restore it from a backup"
        )


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


async def _rewrite_rows(conn: aiosqlite.Connection, step: RewriteRows) -> None:
    """Apply one data migration step to every row of its table (inside the caller's
    transaction)."""
    columns = ", ".join((step.key, *step.reads))
    async with conn.execute(f"SELECT {columns} FROM {step.table}") as cursor:
        rows = [dict(row) for row in await cursor.fetchall()]
    for row in rows:
        changes = step.convert(row)
        if changes:
            assignments = ", ".join(f"{name} = ?" for name in changes)
            await conn.execute(
                f"UPDATE {step.table} SET {assignments} WHERE {step.key} = ?",
                (*changes.values(), row[step.key]),
            )
