"""`ta-advisor report` and `ta-advisor db backup`: the operator's tools in the terminal."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path

from bot.admin.period import PeriodError, parse_period
from bot.admin.report import report_text, write_csv
from bot.admin.unanswered import group_questions
from bot.settings import SettingsError, load_settings
from bot.storage import Database
from bot.storage.db import StorageError


def _database_path(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    return load_settings().database_path


async def _report(db_path: Path, period: str | None, csv_path: str | None) -> int:
    since, label = parse_period(period, dt.datetime.now(dt.UTC))
    async with await Database.open(db_path) as db:
        stats = await db.stats(since)
        unanswered = await db.top_unanswered(200, since)
    print(report_text(stats, label))
    groups = group_questions(unanswered, limit=10)
    if groups:
        print("\nMOST ASKED, NOT ANSWERED")
        for group in groups:
            more = f" (+{len(group.variants)} similar)" if group.variants else ""
            print(f"{group.count} x {group.example}{more}")
    if csv_path:
        write_csv(stats, csv_path, label)
        print(f"\nCSV written to {csv_path}", file=sys.stderr)
    return 0


def run_report(period: str | None, csv_path: str | None, db: str | None) -> int:
    """Print the usage figures of a period (and write them as CSV when asked)."""
    try:
        path = _database_path(db)
        if not path.exists():
            print(f"No database at {path} yet: the bot has not run here.", file=sys.stderr)
            return 1
        return asyncio.run(_report(path, period, csv_path))
    except (PeriodError, SettingsError, StorageError, OSError) as exc:
        print(f"ta-advisor report: {exc}", file=sys.stderr)
        return 2


def run_backup(dest: str, db: str | None) -> int:
    """Online backup (SQLite's backup API): safe while the bot is running, unlike a file copy."""

    async def backup(source: Path) -> None:
        async with await Database.open(source) as database:
            await database.backup(Path(dest))

    try:
        path = _database_path(db)
        if not path.exists():
            print(f"No database at {path}.", file=sys.stderr)
            return 1
        asyncio.run(backup(path))
    except (SettingsError, StorageError, OSError) as exc:
        print(f"ta-advisor db backup: {exc}", file=sys.stderr)
        return 2
    print(f"Backed up {path} to {dest}")
    return 0
