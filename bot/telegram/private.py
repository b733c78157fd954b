"""Private chat: commands, free questions and the private buttons (topics, feedback, forget).

Every handler reads what it needs from the database and the advisor; nothing is kept in
`user_data`, so a restart changes nothing for the user.
"""

from __future__ import annotations

import html
import logging

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot.answering import Reply
from bot.claims.assessment import Verdict
from bot.claims.card import verdict_headline
from bot.conversation import ChatState
from bot.i18n import Text, render, render_html
from bot.telegram import check_flow, keyboards, texts
from bot.telegram.callbacks import Callback, Op, decode
from bot.telegram.context import BotContext
from bot.telegram.replies import (
    Outgoing,
    cases_text,
    glossary_message,
    more_message,
    private_reply,
    term_message,
    terms_message,
    topic_message,
)
from bot.telegram.sending import reply_html, send_html, show, toast

_LOG = logging.getLogger(__name__)

CASES_SHOWN = 10


def _ids(update: Update) -> tuple[int, int] | None:
    """(chat id, user id) of a message update, or None when either is missing."""
    if update.effective_chat is None or update.effective_user is None:
        return None
    return update.effective_chat.id, update.effective_user.id


async def start(update: Update, context: BotContext) -> None:
    """/start, with deep-link payloads: `check`, `topics`, `glossary`, `t-<topic id>`."""
    ids = _ids(update)
    if ids is None:
        return
    chat_id, user_id = ids
    payload = context.args[0] if context.args else ""
    if payload == "check":
        await check_flow.start_or_resume(context, chat_id, user_id)
    elif payload == "topics":
        await send_topics(context, chat_id)
    elif payload == "glossary":
        listing = glossary_message(context.services.advisor, "", context.lang)
        await send_html(context.bot, chat_id, listing.text, listing.markup)
    elif payload.startswith("t-") and (
        out := topic_message(context.services.advisor, payload[2:], context.lang)
    ):
        await send_html(context.bot, chat_id, out.text, out.markup)
    else:
        await send_html(
            context.bot,
            chat_id,
            render_html(texts.WELCOME, context.lang),
            keyboards.main_menu(context.lang),
        )


async def help_command(update: Update, context: BotContext) -> None:
    if update.effective_chat is not None:
        await send_html(
            context.bot,
            update.effective_chat.id,
            render_html(texts.HELP, context.lang),
            keyboards.main_menu(context.lang),
        )


async def topics_command(update: Update, context: BotContext) -> None:
    if update.effective_chat is not None:
        await send_topics(context, update.effective_chat.id)


def _topics_title(context: BotContext, page: int) -> str:
    pages = keyboards.page_count(context.services.advisor.kb)
    page = min(max(page, 0), pages - 1)
    return render_html(texts.topics_title(page + 1, pages), context.lang)


async def send_topics(context: BotContext, chat_id: int, page: int = 0) -> None:
    kb = context.services.advisor.kb.localized(context.lang)
    await send_html(
        context.bot,
        chat_id,
        _topics_title(context, page),
        keyboards.topics_menu(kb, page, context.lang),
    )


async def glossary_command(update: Update, context: BotContext) -> None:
    """/glossary [term]: one entry, or every term as a button."""
    if update.effective_chat is None:
        return
    out = glossary_message(context.services.advisor, " ".join(context.args or []), context.lang)
    await send_html(context.bot, update.effective_chat.id, out.text, out.markup)


async def check_command(update: Update, context: BotContext) -> None:
    ids = _ids(update)
    if ids is not None:
        await check_flow.start_or_resume(context, *ids)


async def cases_command(update: Update, context: BotContext) -> None:
    """/cases: the user's recent assessments, newest first."""
    ids = _ids(update)
    if ids is None:
        return
    chat_id, user_id = ids
    stored = await context.services.db.list_assessments(user_id, limit=CASES_SHOWN)
    if not stored:
        await send_html(context.bot, chat_id, render_html(texts.CASES_NONE, context.lang))
        return
    rows = []
    for a in stored:
        try:
            headline = verdict_headline(Verdict(a.verdict), context.lang)
        except ValueError:
            headline = a.verdict
        if a.superseded:  # a later correction of the same check replaced it
            headline = render(texts.superseded(headline), context.lang)
        deadline = a.deadline if not a.superseded else None
        rows.append((a.created_at.date(), headline, deadline))
    await send_html(context.bot, chat_id, cases_text(rows, context.lang))


async def forget_command(update: Update, context: BotContext) -> None:
    """/forget: ask first; the deletion happens on the confirmation button."""
    if update.effective_chat is not None:
        await send_html(
            context.bot,
            update.effective_chat.id,
            render_html(texts.FORGET_ASK, context.lang),
            keyboards.forget_keyboard(context.lang),
        )


async def unknown_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None or message.text is None:
        return
    name = message.text.split()[0].split("@")[0]
    await reply_html(message, render_html(texts.unknown_command(name[:40]), context.lang))


def message_words(message: Message) -> str | None:
    """What a message says in words: its text, or the caption of a photo or a document
    (bank details are often sent as a screenshot with the request written under it)."""
    return message.text if message.text is not None else message.caption


async def on_text(update: Update, context: BotContext) -> None:
    """Free text (or a caption): an answer for the open check, else a question."""
    message = update.message
    ids = _ids(update)
    text = message_words(message) if message is not None else None
    if message is None or ids is None or text is None:
        return
    chat_id, user_id = ids
    services = context.services
    state = await check_flow.load_state(services, user_id)
    active = state if check_flow.is_active(state) else None
    turn = check_flow.session(services, context.lang).typed(text, ChatState(check=active))

    async def answer() -> None:
        await answer_question(context, chat_id, user_id, text, turn.reply)

    await check_flow.deliver(context, chat_id, user_id, active, turn, answer, text.strip())


async def on_other(update: Update, context: BotContext) -> None:
    """Stickers, voice, photos without a caption…: we read words only; the open check is
    shown again."""
    message = update.message
    ids = _ids(update)
    if message is not None and ids is not None:
        await _refuse(context, message, texts.NOT_TEXT, ids[1])


async def _refuse(context: BotContext, message: Message, problem: Text | str, user_id: int) -> None:
    """Say what is wrong; with a check open, re-show its screen so no answer is lost."""
    if not await check_flow.send_current(context, message.chat_id, user_id, note=problem):
        await reply_html(message, html.escape(render(problem, context.lang)))


async def answer_question(
    context: BotContext, chat_id: int, user_id: int, text: str, reply: Reply | None = None
) -> None:
    """Answer through the advisor (warning first) and log the question for curators."""
    services = context.services
    reply, messages = private_reply(services.advisor, text, reply, context.lang)
    topic_id = await services.record_question(user_id, "private", text, reply)
    _LOG.info(
        "question: decision=%s topic=%s warning=%s",
        reply.match.kind,
        topic_id,
        reply.warning is not None,
    )
    for out in messages:
        await send_html(context.bot, chat_id, out.text, out.markup)


# --------------------------------------------------------------------------- buttons


async def on_press(update: Update, context: BotContext, press: Callback) -> None:
    """Topic, topic page, feedback and forget buttons."""
    query = update.callback_query
    assert query is not None
    if press.op is Op.TOPIC:
        await _open_topic(query, context, press.arg(0))
    elif press.op is Op.TOPICS:
        await toast(query)
        page = int(press.arg(0))
        kb = context.services.advisor.kb
        await show(
            query, _topics_title(context, page), keyboards.topics_menu(kb, page, context.lang)
        )
    elif press.op is Op.FEEDBACK:
        await _feedback(query, context, press.arg(0), press.flag)
    elif press.op is Op.FORGET:
        await _forget(query, context, press.flag)
    elif press.op is Op.MORE:
        await _more(query, context, press.arg(0), press.flag)
    elif press.op in (Op.TERMS, Op.TERM):
        await _terms(query, context, press)


async def _more(query: CallbackQuery, context: BotContext, topic_id: str, warning: bool) -> None:
    """Expand the first screen in place into the full answer (a new message if too long)."""
    out = more_message(context.services.advisor, topic_id, warning, context.lang)
    if out is None:
        await check_flow.expired(query, context)
        return
    await toast(query)
    await show(query, out.text, out.markup)


async def _terms(query: CallbackQuery, context: BotContext, press: Callback) -> None:
    """The glossary entries of a topic ("Terms used here") or of one term (/glossary list)."""
    advisor = context.services.advisor
    if press.op is Op.TERMS:
        if advisor.kb.get(press.arg(0)) is None:
            await check_flow.expired(query, context)
            return
        out = terms_message(advisor, press.arg(0), context.lang)
        if out is None:
            await toast(query, render(texts.TERMS_NONE, context.lang))
            return
    else:
        out = term_message(advisor, press.arg(0), context.lang)
    await _send_new(query, context, out)


async def _open_topic(query: CallbackQuery, context: BotContext, topic_id: str) -> None:
    await _send_new(query, context, topic_message(context.services.advisor, topic_id, context.lang))


async def _send_new(query: CallbackQuery, context: BotContext, out: Outgoing | None) -> None:
    """Answer a press with a new message below, or "expired" when there is nothing to show."""
    if out is None:
        await check_flow.expired(query, context)
        return
    await toast(query)
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    await send_html(context.bot, chat_id, out.text, out.markup)


async def _feedback(
    query: CallbackQuery, context: BotContext, topic_id: str, helpful: bool
) -> None:
    """Store the vote (one per user and topic) and drop the pair so it is not pressed twice."""
    services = context.services
    topic = services.advisor.kb.get(topic_id)
    if topic is None:
        await check_flow.expired(query, context)
        return
    await services.db.add_feedback(query.from_user.id, topic_id, helpful)
    thanks = texts.FEEDBACK_THANKS if helpful else texts.FEEDBACK_SORRY
    await toast(query, render(thanks, context.lang))
    markup = _without_feedback(query)
    try:
        await query.edit_message_reply_markup(markup)
    except TelegramError as exc:  # cosmetic: the vote is stored
        _LOG.debug("could not drop the feedback buttons: %s", exc)


def _without_feedback(query: CallbackQuery) -> InlineKeyboardMarkup | None:
    """The pressed message's keyboard minus the 👍/👎 row (More and the rest stay as they were)."""
    current = query.message.reply_markup if isinstance(query.message, Message) else None
    if current is None:
        return None
    rows = [
        row
        for row in current.inline_keyboard
        if not any(
            (press := decode(b.callback_data)) is not None and press.op is Op.FEEDBACK for b in row
        )
    ]
    return InlineKeyboardMarkup(rows)


async def _forget(query: CallbackQuery, context: BotContext, confirmed: bool) -> None:
    if not confirmed:
        await toast(query)
        await show(query, render_html(texts.FORGET_KEPT, context.lang), None)
        return
    count = await context.services.db.forget_user(query.from_user.id)
    await toast(query, "Deleted")
    await show(query, render_html(texts.forget_done(count), context.lang), None)
