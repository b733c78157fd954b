"""What the conversation says, before any front end lays it out.

A turn is a list of messages; a message is a list of blocks plus the options it offers. Fixed
sentences are `Text` (rendered for the reader's language at the edge); knowledge-base content is
named by topic so each front end renders it in its own markup (HTML on Telegram, plain text in a
terminal). Options carry a neutral `Choice`: Telegram turns it into callback data, the terminal
into a numbered line.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from bot.claims.assessment import Assessment
from bot.i18n import Text


class Style(StrEnum):
    """How a line is set off from the rest, where the front end can show it."""

    PLAIN = "plain"
    NOTE = "note"
    """Said about the previous input, set apart above the screen it precedes."""
    STRONG = "strong"
    EMPHASIS = "emphasis"


@dataclass(frozen=True, slots=True)
class Line:
    """A sentence from the catalogue (`Text`) or already-rendered text (`str`)."""

    text: Text | str
    style: Style = Style.PLAIN


class View(StrEnum):
    """Which rendering of a topic a block asks for."""

    LEAD = "lead"
    """The first screen: what it means for the asker and what to do now."""
    FULL = "full"
    """The whole answer with its sources."""
    HEADLINE_LEAD = "headline_lead"
    """The heading, then the first screen (the warning above another answer)."""


@dataclass(frozen=True, slots=True)
class TopicBlock:
    """A knowledge-base topic shown in a message; the front end renders it."""

    topic_id: str
    view: View = View.LEAD


@dataclass(frozen=True, slots=True)
class VerdictBlock:
    """The result of a check; front ends render the claim card in their markup."""

    assessment: Assessment


Block: TypeAlias = Line | TopicBlock | VerdictBlock


class Act(StrEnum):
    """What choosing an option does."""

    ANSWER = "answer"
    """Answer the open check question with an option value: (fact, value)."""
    BACK = "back"
    """Undo one step; carries the screen it was shown on: (screen,)."""
    CANCEL = "cancel"
    EDIT = "edit"
    """Change one answer from the review: (fact,)."""
    CONFIRM = "confirm"
    """Show the verdict from the review."""
    TOPIC = "topic"
    """Open a topic: (topic id,)."""
    CHECK = "check"
    """Start the guided check, or resume the open one."""
    MORE = "more"
    """The whole answer of a topic whose first screen was shown: (topic id,)."""


@dataclass(frozen=True, slots=True)
class Choice:
    """An option's identity: what it does and its arguments (all short ASCII codes)."""

    act: Act
    args: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """A stable text form, for logs and transcripts."""
        return ":".join((self.act.value, *self.args))


@dataclass(frozen=True, slots=True)
class Option:
    """One thing the user can pick."""

    choice: Choice
    label: Text | str
    selected: bool = False
    """Already ticked (multi-choice answers)."""
    row: int | None = None
    """Options with the same row number share a row where the front end lays out rows."""
    key: str | None = None
    """What a text-only front end types to pick it ("3"); None when it is reached otherwise
    (a command, or a number already shown in the message)."""

    @property
    def id(self) -> str:
        return self.choice.id


class Kind(StrEnum):
    """What a message is, so a front end can pick its layout and transcripts can name it."""

    NOTE = "note"
    ANSWER = "answer"
    WARNING = "warning"
    SUGGESTIONS = "suggestions"
    NO_ANSWER = "no_answer"
    SMALL_TALK = "small_talk"
    QUESTION = "question"
    """The open check question."""
    REVIEW = "review"
    VERDICT = "verdict"
    MENU = "menu"
    HELP = "help"


@dataclass(frozen=True, slots=True)
class Message:
    """One message: blocks in order, then the options it offers."""

    kind: Kind
    blocks: tuple[Block, ...]
    options: tuple[Option, ...] = ()
    hint: Text | str | None = None
    """How to answer with the options, for front ends that show them as text."""


def note(text: Text | str) -> Message:
    """A one-sentence message."""
    return Message(Kind.NOTE, (Line(text),))
