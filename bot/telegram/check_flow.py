"""The guided claim check in a private chat, with inline buttons and typed answers.

Durability is the point of this module's shape: the check state is loaded from the database at
the start of every update and saved before anything is sent, so a restart (even `kill -9`)
between two taps loses nothing, and the old message's buttons keep working. Button data only
names the question it was shown for; `machine.press` refuses a tap meant for another question,
which we turn into "this menu has expired" and a fresh screen.

The decisions (`step_press`, `step_text`) and the screens are pure functions, tested without
HTTP; the async handlers only load, apply, store and send.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.answering import Advisor
from bot.claims.assessment import Assessment
from bot.claims.card import render_details_html, render_summary_html
from bot.claims.reminder import reminder_for
from bot.dialogue import machine
from bot.dialogue.machine import CheckState, StateError
from bot.dialogue.parsers import ParseError, format_date, is_unknown
from bot.dialogue.question import DONT_KNOW, Kind
from bot.dialogue.render import progress_hint, review_text, unknown_note
from bot.i18n import render
from bot.kb.render import render_lead_html
from bot.storage.records import Reminder, StoredAssessment
from bot.telegram import keyboards, texts
from bot.telegram.callbacks import Callback, Op, decode
from bot.telegram.context import BotContext, Services
from bot.telegram.sending import send_html, show, toast

_LOG = logging.getLogger(__name__)

CONFIRM_WORDS = frozenset({"ok", "okay", "yes", "y", "done", "confirm", "result", "go", "k"})
"""Typed words that mean "see the result" on the review screen (as in the terminal)."""

REMINDER_HOUR_UTC = 9
"""Reminders go out in the (UTC) morning, not at the minute the button was pressed."""

_ACTIVE = ("asking", "review")


def is_active(state: CheckState | None) -> bool:
    """A check the user is still answering (not finished, not cancelled)."""
    return state is not None and state.stage in _ACTIVE


# --------------------------------------------------------------------------- screens


@dataclass(frozen=True)
class Screen:
    """One message: HTML text and its keyboard."""

    text: str
    markup: InlineKeyboardMarkup | None


def _with_note(note: str, body: str) -> str:
    return f"{html.escape(note)}\n\n{body}" if note else body


def question_screen(state: CheckState, *, note: str = "", only: tuple[str, ...] = ()) -> Screen:
    """The open question: progress, the question, why we ask, how to answer, buttons."""
    prompt = machine.current_question(state)
    if prompt is None:
        raise StateError("no open question")
    head = "✏️ Change your answer" if prompt.editing else progress_hint(prompt.step, prompt.total)
    lines = [
        f"<b>{html.escape(head)}</b>",
        f"<b>{html.escape(prompt.text)}</b>",
        f"<i>Why we ask: {html.escape(prompt.why)}</i>",
    ]
    if prompt.kind in (Kind.DATE, Kind.AMOUNT):
        if prompt.example:
            lines.append(html.escape(prompt.example))
        lines.append(texts.TYPE_ANSWER)
    elif prompt.kind == Kind.MULTI_CHOICE:
        lines.append(texts.TAP_ALL)
    else:
        lines.append(texts.TAP_ANSWER)
    return Screen(
        _with_note(note, "\n".join(lines)), keyboards.question_keyboard(prompt, only=only)
    )


def review_screen(state: CheckState, *, note: str = "") -> Screen:
    """All answers, each with a change button, and the way to the verdict."""
    items = machine.review(state)
    note = note or machine.jumped_because(state)
    body = f"{html.escape(review_text(items))}\n\n{texts.REVIEW_HINT}"
    return Screen(
        _with_note(note, body), keyboards.review_keyboard(items, machine.can_go_back(state))
    )


def screen_for(state: CheckState, *, note: str = "", only: tuple[str, ...] = ()) -> Screen:
    """The screen of an active check (question or review)."""
    if state.stage == "review":
        return review_screen(state, note=note)
    return question_screen(state, note=note, only=only)


def reminder_offer(a: Assessment, today: dt.date) -> dt.date | None:
    """The day a reminder is worth setting for: the assessment's own `remind_on` (a week
    before the deadline, tomorrow when the deadline is close, the day after the ship-by date
    for a check made too early), while it is still ahead."""
    if a.remind_on is None or a.remind_on <= today:
        return None
    return a.remind_on


def verdict_screen(a: Assessment, assessment_id: int | None, today: dt.date) -> Screen:
    """The phone's first screen: verdict, deadline, amounts and next step, with the reminder
    button when there is a day to remind on; the rest is behind "Details"."""
    day = reminder_offer(a, today)
    reminder = None
    if day is not None and assessment_id is not None:
        reminder = (assessment_id, format_date(day))
    return Screen(
        f"{render_summary_html(a)}\n\n{texts.AFTER_VERDICT}",
        keyboards.verdict_keyboard(reminder, details=assessment_id),
    )


def details_screen(a: Assessment) -> str:
    """Why, the evidence to gather and every step (the card's second part)."""
    return render_details_html(a)


def reminder_due(remind_on: dt.date, now: dt.datetime) -> dt.datetime:
    """The morning (UTC) of `remind_on`; if that has passed already, in an hour."""
    due = dt.datetime.combine(remind_on, dt.time(REMINDER_HOUR_UTC), tzinfo=dt.UTC)
    return due if due > now else now + dt.timedelta(hours=1)


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Step:
    """What one input does to the check."""

    state: CheckState | None
    """The state to store afterwards; None deletes the check (cancelled)."""
    changed: bool = True
    note: str = ""
    """Plain text shown above the next screen."""
    toast: str = ""
    expired: bool = False
    """The input does not fit the stored check: tell the user and show a fresh screen."""
    only: tuple[str, ...] = ()
    """Offer only these options (a "did you mean" re-ask)."""
    assessment: Assessment | None = field(default=None)
    """Set when this step ended the check with a verdict."""


def _expired(state: CheckState | None) -> Step:
    return Step(state, changed=False, expired=True)


def step_press(state: CheckState | None, press: Callback) -> Step:
    """Apply one check button to the stored state (pure; see `Step`)."""
    if state is None or state.stage == "cancelled":
        return _expired(None)
    if press.op is Op.ANSWER:
        fact, value = press.args
        if state.stage != "asking" or state.current != fact:
            return _expired(state)
        prompt = machine.current_question(state)
        result = machine.press(state, fact, value)
        if isinstance(result, ParseError):
            return Step(state, changed=False, toast=result.message)
        note = unknown_note(prompt.help) if value == DONT_KNOW and prompt is not None else ""
        return _answered(result, note)
    if press.op is Op.BACK:
        shown_on = state.current if state.stage == "asking" else state.stage
        if press.args[0] != shown_on:
            return _expired(state)
        if not machine.can_go_back(state):
            return Step(state, changed=False, toast=texts.FIRST_QUESTION)
        return Step(machine.back(state))
    if press.op is Op.CANCEL:
        if not is_active(state):
            return _expired(state)
        return Step(None, toast=texts.CHECK_CANCELLED)
    if press.op is Op.EDIT:
        try:
            return Step(machine.edit(state, press.args[0]))
        except StateError:
            return _expired(state)
    if press.op is Op.CONFIRM:
        if state.stage == "done":
            return Step(state, changed=False, toast="Your result is above.")
        if state.stage != "review":
            return _expired(state)
        done, verdict = machine.confirm(state)
        return Step(done, assessment=verdict)
    return _expired(state)


def step_text(state: CheckState, text: str) -> Step:
    """Apply a typed message to an active check (pure; mirrors the terminal)."""
    if state.stage == "review":
        word = text.lower().strip(" .!")
        items = machine.review(state)
        if word in CONFIRM_WORDS:
            done, verdict = machine.confirm(state)
            return Step(done, assessment=verdict)
        if re.fullmatch(r"[0-9]{1,3}", word) and 1 <= int(word) <= len(items):
            return Step(machine.edit(state, items[int(word) - 1].fact))
        return Step(state, changed=False, note="Please use the buttons below.")
    prompt = machine.current_question(state)
    result = machine.answer(state, text)
    if isinstance(result, ParseError):
        note = result.message
        if prompt is not None and prompt.kind in (Kind.CHOICE, Kind.MULTI_CHOICE):
            note = texts.CHOOSE_ONE_OF if result.suggestions else texts.TAP_AN_OPTION
        return Step(state, changed=False, note=note, only=result.suggestions)
    note = unknown_note(prompt.help) if is_unknown(text) and prompt is not None else ""
    return _answered(result, note)


def _answered(state: CheckState, note: str) -> Step:
    """After an answer: the next screen, or the result when the answer ended the check
    ("something else" goes straight to what to do instead)."""
    if state.stage == "done":
        return Step(state, assessment=machine.assessment(state))
    return Step(state, note=note)


def is_side_question(state: CheckState, text: str, advisor: Advisor) -> bool:
    """A question asked in the middle of a check ("how long do I have to open a dispute?"),
    to be answered rather than refused as a bad answer.

    Only when the text does not answer the open question, reads as a question (ends with "?"
    and has a few words) and the knowledge base has a confident answer; anything else is
    re-asked as before, so a real answer is never taken for a question.
    """
    stripped = text.strip()
    if not stripped.endswith("?") or len(stripped.split()) < 3:
        return False
    if step_text(state, stripped).changed:
        return False
    return advisor.reply(stripped).topic is not None


# --------------------------------------------------------------------------- storage


async def load_state(services: Services, user_id: int) -> CheckState | None:
    """The user's stored check, seen from today; an unreadable one is dropped (logged)."""
    raw = await services.db.load_check(user_id)
    if raw is None:
        return None
    try:
        state = CheckState.from_json(raw)
    except StateError as exc:
        _LOG.warning("dropping an unreadable check state of a user: %s", exc)
        await services.db.delete_check(user_id)
        return None
    return machine.with_today(state, services.today())


async def _store(services: Services, user_id: int, step: Step) -> int | None:
    """Persist a step before anything is sent; returns the new assessment id, if any."""
    if step.state is None:
        _LOG.info("check: cancelled")
    else:
        verdict = step.assessment.verdict.value if step.assessment is not None else None
        _LOG.info(
            "check: stage=%s question=%s verdict=%s", step.state.stage, step.state.current, verdict
        )
    if step.state is None:
        await services.db.delete_check(user_id)
        await services.db.log_check_event(user_id, "cancelled")
        return None
    state = step.state  # a stored verdict counts as not shown until it is sent (`_shown`)
    if step.assessment is not None:  # result, event and state at once: a crash between them
        a = step.assessment  # would store the result again when the tap is repeated
        day = reminder_offer(a, services.today())
        return await services.db.finish_check(
            user_id,
            state.to_json(),
            facts_json=state.facts.model_dump_json(),
            assessment_json=a.model_dump_json(),
            verdict=a.verdict.value,
            deadline=a.deadline,
            check_id=state.check_id or None,
            reminder_due=None if day is None else reminder_due(day, services.now()),
        )
    await services.db.save_check(user_id, state.to_json())
    return None


class ShownScreens:
    """Which check screen each user was last shown, in memory and bounded.

    A typed text that repeats the previous answer is held back only when this process has not
    shown the open question: after a crash or restart between storing an answer and showing
    the next question nothing is recorded here, so the retyped answer is not taken for the
    next fact, while in a normal session answers are never second-guessed and cost no write.
    """

    def __init__(self, limit: int = 50_000) -> None:
        self._limit = limit
        self._seen: OrderedDict[int, int] = OrderedDict()

    def record(self, user_id: int, state: CheckState) -> None:
        self._seen[user_id] = hash(state.to_json())
        self._seen.move_to_end(user_id)
        while len(self._seen) > self._limit:
            self._seen.popitem(last=False)

    def has(self, user_id: int, state: CheckState) -> bool:
        return self._seen.get(user_id) == hash(state.to_json())


SHOWN = ShownScreens()


async def _shown(services: Services, user_id: int, state: CheckState | None) -> None:
    """The screen of `state` reached the user. A verdict is recorded in the database (it is
    shown again on the next press or /check if it never arrived); a question in memory."""
    if state is None:
        return
    if state.stage == "done":
        await services.db.mark_check_shown(user_id)
    else:
        SHOWN.record(user_id, state)


def _render(step: Step, assessment_id: int | None, today: dt.date) -> Screen:
    """The screen after a step that was applied."""
    if step.state is None:
        return Screen(texts.CHECK_CANCELLED, keyboards.start_check_keyboard())
    if step.assessment is not None:
        return verdict_screen(step.assessment, assessment_id, today)
    return screen_for(step.state, note=step.note, only=step.only)


# --------------------------------------------------------------------------- handlers


async def start_or_resume(context: BotContext, chat_id: int, user_id: int) -> None:
    """/check, the deep link and "Check my order": resume an active check, else start one."""
    services = context.services
    state = await load_state(services, user_id)
    if state is not None and state.stage == "done" and not await services.db.check_shown(user_id):
        await show_unseen_verdict(context, chat_id, user_id, state)
        return
    if is_active(state):
        assert state is not None
        screen = screen_for(state, note=texts.CHECK_RESUMED)
    else:
        state = machine.start(services.today())
        await services.db.save_check(user_id, state.to_json())
        await services.db.log_check_event(user_id, "started")
        screen = screen_for(state, note=texts.CHECK_INTRO)
    await send_html(context.bot, chat_id, screen.text, screen.markup)
    await _shown(services, user_id, state)


async def cancel_command(update: Update, context: BotContext) -> None:
    """/cancel: forget the check in progress (confirmed by the reply)."""
    if update.effective_user is None or update.effective_chat is None:
        return
    services, user_id = context.services, update.effective_user.id
    state = await load_state(services, user_id)
    if not is_active(state):
        await send_html(context.bot, update.effective_chat.id, texts.NO_CHECK_TO_CANCEL)
        return
    await _store(services, user_id, Step(None))
    await send_html(
        context.bot,
        update.effective_chat.id,
        texts.CHECK_CANCELLED,
        keyboards.start_check_keyboard(),
    )


async def send_current(context: BotContext, chat_id: int, user_id: int, note: str = "") -> bool:
    """Re-show the open check screen after an input we could not use; False if no check."""
    state = await load_state(context.services, user_id)
    if not is_active(state):
        return False
    assert state is not None
    screen = screen_for(state, note=note)
    await send_html(context.bot, chat_id, screen.text, screen.markup)
    await _shown(context.services, user_id, state)
    return True


async def show_unseen_verdict(
    context: BotContext, chat_id: int, user_id: int, state: CheckState
) -> None:
    """A verdict that was stored but never reached the user (a crash in between): show it
    now, with its reminder button, instead of starting over."""
    services = context.services
    latest = await services.db.list_assessments(user_id, limit=1)
    assessment_id = latest[0].id if latest and latest[0].check_id == state.check_id else None
    screen = verdict_screen(machine.assessment(state), assessment_id, services.today())
    await send_html(context.bot, chat_id, screen.text, screen.markup)
    await _shown(services, user_id, state)


async def on_text(
    context: BotContext, chat_id: int, user_id: int, state: CheckState, text: str
) -> None:
    """A typed answer to the open question or on the review screen.

    An answer is only taken for a question the user has seen: if the bot stopped after
    storing the previous answer but before showing this question, the previous answer typed
    again must not become this question's answer, so the question is shown instead.
    """
    warning = context.services.advisor.check_interruption(state, text)
    if warning is not None:  # the warning first, the question again, nothing recorded (#9)
        await send_html(context.bot, chat_id, render_lead_html(warning))
        await send_current(context, chat_id, user_id, note=texts.CHECK_STILL_OPEN)
        return
    if not SHOWN.has(user_id, state) and machine.is_retyped_answer(state, text):
        screen = screen_for(state, note=texts.ANSWER_ALREADY_SAVED)
        await send_html(context.bot, chat_id, screen.text, screen.markup)
        await _shown(context.services, user_id, state)
        return
    step = step_text(state, text)
    assessment_id = await _store(context.services, user_id, step) if step.changed else None
    screen = _render(step, assessment_id, context.services.today())
    await send_html(context.bot, chat_id, screen.text, screen.markup)
    if step.changed:
        await _shown(context.services, user_id, step.state)


async def on_press(update: Update, context: BotContext, press: Callback) -> None:
    """A check button: load, decide, store, then answer the tap and update the screen."""
    query = update.callback_query
    assert query is not None
    services, user_id = context.services, query.from_user.id
    if press.op is Op.CHECK:
        await toast(query)
        await start_or_resume(context, _chat_id(query), user_id)
        return
    if press.op is Op.REMIND:
        await set_reminder(query, context, int(press.args[0]))
        return
    if press.op is Op.DETAILS:
        await show_details(query, context, int(press.args[0]))
        return
    state = await load_state(services, user_id)
    if state is not None and state.stage == "done" and not await services.db.check_shown(user_id):
        await toast(query)
        await show_unseen_verdict(context, _chat_id(query), user_id, state)
        return
    step = step_press(state, press)
    if step.expired:
        await expired(query, context)
        return
    assessment_id = await _store(services, user_id, step) if step.changed else None
    await toast(query, step.toast)
    if step.changed:
        screen = _render(step, assessment_id, services.today())
        await show(query, screen.text, screen.markup)
        await _shown(services, user_id, step.state)


async def expired(query: CallbackQuery, context: BotContext) -> None:
    """Stale or forged data: say so briefly and give a working menu (the check if one is
    open, else the main menu) without touching anything stored."""
    await toast(query, texts.EXPIRED)
    if query.message is None or query.message.chat.type != ChatType.PRIVATE:
        return  # in a group a toast is enough: no unprompted menus there
    chat_id = _chat_id(query)
    if not await send_current(context, chat_id, query.from_user.id, note=texts.EXPIRED_FRESH):
        await send_html(
            context.bot,
            chat_id,
            f"{texts.EXPIRED_FRESH}\n{texts.MENU_PROMPT}",
            keyboards.main_menu(),
        )


async def set_reminder(query: CallbackQuery, context: BotContext, assessment_id: int) -> None:
    """Store a reminder for the current assessment of one of the user's checks (once), due
    on its `remind_on`. The text is not stored: it is written when the reminder is sent."""
    services, user_id = context.services, query.from_user.id
    stored = await services.db.get_assessment(user_id, assessment_id)
    today = services.today()
    a = _parse(stored.assessment_json) if stored is not None and not stored.superseded else None
    day = None if a is None else reminder_offer(a, today)
    if a is None or day is None:
        await expired(query, context)
        return
    pending = await services.db.pending_reminders(user_id)
    if any(r.assessment_id == assessment_id for r in pending):
        await toast(query, texts.REMINDER_EXISTS)
        return
    due = reminder_due(day, services.now())
    await services.db.add_reminder(
        user_id, _chat_id(query), due_at=due, text=REMINDER_CODE, assessment_id=assessment_id
    )
    await toast(query, "⏰ Reminder set")
    await _drop_reminder_button(query)
    what = texts.REMINDER_SET_TOO_EARLY if a.verdict.value == "too_early" else texts.REMINDER_SET
    deadline = format_date(a.deadline) if a.deadline is not None else "the end of the window"
    await send_html(
        context.bot,
        _chat_id(query),
        what.format(due=html.escape(format_date(due.date())), deadline=html.escape(deadline)),
    )


REMINDER_CODE = "assessment"
"""What the reminders table's `text` holds for reminders of this module: a code, never the
message itself, which `reminder_text` renders from the current assessment when it is sent."""


class AssessmentSource(Protocol):
    """What rendering a reminder needs from the store."""

    async def current_assessment(
        self, user_id: int, assessment_id: int
    ) -> StoredAssessment | None: ...


async def reminder_text(
    db: AssessmentSource, reminder: Reminder, today: dt.date, lang: str = "en"
) -> str:
    """The reminder as it should read today, in the user's language, from the current
    assessment of its check (a correction may have changed the dates); no words are stored."""
    stored = None
    if reminder.assessment_id is not None:
        stored = await db.current_assessment(reminder.user_id, reminder.assessment_id)
    a = None if stored is None else _parse(stored.assessment_json)
    return html.escape(render(reminder_for(a, today), lang))


async def show_details(query: CallbackQuery, context: BotContext, assessment_id: int) -> None:
    """The rest of the verdict card, as a new message under it."""
    stored = await context.services.db.get_assessment(query.from_user.id, assessment_id)
    a = None if stored is None else _parse(stored.assessment_json)
    if a is None:
        await expired(query, context)
        return
    await toast(query)
    await send_html(context.bot, _chat_id(query), details_screen(a))


def _parse(assessment_json: str) -> Assessment | None:
    try:
        return Assessment.model_validate_json(assessment_json)
    except ValueError:  # an assessment stored by version 1 of the contract
        return None


async def _drop_reminder_button(query: CallbackQuery) -> None:
    """Keep the verdict's other buttons; the reminder one has done its job."""
    message = query.message
    markup = getattr(message, "reply_markup", None)
    if not isinstance(markup, InlineKeyboardMarkup):
        return
    rows = [[b for b in row if not _is_reminder(b)] for row in markup.inline_keyboard]
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup([r for r in rows if r]))
    except TelegramError as exc:  # cosmetic only: the reminder is stored either way
        _LOG.debug("could not drop the reminder button: %s", exc)


def _is_reminder(button: InlineKeyboardButton) -> bool:
    press = decode(button.callback_data)
    return press is not None and press.op is Op.REMIND


def _chat_id(query: CallbackQuery) -> int:
    return query.message.chat.id if query.message is not None else query.from_user.id
