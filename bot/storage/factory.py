"""Pick and open the storage backend from the settings: the one place that names the classes.

`TA_ADVISOR_DATABASE_URL=postgresql://…` selects PostgreSQL (several replicas may share it);
unset, the SQLite file at `TA_ADVISOR_DB_PATH` (or in the data folder) is the embedded default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from bot.settings import Settings
from bot.storage.db import Database
from bot.storage.interfaces import InspectableStorage
from bot.storage.postgres import PostgresDatabase, is_postgres_url, redact


def database_location(settings: Settings) -> str:
    """The PostgreSQL URL when one is configured, else the SQLite file's path."""
    if settings.database_url is not None:
        return settings.database_url.get_secret_value()
    return str(settings.database_path)


def describe(location: str | Path) -> str:
    """The location as it may be printed (a URL's password hidden)."""
    text = str(location)
    return redact(text) if is_postgres_url(text) else text


def is_server(location: str | Path) -> bool:
    """Whether the location is a database server (several processes by design)."""
    return is_postgres_url(str(location))


async def open_storage(
    location: str | Path,
    *,
    clock: Callable[[], dt.datetime] | None = None,
    verify: bool = False,
) -> InspectableStorage:
    """Open the backend the location names: a `postgresql://` URL, or a SQLite file path."""
    if is_postgres_url(str(location)):
        return await PostgresDatabase.open(str(location), clock=clock, verify=verify)
    return await Database.open(location, clock=clock, verify=verify)


async def open_from_settings(settings: Settings, *, verify: bool = False) -> InspectableStorage:
    return await open_storage(database_location(settings), verify=verify)
