"""One conversation step for every front end: an input and the stored state in, messages out.

The session decides what to say; front ends only read input, lay out the messages (options as
buttons or numbered lines, `Text` rendered for the reader's language) and store what the turn
says to store. It holds no state of its own between turns, so a front end can keep the state
in memory (the terminal) or in the database (a bot), and a restart loses nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.answering import Advisor, Reply
from bot.claims.assessment import Assessment
from bot.conversation import check
from bot.conversation.guards import UNKNOWN_KEYS, input_problem
from bot.conversation.output import (
    Act,
    Choice,
    Kind,
    Line,
    Message,
    Option,
    TopicBlock,
    VerdictBlock,
    View,
    note,
)
from bot.dialogue import machine
from bot.dialogue.machine import CheckState
from bot.i18n import DEFAULT_LANG, Text, _
from bot.kb.loader import KnowledgeBase
from bot.kb.models import Topic
from bot.kb.render import heading
from bot.matching.normalize import is_small_talk

GREETING = _("Hello! I'm the Trade Assurance advisor. Type /help to see what I can do.")
SMALL_TALK = _("Happy to help! Ask me anything about Trade Assurance, or see the topics.")
NO_ANSWER = _(
    "Sorry, I don't have a sure answer to that. I know about Alibaba Trade Assurance: what it "
    "covers, paying safely, claims and deadlines. See the topics, or check if your claim is "
    "covered."
)
OTHER_PLATFORM = _(
    "That sounds like another marketplace: its own buyer-protection rules apply there, so its "
    "help centre is the place to ask. I cover Alibaba.com Trade Assurance: what it covers, "
    "paying safely, claims and deadlines."
)
DID_YOU_MEAN = _("Not what you asked? Did you mean one of these?")
SUGGEST_ONLY = _("Did you mean one of these?")
RELATED = _("Related:")
TOPICS_TITLE = _("Topics I can explain:")
CHECK_PAUSED = _("Your check is paused: send /check to go back to it.")
BACK_TO_CHECK = _("Back to your check.")
START_AGAIN = _("🔁 Start a new check")
ASK_FIRST = _("Ask a question first; then I can show the whole answer.")
TOPIC_GONE = _("That topic is gone. Send /topics for the list.")
AFTER_VERDICT = _("Send /back to change an answer, /check for a new check, or ask a question.")
BYE = _("Bye! Good luck with your order.")


class Command(StrEnum):
    """The commands the session understands (front ends map their own spellings)."""

    HELP = "help"
    TOPICS = "topics"
    MORE = "more"
    CHECK = "check"
    BACK = "back"
    CANCEL = "cancel"
    QUIT = "quit"


@dataclass(frozen=True)
class ChatState:
    """What a conversation remembers between inputs (all of it can be stored)."""

    check: CheckState | None = None
    paused: CheckState | None = None
    """A check set aside while the user reads topics; /check resumes it."""
    menu: tuple[str, ...] = ()
    """Topic ids of the last numbered list shown, so a bare number opens one."""
    last_topic: str | None = None
    """The topic whose first screen was shown last, for /more."""

    @property
    def open_check(self) -> CheckState | None:
        """The check to keep across restarts: the one in progress or the paused one."""
        state = self.check if self.check is not None else self.paused
        return state if check.is_active(state) else None


@dataclass(frozen=True)
class Turn:
    """What one input produced: messages to show, the state to keep, a verdict to store."""

    messages: tuple[Message, ...]
    state: ChatState
    assessment: Assessment | None = None
    finished: bool = False
    reply: Reply | None = None
    """The advisor's reply the turn answered with, so a front end laying the answer out in its
    own way (Telegram's buttons) does not match the message a second time."""


class Session:
    """The advisor's side of a conversation: free questions, topics, and the guided check."""

    def __init__(
        self,
        advisor: Advisor,
        today: Callable[[], dt.date] = dt.date.today,
        *,
        lang: str = DEFAULT_LANG,
        unknown_keys: frozenset[str] = UNKNOWN_KEYS,
    ) -> None:
        self.advisor = advisor
        self.today = today
        self.lang = lang
        self.unknown_keys = unknown_keys

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base in the reader's language (titles on buttons and lists)."""
        return self.advisor.kb.localized(self.lang)

    # ------------------------------------------------------------------ entry points

    def typed(self, text: str, state: ChatState) -> Turn:
        """A typed message (or a caption): an answer for the open check, else a question."""
        in_check = check.is_active(state.check)
        problem = input_problem(text, in_check=in_check)
        if problem is not None:
            return self._with_screen(state, [note(problem)])
        text = text.strip()
        if in_check and state.check is not None:
            return self._check_text(state, state.check, text)
        if text.isdecimal() and len(text) < 4 and state.menu:
            return self._open_menu_item(state, int(text))
        reply, messages, state = self._question(state, text)
        return Turn(tuple(messages), state, reply=reply)

    def chosen(self, choice: Choice, state: ChatState) -> Turn:
        """An option picked from a message."""
        if choice.act is Act.TOPIC:
            return self._topic(state, choice.args[0])
        if choice.act is Act.MORE:
            return self._more(replace(state, last_topic=choice.args[0]))
        if choice.act is Act.CHECK:
            return self.command(Command.CHECK, state)
        current = self._today(state.check)
        step = check.step_choice(current, choice)
        if step.expired:
            return Turn((note(_("This menu has expired.")),), state)
        return self._after(state, step, [note(step.toast)] if step.toast else [])

    def command(self, name: Command, state: ChatState) -> Turn:
        if name is Command.HELP:
            return Turn((Message(Kind.HELP, ()),), state)
        if name is Command.TOPICS:
            return self._topics(state)
        if name is Command.MORE:
            return self._more(state)
        if name is Command.CHECK:
            return self._start_check(state)
        if name is Command.BACK:
            return self._back(state)
        if name is Command.CANCEL:
            return self._cancel(state)
        return Turn((note(BYE),), state, finished=True)

    def greeting(self, state: ChatState) -> tuple[Message, ...]:
        """What a front end shows first; a check left open last time is mentioned."""
        resume = _("You have an unfinished check from last time. Send /check to continue it.")
        return (note(GREETING), *([note(resume)] if state.open_check else []))

    # ------------------------------------------------------------------ free questions

    def answer(self, text: str, *, view: View = View.LEAD) -> tuple[Reply, list[Message]]:
        """The messages answering a free question: the payment warning first, then the answer
        (or "did you mean", or small talk, or an honest "I don't know")."""
        reply = self.advisor.reply(text, self.lang)
        messages: list[Message] = []
        if reply.warning is not None:
            block = TopicBlock(reply.warning.id, View.HEADLINE_LEAD)
            messages.append(Message(Kind.WARNING, (block,)))
        topic = reply.topic
        if topic is not None:
            more = () if view is View.FULL else (_more_option(topic.id),)
            messages.append(Message(Kind.ANSWER, (TopicBlock(topic.id, view),), more))
            if reply.suggestions:
                messages.append(_topic_list(Kind.SUGGESTIONS, DID_YOU_MEAN, reply.suggestions))
            elif related := [t for r in topic.related if (t := self.kb.get(r))]:
                messages.append(_topic_list(Kind.MENU, RELATED, related))
        elif reply.suggestions:
            messages.append(_topic_list(Kind.SUGGESTIONS, SUGGEST_ONLY, reply.suggestions))
        elif reply.warning is None:
            messages.append(self._no_answer(reply, text))
        return reply, messages

    def _no_answer(self, reply: Reply, text: str) -> Message:
        menu = (Option(Choice(Act.CHECK), _("✅ Check my order")),)
        kind = fallback(reply, text)
        if kind is Fallback.OTHER_PLATFORM:
            return Message(Kind.NO_ANSWER, (Line(OTHER_PLATFORM),), menu)
        if kind is Fallback.SMALL_TALK:
            return Message(Kind.SMALL_TALK, (Line(SMALL_TALK),), menu)
        return Message(Kind.NO_ANSWER, (Line(NO_ANSWER),), menu)

    def _question(self, state: ChatState, text: str) -> tuple[Reply, list[Message], ChatState]:
        reply, messages = self.answer(text)
        if reply.topic is not None:
            state = replace(state, last_topic=reply.topic.id)
        menu = _menu_of(messages)
        return reply, messages, replace(state, menu=menu) if menu else state

    def _topic(self, state: ChatState, topic_id: str) -> Turn:
        topic = self.kb.get(topic_id)
        if topic is None:
            return Turn((note(TOPIC_GONE),), state)
        messages = [Message(Kind.ANSWER, (TopicBlock(topic.id),), (_more_option(topic.id),))]
        if related := [t for r in topic.related if (t := self.kb.get(r))]:
            messages.append(_topic_list(Kind.MENU, RELATED, related))
        state = replace(state, last_topic=topic.id, menu=_menu_of(messages) or state.menu)
        return Turn(tuple(messages), state)

    def _open_menu_item(self, state: ChatState, number: int) -> Turn:
        if not 1 <= number <= len(state.menu):
            text = _(
                "Please type a number from 1 to {count}, or /topics for the list.",
                count=len(state.menu),
            )
            return Turn((note(text),), state)
        return self._topic(state, state.menu[number - 1])

    def _more(self, state: ChatState) -> Turn:
        topic = self.kb.get(state.last_topic) if state.last_topic else None
        if topic is None:
            return Turn((note(ASK_FIRST),), state)
        return Turn((Message(Kind.ANSWER, (TopicBlock(topic.id, View.FULL),)),), state)

    def _topics(self, state: ChatState) -> Turn:
        topics = list(self.kb.topics.values())
        options = tuple(
            Option(Choice(Act.TOPIC, (t.id,)), heading(t), key=str(n))
            for n, t in enumerate(topics, 1)
        )
        messages = [Message(Kind.MENU, (Line(TOPICS_TITLE),), options)]
        state = replace(state, menu=tuple(t.id for t in topics))
        if check.is_active(state.check):
            state = replace(state, paused=state.check, check=None)
            messages.append(note(CHECK_PAUSED))
        return Turn(tuple(messages), state)

    # ------------------------------------------------------------------ the guided check

    def _today(self, state: CheckState | None) -> CheckState | None:
        return None if state is None else machine.with_today(state, self.today())

    def _start_check(self, state: ChatState) -> Turn:
        current = self._today(state.check)
        if current is not None and check.is_active(current):
            return Turn((check.screen(current, note=check.CHECK_RESUMED),), state)
        paused = self._today(state.paused)
        if paused is not None and check.is_active(paused):
            state = replace(state, check=paused, paused=None)
            return Turn((check.screen(paused, note=BACK_TO_CHECK),), state)
        started = machine.start(self.today())
        state = replace(state, check=started, paused=None)
        return Turn((check.screen(started, note=check.CHECK_INTRO),), state)

    def _back(self, state: ChatState) -> Turn:
        if state.paused is not None:
            return Turn((note(CHECK_PAUSED),), state)
        current = self._today(state.check)
        if current is None or current.stage == "cancelled":
            return Turn((note(check.NOTHING_TO_GO_BACK_TO),), state)
        if not machine.can_go_back(current):
            return Turn((check.screen(current, note=check.FIRST_QUESTION),), state)
        return self._after(state, check.Step(machine.back(current)), [])

    def _cancel(self, state: ChatState) -> Turn:
        current = state.check if state.check is not None else state.paused
        state = replace(state, check=None, paused=None)
        if not check.is_active(current):
            return Turn((note(check.NO_CHECK_TO_CANCEL),), state)
        again = Option(Choice(Act.CHECK), START_AGAIN)
        return Turn((Message(Kind.NOTE, (Line(check.CHECK_CANCELLED),), (again,)),), state)

    def _check_text(self, state: ChatState, current: CheckState, text: str) -> Turn:
        current = machine.with_today(current, self.today())
        if check.is_side_question(current, text, self.advisor, self.lang):
            # answered (with the payment warning on top if it applies), then the question
            reply, messages, state = self._question(state, text)
            screen = check.screen(current, note=check.CHECK_STILL_OPEN)
            return Turn((*messages, screen), state, reply=reply)
        warning = self.advisor.check_interruption(current, text, self.lang)
        if warning is not None:  # the warning first, the question again, nothing recorded (#9)
            block = TopicBlock(warning.id, View.HEADLINE_LEAD)
            return Turn(
                (
                    Message(Kind.WARNING, (block,)),
                    check.screen(current, note=check.CHECK_STILL_OPEN),
                ),
                state,
            )
        step = check.step_text(current, text, unknown_keys=self.unknown_keys, lang=self.lang)
        return self._after(state, step, [])

    def _after(self, state: ChatState, step: check.Step, before: list[Message]) -> Turn:
        """The messages after a check step, and the state to keep."""
        if step.state is None:
            return Turn((*before,), replace(state, check=None))
        if step.assessment is not None:
            verdict = Message(Kind.VERDICT, (VerdictBlock(step.assessment), Line(AFTER_VERDICT)))
            return Turn((*before, verdict), replace(state, check=step.state), step.assessment)
        if step.state.stage == "done":
            _, result = machine.confirm(step.state)
            return Turn((*before, Message(Kind.VERDICT, (VerdictBlock(result),))), state)
        screen = check.screen(step.state, note=step.note, only=step.only)
        return Turn((*before, screen), replace(state, check=step.state))

    def _with_screen(self, state: ChatState, messages: list[Message]) -> Turn:
        """Re-show the open question after an input we could not use, so nothing is lost."""
        current = self._today(state.check)
        if current is not None and check.is_active(current):
            messages.append(check.screen(current))
        return Turn(tuple(messages), state)


class Fallback(StrEnum):
    """What to say when no topic answers a message."""

    OTHER_PLATFORM = "other_platform"
    SMALL_TALK = "small_talk"
    NO_ANSWER = "no_answer"


def fallback(reply: Reply, text: str) -> Fallback:
    """Another marketplace's question, a greeting or thanks, or an honest "I don't know"."""
    if reply.match.reason == "other-platform":
        return Fallback.OTHER_PLATFORM
    return Fallback.SMALL_TALK if is_small_talk(text) else Fallback.NO_ANSWER


def _more_option(topic_id: str) -> Option:
    return Option(Choice(Act.MORE, (topic_id,)), _("📖 More"))


def _topic_list(kind: Kind, title: Text, topics: Sequence[Topic]) -> Message:
    options = tuple(
        Option(Choice(Act.TOPIC, (t.id,)), t.title, key=str(n)) for n, t in enumerate(topics, 1)
    )
    return Message(kind, (Line(title),), options)


def _menu_of(messages: list[Message]) -> tuple[str, ...]:
    """The topic ids a text front end can open by number after these messages."""
    for message in reversed(messages):
        ids = tuple(o.choice.args[0] for o in message.options if o.choice.act is Act.TOPIC)
        if ids:
            return ids
    return ()
