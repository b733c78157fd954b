"""The guided check's decisions and screens, the same for every front end.

One step takes the stored check and one input (typed text or a chosen option) and says what to
store and what to show next; nothing here sends, stores or lays out anything. A choice only
names the screen it was shown for, so an old option (a stale button, a replayed update) is
reported as expired instead of answering another question.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.answering import Advisor
from bot.claims.assessment import Assessment
from bot.conversation.guards import is_confirm_word
from bot.conversation.output import Act, Choice, Kind, Line, Message, Option, Style
from bot.dialogue import machine
from bot.dialogue.machine import CheckState, Prompt, StateError
from bot.dialogue.parsers import ParseError, is_unknown
from bot.dialogue.question import DONE, DONT_KNOW
from bot.dialogue.question import Kind as QuestionKind
from bot.dialogue.render import progress_hint, review_text, unknown_note
from bot.i18n import DEFAULT_LANG, Text, _, deferred

ACTIVE = ("asking", "review")

CHECK_INTRO = _(
    "Let's check if Trade Assurance can cover your problem. I'll ask a few short questions. "
    "You can go back or cancel at any time."
)
CHECK_RESUMED = _("You have a check in progress. Here is where you left off:")
CHECK_STILL_OPEN = _("Your check is still open. Here is the question again:")
CHECK_CANCELLED = _("Check cancelled. Your answers were not kept.")
NO_CHECK_TO_CANCEL = _("There is no check to cancel. Send /check to start one.")
NOTHING_TO_GO_BACK_TO = _("There is nothing to go back to. Send /check to start the claim check.")
FIRST_QUESTION = _("This is the first question.")
RESULT_ABOVE = _("Your result is above.")
TAP_AN_OPTION = _("I didn't catch that. Please choose one of the options below.")
CHOOSE_ONE_OF = _("Did you mean one of these? Choose one.")
USE_THE_OPTIONS = _("Please use the options below.")
ANSWER_ALREADY_SAVED = _(
    "I had already saved your last answer. This is the next question; please answer it here."
)


def is_active(state: CheckState | None) -> bool:
    """A check the user is still answering (not finished, not cancelled)."""
    return state is not None and state.stage in ACTIVE


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Step:
    """What one input does to the check."""

    state: CheckState | None
    """The state to store afterwards; None deletes the check (cancelled)."""
    changed: bool = True
    note: Text | str = ""
    """Shown above the next screen (a parser's re-ask among them), rendered for the reader."""
    toast: Text | str = ""
    """A short acknowledgement of a chosen option."""
    expired: bool = False
    """The input does not fit the stored check: tell the user and show a fresh screen."""
    only: tuple[str, ...] = ()
    """Offer only these options (a "did you mean" re-ask)."""
    assessment: Assessment | None = None
    """Set when this step ended the check with a verdict."""


def _expired(state: CheckState | None) -> Step:
    return Step(state, changed=False, expired=True)


def step_choice(state: CheckState | None, choice: Choice) -> Step:
    """Apply one chosen check option to the stored state."""
    if state is None or state.stage == "cancelled":
        return _expired(None)
    if choice.act is Act.ANSWER:
        fact, value = choice.args
        if state.stage != "asking" or state.current != fact:
            return _expired(state)
        prompt = machine.current_question(state)
        result = machine.press(state, fact, value)
        if isinstance(result, ParseError):
            return Step(state, changed=False, toast=result.text)
        note = unknown_note(prompt.help) if value == DONT_KNOW and prompt is not None else ""
        return _answered(result, note)
    if choice.act is Act.BACK:
        shown_on = state.current if state.stage == "asking" else state.stage
        if choice.args[0] != shown_on:
            return _expired(state)
        if not machine.can_go_back(state):
            return Step(state, changed=False, toast=FIRST_QUESTION)
        return Step(machine.back(state))
    if choice.act is Act.CANCEL:
        if not is_active(state):
            return _expired(state)
        return Step(None, toast=CHECK_CANCELLED)
    if choice.act is Act.EDIT:
        try:
            return Step(machine.edit(state, choice.args[0]))
        except StateError:
            return _expired(state)
    if choice.act is Act.CONFIRM:
        if state.stage == "done":
            return Step(state, changed=False, toast=RESULT_ABOVE)
        if state.stage != "review":
            return _expired(state)
        done, verdict = machine.confirm(state)
        return Step(done, assessment=verdict)
    return _expired(state)


def step_text(
    state: CheckState,
    text: str,
    *,
    unknown_keys: frozenset[str] = frozenset(),
    lang: str = DEFAULT_LANG,
) -> Step:
    """Apply a typed message to an active check.

    `unknown_keys` are what a text-only front end types for "I don't know" ("?", "0"); `lang`
    is the reader's language (how numeric dates and amounts are read).
    """
    if state.stage == "review":
        items = machine.review(state)
        word = text.lower().strip(" .!")
        if is_confirm_word(text):
            done, verdict = machine.confirm(state)
            return Step(done, assessment=verdict)
        if re.fullmatch(r"[0-9]{1,3}", word) and 1 <= int(word) <= len(items):
            return Step(machine.edit(state, items[int(word) - 1].fact))
        return Step(state, changed=False, note=USE_THE_OPTIONS)
    prompt = machine.current_question(state)
    typed_unknown = text.strip() in unknown_keys
    result = machine.answer_unknown(state) if typed_unknown else machine.answer(state, text, lang)
    if isinstance(result, ParseError):
        note: Text | str = result.text
        choosing = prompt is not None and prompt.kind in (
            QuestionKind.CHOICE,
            QuestionKind.MULTI_CHOICE,
        )
        if choosing and not typed_unknown:
            note = CHOOSE_ONE_OF if result.suggestions else TAP_AN_OPTION
        return Step(state, changed=False, note=note, only=result.suggestions)
    said_unknown = typed_unknown or is_unknown(text)
    note = unknown_note(prompt.help) if said_unknown and prompt is not None else ""
    return _answered(result, note)


def _answered(state: CheckState, note: Text | str) -> Step:
    """After an answer: the next screen, or the result when the answer ended the check
    ("something else" goes straight to what to do instead)."""
    if state.stage == "done":
        return Step(state, assessment=machine.assessment(state))
    return Step(state, note=note)


def is_side_question(
    state: CheckState, text: str, advisor: Advisor, lang: str = DEFAULT_LANG
) -> bool:
    """A question asked in the middle of a check ("how long do I have to open a dispute?"),
    to be answered rather than refused as a bad answer.

    Only when the text does not answer the open question, reads as a question (ends with "?"
    and has a few words) and the knowledge base has a confident answer; anything else is
    re-asked as before, so a real answer is never taken for a question.
    """
    stripped = text.strip()
    if not stripped.endswith("?") or len(stripped.split()) < 3:
        return False
    if step_text(state, stripped, lang=lang).changed:
        return False
    return advisor.reply(stripped, lang).topic is not None


def reminder_offer(a: Assessment, today: dt.date) -> dt.date | None:
    """The day a reminder is worth setting for: the assessment's own `remind_on` (a week
    before the deadline, tomorrow when the deadline is close, the day after the ship-by date
    for a check made too early), while it is still ahead."""
    if a.remind_on is None or a.remind_on <= today:
        return None
    return a.remind_on


# --------------------------------------------------------------------------- screens


def _nav(screen: str, can_go_back: bool) -> tuple[Option, ...]:
    back = Option(Choice(Act.BACK, (screen,)), _("◀️ Back"), row=-1)
    cancel = Option(Choice(Act.CANCEL), _("✖️ Cancel"), row=-1)
    return (back, cancel) if can_go_back else (cancel,)


def _notes(note: Text | str) -> tuple[Line, ...]:
    return (Line(note, Style.NOTE),) if note else ()


def question_message(
    prompt: Prompt, *, note: Text | str = "", only: tuple[str, ...] = ()
) -> Message:
    """The open question: progress, the question, why we ask, an example, then its options
    (or just `only` of them, for "did you mean"), "I don't know", Back and Cancel."""
    head: Text | str = (
        _("✏️ Change your answer") if prompt.editing else progress_hint(prompt.step, prompt.total)
    )
    blocks = [
        *_notes(note),
        Line(head, Style.STRONG),
        Line(deferred(prompt.text), Style.STRONG),
        Line(_("Why we ask: {why}", why=deferred(prompt.why)), Style.EMPHASIS),
    ]
    if prompt.example:
        blocks.append(Line(deferred(prompt.example)))
    multi = prompt.kind == QuestionKind.MULTI_CHOICE
    options = [
        Option(
            Choice(Act.ANSWER, (prompt.fact, o.value)),
            deferred(o.label),
            selected=multi and o.value in prompt.selected,
            key=str(number),
        )
        for number, o in enumerate(prompt.options, 1)
        if not only or o.value in only
    ]
    if multi:
        options.append(Option(Choice(Act.ANSWER, (prompt.fact, DONE)), _("✅ Done"), row=1))
    if prompt.allow_unknown:
        label = _("🤷 I don't know")
        unknown = Choice(Act.ANSWER, (prompt.fact, DONT_KNOW))
        options.append(Option(unknown, label, row=2, key="0" if prompt.options else "?"))
    return Message(Kind.QUESTION, tuple(blocks), (*options, *_nav(prompt.fact, prompt.can_go_back)))


def review_message(state: CheckState, *, note: Text | str = "") -> Message:
    """All answers, each one changeable, and the way to the verdict."""
    items = machine.review(state)
    note = note or machine.jumped_because(state)
    edits = tuple(
        Option(Choice(Act.EDIT, (item.fact,)), _("✏️ {label}", label=deferred(item.label)))
        for item in items
    )
    confirm = Option(Choice(Act.CONFIRM), _("✅ See the result"), row=1)
    return Message(
        Kind.REVIEW,
        (*_notes(note), Line(review_text(items))),
        (*edits, confirm, *_nav("review", machine.can_go_back(state))),
    )


def screen(state: CheckState, *, note: Text | str = "", only: tuple[str, ...] = ()) -> Message:
    """The screen of an active check (question or review)."""
    if state.stage == "review":
        return review_message(state, note=note)
    prompt = machine.current_question(state)
    if prompt is None:
        raise StateError("no open question")
    return question_message(prompt, note=note, only=only)
