"""Inline keyboards: every button the bot shows is built here, from `callbacks` data.

Layout rules for phones: one button per row when labels are long, two when they are short,
navigation (Back / Cancel) always on the last row, and never more than a screenful.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.helpers import create_deep_linked_url

from bot.kb.glossary import terms_in
from bot.kb.loader import KnowledgeBase
from bot.kb.models import Topic
from bot.telegram import callbacks as cb

TOPICS_PER_PAGE = 8
RELATED_MAX = 3
SHORT_LABEL = 16
"""Labels up to this many characters sit two to a row."""

CHECK_LABEL = "✅ Check my order"
TOPICS_LABEL = "📚 Topics"


def _btn(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _url(text: str, url: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, url=url)


def flow_rows(buttons: Sequence[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    """Two per row when every label is short, else one per row."""
    if all(len(b.text) <= SHORT_LABEL for b in buttons):
        return [list(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    return [[b] for b in buttons]


def main_menu() -> InlineKeyboardMarkup:
    """The two ways in: browse topics or run the check."""
    return InlineKeyboardMarkup(
        [[_btn(TOPICS_LABEL, cb.topics_page(0)), _btn(CHECK_LABEL, cb.check())]]
    )


MORE_LABEL = "📖 More"
TERMS_LABEL = "🔤 Terms used here"
GLOSSARY_COLUMNS = 3


def answer_keyboard(
    topic: Topic,
    kb: KnowledgeBase,
    *,
    feedback: bool = True,
    alternatives: Sequence[Topic] = (),
    more: bool | None = None,
) -> InlineKeyboardMarkup:
    """Under an answer: "More" while only the first screen shows (`more` is then whether the
    message also carries the warning), "Terms used here" when it uses glossary words, related
    topics (or, when the match was close, the other topics the question may have meant),
    "Check my order" and the 👍/👎 pair."""
    rows: list[list[InlineKeyboardButton]] = []
    if more is not None:
        rows.append([_btn(MORE_LABEL, cb.more(topic.id, more))])
    if terms_in((topic.lead or "", topic.answer), kb.glossary):
        rows.append([_btn(TERMS_LABEL, cb.terms(topic.id))])
    rows += _topic_rows(topic, kb, alternatives)
    rows.append([_btn(CHECK_LABEL, cb.check())])
    if feedback:
        rows.append(
            [
                _btn("👍 Helpful", cb.feedback(topic.id, True)),
                _btn("👎 Not helpful", cb.feedback(topic.id, False)),
            ]
        )
    return InlineKeyboardMarkup(rows)


def glossary_keyboard(kb: KnowledgeBase) -> InlineKeyboardMarkup:
    """/glossary: one button per term, a few to a row."""
    buttons = [_btn(t.term, cb.term(t.id)) for t in kb.glossary.values()]
    step = GLOSSARY_COLUMNS
    return InlineKeyboardMarkup([buttons[i : i + step] for i in range(0, len(buttons), step)])


def _topic_rows(
    topic: Topic, kb: KnowledgeBase, alternatives: Sequence[Topic]
) -> list[list[InlineKeyboardButton]]:
    if alternatives:
        return [[_btn(f"🔎 Or did you mean: {t.title}", cb.topic(t.id))] for t in alternatives]
    related = [t for r in topic.related[:RELATED_MAX] if (t := kb.get(r)) is not None]
    return [[_btn(f"➡️ {t.title}", cb.topic(t.id))] for t in related]


def suggestions_keyboard(topics: Iterable[Topic]) -> InlineKeyboardMarkup:
    """ "Did you mean…": one row per candidate topic, then the full menu."""
    rows = [[_btn(t.title, cb.topic(t.id))] for t in topics]
    rows.append([_btn("📚 All topics", cb.topics_page(0))])
    return InlineKeyboardMarkup(rows)


def page_count(kb: KnowledgeBase) -> int:
    return max(1, math.ceil(len(kb.topics) / TOPICS_PER_PAGE))


def topics_menu(kb: KnowledgeBase, page: int) -> InlineKeyboardMarkup:
    """One page of the topic menu with Prev/Next; `page` is clamped to the valid range."""
    pages = page_count(kb)
    page = min(max(page, 0), pages - 1)
    topics = list(kb.topics.values())[page * TOPICS_PER_PAGE : (page + 1) * TOPICS_PER_PAGE]
    rows = [[_btn(t.title, cb.topic(t.id))] for t in topics]
    nav: list[InlineKeyboardButton] = []
    if page > 0:
        nav.append(_btn("◀️ Previous", cb.topics_page(page - 1)))
    if page < pages - 1:
        nav.append(_btn("Next ▶️", cb.topics_page(page + 1)))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


# --- the guided check ---------------------------------------------------------------------------


def verdict_keyboard(
    reminder: tuple[int, str] | None, *, details: int | None = None
) -> InlineKeyboardMarkup:
    """Under the verdict: an optional reminder (assessment id, day), the details, change,
    start over."""
    rows: list[list[InlineKeyboardButton]] = []
    if reminder is not None:
        assessment_id, day = reminder
        rows.append([_btn(f"⏰ Remind me on {day}", cb.remind(assessment_id))])
    if details is not None:
        rows.append([_btn("📋 Details: why, evidence, all steps", cb.details(details))])
    rows.append([_btn("✏️ Change an answer", cb.back("done")), _btn("🔁 New check", cb.check())])
    return InlineKeyboardMarkup(rows)


def start_check_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_btn("🔁 Start a new check", cb.check())]])


def forget_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_btn("🗑 Yes, delete everything", cb.forget(True))],
            [_btn("No, keep it", cb.forget(False))],
        ]
    )


# --- groups and deep links ----------------------------------------------------------------------


def deep_link(bot_username: str, payload: str) -> str:
    """`t.me/<bot>?start=<payload>`: opens the private chat with `/start <payload>`."""
    return create_deep_linked_url(bot_username, payload or None)


def topic_payload(topic_id: str) -> str:
    """Deep-link payload that opens a topic's full answer (ids are kebab-case, allowed)."""
    return f"t-{topic_id}"


def private_link_keyboard(bot_username: str, payload: str, text: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_url(text, deep_link(bot_username, payload))]])


def group_answer_keyboard(
    owner: int, topic: Topic, bot_username: str, alternatives: Sequence[Topic] = ()
) -> InlineKeyboardMarkup:
    """Under a short answer in a group: expand it here (asker only) or read it privately; when
    the match was close, the other topics the asker may have meant."""
    rows = [[_btn(f"🔎 Or: {t.title}", cb.full_answer(owner, t.id))] for t in alternatives]
    rows.append(
        [
            _btn("📖 Full answer", cb.full_answer(owner, topic.id)),
            _url("💬 Ask me privately", deep_link(bot_username, topic_payload(topic.id))),
        ]
    )
    return InlineKeyboardMarkup(rows)


def group_suggestions_keyboard(owner: int, topics: Iterable[Topic]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_btn(t.title, cb.full_answer(owner, t.id))] for t in topics])


def settings_keyboard(owner: int, enabled: bool) -> InlineKeyboardMarkup:
    text = "🔕 Turn warnings off" if enabled else "🔔 Turn warnings on"
    return InlineKeyboardMarkup([[_btn(text, cb.group_settings(owner, not enabled))]])
