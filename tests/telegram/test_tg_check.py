"""The guided check end to end: buttons, typed answers, Back, Cancel, review, restart, reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.dialogue import machine
from bot.dialogue.machine import CheckState
from bot.i18n import render
from bot.telegram import callbacks, texts
from bot.telegram.reminders import deliver_due
from tests.emulator import User
from tests.telegram.harness import SIDE_QUESTION, Harness, button, labels

Json = dict[str, Any]


async def _open_check(bot: Harness, user: User) -> Json:
    msg: Json = (await bot.say(user, "/check")).result
    assert msg["text"].startswith(render(texts.CHECK_INTRO))
    return msg


async def _facts(bot: Harness, user: User) -> Json:
    state = CheckState.from_json(await bot.database.load_check(user.id) or "")
    return state.facts.model_dump(mode="json")


async def _answer_to_ship_by_date(bot: Harness, user: User) -> Json:
    """Tap and type through a late-shipment case up to the ship-by date question."""
    msg = await _open_check(bot, user)
    assert "Step 1 of about 5" in msg["text"] and "What went wrong" in msg["text"]
    msg = await bot.press_and_edit(user, msg, button(msg, "Shipped late"))
    assert "Step 2 of about" in msg["text"] and labels(msg)[-2:] == ["◀️ Back", "✖️ Cancel"]
    assert "Part on Alibaba, part outside" in labels(msg)
    msg = await bot.press_and_edit(user, msg, button(msg, "Through the Alibaba order"))
    msg = await bot.press_and_edit(user, msg, button(msg, "Yes"))
    assert "How much did you pay" in msg["text"]
    euros = (await bot.say(user, "3000 EUR")).result
    assert euros["text"].startswith("That looks like €3,000 in euros")
    msg = (await bot.say(user, "$3,000")).result
    msg = await bot.press_and_edit(user, msg, button(msg, "No"))
    assert "By what date did the order contract say the supplier must ship?" in msg["text"]
    assert render(texts.TYPE_ANSWER) in msg["text"]
    return msg


async def test_whole_check_to_a_verdict_with_reminder(bot: Harness) -> None:
    alice = bot.emu.create_user()
    await _answer_to_ship_by_date(bot, alice)

    # A bad date is re-asked and changes nothing; then the arrival and the order page's date.
    stored = await _facts(bot, alice)
    bad = (await bot.say(alice, "31 Febtember")).result
    assert "ship" in bad["text"] and "date" in bad["text"].split("\n")[0].lower()
    assert await _facts(bot, alice) == stored
    msg = (await bot.say(alice, "2026-02-20")).result
    assert "Have the goods arrived?" in msg["text"] and "Not arrived yet" in labels(msg)
    msg = (await bot.say(alice, "2026-03-01")).result
    assert "last day to open a dispute" in msg["text"]
    msg = await bot.press_and_edit(alice, msg, button(msg, "I don't know"))
    assert "How to find out" in msg["text"] and "coverage amount" in msg["text"]
    msg = (await bot.say(alice, "50000")).result
    assert "Which of these do you have?" in msg["text"]

    # Evidence toggles in place, then Done leads to the review.
    msg = await bot.press_and_edit(alice, msg, button(msg, "The order contract"))
    assert "✔️ The order contract" in labels(msg)
    msg = await bot.press_and_edit(alice, msg, button(msg, "Tracking details"))
    review = await bot.press_and_edit(alice, msg, button(msg, "Done"))
    assert review["text"].startswith("Please check your answers:")
    assert "Ship-by date: 20 February 2026" in review["text"]
    assert "Goods arrived: 1 March 2026" in review["text"]
    assert "Your evidence: The order contract, Tracking details" in review["text"]

    verdict = await bot.press_and_edit(alice, review, button(review, "See the result"))
    assert verdict["text"].startswith("⚠️ You can claim: a fair case")
    first_screen = verdict["text"]
    assert "31 March 2026" in first_screen and "US$3,000" in first_screen
    assert "Next step" in first_screen and "Why" not in first_screen  # the rest: Details
    assert labels(verdict)[0] == "⏰ Remind me on 24 March 2026"
    (stored_assessment,) = await bot.database.list_assessments(alice.id)
    assert stored_assessment.deadline == dt.date(2026, 3, 31)

    await bot.press(alice, verdict, button(verdict, "Details"))
    more = (await bot.sent(alice.id)).result
    assert more["text"].startswith("<b>Details</b>") or more["text"].startswith("Details")
    assert "Why" in more["text"] and "All steps" in more["text"]

    # The reminder: stored with its due time, then sent by the job at that time.
    await bot.press(alice, verdict, button(verdict, "Remind me"))
    confirm = (await bot.sent(alice.id)).result
    assert confirm["text"].startswith("⏰ Done. I'll remind you on 24 March 2026")
    (reminder,) = await bot.database.pending_reminders(alice.id)
    assert reminder.due_at == dt.datetime(2026, 3, 24, 9, tzinfo=dt.UTC)
    assert "<" not in reminder.text and "2026" not in reminder.text  # a code, not the message
    await bot.emu.wait_for_request("editMessageReplyMarkup")
    await _forged_press(bot, alice, verdict, button(verdict, "Remind me"))  # a double tap
    assert bot.emu.answered_callbacks[-1]["text"] == render(texts.REMINDER_EXISTS)
    assert len(await bot.database.pending_reminders(alice.id)) == 1

    assert bot.app is not None
    assert (
        await deliver_due(bot.app.bot, bot.database, reminder.due_at - dt.timedelta(hours=1)) == 0
    )
    assert await deliver_due(bot.app.bot, bot.database, reminder.due_at) == 1
    sent = (await bot.sent(alice.id)).result
    assert sent["text"].startswith("⏰ Reminder: the last day to open your Trade Assurance")
    assert "31 March 2026 (7 days left)" in sent["text"]
    assert await bot.database.pending_reminders(alice.id) == []


async def _verdict_with_reminder(bot: Harness, user: User) -> Json:
    """A late shipment (ship-by 20 Feb, arrived 1 Mar) through to a verdict with a reminder."""
    msg = await _answer_to_ship_by_date(bot, user)
    for text in ("2026-02-20", "2026-03-01", "?", "50000", "1 4 5"):
        msg = (await bot.say(user, text)).result
    verdict = await bot.press_and_edit(user, msg, button(msg, "See the result"))
    await bot.press(user, verdict, button(verdict, "Remind me"))
    await bot.sent(user.id)
    return verdict


async def test_a_correction_supersedes_the_verdict_and_moves_its_reminder(bot: Harness) -> None:
    alice = bot.emu.create_user()
    verdict = await _verdict_with_reminder(bot, alice)
    review = await bot.press_and_edit(alice, verdict, button(verdict, "Change an answer"))
    msg = await bot.press_and_edit(alice, review, button(review, "✏️ Goods arrived"))
    review = (await bot.say(alice, "2026-03-06")).result
    assert "Goods arrived: 6 March 2026" in review["text"]
    new = await bot.press_and_edit(alice, review, button(review, "See the result"))
    assert "5 April 2026" in new["text"]

    newest, older = await bot.database.list_assessments(alice.id)
    assert older.superseded_by == newest.id and not newest.superseded
    (reminder,) = await bot.database.pending_reminders(alice.id)
    assert reminder.assessment_id == newest.id
    assert reminder.due_at == dt.datetime(2026, 3, 29, 9, tzinfo=dt.UTC)  # 7 days before
    cases = (await bot.say(alice, "/cases")).result
    assert "(replaced by a corrected check)" in cases["text"] and cases["text"].count("2026") >= 2
    await _forged_press(bot, alice, verdict, callbacks.remind(older.id))  # the old button
    assert bot.emu.answered_callbacks[-1]["text"] == render(texts.EXPIRED)

    # A correction that leaves nothing to claim cancels the reminder.
    review = await bot.press_and_edit(alice, new, button(new, "Change an answer"))
    msg = await bot.press_and_edit(alice, review, button(review, "✏️ Receipt confirmed"))
    review = await bot.press_and_edit(alice, msg, button(msg, "Yes"))
    last = await bot.press_and_edit(alice, review, button(review, "See the result"))
    assert last["text"].startswith("❌ Not eligible")
    assert await bot.database.pending_reminders(alice.id) == []


async def test_not_shipped_yet_offers_a_reminder_after_the_ship_by_date(bot: Harness) -> None:
    alice = bot.emu.create_user()
    await _answer_to_ship_by_date(bot, alice)
    msg = (await bot.say(alice, "2026-03-15")).result
    review = await bot.press_and_edit(alice, msg, button(msg, "Not arrived yet"))
    assert review["text"].startswith("No more questions needed: Nothing is late yet")
    verdict = await bot.press_and_edit(alice, review, button(review, "See the result"))
    assert verdict["text"].startswith("⏳ Too early to claim")
    assert labels(verdict)[0] == "⏰ Remind me on 16 March 2026"
    await bot.press(alice, verdict, button(verdict, "Remind me"))
    confirm = (await bot.sent(alice.id)).result
    assert "16 March 2026" in confirm["text"] and "shipped" in confirm["text"]


async def test_something_else_ends_the_check_with_what_to_do_instead(bot: Harness) -> None:
    alice = bot.emu.create_user()
    msg = await _open_check(bot, alice)
    verdict = await bot.press_and_edit(alice, msg, button(msg, "Something else"))
    assert verdict["text"].startswith("❓")
    assert "Trade Assurance covers" in verdict["text"]


async def test_a_retyped_answer_after_a_crash_is_not_taken_for_the_next_question(
    bot: Harness,
) -> None:
    alice = bot.emu.create_user()
    msg = await _open_check(bot, alice)
    msg = await bot.press_and_edit(alice, msg, button(msg, "Shipped late"))
    msg = await bot.press_and_edit(alice, msg, button(msg, "Through the Alibaba order"))
    msg = await bot.press_and_edit(alice, msg, button(msg, "Yes"))
    # The bot stores "$3,000" and dies before the receipt question is shown.
    state = CheckState.from_json(await bot.database.load_check(alice.id) or "")
    crashed = machine.answer(state, "$3,000")
    assert isinstance(crashed, CheckState)
    await bot.database.save_check(alice.id, crashed.to_json())  # stored, never shown
    again = (await bot.say(alice, "3000")).result  # the user retypes the amount
    assert again["text"].startswith(render(texts.ANSWER_ALREADY_SAVED))
    assert "Have you already tapped" in again["text"]
    now = CheckState.from_json(await bot.database.load_check(alice.id) or "")
    assert now.current == "receipt_confirmed" and not now.facts.given("receipt_confirmed")
    assert now.facts.amount_paid == 3000
    msg = (await bot.say(alice, "no")).result  # now the answer counts
    assert "ship" in msg["text"]


async def test_a_verdict_stored_but_never_shown_comes_on_the_next_check(bot: Harness) -> None:
    alice = bot.emu.create_user()
    await _answer_to_ship_by_date(bot, alice)
    for text in ("2026-02-20", "2026-03-01", "?", "50000", "1 4 5"):
        await bot.say(alice, text)
    state = CheckState.from_json(await bot.database.load_check(alice.id) or "")
    done, result = machine.confirm(state)  # stored, then the bot died before sending it
    await bot.database.finish_check(
        alice.id,
        done.to_json(),
        facts_json=done.facts.model_dump_json(),
        assessment_json=result.model_dump_json(),
        verdict=result.verdict.value,
        deadline=result.deadline,
        check_id=done.check_id,
    )
    shown = (await bot.say(alice, "/check")).result
    assert shown["text"].startswith("✅ You can claim")
    assert labels(shown)[0] == "⏰ Remind me on 24 March 2026"
    again = (await bot.say(alice, "/check")).result  # shown once: now a new check starts
    assert again["text"].startswith(render(texts.CHECK_INTRO))


async def test_off_platform_payment_ends_the_check_at_once(bot: Harness) -> None:
    alice = bot.emu.create_user()
    msg = await _open_check(bot, alice)
    msg = await bot.press_and_edit(alice, msg, button(msg, "Never arrived"))
    review = await bot.press_and_edit(alice, msg, button(msg, "Western Union"))
    assert review["text"].startswith("No more questions needed: You paid by Western Union")
    assert "  2. How you paid: Western Union" in review["text"]
    verdict = await bot.press_and_edit(alice, review, button(review, "See the result"))
    assert verdict["text"].startswith("❌ Not eligible")
    assert not any("Remind" in label for label in labels(verdict))
    state = CheckState.from_json(await bot.database.load_check(alice.id) or "")
    assert state.stage == "done"


async def test_back_and_cancel(bot: Harness) -> None:
    alice = bot.emu.create_user()
    msg = await _open_check(bot, alice)
    assert "◀️ Back" not in labels(msg)  # nothing to go back to yet
    msg = await bot.press_and_edit(alice, msg, button(msg, "Never arrived"))
    msg = await bot.press_and_edit(alice, msg, button(msg, "Through the Alibaba order"))
    msg = await bot.press_and_edit(alice, msg, button(msg, "No"))  # not a TA order -> review
    assert "No more questions needed" in msg["text"] and "Please check your answers:" in msg["text"]
    msg = await bot.press_and_edit(alice, msg, button(msg, "Back"))
    assert "Did you place this order on Alibaba.com" in msg["text"]
    msg = await bot.press_and_edit(alice, msg, button(msg, "Back"))
    assert "How did you pay" in msg["text"]

    cancelled = await bot.press_and_edit(alice, msg, button(msg, "Cancel"))
    assert cancelled["text"] == render(texts.CHECK_CANCELLED)
    assert await bot.database.load_check(alice.id) is None
    assert (await bot.say(alice, "/cancel")).result["text"] == render(texts.NO_CHECK_TO_CANCEL)
    stats = await bot.database.stats()
    assert (stats.checks_started, stats.checks_cancelled) == (1, 1)


async def test_cancel_command_and_typed_i_dont_know(bot: Harness) -> None:
    alice = bot.emu.create_user()
    await _open_check(bot, alice)
    refused = (await bot.say(alice, "i don't know")).result  # the problem has no "don't know"
    assert "What went wrong" in refused["text"]
    await bot.say(alice, "late")
    msg = (await bot.say(alice, "i don't know")).result
    assert msg["text"].startswith("OK, I'll note that you don't know yet. How to find out:")
    assert "Step 3 of about" in msg["text"]
    assert (await bot.say(alice, "/cancel")).result["text"] == render(texts.CHECK_CANCELLED)
    assert await bot.database.load_check(alice.id) is None


async def test_review_edit_changes_one_answer(bot: Harness) -> None:
    alice = bot.emu.create_user()
    msg = await _open_check(bot, alice)
    msg = await bot.press_and_edit(alice, msg, button(msg, "Never arrived"))
    msg = await bot.press_and_edit(alice, msg, button(msg, "PayPal, outside"))
    assert "Please check your answers:" in msg["text"]
    msg = await bot.press_and_edit(alice, msg, button(msg, "✏️ How you paid"))
    assert msg["text"].startswith("✏️ Change your answer")
    msg = await bot.press_and_edit(alice, msg, button(msg, "Through the Alibaba order"))
    assert "Did you place this order on Alibaba.com" in msg["text"]  # now needed
    msg = await bot.press_and_edit(alice, msg, button(msg, "No"))
    assert "How you paid: Through the Alibaba order" in msg["text"]
    assert "No more questions needed" in msg["text"]
    verdict = await bot.press_and_edit(alice, msg, button(msg, "See the result"))
    assert verdict["text"].startswith("❌ Not eligible")
    assert "order" in verdict["text"].lower()
    review = await bot.press_and_edit(alice, verdict, button(verdict, "Change an answer"))
    assert "Please check your answers:" in review["text"]


async def test_choice_typed_with_did_you_mean(bot: Harness) -> None:
    alice = bot.emu.create_user()
    await _open_check(bot, alice)
    await bot.say(alice, "never arrived")
    msg = (await bot.say(alice, "wire")).result  # Alibaba's account or the supplier's?
    assert msg["text"].startswith(render(texts.CHOOSE_ONE_OF))
    assert labels(msg)[:2] == ["Through the Alibaba order", "Wire to supplier's own bank"]
    msg = (await bot.say(alice, "western union")).result
    assert "Please check your answers:" in msg["text"]


async def test_restart_in_the_middle_of_a_check(harness: Harness) -> None:
    alice = harness.emu.create_user()
    async with harness.running():
        msg = await _open_check(harness, alice)
        msg = await harness.press_and_edit(alice, msg, button(msg, "Shipped late"))
        assert "Step 2 of about" in msg["text"]
    old_app = harness.app

    async with harness.running():  # a new Application and connection on the same file
        assert harness.app is not old_app
        msg = await harness.press_and_edit(alice, msg, button(msg, "Through the Alibaba order"))
        assert "Did you place this order" in msg["text"]
        msg = await harness.press_and_edit(alice, msg, button(msg, "Back"))
        assert "How did you pay" in msg["text"]


async def test_stale_and_forged_buttons_expire_with_a_fresh_menu(bot: Harness) -> None:
    alice = bot.emu.create_user()
    old = await _open_check(bot, alice)
    resumed = (await bot.say(alice, "/check")).result
    assert resumed["text"].startswith(render(texts.CHECK_RESUMED))
    await bot.press_and_edit(alice, resumed, button(resumed, "Shipped late"))

    stale = await bot.press(alice, old, button(old, "Never arrived"))  # an earlier question
    assert stale["text"] == render(texts.EXPIRED)
    fresh = (await bot.sent(alice.id)).result
    assert fresh["text"].startswith(render(texts.EXPIRED_FRESH))
    assert "How did you pay" in fresh["text"]
    state = CheckState.from_json(await bot.database.load_check(alice.id) or "")
    assert state.facts.problem == "late_shipment"  # the stale tap changed nothing

    # A forged press (data no button of ours carries) from a modified client.
    for data in ("1:a:problem:other", "junk", "1:g:1:what-is-covered", "9:c"):
        await _forged_press(bot, alice, fresh, data)
        answer = bot.emu.answered_callbacks[-1]
        assert answer["text"] == render(texts.EXPIRED)
        follow = (await bot.sent(alice.id)).result
        assert "How did you pay" in follow["text"]
    assert await _facts(bot, alice) == state.facts.model_dump(mode="json")


async def test_expired_menu_without_a_check_offers_the_main_menu(bot: Harness) -> None:
    alice = bot.emu.create_user()
    msg = await _open_check(bot, alice)
    await bot.press_and_edit(alice, msg, button(msg, "✖️ Cancel"))
    await _forged_press(bot, alice, msg, callbacks.confirm())
    fresh = (await bot.sent(alice.id)).result
    assert fresh["text"].startswith(render(texts.EXPIRED_FRESH))
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
    assert again["text"].startswith(render(texts.CHECK_STILL_OPEN))
    assert "What went wrong with the order?" in again["text"]
    assert await bot.database.load_check(alice.id) == stored


async def test_unreadable_stored_state_starts_fresh(bot: Harness) -> None:
    alice = bot.emu.create_user()
    await bot.database.save_check(alice.id, '{"version": 99}')
    msg = (await bot.say(alice, "/check")).result
    assert msg["text"].startswith(render(texts.CHECK_INTRO))
    state = CheckState.from_json(await bot.database.load_check(alice.id) or "")
    assert state.current == "problem"


async def test_short_count_with_a_balance_paid_outside(bot: Harness) -> None:
    """Wrong quantity, deposit through Alibaba and the balance wired outside, unit counts and
    the order page's own last day: every optional fact through the buttons and typed text."""
    alice = bot.emu.create_user()
    msg = await _open_check(bot, alice)
    msg = await bot.press_and_edit(alice, msg, button(msg, "Wrong quantity"))
    msg = await bot.press_and_edit(alice, msg, button(msg, "Part on Alibaba, part outside"))
    assert "send outside the Alibaba order" in msg["text"]
    msg = (await bot.say(alice, "$7,000")).result
    msg = await bot.press_and_edit(alice, msg, button(msg, "Yes"))
    msg = (await bot.say(alice, "3000")).result
    msg = await bot.press_and_edit(alice, msg, button(msg, "No"))
    msg = (await bot.say(alice, "2026-03-05")).result
    assert "how many units did you order" in msg["text"]
    msg = (await bot.say(alice, "1,000")).result
    assert "How many units did you receive?" in msg["text"]
    bad = (await bot.say(alice, "lots")).result
    assert "whole number" in bad["text"]
    msg = (await bot.say(alice, "800 pcs")).result
    msg = (await bot.say(alice, "2026-03-30")).result  # the order page's last day
    msg = (await bot.say(alice, "20000")).result
    msg = (await bot.say(alice, "contract, chat, photos")).result
    assert "How you paid: Part through Alibaba, part outside" in msg["text"]
    assert "Units received: 800" in msg["text"]
    verdict = await bot.press_and_edit(alice, msg, button(msg, "See the result"))
    assert verdict["text"].startswith("⚠️ You can claim: a fair case")
    assert "Claim for the missing units: about US$600" in verdict["text"]
    assert "30 March 2026" in verdict["text"] and "US$7,000" in verdict["text"]
    assert labels(verdict)[0] == "⏰ Remind me on 23 March 2026"
