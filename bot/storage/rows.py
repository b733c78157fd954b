"""Rules and conversions both backends share, so SQLite and PostgreSQL give the same answers.

Rows are read by column name (`sqlite3.Row` and asyncpg's `Record` both allow it); what makes
a question "the same" and which text is kept is decided here, once.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from bot.i18n import normalize_lang
from bot.storage.inbox import UpdateScope
from bot.storage.privacy import mask_personal_data
from bot.storage.records import GroupSettings, Reminder, StoredAssessment
from bot.storage.timestamps import from_iso_date, from_unix, optional_from_unix

MAX_QUESTION_CHARS = 1000
"""Unanswered questions are kept for curators; longer texts are cut to this many characters."""

CHECK_EVENTS = frozenset({"started", "finished", "cancelled"})

USER_FREE_TABLES = frozenset({"group_settings"})
"""Tables without a `user_id` column; anything else must have one (the privacy test checks)."""


class Row(Protocol):
    """A result row readable by column name."""

    def __getitem__(self, key: str, /) -> Any: ...

    def keys(self) -> Any: ...


def question_key(text: str) -> str:
    """What makes two unanswered questions "the same" for `/unanswered`: case, spacing and
    trailing punctuation do not count."""
    key = re.sub(r"\s+", " ", text.casefold()).strip()
    return key.rstrip("?!.…,;: ").strip()


def kept_question(text: str | None, decision: str) -> tuple[str | None, str | None]:
    """(text, key) to store for a logged question: only an unanswered one keeps its text,
    masked and cut; answered ones are counted without it."""
    if decision != "none" or text is None or text.strip() == "":
        return None, None
    stored = mask_personal_data(text.strip())[:MAX_QUESTION_CHARS]
    return stored, question_key(stored)


def check_event(event: str) -> str:
    if event not in CHECK_EVENTS:
        raise ValueError(f"unknown check event {event!r}; expected one of {sorted(CHECK_EVENTS)}")
    return event


def state_for_run(row: Row | None, user_id: int, scope: UpdateScope | None) -> str | None:
    """The check state `load_check` returns. While an update is handled again after a kill,
    the state from before its first run: applying the same input twice would move the check
    on twice (a typed amount landing on the next question)."""
    if row is None:
        return None
    if (
        scope is not None
        and scope.rerun
        and user_id not in scope.checks_saved
        and row["update_id"] == scope.update_id
    ):
        previous = row["previous_json"]
        return None if previous is None else str(previous)
    return str(row["state_json"])


def assessment_from(row: Row) -> StoredAssessment:
    keys = list(row.keys())
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


def group_settings_from(chat_id: int, row: Row | None) -> GroupSettings:
    """A group's settings row, or the defaults when the group never changed any."""
    if row is None:
        return GroupSettings(chat_id=chat_id)
    return GroupSettings(
        chat_id=chat_id,
        warnings_enabled=bool(row["warnings_enabled"]),
        last_warning_at=optional_from_unix(row["last_warning_at"]),
        language=normalize_lang(row["language"]),
    )


def reminder_from(row: Row) -> Reminder:
    keys = list(row.keys())
    return Reminder(
        id=int(row["id"]),
        user_id=int(row["user_id"]),
        chat_id=int(row["chat_id"]),
        due_at=from_unix(row["due_at"]),
        text=str(row["text"]),
        assessment_id=row["assessment_id"],
        sent_at=optional_from_unix(row["sent_at"]),
        kind=str(row["kind"]) if "kind" in keys else "assessment",
    )
