"""Each repository method of the storage, on SQLite and on PostgreSQL, with a controllable
clock."""

from __future__ import annotations

import datetime as dt
import sqlite3

import asyncpg
import pytest

from bot.storage import DataRefused, GroupSettings, InspectableStorage, Reminder
from tests.storage.conftest import T0, FakeClock, Raw


@pytest.fixture
def db(store: InspectableStorage) -> InspectableStorage:
    return store


# -- users ---------------------------------------------------------------------------------


async def test_touch_user_records_first_and_last_seen(
    db: InspectableStorage, clock: FakeClock, raw: Raw
) -> None:
    await db.touch_user(1, chat_type="private")
    clock.advance(hours=2)
    await db.touch_user(1, chat_type="group")
    rows = await raw("SELECT * FROM users")
    start = int(T0.timestamp())
    assert rows == [(1, start, start + 7200, "group", None)]  # no language known yet


# -- guided checks -------------------------------------------------------------------------


async def test_check_state_save_load_overwrite_delete(db: InspectableStorage) -> None:
    assert await db.load_check(1) is None
    await db.save_check(1, '{"step": 1}')
    await db.save_check(2, '{"step": 9}')
    await db.save_check(1, '{"step": 2}')
    assert await db.load_check(1) == '{"step": 2}'
    assert await db.load_check(2) == '{"step": 9}'
    await db.delete_check(1)
    await db.delete_check(1)
    assert await db.load_check(1) is None
    assert await db.load_check(2) == '{"step": 9}'


# -- assessments ---------------------------------------------------------------------------


async def test_assessments_newest_first_with_limit(
    db: InspectableStorage, clock: FakeClock
) -> None:
    ids = []
    for n in range(3):
        ids.append(
            await db.add_assessment(
                5,
                facts_json=f'{{"n": {n}}}',
                assessment_json="{}",
                verdict="eligible",
                deadline=dt.date(2026, 4, n + 1) if n else None,
            )
        )
        clock.advance(minutes=1)
    await db.add_assessment(
        6, facts_json="{}", assessment_json="{}", verdict="not_eligible", deadline=None
    )
    listed = await db.list_assessments(5)
    assert [a.id for a in listed] == ids[::-1]
    assert listed[0].deadline == dt.date(2026, 4, 3)
    assert listed[-1].deadline is None
    assert listed[-1].created_at == T0
    assert listed[0].facts_json == '{"n": 2}'
    assert [a.id for a in await db.list_assessments(5, limit=2)] == ids[:0:-1]


async def test_assessments_in_the_same_second_keep_insertion_order(db: InspectableStorage) -> None:
    first = await db.add_assessment(
        1, facts_json="{}", assessment_json="{}", verdict="eligible", deadline=None
    )
    second = await db.add_assessment(
        1, facts_json="{}", assessment_json="{}", verdict="eligible", deadline=None
    )
    assert [a.id for a in await db.list_assessments(1)] == [second, first]


async def test_get_assessment_only_for_its_owner(db: InspectableStorage) -> None:
    aid = await db.add_assessment(
        1, facts_json="{}", assessment_json='{"a": 1}', verdict="eligible", deadline=None
    )
    found = await db.get_assessment(1, aid)
    assert found is not None and found.assessment_json == '{"a": 1}'
    assert await db.get_assessment(2, aid) is None
    assert await db.get_assessment(1, aid + 100) is None


async def test_deadline_must_be_a_date(db: InspectableStorage) -> None:
    with pytest.raises(TypeError):
        await db.add_assessment(
            1, facts_json="{}", assessment_json="{}", verdict="eligible", deadline=T0
        )


# -- reminders -----------------------------------------------------------------------------


async def test_reminders_due_sent_and_pending(db: InspectableStorage, clock: FakeClock) -> None:
    aid = await db.add_assessment(
        1, facts_json="{}", assessment_json="{}", verdict="eligible", deadline=None
    )
    early = await db.add_reminder(
        1, 1, due_at=T0 + dt.timedelta(days=1), text="soon", assessment_id=aid
    )
    late = await db.add_reminder(
        1, 1, due_at=T0 + dt.timedelta(days=5), text="later", assessment_id=None
    )
    other = await db.add_reminder(2, 20, due_at=T0, text="other", assessment_id=None)

    assert [r.id for r in await db.due_reminders(T0)] == [other]
    due = await db.due_reminders(T0 + dt.timedelta(days=1))
    assert [r.id for r in due] == [other, early]
    assert due[1] == Reminder(
        id=early,
        user_id=1,
        chat_id=1,
        due_at=T0 + dt.timedelta(days=1),
        text="",  # no words are stored: the reminder is written when it is sent
        assessment_id=aid,
        sent_at=None,
        kind="assessment",
    )

    clock.advance(days=1)
    await db.mark_reminder_sent(early)
    clock.advance(days=1)
    await db.mark_reminder_sent(early)  # keeps the first delivery time
    assert [r.id for r in await db.due_reminders(T0 + dt.timedelta(days=10))] == [other, late]
    assert [r.id for r in await db.pending_reminders(1)] == [late]
    assert await db.pending_reminders(3) == []


async def test_reminder_times_must_be_aware(db: InspectableStorage) -> None:
    with pytest.raises(ValueError, match="naive"):
        await db.add_reminder(1, 1, due_at=dt.datetime(2026, 1, 1), text="x", assessment_id=None)
    with pytest.raises(ValueError, match="naive"):
        await db.due_reminders(dt.datetime(2026, 1, 1))


async def test_reminder_times_in_other_zones_are_the_same_instant(db: InspectableStorage) -> None:
    tokyo = dt.timezone(dt.timedelta(hours=9))
    rid = await db.add_reminder(1, 1, due_at=T0.astimezone(tokyo), text="x", assessment_id=None)
    [stored] = await db.pending_reminders(1)
    assert stored.id == rid and stored.due_at == T0 and stored.due_at.tzinfo == dt.UTC


async def test_reminder_for_an_unknown_assessment_is_refused(db: InspectableStorage) -> None:
    with pytest.raises(DataRefused):
        await db.add_reminder(1, 1, due_at=T0, text="x", assessment_id=999)


async def test_delete_reminder_only_by_owner(db: InspectableStorage) -> None:
    rid = await db.add_reminder(1, 1, due_at=T0, text="x", assessment_id=None)
    assert not await db.delete_reminder(2, rid)
    assert await db.delete_reminder(1, rid)
    assert not await db.delete_reminder(1, rid)
    assert await db.pending_reminders(1) == []


# -- feedback ------------------------------------------------------------------------------


async def test_feedback_is_one_vote_per_user_and_topic(db: InspectableStorage) -> None:
    await db.add_feedback(1, "fees", True)
    await db.add_feedback(1, "fees", True)
    await db.add_feedback(1, "fees", False)
    await db.add_feedback(1, "limits", True)
    await db.add_feedback(2, "fees", True)
    stats = await db.stats()
    assert (stats.feedback_up, stats.feedback_down) == (2, 1)


# -- question log --------------------------------------------------------------------------


async def test_question_text_is_kept_only_when_unanswered(db: InspectableStorage, raw: Raw) -> None:
    await db.log_question(1, "private", "what are the fees", "fees", "answer")
    await db.log_question(1, "private", "fees or limits?", "fees", "suggest")
    await db.log_question(1, "private", "can I pay in bitcoin", None, "none")
    await db.log_question(None, "inline", "", None, "none")
    rows = await raw("SELECT decision, topic_id, text FROM question_log ORDER BY id")
    assert rows == [
        ("answer", "fees", None),
        ("suggest", "fees", None),
        ("none", None, "can I pay in bitcoin"),
        ("none", None, None),
    ]


async def test_schema_refuses_text_for_answered_questions(db: InspectableStorage, raw: Raw) -> None:
    refused = (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)
    with pytest.raises(refused):
        await raw(
            "INSERT INTO question_log (chat_type, decision, text, created_at) "
            "VALUES ('private', 'answer', 'secret', 0)"
        )


async def test_long_unanswered_questions_are_cut(db: InspectableStorage) -> None:
    await db.log_question(1, "private", "x" * 5000, None, "none")
    [(text, count)] = await db.top_unanswered()
    assert len(text) == 1000 and count == 1


async def test_top_unanswered_groups_similar_wordings(
    db: InspectableStorage, clock: FakeClock
) -> None:
    for text in ("Can I pay in Bitcoin?", "can i pay in  bitcoin", "CAN I PAY IN BITCOIN!!"):
        await db.log_question(1, "private", text, None, "none")
    await db.log_question(2, "private", "is there a phone number", None, "none")
    clock.advance(days=2)
    await db.log_question(2, "group", "who is the CEO", None, "none")
    await db.log_question(3, "private", "who is the ceo?", None, "none")
    await db.log_question(3, "private", "fees", "fees", "answer")

    assert await db.top_unanswered() == [
        ("CAN I PAY IN BITCOIN!!", 3),
        ("who is the ceo?", 2),
        ("is there a phone number", 1),
    ]
    assert await db.top_unanswered(limit=1) == [("CAN I PAY IN BITCOIN!!", 3)]
    assert await db.top_unanswered(since=T0 + dt.timedelta(days=1)) == [("who is the ceo?", 2)]


# -- group settings ------------------------------------------------------------------------


async def test_group_settings_default_and_switch(db: InspectableStorage) -> None:
    assert await db.group_settings(-100) == GroupSettings(chat_id=-100)
    await db.set_warnings_enabled(-100, False)
    assert not (await db.group_settings(-100)).warnings_enabled
    await db.set_warnings_enabled(-100, True)
    assert (await db.group_settings(-100)).warnings_enabled


async def test_claim_warning_slot_respects_cooldown_and_switch(db: InspectableStorage) -> None:
    chat = -100
    assert await db.claim_warning_slot(chat, T0, 3600)
    assert (await db.group_settings(chat)).last_warning_at == T0
    assert not await db.claim_warning_slot(chat, T0 + dt.timedelta(seconds=3599), 3600)
    assert await db.claim_warning_slot(chat, T0 + dt.timedelta(seconds=3600), 3600)

    await db.set_warnings_enabled(chat, False)
    assert not await db.claim_warning_slot(chat, T0 + dt.timedelta(days=1), 3600)
    settings = await db.group_settings(chat)
    assert settings.last_warning_at == T0 + dt.timedelta(seconds=3600)
    assert not settings.warnings_enabled

    await db.set_warnings_enabled(chat, True)
    assert await db.claim_warning_slot(chat, T0 + dt.timedelta(days=1), 3600)
    assert await db.claim_warning_slot(-200, T0, 3600)  # other chats are independent


async def test_disabled_before_any_warning_never_claims(db: InspectableStorage) -> None:
    await db.set_warnings_enabled(-5, False)
    assert not await db.claim_warning_slot(-5, T0, 0)


# -- check events and stats ----------------------------------------------------------------


async def test_unknown_check_event_is_refused(db: InspectableStorage) -> None:
    with pytest.raises(ValueError, match="unknown check event"):
        await db.log_check_event(1, "paused")


async def test_stats_over_all_time_and_a_period(db: InspectableStorage, clock: FakeClock) -> None:
    # Day 0: an old user and old activity.
    await db.touch_user(1, chat_type="private")
    await db.log_question(1, "private", "fees?", "fees", "answer")
    await db.log_question(1, "private", "bitcoin?", None, "none")
    await db.add_feedback(1, "fees", False)
    await db.log_check_event(1, "started")
    await db.log_check_event(1, "cancelled")
    await db.add_assessment(
        1, facts_json="{}", assessment_json="{}", verdict="not_eligible", deadline=None
    )

    # Day 3: user 1 comes back, user 2 is new.
    since = clock.advance(days=3)
    await db.touch_user(1, chat_type="private")
    await db.touch_user(2, chat_type="group")
    for topic in ("limits", "fees", "limits"):
        await db.log_question(2, "group", "q", topic, "answer")
    await db.log_question(2, "group", "fees or limits", "fees", "suggest")
    await db.add_feedback(2, "limits", True)
    for _ in range(2):
        await db.log_check_event(2, "started")
    await db.log_check_event(2, "finished")
    for verdict in ("eligible", "eligible_with_risks", "eligible"):
        await db.add_assessment(
            2, facts_json="{}", assessment_json="{}", verdict=verdict, deadline=None
        )

    recent = await db.stats(since)
    assert (recent.users, recent.new_users) == (2, 1)
    assert (recent.questions, recent.answered, recent.suggested, recent.unanswered) == (4, 3, 1, 0)
    assert recent.answer_rate == pytest.approx(0.75)
    assert recent.top_topics == [("limits", 2), ("fees", 1)]
    assert (recent.feedback_up, recent.feedback_down) == (1, 0)
    assert (recent.checks_started, recent.checks_finished, recent.checks_cancelled) == (2, 1, 0)
    assert recent.verdicts == {"eligible": 2, "eligible_with_risks": 1}
    assert recent.since == since

    total = await db.stats()
    assert (total.users, total.new_users, total.questions, total.unanswered) == (2, 2, 6, 1)
    assert total.top_topics == [("fees", 2), ("limits", 2)]
    assert (total.checks_started, total.checks_cancelled) == (3, 1)
    assert total.verdicts == {"eligible": 2, "eligible_with_risks": 1, "not_eligible": 1}
    assert (await db.stats(top_n=1)).top_topics == [("fees", 2)]


async def test_stats_of_an_empty_database(db: InspectableStorage) -> None:
    stats = await db.stats()
    assert stats.questions == 0 and stats.answer_rate == 0.0
    assert stats.top_topics == [] and stats.verdicts == {}
