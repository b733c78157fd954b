"""What every handler needs, reachable from PTB's context: `context.services`.

Handlers hold no state of their own. The advisor is read-only, the database is the single
source of truth for anything a user would miss, and the clock is injectable so tests can move
time (reminders, cool-downs, claim windows) without waiting.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.answering import Advisor, Reply
from bot.i18n import DEFAULT_LANG
from bot.metrics import BotMetrics
from bot.settings import Settings
from bot.storage import Storage, StorageError
from bot.telegram.flood import FloodGate

if TYPE_CHECKING:
    from bot.telegram.inbox import Inbox

SERVICES_KEY = "services"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Services:
    """The bot's collaborators, built once in `build_application`."""

    settings: Settings
    advisor: Advisor
    db: Storage
    flood: FloodGate = field(default_factory=FloodGate)
    clock: Callable[[], dt.datetime] = utc_now
    metrics: BotMetrics = field(default_factory=BotMetrics)
    last_error_notice: dt.datetime | None = None
    inbox: Inbox | None = None

    def now(self) -> dt.datetime:
        """Aware UTC now (the database refuses naive datetimes)."""
        return self.clock()

    async def record_question(
        self, user_id: int | None, chat_type: str, text: str, reply: Reply
    ) -> str | None:
        """Log a free-text question (text kept only when unanswered) and count its decision;
        returns the topic id shown, if any."""
        topic_id = reply.topic.id if reply.topic is not None else reply.match.topic_id
        with contextlib.suppress(StorageError):  # reported once by the database; the
            await self.db.log_question(  # answer matters more than the count
                user_id, chat_type, text, topic_id, reply.match.kind
            )
        self.metrics.answers.labels(decision=reply.match.kind).inc()
        return topic_id

    def today(self) -> dt.date:
        """The day a check is measured from; UTC, since users' time zones are unknown."""
        return self.clock().date()


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with typed access to the services, and the reader's language.

    PTB builds one context per update, so `lang` (set by the gate from the user's or the
    group's stored language) is resolved once and read by every renderer of that update.
    """

    lang: str = DEFAULT_LANG

    @property
    def services(self) -> Services:
        return cast(Services, self.bot_data[SERVICES_KEY])


BotApp = Application[
    ExtBot[None],
    BotContext,
    dict[Any, Any],
    dict[Any, Any],
    dict[Any, Any],
    JobQueue[BotContext],
]
"""The concrete Application type this bot builds."""
