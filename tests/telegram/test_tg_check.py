"""The guided check end to end: buttons, typed answers, Back, Cancel, review, restart, reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.dialogue.machine import CheckState
from bot.telegram import callbacks, texts
from bot.telegram.reminders import deliver_due
from tests.emulator import User
from tests.telegram.harness import SIDE_QUESTION, Harness, button, labels

Json = dict[str, Any]


async def _open_check(bot: Harness, user: User) -> Json:
    msg: Json = (await bot.say(user, "/check")).result
    assert msg["text"].startswith(texts.CHECK_INTRO)
    return msg


async def _answer_to_date(bot: Harness, user: User) -> Json:
    """Tap through the first four questions of a late-shipment case; return the date screen."""
    msg = await _open_check(bot, user)
    assert "Step 1 of about 8" in msg["text"]
    msg = await bot.press_and_edit(user, msg, button(msg, "Through the Alibaba order"))
    assert "Step 2 of about" in msg["text"] and labels(msg)[-2:] == ["◀️ Back", "✖️ Cancel"]
    msg = await bot.press_and_edit(user, msg, button(msg, "Yes"))
    msg = await bot.press_and_edit(user, msg, button(msg, "Shipped late"))
    msg = await bot.press_and_edit(user, msg, button(msg, "No"))
    assert "What delivery date does your order contract give?" in msg["text"]
    assert texts.TYPE_ANSWER in msg["text"]
    return msg


async def test_whole_check_to_an_eligible_verdict_with_reminder(bot: Harness) -> None:
    alice = bot.emu.create_user()
    await _answer_to_date(bot, alice)

    # Typed date and amount, each with a bad answer first: re-asked, state unchanged.
    stored = await bot.database.load_check(alice.id)
    bad = (await bot.say(alice, "31 Febtember")).result
    assert "What delivery date" in bad["text"] and "date" in bad["text"].split("\n")[0].lower()
    assert await bot.database.load_check(alice.id) == stored
    msg = (await bot.say(alice, "2026-03-01")).result
    assert "How much did you pay" in msg["text"]
    euros = (await bot.say(alice, "3000 EUR")).result
    assert euros["text"].startswith("That looks like 3,000 in euros")
    msg = (await bot.say(alice, "$3,000")).result
    assert "coverage amount" in msg["text"]
    msg = (await bot.say(alice, "50000")).result
    assert "Which of these do you have?" in msg["text"]

    # Evidence toggles in place, then Done leads to the review.
    msg = await bot.press_and_edit(alice, msg, button(msg, "The order contract"))
    assert "✔️ The order contract" in labels(msg)
    msg = await bot.press_and_edit(alice, msg, button(msg, "Tracking details"))
    review = await bot.press_and_edit(alice, msg, button(msg, "Done"))
    assert review["text"].startswith("Please check your answers:")
    assert "Expected delivery date: 1 March 2026" in review["text"]
    assert "Your evidence: The order contract, Tracking details" in review["text"]

    verdict = await bot.press_and_edit(alice, review, button(review, "See the result"))
    assert verdict["text"].startswith("⚠️ Eligible with risks") or verdict["text"].startswith(
        "✅ Eligible"
    )
    assert labels(verdict)[0] == "⏰ Remind me before 31 March 2026"
    (stored_assessment,) = await bot.database.list_assessments(alice.id)
    assert stored_assessment.deadline == dt.date(2026, 3, 31)

    # The reminder: stored with its due time, then sent by the job at that time.
    await bot.press(alice, verdict, button(verdict, "Remind me"))
    confirm = (await bot.sent(alice.id)).result
    assert confirm["text"].startswith("⏰ Done. I'll remind you on 28 March 2026")
    (reminder,) = await bot.database.pending_reminders(alice.id)
    assert reminder.due_at == dt.datetime(2026, 3, 28, 9, tzinfo=dt.UTC)
    await bot.emu.wait_for_request("editMessageReplyMarkup")
    shown = bot.emu.messages_to(alice.id)[-2]
    assert shown["message_id"] == verdict["message_id"]
    assert labels(shown) == ["✏️ Change an answer", "🔁 New check"]
    await _forged_press(bot, alice, verdict, button(verdict, "Remind me"))  # a double tap
    assert bot.emu.answered_callbacks[-1]["text"] == texts.REMINDER_EXISTS
    assert len(await bot.database.pending_reminders(alice.id)) == 1

    assert bot.app is not None
    assert (
        await deliver_due(bot.app.bot, bot.database, reminder.due_at - dt.timedelta(hours=1)) == 0
    )
    assert await deliver_due(bot.app.bot, bot.database, reminder.due_at) == 1
    sent = (await bot.sent(alice.id)).result
    assert sent["text"].startswith("⏰ Reminder: the Trade Assurance claim window")
    assert "31 March 2026" in sent["text"]
    assert await bot.database.pending_reminders(alice.id) == []


async def test_off_platform_payment_ends_the_check_at_once(bot: Harness) -> None:
    alice = bot.emu.create_user()
    msg = await _open_check(bot, alice)
    review = await bot.press_and_edit(alice, msg, button(msg, "Western Union"))
    assert review["text"].startswith("Please check your answers:\n  1. How you paid: Western Union")
    verdict = await bot.press_and_edit(alice, review, button(review, "See the result"))
    assert verdict["text"].startswith("❌ Not eligible")
    assert not any("Remind" in label for label in labels(verdict))
    state = CheckState.from_json(await bot.database.load_check(alice.id) or "")
    assert state.stage == "done"


async def test_back_and_cancel(bot: Harness) -> None:
    alice = bot.emu.create_user()
    msg = await _open_check(bot, alice)
    assert "◀️ Back" not in labels(msg)  # nothing to go back to yet
    msg = await bot.press_and_edit(alice, msg, button(msg, "Through the Alibaba order"))
    msg = await bot.press_and_edit(alice, msg, button(msg, "No"))  # not a TA order -> review
    assert msg["text"].startswith("Please check your answers:")
    msg = await bot.press_and_edit(alice, msg, button(msg, "Back"))
    assert "Did you place this order on Alibaba.com" in msg["text"]
    msg = await bot.press_and_edit(alice, msg, button(msg, "Back"))
    assert "How did you pay" in msg["text"]

    cancelled = await bot.press_and_edit(alice, msg, button(msg, "Cancel"))
    assert cancelled["text"] == texts.CHECK_CANCELLED
    assert await bot.database.load_check(alice.id) is None
    assert (await bot.say(alice, "/cancel")).result["text"] == texts.NO_CHECK_TO_CANCEL
    stats = await bot.database.stats()
    assert (stats.checks_started, stats.checks_cancelled) == (1, 1)


async def test_cancel_command_and_typed_i_dont_know(bot: Harness) -> None:
    alice = bot.emu.create_user()
    await _open_check(bot, alice)
    msg = (await bot.say(alice, "i don't know")).result
    assert msg["text"].startswith("OK, I'll note that you don't know yet. How to find out:")
    assert "Step 2 of about" in msg["text"]
    assert (await bot.say(alice, "/cancel")).result["text"] == texts.CHECK_CANCELLED
    assert await bot.database.load_check(alice.id) is None


async def test_review_edit_changes_one_answer(bot: Harness) -> None:
    alice = bot.emu.create_user()
    msg = await _open_check(bot, alice)
    msg = await bot.press_and_edit(alice, msg, button(msg, "PayPal, outside"))
    assert msg["text"].startswith("Please check your answers:")
    msg = await bot.press_and_edit(alice, msg, button(msg, "✏️ How you paid"))
    assert msg["text"].startswith("✏️ Change your answer")
    msg = await bot.press_and_edit(alice, msg, button(msg, "Through the Alibaba order"))
    assert "Did you place this order on Alibaba.com" in msg["text"]  # now needed
    msg = await bot.press_and_edit(alice, msg, button(msg, "No"))
    assert "How you paid: Through the Alibaba order" in msg["text"]
    verdict = await bot.press_and_edit(alice, msg, button(msg, "See the result"))
    assert verdict["text"].startswith("❌ Not eligible")
    assert "order" in verdict["text"].lower()
    review = await bot.press_and_edit(alice, verdict, button(verdict, "Change an answer"))
    assert review["text"].startswith("Please check your answers:")


async def test_choice_typed_with_did_you_mean(bot: Harness) -> None:
    alice = bot.emu.create_user()
    await _open_check(bot, alice)
    msg = (await bot.say(alice, "wire")).result  # Alibaba's account or the supplier's?
    assert msg["text"].startswith(texts.CHOOSE_ONE_OF)
    assert labels(msg)[:2] == ["Through the Alibaba order", "Wire to supplier's own bank"]
    msg = (await bot.say(alice, "western union")).result
    assert msg["text"].startswith("Please check your answers:")


async def test_restart_in_the_middle_of_a_check(harness: Harness) -> None:
    alice = harness.emu.create_user()
    async with harness.running():
        msg = await _open_check(harness, alice)
        msg = await harness.press_and_edit(alice, msg, button(msg, "Through the Alibaba order"))
        assert "Step 2 of about" in msg["text"]
    old_app = harness.app

    async with harness.running():  # a new Application and connection on the same file
        assert harness.app is not old_app
        msg = await harness.press_and_edit(alice, msg, button(msg, "Yes"))
        assert "What went wrong with the order?" in msg["text"]
        assert "Step 3 of about" in msg["text"]
        msg = await harness.press_and_edit(alice, msg, button(msg, "Back"))
        assert "Did you place this order" in msg["text"]


async def test_stale_and_forged_buttons_expire_with_a_fresh_menu(bot: Harness) -> None:
    alice = bot.emu.create_user()
    old = await _open_check(bot, alice)
    resumed = (await bot.say(alice, "/check")).result
    assert resumed["text"].startswith(texts.CHECK_RESUMED)
    await bot.press_and_edit(alice, resumed, button(resumed, "Through the Alibaba order"))

    stale = await bot.press(alice, old, button(old, "Western Union"))  # an earlier question
    assert stale["text"] == texts.EXPIRED
    fresh = (await bot.sent(alice.id)).result
    assert fresh["text"].startswith(texts.EXPIRED_FRESH)
    assert "Did you place this order" in fresh["text"]
    state = CheckState.from_json(await bot.database.load_check(alice.id) or "")
    assert state.facts.paid_via == "alibaba_order"  # the stale tap changed nothing

    # A forged press (data no button of ours carries) from a modified client.
    for data in ("1:a:paid_via:western_union", "junk", "1:g:1:what-is-covered", "9:c"):
        await _forged_press(bot, alice, fresh, data)
        answer = bot.emu.answered_callbacks[-1]
        assert answer["text"] == texts.EXPIRED
        follow = (await bot.sent(alice.id)).result
        assert "Did you place this order" in follow["text"]
    assert CheckState.from_json(await bot.database.load_check(alice.id) or "") == state


async def test_expired_menu_without_a_check_offers_the_main_menu(bot: Harness) -> None:
    alice = bot.emu.create_user()
    msg = await _open_check(bot, alice)
    await bot.press_and_edit(alice, msg, button(msg, "Cancel"))
    await _forged_press(bot, alice, msg, callbacks.confirm())
    fresh = (await bot.sent(alice.id)).result
    assert fresh["text"].startswith(texts.EXPIRED_FRESH)
    assert labels(fresh) == ["📚 Topics", "✅ Check my order"]


async def _forged_press(bot: Harness, user: User, message: Json, data: str) -> None:
    """A callback query with arbitrary data, as a modified client could send it."""
    query_id = f"forged-{len(bot.emu.updates)}"
    bot.emu._open_callbacks.add(query_id)  # test-only: let the bot answer this query
    before = len(bot.emu.answered_callbacks)
    bot.emu.inject(
        "callback_query",
        {
            "id": query_id,
            "from": user.to_api(),
            "message": message,
            "chat_instance": "1",
            "data": data,
        },
    )
    await bot.emu.wait_until(lambda: len(bot.emu.answered_callbacks) > before)


async def test_a_question_mid_check_is_answered_and_the_check_kept(bot: Harness) -> None:
    alice = bot.emu.create_user()
    await _open_check(bot, alice)
    stored = await bot.database.load_check(alice.id)
    answer = (await bot.say(alice, SIDE_QUESTION)).result
    assert answer["text"].startswith("Deadlines for opening a dispute")
    again = (await bot.sent(alice.id)).result
    assert again["text"].startswith(texts.CHECK_STILL_OPEN)
    assert "How did you pay for this order?" in again["text"]
    assert await bot.database.load_check(alice.id) == stored


async def test_unreadable_stored_state_starts_fresh(bot: Harness) -> None:
    alice = bot.emu.create_user()
    await bot.database.save_check(alice.id, '{"version": 99}')
    msg = (await bot.say(alice, "/check")).result
    assert msg["text"].startswith(texts.CHECK_INTRO)
    state = CheckState.from_json(await bot.database.load_check(alice.id) or "")
    assert state.current == "paid_via"
