"""Several processes on one database: claims, start-up migrations, a replica that dies.

Each "replica" is a store opened separately on the test's database, as another process would.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest

from bot.storage import InspectableStorage
from bot.storage.migrations import MIGRATIONS, SCHEMA_VERSION
from bot.storage.pg_schema import SCHEMA_TABLE, translate
from bot.storage.postgres import PostgresDatabase
from tests.storage.conftest import T0, OpenStore, Raw


def _update(update_id: int, chat: int) -> tuple[int, int, int, str]:
    payload = json.dumps({"update_id": update_id, "message": {"chat": {"id": chat}}})
    return update_id, chat, chat, payload


async def test_replicas_claim_each_update_once_and_each_chat_in_order(
    open_store: OpenStore,
) -> None:
    replicas = [await open_store() for _ in range(3)]
    chats = (11, 12, 13, 14)
    await replicas[0].inbox_accept([_update(100 + n, chats[n % 4]) for n in range(40)])
    handled: list[tuple[int, int]] = []
    holding: dict[int, int] = {}  # chat -> update being handled

    async def work(store: InspectableStorage, name: str) -> None:
        idle = 0
        while idle < 3:
            entries = await store.inbox_claim(name, limit=8)
            idle = 0 if entries else idle + 1
            for entry in entries:
                assert entry.chat_key not in holding, "two updates of one chat at once"
                holding[entry.chat_key] = entry.update_id
                await asyncio.sleep(0)  # let the other replicas try to claim meanwhile
                handled.append((entry.chat_key, entry.update_id))
                del holding[entry.chat_key]
                await store.inbox_done(entry.update_id)
            await asyncio.sleep(0.01)

    await asyncio.gather(*(work(store, f"r{i}") for i, store in enumerate(replicas)))
    assert sorted(u for _, u in handled) == list(range(100, 140))  # each exactly once
    for chat in chats:
        ids = [u for c, u in handled if c == chat]
        assert ids == sorted(ids), f"chat {chat} out of order"
    assert await replicas[1].inbox_pending() == 0


async def test_replicas_send_each_due_reminder_once(open_store: OpenStore) -> None:
    replicas = [await open_store() for _ in range(3)]
    for n in range(60):
        await replicas[0].add_reminder(n, n, due_at=T0, text="due", assessment_id=None)
    got: list[list[int]] = [[] for _ in replicas]

    async def job(index: int) -> None:
        while claimed := await replicas[index].claim_due_reminders(T0, f"r{index}", limit=5):
            for reminder in claimed:
                got[index].append(reminder.id)
                await replicas[index].mark_reminder_sent(reminder.id)

    await asyncio.gather(*(job(i) for i in range(len(replicas))))
    everything = [rid for ids in got for rid in ids]
    assert len(everything) == len(set(everything)) == 60
    assert await replicas[2].due_reminders(T0) == []


async def test_replicas_share_the_group_warning_cool_down(open_store: OpenStore) -> None:
    replicas = [await open_store() for _ in range(3)]
    calls = [r.claim_warning_slot(-500, T0, 600) for _ in range(30) for r in replicas]
    assert (await asyncio.gather(*calls)).count(True) == 1
    later = T0 + dt.timedelta(seconds=600)
    calls = [r.claim_warning_slot(-500, later, 600) for _ in range(30) for r in replicas]
    assert (await asyncio.gather(*calls)).count(True) == 1


async def test_replicas_starting_together_migrate_once(open_store: OpenStore, raw: Raw) -> None:
    stores = await asyncio.gather(*(open_store() for _ in range(4)))
    assert {await store.schema_version() for store in stores} == {SCHEMA_VERSION}
    if stores[0].kind == "postgresql":
        rows = await raw(f"SELECT version FROM {SCHEMA_TABLE} ORDER BY version")
        assert rows == [(v,) for v in range(1, len(MIGRATIONS) + 1)]


async def test_a_dead_replicas_claims_are_taken_over_at_once(postgres_url: str) -> None:
    alive = await PostgresDatabase.open(postgres_url)
    doomed = await PostgresDatabase.open(postgres_url)
    try:
        await alive.inbox_accept([_update(1, 5), _update(2, 5)])
        await alive.add_reminder(5, 5, due_at=T0, text="due", assessment_id=None)
        [entry] = await doomed.inbox_claim("doomed")
        [reminder] = await doomed.claim_due_reminders(T0, "doomed")
        # Held by a live replica: nobody else gets them, however long it takes (< lease).
        assert await alive.inbox_claim("alive") == []
        assert await alive.claim_due_reminders(T0, "alive") == []
        await doomed.close()  # its connections drop, as when the process is killed
        [again] = await alive.inbox_claim("alive")
        assert again.update_id == entry.update_id == 1  # the chat's head, not update 2
        [resent] = await alive.claim_due_reminders(T0, "alive")
        assert resent.id == reminder.id
    finally:
        await alive.close()
        await doomed.close()


async def test_release_claims_on_a_server_keeps_live_replicas_claims(postgres_url: str) -> None:
    first = await PostgresDatabase.open(postgres_url)
    second = await PostgresDatabase.open(postgres_url)
    try:
        await first.inbox_accept([_update(1, 5)])
        [_] = await first.inbox_claim("first")
        await second.release_claims()  # a replica starting up while the first one works
        assert await second.inbox_claim("second") == []
    finally:
        await first.close()
        await second.close()


def test_every_migration_translates_for_postgresql() -> None:
    for script in MIGRATIONS:
        statements = translate(script)
        assert statements and all(" INTEGER" not in s.upper() for s in statements)
        assert all("AUTOINCREMENT" not in s.upper() for s in statements)
    assert "GENERATED BY DEFAULT AS IDENTITY" in " ".join(translate(MIGRATIONS[0]))


@pytest.mark.parametrize(
    "sqlite_only",
    [
        "INSERT OR IGNORE INTO users (user_id) VALUES (1);",
        "PRAGMA foreign_keys = ON;",
        "UPDATE assessments SET verdict = json_extract(assessment_json, '$.v');",
    ],
)
def test_sqlite_only_sql_is_refused_not_mistranslated(sqlite_only: str) -> None:
    with pytest.raises(ValueError, match="POSTGRES_OVERRIDES"):
        translate(sqlite_only)


async def test_row_rewrites_of_a_version_run_on_postgresql(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data step declared beside a migration (`migrations.DATA_MIGRATIONS`) is applied by
    the PostgreSQL runner too, in that version's transaction."""
    from dataclasses import dataclass
    from typing import Any

    import bot.storage.migrations as migrations_module
    import bot.storage.pg_schema as pg_schema_module
    import bot.storage.postgres as postgres_module

    @dataclass(frozen=True)
    class Rewrite:
        table: str
        key: str
        reads: tuple[str, ...]
        convert: Any

    async with await PostgresDatabase.open(postgres_url) as db:
        await db.set_warnings_enabled(-1, False)
        await db.set_warnings_enabled(-2, True)
    extra = "ALTER TABLE group_settings ADD COLUMN note TEXT;"
    version = len(MIGRATIONS) + 1
    for module in (pg_schema_module, postgres_module):
        monkeypatch.setattr(module, "MIGRATIONS", (*MIGRATIONS, extra))
    step = Rewrite(
        "group_settings",
        "chat_id",
        ("warnings_enabled",),
        lambda row: None if row["warnings_enabled"] else {"note": f"off in {row['chat_id']}"},
    )
    monkeypatch.setattr(migrations_module, "DATA_MIGRATIONS", {version: (step,)}, raising=False)
    async with await PostgresDatabase.open(postgres_url) as db:
        assert await db.schema_version() == version
        rows = await db._rows("SELECT chat_id, note FROM group_settings ORDER BY chat_id")
        assert [tuple(r) for r in rows] == [(-2, None), (-1, "off in -1")]
