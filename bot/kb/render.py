"""Turning a topic into a message: HTML for Telegram, plain text for the terminal and CLI.

Two views of every topic: the lead (one phone screen: what the situation means, the one thing to
do now, the publishers it rests on) and the full answer (everything, with each source's
publisher, title and the part of it used). Sources are never shown by file name.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from bot.kb.citations import cite, cite_html
from bot.kb.loader import Seed
from bot.kb.markup import to_plain
from bot.kb.models import Topic

WARNING_MARK = "⚠️ "
MORE_HINT = "Tap “More” for the details and the sources."


def sources_line(
    topic: Topic, seeds: Mapping[str, Seed] | None = None, *, sections: bool = True
) -> str:
    """Plain text, not escaped: one `• Publisher, “Title” (date), address – part used` line per
    source; without `sections`, `Sources: Publisher; …` (for the lead and the short answer)."""
    if sections:
        return "Sources:\n" + "\n".join(
            f"• {cite(s.seed, seeds)} – {s.section}" for s in topic.sources
        )
    publishers = dict.fromkeys(cite(f, seeds, title=False) for f in topic.seed_files)
    return "Sources: " + "; ".join(publishers)


def _sources_html(topic: Topic, seeds: Mapping[str, Seed] | None) -> str:
    lines = [f"• {cite_html(s.seed, seeds)} – {html.escape(s.section)}" for s in topic.sources]
    return "<i>Sources:</i>\n<i>" + "\n".join(lines) + "</i>"


def heading(topic: Topic) -> str:
    """The title, marked when the topic is a warning."""
    return (WARNING_MARK if topic.warning else "") + topic.title


def lead_text(topic: Topic) -> str:
    """The lead in Telegram HTML; the short answer (escaped) for a topic without one."""
    return topic.lead.strip() if topic.lead else html.escape(topic.short.strip())


def render_html(topic: Topic, seeds: Mapping[str, Seed] | None = None) -> str:
    """The full answer for Telegram (HTML parse mode): title, answer, sources."""
    return (
        f"<b>{html.escape(heading(topic))}</b>\n\n{topic.answer.strip()}\n\n"
        f"{_sources_html(topic, seeds)}"
    )


def render_lead_html(topic: Topic, seeds: Mapping[str, Seed] | None = None) -> str:
    """The first screen for Telegram: title, lead, the publishers behind it."""
    return (
        f"<b>{html.escape(heading(topic))}</b>\n{lead_text(topic)}\n"
        f"<i>{html.escape(sources_line(topic, seeds, sections=False))}</i>"
    )


def render_short_html(topic: Topic, seeds: Mapping[str, Seed] | None = None) -> str:
    """The short answer (a warning beside another answer): title, short text, publishers."""
    return (
        f"<b>{html.escape(heading(topic))}</b>\n{html.escape(topic.short.strip())}\n"
        f"<i>{html.escape(sources_line(topic, seeds, sections=False))}</i>"
    )


def render_plain(topic: Topic, seeds: Mapping[str, Seed] | None = None) -> str:
    """The full answer as plain text (terminal, `ask`)."""
    return f"{heading(topic)}\n\n{to_plain(topic.answer).strip()}\n\n{sources_line(topic, seeds)}"


def render_lead_plain(topic: Topic, seeds: Mapping[str, Seed] | None = None) -> str:
    """The first screen as plain text: title, lead, publishers."""
    return (
        f"{heading(topic)}\n{to_plain(lead_text(topic)).strip()}\n"
        f"{sources_line(topic, seeds, sections=False)}"
    )
