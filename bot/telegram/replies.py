"""What to say to a question, as pure functions: the handlers' decisions without HTTP.

Private chats get the full answer with its sources and buttons; groups get the short answer and
a button to the full one, and silence instead of "I don't understand". The off-platform warning
always comes first, because it is the advice that saves the most money.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot.answering import OFF_PLATFORM_TOPIC, Advisor, Reply
from bot.kb.render import render_html, render_short_html
from bot.matching.normalize import is_small_talk
from bot.telegram import keyboards, texts
from bot.telegram.sending import MAX_CHARS


@dataclass(frozen=True)
class Outgoing:
    """One message to send: HTML text and an optional keyboard."""

    text: str
    markup: InlineKeyboardMarkup | None = None


def input_problem(text: str, *, in_check: bool) -> str | None:
    """The friendly reply to a message we cannot use (too long, empty, emoji only), or None.

    Only says what is wrong; the caller re-shows the open check screen, so nothing is lost.
    """
    if len(text) > MAX_CHARS:
        return texts.TOO_LONG.format(length=len(text), limit=MAX_CHARS)
    stripped = text.strip()
    if not stripped:
        return texts.EMPTY_IN_CHECK if in_check else texts.EMPTY
    if not any(ch.isalnum() for ch in stripped) and not (in_check and stripped.strip("?") == ""):
        return texts.NO_WORDS
    return None


def private_reply(advisor: Advisor, text: str) -> tuple[Reply, list[Outgoing]]:
    """The messages answering `text` in a private chat, in order."""
    reply = advisor.reply(text)
    out: list[Outgoing] = []
    if reply.warning is not None:
        out.append(Outgoing(render_html(reply.warning)))
    if reply.topic is not None:
        out.append(
            Outgoing(
                render_html(reply.topic),
                keyboards.answer_keyboard(reply.topic, advisor.kb, alternatives=reply.suggestions),
            )
        )
    elif reply.suggestions:
        out.append(Outgoing(texts.DID_YOU_MEAN, keyboards.suggestions_keyboard(reply.suggestions)))
    elif reply.warning is None:
        message = texts.SMALL_TALK if is_small_talk(text) else texts.NO_ANSWER
        if reply.match.reason == "other-platform":
            message = texts.OTHER_PLATFORM
        out.append(Outgoing(message, keyboards.main_menu()))
    else:  # the warning is the whole answer: give it a way forward
        out[0] = Outgoing(out[0].text, keyboards.main_menu())
    return reply, out


def topic_message(advisor: Advisor, topic_id: str) -> Outgoing | None:
    """A topic's full answer with its buttons (menu, related, deep link)."""
    topic = advisor.kb.get(topic_id)
    if topic is None:
        return None
    return Outgoing(render_html(topic), keyboards.answer_keyboard(topic, advisor.kb))


def group_reply(
    advisor: Advisor, question: str, *, owner: int, bot_username: str
) -> tuple[Reply, Outgoing | None]:
    """The one message answering an addressed question in a group, or None for silence."""
    reply = advisor.reply(question)
    head = [render_short_html(reply.warning)] if reply.warning is not None else []
    if reply.topic is not None:
        markup = keyboards.group_answer_keyboard(
            owner, reply.topic, bot_username, reply.suggestions
        )
        return reply, Outgoing("\n\n".join([*head, render_short_html(reply.topic)]), markup)
    if reply.suggestions:
        markup = keyboards.group_suggestions_keyboard(owner, reply.suggestions)
        return reply, Outgoing("\n\n".join([*head, texts.DID_YOU_MEAN]), markup)
    if head:
        return reply, warning_message(advisor, bot_username)
    return reply, None


def _with_private_link(
    advisor: Advisor, topic_id: str, bot_username: str, *, full: bool, label: str
) -> Outgoing | None:
    """A topic posted in a group with a button that opens it in the private chat."""
    topic = advisor.kb.get(topic_id)
    if topic is None:
        return None
    payload = keyboards.topic_payload(topic.id)
    markup = keyboards.private_link_keyboard(bot_username, payload, label)
    return Outgoing(render_html(topic) if full else render_short_html(topic), markup)


def warning_message(advisor: Advisor, bot_username: str) -> Outgoing | None:
    """The off-platform warning as a group post: short text and a link to the full answer."""
    return _with_private_link(
        advisor, OFF_PLATFORM_TOPIC, bot_username, full=False, label="📖 Why? Read more"
    )


def full_in_group(advisor: Advisor, topic_id: str, bot_username: str) -> Outgoing | None:
    """A group answer expanded in place: the full text and a link to continue privately."""
    return _with_private_link(
        advisor, topic_id, bot_username, full=True, label="💬 Ask me privately"
    )


def cases_text(rows: list[tuple[str, str, str | None]]) -> str:
    """/cases: (date, verdict headline, deadline) per assessment, newest first."""
    lines = [texts.CASES_TITLE]
    for number, (day, verdict, deadline) in enumerate(rows, 1):
        line = f"{number}. {html.escape(day)} – {html.escape(verdict)}"
        if deadline:
            line += f"\n    <i>claim deadline: {html.escape(deadline)}</i>"
        lines.append(line)
    lines.append("\nSend /check to start a new check.")
    return "\n".join(lines)
