"""The `/stats` queries: read-only aggregates over one period, kept apart from the writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import aiosqlite

from bot.storage.records import Stats
from bot.storage.timestamps import to_unix


async def _one(conn: aiosqlite.Connection, sql: str, params: tuple[Any, ...]) -> int:
    async with conn.execute(sql, params) as cursor:
        row = await cursor.fetchone()
    return int(row[0] or 0) if row is not None else 0


async def _pairs(
    conn: aiosqlite.Connection, sql: str, params: tuple[Any, ...]
) -> list[tuple[str, int]]:
    async with conn.execute(sql, params) as cursor:
        rows = await cursor.fetchall()
    return [(str(row[0]), int(row[1])) for row in rows]


async def compute_stats(
    conn: aiosqlite.Connection, since: dt.datetime | None, *, top_n: int
) -> Stats:
    """Aggregate everything `/stats` shows from `since` (inclusive) to now; None = all time.

    `users` are the users active in the period (their last interaction is in it), which is
    exact because the period always ends now.
    """
    start = (to_unix(since) if since is not None else None,)
    after = "(?1 IS NULL OR created_at >= ?1)"

    async with conn.execute(
        f"""SELECT COUNT(*),
                   COALESCE(SUM(decision = 'answer'), 0),
                   COALESCE(SUM(decision = 'suggest'), 0),
                   COALESCE(SUM(decision = 'none'), 0)
            FROM question_log WHERE {after}""",
        start,
    ) as cursor:
        row = await cursor.fetchone()
    questions, answered, suggested, unanswered = (int(v) for v in row) if row else (0, 0, 0, 0)

    async with conn.execute(
        f"""SELECT COALESCE(SUM(helpful = 1), 0), COALESCE(SUM(helpful = 0), 0)
            FROM feedback WHERE {after}""",
        start,
    ) as cursor:
        row = await cursor.fetchone()
    feedback_up, feedback_down = (int(v) for v in row) if row else (0, 0)

    events = dict(
        await _pairs(
            conn,
            f"SELECT event, COUNT(*) FROM check_events WHERE {after} GROUP BY event",
            start,
        )
    )
    verdicts = dict(
        await _pairs(
            conn,
            f"""SELECT verdict, COUNT(*) FROM assessments WHERE {after}
                GROUP BY verdict ORDER BY COUNT(*) DESC, verdict""",
            start,
        )
    )
    top_topics = await _pairs(
        conn,
        f"""SELECT topic_id, COUNT(*) AS n FROM question_log
            WHERE {after} AND decision = 'answer' AND topic_id IS NOT NULL
            GROUP BY topic_id ORDER BY n DESC, topic_id LIMIT ?2""",
        (*start, max(top_n, 0)),
    )
    return Stats(
        users=await _one(
            conn, "SELECT COUNT(*) FROM users WHERE ?1 IS NULL OR last_seen >= ?1", start
        ),
        questions=questions,
        answered=answered,
        unanswered=unanswered,
        answer_rate=answered / questions if questions else 0.0,
        top_topics=top_topics,
        feedback_up=feedback_up,
        feedback_down=feedback_down,
        checks_started=events.get("started", 0),
        checks_finished=events.get("finished", 0),
        verdicts=verdicts,
        suggested=suggested,
        new_users=await _one(
            conn, "SELECT COUNT(*) FROM users WHERE ?1 IS NULL OR first_seen >= ?1", start
        ),
        checks_cancelled=events.get("cancelled", 0),
        since=since,
    )
