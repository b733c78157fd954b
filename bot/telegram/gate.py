"""The first handler every update meets: drop what we never answer, apply the flood limit.

Edited messages, channel posts, messages from other bots (and our own inline results echoed in a
chat) are ignored quietly: answering an edit twice, or a bot, only makes noise. Private chats get
the per-chat flood limit here; groups apply it to addressed messages only (see `groups`), since
a lively group is not a flood. Users are recorded as seen only when they talk to the bot.
"""

from __future__ import annotations

import contextlib
import time

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.i18n import normalize_lang, render
from bot.logs import bind_update
from bot.storage import Storage, StorageError
from bot.telegram import texts
from bot.telegram.context import BotContext
from bot.telegram.flood import FloodVerdict
from bot.telegram.language import reader_language

UPDATE_KINDS = ("message", "callback_query", "inline_query", "edited_message", "channel_post")


def update_kind(update: Update) -> str:
    """The kind of update, for the metrics (`other` for the rest)."""
    return next((k for k in UPDATE_KINDS if getattr(update, k, None) is not None), "other")


def should_ignore(update: Update, bot_id: int) -> bool:
    """Updates the bot never answers (pure, so the rule is unit-tested)."""
    if update.message is None:
        return not (update.callback_query or update.inline_query)
    message = update.message
    if message.via_bot is not None and message.via_bot.id == bot_id:
        return True  # our own inline result, posted by a user: not a question
    if message.is_automatic_forward:
        return True  # a linked channel's post copied into its discussion group
    sender = message.from_user
    anonymous_admin = message.sender_chat is not None and message.sender_chat.id == message.chat_id
    if sender is None:
        return not anonymous_admin
    return sender.is_bot and not anonymous_admin


async def _warning_language(update: Update, db: Storage) -> str:
    """The reader's language for the one "slow down" of a flood, which goes out before
    `context.lang` is resolved: read only then, so the updates dropped after it cost no read."""
    try:
        return await reader_language(update, db)
    except StorageError:
        user = update.effective_user
        return normalize_lang(user.language_code if user is not None else None)


async def gate(update: Update, context: BotContext) -> None:
    """Stop ignored updates; flood-limit private chats; record the user as seen; resolve the
    reader's language once for every handler of this update (`context.lang`)."""
    chat, user = update.effective_chat, update.effective_user
    bind_update(update.update_id, chat.type if chat is not None else None)
    context.services.metrics.updates.labels(type=update_kind(update)).inc()
    if should_ignore(update, context.bot.id):
        raise ApplicationHandlerStop
    services = context.services
    private = chat is not None and chat.type == ChatType.PRIVATE
    if update.message is not None and private and chat is not None:
        verdict = services.flood.check(chat.id, time.monotonic())
        if verdict is FloodVerdict.WARN:
            lang = await _warning_language(update, services.db)
            await context.bot.send_message(chat.id, render(texts.SLOW_DOWN, lang))
        if verdict is not FloodVerdict.ALLOW:
            raise ApplicationHandlerStop
    if user is not None and (private or update.callback_query or update.inline_query):
        chat_type = chat.type if chat is not None else "inline"
        with contextlib.suppress(StorageError):  # reported once by the database
            await services.db.touch_user(
                user.id, chat_type=chat_type, language_code=user.language_code
            )
    with contextlib.suppress(StorageError):  # English if the store cannot say
        context.lang = await reader_language(update, services.db)
