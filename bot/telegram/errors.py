"""The error handler: log enough to debug, never user text; give the user a short apology.

The log line names the update id and kind and the chat type, and carries the traceback; the
update itself is not logged, because it holds what the user wrote.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, NetworkError, TelegramError

from bot.i18n import render
from bot.storage.inbox import current_update
from bot.telegram import texts
from bot.telegram.context import BotContext

_LOG = logging.getLogger(__name__)


NOTICE_INTERVAL = dt.timedelta(minutes=10)
"""At most one error notice to the admins per interval (a failing dependency must not flood)."""


async def notify_admins(context: BotContext, update: object, error: BaseException | None) -> None:
    """A short notice to the configured admins: what kind of update, which exception type.

    Never the exception message or the update: either may carry user text or secrets.
    """
    services = context.services
    now = services.now()
    last = services.last_error_notice
    if not services.settings.admin_ids or (last is not None and now - last < NOTICE_INTERVAL):
        return
    services.last_error_notice = now
    kind = type(error).__name__ if error is not None else "unknown error"
    text = (
        f"⚠️ ta-advisor: {html.escape(kind)} while handling {html.escape(describe(update))}. "
        "Details are in the logs. (At most one such notice every 10 minutes.)"
    )
    for admin_id in sorted(services.settings.admin_ids):
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(admin_id, text)


def describe(update: object) -> str:
    """`update 12 (message, private)` — identifying, but free of anything the user wrote."""
    if not isinstance(update, Update):
        return type(update).__name__ if update is not None else "no update"
    kinds = [
        k
        for k in ("message", "callback_query", "inline_query", "edited_message")
        if getattr(update, k, None)
    ]
    chat = update.effective_chat
    where = chat.type if chat is not None else "no chat"
    return f"update {update.update_id} ({', '.join(kinds) or 'other'}, {where})"


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure; apologise in private chats and on buttons (groups stay quiet).

    Once per update: when a failing dependency (the database) breaks the gate and then the
    handler, the user gets one apology and the log one entry.
    """
    error = context.error
    scope = current_update()
    if scope is not None and isinstance(update, Update) and scope.update_id == update.update_id:
        if scope.error_reported:
            _LOG.debug("%s: another error, already reported", describe(update))
            return
        scope.error_reported = True
    if isinstance(error, TelegramError):
        context.services.metrics.api_errors.labels(kind=type(error).__name__).inc()
    if isinstance(error, Forbidden):
        _LOG.info("%s: the user blocked the bot or left the chat", describe(update))
        return
    level = logging.WARNING if isinstance(error, NetworkError) else logging.ERROR
    _LOG.log(level, "error while handling %s", describe(update), exc_info=error)
    if level == logging.ERROR:
        await notify_admins(context, update, error)
    if not isinstance(update, Update):
        return
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await update.callback_query.answer(render(texts.APOLOGY, context.lang)[:200])
        elif update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE:
            await context.bot.send_message(
                update.effective_chat.id, render(texts.APOLOGY, context.lang)
            )
