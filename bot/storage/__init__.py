"""Durable state: users, guided checks, assessments, reminders, feedback, the question log,
group settings, check events and the update inbox. Platform-neutral: no Telegram imports here.

Callers depend on the Protocols in `interfaces` (`Storage` and its parts) and open a backend
with `factory.open_storage`: SQLite (`db.Database`) by default, PostgreSQL
(`postgres.PostgresDatabase`) when `TA_ADVISOR_DATABASE_URL` is set.
"""

from bot.storage.db import USER_FREE_TABLES, Database
from bot.storage.errors import DataRefused, StorageError, StorageUnavailable, WriteFailed
from bot.storage.interfaces import InspectableStorage, Storage
from bot.storage.records import GroupSettings, Reminder, Stats, StoredAssessment

__all__ = [
    "USER_FREE_TABLES",
    "DataRefused",
    "Database",
    "GroupSettings",
    "InspectableStorage",
    "Reminder",
    "Stats",
    "Storage",
    "StorageError",
    "StorageUnavailable",
    "StoredAssessment",
    "WriteFailed",
]
