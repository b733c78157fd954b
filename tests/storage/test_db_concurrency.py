"""Races: the warning slot, and writes interleaved with a multi-statement transaction."""

from __future__ import annotations

import asyncio
import datetime as dt

from tests.storage.conftest import OpenStore

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


async def test_claim_warning_slot_grants_exactly_one_of_many(open_store: OpenStore) -> None:
    async with await open_store() as db:
        results = await asyncio.gather(*(db.claim_warning_slot(-1, NOW, 3600) for _ in range(200)))
        assert results.count(True) == 1
        later = NOW + dt.timedelta(seconds=3600)
        results = await asyncio.gather(
            *(db.claim_warning_slot(-1, later, 3600) for _ in range(200))
        )
        assert results.count(True) == 1


async def test_claim_warning_slot_is_race_free_across_connections(open_store: OpenStore) -> None:
    first = await open_store()
    second = await open_store()  # another process on the same database
    try:
        calls = [db.claim_warning_slot(-7, NOW, 60) for _ in range(50) for db in (first, second)]
        results = await asyncio.gather(*calls)
        assert results.count(True) == 1
    finally:
        await first.close()
        await second.close()


async def test_writes_interleaved_with_forget_are_never_lost_or_half_applied(
    open_store: OpenStore,
) -> None:
    async with await open_store() as db:

        async def other_user_writes(n: int) -> None:
            await db.save_check(2, f'{{"n": {n}}}')
            await db.log_check_event(2, "started")

        async def forget_writes(n: int) -> int:
            await db.log_check_event(1, "started")
            return await db.forget_user(1)

        await asyncio.gather(
            *(other_user_writes(n) for n in range(50)), *(forget_writes(n) for n in range(50))
        )
        counts = await db.rows_for_user(2)
        assert counts["check_events"] == 50 and counts["check_states"] == 1
        assert sum((await db.rows_for_user(1)).values()) == 0
