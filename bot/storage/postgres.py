"""`PostgresDatabase`: the bot's state on a PostgreSQL server, shared by several replicas.

Chosen with `TA_ADVISOR_DATABASE_URL=postgresql://…`; it implements the same `Storage`
Protocol as the SQLite `Database` and gives the same answers (the storage tests run on both).

Driver: asyncpg (a pool of a few connections). Every single-statement write commits on its own;
multi-statement changes run in one transaction. Parameters are always bound, never formatted.

Several replicas. What SQLite got from having one writer, the server gives with row locks:

* an update or a reminder is claimed with `FOR UPDATE SKIP LOCKED`, so two replicas never claim
  the same one and never wait on each other; only a chat's oldest pending update is claimable,
  so each chat stays in order across replicas;
* a claim names the server process (backend pid) of its replica's liveness connection, which
  the replica holds open for its whole life. A replica killed with SIGKILL drops that connection,
  the pid leaves `pg_stat_activity` at once, and its claims are taken over by the next claim of
  another replica, without waiting for the lease (which still covers a hung replica);
* the group warning's cool-down is one `INSERT … ON CONFLICT DO UPDATE … WHERE`, atomic on the
  server;
* start-up migrations run under a transaction-scoped advisory lock: one replica applies them,
  the others wait and then find them applied.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg

from bot.i18n import language_tag, normalize_lang
from bot.storage.common import StoreBase, write_kind
from bot.storage.errors import DataRefused, StorageError, StorageUnavailable, WriteFailed
from bot.storage.inbox import InboxEntry, current_update
from bot.storage.interfaces import INBOX_LEASE_S, REMINDER_LEASE_S
from bot.storage.migrations import MIGRATIONS
from bot.storage.pg_schema import (
    MIGRATION_LOCK,
    SCHEMA_TABLE,
    data_steps,
    postgres_statements,
    rewrite_sql,
)
from bot.storage.records import GroupSettings, Reminder, Stats, StoredAssessment
from bot.storage.rows import (
    assessment_from,
    check_event,
    group_settings_from,
    kept_question,
    reminder_from,
    state_for_run,
)
from bot.storage.timestamps import to_iso_date, to_unix, utc_now

Clock = Callable[[], dt.datetime]
if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    Conn: TypeAlias = PoolConnectionProxy[asyncpg.Record]

_LOG = logging.getLogger(__name__)

POOL_SIZE = 4
"""Connections per replica: handlers, inbox marks and the reminder job run concurrently."""
STATEMENT_TIMEOUT_S = 30.0

_DRIVER_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, asyncio.TimeoutError)


def is_postgres_url(url: str) -> bool:
    return url.lower().startswith(("postgresql://", "postgres://"))


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" if parts.username else f"***@{host}"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def _translate(exc: BaseException, *, write: bool) -> StorageError:
    if isinstance(exc, asyncpg.IntegrityConstraintViolationError):
        return DataRefused(str(exc))
    return (WriteFailed if write else StorageUnavailable)(f"{type(exc).__name__}: {exc}")


def _count(status: str) -> int:
    """Rows changed, from a command status such as "UPDATE 3" or "INSERT 0 1"."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def _free(col: str, at: str, now: str = "$2", lease: str = "$3") -> str:
    """A claim nobody holds: none, older than the lease (`lease` s before `now`), or made by a
    replica whose liveness connection is gone (it died)."""
    return f"""(
        {col} IS NULL OR {at} <= {now}::bigint - {lease}::bigint
        OR NOT EXISTS (SELECT 1 FROM pg_stat_activity AS a
                       WHERE a.pid = CASE WHEN {col} ~ '^[0-9]{{1,9}}@'
                                          THEN split_part({col}, '@', 1)::int END))"""


_INBOX_CLAIM = f"""
WITH heads AS (
    SELECT DISTINCT ON (chat_key) update_id FROM inbox
    WHERE done_at IS NULL ORDER BY chat_key, update_id),
picked AS (
    SELECT i.update_id FROM inbox AS i JOIN heads USING (update_id)
    WHERE i.done_at IS NULL AND {_free("i.claimed_by", "i.claimed_at")}
    ORDER BY i.update_id LIMIT $4
    FOR UPDATE OF i SKIP LOCKED)
UPDATE inbox SET claimed_by = $1, claimed_at = $2 FROM picked
WHERE inbox.update_id = picked.update_id
RETURNING inbox.update_id, inbox.chat_key, inbox.payload, inbox.attempts"""
"""`done_at IS NULL` is repeated on `i` because PostgreSQL re-checks the locked row's own
conditions (not the CTE's) when another replica changed it meanwhile."""

_REMINDER_CLAIM = f"""
WITH picked AS (
    SELECT id FROM reminders
    WHERE sent_at IS NULL AND due_at <= $2
      AND {_free("claimed_by", "claimed_at")}
    ORDER BY due_at, id LIMIT $4
    FOR UPDATE SKIP LOCKED)
UPDATE reminders SET claimed_by = $1, claimed_at = $2 FROM picked
WHERE reminders.id = picked.id
RETURNING reminders.*"""

_SAVE_CHECK = """
INSERT INTO check_states (user_id, state_json, updated_at, update_id, previous_json, shown)
VALUES ($1, $2, $3, $4, NULL, 0)
ON CONFLICT (user_id) DO UPDATE
SET shown = 0,
    previous_json = CASE
        WHEN $4::bigint IS NOT NULL AND check_states.update_id IS NOT DISTINCT FROM $4::bigint
        THEN check_states.previous_json ELSE check_states.state_json END,
    state_json = excluded.state_json,
    updated_at = excluded.updated_at,
    update_id = excluded.update_id"""

_INSERT_ASSESSMENT = """
INSERT INTO assessments
    (user_id, created_at, verdict, deadline, facts_json, assessment_json, check_id, update_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT DO NOTHING RETURNING id"""

_FINISHED_EVENT = """
INSERT INTO check_events (user_id, event, created_at, update_id) VALUES ($1, 'finished', $2, $3)
ON CONFLICT DO NOTHING"""

_INBOX_DONE = """
UPDATE inbox SET done_at = $1, outcome = $2, payload = NULL, chat_key = NULL, user_id = NULL,
    claimed_by = NULL
WHERE update_id = $3 AND done_at IS NULL"""

_OLDER = """SELECT id FROM assessments
            WHERE user_id = $1 AND check_id = $2 AND id <> $3 AND superseded_by IS NULL"""


class PostgresDatabase(StoreBase):
    """The bot's storage on PostgreSQL; `await PostgresDatabase.open(url)`, `await close()`."""

    kind = "postgresql"

    def __init__(
        self,
        pool: asyncpg.Pool,
        url: str,
        *,
        clock: Clock = utc_now,
    ) -> None:
        self._pool = pool
        self._url = url
        self._clock = clock
        self._closed = False
        self._user_tables: tuple[str, ...] = ()
        self._alive: asyncpg.Connection | None = None
        self._alive_lock = asyncio.Lock()

    # -- life cycle ------------------------------------------------------------------------

    @classmethod
    async def open(
        cls, url: str, *, clock: Clock | None = None, verify: bool = False
    ) -> PostgresDatabase:
        """Connect, bring the schema up to date (once, under an advisory lock) and check that
        the database takes writes (`verify`); `StorageError` in one line if not."""
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=1,
                max_size=POOL_SIZE,
                command_timeout=STATEMENT_TIMEOUT_S,
                server_settings={"application_name": "ta-advisor"},
            )
        except (*_DRIVER_ERRORS, ValueError) as exc:
            raise StorageError(
                f"cannot connect to the database {redact(url)}: {type(exc).__name__}: {exc}"
            ) from None
        db = cls(pool, url, clock=clock or utc_now)
        try:
            await db._migrate()
            db._user_tables = tuple(await db._tables_with_user_id())
            if verify and not await db.writable():
                raise StorageError(f"the database {redact(url)} does not take writes")
        except BaseException:
            await pool.close()
            raise
        return db

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            if self._alive is not None:
                with contextlib.suppress(*_DRIVER_ERRORS):
                    await self._alive.close()
            await self._pool.close()

    async def _migrate(self) -> None:
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                await conn.execute(
                    f"""CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (
                            version    BIGINT PRIMARY KEY,
                            applied_at BIGINT NOT NULL)"""
                )
                current = int(await conn.fetchval(f"SELECT max(version) FROM {SCHEMA_TABLE}") or 0)
                if current > len(MIGRATIONS):
                    raise StorageError(
                        f"database schema version {current} is newer than this program's "
                        f"({len(MIGRATIONS)}): upgrade ta-advisor"
                    )
                for version in range(current + 1, len(MIGRATIONS) + 1):
                    for statement in postgres_statements(version):
                        await conn.execute(statement)
                    for step in data_steps(version):
                        columns = ", ".join((step.key, *step.reads))
                        for row in await conn.fetch(f"SELECT {columns} FROM {step.table}"):
                            changes = step.convert(dict(row))
                            if changes:
                                sql = rewrite_sql(step, changes)
                                await conn.execute(sql, *changes.values(), row[step.key])
                    await conn.execute(
                        f"INSERT INTO {SCHEMA_TABLE} (version, applied_at) VALUES ($1, $2)",
                        version,
                        self._now(),
                    )
                    _LOG.info("database migrated to schema version %d", version)
        except _DRIVER_ERRORS as exc:
            raise StorageError(f"cannot migrate the database: {exc}") from None

    # -- small helpers ---------------------------------------------------------------------

    def _now(self) -> int:
        return to_unix(self._clock())

    def _failed(self, exc: BaseException, *, write: bool, kind: str = "write") -> StorageError:
        """`kind` (`write_kind`): which write failed, so that one failing kind of write (the
        question log) is reported once, not again each time another kind works in between."""
        error = _translate(exc, write=write)
        if write and not isinstance(error, DataRefused):
            self._write_failed_once(error, kind)
        return error

    async def _execute(self, sql: str, *args: Any) -> int:
        """One autocommitted write; rows changed."""
        try:
            status = await self._pool.execute(sql, *args)
        except _DRIVER_ERRORS as exc:
            raise self._failed(exc, write=True, kind=write_kind(sql)) from exc
        self._write_worked(write_kind(sql))
        return _count(status)

    async def _write_rows(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        """One autocommitted write with RETURNING; its rows."""
        try:
            rows = await self._pool.fetch(sql, *args)
        except _DRIVER_ERRORS as exc:
            raise self._failed(exc, write=True, kind=write_kind(sql)) from exc
        self._write_worked(write_kind(sql))
        return list(rows)

    async def _rows(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        try:
            return list(await self._pool.fetch(sql, *args))
        except _DRIVER_ERRORS as exc:
            raise self._failed(exc, write=False) from exc

    async def _row(self, sql: str, *args: Any) -> asyncpg.Record | None:
        rows = await self._rows(sql, *args)
        return rows[0] if rows else None

    async def _value(self, sql: str, *args: Any) -> Any:
        row = await self._row(sql, *args)
        return None if row is None else row[0]

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[Conn]:
        """A write transaction, rolled back on any error or cancellation."""
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                yield conn
        except _DRIVER_ERRORS as exc:
            raise self._failed(exc, write=True) from exc
        self._write_worked()

    async def _owner(self, owner: str) -> str:
        """`owner` prefixed with the pid of this replica's liveness connection (reconnected
        if the server dropped it), so other replicas can tell when its claims are orphaned."""
        async with self._alive_lock:
            if self._alive is None or self._alive.is_closed():
                try:
                    self._alive = await asyncpg.connect(
                        self._url, server_settings={"application_name": "ta-advisor-alive"}
                    )
                except _DRIVER_ERRORS as exc:
                    raise self._failed(exc, write=True) from exc
            return f"{self._alive.get_server_pid()}@{owner}"

    # -- introspection and maintenance -----------------------------------------------------

    async def schema_version(self) -> int:
        return int(await self._value(f"SELECT max(version) FROM {SCHEMA_TABLE}") or 0)

    async def tables(self) -> list[str]:
        """The application's tables in the connection's schema (the version table left out)."""
        rows = await self._rows(
            """SELECT table_name FROM information_schema.tables
               WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                 AND table_name <> $1
               ORDER BY table_name""",
            SCHEMA_TABLE,
        )
        return [str(row[0]) for row in rows]

    async def _tables_with_user_id(self) -> list[str]:
        rows = await self._rows(
            """SELECT c.table_name FROM information_schema.columns AS c
               JOIN information_schema.tables AS t
                 ON t.table_schema = c.table_schema AND t.table_name = c.table_name
               WHERE c.table_schema = current_schema() AND c.column_name = 'user_id'
                 AND t.table_type = 'BASE TABLE'
               ORDER BY c.table_name"""
        )
        return [str(row[0]) for row in rows]

    async def user_tables(self) -> list[str]:
        return list(self._user_tables)

    async def ping(self) -> bool:
        if self._closed:
            return False
        try:
            return bool(await self._value("SELECT 1") == 1)
        except StorageError:
            return False

    async def writable(self) -> bool:
        """Whether a write can be made (the server is up and not a read-only standby)."""
        if self._closed:
            return False
        try:
            async with self._pool.acquire() as conn:
                tx = conn.transaction()
                await tx.start()
                try:
                    await conn.execute("UPDATE inbox SET attempts = attempts WHERE false")
                finally:
                    await tx.rollback()
        except _DRIVER_ERRORS:
            return False
        return True

    async def health(self) -> dict[str, bool | str]:
        readable = await self.ping()
        writable = readable and await self.writable()
        report: dict[str, bool | str] = {
            "db": readable and writable and not self.write_failing,
            "db_readable": readable,
            "db_writable": writable and not self.write_failing,
        }
        if not readable:
            report["db_problem"] = "the database server does not answer"
        elif not writable:
            report["db_problem"] = "the database does not take writes"
        elif self.write_failing:
            report["db_problem"] = "writes fail: " + ", ".join(sorted(self._failures()))
        return report

    async def checkpoint(self) -> None:
        """Nothing to do: the server has no WAL file beside the data for us to empty (deleted
        rows are reclaimed by autovacuum; see the operator's guide on backups)."""

    async def backup(self, dest: Path | str) -> None:
        """`pg_dump --format=custom` of the database to `dest`, written beside it and renamed
        (never half-written), private (0600). The password goes through the environment, not
        the command line, where any user could read it."""
        final = Path(dest).expanduser()
        partial = final.with_name(final.name + ".partial")
        partial.unlink(missing_ok=True)
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise StorageError(
                "pg_dump is not installed (Debian: apt-get install postgresql-client)"
            )
        url, env = _without_password(self._url)
        command = [pg_dump, "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={url}"]
        old_mask = os.umask(0o077)
        try:
            done = await asyncio.to_thread(
                subprocess.run, command, env=env, capture_output=True, text=True, check=False
            )
        finally:
            os.umask(old_mask)
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            last = (done.stderr.strip().splitlines() or ["failed"])[-1]
            raise StorageError(f"pg_dump failed: {last}")
        os.replace(partial, final)

    async def load_copy(
        self, data: dict[str, tuple[list[str], list[tuple[object, ...]]]]
    ) -> dict[str, int]:
        """Fill this empty database with `data` (table -> column names, rows) in one
        transaction (`ta-advisor db migrate-to`); rows copied per table."""
        unknown = sorted(set(data) - set(await self.tables()))
        if unknown:
            raise StorageError(f"tables this database does not have: {', '.join(unknown)}")
        copied: dict[str, int] = {}
        async with self._transaction() as conn:
            for table in data:
                if await conn.fetchval(f'SELECT EXISTS (SELECT 1 FROM "{table}")'):
                    raise StorageError(f"the target database is not empty (table {table})")
            for table, (columns, rows) in data.items():
                await conn.copy_records_to_table(table, records=rows, columns=columns)
                copied[table] = len(rows)
                if "id" in columns:  # identities continue after the copied ids
                    await conn.execute(
                        f"""SELECT setval(pg_get_serial_sequence('"{table}"', 'id'),
                                          COALESCE(MAX(id), 0) + 1, false) FROM "{table}" """
                    )
            await conn.execute("UPDATE inbox SET claimed_by = NULL, claimed_at = NULL")
            await conn.execute("UPDATE reminders SET claimed_by = NULL, claimed_at = NULL")
        return copied

    # -- users -----------------------------------------------------------------------------

    async def touch_user(
        self, user_id: int, *, chat_type: str, language_code: str | None = None
    ) -> None:
        """As in SQLite: Telegram's language tag is kept the first time one is known."""
        await self._execute(
            """INSERT INTO users (user_id, first_seen, last_seen, last_chat_type, language)
               VALUES ($1, $2, $2, $3, $4)
               ON CONFLICT (user_id) DO UPDATE
               SET last_seen = excluded.last_seen, last_chat_type = excluded.last_chat_type,
                   language = COALESCE(users.language, excluded.language)""",
            user_id,
            self._now(),
            chat_type,
            language_tag(language_code),
        )

    async def user_language(self, user_id: int) -> str | None:
        row = await self._row("SELECT language FROM users WHERE user_id = $1", user_id)
        return None if row is None or row["language"] is None else normalize_lang(row["language"])

    async def set_user_language(self, user_id: int, language: str, *, chat_type: str) -> None:
        await self._execute(
            """INSERT INTO users (user_id, first_seen, last_seen, last_chat_type, language)
               VALUES ($1, $2, $2, $3, $4)
               ON CONFLICT (user_id) DO UPDATE
               SET last_seen = excluded.last_seen, language = excluded.language""",
            user_id,
            self._now(),
            chat_type,
            normalize_lang(language),
        )

    async def forget_user(self, user_id: int) -> int:
        """Delete every row about the user in every table with a `user_id` column (found in
        `information_schema`, so a later table is covered), in one transaction."""
        deleted = 0
        scope = current_update()
        async with self._transaction() as conn:
            for table in self._user_tables:
                sql = f'DELETE FROM "{table}" WHERE user_id = $1'
                args: tuple[int, ...] = (user_id,)
                if table == "inbox" and scope is not None:
                    # What the user sent after this /forget is still to be answered.
                    sql, args = sql + " AND update_id < $2", (user_id, scope.update_id)
                deleted += _count(await conn.execute(sql, *args))
            if scope is not None and "inbox" in self._user_tables:
                await conn.execute(_INBOX_DONE, self._now(), "done", scope.update_id)
        return deleted

    async def rows_for_user(self, user_id: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        for table in self._user_tables:
            value = await self._value(f'SELECT COUNT(*) FROM "{table}" WHERE user_id = $1', user_id)
            counts[table] = int(value or 0)
        return counts

    # -- guided checks ---------------------------------------------------------------------

    async def save_check(self, user_id: int, state_json: str) -> None:
        scope = current_update()
        update_id = None if scope is None else scope.update_id
        await self._execute(_SAVE_CHECK, user_id, state_json, self._now(), update_id)
        if scope is not None:
            scope.checks_saved.add(user_id)

    async def mark_check_shown(self, user_id: int) -> None:
        await self._execute("UPDATE check_states SET shown = 1 WHERE user_id = $1", user_id)

    async def check_shown(self, user_id: int) -> bool:
        row = await self._row("SELECT shown FROM check_states WHERE user_id = $1", user_id)
        return row is None or bool(row[0])

    async def load_check(self, user_id: int) -> str | None:
        row = await self._row(
            "SELECT state_json, update_id, previous_json FROM check_states WHERE user_id = $1",
            user_id,
        )
        return state_for_run(row, user_id, current_update())

    async def delete_check(self, user_id: int) -> None:
        await self._execute("DELETE FROM check_states WHERE user_id = $1", user_id)

    async def log_check_event(self, user_id: int, event: str) -> None:
        scope = current_update()
        await self._execute(
            """INSERT INTO check_events (user_id, event, created_at, update_id)
               VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING""",
            user_id,
            check_event(event),
            self._now(),
            None if scope is None else scope.update_id,
        )

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
        scope = current_update()
        async with self._transaction() as conn:
            return await _insert_assessment(
                conn,
                (user_id, self._now(), str(verdict), to_iso_date(deadline)),
                (facts_json, assessment_json, None, None if scope is None else scope.update_id),
            )

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
        """Result, "finished" event and final state in one transaction (see `Database`)."""
        now = self._now()
        scope = current_update()
        update_id = None if scope is None else scope.update_id
        async with self._transaction() as conn:
            row_id = await _insert_assessment(
                conn,
                (user_id, now, str(verdict), to_iso_date(deadline)),
                (facts_json, assessment_json, check_id, update_id),
            )
            if check_id is not None:
                await _supersede(conn, user_id, check_id, row_id, reminder_due)
            await conn.execute(_FINISHED_EVENT, user_id, now, update_id)
            await conn.execute(_SAVE_CHECK, user_id, state_json, now, update_id)
        if scope is not None:
            scope.checks_saved.add(user_id)
        return row_id

    async def list_assessments(self, user_id: int, limit: int = 10) -> list[StoredAssessment]:
        rows = await self._rows(
            """SELECT * FROM assessments WHERE user_id = $1
               ORDER BY created_at DESC, id DESC LIMIT $2""",
            user_id,
            max(limit, 0),
        )
        return [assessment_from(row) for row in rows]

    async def get_assessment(self, user_id: int, assessment_id: int) -> StoredAssessment | None:
        row = await self._row(
            "SELECT * FROM assessments WHERE id = $1 AND user_id = $2", assessment_id, user_id
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
        """As in SQLite: no words are stored (`text` is ignored); the reminder is written from
        its check's current assessment, in the user's language, when it is sent."""
        scope = current_update()
        update_id = None if scope is None else scope.update_id
        due = to_unix(due_at)
        kind = "cases" if assessment_id is None else "assessment"
        rows = await self._write_rows(
            """INSERT INTO reminders
               (user_id, chat_id, due_at, text, kind, assessment_id, created_at, update_id)
               VALUES ($1, $2, $3, '', $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id""",
            user_id,
            chat_id,
            due,
            kind,
            assessment_id,
            self._now(),
            update_id,
        )
        if rows:
            return int(rows[0][0])
        value = await self._value(
            """SELECT id FROM reminders
               WHERE update_id IS NOT DISTINCT FROM $1 AND chat_id = $2 AND due_at = $3""",
            update_id,
            chat_id,
            due,
        )
        return int(value or 0)

    async def due_reminders(self, now: dt.datetime, limit: int = 100) -> list[Reminder]:
        rows = await self._rows(
            """SELECT * FROM reminders WHERE sent_at IS NULL AND due_at <= $1
               ORDER BY due_at, id LIMIT $2""",
            to_unix(now),
            max(limit, 0),
        )
        return [reminder_from(row) for row in rows]

    async def claim_due_reminders(
        self,
        now: dt.datetime,
        owner: str,
        *,
        limit: int = 100,
        lease_s: int = REMINDER_LEASE_S,
    ) -> list[Reminder]:
        """Claim due reminders with `FOR UPDATE SKIP LOCKED`: each goes to exactly one
        replica; one held by a dead replica is taken over at once."""
        rows = await self._write_rows(
            _REMINDER_CLAIM, await self._owner(owner), to_unix(now), lease_s, max(limit, 0)
        )
        return sorted((reminder_from(row) for row in rows), key=lambda r: (r.due_at, r.id))

    async def release_reminder(self, reminder_id: int) -> None:
        await self._execute(
            """UPDATE reminders SET claimed_by = NULL, claimed_at = NULL
               WHERE id = $1 AND sent_at IS NULL""",
            reminder_id,
        )

    async def mark_reminder_sent(self, reminder_id: int) -> None:
        await self._execute(
            """UPDATE reminders SET sent_at = $1, claimed_by = NULL
               WHERE id = $2 AND sent_at IS NULL""",
            self._now(),
            reminder_id,
        )

    async def pending_reminders(self, user_id: int) -> list[Reminder]:
        rows = await self._rows(
            "SELECT * FROM reminders WHERE user_id = $1 AND sent_at IS NULL ORDER BY due_at, id",
            user_id,
        )
        return [reminder_from(row) for row in rows]

    async def delete_reminder(self, user_id: int, reminder_id: int) -> bool:
        changed = await self._execute(
            "DELETE FROM reminders WHERE id = $1 AND user_id = $2", reminder_id, user_id
        )
        return changed > 0

    # -- feedback --------------------------------------------------------------------------

    async def add_feedback(self, user_id: int, topic_id: str, helpful: bool) -> None:
        await self._execute(
            """INSERT INTO feedback (user_id, topic_id, helpful, created_at)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (user_id, topic_id) DO UPDATE
               SET helpful = excluded.helpful, created_at = excluded.created_at""",
            user_id,
            topic_id,
            int(bool(helpful)),
            self._now(),
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
        stored, key = kept_question(text, decision)
        scope = current_update()
        await self._execute(
            """INSERT INTO question_log
               (user_id, chat_type, decision, topic_id, text, text_key, created_at, update_id)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING""",
            user_id,
            chat_type,
            decision,
            topic_id,
            stored,
            key,
            self._now(),
            None if scope is None else scope.update_id,
        )

    async def prune_questions(self, older_than: dt.datetime) -> int:
        return await self._execute(
            """UPDATE question_log SET text = NULL, text_key = NULL
               WHERE text IS NOT NULL AND created_at < $1""",
            to_unix(older_than),
        )

    async def top_unanswered(
        self, limit: int = 20, since: dt.datetime | None = None
    ) -> list[tuple[str, int]]:
        rows = await self._rows(
            """SELECT q.text, g.n FROM (
                   SELECT text_key, COUNT(*) AS n, MAX(id) AS last_id FROM question_log
                   WHERE text_key IS NOT NULL AND ($1::bigint IS NULL OR created_at >= $1)
                   GROUP BY text_key
               ) AS g JOIN question_log AS q ON q.id = g.last_id
               ORDER BY g.n DESC, g.last_id DESC LIMIT $2""",
            to_unix(since) if since is not None else None,
            max(limit, 0),
        )
        return [(str(row[0]), int(row[1])) for row in rows]

    # -- statistics ------------------------------------------------------------------------

    async def stats(self, since: dt.datetime | None = None, *, top_n: int = 10) -> Stats:
        """Usage from `since` (inclusive) until now, read in one snapshot."""
        start = to_unix(since) if since is not None else None
        after = "($1::bigint IS NULL OR created_at >= $1)"
        try:
            async with (
                self._pool.acquire() as conn,
                conn.transaction(isolation="repeatable_read", readonly=True),
            ):
                q = await conn.fetchrow(
                    f"""SELECT COUNT(*),
                               COUNT(*) FILTER (WHERE decision = 'answer'),
                               COUNT(*) FILTER (WHERE decision = 'suggest'),
                               COUNT(*) FILTER (WHERE decision = 'none')
                        FROM question_log WHERE {after}""",
                    start,
                )
                f = await conn.fetchrow(
                    f"""SELECT COUNT(*) FILTER (WHERE helpful = 1),
                               COUNT(*) FILTER (WHERE helpful = 0)
                        FROM feedback WHERE {after}""",
                    start,
                )
                events = await conn.fetch(
                    f"SELECT event, COUNT(*) FROM check_events WHERE {after} GROUP BY event",
                    start,
                )
                verdicts = await conn.fetch(
                    f"""SELECT verdict, COUNT(*) FROM assessments WHERE {after}
                        GROUP BY verdict ORDER BY COUNT(*) DESC, verdict""",
                    start,
                )
                topics = await conn.fetch(
                    f"""SELECT topic_id, COUNT(*) AS n FROM question_log
                        WHERE {after} AND decision = 'answer' AND topic_id IS NOT NULL
                        GROUP BY topic_id ORDER BY n DESC, topic_id LIMIT $2""",
                    start,
                    max(top_n, 0),
                )
                users = await conn.fetchval(
                    "SELECT COUNT(*) FROM users WHERE $1::bigint IS NULL OR last_seen >= $1",
                    start,
                )
                new_users = await conn.fetchval(
                    "SELECT COUNT(*) FROM users WHERE $1::bigint IS NULL OR first_seen >= $1",
                    start,
                )
        except _DRIVER_ERRORS as exc:
            raise self._failed(exc, write=False) from exc
        if q is None or f is None:  # aggregates always return a row
            raise StorageUnavailable("the statistics queries returned nothing")
        questions, answered, suggested, unanswered = (int(v) for v in q)
        by_event = {str(row[0]): int(row[1]) for row in events}
        return Stats(
            users=int(users),
            questions=questions,
            answered=answered,
            unanswered=unanswered,
            answer_rate=answered / questions if questions else 0.0,
            top_topics=[(str(row[0]), int(row[1])) for row in topics],
            feedback_up=int(f[0]),
            feedback_down=int(f[1]),
            checks_started=by_event.get("started", 0),
            checks_finished=by_event.get("finished", 0),
            verdicts={str(row[0]): int(row[1]) for row in verdicts},
            suggested=suggested,
            new_users=int(new_users),
            checks_cancelled=by_event.get("cancelled", 0),
            since=since,
        )

    # -- group settings --------------------------------------------------------------------

    async def group_settings(self, chat_id: int) -> GroupSettings:
        row = await self._row(
            "SELECT warnings_enabled, last_warning_at, language FROM group_settings "
            "WHERE chat_id = $1",
            chat_id,
        )
        return group_settings_from(chat_id, row)

    async def set_group_language(self, chat_id: int, language: str) -> None:
        await self._execute(
            """INSERT INTO group_settings (chat_id, language, updated_at) VALUES ($1, $2, $3)
               ON CONFLICT (chat_id) DO UPDATE
               SET language = excluded.language, updated_at = excluded.updated_at""",
            chat_id,
            normalize_lang(language),
            self._now(),
        )

    async def set_warnings_enabled(self, chat_id: int, enabled: bool) -> None:
        await self._execute(
            """INSERT INTO group_settings (chat_id, warnings_enabled, updated_at)
               VALUES ($1, $2, $3)
               ON CONFLICT (chat_id) DO UPDATE
               SET warnings_enabled = excluded.warnings_enabled,
                   updated_at = excluded.updated_at""",
            chat_id,
            int(bool(enabled)),
            self._now(),
        )

    async def claim_warning_slot(self, chat_id: int, now: dt.datetime, cooldown_s: int) -> bool:
        """One statement decides and records; the server serialises it on the group's row,
        so replicas can never both get the slot."""
        rows = await self._write_rows(
            """INSERT INTO group_settings (chat_id, warnings_enabled, last_warning_at, updated_at)
               VALUES ($1, 1, $2, $2)
               ON CONFLICT (chat_id) DO UPDATE
               SET last_warning_at = excluded.last_warning_at, updated_at = excluded.updated_at
               WHERE group_settings.warnings_enabled = 1
                 AND (group_settings.last_warning_at IS NULL
                      OR $2 - group_settings.last_warning_at >= $3)
               RETURNING chat_id""",
            chat_id,
            to_unix(now),
            max(cooldown_s, 0),
        )
        return len(rows) == 1

    # -- inbox -----------------------------------------------------------------------------

    async def inbox_accept(self, entries: Sequence[tuple[int, int, int | None, str]]) -> list[int]:
        """Store incoming updates in one statement; the ids that were new."""
        if not entries:
            return []
        ids, chats, users, payloads = (list(column) for column in zip(*entries, strict=True))
        rows = await self._write_rows(
            """INSERT INTO inbox (update_id, chat_key, user_id, payload, received_at)
               SELECT u, c, p, d, $5
               FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[]) AS e(u, c, p, d)
               ON CONFLICT DO NOTHING RETURNING update_id""",
            ids,
            chats,
            users,
            payloads,
            self._now(),
        )
        return sorted(int(row[0]) for row in rows)

    async def inbox_claim(
        self, owner: str, *, limit: int = 100, lease_s: int = INBOX_LEASE_S
    ) -> list[InboxEntry]:
        """Claim the oldest pending update of each chat nobody (alive) holds."""
        rows = await self._write_rows(
            _INBOX_CLAIM, await self._owner(owner), self._now(), lease_s, max(limit, 0)
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
        await self._execute(
            "UPDATE inbox SET attempts = attempts + 1 WHERE update_id = $1", update_id
        )

    async def inbox_done(self, update_id: int, outcome: str = "done") -> None:
        await self._execute(_INBOX_DONE, self._now(), outcome, update_id)

    async def inbox_pending(self) -> int:
        return int(await self._value("SELECT COUNT(*) FROM inbox WHERE done_at IS NULL") or 0)

    async def prune_inbox(self, older_than: dt.datetime) -> int:
        return await self._execute(
            "DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < $1", to_unix(older_than)
        )

    async def release_claims(self) -> None:
        """Drop the claims of replicas that are gone; live replicas keep theirs. Safe whether
        or not other replicas share the database."""
        claim = _free("claimed_by", "claimed_at", now="$1", lease="$2")
        async with self._transaction() as conn:
            for table, pending in (("inbox", "done_at"), ("reminders", "sent_at")):
                await conn.execute(
                    f"""UPDATE {table} SET claimed_by = NULL, claimed_at = NULL
                        WHERE {pending} IS NULL AND claimed_by IS NOT NULL AND {claim}""",
                    self._now(),
                    INBOX_LEASE_S,
                )


def _without_password(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password, and an environment carrying it as PGPASSWORD."""
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password is None:
        return url, env
    env["PGPASSWORD"] = unquote(parts.password)
    netloc = parts.netloc.rsplit("@", 1)[1]
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return urlunsplit(parts._replace(netloc=netloc)), env


async def _insert_assessment(
    conn: Conn,
    head: tuple[int, int, str, str | None],
    body: tuple[str, str, str | None, int | None],
) -> int:
    """Insert an assessment unless this update already stored one; its id either way."""
    row_id = await conn.fetchval(_INSERT_ASSESSMENT, *head, *body)
    if row_id is None and body[3] is not None:
        row_id = await conn.fetchval("SELECT id FROM assessments WHERE update_id = $1", body[3])
    return int(row_id or 0)


async def _supersede(
    conn: Conn,
    user_id: int,
    check_id: str,
    current: int,
    reminder_due: dt.datetime | None,
) -> None:
    """The check's older assessments superseded by `current`, their unsent reminders moved."""
    if reminder_due is None:
        await conn.execute(
            f"DELETE FROM reminders WHERE sent_at IS NULL AND assessment_id IN ({_OLDER})",
            user_id,
            check_id,
            current,
        )
    else:
        await conn.execute(
            f"""UPDATE reminders SET assessment_id = $3, due_at = $4
                WHERE sent_at IS NULL AND assessment_id IN ({_OLDER})""",
            user_id,
            check_id,
            current,
            to_unix(reminder_due),
        )
    await conn.execute(
        f"UPDATE assessments SET superseded_by = $3 WHERE id IN ({_OLDER})",
        user_id,
        check_id,
        current,
    )
