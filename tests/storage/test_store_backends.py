"""The inbox, `/forget`, health and backups, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.storage import USER_FREE_TABLES, InspectableStorage, StorageError
from bot.storage.factory import open_storage
from bot.storage.inbox import applying
from bot.storage.postgres import PostgresDatabase, redact
from tests.postgres_server import PostgresServer
from tests.storage.conftest import T0, FakeClock, OpenStore, Raw

MARK = "zebra-ledger-4471"


def _update(update_id: int, chat: int, text: str = "hi") -> tuple[int, int, int, str]:
    payload = json.dumps({"update_id": update_id, "message": {"chat": {"id": chat}, "text": text}})
    return update_id, chat, chat, payload


async def populate(db: InspectableStorage, user_id: int, *, text: str) -> None:
    """A row about the user in every table that can hold user data."""
    await db.touch_user(user_id, chat_type="private")
    await db.save_check(user_id, json.dumps({"note": text}))
    aid = await db.add_assessment(
        user_id, facts_json="{}", assessment_json="{}", verdict="eligible", deadline=None
    )
    await db.add_reminder(user_id, user_id, due_at=T0, text=text, assessment_id=aid)
    await db.add_feedback(user_id, "fees", True)
    await db.log_question(user_id, "private", text, None, "none")
    await db.log_check_event(user_id, "started")
    await db.inbox_accept([_update(user_id * 1000, user_id, text)])


async def test_inbox_drops_replays_and_forgets_handled_content(
    store: InspectableStorage, raw: Raw
) -> None:
    assert await store.inbox_accept([_update(1, 7), _update(2, 7)]) == [1, 2]
    assert await store.inbox_accept([_update(2, 7), _update(3, 8)]) == [3]  # 2 is a replay
    [first, other] = await store.inbox_claim("me")
    assert (first.update_id, other.update_id) == (1, 3)  # chat 7's head and chat 8's head
    await store.inbox_started(1)
    await store.inbox_done(1)
    assert await raw("SELECT payload, chat_key, outcome FROM inbox WHERE update_id = 1") == [
        (None, None, "done")
    ]
    [second] = await store.inbox_claim("me")
    assert (second.update_id, second.attempts) == (2, 0)
    assert await store.inbox_pending() == 2
    assert await store.inbox_accept([_update(1, 7)]) == []  # still known once handled


async def test_prune_inbox_keeps_pending_updates(
    store: InspectableStorage, clock: FakeClock
) -> None:
    await store.inbox_accept([_update(1, 7), _update(2, 8)])
    await store.inbox_done(1)
    clock.advance(days=3)
    assert await store.prune_inbox(clock() - dt.timedelta(days=2)) == 1
    assert await store.inbox_pending() == 1


async def test_forget_user_on_every_backend(store: InspectableStorage, raw: Raw) -> None:
    await populate(store, 1, text=MARK)
    await populate(store, 2, text="someone else")
    before = await store.rows_for_user(1)
    assert set(before) == set(await store.tables()) - USER_FREE_TABLES
    assert all(before.values()), before
    with applying(5000):  # the /forget update itself is marked done, not deleted
        assert await store.forget_user(1) == sum(before.values())
    assert await store.rows_for_user(1) == dict.fromkeys(before, 0)
    assert all((await store.rows_for_user(2)).values())
    everything = [await raw(f'SELECT * FROM "{table}"') for table in await store.tables()]
    assert MARK not in repr(everything) and "someone else" in repr(everything)


async def test_forget_covers_a_table_added_later(open_store: OpenStore, raw: Raw) -> None:
    await raw("CREATE TABLE extra_notes (user_id BIGINT, note TEXT)")
    await raw(f"INSERT INTO extra_notes VALUES (1, '{MARK}')")
    store = await open_store()
    assert "extra_notes" in await store.user_tables()
    await store.forget_user(1)
    assert await raw("SELECT COUNT(*) FROM extra_notes") == [(0,)]


async def test_forget_user_is_all_or_nothing(open_store: OpenStore) -> None:
    store = await open_store()
    await populate(store, 1, text=MARK)
    before = await store.rows_for_user(1)
    store._user_tables = (*store._user_tables, "no_such_table")  # type: ignore[attr-defined]
    with pytest.raises(StorageError):
        await store.forget_user(1)
    store._user_tables = store._user_tables[:-1]  # type: ignore[attr-defined]
    assert await store.rows_for_user(1) == before
    assert await store.forget_user(1) == sum(before.values())


async def test_health_of_a_working_database(store: InspectableStorage) -> None:
    report = await store.health()
    assert report["db"] is True and report["db_writable"] is True
    assert await store.ping() and await store.writable()


async def test_a_newer_schema_is_refused(open_store: OpenStore, raw: Raw, backend: str) -> None:
    store = await open_store()
    await store.close()
    if backend == "postgresql":
        await raw("INSERT INTO ta_advisor_schema VALUES (999, 0)")
    else:
        await raw("PRAGMA user_version = 999")
    with pytest.raises(StorageError, match="newer"):
        await open_store()


def test_a_url_is_printed_without_its_password() -> None:
    assert redact("postgresql://bot:s3cret@db:5432/ta") == "postgresql://bot:***@db:5432/ta"
    assert redact("postgresql://db/ta") == "postgresql://db/ta"


async def test_an_unreachable_server_is_one_clear_line() -> None:
    url = "postgresql://bot:s3cret@127.0.0.1:9/ta"  # the discard port: nothing listens
    with pytest.raises(StorageError) as caught:
        await open_storage(url, verify=True)
    assert "cannot connect" in str(caught.value) and "s3cret" not in str(caught.value)


@pytest.mark.skipif(shutil.which("pg_restore") is None, reason="pg_restore is not installed")
async def test_pg_dump_backup_restores_into_an_empty_database(
    postgres_server: PostgresServer, postgres_url: str, tmp_path: Path
) -> None:
    dest = tmp_path / "ta-advisor-1.pgdump"
    async with await PostgresDatabase.open(postgres_url) as db:
        await populate(db, 1, text=MARK)
        await db.backup(dest)
        before = await db.rows_for_user(1)
    assert dest.exists() and dest.stat().st_mode & 0o077 == 0
    target = await postgres_server.create_database()
    try:
        url = postgres_server.url_for(target)
        done = subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={url}", str(dest)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        async with await PostgresDatabase.open(url) as restored:
            assert await restored.rows_for_user(1) == before
            assert await restored.load_check(1) == json.dumps({"note": MARK})
    finally:
        await postgres_server.drop_database(target)
