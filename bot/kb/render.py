"""Turning a topic into a message: HTML for Telegram, plain text for the terminal and CLI."""

from __future__ import annotations

import html

from bot.kb.markup import to_plain
from bot.kb.models import Topic

WARNING_MARK = "⚠️ "


def sources_line(topic: Topic, *, sections: bool = True) -> str:
    """`Sources: file (section); …` — plain text, not yet escaped."""
    if sections:
        parts = [f"{s.seed} ({s.section})" for s in topic.sources]
    else:
        parts = list(topic.seed_files)
    return "Sources: " + "; ".join(parts)


def heading(topic: Topic) -> str:
    """The title, marked when the topic is a warning."""
    return (WARNING_MARK if topic.warning else "") + topic.title


def render_html(topic: Topic) -> str:
    """The full answer for Telegram (HTML parse mode): title, answer, sources."""
    return (
        f"<b>{html.escape(heading(topic))}</b>\n\n{topic.answer.strip()}\n\n"
        f"<i>{html.escape(sources_line(topic))}</i>"
    )


def render_short_html(topic: Topic) -> str:
    """The short answer for groups and inline results: title, short text, seed names."""
    return (
        f"<b>{html.escape(heading(topic))}</b>\n{html.escape(topic.short.strip())}\n"
        f"<i>{html.escape(sources_line(topic, sections=False))}</i>"
    )


def render_plain(topic: Topic) -> str:
    """The full answer as plain text (terminal, `ask`)."""
    return f"{heading(topic)}\n\n{to_plain(topic.answer).strip()}\n\n{sources_line(topic)}"
