"""Inline mode: `@bot question` in any chat offers matching topics with their short answers.

Results are plain articles whose message is the answer's first screen (its lead) and a link to
the full one in a private chat (callback buttons would need inline-message handling for no gain).
An empty query offers the most useful topics; a query with no match offers none, plus a button
that opens a private chat, rather than guesses.
"""

from __future__ import annotations

from collections.abc import Mapping

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.constants import InlineQueryLimit

from bot.answering import Advisor
from bot.i18n import DEFAULT_LANG, render
from bot.kb.loader import Seed
from bot.kb.models import Topic
from bot.kb.render import heading, render_lead_html
from bot.telegram import keyboards, texts
from bot.telegram.context import BotContext

MAX_RESULTS = 5
MAX_QUERY_CHARS = int(InlineQueryLimit.MAX_QUERY_LENGTH)
"""Telegram's own limit for inline queries; longer text is cut, not refused."""
CACHE_SECONDS = 300
POPULAR = (
    "off-platform-payment",
    "what-is-trade-assurance",
    "what-is-covered",
    "claim-window",
    "dispute-process",
)
"""Offered for an empty query: the warning first, then what new users ask most."""


def inline_topics(advisor: Advisor, query: str, lang: str = DEFAULT_LANG) -> list[Topic]:
    """The topics to offer for `query`, best first, without repeats, in the reader's language."""
    text = query.strip()[:MAX_QUERY_CHARS]
    kb = advisor.kb.localized(lang)
    if not text:
        found = [t for tid in POPULAR if (t := kb.get(tid)) is not None]
        return (found or list(kb.topics.values()))[:MAX_RESULTS]
    reply = advisor.reply(text, lang)
    picked: list[Topic] = []
    if reply.warning is not None:
        picked.append(reply.warning)
    if reply.topic is not None:
        picked.append(reply.topic)
        picked += [t for tid, _ in reply.match.alternatives if (t := kb.get(tid)) is not None]
    picked += reply.suggestions
    unique = {t.id: t for t in reversed(picked)}  # keep the first occurrence's position
    ordered = sorted(unique.values(), key=picked.index)
    return ordered[:MAX_RESULTS]


def article(
    topic: Topic,
    bot_username: str,
    seeds: Mapping[str, Seed] | None = None,
    lang: str = DEFAULT_LANG,
) -> InlineQueryResultArticle:
    """One result: the first screen as the message, with a link to the full answer."""
    payload = keyboards.topic_payload(topic.id)
    return InlineQueryResultArticle(
        id=topic.id,
        title=heading(topic),
        description=topic.short.strip()[:120],
        input_message_content=InputTextMessageContent(render_lead_html(topic, seeds, lang)),
        reply_markup=keyboards.private_link_keyboard(
            bot_username, payload, texts.FULL_ANSWER, lang
        ),
    )


async def on_inline_query(update: Update, context: BotContext) -> None:
    query = update.inline_query
    if query is None:
        return
    topics = inline_topics(context.services.advisor, query.query, context.lang)
    seeds = context.services.advisor.kb.seeds
    results = [article(t, context.bot.username, seeds, context.lang) for t in topics]
    await query.answer(
        results,
        cache_time=CACHE_SECONDS,
        is_personal=True,  # results are in the asker's language
        button=InlineQueryResultsButton(
            render(texts.INLINE_PRIVATE, context.lang), start_parameter="inline"
        ),
    )
