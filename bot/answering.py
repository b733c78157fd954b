"""One place that turns a message into what the advisor should say, for every front end.

The terminal chat, `ta-advisor ask` and the Telegram bot all render the same `Reply`; none of
them decides on its own whether to answer, suggest, warn or stay honest about not knowing.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.dialogue import machine
from bot.dialogue.machine import CheckState
from bot.dialogue.parsers import ParseError
from bot.i18n import DEFAULT_LANG
from bot.i18n.render import load_catalogues
from bot.kb.loader import KnowledgeBase
from bot.kb.models import Topic
from bot.matching.matcher import Match, Matcher
from bot.matching.offplatform import OFF_PLATFORM_TOPIC, detects_off_platform
from bot.matching.offplatform.detector import default_detector

PAYMENT_FACT = "paid_via"
"""The check question whose answers are payment routes: an off-platform one is its answer."""


@dataclass(frozen=True)
class Reply:
    """What to say about one message."""

    question: str
    match: Match
    topic: Topic | None
    """The topic answered with (decisions `answer` and `suggest`), None when we do not know."""
    suggestions: tuple[Topic, ...]
    """With `suggest`: the close alternatives to offer as "Did you mean…" (best topic excluded);
    with no answer but a close guess (reason "close"): the first topics, offered the same way."""
    warning: Topic | None
    """The off-platform warning, when the message talks about paying outside the order and the
    answer is not already that warning."""
    off_platform: bool = False
    """The message is a request to pay outside the order (whatever the answer is)."""
    lang: str = DEFAULT_LANG
    """The language the topics are written in (the reader's)."""

    @property
    def answered(self) -> bool:
        """A topic was chosen with confidence."""
        return self.topic is not None


class Advisor:
    """The knowledge base with its matcher: build once, ask many times."""

    def __init__(self, kb: KnowledgeBase, matcher: Matcher | None = None) -> None:
        self.kb = kb
        self.matcher = matcher or Matcher(kb)
        default_detector()  # built with the advisor, not on the first user's message
        load_catalogues()  # likewise the languages' catalogues

    def reply(self, question: str, lang: str = DEFAULT_LANG) -> Reply:
        """Match the message and attach the off-platform warning where it applies; the topics
        come in the reader's language `lang`."""
        match = self.matcher.match(question)
        kb = self.kb.localized(lang)
        topic = kb.get(match.topic_id) if match.topic_id else None
        offered = match.kind == "suggest" or match.reason == "close"
        suggestions = tuple(t for tid, _ in match.alternatives if offered and (t := kb.get(tid)))
        off_platform = match.off_platform
        warning = None
        if off_platform and (topic is None or topic.id != OFF_PLATFORM_TOPIC):
            warning = kb.get(OFF_PLATFORM_TOPIC)
        return Reply(question, match, topic, suggestions, warning, off_platform, kb.lang)

    def check_interruption(
        self, state: CheckState, text: str, lang: str = DEFAULT_LANG
    ) -> Topic | None:
        """The warning to show instead of reading `text` as an answer in an open check.

        A request to pay outside the order ("the supplier offers 5% off if I send the balance
        by Western Union to his cousin") matters more than the question on screen, and read as
        a date or an amount it would only earn "I couldn't read that". The payment question is
        the exception: there an off-platform route that it can read is simply its answer.
        """
        if state.stage not in ("asking", "review") or not detects_off_platform(text):
            return None
        prompt = machine.current_question(state)
        payment = prompt is not None and prompt.fact == PAYMENT_FACT
        if payment and not isinstance(machine.answer(state, text, lang), ParseError):
            return None
        return self.kb.localized(lang).get(OFF_PLATFORM_TOPIC)
