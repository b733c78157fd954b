"""Operator commands refuse what would hurt, and what they print or keep is safe."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands.admin import printable, prune_backups
from bot.storage import Database

Q = "What does Trade Assurance cover?"


@pytest.fixture
def live(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "ta-advisor.sqlite3"

    async def make() -> None:
        async with await Database.open(path) as db:
            await db.log_question(1, "private", "how do I cook rice", None, "none")

    asyncio.run(make())
    return path


def test_backup_refuses_the_live_database_existing_files_and_missing_folders(
    live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(live)]
    assert main(["db", "backup", str(live), *db]) == 2
    assert "is the live database" in capsys.readouterr().err
    assert main(["db", "backup", str(live) + "-wal", *db]) == 2
    assert main(["db", "backup", str(tmp_path / "nope" / "b.sqlite3"), *db]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "nope").exists()

    target = tmp_path / "ta-advisor-1.sqlite3"
    assert main(["db", "backup", str(target), *db]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert main(["db", "backup", str(target), *db]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["db", "backup", str(target), "--force", *db]) == 0


def test_backup_prune_deletes_only_old_backups(tmp_path: Path) -> None:
    now = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    old, recent, other = (
        tmp_path / n for n in ("ta-advisor-old.sqlite3", "ta-advisor-new.sqlite3", "notes.sqlite3")
    )
    for file in (old, recent, other):
        file.write_bytes(b"x")
    stamp = (now - dt.timedelta(days=20)).timestamp()
    os.utime(old, (stamp, stamp))
    os.utime(other, (stamp, stamp))
    os.utime(recent, (now.timestamp(), now.timestamp()))
    assert prune_backups(tmp_path, 14, now=now, keep=recent) == [old]
    assert recent.exists() and other.exists() and not old.exists()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "empty"),
        ("- {q: hi, topic: null}\n", "a list"),
        ("qs:\n  - {q: hi, topic: null}\n", "no `questions:` key"),
        ("questions: []\n", "non-empty list"),
        ("questions:\n  - {topic: null}\n", "no question text"),
        ("questions:\n  - {q: hi, topic: no-such-topic}\n", "unknown topic id(s): no-such-topic"),
    ],
)
def test_eval_refuses_sets_that_would_measure_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, problem: str
) -> None:
    file = tmp_path / "set.yaml"
    file.write_text(content)
    assert main(["eval", str(file)]) == 2
    out = capsys.readouterr()
    assert problem in out.err and "PASS" not in out.out


def test_eval_accepts_the_set_that_ships_with_the_repository() -> None:
    shipped = Path(__file__).resolve().parents[2] / "bench" / "data" / "offtopic.yaml"
    assert main(["eval", str(shipped), "--min-on", "0"]) in (0, 1)  # scored, not refused


def test_report_escapes_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "db.sqlite3"

    async def make() -> None:
        async with await Database.open(path) as db:
            await db.log_question(1, "private", "evil \x1b]0;owned\x07 \u202etext", None, "none")

    asyncio.run(make())
    assert main(["report", "--db", str(path), "--period", "all"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b]0;owned\\x07" in out
    assert printable("naïve 😀") == "naïve 😀"


async def test_kept_questions_are_masked_and_dropped_after_the_retention(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "db.sqlite3") as db:
        await db.log_question(
            1,
            "private",
            "call +44 20 7946 0958 or a.b@example.com, IBAN DE89370400440532013000",
            None,
            "none",
        )
        [(text, _)] = await db.top_unanswered()
        assert text == "call [number] or [email], IBAN [iban]"
        assert await db.prune_questions(dt.datetime.now(dt.UTC) + dt.timedelta(days=1)) == 1
        assert await db.top_unanswered() == []
        assert (await db.stats()).questions == 1  # counted still
