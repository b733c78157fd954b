"""The schema, as an append-only list of migrations.

`MIGRATIONS[i]` takes the database from version `i` to `i + 1`; `PRAGMA user_version` records
the version reached. `Database.open` applies the missing ones at start-up, each in its own
transaction together with the version bump, so a crash leaves the database at a whole version.
Never edit a migration that has shipped: append a new one.

Conventions, relied on by `Database.forget_user` and the privacy test:

* every table that holds anything about a user has a `user_id` column (the only other table is
  `group_settings`, which is about chats);
* instants are INTEGER unix seconds (UTC, second precision): they compare and sort as numbers
  and cannot carry a time zone mistake; calendar dates (a claim deadline) are ISO `YYYY-MM-DD`
  TEXT, because a deadline is a day, not an instant;
* booleans are INTEGER 0/1 with a CHECK.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

V1_INITIAL = """
CREATE TABLE users (
    user_id        INTEGER PRIMARY KEY,
    first_seen     INTEGER NOT NULL,
    last_seen      INTEGER NOT NULL,
    last_chat_type TEXT    NOT NULL
);
CREATE INDEX users_last_seen ON users (last_seen);
CREATE INDEX users_first_seen ON users (first_seen);

-- The guided check in progress: one JSON state per user, rewritten on every step.
CREATE TABLE check_states (
    user_id    INTEGER PRIMARY KEY,
    state_json TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE assessments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    verdict         TEXT    NOT NULL,
    deadline        TEXT,
    facts_json      TEXT    NOT NULL,
    assessment_json TEXT    NOT NULL
);
CREATE INDEX assessments_user ON assessments (user_id, created_at);
CREATE INDEX assessments_created ON assessments (created_at);

-- AUTOINCREMENT so that a reminder id is never reused: a stale job cannot touch a new reminder.
CREATE TABLE reminders (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL,
    chat_id       INTEGER NOT NULL,
    due_at        INTEGER NOT NULL,
    text          TEXT    NOT NULL,
    assessment_id INTEGER REFERENCES assessments (id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    sent_at       INTEGER
);
CREATE INDEX reminders_unsent ON reminders (due_at) WHERE sent_at IS NULL;
CREATE INDEX reminders_user ON reminders (user_id);

-- One vote per user and topic: pressing the other button changes the vote, it does not add one.
CREATE TABLE feedback (
    user_id    INTEGER NOT NULL,
    topic_id   TEXT    NOT NULL,
    helpful    INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, topic_id)
);
CREATE INDEX feedback_created ON feedback (created_at);

-- Every question asked; the text only for unanswered ones (for curators), enforced here too.
CREATE TABLE question_log (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER,
    chat_type  TEXT    NOT NULL,
    decision   TEXT    NOT NULL,
    topic_id   TEXT,
    text       TEXT,
    text_key   TEXT,
    created_at INTEGER NOT NULL,
    CHECK ((text IS NULL AND text_key IS NULL) OR decision = 'none')
);
CREATE INDEX question_log_created ON question_log (created_at);
CREATE INDEX question_log_user ON question_log (user_id);
CREATE INDEX question_log_unanswered ON question_log (text_key) WHERE text_key IS NOT NULL;

CREATE TABLE check_events (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    event      TEXT    NOT NULL CHECK (event IN ('started', 'finished', 'cancelled')),
    created_at INTEGER NOT NULL
);
CREATE INDEX check_events_created ON check_events (created_at);
CREATE INDEX check_events_user ON check_events (user_id);

CREATE TABLE group_settings (
    chat_id          INTEGER PRIMARY KEY,
    warnings_enabled INTEGER NOT NULL DEFAULT 1 CHECK (warnings_enabled IN (0, 1)),
    last_warning_at  INTEGER,
    updated_at       INTEGER NOT NULL
);
"""

V2_CLAIMS = """
-- Claim assessment v2 (#16): one current assessment per check. A check that is corrected
-- after its verdict stores a new assessment and marks the older ones superseded (kept for
-- /cases); `check_id` ties the assessments of one check together. `check_states.shown` says
-- whether a stored verdict reached the user, so one lost to a crash is shown on the next press
-- or /check. Adds columns only (to
-- `assessments` and `check_states`), so it is independent of the other migrations of this
-- release and can run in either order.
ALTER TABLE check_states ADD COLUMN shown INTEGER NOT NULL DEFAULT 1 CHECK (shown IN (0, 1));
ALTER TABLE assessments ADD COLUMN check_id TEXT;
ALTER TABLE assessments ADD COLUMN superseded_by INTEGER;
CREATE INDEX assessments_check ON assessments (user_id, check_id) WHERE check_id IS NOT NULL;
"""

V3_RELIABILITY = """
-- Every incoming update, stored before Telegram is told it arrived (handle, then acknowledge).
-- `payload` (the raw update, with what the user wrote), `chat_key` and `user_id` are cleared
-- when it is done; the bare id stays a while so that a replay is recognised and dropped.
-- `claimed_by`/`claimed_at` let several processes share the table: one claim per update, and
-- only the oldest pending update of a chat is claimable, so each chat stays in order.
CREATE TABLE IF NOT EXISTS inbox (
    update_id   INTEGER PRIMARY KEY,
    chat_key    INTEGER,
    user_id     INTEGER,
    payload     TEXT,
    received_at INTEGER NOT NULL,
    claimed_by  TEXT,
    claimed_at  INTEGER,
    attempts    INTEGER NOT NULL DEFAULT 0,
    done_at     INTEGER,
    outcome     TEXT
);
CREATE INDEX IF NOT EXISTS inbox_pending ON inbox (chat_key, update_id) WHERE done_at IS NULL;
CREATE INDEX IF NOT EXISTS inbox_done ON inbox (done_at) WHERE done_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS inbox_user ON inbox (user_id) WHERE user_id IS NOT NULL;

-- The update that caused a write, so that handling it again after a kill writes nothing twice.
ALTER TABLE question_log ADD COLUMN update_id INTEGER;
CREATE UNIQUE INDEX IF NOT EXISTS question_log_update ON question_log (update_id)
    WHERE update_id IS NOT NULL;
ALTER TABLE check_states ADD COLUMN update_id INTEGER;
ALTER TABLE check_states ADD COLUMN previous_json TEXT;
ALTER TABLE assessments ADD COLUMN update_id INTEGER;
CREATE UNIQUE INDEX IF NOT EXISTS assessments_update ON assessments (update_id)
    WHERE update_id IS NOT NULL;
ALTER TABLE check_events ADD COLUMN update_id INTEGER;
CREATE UNIQUE INDEX IF NOT EXISTS check_events_update ON check_events (update_id, event)
    WHERE update_id IS NOT NULL;
ALTER TABLE reminders ADD COLUMN update_id INTEGER;
CREATE UNIQUE INDEX IF NOT EXISTS reminders_update ON reminders (update_id, chat_id, due_at)
    WHERE update_id IS NOT NULL;

-- Reminders are claimed before they are sent (claim, send, mark): a claim older than the
-- lease is taken again, so a kill between claim and mark never loses one.
ALTER TABLE reminders ADD COLUMN claimed_by TEXT;
ALTER TABLE reminders ADD COLUMN claimed_at INTEGER;
"""

V4_LANGUAGE_AND_CODES = """
-- Text at the edge (#12): a language per user and per group, and no finished sentence stored.
-- `users.language` is set at first contact from Telegram's language_code and by /language
-- (NULL: not known yet, English is used); `group_settings.language` is set by a group's admins.
ALTER TABLE users ADD COLUMN language TEXT;
ALTER TABLE group_settings ADD COLUMN language TEXT;

-- Reminders keep what they are about, never their words: `kind` 'assessment' is written from
-- the current assessment of its check when sent, 'cases' (its check is gone) points to /cases.
-- Rows from before reminders pointed at their assessment are tied to the user's assessment
-- stored last before the reminder was set (the verdict whose button set it); the finished
-- HTML they held is cleared.
ALTER TABLE reminders ADD COLUMN kind TEXT NOT NULL DEFAULT 'assessment'
    CHECK (kind IN ('assessment', 'cases'));
UPDATE reminders SET assessment_id = (
        SELECT a.id FROM assessments AS a
        WHERE a.user_id = reminders.user_id AND a.created_at <= reminders.created_at
        ORDER BY a.created_at DESC, a.id DESC LIMIT 1)
    WHERE assessment_id IS NULL;
UPDATE reminders SET kind = CASE WHEN assessment_id IS NULL THEN 'cases' ELSE 'assessment' END,
    text = '';
-- assessments.assessment_json: reasons become codes with figures (DATA_MIGRATIONS below).
"""

MIGRATIONS: tuple[str, ...] = (V1_INITIAL, V2_CLAIMS, V3_RELIABILITY, V4_LANGUAGE_AND_CODES)
"""Append-only; the schema version is `len(MIGRATIONS)`."""


@dataclass(frozen=True, slots=True)
class RewriteRows:
    """A data step that SQL cannot express: each row of `table` is read (`key` plus `reads`)
    and `convert` returns the columns to write back, or None to leave the row as it is.

    Declared as data so that every backend applies it the same way, after the version's SQL
    and inside the same transaction.
    """

    table: str
    key: str
    reads: tuple[str, ...]
    convert: Callable[[Mapping[str, Any]], dict[str, Any] | None]


def _assessment_codes(row: Mapping[str, Any]) -> dict[str, Any] | None:
    from bot.claims.stored import upgrade_assessment_json  # the domain, only when migrating

    judged_on = dt.datetime.fromtimestamp(int(row["created_at"]), dt.UTC).date()
    new = upgrade_assessment_json(str(row["facts_json"]), str(row["assessment_json"]), judged_on)
    return None if new is None else {"assessment_json": new}


DATA_MIGRATIONS: dict[int, tuple[RewriteRows, ...]] = {
    4: (
        RewriteRows(
            "assessments", "id", ("facts_json", "assessment_json", "created_at"), _assessment_codes
        ),
    ),
}
"""Row rewrites by the schema version whose SQL they follow."""

SCHEMA_VERSION = len(MIGRATIONS)


def split_statements(script: str) -> list[str]:
    """Split a script into complete statements (quotes, comments and triggers respected).

    Migrations run statement by statement inside one explicit transaction, because
    `executescript` would commit before the version check could be made inside it.
    """
    statements: list[str] = []
    buffer = ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if _has_code(buffer):
                statements.append(buffer.strip())
            buffer = ""
    if _has_code(buffer.removesuffix(";")):
        raise ValueError("migration script ends with an incomplete statement")
    return statements


def _has_code(text: str) -> bool:
    """Whether `text` holds anything but whitespace, `--` comments and semicolons."""
    lines = (line.split("--", 1)[0] for line in text.splitlines())
    return any(line.strip().strip(";").strip() for line in lines)
