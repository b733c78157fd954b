"""Deadline reminders: a repeating job sends what is due, straight from the database.

Reminders live only in the database, so one set before a restart is still sent after it (late
if the bot was down at the time, never lost). Each is marked sent right after it goes out; a
chat that can no longer be reached (blocked bot, deleted chat) is marked too, so it is not
retried forever, while a network problem leaves it for the next run.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ExtBot

from bot.storage import Database
from bot.telegram.check_flow import reminder_text
from bot.telegram.context import BotContext
from bot.telegram.sending import send_html

_LOG = logging.getLogger(__name__)

INTERVAL_S = 60.0
FIRST_RUN_S = 5.0
JOB_NAME = "reminders"


async def deliver_due(bot: ExtBot[None], db: Database, now: dt.datetime) -> int:
    """Send every reminder due at `now`; returns how many went out."""
    sent = 0
    for reminder in await db.due_reminders(now):
        try:
            text = await reminder_text(db, reminder, now.date())  # #16: rendered when sent
            await send_html(bot, reminder.chat_id, text)
        except (Forbidden, BadRequest) as exc:
            _LOG.info("reminder %d undeliverable, dropped: %s", reminder.id, exc)
        except TelegramError as exc:
            _LOG.warning("reminder %d not sent, will retry: %s", reminder.id, exc)
            break  # the API is unwell: try the rest on the next run
        else:
            sent += 1
        await db.mark_reminder_sent(reminder.id)
    return sent


async def reminder_job(context: BotContext) -> None:
    """The JobQueue callback."""
    services = context.services
    await deliver_due(context.bot, services.db, services.now())
