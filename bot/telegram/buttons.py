"""One entry point for every inline button: decode strictly, then route by operation.

Data that does not decode (stale format, forged, garbage) and buttons pressed in the wrong kind
of chat get "this menu has expired" and a fresh menu; nothing is changed. A press in someone
else's private chat (impossible in Telegram, so forged) gets a toast and nothing else: handlers
act for the presser but send to the message's chat, which would show one user's check to another.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.telegram import check_flow, groups, private, texts
from bot.telegram.callbacks import Op, decode
from bot.telegram.context import BotContext
from bot.telegram.sending import toast

PRIVATE_OPS = frozenset({Op.TOPIC, Op.TOPICS, Op.FEEDBACK, Op.FORGET, Op.MORE, Op.TERMS, Op.TERM})
CHECK_OPS = frozenset({Op.CHECK, Op.ANSWER, Op.BACK, Op.CANCEL, Op.EDIT, Op.CONFIRM, Op.REMIND})
GROUP_OPS = frozenset({Op.FULL, Op.SETTINGS})


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    press = decode(query.data)
    chat = query.message.chat if query.message is not None else None
    in_group = chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
    in_private = chat is not None and chat.type == ChatType.PRIVATE
    if in_private and chat is not None and chat.id != query.from_user.id:
        await toast(query, texts.NOT_YOURS)
    elif press is None or (press.op in GROUP_OPS and not in_group):
        await check_flow.expired(query, context)
    elif press.op in GROUP_OPS:
        await groups.on_press(update, context, press)
    elif not in_private:
        await check_flow.expired(query, context)
    elif press.op in PRIVATE_OPS:
        await private.on_press(update, context, press)
    else:
        await check_flow.on_press(update, context, press)
