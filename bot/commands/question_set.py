"""Checking a labelled question set before `ta-advisor eval` scores it.

A set that is empty, shaped wrongly (a list at the top, `qs:` for `questions:`, an entry without
`q`) or labelled with topic ids the knowledge base does not have would score as "0 questions,
PASS" or measure nothing; each is refused with the entry and the problem instead. The topic ids
are checked against the knowledge base actually loaded, so new topics count as soon as they
exist.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any


class QuestionSetError(ValueError):
    """The set cannot be evaluated; `str()` lists the problems, one per line."""


MAX_LISTED = 10


def check_question_set(data: Any, topic_ids: Collection[str]) -> None:
    """Raise `QuestionSetError` unless `data` is `{questions: [{q, topic}, ...]}` with at least
    one question, every `q` non-empty text and every topic (an id, a list of ids, or null) known.
    """
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise QuestionSetError(f"the file is {kind}; expected a mapping with `questions:`")
    if "questions" not in data:
        keys = ", ".join(sorted(map(str, data))) or "nothing"
        raise QuestionSetError(f"no `questions:` key (found: {keys})")
    rows = data["questions"]
    if not isinstance(rows, list) or not rows:
        raise QuestionSetError("`questions:` must be a non-empty list of {q, topic} entries")
    problems: list[str] = []
    known = set(topic_ids)
    for number, row in enumerate(rows, start=1):
        problem = _row_problem(row, known)
        if problem is not None:
            problems.append(f"entry {number}: {problem}")
    if problems:
        more = len(problems) - MAX_LISTED
        listed = problems[:MAX_LISTED] + ([f"... and {more} more"] if more > 0 else [])
        raise QuestionSetError("\n".join(listed))


def _row_problem(row: Any, known: set[str]) -> str | None:
    if not isinstance(row, dict):
        return "not a {q, topic} mapping"
    question = row.get("q")
    if not isinstance(question, str) or not question.strip():
        return "no question text (`q`)"
    if "topic" not in row:
        return "no `topic` (use null for a question that must not be answered)"
    topic = row["topic"]
    ids = topic if isinstance(topic, list) else [] if topic is None else [topic]
    if isinstance(topic, list) and not topic:
        return "an empty topic list (use null for a question that must not be answered)"
    unknown = [str(t) for t in ids if not isinstance(t, str) or t not in known]
    if unknown:
        return f"unknown topic id(s): {', '.join(unknown)}"
    return None
