"""The plain values the storage layer hands out: frozen dataclasses, no database handles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StoredAssessment:
    """One finished check, as `/cases` lists it; the JSON columns are the domain's own JSON."""

    id: int
    created_at: dt.datetime
    verdict: str
    deadline: dt.date | None
    facts_json: str
    assessment_json: str
    check_id: str | None = None
    """The check this assessment came from (None for assessments stored before v2)."""
    superseded_by: int | None = None
    """Set when a correction of the same check produced a newer, current assessment."""

    @property
    def superseded(self) -> bool:
        return self.superseded_by is not None


@dataclass(frozen=True, slots=True)
class Reminder:
    """A message to send to `chat_id` at `due_at`; `sent_at` is set once it went out."""

    id: int
    user_id: int
    chat_id: int
    due_at: dt.datetime
    text: str
    """Empty since schema 4 (no words are stored); kept for callers that read it."""
    assessment_id: int | None
    sent_at: dt.datetime | None = None
    kind: str = "assessment"
    """"assessment": written from its check's current assessment; "cases": points to /cases."""


@dataclass(frozen=True, slots=True)
class GroupSettings:
    """Per-group switches; a group never configured gets these defaults."""

    chat_id: int
    warnings_enabled: bool = True
    last_warning_at: dt.datetime | None = None
    language: str = "en"
    """The language its admins chose in /settings (English until they do)."""


@dataclass(frozen=True, slots=True)
class Stats:
    """Usage over a period, for `/stats`.

    `answered` counts confident answers only; `suggested` ("Did you mean…") and `unanswered`
    (no match) are the rest of `questions`, so `answer_rate = answered / questions`.
    `top_topics` counts confident answers per topic.
    """

    users: int
    questions: int
    answered: int
    unanswered: int
    answer_rate: float
    top_topics: list[tuple[str, int]]
    feedback_up: int
    feedback_down: int
    checks_started: int
    checks_finished: int
    verdicts: dict[str, int]
    suggested: int = 0
    new_users: int = 0
    checks_cancelled: int = 0
    since: dt.datetime | None = None
