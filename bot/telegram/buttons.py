"""Inline buttons, one handler per concern: check, private and group buttons, and the rest.

`app.py` routes a press by its operation code with `CallbackQueryHandler(pattern=...)` patterns
from the callback codec; each handler here then decodes strictly. Data that does not decode
(stale format, forged, garbage) and buttons pressed in the wrong kind of chat get "this menu has
expired" and a fresh menu; nothing is changed. A press in someone else's private chat
(impossible in Telegram, so forged) gets a toast and nothing else: handlers act for the presser
but send to the message's chat, which would show one user's check to another.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, Update
from telegram.constants import ChatType

from bot.i18n import render
from bot.telegram import check_flow, groups, private, texts
from bot.telegram.callbacks import Callback, Op, decode, pattern
from bot.telegram.context import BotContext
from bot.telegram.sending import toast

PRIVATE_OPS = frozenset({Op.TOPIC, Op.TOPICS, Op.FEEDBACK, Op.FORGET, Op.MORE, Op.TERMS, Op.TERM})
CHECK_OPS = frozenset(
    {Op.CHECK, Op.ANSWER, Op.BACK, Op.CANCEL, Op.EDIT, Op.CONFIRM, Op.REMIND, Op.DETAILS}
)
GROUP_OPS = frozenset({Op.FULL, Op.SETTINGS})

PRIVATE_PATTERN = pattern(*PRIVATE_OPS)
CHECK_PATTERN = pattern(*CHECK_OPS)
GROUP_PATTERN = pattern(*GROUP_OPS)

Handler = Callable[[Update, BotContext, Callback], Awaitable[None]]


def _chat_type(query: CallbackQuery) -> str | None:
    return query.message.chat.type if query.message is not None else None


def _foreign_private(query: CallbackQuery) -> bool:
    """A press in a private chat that is not the presser's own (forged)."""
    message = query.message
    return (
        message is not None
        and message.chat.type == ChatType.PRIVATE
        and message.chat.id != query.from_user.id
    )


async def _route(
    update: Update, context: BotContext, handler: Handler, chat_types: frozenset[str]
) -> None:
    """Decode the press and hand it to `handler` if it came from the right kind of chat."""
    query = update.callback_query
    if query is None:
        return
    press = decode(query.data)
    if _foreign_private(query):
        await toast(query, render(texts.NOT_YOURS, context.lang))
    elif press is None or _chat_type(query) not in chat_types:
        await check_flow.expired(query, context)
    else:
        await handler(update, context, press)


_PRIVATE = frozenset({ChatType.PRIVATE.value})
_GROUPS = frozenset({ChatType.GROUP.value, ChatType.SUPERGROUP.value})


async def on_check_button(update: Update, context: BotContext) -> None:
    """The guided check's buttons (answers, Back, Cancel, review, verdict, reminder)."""
    await _route(update, context, check_flow.on_press, _PRIVATE)


async def on_private_button(update: Update, context: BotContext) -> None:
    """Topics, feedback, /forget and answer buttons in a private chat."""
    await _route(update, context, private.on_press, _PRIVATE)


async def on_group_button(update: Update, context: BotContext) -> None:
    """A group answer's owner-only buttons (full answer, settings)."""
    await _route(update, context, groups.on_press, _GROUPS)


async def on_stale_button(update: Update, context: BotContext) -> None:
    """Anything no other button handler claims: an old format, a forgery, garbage."""
    query = update.callback_query
    if query is None:
        return
    if _foreign_private(query):
        await toast(query, render(texts.NOT_YOURS, context.lang))
    else:
        await check_flow.expired(query, context)
