"""Turning a topic into a message: HTML for Telegram, plain text for the terminal and CLI.

Two views of every topic: the lead (one phone screen: what the situation means, the one thing to
do now, the publishers it rests on) and the full answer (everything, with each source's
publisher, title and the part of it used). Sources are never shown by file name.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from bot.i18n import DEFAULT_LANG, _, render
from bot.kb.citations import cite, cite_html
from bot.kb.loader import Seed
from bot.kb.markup import to_plain
from bot.kb.models import Topic

WARNING_MARK = "⚠️ "
SOURCES = _("Sources:")


def sources_line(
    topic: Topic,
    seeds: Mapping[str, Seed] | None = None,
    *,
    sections: bool = True,
    lang: str = DEFAULT_LANG,
) -> str:
    """Plain text, not escaped: one `• Publisher, “Title” (date), address – part used` line per
    source; without `sections`, `Sources: Publisher; …` (for the lead and the short answer).
    Publishers, titles and parts name English documents, so they stay as the documents have them.
    """
    if sections:
        return f"{render(SOURCES, lang)}\n" + "\n".join(
            f"• {cite(s.seed, seeds, lang=lang)} – {s.section}" for s in topic.sources
        )
    publishers = dict.fromkeys(cite(f, seeds, title=False, lang=lang) for f in topic.seed_files)
    return render(_("Sources: {publishers}", publishers="; ".join(publishers)), lang)


def _sources_html(topic: Topic, seeds: Mapping[str, Seed] | None, lang: str) -> str:
    lines = [
        f"• {cite_html(s.seed, seeds, lang)} – {html.escape(s.section)}" for s in topic.sources
    ]
    label = html.escape(render(SOURCES, lang))
    return f"<i>{label}</i>\n<i>" + "\n".join(lines) + "</i>"


def heading(topic: Topic) -> str:
    """The title, marked when the topic is a warning."""
    return (WARNING_MARK if topic.warning else "") + topic.title


def lead_text(topic: Topic) -> str:
    """The lead in Telegram HTML; the short answer (escaped) for a topic without one."""
    return topic.lead.strip() if topic.lead else html.escape(topic.short.strip())


def render_html(
    topic: Topic, seeds: Mapping[str, Seed] | None = None, lang: str = DEFAULT_LANG
) -> str:
    """The full answer for Telegram (HTML parse mode): title, answer, sources.

    `topic` is already in the reader's language (`KnowledgeBase.localized`); `lang` labels the
    sources."""
    return (
        f"<b>{html.escape(heading(topic))}</b>\n\n{topic.answer.strip()}\n\n"
        f"{_sources_html(topic, seeds, lang)}"
    )


def render_lead_html(
    topic: Topic, seeds: Mapping[str, Seed] | None = None, lang: str = DEFAULT_LANG
) -> str:
    """The first screen for Telegram: title, lead, the publishers behind it."""
    return (
        f"<b>{html.escape(heading(topic))}</b>\n{lead_text(topic)}\n"
        f"<i>{html.escape(sources_line(topic, seeds, sections=False, lang=lang))}</i>"
    )


def render_short_html(
    topic: Topic, seeds: Mapping[str, Seed] | None = None, lang: str = DEFAULT_LANG
) -> str:
    """The short answer (a warning beside another answer): title, short text, publishers."""
    return (
        f"<b>{html.escape(heading(topic))}</b>\n{html.escape(topic.short.strip())}\n"
        f"<i>{html.escape(sources_line(topic, seeds, sections=False, lang=lang))}</i>"
    )


def render_plain(
    topic: Topic, seeds: Mapping[str, Seed] | None = None, lang: str = DEFAULT_LANG
) -> str:
    """The full answer as plain text (terminal, `ask`)."""
    sources = sources_line(topic, seeds, lang=lang)
    return f"{heading(topic)}\n\n{to_plain(topic.answer).strip()}\n\n{sources}"


def render_lead_plain(
    topic: Topic, seeds: Mapping[str, Seed] | None = None, lang: str = DEFAULT_LANG
) -> str:
    """The first screen as plain text: title, lead, publishers."""
    return (
        f"{heading(topic)}\n{to_plain(lead_text(topic)).strip()}\n"
        f"{sources_line(topic, seeds, sections=False, lang=lang)}"
    )
