"""Inline keyboards: every button the bot shows is built here, from `callbacks` data.

Layout rules for phones: one button per row when labels are long, two when they are short,
navigation (Back / Cancel) always on the last row, and never more than a screenful.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.helpers import create_deep_linked_url

from bot.i18n import DEFAULT_LANG, Text, _, render
from bot.kb.glossary import terms_in
from bot.kb.loader import KnowledgeBase
from bot.kb.models import Topic
from bot.telegram import callbacks as cb

TOPICS_PER_PAGE = 8
RELATED_MAX = 3
SHORT_LABEL = 16
"""Labels up to this many characters sit two to a row."""

CHECK_LABEL = _("✅ Check my order")
TOPICS_LABEL = _("📚 Topics")


def _btn(text: Text | str, data: str, lang: str = DEFAULT_LANG) -> InlineKeyboardButton:
    """A button; a `Text` label is rendered for the reader, a `str` (a topic's title) is shown."""
    return InlineKeyboardButton(render(text, lang), callback_data=data)


def _url(text: Text | str, url: str, lang: str = DEFAULT_LANG) -> InlineKeyboardButton:
    return InlineKeyboardButton(render(text, lang), url=url)


def flow_rows(buttons: Sequence[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    """Two per row when every label is short, else one per row."""
    if all(len(b.text) <= SHORT_LABEL for b in buttons):
        return [list(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    return [[b] for b in buttons]


def main_menu(lang: str = DEFAULT_LANG) -> InlineKeyboardMarkup:
    """The two ways in: browse topics or run the check."""
    return InlineKeyboardMarkup(
        [[_btn(TOPICS_LABEL, cb.topics_page(0), lang), _btn(CHECK_LABEL, cb.check(), lang)]]
    )


MORE_LABEL = _("📖 More")
TERMS_LABEL = _("🔤 Terms used here")
GLOSSARY_COLUMNS = 3


def answer_keyboard(
    topic: Topic,
    kb: KnowledgeBase,
    *,
    feedback: bool = True,
    alternatives: Sequence[Topic] = (),
    more: bool | None = None,
    lang: str = DEFAULT_LANG,
) -> InlineKeyboardMarkup:
    """Under an answer: "More" while only the first screen shows (`more` is then whether the
    message also carries the warning), "Terms used here" when it uses glossary words, related
    topics (or, when the match was close, the other topics the question may have meant),
    "Check my order" and the 👍/👎 pair."""
    rows: list[list[InlineKeyboardButton]] = []
    if more is not None:
        rows.append([_btn(MORE_LABEL, cb.more(topic.id, more), lang)])
    if terms_in((topic.lead or "", topic.answer), kb.glossary):
        rows.append([_btn(TERMS_LABEL, cb.terms(topic.id), lang)])
    rows += _topic_rows(topic, kb, alternatives, lang)
    rows.append([_btn(CHECK_LABEL, cb.check(), lang)])
    if feedback:
        rows.append(
            [
                _btn(_("👍 Helpful"), cb.feedback(topic.id, True), lang),
                _btn(_("👎 Not helpful"), cb.feedback(topic.id, False), lang),
            ]
        )
    return InlineKeyboardMarkup(rows)


def glossary_keyboard(kb: KnowledgeBase) -> InlineKeyboardMarkup:
    """/glossary: one button per term, a few to a row."""
    buttons = [_btn(t.term, cb.term(t.id)) for t in kb.glossary.values()]
    step = GLOSSARY_COLUMNS
    return InlineKeyboardMarkup([buttons[i : i + step] for i in range(0, len(buttons), step)])


def _topic_rows(
    topic: Topic, kb: KnowledgeBase, alternatives: Sequence[Topic], lang: str
) -> list[list[InlineKeyboardButton]]:
    if alternatives:
        return [
            [_btn(_("🔎 Or did you mean: {title}", title=t.title), cb.topic(t.id), lang)]
            for t in alternatives
        ]
    related = [t for r in topic.related[:RELATED_MAX] if (t := kb.get(r)) is not None]
    return [[_btn(f"➡️ {t.title}", cb.topic(t.id))] for t in related]


def suggestions_keyboard(topics: Iterable[Topic], lang: str = DEFAULT_LANG) -> InlineKeyboardMarkup:
    """ "Did you mean…": one row per candidate topic, then the full menu."""
    rows = [[_btn(t.title, cb.topic(t.id))] for t in topics]
    rows.append([_btn(_("📚 All topics"), cb.topics_page(0), lang)])
    return InlineKeyboardMarkup(rows)


def page_count(kb: KnowledgeBase) -> int:
    return max(1, math.ceil(len(kb.topics) / TOPICS_PER_PAGE))


def topics_menu(kb: KnowledgeBase, page: int, lang: str = DEFAULT_LANG) -> InlineKeyboardMarkup:
    """One page of the topic menu with Prev/Next; `page` is clamped to the valid range."""
    pages = page_count(kb)
    page = min(max(page, 0), pages - 1)
    topics = list(kb.topics.values())[page * TOPICS_PER_PAGE : (page + 1) * TOPICS_PER_PAGE]
    rows = [[_btn(t.title, cb.topic(t.id))] for t in topics]
    nav: list[InlineKeyboardButton] = []
    if page > 0:
        nav.append(_btn(_("◀️ Previous"), cb.topics_page(page - 1), lang))
    if page < pages - 1:
        nav.append(_btn(_("Next ▶️"), cb.topics_page(page + 1), lang))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


# --- the guided check ---------------------------------------------------------------------------


def verdict_keyboard(
    reminder: tuple[int, str] | None, *, details: int | None = None, lang: str = DEFAULT_LANG
) -> InlineKeyboardMarkup:
    """Under the verdict: an optional reminder (assessment id, day), the details, change,
    start over."""
    rows: list[list[InlineKeyboardButton]] = []
    if reminder is not None:
        assessment_id, day = reminder
        rows.append([_btn(_("⏰ Remind me on {day}", day=day), cb.remind(assessment_id), lang)])
    if details is not None:
        rows.append([_btn(_("📋 Details: why, evidence, all steps"), cb.details(details), lang)])
    rows.append(
        [
            _btn(_("✏️ Change an answer"), cb.back("done"), lang),
            _btn(_("🔁 New check"), cb.check(), lang),
        ]
    )
    return InlineKeyboardMarkup(rows)


def start_check_keyboard(lang: str = DEFAULT_LANG) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_btn(_("🔁 Start a new check"), cb.check(), lang)]])


def forget_keyboard(lang: str = DEFAULT_LANG) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_btn(_("🗑 Yes, delete everything"), cb.forget(True), lang)],
            [_btn(_("No, keep it"), cb.forget(False), lang)],
        ]
    )


# --- groups and deep links ----------------------------------------------------------------------


def deep_link(bot_username: str, payload: str) -> str:
    """`t.me/<bot>?start=<payload>`: opens the private chat with `/start <payload>`."""
    return create_deep_linked_url(bot_username, payload or None)


def topic_payload(topic_id: str) -> str:
    """Deep-link payload that opens a topic's full answer (ids are kebab-case, allowed)."""
    return f"t-{topic_id}"


def private_link_keyboard(
    bot_username: str, payload: str, text: Text | str, lang: str = DEFAULT_LANG
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_url(text, deep_link(bot_username, payload), lang)]])


def group_answer_keyboard(
    owner: int,
    topic: Topic,
    bot_username: str,
    alternatives: Sequence[Topic] = (),
    lang: str = DEFAULT_LANG,
) -> InlineKeyboardMarkup:
    """Under a short answer in a group: expand it here (asker only) or read it privately; when
    the match was close, the other topics the asker may have meant."""
    rows = [
        [_btn(_("🔎 Or: {title}", title=t.title), cb.full_answer(owner, t.id), lang)]
        for t in alternatives
    ]
    rows.append(
        [
            _btn(_("📖 Full answer"), cb.full_answer(owner, topic.id), lang),
            _url(_("💬 Ask me privately"), deep_link(bot_username, topic_payload(topic.id)), lang),
        ]
    )
    return InlineKeyboardMarkup(rows)


def group_suggestions_keyboard(owner: int, topics: Iterable[Topic]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_btn(t.title, cb.full_answer(owner, t.id))] for t in topics])


def settings_keyboard(owner: int, enabled: bool, lang: str = DEFAULT_LANG) -> InlineKeyboardMarkup:
    text = _("🔕 Turn warnings off") if enabled else _("🔔 Turn warnings on")
    return InlineKeyboardMarkup([[_btn(text, cb.group_settings(owner, not enabled), lang)]])
