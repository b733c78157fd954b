"""What both backends do the same way, whatever the driver: one copy, in a base class."""

from __future__ import annotations

import logging
import re
import time
from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

from bot.storage.records import StoredAssessment

_LOG = logging.getLogger("bot.storage")

FAILURE_MEMORY_S = 600.0
"""A kind of write that failed counts as failing until it works again, or until it has not
failed for this long (it may not have been tried since)."""
_WRITE_TARGET = re.compile(
    r"\b(INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+\"?(\w+)", re.I
)


def write_kind(sql: str) -> str:
    """`INSERT question_log`: what a statement writes, to report a failing write once."""
    found = _WRITE_TARGET.search(sql)
    return f"{found[1].split()[0].upper()} {found[2]}" if found else sql.split(None, 1)[0].upper()


class StoreBase(ABC):
    """Context management, the write-failure flag `/healthz` reads, and the walk from an
    assessment to the correction that is current."""

    _failing: dict[str, float]
    """Kinds of write (`write_kind`) that failed, with when they last did."""

    @property
    def write_failing(self) -> bool:
        """Whether some kind of write is failing (health turns red)."""
        failing = self._failures()
        now = time.monotonic()
        for kind, when in list(failing.items()):
            if now - when > FAILURE_MEMORY_S:
                del failing[kind]
        return bool(failing)

    def _failures(self) -> dict[str, float]:
        try:
            return self._failing
        except AttributeError:  # set on first use: the backends have their own constructors
            self._failing = {}
            return self._failing

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    async def get_assessment(self, user_id: int, assessment_id: int) -> StoredAssessment | None: ...

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def _write_failed_once(self, reason: object, kind: str = "write") -> None:
        """Report the first failing write, once: not every failing message (a full disk would
        flood the log), and not again when other writes work in between (a question log that
        cannot be written while everything else can)."""
        if not self.write_failing:
            _LOG.error(
                "database write failed (%s): %s; further failures are not logged until "
                "writes work again",
                kind,
                reason,
            )
        self._failures()[kind] = time.monotonic()

    def _write_worked(self, kind: str = "write") -> None:
        failing = self._failures()
        if failing.pop(kind, None) is not None and not failing:
            _LOG.warning("database writes work again (%s)", kind)

    async def current_assessment(self, user_id: int, assessment_id: int) -> StoredAssessment | None:
        """The assessment that is current for the check `assessment_id` belongs to (itself,
        or the newest correction that superseded it); None if it is not the user's."""
        seen: set[int] = set()
        stored = await self.get_assessment(user_id, assessment_id)
        while stored is not None and stored.superseded_by is not None and stored.id not in seen:
            seen.add(stored.id)
            stored = await self.get_assessment(user_id, stored.superseded_by)
        return stored
