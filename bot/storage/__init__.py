"""Durable state: users, guided checks, assessments, reminders, feedback, the question log,
group settings and check events, in SQLite. Platform-neutral: no Telegram imports here."""

from bot.storage.db import USER_FREE_TABLES, Database, StorageError
from bot.storage.records import GroupSettings, Reminder, Stats, StoredAssessment

__all__ = [
    "USER_FREE_TABLES",
    "Database",
    "GroupSettings",
    "Reminder",
    "Stats",
    "StorageError",
    "StoredAssessment",
]
