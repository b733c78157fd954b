"""Periods, the usage report, unanswered grouping, and the `report` / `db backup` commands."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.admin.period import PeriodError, parse_period
from bot.admin.report import report_rows, report_text
from bot.admin.unanswered import group_questions
from bot.cli import main
from bot.storage import Database, Stats

NOW = dt.datetime(2026, 11, 23, 15, 30, tzinfo=dt.UTC)


def test_periods() -> None:
    assert parse_period("24h", NOW) == (NOW - dt.timedelta(hours=24), "last 24 hours")
    assert parse_period("1w", NOW)[0] == NOW - dt.timedelta(days=7)
    assert parse_period(None, NOW)[1] == "last 7 days"
    assert parse_period("all", NOW) == (None, "all time")
    assert parse_period("today", NOW)[0] == NOW.replace(hour=0, minute=0)
    for bad in ("0d", "yesterday", "7x", "-3d", "99999d"):
        with pytest.raises(PeriodError):
            parse_period(bad, NOW)


def test_grouping_merges_wordings_of_one_need() -> None:
    rows = [
        ("how do I register on alibaba", 3),
        ("How to register an account on Alibaba?", 2),
        ("what is the weather in yiwu", 1),
    ]
    groups = group_questions(rows)
    assert [(g.example, g.count) for g in groups] == [
        ("how do I register on alibaba", 5),
        ("what is the weather in yiwu", 1),
    ]


def stats(**kw: object) -> Stats:
    base: dict[str, object] = dict(
        users=3,
        questions=10,
        answered=6,
        unanswered=2,
        answer_rate=0.6,
        suggested=2,
        top_topics=[("claim-window", 4)],
        feedback_up=3,
        feedback_down=1,
        checks_started=2,
        checks_finished=1,
        verdicts={"eligible": 1},
    )
    base.update(kw)
    return Stats(**base)  # type: ignore[arg-type]


def test_report_counts_suggestions_as_answered_and_escapes_html() -> None:
    rows = {r.name: r.value for r in report_rows(stats())}
    assert rows["answer rate"] == "80%"
    assert rows["helpful ratio"] == "75%"
    assert rows["eligible"] == "1" and rows["claim-window"] == "4"
    assert rows["helpful ratio"] == "75%"
    empty = {
        r.name: r.value for r in report_rows(stats(questions=0, feedback_up=0, feedback_down=0))
    }
    assert empty["answer rate"] == "n/a" and empty["helpful ratio"] == "n/a"
    text = report_text(stats(top_topics=[("<script>", 1)]), "last 7 days", html_mode=True)
    assert "&lt;script&gt;" in text and "<b>Usage, last 7 days</b>" in text


async def _seed(path: Path) -> None:
    async with await Database.open(path) as db:
        await db.touch_user(1, chat_type="private")
        await db.log_question(1, "private", "can i pay by wu", "off-platform-payment", "answer")
        await db.log_question(1, "private", "how to register on alibaba", None, "none")


def test_report_and_backup_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "bot.sqlite3"
    asyncio.run(_seed(db_path))
    out_csv = tmp_path / "report.csv"
    assert main(["report", "--db", str(db_path), "--period", "all", "--csv", str(out_csv)]) == 0
    printed = capsys.readouterr().out
    assert "questions: 2" in printed and "how to register on alibaba" in printed
    with out_csv.open() as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["period", "section", "name", "value"]
    assert ["all time", "questions", "questions", "2"] in lines

    copy = tmp_path / "copy.sqlite3"
    assert main(["db", "backup", str(copy), "--db", str(db_path)]) == 0
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT COUNT(*) FROM question_log").fetchone()[0] == 2


def test_commands_fail_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "none.sqlite3")
    assert main(["report", "--db", missing]) == 1
    assert main(["db", "backup", str(tmp_path / "x"), "--db", missing]) == 1
    asyncio.run(_seed(tmp_path / "db.sqlite3"))
    assert main(["report", "--db", str(tmp_path / "db.sqlite3"), "--period", "7x"]) == 2
    assert "Give a period like" in capsys.readouterr().err
