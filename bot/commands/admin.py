"""`ta-advisor report` and `ta-advisor db backup`: the operator's tools in the terminal."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import unicodedata
from pathlib import Path

from bot.admin.period import PeriodError, parse_period
from bot.admin.report import report_text, write_csv
from bot.admin.unanswered import group_questions
from bot.settings import SettingsError, load_settings
from bot.storage import StorageError
from bot.storage.factory import database_location, describe, is_server, open_storage


def printable(text: str) -> str:
    """User text made safe for a terminal: control and format characters (escape sequences,
    bidirectional overrides) shown as `\\x1b`-style codes instead of acting on the terminal."""
    return "".join(
        ch if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp") else _code(ch) for ch in text
    )


def _code(ch: str) -> str:
    point = ord(ch)
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def _database_location(explicit: str | None) -> str:
    """`--db` (a SQLite file or a postgresql:// URL), else the configured database."""
    if explicit:
        return explicit
    return database_location(load_settings())


def _missing(location: str) -> bool:
    """A SQLite file that does not exist (opening it would create an empty one)."""
    return not is_server(location) and not Path(location).expanduser().exists()


async def _report(location: str, period: str | None, csv_path: str | None) -> int:
    since, label = parse_period(period, dt.datetime.now(dt.UTC))
    async with await open_storage(location) as db:
        stats = await db.stats(since)
        unanswered = await db.top_unanswered(200, since)
    print(report_text(stats, label))
    groups = group_questions(unanswered, limit=10)
    if groups:
        print("\nMOST ASKED, NOT ANSWERED")
        for group in groups:
            more = f" (+{len(group.variants)} similar)" if group.variants else ""
            print(f"{group.count} x {printable(group.example)}{more}")
    if csv_path:
        write_csv(stats, csv_path, label)
        print(f"\nCSV written to {csv_path}", file=sys.stderr)
    return 0


def run_report(period: str | None, csv_path: str | None, db: str | None) -> int:
    """Print the usage figures of a period (and write them as CSV when asked)."""
    try:
        location = _database_location(db)
        if _missing(location):
            print(f"No database at {location} yet: the bot has not run here.", file=sys.stderr)
            return 1
        return asyncio.run(_report(location, period, csv_path))
    except (PeriodError, SettingsError, StorageError, OSError) as exc:
        print(f"ta-advisor report: {exc}", file=sys.stderr)
        return 2


BACKUP_PREFIX = "ta-advisor-"
"""Backups named `ta-advisor-<when>.sqlite3` (or `.pgdump` for PostgreSQL), as every documented
setup names them, are the only files `--keep-days` ever deletes."""
BACKUP_SUFFIXES = (".sqlite3", ".pgdump")


def backup_problem(source: Path | None, dest: Path, *, force: bool) -> str | None:
    """Why writing a backup of `source` (None: a database server) to `dest` would hurt, or
    None if it is safe."""
    target = dest.expanduser().resolve()
    if source is not None:
        live = source.expanduser().resolve()
        suffixes = ("-wal", "-shm", "-journal", ".lock")
        companions = {live.with_name(live.name + s) for s in suffixes}
        if target == live or target in companions:
            return f"{dest} is the live database (or one of its files); choose another path"
    if target.is_dir():
        return f"{dest} is a folder; give the path of the backup file"
    if not target.parent.is_dir():
        return f"the folder {target.parent} does not exist; create it first"
    if target.exists() and not force:
        return f"{dest} already exists; use --force to replace it"
    return None


def prune_backups(folder: Path, keep_days: int, *, now: dt.datetime, keep: Path) -> list[Path]:
    """Delete `ta-advisor-*.sqlite3` (and `.pgdump`) backups in `folder` older than `keep_days`;
    returns them."""
    cutoff = (now - dt.timedelta(days=keep_days)).timestamp()
    removed = []
    for file in sorted(folder.glob(f"{BACKUP_PREFIX}*")):
        if file.suffix not in BACKUP_SUFFIXES:
            continue
        if file.resolve() != keep.resolve() and file.is_file() and file.stat().st_mtime < cutoff:
            file.unlink()
            removed.append(file)
    return removed


def run_backup(
    dest: str, db: str | None, *, force: bool = False, keep_days: int | None = None
) -> int:
    """Online backup, safe while the bot is running: SQLite's backup API (unlike a file copy),
    or `pg_dump` for PostgreSQL (a consistent snapshot; restore with `pg_restore`).

    Refuses to write onto the live database, over an existing file (unless `force`) or into a
    folder that does not exist; with `keep_days`, older backups beside the new one are pruned.
    """

    async def backup(source: str) -> None:
        async with await open_storage(source) as database:
            await database.backup(Path(dest))

    try:
        path = _database_location(db)
        if _missing(path):
            print(f"No database at {path}.", file=sys.stderr)
            return 1
        live = None if is_server(path) else Path(path)
        problem = backup_problem(live, Path(dest), force=force)
        if problem is not None:
            print(f"ta-advisor db backup: {problem}", file=sys.stderr)
            return 2
        asyncio.run(backup(path))
        removed = []
        if keep_days is not None:
            target = Path(dest).expanduser()
            now = dt.datetime.now(dt.UTC)
            removed = prune_backups(target.parent, keep_days, now=now, keep=target)
    except (SettingsError, StorageError, OSError) as exc:
        print(f"ta-advisor db backup: {exc}", file=sys.stderr)
        return 2
    print(f"Backed up {describe(path)} to {dest}")
    if removed:
        print(f"Removed {len(removed)} backup(s) older than {keep_days} days")
    return 0


def run_migrate_to(url: str, db: str | None) -> int:
    """Copy the SQLite database into an empty PostgreSQL one (the bot stopped meanwhile)."""
    from bot.storage.transfer import migrate_to

    if not is_server(url):
        print("ta-advisor db migrate-to: URL must be postgresql://…", file=sys.stderr)
        return 2
    try:
        path = Path(db) if db else load_settings().database_path
        copied = asyncio.run(migrate_to(path, url))
    except (SettingsError, StorageError, OSError) as exc:
        print(f"ta-advisor db migrate-to: {exc}", file=sys.stderr)
        return 2
    total = sum(copied.values())
    print(f"Copied {total} rows from {path} to {describe(url)}:")
    for table, count in sorted(copied.items()):
        print(f"  {table}: {count}")
    print(
        "Set TA_ADVISOR_DATABASE_URL to this URL and start the bot; "
        "keep the SQLite file as a backup."
    )
    return 0
