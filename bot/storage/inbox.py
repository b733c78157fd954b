"""Which incoming update the current code is applying, so that its writes are idempotent.

Every update is stored in the `inbox` table before Telegram is told it arrived, and a kill can
cut its handling anywhere: on restart it is handled again. The writes that must not happen twice
(a question counted, a check answer applied, a result stored, a reminder scheduled) carry the
update's id; the database uses it to make the second run a no-op, and for the guided check to
start from the state the first run started from (so a typed amount cannot land on the next
question). The scope travels in a context variable, so handlers need not pass it along.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class UpdateScope:
    """The update being applied; `rerun` when an earlier attempt may have written already."""

    update_id: int
    rerun: bool = False
    checks_saved: set[int] = field(default_factory=set)
    """Users whose check state this run has already written (later loads read it as is)."""
    error_reported: bool = False
    """The error handler ran for this update (it runs once per update, not per handler)."""


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """One claimed update: its raw JSON (None once handled) and how often it was claimed."""

    update_id: int
    chat_key: int
    payload: str | None
    attempts: int


CURRENT_UPDATE: ContextVar[UpdateScope | None] = ContextVar("ta_advisor_update", default=None)


def current_update() -> UpdateScope | None:
    """The scope of the update being handled in this task, if any."""
    return CURRENT_UPDATE.get()


@contextlib.contextmanager
def applying(update_id: int, *, rerun: bool = False) -> Iterator[UpdateScope]:
    """Mark everything run inside as the handling of `update_id`."""
    scope = UpdateScope(update_id, rerun)
    token = CURRENT_UPDATE.set(scope)
    try:
        yield scope
    finally:
        CURRENT_UPDATE.reset(token)
