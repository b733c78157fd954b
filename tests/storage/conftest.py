"""The storage tests run on both backends: every test that takes `backend` (or `open_store`,
`store`, `raw`) runs once on SQLite and once on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import asyncpg
import pytest

from bot.storage import Database, InspectableStorage
from bot.storage.postgres import PostgresDatabase
from bot.storage.timestamps import utc_now

T0 = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)

BACKENDS = ("sqlite", "postgresql")

OpenStore = Callable[..., Awaitable[InspectableStorage]]
Raw = Callable[[str], Awaitable[list[tuple[object, ...]]]]


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def location(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The test's database: a file, or a fresh database on the test server."""
    if backend == "sqlite":
        return str(tmp_path / "bot.sqlite3")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
async def open_store(location: str) -> AsyncIterator[OpenStore]:
    """Opens the test's database (as often as a test wants: several "processes"); all closed
    at the end."""
    opened: list[InspectableStorage] = []

    async def open_it(
        *, clock: Callable[[], dt.datetime] = utc_now, verify: bool = False
    ) -> InspectableStorage:
        store: InspectableStorage
        if location.startswith("postgresql://"):
            store = await PostgresDatabase.open(location, clock=clock, verify=verify)
        else:
            store = await Database.open(location, clock=clock, verify=verify)
        opened.append(store)
        return store

    yield open_it
    for store in opened:
        await store.close()


@pytest.fixture
async def store(open_store: OpenStore, clock: FakeClock) -> InspectableStorage:
    return await open_store(clock=clock)


@pytest.fixture
def raw(location: str) -> Raw:
    """Read the test's database behind the store's back (plain SQL, no parameters)."""

    async def query(sql: str) -> list[tuple[object, ...]]:
        if location.startswith("postgresql://"):
            conn = await asyncpg.connect(location)
            try:
                return [tuple(row) for row in await conn.fetch(sql)]
            finally:
                await conn.close()
        with sqlite3.connect(location) as conn:
            return [tuple(row) for row in conn.execute(sql).fetchall()]

    return query
