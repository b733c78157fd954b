"""What both backends do the same way, whatever the driver: one copy, in a base class."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

from bot.storage.records import StoredAssessment

_LOG = logging.getLogger("bot.storage")


class StoreBase(ABC):
    """Context management, the write-failure flag `/healthz` reads, and the walk from an
    assessment to the correction that is current."""

    write_failing = False
    """True from a failed write until the next write that succeeds (health turns red)."""

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

    def _write_failed_once(self, reason: object) -> None:
        """Report the first failing write (not every one: a read-only disk would flood)."""
        if not self.write_failing:
            _LOG.error("database write failed, further failures not logged: %s", reason)
        self.write_failing = True

    def _write_worked(self) -> None:
        if self.write_failing:
            _LOG.warning("database writes work again")
        self.write_failing = False

    async def current_assessment(self, user_id: int, assessment_id: int) -> StoredAssessment | None:
        """The assessment that is current for the check `assessment_id` belongs to (itself,
        or the newest correction that superseded it); None if it is not the user's."""
        seen: set[int] = set()
        stored = await self.get_assessment(user_id, assessment_id)
        while stored is not None and stored.superseded_by is not None and stored.id not in seen:
            seen.add(stored.id)
            stored = await self.get_assessment(user_id, stored.superseded_by)
        return stored
