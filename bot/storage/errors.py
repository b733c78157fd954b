"""What the storage layer raises, whichever database is behind it.

Front ends catch these, never a driver's own exceptions (`sqlite3.Error`, asyncpg's), so a
handler written against SQLite keeps working on PostgreSQL. Each backend translates its driver's
errors into these at its boundary.
"""

from __future__ import annotations


class StorageError(Exception):
    """The database cannot be used as it is (e.g. created by a newer version of the bot)."""


class StorageUnavailable(StorageError):
    """A statement failed for a reason outside the data: I/O, a lock, a lost connection.
    The same call may work later; the backend reports the first such failure once."""


class WriteFailed(StorageUnavailable):
    """A write did not reach the database (read-only file, disk full, server gone...)."""


class DataRefused(StorageError):
    """The database refused the data itself (a constraint), not the write: retrying the
    same call fails the same way."""
