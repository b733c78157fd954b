"""The handlers' decisions without HTTP: pure functions and small components."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import Chat, Message, MessageEntity, Update, User

from bot.answering import Advisor
from bot.claims.assess import assess
from bot.claims.facts import Facts
from bot.dialogue import machine
from bot.dialogue.machine import CheckState
from bot.dialogue.questions import DONT_KNOW
from bot.i18n import render
from bot.kb.render import render_html, render_lead_html
from bot.telegram import check_flow, keyboards, texts
from bot.telegram.callbacks import Callback, Op, decode
from bot.telegram.check_flow import reminder_due, step_press, step_text
from bot.telegram.flood import FloodGate, FloodVerdict
from bot.telegram.gate import should_ignore
from bot.telegram.groups import addressed_question
from bot.telegram.inline import inline_topics
from bot.telegram.replies import (
    full_in_group,
    glossary_message,
    group_reply,
    input_problem,
    more_message,
    private_reply,
    terms_message,
)
from bot.telegram.sending import MAX_CHARS, split_html
from bot.telegram.throttle import ChatRateLimiter, PerChatUpdateProcessor, ordering_key
from tests.emulator.validation import parse_html
from tests.telegram.harness import AMBIGUOUS, COOKING, OFF_PLATFORM_AND_DEADLINE, SIDE_QUESTION

TODAY = dt.date(2026, 3, 10)
BOT_ID, BOT_NAME = 7000000001, "ta_advisor_test_bot"


def _valid_html(text: str) -> str:
    """What Telegram would show; raises like Telegram on bad HTML or an overlong text."""
    visible, _ = parse_html(text)
    assert 0 < len(visible) <= MAX_CHARS
    return visible


# --------------------------------------------------------------------------- input checks


@pytest.mark.parametrize(
    ("text", "in_check", "expected"),
    [
        ("what is covered?", False, None),
        (
            "x" * 4097,
            False,
            f"That message is too long (4097 characters). Please keep it under {MAX_CHARS} "
            "characters.",
        ),
        ("", False, render(texts.EMPTY)),
        (" \n\t", True, render(texts.EMPTY_IN_CHECK)),
        ("😀🎉", False, render(texts.NO_WORDS)),
        ("?!", False, render(texts.NO_WORDS)),
        ("?", True, None),  # "I don't know" inside a check
        ("3000", True, None),
        ("٣٠٠٠", True, None),  # Arabic-Indic digits are words too
    ],
)
def test_input_problem(text: str, in_check: bool, expected: str | None) -> None:
    assert input_problem(text, in_check=in_check) == expected


# --------------------------------------------------------------------------- replies


def test_private_reply_puts_warning_and_first_screen_in_one_message(advisor: Advisor) -> None:
    reply, (out,) = private_reply(advisor, OFF_PLATFORM_AND_DEADLINE)
    assert reply.warning is not None and reply.topic is not None
    assert out.text.startswith(f"<b>⚠️ {reply.warning.title}</b>")
    assert f"<b>{reply.topic.title}</b>" in out.text
    visible = _valid_html(out.text)
    assert len(visible) < 1300  # warning and first screen together, not 4,500
    assert reply.topic.answer.strip()[:80] not in out.text  # the full answer waits behind More
    assert out.markup is not None
    first = out.markup.inline_keyboard[0][0]
    assert first.text == render(keyboards.MORE_LABEL)
    assert decode(first.callback_data) == Callback(Op.MORE, (reply.topic.id, "1"))


def test_more_expands_to_the_full_answer_keeping_the_warning(advisor: Advisor) -> None:
    out = more_message(advisor, "claim-window", with_warning=True)
    assert out is not None and out.markup is not None
    assert out.text.startswith("<b>⚠️ ")
    full = _valid_html(out.text)
    assert "Sources:" in full and "China Sourcing Agent" in full and ".txt" not in full
    labels = [b.text for row in out.markup.inline_keyboard for b in row]
    assert render(keyboards.MORE_LABEL) not in labels and "👍 Helpful" in labels
    assert more_message(advisor, "no-such-topic", with_warning=False) is None


def test_every_answer_names_sources_by_publisher_never_by_file(advisor: Advisor) -> None:
    for topic in advisor.kb.topics.values():
        for text in (render_html(topic), render_lead_html(topic)):
            visible = _valid_html(text)
            assert not re.search(r"\d{3}_[0-9a-f]{16}", visible), topic.id
            assert "Sources:" in visible


def test_terms_and_glossary_messages(advisor: Advisor) -> None:
    terms = terms_message(advisor, "shipping-and-logistics")
    assert terms is not None and "FOB (Free On Board)" in _valid_html(terms.text)
    assert terms_message(advisor, "no-such-topic") is None
    one = glossary_message(advisor, "fob")
    assert one.text.startswith("<b>FOB (Free On Board)</b>") and one.markup is None
    listing = glossary_message(advisor, "")
    assert listing.text == render(texts.GLOSSARY_TITLE) and listing.markup is not None
    unknown = glossary_message(advisor, "<zzz>")
    assert "&lt;zzz&gt;" in unknown.text and unknown.markup is not None
    _, (what,) = private_reply(advisor, "what does EXW mean")
    assert "Ex Works" in what.text


def test_private_reply_suggest_none_and_small_talk(advisor: Advisor) -> None:
    _, (suggest,) = private_reply(advisor, AMBIGUOUS)
    assert suggest.text == render(texts.DID_YOU_MEAN)
    _, (none,) = private_reply(advisor, COOKING)
    assert none.text == render(texts.NO_ANSWER)
    _, (hello,) = private_reply(advisor, "hello!")
    assert hello.text == render(texts.SMALL_TALK)


def test_group_reply_is_first_screen_or_silent(advisor: Advisor) -> None:
    reply, out = group_reply(advisor, COOKING, owner=5, bot_username=BOT_NAME)
    assert out is None  # never "I don't understand" in a group
    _, out = group_reply(advisor, "hello", owner=5, bot_username=BOT_NAME)
    assert out is None
    reply, out = group_reply(advisor, OFF_PLATFORM_AND_DEADLINE, owner=5, bot_username=BOT_NAME)
    assert out is not None and reply.topic is not None
    assert out.text.startswith("<b>⚠️ ") and len(out.text) < len(render_html(reply.topic))
    _valid_html(out.text)


def test_group_full_answer_keeps_the_warning_it_opened_with(advisor: Advisor) -> None:
    reply, out = group_reply(advisor, OFF_PLATFORM_AND_DEADLINE, owner=5, bot_username=BOT_NAME)
    assert out is not None and reply.topic is not None
    shown = _valid_html(out.text)
    full = full_in_group(advisor, reply.topic.id, BOT_NAME, shown=shown)
    assert full is not None and full.text.startswith("<b>⚠️ ")
    assert "Sources:" in _valid_html(full.text)
    plain = full_in_group(advisor, reply.topic.id, BOT_NAME, shown="Deadlines…")
    assert plain is not None and not plain.text.startswith("<b>⚠️ ")


def test_every_topic_renders_as_valid_html(advisor: Advisor) -> None:
    for topic in advisor.kb.topics.values():
        _valid_html(render_html(topic))


def test_inline_topics(advisor: Advisor) -> None:
    assert next(t.id for t in inline_topics(advisor, "")) == "off-platform-payment"
    assert inline_topics(advisor, COOKING) == []
    found = inline_topics(advisor, OFF_PLATFORM_AND_DEADLINE)
    assert [t.id for t in found][:2] == ["off-platform-payment", "claim-window"]
    assert len({t.id for t in found}) == len(found) <= 5
    assert inline_topics(advisor, "x" * 10_000) is not None  # long queries are cut, not refused


# --------------------------------------------------------------------------- the check


def _state() -> CheckState:
    """A check at the payment question (the problem, asked first, was "shipped late")."""
    state = machine.press(machine.start(TODAY), "problem", "late_shipment")
    assert isinstance(state, CheckState)
    return state


def test_press_applies_only_to_the_open_question() -> None:
    state = _state()
    step = step_press(state, Callback(Op.ANSWER, ("paid_via", "alibaba_order")))
    assert step.changed and step.state is not None
    assert step.state.current == "trade_assurance_order"
    stale = step_press(step.state, Callback(Op.ANSWER, ("paid_via", "western_union")))
    assert stale.expired and not stale.changed
    wrong_back = step_press(step.state, Callback(Op.BACK, ("paid_via",)))
    assert wrong_back.expired
    back = step_press(step.state, Callback(Op.BACK, ("trade_assurance_order",)))
    assert back.state is not None and back.state.current == "paid_via"
    assert step_press(None, Callback(Op.CONFIRM)).expired


def test_dont_know_button_adds_a_note() -> None:
    step = step_press(_state(), Callback(Op.ANSWER, ("paid_via", DONT_KNOW)))
    assert render(step.note).startswith("OK, I'll note that you don't know yet.")


def test_first_question_back_is_a_toast() -> None:
    step = step_press(machine.start(TODAY), Callback(Op.BACK, ("problem",)))
    assert render(step.toast) == render(texts.FIRST_QUESTION) and not step.changed


def test_cancel_and_confirm() -> None:
    cancelled = step_press(_state(), Callback(Op.CANCEL))
    assert cancelled.state is None and cancelled.changed
    review = step_press(_state(), Callback(Op.ANSWER, ("paid_via", "western_union"))).state
    assert review is not None and review.stage == "review"
    early = step_press(_state(), Callback(Op.CONFIRM))
    assert early.expired
    done = step_press(review, Callback(Op.CONFIRM))
    assert done.assessment is not None and done.state is not None
    assert done.state.stage == "done"
    again = step_press(done.state, Callback(Op.CONFIRM))
    assert not again.changed and again.assessment is None  # a double tap stores nothing


def test_typed_answers() -> None:
    state = _state()
    bad = step_text(state, "by pigeon")
    assert not bad.changed and render(bad.note) in (
        render(texts.TAP_AN_OPTION),
        render(texts.CHOOSE_ONE_OF),
    )
    wire = step_text(state, "wire")
    assert render(wire.note) == render(texts.CHOOSE_ONE_OF) and len(wire.only) == 2
    unknown = step_text(state, "idk")
    assert unknown.changed and render(unknown.note).startswith("OK, I'll note")
    review = step_text(state, "western union").state
    assert review is not None and review.stage == "review"
    assert step_text(review, "ok").assessment is not None
    edit = step_text(review, "2").state
    assert edit is not None and edit.current == "paid_via"
    use_options = "Please use the options below."
    assert render(step_text(review, "what now?").note) == use_options
    assert render(step_text(review, "²").note) == use_options  # isdigit, not int
    assert render(step_text(review, "99").note) == use_options


def test_side_question(advisor: Advisor) -> None:
    state = _state()
    assert check_flow.is_side_question(state, SIDE_QUESTION, advisor)
    assert not check_flow.is_side_question(state, "western union?", advisor)  # an answer
    # A plan ("wants me to pay by Western Union") is not an answer to "how did you pay?":
    # the question in it is answered and nothing is recorded.
    assert check_flow.is_side_question(state, OFF_PLATFORM_AND_DEADLINE, advisor)
    assert not step_text(state, OFF_PLATFORM_AND_DEADLINE).changed
    assert not check_flow.is_side_question(state, "how do I cook rice?", advisor)  # no answer
    assert not check_flow.is_side_question(state, "deadline", advisor)  # not a question


def test_every_check_screen_is_valid_html() -> None:
    """Walk many paths through the check and render every screen the way Telegram parses it."""
    seen = 0
    state = _state()
    frontier = [state]
    visited: set[str] = set()
    while frontier and seen < 400:
        state = frontier.pop()
        key = state.to_json()
        if key in visited:
            continue
        visited.add(key)
        screen = check_flow.screen_for(state, "en")
        _valid_html(screen.text)
        assert screen.markup is not None
        seen += 1
        prompt = machine.current_question(state)
        if state.stage == "review":
            _done, verdict = machine.confirm(state)
            _valid_html(check_flow.verdict_screen(verdict, 1, TODAY).text)
            continue
        assert prompt is not None
        values = [o.value for o in prompt.options][:4] or ["2026-03-01", "3000"]
        for value in values:
            nxt = machine.press(state, prompt.fact, value)
            if isinstance(nxt, CheckState):
                frontier.append(nxt)
            typed = machine.answer(state, value)
            if isinstance(typed, CheckState):
                frontier.append(typed)
        unknown = machine.answer_unknown(state)
        if isinstance(unknown, CheckState):
            frontier.append(unknown)
    assert seen > 30


def test_reminder_offer_follows_remind_on() -> None:
    facts = Facts.model_validate(
        {
            "as_of": TODAY,
            "trade_assurance_order": True,
            "paid_via": "alibaba_order",
            "problem": "late_shipment",
            "receipt_confirmed": False,
            "agreed_date": dt.date(2026, 2, 20),
            "delivery_date": dt.date(2026, 3, 1),
            "amount_paid": 3000.0,
            "coverage_limit": 10000.0,
        }
    )
    result = assess(facts)
    assert result.remind_on == dt.date(2026, 3, 24)  # a week before 31 March
    assert check_flow.reminder_offer(result, TODAY) == dt.date(2026, 3, 24)
    assert check_flow.reminder_offer(result, dt.date(2026, 3, 24)) is None
    early = assess(
        facts.with_answer("agreed_date", dt.date(2026, 3, 20))
        .without("delivery_date")
        .with_answer("delivery_date", None)
    )
    assert check_flow.reminder_offer(early, TODAY) == dt.date(2026, 3, 21)
    now = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
    assert reminder_due(dt.date(2026, 3, 24), now) == dt.datetime(2026, 3, 24, 9, tzinfo=dt.UTC)
    assert reminder_due(dt.date(2026, 3, 10), now) == now + dt.timedelta(hours=1)


# --------------------------------------------------------------------------- telegram updates


def _message(text: str, *, sender: User | None = None, **kw: Any) -> Message:
    chat = kw.pop("chat", Chat(-100, Chat.SUPERGROUP))
    return Message(1, dt.datetime.now(dt.UTC), chat, from_user=sender, text=text, **kw)


ALICE = User(5, "Alice", False)
BOT = User(BOT_ID, "TA", True, username=BOT_NAME)


def test_should_ignore() -> None:
    assert not should_ignore(Update(1, message=_message("hi", sender=ALICE)), BOT_ID)
    assert should_ignore(Update(1, edited_message=_message("hi", sender=ALICE)), BOT_ID)
    assert should_ignore(Update(1, channel_post=_message("hi")), BOT_ID)
    other_bot = User(9, "Helper", True)
    assert should_ignore(Update(1, message=_message("hi", sender=other_bot)), BOT_ID)
    via_us = _message("⚠️ Paying outside", sender=ALICE, via_bot=BOT)
    assert should_ignore(Update(1, message=via_us), BOT_ID)
    group = Chat(-100, Chat.SUPERGROUP)
    anonymous = _message("/settings", sender=User(1087968824, "Group", True), sender_chat=group)
    assert not should_ignore(Update(1, message=anonymous), BOT_ID)


def test_addressed_question() -> None:
    text = f"hey @{BOT_NAME.upper()} can I pay by PayPal?"
    mention = MessageEntity(MessageEntity.MENTION, 4, len(BOT_NAME) + 1)
    msg = _message(text, sender=ALICE, entities=[mention])
    assert addressed_question(msg, BOT_ID, BOT_NAME) == "hey can I pay by PayPal?"
    other = MessageEntity(MessageEntity.MENTION, 0, 6)
    assert (
        addressed_question(_message("@other hi", sender=ALICE, entities=[other]), BOT_ID, BOT_NAME)
        is None
    )
    ours = _message("thanks", sender=BOT)
    reply = _message("what about deposits?", sender=ALICE, reply_to_message=ours)
    assert addressed_question(reply, BOT_ID, BOT_NAME) == "what about deposits?"
    assert addressed_question(_message("plain", sender=ALICE), BOT_ID, BOT_NAME) is None


# --------------------------------------------------------------------------- plumbing


@pytest.mark.parametrize(
    ("seconds", "phrase"),
    [(3600, "hour"), (7200, "2 hours"), (5400, "1.5 hours"), (1800, "30 minutes"), (0, "minute")],
)
def test_cooldown_phrase(seconds: int, phrase: str) -> None:
    assert render(texts.cooldown(seconds)) == phrase


def test_flood_gate_warns_once_then_drops_until_calm() -> None:
    gate = FloodGate(limit=3, window_s=10)
    verdicts = [gate.check(1, t) for t in (0, 1, 2, 3, 4, 5)]
    assert verdicts == [FloodVerdict.ALLOW] * 3 + [
        FloodVerdict.WARN,
        FloodVerdict.DROP,
        FloodVerdict.DROP,
    ]
    assert gate.check(2, 5) is FloodVerdict.ALLOW  # other chats are separate
    assert gate.check(1, 30) is FloodVerdict.ALLOW  # calm again after a quiet window


@given(st.text(alphabet=st.sampled_from("ab <>&\n;é😀"), max_size=9000))
def test_split_html_parts_fit(text: str) -> None:
    for part in split_html(text):
        assert 0 < len(part) <= MAX_CHARS


def test_split_html_keeps_markup_whole() -> None:
    paragraph = "<b>Title</b> " + "word &amp; more " * 40
    text = "\n\n".join([paragraph] * 30)
    parts = split_html(text)
    assert len(parts) > 1
    for part in parts:
        _valid_html(part)


async def test_updates_of_one_chat_run_in_order_others_concurrently() -> None:
    processor = PerChatUpdateProcessor(16)
    log: list[str] = []

    async def work(name: str, delay: float) -> None:
        log.append(f"start {name}")
        await asyncio.sleep(delay)
        log.append(f"end {name}")

    def update(chat_id: int) -> Update:
        return Update(1, message=_message("x", sender=ALICE, chat=Chat(chat_id, Chat.PRIVATE)))

    a1, a2, b1 = update(1), update(1), update(2)
    assert ordering_key(a1) == 1
    await asyncio.gather(
        processor.process_update(a1, work("a1", 0.05)),
        processor.process_update(a2, work("a2", 0)),
        processor.process_update(b1, work("b1", 0)),
    )
    assert log.index("end a1") < log.index("start a2")  # same chat: in order
    assert log.index("end b1") < log.index("end a1")  # another chat did not wait


async def test_private_chat_pace() -> None:
    limiter = ChatRateLimiter(burst=2, period_s=0.2, max_retries=0)
    await limiter.initialize()
    calls: list[float] = []

    async def call(*_: Any, **__: Any) -> bool:
        calls.append(time.monotonic())
        return True

    start = time.monotonic()
    for _ in range(4):
        await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": 42}, None)
    assert calls[1] - start < 0.05  # the burst goes out at once
    assert calls[3] - start >= 0.1  # then the pace applies
    await limiter.process_request(call, (), {}, "getMe", {}, None)  # unpaced
    await limiter.shutdown()


def test_close_match_answers_and_offers_the_alternatives() -> None:
    from bot.kb import load_knowledge
    from bot.matching.matcher import Match
    from bot.telegram.replies import group_reply, private_reply
    from tests.telegram.harness import ScriptedMatcher

    text = "suppliers and limits"
    close = Match(
        "suggest",
        "supplier-eligibility",
        0.35,
        (("supplier-eligibility", 0.35), ("coverage-limit", 0.33)),
    )
    kb = load_knowledge()
    scripted = Advisor(kb, ScriptedMatcher(kb, {text: close}))
    reply, out = private_reply(scripted, text)
    assert reply.topic is not None and reply.topic.id == "supplier-eligibility"
    assert out[0].markup is not None
    labels = [b.text for row in out[0].markup.inline_keyboard for b in row]
    assert "🔎 Or did you mean: Coverage amount per supplier" in labels
    _, group_out = group_reply(scripted, text, owner=5, bot_username="x_bot")
    assert group_out is not None and group_out.markup is not None
    group_labels = [b.text for row in group_out.markup.inline_keyboard for b in row]
    assert group_labels[0] == "🔎 Or: Coverage amount per supplier"
