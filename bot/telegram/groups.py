"""Groups: quiet by default, short answers when addressed, one rare unprompted warning.

The bot speaks in a group only when asked (`/ask`, a mention, a reply to one of its messages),
and then with the short answer and a button to the full one; when it has no answer it stays
silent rather than posting "I don't understand" to everyone. The single unprompted message is
the off-platform payment warning: high precision (`detects_off_platform`), at most once per
chat per cool-down (claimed atomically in the database), and admins can switch it off.

For the off-platform warning the bot must see ordinary group messages, so its privacy mode has
to be disabled in @BotFather (/setprivacy), or it must be an admin of the group; with privacy on
it still answers when addressed. The start logs it once and /settings says it per group.
"""

from __future__ import annotations

import logging
import re
import time

from telegram import Bot, CallbackQuery, Message, MessageEntity, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.conversation import guards
from bot.conversation.guards import MAX_INPUT_CHARS
from bot.i18n import render, render_html
from bot.kb.glossary import find_term, render_terms_html
from bot.matching.offplatform import detects_off_platform
from bot.telegram import keyboards, language, texts
from bot.telegram.callbacks import Callback, Op
from bot.telegram.context import BotContext
from bot.telegram.flood import FloodVerdict
from bot.telegram.private import answer_question, message_words
from bot.telegram.replies import full_in_group, group_reply, warning_message
from bot.telegram.sending import reply_html, show, toast

_LOG = logging.getLogger(__name__)

ADMIN_STATUSES = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})
ANONYMOUS_ADMIN_ID = 1087968824
"""@GroupAnonymousBot: the sender of an anonymous admin's messages. A settings panel it asked
for can be used by any admin (rights are checked on every press anyway)."""


def is_group(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def addressed_question(message: Message, bot_id: int, bot_username: str) -> str | None:
    """The question in `message` (its text or caption) if it addresses the bot (mention or
    reply), else None.

    The mention itself is removed, so "@bot can I pay by PayPal?" asks "can I pay by PayPal?".
    """
    kinds: list[str | None] = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    if message.text is not None:
        text, entities = message.text, message.parse_entities(kinds)
    else:
        text, entities = message.caption or "", message.parse_caption_entities(kinds)
    mentioned = False
    for entity, value in entities.items():
        if entity.type == MessageEntity.MENTION:
            mentioned |= value.lstrip("@").lower() == bot_username.lower()
        elif entity.user is not None and entity.user.id == bot_id:
            mentioned = True
            text = text.replace(value, " ")
    if mentioned:
        text = re.sub(rf"@{re.escape(bot_username)}\b", " ", text, flags=re.IGNORECASE)
        return re.sub(r"[ \t]+", " ", text).strip()
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text.strip()
    return None


def _command_argument(message: Message) -> str:
    """The text after `/ask` (or `/ask@bot`), line breaks kept."""
    parts = (message.text or "").split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


async def ask_command(update: Update, context: BotContext) -> None:
    """/ask <question>: in a group the short answer; in private the full one."""
    message = update.message
    if message is None or message.from_user is None:
        return
    question = _command_argument(message)
    if not is_group(update):
        if not question:
            await reply_html(message, render_html(texts.ASK_USAGE, context.lang))
            return
        await answer_question(context, message.chat_id, message.from_user.id, question)
        return
    await _answer_addressed(message, context, question)


async def on_group_text(update: Update, context: BotContext) -> None:
    """Every ordinary text (or photo/document caption) in a group: answer if addressed, else
    maybe warn, else nothing."""
    message = update.message
    if message is None or message_words(message) is None or message.from_user is None:
        return
    question = addressed_question(message, context.bot.id, context.bot.username)
    if question is not None:
        await _answer_addressed(message, context, question)
        return
    await _maybe_warn(message, context)


async def _answer_addressed(message: Message, context: BotContext, question: str) -> None:
    services = context.services
    assert message.from_user is not None
    if services.flood.check(message.chat_id, time.monotonic()) is not FloodVerdict.ALLOW:
        return  # a flooding group gets silence, not "slow down" posts
    await services.db.touch_user(message.from_user.id, chat_type=message.chat.type)
    if not question or guards.input_problem(question, in_check=False) is not None:
        if not question:
            await reply_html(message, render_html(texts.ASK_USAGE, context.lang), quote=True)
        return
    reply, out = group_reply(
        services.advisor,
        question,
        owner=message.from_user.id,
        bot_username=context.bot.username,
        lang=context.lang,
    )
    topic_id = await services.record_question(
        message.from_user.id, message.chat.type, question, reply
    )
    _LOG.info("group question: decision=%s topic=%s", reply.match.kind, topic_id)
    if out is not None:
        await reply_html(message, out.text, out.markup, quote=True)


async def _maybe_warn(message: Message, context: BotContext) -> None:
    """The one unprompted post: the off-platform warning, rarely and only when switched on."""
    text = message_words(message) or ""
    if len(text) > MAX_INPUT_CHARS or not detects_off_platform(text):
        return
    services = context.services
    cooldown = services.settings.group_warning_cooldown_s
    if not await services.db.claim_warning_slot(message.chat_id, services.now(), cooldown):
        return
    out = warning_message(services.advisor, context.bot.username, context.lang)
    _LOG.info("group: off-platform warning posted")
    if out is not None:
        await reply_html(message, out.text, out.markup, quote=True)


async def is_admin(context: BotContext, message: Message) -> bool:
    """Whether the sender may change group settings (an anonymous admin counts)."""
    if message.sender_chat is not None and message.sender_chat.id == message.chat_id:
        return True
    if message.from_user is None:
        return False
    return await _member_is_admin(context, message.chat_id, message.from_user.id)


async def _member_is_admin(context: BotContext, chat_id: int, user_id: int) -> bool:
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError as exc:
        _LOG.info("could not check admin rights: %s", exc)
        return False
    return member.status in ADMIN_STATUSES


def _settings_text(enabled: bool, cooldown_s: int, sees_messages: bool, lang: str) -> str:
    state = texts.WARNINGS_ON if enabled else texts.WARNINGS_OFF
    head = render_html(texts.settings_text(state, texts.cooldown(cooldown_s)), lang)
    sees = render_html(texts.SETTINGS_SEES if sees_messages else texts.SETTINGS_BLIND, lang)
    return f"{head}\n\n{sees}"


def reads_all_group_messages(bot: Bot) -> bool:
    """getMe's `can_read_all_group_messages` (read by `initialize`): False while privacy
    mode is on in @BotFather."""
    try:
        return bool(bot.can_read_all_group_messages)
    except RuntimeError:  # not initialized: we cannot know, so assume the safe answer
        return False


def log_privacy_mode(bot: Bot) -> bool:
    """At start: one clear warning when privacy mode hides ordinary group messages, since
    the unprompted off-platform warning then fires only in groups where the bot is admin."""
    if reads_all_group_messages(bot):
        return True
    _LOG.warning(
        "privacy mode is on (getMe: can_read_all_group_messages=false): the off-platform "
        "payment warning cannot fire in groups where the bot is not an admin. Fix: send "
        "/setprivacy to @BotFather, choose this bot, select Disable, then remove and re-add "
        "the bot to its groups (or make it an admin there)."
    )
    return False


async def sees_group_messages(context: BotContext, chat_id: int) -> bool:
    """Whether ordinary messages of this group reach the bot (privacy off, or admin here)."""
    if reads_all_group_messages(context.bot):
        return True
    return await _member_is_admin(context, chat_id, context.bot.id)


async def settings_command(update: Update, context: BotContext) -> None:
    """/settings (group admins): show the warning switch, owned by the admin who asked."""
    message = update.message
    if message is None or message.from_user is None:
        return
    if not is_group(update):
        await reply_html(message, render_html(texts.SETTINGS_PRIVATE, context.lang))
        return
    if not await is_admin(context, message):
        await reply_html(message, render_html(texts.NOT_ADMIN, context.lang), quote=True)
        return
    services = context.services
    current = await services.db.group_settings(message.chat_id)
    sees = await sees_group_messages(context, message.chat_id)
    text, markup = language.with_group_language(
        _settings_text(
            current.warnings_enabled,
            services.settings.group_warning_cooldown_s,
            sees,
            context.lang,
        ),
        keyboards.settings_keyboard(message.from_user.id, current.warnings_enabled, context.lang),
        current.language,
        message.from_user.id,
    )
    await reply_html(message, text, markup, quote=True)


async def check_command(update: Update, context: BotContext) -> None:
    """/check in a group: the check is private, so link to it."""
    if update.message is None:
        return
    markup = keyboards.private_link_keyboard(
        context.bot.username, "check", texts.OPEN_CHECK, context.lang
    )
    await reply_html(
        update.message, render_html(texts.GROUP_CHECK, context.lang), markup, quote=True
    )


async def glossary_command(update: Update, context: BotContext) -> None:
    """/glossary TERM in a group: that entry; alone, the list lives in the private chat."""
    message = update.message
    if message is None:
        return
    query = _command_argument(message)
    glossary = context.services.advisor.kb.localized(context.lang).glossary
    term = find_term(query, glossary) if query else None
    if term is not None:
        await reply_html(message, render_terms_html([term]), quote=True)
        return
    markup = keyboards.private_link_keyboard(
        context.bot.username, "glossary", texts.GLOSSARY_LINK, context.lang
    )
    await reply_html(message, render_html(texts.GROUP_GLOSSARY, context.lang), markup, quote=True)


async def help_command(update: Update, context: BotContext) -> None:
    if update.message is not None:
        markup = keyboards.private_link_keyboard(
            context.bot.username, "topics", texts.BROWSE_TOPICS, context.lang
        )
        await reply_html(
            update.message, render_html(texts.GROUP_HELP, context.lang), markup, quote=True
        )


async def private_only(update: Update, context: BotContext) -> None:
    """/cases, /forget, /cancel… in a group: these are personal, so point to the private chat."""
    if update.message is not None:
        markup = keyboards.private_link_keyboard(
            context.bot.username, "", texts.OPEN_PRIVATE_CHAT, context.lang
        )
        await reply_html(
            update.message, render_html(texts.PRIVATE_ONLY, context.lang), markup, quote=True
        )


# --------------------------------------------------------------------------- buttons


async def on_press(update: Update, context: BotContext, press: Callback) -> None:
    """Group buttons carry their owner: anyone else gets a polite toast and changes nothing."""
    query = update.callback_query
    assert query is not None
    anonymous_admin_panel = press.op is Op.SETTINGS and press.owner == ANONYMOUS_ADMIN_ID
    if press.owner != query.from_user.id and not anonymous_admin_panel:
        await toast(query, render(texts.NOT_YOURS, context.lang))
        return
    if press.op is Op.FULL:
        await _expand(query, context, press.arg(0))
    elif press.op is Op.SETTINGS:
        await _toggle(query, context, press.flag)


async def _expand(query: CallbackQuery, context: BotContext, topic_id: str) -> None:
    shown = (query.message.text or "") if isinstance(query.message, Message) else ""
    advisor = context.services.advisor
    out = full_in_group(advisor, topic_id, context.bot.username, shown=shown, lang=context.lang)
    if out is None:
        await toast(query, render(texts.EXPIRED, context.lang))
        return
    await toast(query)
    await show(query, out.text, out.markup)


async def _toggle(query: CallbackQuery, context: BotContext, enable: bool) -> None:
    """Switch the warning; admin rights are checked again (they may have been removed)."""
    message = query.message
    if message is None:
        await toast(query, render(texts.EXPIRED, context.lang))
        return
    if not await _member_is_admin(context, message.chat.id, query.from_user.id):
        await toast(query, render(texts.NOT_ADMIN_TOAST, context.lang))
        return
    services = context.services
    await services.db.set_warnings_enabled(message.chat.id, enable)
    state = texts.SWITCHED_ON if enable else texts.SWITCHED_OFF
    await toast(query, render(texts.settings_changed(state), context.lang))
    sees = await sees_group_messages(context, message.chat.id)
    current = await services.db.group_settings(message.chat.id)
    text, markup = language.with_group_language(
        _settings_text(enable, services.settings.group_warning_cooldown_s, sees, context.lang),
        keyboards.settings_keyboard(query.from_user.id, enable, context.lang),
        current.language,
        query.from_user.id,
    )
    await show(query, text, markup)
