"""Sending and editing HTML messages safely: never over 4096 characters, never a lost reply.

Telegram refuses a message over 4096 characters outright, so every text goes through
`split_html`, which cuts at paragraph, then line, then word boundaries and never inside a tag
or an entity. Our own HTML keeps tags within one line, so a cut at a line break is always
well-formed.
"""

from __future__ import annotations

import logging
import re

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import CallbackQueryLimit, MessageLimit
from telegram.error import BadRequest
from telegram.ext import ExtBot

MAX_CHARS = int(MessageLimit.MAX_TEXT_LENGTH)
TOAST_CHARS = int(CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH)
"""Telegram's limit for one message (counted after entity parsing; raw HTML is longer)."""

_LOG = logging.getLogger(__name__)
_OPEN_TAG = re.compile(r"<([a-z-]+)[^>]*>")


def _cut_point(text: str, limit: int) -> int:
    """Where to cut `text` to at most `limit` characters: a blank line, a line, a space."""
    for sep in ("\n\n", "\n", " "):
        at = text.rfind(sep, 0, limit)
        if at > limit // 4:
            return at
    # No boundary: cut hard, but not inside a tag or an entity.
    at = limit
    lt, amp = text.rfind("<", 0, at), text.rfind("&", 0, at)
    if lt > text.rfind(">", 0, at):
        at = lt
    if amp > text.rfind(";", 0, at):
        at = min(at, amp)
    return max(at, 1)


def _balanced(chunk: str) -> bool:
    """Whether every tag opened in `chunk` is closed in it (checked before a hard cut)."""
    opened = [m.group(1) for m in _OPEN_TAG.finditer(chunk)]
    return all(chunk.count(f"</{name}>") >= opened.count(name) for name in set(opened))


def split_html(text: str, limit: int = MAX_CHARS) -> list[str]:
    """`text` as one or more messages of at most `limit` characters each."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        at = _cut_point(rest, limit)
        head = rest[:at].rstrip()
        if not _balanced(head):  # a tag spans the cut: drop markup rather than break it
            head = re.sub(r"<[^>]+>", "", head)
        if head:
            chunks.append(head)
        rest = rest[at:].strip()
    if rest:
        chunks.append(rest)
    return chunks or ["…"]


async def send_html(
    bot: ExtBot[None],
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    reply_to: int | None = None,
    thread_id: int | None = None,
) -> Message:
    """Send `text` (split if needed; the keyboard goes on the last part); return that part."""
    parts = split_html(text)
    sent: Message | None = None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        quote = reply_to is not None and index == 0
        sent = await bot.send_message(
            chat_id,
            part,
            reply_markup=markup if last else None,
            reply_parameters=(
                ReplyParameters(reply_to, allow_sending_without_reply=True)
                if quote and reply_to is not None
                else None
            ),
            message_thread_id=thread_id,
        )
    assert sent is not None
    return sent


async def reply_html(
    message: Message, text: str, markup: InlineKeyboardMarkup | None = None, *, quote: bool = False
) -> Message:
    """Answer `message` in its chat; in groups `quote=True` makes clear whom we answer."""
    return await send_html(
        message.get_bot(),  # type: ignore[arg-type]
        message.chat_id,
        text,
        markup,
        reply_to=message.message_id if quote else None,
        thread_id=message.message_thread_id if message.is_topic_message else None,
    )


async def show(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the pressed message with a new screen; send a new message if it can't be edited.

    Editing keeps the chat short on a phone. Old messages (48 h) and some chats refuse edits;
    then the screen arrives as a new message, so the user never ends up without it.
    """
    parts = split_html(text)
    if len(parts) == 1 and query.message is not None:
        try:
            await query.edit_message_text(parts[0], reply_markup=markup)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            _LOG.info("edit refused (%s); sending a new message", exc)
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    await send_html(query.get_bot(), chat_id, text, markup)  # type: ignore[arg-type]


async def toast(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press (stops the spinner), with an optional short notice.

    Telegram allows 200 characters and refuses answers after about 15 seconds or a second
    time ("query is too old"), which happens after restarts; that must not abort the handler.
    """
    try:
        await query.answer(text[:TOAST_CHARS] if text else None)
    except BadRequest as exc:
        _LOG.debug("could not answer a button press: %s", exc)
