"""Admin commands: `/stats [period]`, `/unanswered [period]`, `/reload`.

Only the configured admin ids get an answer. Anyone else gets nothing at all, not even "unknown
command": the handlers match every sender so that no other handler answers instead, and return
silently for non-admins.
"""

from __future__ import annotations

import datetime as dt
import html
import logging

from telegram import Message, Update
from telegram.constants import MessageLimit

from bot.admin.period import PeriodError, parse_period
from bot.admin.report import report_text
from bot.admin.unanswered import group_questions
from bot.answering import Advisor
from bot.i18n import render_html
from bot.kb.loader import KnowledgeError, load_knowledge
from bot.telegram import texts
from bot.telegram.context import BotContext

_LOG = logging.getLogger(__name__)
MAX_ERROR_LINES = 25


def _is_admin(update: Update, context: BotContext) -> bool:
    user = update.effective_user
    return user is not None and context.services.settings.is_admin(user.id)


async def _admin_period(
    update: Update, context: BotContext
) -> tuple[Message, dt.datetime | None, str] | None:
    """For an admin's command: the message to answer and the period asked for; None when the
    sender is not an admin (silence) or the period is unreadable (the admin is told why)."""
    message = update.effective_message
    if not _is_admin(update, context) or message is None:
        return None
    try:
        since, label = parse_period(" ".join(context.args or []) or None, context.services.now())
    except PeriodError as exc:
        await message.reply_text(html.escape(str(exc)))
        return None
    return message, since, label


async def stats_command(update: Update, context: BotContext) -> None:
    """Usage figures of a period (default the last 7 days)."""
    asked = await _admin_period(update, context)
    if asked is None:
        return
    message, since, label = asked
    stats = await context.services.db.stats(since)
    await message.reply_text(report_text(stats, label, html_mode=True))


async def unanswered_command(update: Update, context: BotContext) -> None:
    """The most frequent questions that found no topic, similar wordings grouped."""
    asked = await _admin_period(update, context)
    if asked is None:
        return
    message, since, label = asked
    rows = await context.services.db.top_unanswered(200, since)
    groups = group_questions(rows, limit=15)
    if not groups:
        await message.reply_text(render_html(texts.no_unanswered(label), context.lang))
        return
    text = render_html(texts.most_asked(label), context.lang)
    for group in groups:
        similar = texts.similar(len(group.variants))
        more = " " + render_html(similar, context.lang) if group.variants else ""
        line = f"{group.count} × {html.escape(group.example[:200])}{more}"
        if len(text) + 1 + len(line) > MessageLimit.MAX_TEXT_LENGTH:
            break  # whole lines only: a cut inside an entity or a tag breaks the HTML
        text += "\n" + line
    await message.reply_text(text)


async def reload_command(update: Update, context: BotContext) -> None:
    """Re-read and validate the knowledge base; a broken edit keeps the old base in service."""
    message = update.effective_message
    if not _is_admin(update, context) or message is None:
        return
    services = context.services
    try:
        kb = load_knowledge(services.settings.kb_dir)
    except KnowledgeError as exc:
        shown = exc.problems[:MAX_ERROR_LINES]
        more = len(exc.problems) - len(shown)
        lines = [f"• {html.escape(p)}" for p in shown]
        if more > 0:
            lines.append(render_html(texts.and_more(more), context.lang))
        _LOG.warning("reload refused: %d problem(s) in the knowledge base", len(exc.problems))
        await message.reply_text(
            render_html(texts.RELOAD_REFUSED, context.lang) + "\n" + "\n".join(lines)
        )
        return
    services.advisor = Advisor(kb)
    _LOG.info("knowledge base reloaded: %d topics", len(kb))
    await message.reply_text(render_html(texts.reloaded(len(kb)), context.lang))
