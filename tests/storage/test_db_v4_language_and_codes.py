"""Schema 4: stored checks and reminders hold codes and figures, and each user and group has a
language. A database written by version 3 (with English sentences in it) is migrated and then
reads exactly as it did."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.claims.assessment import Assessment
from bot.claims.card import render_text
from bot.claims.reminder import reminder_message
from bot.storage import Database
from bot.storage.migrations import MIGRATIONS, split_statements

DATA = Path(__file__).parent / "data" / "v3_assessments.json"
ROWS: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))["rows"]
USER, LONER, CHAT = 501, 502, -100200
STORED_AT = int(dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp())
TRIM_NOTE = (  # an intended change: a CLI flag no longer leaks into chat
    "… more steps in the full assessment (--json).",
    "… and more steps than one message can hold.",
)
NO_DATES = (  # and a deadline step without dates no longer invents one
    "Open the dispute by an unknown date (today is the last day), the last day your order page "
    "shows.",
    "Find the last day to open a dispute on your order page (My Alibaba > Orders > this order) "
    "and open it before then; without the dates I cannot count the window for you.",
)
OLD_HTML = "⏰ Reminder: the last day to open your Trade Assurance dispute is <b>19 April 2026</b>."


def _version_3_database(path: Path) -> None:
    """The file as version 3 left it: its schema, English reasons, and a reminder's HTML."""
    with sqlite3.connect(path) as conn:
        for script in MIGRATIONS[:3]:
            for statement in split_statements(script):
                conn.execute(statement)
        conn.execute("PRAGMA user_version = 3")
        conn.execute(
            "INSERT INTO users (user_id, first_seen, last_seen, last_chat_type) "
            "VALUES (?, ?, ?, 'private')",
            (USER, STORED_AT, STORED_AT),
        )
        for n, row in enumerate(ROWS, 1):
            verdict = json.loads(row["assessment_json"])["verdict"]
            conn.execute(
                "INSERT INTO assessments (id, user_id, created_at, verdict, facts_json, "
                "assessment_json) VALUES (?, ?, ?, ?, ?, ?)",
                (n, USER, STORED_AT + n, verdict, row["facts_json"], row["assessment_json"]),
            )
        reminders = [  # (user, assessment, created, text) as versions 1 to 3 wrote them
            (USER, None, STORED_AT + 3, OLD_HTML),  # before reminders pointed at their check
            (USER, 2, STORED_AT + 10, "assessment"),  # the code-only form of #16
            (LONER, None, STORED_AT, OLD_HTML),  # a user whose checks are gone
        ]
        for user, assessment, created, text in reminders:
            conn.execute(
                "INSERT INTO reminders (user_id, chat_id, due_at, text, assessment_id, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (user, user, STORED_AT + 86_400, text, assessment, created),
            )
        conn.execute(
            "INSERT INTO group_settings (chat_id, warnings_enabled, updated_at) VALUES (?, 0, ?)",
            (CHAT, STORED_AT),
        )


@pytest.fixture
async def migrated(tmp_path: Path) -> AsyncIterator[Database]:
    path = tmp_path / "bot.sqlite3"
    _version_3_database(path)
    db = await Database.open(path)
    yield db
    await db.close()


async def test_stored_checks_read_the_same_after_the_migration(migrated: Database) -> None:
    stored = sorted(await migrated.list_assessments(USER, limit=100), key=lambda s: s.id)
    assert len(stored) == len(ROWS)
    for row, new in zip(ROWS, stored, strict=True):
        assessment = Assessment.model_validate_json(new.assessment_json)
        assert render_text(assessment) == row["card_text"].replace(*TRIM_NOTE).replace(*NO_DATES)
        day = dt.date.fromisoformat(row["reminder_on"])
        assert reminder_message(assessment, day) == row["reminder"]
        old = json.loads(row["assessment_json"])
        assert assessment.contract()["reasons"] == old["reasons"]  # the JSON contract's words
        assert assessment.contract()["next_steps"] == [
            s.replace(*NO_DATES) for s in old["next_steps"]
        ]


async def test_no_sentence_is_left_in_the_stored_rows(migrated: Database) -> None:
    for new in await migrated.list_assessments(USER, limit=100):
        data = json.loads(new.assessment_json)
        assert "next_steps" not in data and all("text" not in r for r in data["reasons"])
        assert all(set(step) <= {"code", "figures"} for step in data["steps"])
        assert not any(" the " in json.dumps(step) for step in data["steps"])


async def test_reminders_keep_what_they_are_about_not_their_words(migrated: Database) -> None:
    mine = await migrated.pending_reminders(USER)
    assert [(r.assessment_id, r.kind, r.text) for r in mine] == [
        (3, "assessment", ""),  # tied to the check stored last before it was set
        (2, "assessment", ""),
    ]
    (orphan,) = await migrated.pending_reminders(LONER)
    assert (orphan.assessment_id, orphan.kind, orphan.text) == (None, "cases", "")


async def test_languages_start_unknown_and_group_settings_are_kept(migrated: Database) -> None:
    assert await migrated.user_language(USER) is None
    settings = await migrated.group_settings(CHAT)
    assert settings.warnings_enabled is False and settings.language == "en"


async def test_first_contact_stores_telegram_s_language_and_only_language_changes_it(
    tmp_path: Path,
) -> None:
    db = await Database.open(tmp_path / "new.sqlite3")
    try:
        await db.touch_user(1, chat_type="private", language_code="en-GB")
        assert await db.user_language(1) == "en"
        await db.touch_user(2, chat_type="private", language_code="pt-BR")
        assert (await db._row("SELECT language FROM users WHERE user_id = 2"))[0] == "pt"
        assert await db.user_language(2) == "pt"
        await db.touch_user(4, chat_type="private", language_code="de")  # stored, read as English
        assert (await db._row("SELECT language FROM users WHERE user_id = 4"))[0] == "de"
        assert await db.user_language(4) == "en"
        await db.touch_user(3, chat_type="private")
        assert await db.user_language(3) is None
        await db.touch_user(3, chat_type="private", language_code="en")
        await db.set_user_language(3, "en", chat_type="private")
        await db.touch_user(3, chat_type="private", language_code="de")  # not a change of mind
        assert (await db._row("SELECT language FROM users WHERE user_id = 3"))[0] == "en"
        await db.set_group_language(CHAT, "en")
        assert (await db.group_settings(CHAT)).language == "en"
        reminder = await db.add_reminder(
            1, 1, due_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC), text="ignored", assessment_id=None
        )
        (stored,) = await db.pending_reminders(1)
        assert (stored.id, stored.kind, stored.text) == (reminder, "cases", "")
    finally:
        await db.close()


def test_rows_the_upgrade_cannot_read_are_left_alone() -> None:
    from bot.claims.stored import upgrade_assessment_json

    facts = ROWS[0]["facts_json"]
    day = dt.date(2026, 1, 1)
    assert upgrade_assessment_json(facts, "not json", day) is None
    assert upgrade_assessment_json(facts, '{"verdict": "eligible", "next_steps": []}', day) is None
    v1 = '{"eligible": true, "reasons": ["Late shipment is covered."], "next_steps": ["File"]}'
    assert upgrade_assessment_json(facts, v1, day) is None
    no_decisive = json.loads(ROWS[0]["assessment_json"])
    no_decisive["reasons"] = [r for r in no_decisive["reasons"] if r["severity"] != "decisive"]
    assert upgrade_assessment_json(facts, json.dumps(no_decisive), day) is None
    upgraded = upgrade_assessment_json(facts, ROWS[0]["assessment_json"], day)
    assert upgraded is not None and upgrade_assessment_json(facts, upgraded, day) is None
