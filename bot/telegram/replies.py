"""What to say to a question, as pure functions: the handlers' decisions without HTTP.

Every answer opens with one screen: the topic's lead (what it means for the asker, then what to
do now), with "More" (private) or "Full answer" (groups) for the rest. When the off-platform
warning applies too, it sits on top of the same message, because it is the advice that saves the
most money. Groups get silence instead of "I don't understand".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot import i18n
from bot.answering import Advisor, Reply
from bot.conversation import guards
from bot.conversation.session import Fallback, fallback
from bot.i18n import DEFAULT_LANG, render
from bot.kb.glossary import find_term, render_terms_html, terms_in
from bot.kb.models import Topic
from bot.kb.render import heading, render_html, render_lead_html, render_short_html
from bot.matching.offplatform import OFF_PLATFORM_TOPIC
from bot.telegram import keyboards, texts


@dataclass(frozen=True)
class Outgoing:
    """One message to send: HTML text and an optional keyboard."""

    text: str
    markup: InlineKeyboardMarkup | None = None


def input_problem(text: str, *, in_check: bool, lang: str = DEFAULT_LANG) -> str | None:
    """The core's friendly reply to a message we cannot use, rendered for the reader."""
    problem = guards.input_problem(text, in_check=in_check)
    return None if problem is None else render(problem, lang)


def _joined(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def _warning_head(
    advisor: Advisor, warning: Topic | None, lang: str, *, bridge: bool = True
) -> str:
    """The warning's first screen; above an answer, a line saying whose money that answer is for
    (someone who already paid outside must not read "open your dispute" as meant for them)."""
    if warning is None:
        return ""
    text = render_lead_html(warning, advisor.kb.seeds, lang)
    return f"{text}\n{i18n.render_html(texts.WARNING_BRIDGE, lang)}" if bridge else text


def private_reply(
    advisor: Advisor, text: str, reply: Reply | None = None, lang: str = DEFAULT_LANG
) -> tuple[Reply, list[Outgoing]]:
    """The message answering `text` in a private chat: warning (if any) and answer together
    (`reply` when the conversation core already matched it)."""
    reply = reply if reply is not None else advisor.reply(text, lang)
    kb = advisor.kb.localized(lang)
    head = _warning_head(advisor, reply.warning, lang)
    term = _asked_term(advisor, text, reply, lang)
    if term is not None and not head:
        return reply, [term]
    if reply.topic is not None:
        others = [t for t in reply.suggestions if reply.warning is None or t.id != reply.warning.id]
        markup = keyboards.answer_keyboard(
            reply.topic, kb, alternatives=others, more=bool(head), lang=lang
        )
        lead = render_lead_html(reply.topic, kb.seeds, lang)
        return reply, [Outgoing(_joined(head, lead), markup)]
    if reply.suggestions:
        markup = keyboards.suggestions_keyboard(reply.suggestions, lang)
        head = _warning_head(advisor, reply.warning, lang, bridge=False)
        did_you_mean = i18n.render_html(texts.DID_YOU_MEAN, lang)
        return reply, [Outgoing(_joined(head, did_you_mean), markup)]
    if reply.warning is not None:  # the warning is the whole answer: its first screen and More
        warning = reply.warning
        markup = keyboards.answer_keyboard(warning, kb, more=False, lang=lang)
        return reply, [Outgoing(render_lead_html(warning, kb.seeds, lang), markup)]
    message = _FALLBACK_TEXTS[fallback(reply, text)]
    return reply, [Outgoing(i18n.render_html(message, lang), keyboards.main_menu(lang))]


_FALLBACK_TEXTS = {
    Fallback.OTHER_PLATFORM: texts.OTHER_PLATFORM,
    Fallback.SMALL_TALK: texts.SMALL_TALK,
    Fallback.NO_ANSWER: texts.NO_ANSWER,
}


_DEFINITION_QUESTION = re.compile(
    r"\b(?:what(?:'s|s| is| are| does| do)|meaning|means?|define|definition|stands? for)\b",
    re.IGNORECASE,
)
_DEFINITION_WORDS = 8
"""A "what does X mean" question is short; a longer message is a situation, answered by topic."""


def _asked_term(advisor: Advisor, text: str, reply: Reply, lang: str) -> Outgoing | None:
    """For a short "what is FOB?" naming one glossary term: its entry, with the matched topic
    (if any) one tap away."""
    if len(text.split()) > _DEFINITION_WORDS or not _DEFINITION_QUESTION.search(text):
        return None
    found = terms_in([text], advisor.kb.localized(lang).glossary)
    if len(found) != 1:
        return None
    if reply.topic is None:
        return Outgoing(render_terms_html(found), keyboards.main_menu(lang))
    return Outgoing(render_terms_html(found), keyboards.suggestions_keyboard([reply.topic], lang))


def topic_message(advisor: Advisor, topic_id: str, lang: str = DEFAULT_LANG) -> Outgoing | None:
    """A topic's first screen with its buttons (More, terms, related, check, feedback)."""
    kb = advisor.kb.localized(lang)
    topic = kb.get(topic_id)
    if topic is None:
        return None
    markup = keyboards.answer_keyboard(topic, kb, more=False, lang=lang)
    return Outgoing(render_lead_html(topic, kb.seeds, lang), markup)


def more_message(
    advisor: Advisor, topic_id: str, with_warning: bool, lang: str = DEFAULT_LANG
) -> Outgoing | None:
    """The full answer replacing its first screen; a warning shown above it stays there."""
    kb = advisor.kb.localized(lang)
    topic = kb.get(topic_id)
    if topic is None:
        return None
    warning = kb.get(OFF_PLATFORM_TOPIC) if with_warning else None
    text = _joined(_warning_head(advisor, warning, lang), render_html(topic, kb.seeds, lang))
    return Outgoing(text, keyboards.answer_keyboard(topic, kb, lang=lang))


def terms_message(advisor: Advisor, topic_id: str, lang: str = DEFAULT_LANG) -> Outgoing | None:
    """The glossary entries for the words a topic uses, or None (unknown topic, no terms)."""
    kb = advisor.kb.localized(lang)
    topic = kb.get(topic_id)
    if topic is None:
        return None
    found = terms_in((topic.lead or "", topic.answer), kb.glossary)
    if not found:
        return None
    title = i18n.render_html(texts.terms_in(topic.title), lang)
    return Outgoing(f"{title}\n\n{render_terms_html(found)}")


def glossary_message(advisor: Advisor, query: str, lang: str = DEFAULT_LANG) -> Outgoing:
    """/glossary: every term as a button; /glossary FOB: that entry (or the list, if unknown)."""
    kb = advisor.kb.localized(lang)
    glossary = kb.glossary
    if query.strip():
        term = find_term(query, glossary)
        if term is not None:
            return Outgoing(render_terms_html([term]))
        intro = texts.glossary_unknown(query.strip()[:40])
    else:
        intro = texts.GLOSSARY_TITLE
    return Outgoing(i18n.render_html(intro, lang), keyboards.glossary_keyboard(kb))


def term_message(advisor: Advisor, term_id: str, lang: str = DEFAULT_LANG) -> Outgoing | None:
    term = advisor.kb.localized(lang).glossary.get(term_id)
    return Outgoing(render_terms_html([term])) if term is not None else None


def group_reply(
    advisor: Advisor, question: str, *, owner: int, bot_username: str, lang: str = DEFAULT_LANG
) -> tuple[Reply, Outgoing | None]:
    """The one message answering an addressed question in a group, or None for silence."""
    reply = advisor.reply(question, lang)
    head = [_warning_head(advisor, reply.warning, lang, bridge=reply.topic is not None)]
    head = [h for h in head if h]
    if reply.topic is not None:
        markup = keyboards.group_answer_keyboard(
            owner, reply.topic, bot_username, reply.suggestions, lang
        )
        lead = render_lead_html(reply.topic, advisor.kb.seeds, lang)
        return reply, Outgoing("\n\n".join([*head, lead]), markup)
    if reply.suggestions:
        markup = keyboards.group_suggestions_keyboard(owner, reply.suggestions)
        did_you_mean = i18n.render_html(texts.DID_YOU_MEAN, lang)
        return reply, Outgoing("\n\n".join([*head, did_you_mean]), markup)
    if head:
        return reply, warning_message(advisor, bot_username, lang)
    return reply, None


def _with_private_link(
    advisor: Advisor, topic_id: str, bot_username: str, *, full: bool, label: str, lang: str
) -> Outgoing | None:
    """A topic posted in a group with a button that opens it in the private chat."""
    topic = advisor.kb.localized(lang).get(topic_id)
    if topic is None:
        return None
    payload = keyboards.topic_payload(topic.id)
    markup = keyboards.private_link_keyboard(bot_username, payload, label)
    seeds = advisor.kb.seeds
    shown = render_html if full else render_short_html
    return Outgoing(shown(topic, seeds, lang), markup)


def warning_message(
    advisor: Advisor, bot_username: str, lang: str = DEFAULT_LANG
) -> Outgoing | None:
    """The off-platform warning as a group post: short text and a link to the full answer."""
    return _with_private_link(
        advisor,
        OFF_PLATFORM_TOPIC,
        bot_username,
        full=False,
        label=render(texts.WHY_READ_MORE, lang),
        lang=lang,
    )


def full_in_group(
    advisor: Advisor, topic_id: str, bot_username: str, *, shown: str = "", lang: str = DEFAULT_LANG
) -> Outgoing | None:
    """A group answer expanded in place: the full text and a link to continue privately. A
    warning the post (`shown`, its visible text) opened with stays on top."""
    out = _with_private_link(
        advisor,
        topic_id,
        bot_username,
        full=True,
        label=render(texts.ASK_PRIVATELY, lang),
        lang=lang,
    )
    warning = advisor.kb.localized(lang).get(OFF_PLATFORM_TOPIC)
    if out is None or warning is None or topic_id == warning.id:
        return out
    if not shown.startswith(heading(warning)):
        return out
    return Outgoing(_joined(_warning_head(advisor, warning, lang), out.text), out.markup)


def cases_text(rows: list[tuple[dt.date, str, dt.date | None]], lang: str = DEFAULT_LANG) -> str:
    """/cases: (day, verdict headline, deadline) per assessment, newest first."""
    lines = [i18n.render_html(texts.CASES_TITLE, lang)]
    for number, (day, verdict, deadline) in enumerate(rows, 1):
        line = i18n.render_html(texts.cases_line(number, day, verdict), lang)
        if deadline:
            claim = i18n.render_html(texts.cases_deadline(deadline), lang)
            line += f"\n    <i>{claim}</i>"
        lines.append(line)
    lines.append("\n" + i18n.render_html(texts.CASES_NEW, lang))
    return "\n".join(lines)
