"""Handling an update again after a kill writes nothing twice (see `bot.storage.inbox`)."""

from __future__ import annotations

import datetime as dt

from bot.storage import InspectableStorage
from bot.storage.inbox import applying
from tests.storage.conftest import OpenStore

DUE = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


async def _first_and_second_run(db: InspectableStorage, update_id: int) -> None:
    """What a check step does: read the state, apply the answer, store it."""
    for rerun in (False, True):  # the first run was cut after its writes; then it runs again
        with applying(update_id, rerun=rerun):
            state = await db.load_check(1)
            await db.save_check(1, (state or "") + f"+{update_id}")
            assert await db.load_check(1) == (state or "") + f"+{update_id}"


async def test_a_check_step_handled_again_is_applied_once(open_store: OpenStore) -> None:
    async with await open_store() as db:
        await _first_and_second_run(db, 5)
        await _first_and_second_run(db, 6)
        assert await db.load_check(1) == "+5+6"  # not "+5+5+6+6"


async def test_results_events_questions_and_reminders_of_one_update_are_stored_once(
    open_store: OpenStore,
) -> None:
    async with await open_store() as db:
        ids = set()
        for rerun in (False, True):
            with applying(9, rerun=rerun):
                await db.log_check_event(1, "started")
                await db.log_question(1, "private", "what now?", None, "none")
                aid = await db.finish_check(
                    1, "{}", facts_json="{}", assessment_json="{}", verdict="x", deadline=None
                )
                rid = await db.add_reminder(1, 1, due_at=DUE, text="t", assessment_id=aid)
                ids.add((aid, rid))
        assert len(ids) == 1
        counts = await db.rows_for_user(1)
        assert counts["assessments"] == 1 and counts["reminders"] == 1
        assert counts["check_events"] == 2  # started and finished, once each
        assert counts["question_log"] == 1
        # Without an update (the terminal chat), every call counts.
        await db.log_check_event(1, "started")
        assert (await db.rows_for_user(1))["check_events"] == 3
