"""Deadline reminders: a repeating job sends what is due, straight from the database.

Reminders live only in the database, so one set before a restart is still sent after it (late
if the bot was down at the time, never lost). Each is claimed, sent, then marked sent at once:

* claimed first, in one statement, so two processes on one database never both send it;
* marked right after Telegram accepted it, so the only way to send one twice is a kill in the
  few milliseconds between that answer and the mark (a claim left by a dead process is taken
  again after the restart, or after its lease in shared mode);
* a chat that can no longer be reached (blocked bot, deleted chat) is marked too, so it is not
  retried forever, while a network problem gives the claim back for the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ExtBot

from bot.storage import Storage
from bot.telegram.check_flow import reminder_text
from bot.telegram.context import BotContext
from bot.telegram.sending import send_html

_LOG = logging.getLogger(__name__)

INTERVAL_S = 60.0
FIRST_RUN_S = 5.0
JOB_NAME = "reminders"
OWNER = f"{socket.gethostname()}:{os.getpid()}"
"""Who holds a claim (for an operator reading the table; claims expire by time)."""


async def deliver_due(bot: ExtBot[None], db: Storage, now: dt.datetime) -> int:
    """Send every reminder due at `now`; returns how many went out."""
    sent = 0
    claimed = await db.claim_due_reminders(now, OWNER)
    for index, reminder in enumerate(claimed):
        try:
            lang = await db.user_language(reminder.user_id) or "en"
            text = await reminder_text(db, reminder, now.date(), lang)  # written when sent
            await send_html(bot, reminder.chat_id, text)
        except (Forbidden, BadRequest) as exc:
            _LOG.info("reminder %d undeliverable, dropped: %s", reminder.id, exc)
        except TelegramError as exc:
            _LOG.warning("reminder %d not sent, will retry: %s", reminder.id, exc)
            for unsent in claimed[index:]:  # the API is unwell: the rest on the next run
                await db.release_reminder(unsent.id)
            break
        else:
            sent += 1
        await db.mark_reminder_sent(reminder.id)
    return sent


async def reminder_job(context: BotContext) -> None:
    """The JobQueue callback."""
    services = context.services
    await deliver_due(context.bot, services.db, services.now())
