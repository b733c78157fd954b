"""The guided check in a private chat: Telegram transport and layout around the core's steps.

Durability is the point of this module's shape: the check state is loaded from the database at
the start of every update and saved before anything is sent, so a restart (even `kill -9`)
between two taps loses nothing, and the old message's buttons keep working. Button data only
names the question it was shown for; the core (`bot.conversation.check`) refuses a choice meant
for another question, which we turn into "this menu has expired" and a fresh screen.

Every decision is the conversation core's; this module loads, stores, lays out and sends.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections import OrderedDict
from typing import Protocol

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.answering import Advisor
from bot.claims.assessment import Assessment
from bot.claims.card import render_details_html, render_summary_html
from bot.claims.reminder import reminder_for
from bot.conversation import (
    ChatState,
    Command,
    Kind,
    Line,
    Message,
    Session,
    TopicBlock,
    Turn,
    VerdictBlock,
)
from bot.conversation import check as core
from bot.conversation.check import Step, is_active, reminder_offer, step_text
from bot.dialogue import machine
from bot.dialogue.machine import CheckState, StateError
from bot.dialogue.parsers import format_date
from bot.i18n import DEFAULT_LANG, Text, render, render_html
from bot.kb.render import render_lead_html
from bot.storage.records import Reminder, StoredAssessment
from bot.telegram import keyboards, layout, texts
from bot.telegram.callbacks import Callback, Op, decode, to_choice
from bot.telegram.context import BotContext, Services
from bot.telegram.layout import Screen
from bot.telegram.sending import send_html, show, toast

_LOG = logging.getLogger(__name__)

__all__ = [
    "Screen",
    "Step",
    "is_active",
    "reminder_offer",
    "step_text",
]

REMINDER_HOUR_UTC = 9
"""Reminders go out in the (UTC) morning, not at the minute the button was pressed."""

# --------------------------------------------------------------------------- screens


def screen_for(
    state: CheckState,
    lang: str = DEFAULT_LANG,
    *,
    note: Text | str = "",
    only: tuple[str, ...] = (),
) -> Screen:
    """The screen of an active check (question or review)."""
    return layout.screen(core.screen(state, note=note, only=only), lang)


def verdict_screen(
    a: Assessment, assessment_id: int | None, today: dt.date, lang: str = DEFAULT_LANG
) -> Screen:
    """The phone's first screen: verdict, deadline, amounts and next step, with the reminder
    button when there is a day to remind on; the rest is behind "Details"."""
    day = reminder_offer(a, today)
    reminder = None
    if day is not None and assessment_id is not None:
        reminder = (assessment_id, format_date(day))
    return Screen(
        f"{render_summary_html(a, lang)}\n\n{render_html(texts.AFTER_VERDICT, lang)}",
        keyboards.verdict_keyboard(reminder, details=assessment_id, lang=lang),
    )


def details_screen(a: Assessment, lang: str = DEFAULT_LANG) -> str:
    """Why, the evidence to gather and every step (the card's second part)."""
    return render_details_html(a, lang)


def reminder_due(remind_on: dt.date, now: dt.datetime) -> dt.datetime:
    """The morning (UTC) of `remind_on`; if that has passed already, in an hour."""
    due = dt.datetime.combine(remind_on, dt.time(REMINDER_HOUR_UTC), tzinfo=dt.UTC)
    return due if due > now else now + dt.timedelta(hours=1)


# --------------------------------------------------------------------------- decisions


def step_press(state: CheckState | None, press: Callback) -> Step:
    """Apply one check button to the stored state (the core's step for its choice)."""
    choice = to_choice(press)
    if choice is None:
        return Step(state, changed=False, expired=True)
    return core.step_choice(state, choice)


def is_side_question(state: CheckState, text: str, advisor: Advisor) -> bool:
    """A question asked in the middle of a check, answered rather than refused (the core's)."""
    return core.is_side_question(state, text, advisor)


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


def _render(step: Step, assessment_id: int | None, today: dt.date, lang: str) -> Screen:
    """The screen after a step that was applied."""
    if step.state is None:
        return Screen(
            render_html(texts.CHECK_CANCELLED, lang), keyboards.start_check_keyboard(lang)
        )
    if step.assessment is not None:
        return verdict_screen(step.assessment, assessment_id, today, lang)
    return screen_for(step.state, lang, note=step.note, only=step.only)


def session(services: Services, lang: str) -> Session:
    """The conversation core for this bot's knowledge base and clock, for one reader."""
    return Session(services.advisor, services.today, lang=lang)


# --------------------------------------------------------------------------- handlers


async def start_or_resume(context: BotContext, chat_id: int, user_id: int) -> None:
    """/check, the deep link and "Check my order": resume an active check, else start one."""
    services = context.services
    state = await load_state(services, user_id)
    if state is not None and state.stage == "done" and not await services.db.check_shown(user_id):
        await show_unseen_verdict(context, chat_id, user_id, state)
        return
    active = state if is_active(state) else None
    turn = session(services, context.lang).command(Command.CHECK, ChatState(check=active))
    started = turn.state.check
    if started is not None and active is None:
        await services.db.save_check(user_id, started.to_json())
        await services.db.log_check_event(user_id, "started")
    await deliver(context, chat_id, user_id, active, turn)


async def cancel_command(update: Update, context: BotContext) -> None:
    """/cancel: forget the check in progress (confirmed by the reply)."""
    if update.effective_user is None or update.effective_chat is None:
        return
    services, user_id = context.services, update.effective_user.id
    state = await load_state(services, user_id)
    active = state if is_active(state) else None
    turn = session(services, context.lang).command(Command.CANCEL, ChatState(check=active))
    if active is not None:
        await _store(services, user_id, Step(None))
    await deliver(context, update.effective_chat.id, user_id, active, turn)


async def send_current(
    context: BotContext, chat_id: int, user_id: int, note: Text | str = ""
) -> bool:
    """Re-show the open check screen after an input we could not use; False if no check."""
    state = await load_state(context.services, user_id)
    if not is_active(state):
        return False
    assert state is not None
    screen = screen_for(state, context.lang, note=note)
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
    screen = verdict_screen(
        machine.assessment(state), assessment_id, services.today(), context.lang
    )
    await send_html(context.bot, chat_id, screen.text, screen.markup)
    await _shown(services, user_id, state)


ANSWER_KINDS = frozenset(
    {Kind.ANSWER, Kind.SUGGESTIONS, Kind.NO_ANSWER, Kind.SMALL_TALK, Kind.MENU}
)
"""Messages that answer a question; Telegram lays them out as one answer with its buttons."""


class Answerer(Protocol):
    """Sends the Telegram layout of the answer to the typed question (and logs it)."""

    async def __call__(self) -> None: ...


async def deliver(
    context: BotContext,
    chat_id: int,
    user_id: int,
    before: CheckState | None,
    turn: Turn,
    answer: Answerer | None = None,
    typed: str = "",
) -> None:
    """Store what a turn changed in the check, then show its messages.

    An answer is only taken for a question the user has seen: if the bot stopped after storing
    the previous answer but before showing this question, the previous answer typed again must
    not become this question's answer, so the question is shown instead.
    """
    services = context.services
    after = turn.state.check
    changed = turn.assessment is not None or (after != before and after is not None)
    has_answer = any(m.kind in ANSWER_KINDS for m in turn.messages)
    read_as_answer = not has_answer and all(m.kind is not Kind.WARNING for m in turn.messages)
    unseen = before is not None and typed and not SHOWN.has(user_id, before)
    retyped = before is not None and machine.is_retyped_answer(before, typed, context.lang)
    if read_as_answer and unseen and before is not None and retyped:
        screen = screen_for(before, context.lang, note=core.ANSWER_ALREADY_SAVED)
        await send_html(context.bot, chat_id, screen.text, screen.markup)
        await _shown(services, user_id, before)
        return
    assessment_id = None
    if changed and after is not None:
        assessment_id = await _store(services, user_id, Step(after, assessment=turn.assessment))
    note: Text | str = ""
    answered = False
    for message in turn.messages:
        if message.kind is Kind.NOTE and not message.options:
            first = message.blocks[0] if message.blocks else None
            note = first.text if isinstance(first, Line) else ""
            continue
        if note and message.kind not in (Kind.QUESTION, Kind.REVIEW):
            await send_html(context.bot, chat_id, html.escape(render(note, context.lang)))
            note = ""
        if message.kind in (Kind.QUESTION, Kind.REVIEW):
            screen = layout.screen(message, context.lang, note=note)
            await send_html(context.bot, chat_id, screen.text, screen.markup)
            await _shown(services, user_id, after if after is not None else before)
            note = ""
        elif message.kind is Kind.VERDICT:
            block = message.blocks[0]
            assert isinstance(block, VerdictBlock)
            screen = verdict_screen(block.assessment, assessment_id, services.today(), context.lang)
            await send_html(context.bot, chat_id, screen.text, screen.markup)
            await _shown(services, user_id, after)
        elif message.kind in ANSWER_KINDS or (message.kind is Kind.WARNING and has_answer):
            if answer is not None and not answered:
                await answer()
            answered = True
        elif message.kind is Kind.WARNING:
            await send_html(
                context.bot, chat_id, _warning_html(services.advisor, message, context.lang)
            )
        else:
            shown = layout.screen(message, context.lang)
            await send_html(context.bot, chat_id, shown.text, shown.markup)
    if note:
        await send_html(context.bot, chat_id, html.escape(render(note, context.lang)))


def _warning_html(advisor: Advisor, message: Message, lang: str) -> str:
    """The payment warning's first screen, shown on its own above the open question."""
    block = message.blocks[0]
    assert isinstance(block, TopicBlock)
    kb = advisor.kb.localized(lang)
    topic = kb.get(block.topic_id)
    return render_lead_html(topic, kb.seeds, lang) if topic is not None else ""


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
    await toast(query, render(step.toast, context.lang))
    if step.changed:
        screen = _render(step, assessment_id, services.today(), context.lang)
        await show(query, screen.text, screen.markup)
        await _shown(services, user_id, step.state)


async def expired(query: CallbackQuery, context: BotContext) -> None:
    """Stale or forged data: say so briefly and give a working menu (the check if one is
    open, else the main menu) without touching anything stored."""
    await toast(query, render(texts.EXPIRED, context.lang))
    if query.message is None or query.message.chat.type != ChatType.PRIVATE:
        return  # in a group a toast is enough: no unprompted menus there
    chat_id = _chat_id(query)
    if not await send_current(context, chat_id, query.from_user.id, note=texts.EXPIRED_FRESH):
        await send_html(
            context.bot,
            chat_id,
            render_html(texts.EXPIRED_FRESH, context.lang)
            + "\n"
            + render_html(texts.MENU_PROMPT, context.lang),
            keyboards.main_menu(context.lang),
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
        await toast(query, render(texts.REMINDER_EXISTS, context.lang))
        return
    due = reminder_due(day, services.now())
    await services.db.add_reminder(
        user_id, _chat_id(query), due_at=due, text=REMINDER_CODE, assessment_id=assessment_id
    )
    await toast(query, render(texts.REMINDER_SET_TOAST, context.lang))
    await _drop_reminder_button(query)
    if a.verdict.value == "too_early":
        done = texts.reminder_set_too_early(due.date())
    else:
        done = texts.reminder_set(due.date(), a.deadline or texts.WINDOW_END)
    await send_html(context.bot, _chat_id(query), render_html(done, context.lang))


REMINDER_CODE = "assessment"
"""What the reminders table's `text` holds for reminders of this module: a code, never the
message itself, which `reminder_text` renders from the current assessment when it is sent."""


class AssessmentSource(Protocol):
    """What rendering a reminder needs from the store."""

    async def current_assessment(
        self, user_id: int, assessment_id: int
    ) -> StoredAssessment | None: ...


async def reminder_text(
    db: AssessmentSource, reminder: Reminder, today: dt.date, lang: str = DEFAULT_LANG
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
    await send_html(context.bot, _chat_id(query), details_screen(a, context.lang))


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
