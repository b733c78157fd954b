"""/language (a user's language) and the group language line of /settings (its admins' choice).

The choice offered is `SUPPORTED_LANGS`, so a language appears here as soon as its catalogue
is added. Language buttons carry their own short data (`lg:<lang>` in a private chat,
`lg:<lang>:<owner>` in a group, far below Telegram's 64 bytes) matched by `PATTERN`, and are
registered before the general button handler; the data is checked against the supported
languages, and a group press against its owner and their admin rights, before anything changes.
"""

from __future__ import annotations

import contextlib
import html
import re
from functools import cache

from babel import Locale
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.conversation.language import message_language
from bot.i18n import DEFAULT_LANG, SUPPORTED_LANGS, Text, _, normalize_lang, render
from bot.storage import Storage
from bot.telegram.context import BotContext
from bot.telegram.sending import reply_html, show, toast

PREFIX = "lg"
PATTERN = re.compile(rf"^{PREFIX}:([a-z]{{2,3}})(?::([1-9][0-9]{{0,15}}))?$")
"""A language button's data: the language, and the owner's id for a group's settings."""


@cache
def language_name(lang: str) -> str:
    """A language's own name ("English", "Русский"), from Babel's locale data, not a list."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


def choice_data(lang: str, owner: int | None = None) -> str:
    """A language button's callback data."""
    return f"{PREFIX}:{lang}" if owner is None else f"{PREFIX}:{lang}:{owner}"


def choice_keyboard(current: str, owner: int | None = None) -> InlineKeyboardMarkup:
    """One button per supported language, the current one ticked."""
    buttons = [
        InlineKeyboardButton(
            ("✓ " if lang == current else "") + language_name(lang),
            callback_data=choice_data(lang, owner),
        )
        for lang in SUPPORTED_LANGS
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def group_settings_line(current: str, reader: str = DEFAULT_LANG) -> str:
    """The language line of a group's /settings (HTML)."""
    line = _("Language for this group: {name}", name=language_name(current))
    return html.escape(render(line, reader))


def with_group_language(
    text: str, markup: InlineKeyboardMarkup, current: str, owner: int
) -> tuple[str, InlineKeyboardMarkup]:
    """A group's /settings screen with its language line and buttons added."""
    rows = [*markup.inline_keyboard, *choice_keyboard(current, owner).inline_keyboard]
    return f"{text}\n\n{group_settings_line(current)}", InlineKeyboardMarkup(rows)


def _private_text(current: str) -> Text:
    return _(
        "I answer you in {name}. Choose the language you want:",
        name=language_name(current),
    )


async def reader_language(update: Update, db: Storage) -> str:
    """The language this update's answer is read in: the message's own when it is clearly
    written in another offered language; else, in a group, the group's (its admins' choice);
    elsewhere the user's stored choice, else Telegram's setting, else English."""
    return message_language(_typed(update), await _base_language(update, db))


def _typed(update: Update) -> str:
    """The words of this update a person wrote (a message, a caption, an inline query)."""
    message = update.effective_message
    if message is not None and update.callback_query is None:
        return message.text or message.caption or ""
    return update.inline_query.query if update.inline_query is not None else ""


async def _base_language(update: Update, db: Storage) -> str:
    chat = update.effective_chat
    if chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        return normalize_lang((await db.group_settings(chat.id)).language)
    user = update.effective_user
    if user is None:
        return DEFAULT_LANG
    return await db.user_language(user.id) or normalize_lang(user.language_code)


async def user_language(context: BotContext, update: Update) -> str:
    """The language to answer this user in: their stored choice, else Telegram's setting."""
    user = update.effective_user
    if user is None:
        return DEFAULT_LANG
    stored = await context.services.db.user_language(user.id)
    return stored or normalize_lang(user.language_code)


async def language_command(update: Update, context: BotContext) -> None:
    """/language: in a private chat, the choice; in a group, where the group's is set."""
    message, chat = update.message, update.effective_chat
    if message is None or chat is None:
        return
    lang = await user_language(context, update)
    if chat.type != ChatType.PRIVATE:
        hint = _(
            "A group's language is set by its admins in /settings. Your own language: send "
            "/language to me in a private chat."
        )
        await reply_html(message, html.escape(render(hint, lang)), quote=True)
        return
    await reply_html(message, html.escape(render(_private_text(lang), lang)), choice_keyboard(lang))


async def on_choice(update: Update, context: BotContext) -> None:
    """A language button: store the choice (user or group) and show it in that language."""
    query = update.callback_query
    if query is None:
        return
    match = PATTERN.fullmatch(query.data or "")
    chosen = match.group(1) if match else None
    if match is None or chosen not in SUPPORTED_LANGS:
        await toast(
            query, render(_("This menu has expired."), await user_language(context, update))
        )
        return
    owner = match.group(2)
    if owner is None:
        await _set_user(query, context, chosen)
    else:
        await _set_group(query, context, chosen, int(owner))


async def _set_user(query: CallbackQuery, context: BotContext, lang: str) -> None:
    chat_type = query.message.chat.type if query.message is not None else ChatType.PRIVATE
    await context.services.db.set_user_language(query.from_user.id, lang, chat_type=chat_type)
    done = _("Done: I will answer you in {name}.", name=language_name(lang))
    await toast(query, render(done, lang))
    await show(query, html.escape(render(_private_text(lang), lang)), choice_keyboard(lang))


async def _set_group(query: CallbackQuery, context: BotContext, lang: str, owner: int) -> None:
    message = query.message
    reader = await context.services.db.user_language(query.from_user.id) or DEFAULT_LANG
    if message is None:
        await toast(query, render(_("This menu has expired."), reader))
        return
    from bot.telegram.groups import ANONYMOUS_ADMIN_ID  # groups adds this line to /settings
    from bot.telegram.groups import _member_is_admin as member_is_admin

    presser = query.from_user.id
    if owner not in (presser, ANONYMOUS_ADMIN_ID) or not await member_is_admin(
        context, message.chat.id, presser
    ):
        await toast(
            query, render(_("Only the admin who opened these settings can change them."), reader)
        )
        return
    await context.services.db.set_group_language(message.chat.id, lang)
    await toast(query, render(_("Group language: {name}", name=language_name(lang)), reader))
    markup = getattr(message, "reply_markup", None)
    if isinstance(markup, InlineKeyboardMarkup):  # keep the settings' other buttons
        rows = [
            list(row) for row in markup.inline_keyboard if not any(_is_language(b) for b in row)
        ]
        rows += [list(row) for row in choice_keyboard(lang, owner).inline_keyboard]
        with contextlib.suppress(TelegramError):  # cosmetic: the choice is stored either way
            await query.edit_message_reply_markup(InlineKeyboardMarkup(rows))


def _is_language(button: InlineKeyboardButton) -> bool:
    return isinstance(button.callback_data, str) and bool(PATTERN.fullmatch(button.callback_data))


def command_handler() -> CommandHandler[BotContext, None]:
    """/language, in private chats and groups."""
    return CommandHandler("language", language_command)


def button_handler() -> CallbackQueryHandler[BotContext, None]:
    """The language buttons. Registered after the other button handlers: PTB hands a press
    without data to the first handler that has a pattern, and those answer it with a fresh
    menu."""
    return CallbackQueryHandler(on_choice, pattern=PATTERN)
