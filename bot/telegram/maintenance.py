"""Housekeeping job: keep users' text only as long as it is useful.

The texts of unanswered questions are dropped after `TA_ADVISOR_QUESTION_RETENTION_DAYS` (their
counts stay for `/stats`), and the ids of long-handled updates are forgotten (they are kept a
while only to recognise a replay).
"""

from __future__ import annotations

import datetime as dt
import logging

from bot.storage import StorageError
from bot.telegram.context import BotContext
from bot.telegram.inbox import DONE_KEPT

_LOG = logging.getLogger(__name__)

INTERVAL_S = 3600.0
FIRST_RUN_S = 30.0
JOB_NAME = "maintenance"


async def maintenance_job(context: BotContext) -> None:
    """The JobQueue callback."""
    services = context.services
    now = services.now()
    retention = dt.timedelta(days=services.settings.question_retention_days)
    try:
        dropped = await services.db.prune_questions(now - retention)
        await services.db.prune_inbox(now - DONE_KEPT)
    except StorageError:
        return  # the database reported it; the next run tries again
    if dropped:
        _LOG.info("dropped the text of %d question(s) older than the retention period", dropped)
