"""Building the Application: configuration and handler wiring only, no behaviour.

Handler groups: -1 is the gate (ignore, flood-limit, record the user); 0 holds everything else,
most specific first. Defaults make HTML the parse mode everywhere, so every text the bot sends
is Telegram HTML and every user-provided string in it is escaped where it is inserted.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, cast

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.answering import Advisor
from bot.i18n import DEFAULT_LANG, N_, SUPPORTED_LANGS, gettext_for
from bot.settings import Settings
from bot.storage import Storage
from bot.telegram import (
    admin,
    buttons,
    check_flow,
    gate,
    groups,
    inline,
    language,
    maintenance,
    private,
    reminders,
)
from bot.telegram.context import SERVICES_KEY, BotApp, BotContext, Services, utc_now
from bot.telegram.errors import on_error
from bot.telegram.flood import FloodGate
from bot.telegram.inbox import Inbox, InboxUpdater
from bot.telegram.throttle import ChatRateLimiter, PerChatUpdateProcessor

_LOG = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
"""What we ask Telegram for; anything else would only be ignored by the gate."""

Menu = tuple[tuple[str, str], ...]
"""A command menu as data: each command and its description (marked for the catalogue)."""

PRIVATE_MENU: Menu = (
    ("start", N_("Start")),
    ("topics", N_("Browse all topics")),
    ("check", N_("Check if your claim is covered")),
    ("cases", N_("Your past checks")),
    ("glossary", N_("Trade words explained (FOB, QC, CE…)")),
    ("cancel", N_("Stop the check")),
    ("language", N_("Choose my language")),
    ("forget", N_("Delete everything stored about you")),
    ("help", N_("What I can do")),
)
GROUP_MENU: Menu = (
    ("ask", N_("Ask about Trade Assurance")),
    ("check", N_("Check a claim (in a private chat)")),
    ("help", N_("How I work in groups")),
)
ADMIN_MENU: Menu = (*GROUP_MENU, ("settings", N_("Payment warnings on or off")))
OPERATOR_MENU: Menu = (
    *PRIVATE_MENU,
    ("stats", N_("Usage figures (24h, 7d, 4w, all)")),
    ("unanswered", N_("Questions without an answer")),
    ("reload", N_("Reload the knowledge base")),
)
"""The private menu of the bot's own admins (TA_ADVISOR_ADMIN_IDS)."""


def bot_commands(menu: Menu, lang: str = DEFAULT_LANG) -> list[BotCommand]:
    """A menu with its descriptions in one language, as BotFather's menu shows it."""
    return [BotCommand(command, gettext_for(description, lang)) for command, description in menu]


PRIVATE_COMMANDS = bot_commands(PRIVATE_MENU)
GROUP_COMMANDS = bot_commands(GROUP_MENU)
ADMIN_COMMANDS = bot_commands(ADMIN_MENU)
OPERATOR_COMMANDS = bot_commands(OPERATOR_MENU)
"""The English menus (deploy/README.md gives them to BotFather)."""


async def _set_menu(app: BotApp, menu: Menu, scope: BotCommandScope) -> None:
    """The English menu as the default for a scope, then one per other supported language
    (Telegram shows a user the list for their `language_code`, else the default)."""
    await app.bot.set_my_commands(bot_commands(menu), scope=scope)
    for lang in SUPPORTED_LANGS:
        if lang != DEFAULT_LANG:
            await app.bot.set_my_commands(bot_commands(menu, lang), scope=scope, language_code=lang)


async def register_commands(app: BotApp) -> None:
    """The command menu per scope and language; a failure is logged, not fatal (the bot still
    works)."""
    scopes: tuple[tuple[BotCommandScope, Menu], ...] = (
        (BotCommandScopeAllPrivateChats(), PRIVATE_MENU),
        (BotCommandScopeAllGroupChats(), GROUP_MENU),
        (BotCommandScopeAllChatAdministrators(), ADMIN_MENU),
    )
    for scope, menu in scopes:
        try:
            await _set_menu(app, menu, scope)
        except TelegramError as exc:
            _LOG.warning("could not register the %s commands: %s", scope.type, exc)
    services: Services = app.bot_data[SERVICES_KEY]
    for admin_id in sorted(services.settings.admin_ids):
        try:  # fails until the admin has started the bot once; the commands still work
            await _set_menu(app, OPERATOR_MENU, BotCommandScopeChat(admin_id))
        except TelegramError as exc:
            _LOG.info("admin command menu not set for one admin: %s", exc)


async def startup(app: BotApp, *, reminder_interval_s: float | None = reminders.INTERVAL_S) -> None:
    """After `initialize`: register the command menus and schedule the reminder job.

    Not a PTB `post_init` hook, because those run only under `run_polling`/`run_webhook`, and
    we start the Application ourselves (polling or our own webhook server). With
    `reminder_interval_s=None` the job is left out (tests call `reminders.deliver_due`).
    """
    await register_commands(app)
    groups.log_privacy_mode(app.bot)
    if reminder_interval_s is not None and app.job_queue is not None:
        app.job_queue.run_repeating(
            reminders.reminder_job,
            interval=reminder_interval_s,
            first=reminders.FIRST_RUN_S,
            name=reminders.JOB_NAME,
        )
        app.job_queue.run_repeating(
            maintenance.maintenance_job,
            interval=maintenance.INTERVAL_S,
            first=maintenance.FIRST_RUN_S,
            name=maintenance.JOB_NAME,
        )


def build_application(
    settings: Settings,
    advisor: Advisor,
    db: Storage,
    *,
    clock: Callable[[], dt.datetime] = utc_now,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    with_updater: bool | None = None,
) -> BotApp:
    """The bot, wired and configured but not started (see `startup`).

    `with_updater` defaults to polling mode (an `InboxUpdater`) unless a webhook URL is set, in
    which case updates come through `bot.telegram.webhook` instead; both store every update in
    the inbox before confirming it (see `bot.telegram.inbox`).
    """
    if with_updater is None:
        with_updater = settings.telegram_webhook_url is None
    limiter = rate_limiter if rate_limiter is not None else ChatRateLimiter()
    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_file_url)
        .context_types(ContextTypes(context=BotContext))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(limiter)
        .concurrent_updates(PerChatUpdateProcessor())
    )
    app = cast(BotApp, builder.updater(None).build())
    inbox = Inbox(db, app.bot, app.update_queue, release_on_start=not settings.shared_database)
    if with_updater:  # polling that stores each batch before confirming it
        app.updater = InboxUpdater(app.bot, app.update_queue, inbox)
    services = Services(
        settings=settings, advisor=advisor, db=db, flood=FloodGate(), clock=clock, inbox=inbox
    )
    app.bot_data[SERVICES_KEY] = services
    if isinstance(app.update_processor, PerChatUpdateProcessor):
        app.update_processor.observe = services.metrics.latency.observe
        app.update_processor.track = inbox.handle
    if isinstance(limiter, ChatRateLimiter):
        limiter.on_retry = services.metrics.retries.inc
    add_handlers(app)
    return app


def add_handlers(app: BotApp) -> None:
    """Every handler, in order of precedence."""
    priv, group = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    app.add_handler(TypeHandler(Update, gate.gate), group=-1)

    app.add_handler(CommandHandler("start", private.start, filters=priv))
    app.add_handler(CommandHandler("help", private.help_command, filters=priv))
    app.add_handler(CommandHandler("topics", private.topics_command, filters=priv))
    app.add_handler(CommandHandler("check", private.check_command, filters=priv))
    app.add_handler(CommandHandler("cases", private.cases_command, filters=priv))
    app.add_handler(CommandHandler("glossary", private.glossary_command, filters=priv))
    app.add_handler(CommandHandler("cancel", check_flow.cancel_command, filters=priv))
    app.add_handler(CommandHandler("forget", private.forget_command, filters=priv))
    app.add_handler(CommandHandler("stats", admin.stats_command))
    app.add_handler(CommandHandler("unanswered", admin.unanswered_command))
    app.add_handler(CommandHandler("reload", admin.reload_command))
    app.add_handler(CommandHandler("ask", groups.ask_command))
    app.add_handler(CommandHandler("settings", groups.settings_command))
    app.add_handler(language.command_handler())

    app.add_handler(CommandHandler("check", groups.check_command, filters=group))
    app.add_handler(CommandHandler("glossary", groups.glossary_command, filters=group))
    app.add_handler(CommandHandler(["help", "start", "topics"], groups.help_command, filters=group))
    app.add_handler(
        CommandHandler(["cases", "cancel", "forget"], groups.private_only, filters=group)
    )

    app.add_handler(MessageHandler(priv & filters.COMMAND, private.unknown_command))
    captioned = filters.CAPTION & (filters.PHOTO | filters.Document.ALL)
    app.add_handler(MessageHandler(priv & filters.TEXT, private.on_text))
    app.add_handler(MessageHandler(priv & captioned, private.on_text))
    app.add_handler(MessageHandler(priv & ~filters.TEXT, private.on_other))
    app.add_handler(MessageHandler(group & filters.TEXT & ~filters.COMMAND, groups.on_group_text))
    app.add_handler(MessageHandler(group & captioned, groups.on_group_text))

    app.add_handler(CallbackQueryHandler(buttons.on_check_button, pattern=buttons.CHECK_PATTERN))
    app.add_handler(
        CallbackQueryHandler(buttons.on_private_button, pattern=buttons.PRIVATE_PATTERN)
    )
    app.add_handler(CallbackQueryHandler(buttons.on_group_button, pattern=buttons.GROUP_PATTERN))
    app.add_handler(language.button_handler())
    app.add_handler(CallbackQueryHandler(buttons.on_stale_button))
    app.add_handler(InlineQueryHandler(inline.on_inline_query))
    app.add_error_handler(on_error)
