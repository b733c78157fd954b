"""The storage seams: one narrow Protocol per concern, and `Storage`, all of them together.

Front ends and services name these, never a backend class; `bot.storage.factory.open_storage`
picks the backend (SQLite by default, PostgreSQL with `TA_ADVISOR_DATABASE_URL`). A function
that only reads group settings asks for a `GroupSettingsStore`, so a test can hand it a small
fake, and a new backend knows exactly what it must provide.

Every method may raise `bot.storage.errors.StorageError` (or a subclass); none raises a
driver's own exception. Instants are aware datetimes; naive ones are refused with ValueError.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from bot.storage.inbox import InboxEntry
from bot.storage.records import GroupSettings, Reminder, Stats, StoredAssessment

INBOX_LEASE_S = 300
"""A claim on an update older than this is taken by another process (its owner died)."""
REMINDER_LEASE_S = 300
"""Likewise for a reminder being sent."""


class UserStore(Protocol):
    """Who used the bot, and the right to be forgotten."""

    async def touch_user(
        self, user_id: int, *, chat_type: str, language_code: str | None = None
    ) -> None: ...

    async def user_language(self, user_id: int) -> str | None:
        """The supported language to answer the user in, or None while none is known."""
        ...

    async def set_user_language(self, user_id: int, language: str, *, chat_type: str) -> None:
        """The user's choice (/language)."""
        ...

    async def forget_user(self, user_id: int) -> int:
        """Delete every row about the user, atomically; returns rows deleted."""
        ...


class CheckStore(Protocol):
    """The guided check in progress, one JSON state per user, and its events for `/stats`."""

    async def save_check(self, user_id: int, state_json: str) -> None: ...

    async def load_check(self, user_id: int) -> str | None: ...

    async def delete_check(self, user_id: int) -> None: ...

    async def mark_check_shown(self, user_id: int) -> None: ...

    async def check_shown(self, user_id: int) -> bool: ...

    async def log_check_event(self, user_id: int, event: str) -> None: ...


class AssessmentStore(Protocol):
    """Finished checks, kept for `/cases`."""

    async def add_assessment(
        self,
        user_id: int,
        *,
        facts_json: str,
        assessment_json: str,
        verdict: str,
        deadline: dt.date | None,
    ) -> int: ...

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
    ) -> int: ...

    async def list_assessments(self, user_id: int, limit: int = 10) -> list[StoredAssessment]: ...

    async def get_assessment(self, user_id: int, assessment_id: int) -> StoredAssessment | None: ...

    async def current_assessment(
        self, user_id: int, assessment_id: int
    ) -> StoredAssessment | None: ...


class ReminderStore(Protocol):
    """Deadline reminders: scheduled by a check, claimed, sent and marked by one process."""

    async def add_reminder(
        self,
        user_id: int,
        chat_id: int,
        *,
        due_at: dt.datetime,
        text: str = "",
        assessment_id: int | None,
    ) -> int: ...

    async def claim_due_reminders(
        self,
        now: dt.datetime,
        owner: str,
        *,
        limit: int = 100,
        lease_s: int = REMINDER_LEASE_S,
    ) -> list[Reminder]:
        """Claim unsent due reminders for `owner`: no two callers ever get the same one."""
        ...

    async def release_reminder(self, reminder_id: int) -> None: ...

    async def mark_reminder_sent(self, reminder_id: int) -> None: ...

    async def pending_reminders(self, user_id: int) -> list[Reminder]: ...

    async def delete_reminder(self, user_id: int, reminder_id: int) -> bool: ...


class FeedbackStore(Protocol):
    async def add_feedback(self, user_id: int, topic_id: str, helpful: bool) -> None: ...


class QuestionLog(Protocol):
    """Every question counted; the (masked) text kept only for unanswered ones, for a while."""

    async def log_question(
        self,
        user_id: int | None,
        chat_type: str,
        text: str | None,
        topic_id: str | None,
        decision: str,
    ) -> None: ...

    async def prune_questions(self, older_than: dt.datetime) -> int: ...

    async def top_unanswered(
        self, limit: int = 20, since: dt.datetime | None = None
    ) -> list[tuple[str, int]]: ...


class StatsStore(Protocol):
    async def stats(self, since: dt.datetime | None = None, *, top_n: int = 10) -> Stats: ...


class GroupSettingsStore(Protocol):
    """Per-group switches and the off-platform warning's cool-down (shared by all replicas)."""

    async def group_settings(self, chat_id: int) -> GroupSettings: ...

    async def set_warnings_enabled(self, chat_id: int, enabled: bool) -> None: ...

    async def set_group_language(self, chat_id: int, language: str) -> None:
        """The language a group's admins chose in /settings."""
        ...

    async def claim_warning_slot(self, chat_id: int, now: dt.datetime, cooldown_s: int) -> bool:
        """True for exactly one caller per cool-down, across processes."""
        ...


class InboxStore(Protocol):
    """Incoming updates, stored before they are acknowledged, claimed per chat in order."""

    async def inbox_accept(
        self, entries: Sequence[tuple[int, int, int | None, str]]
    ) -> list[int]: ...

    async def inbox_claim(
        self, owner: str, *, limit: int = 100, lease_s: int = INBOX_LEASE_S
    ) -> list[InboxEntry]: ...

    async def inbox_started(self, update_id: int) -> None: ...

    async def inbox_done(self, update_id: int, outcome: str = "done") -> None: ...

    async def prune_inbox(self, older_than: dt.datetime) -> int: ...

    async def release_claims(self) -> None:
        """Drop every claim on updates and reminders (only when this process is alone)."""
        ...


class Maintenance(Protocol):
    """Life cycle, health and the operator's tools."""

    @property
    def write_failing(self) -> bool: ...

    @property
    def kind(self) -> str:
        """ "sqlite" or "postgresql" (for logs, `/healthz` and `db backup`)."""
        ...

    async def close(self) -> None: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def health(self) -> dict[str, bool | str]: ...

    async def backup(self, dest: Path | str) -> None: ...


class Inspection(Protocol):
    """Reading the store from outside the bot's handling: operators' tools and tests (what is
    in it, for whom, how far migrated). Not handed to handlers."""

    async def schema_version(self) -> int: ...

    async def tables(self) -> list[str]: ...

    async def user_tables(self) -> list[str]: ...

    async def rows_for_user(self, user_id: int) -> dict[str, int]: ...

    async def inbox_pending(self) -> int: ...

    async def due_reminders(self, now: dt.datetime, limit: int = 100) -> list[Reminder]: ...

    async def ping(self) -> bool: ...

    async def writable(self) -> bool: ...


@runtime_checkable
class Storage(
    UserStore,
    CheckStore,
    AssessmentStore,
    ReminderStore,
    FeedbackStore,
    QuestionLog,
    StatsStore,
    GroupSettingsStore,
    InboxStore,
    Maintenance,
    Protocol,
):
    """Everything the bot's handlers and jobs use: what `Services.db` is."""


@runtime_checkable
class InspectableStorage(Storage, Inspection, Protocol):
    """What the backends implement and the factory returns: `Storage` plus `Inspection`."""
