"""`ta-advisor db migrate-to URL`: an existing SQLite database moved onto PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.storage import Database
from bot.storage.lock import InstanceLock
from bot.storage.postgres import PostgresDatabase
from tests.storage.conftest import T0
from tests.storage.test_store_backends import populate


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, check=False
    )


async def test_migrate_to_copies_every_row_and_ids_continue(
    tmp_path: Path, postgres_url: str
) -> None:
    path = tmp_path / "bot.sqlite3"
    async with await Database.open(path) as old:
        await populate(old, 1, text="kept")
        await populate(old, 2, text="also kept")
        await old.claim_warning_slot(-100, T0, 60)
        before = {user: await old.rows_for_user(user) for user in (1, 2)}
        assessments = await old.list_assessments(1)
        claimed = await old.inbox_claim("old process")

    done = _cli("db", "migrate-to", postgres_url, "--db", str(path))
    assert done.returncode == 0, done.stderr
    assert "Copied" in done.stdout and "@" not in done.stdout.replace(postgres_url, "")

    async with await PostgresDatabase.open(postgres_url) as new:
        assert {user: await new.rows_for_user(user) for user in (1, 2)} == before
        assert await new.list_assessments(1) == assessments
        assert await new.load_check(2) == json.dumps({"note": "also kept"})
        assert (await new.group_settings(-100)).last_warning_at == T0
        again = await new.inbox_claim("new replica")  # the old process's claims are gone
        assert [e.update_id for e in again] == [e.update_id for e in claimed] == [1000, 2000]
        fresh = await new.add_assessment(
            3, facts_json="{}", assessment_json="{}", verdict="x", deadline=None
        )
        assert fresh > max(a.id for a in assessments)

    again_done = _cli("db", "migrate-to", postgres_url, "--db", str(path))
    assert again_done.returncode == 2 and "not empty" in again_done.stderr


async def test_migrate_to_refuses_while_the_bot_runs(tmp_path: Path, postgres_url: str) -> None:
    path = tmp_path / "bot.sqlite3"
    async with await Database.open(path):
        pass
    with InstanceLock(path):  # the running bot holds it
        done = _cli("db", "migrate-to", postgres_url, "--db", str(path))
    assert done.returncode == 2 and "already using" in done.stderr


@pytest.mark.parametrize("url", ["mysql://x/y", "/tmp/file.sqlite3"])
def test_migrate_to_wants_a_postgresql_url(url: str, tmp_path: Path) -> None:
    done = _cli("db", "migrate-to", url, "--db", str(tmp_path / "bot.sqlite3"))
    assert done.returncode == 2 and "postgresql://" in done.stderr
