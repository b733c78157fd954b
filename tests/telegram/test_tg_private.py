"""Private chat end to end: questions, topics, feedback, commands, odd messages, /forget."""

from __future__ import annotations

import pytest
from telegram import BotCommandScopeAllChatAdministrators, BotCommandScopeAllPrivateChats

from bot.i18n import render
from bot.telegram import texts
from bot.telegram.app import startup
from bot.telegram.flood import FloodGate
from bot.telegram.reminders import JOB_NAME, reminder_job
from tests.emulator import Emulator
from tests.telegram.harness import (
    AMBIGUOUS,
    COOKING,
    OFF_PLATFORM_AND_DEADLINE,
    Harness,
    button,
    labels,
)


async def test_confident_answer_with_sources_buttons_and_feedback(bot: Harness) -> None:
    alice = bot.emu.create_user("Alice")
    question = bot.advisor.kb.topics["what-is-covered"].questions[0]
    msg = (await bot.say(alice, question)).result
    assert msg["text"].startswith("What is covered")
    assert "Sources:" in msg["text"]
    assert any(e["type"] == "bold" for e in msg["entities"])
    names = labels(msg)
    assert "✅ Check my order" in names and "👍 Helpful" in names and "👎 Not helpful" in names
    assert sum(n.startswith("➡️") for n in names) == 3  # related topics

    answer = await bot.press(alice, msg, button(msg, "Not helpful"))
    assert answer["text"] == render(texts.FEEDBACK_SORRY)
    await bot.emu.wait_for_request("editMessageReplyMarkup")
    assert "👍 Helpful" not in labels(bot.emu.last_message(alice.id))
    assert (await bot.database.rows_for_user(alice.id))["feedback"] == 1

    # A related-topic button sends that topic's full answer.
    related = button(msg, "➡️")
    await bot.press(alice, msg, related)
    follow = (await bot.sent(alice.id)).result
    assert "Sources:" in follow["text"] and follow["message_id"] != msg["message_id"]


async def test_suggestions_and_no_match(bot: Harness) -> None:
    alice = bot.emu.create_user()
    msg = (await bot.say(alice, AMBIGUOUS)).result
    assert msg["text"] == render(texts.DID_YOU_MEAN)
    assert labels(msg)[:2] == [
        bot.advisor.kb.topics["supplier-eligibility"].title,
        bot.advisor.kb.topics["coverage-limit"].title,
    ]
    await bot.press(alice, msg, button(msg, "coverage"))
    assert (await bot.sent(alice.id)).result["text"].startswith("Coverage amount")

    msg = (await bot.say(alice, COOKING)).result
    assert msg["text"].startswith("Sorry, I don't have a sure answer")
    assert labels(msg) == ["📚 Topics", "✅ Check my order"]
    assert await bot.database.top_unanswered() == [(COOKING, 1)]


async def test_warning_and_answer_share_one_message_and_more_expands_it(bot: Harness) -> None:
    alice = bot.emu.create_user()
    first = (await bot.say(alice, OFF_PLATFORM_AND_DEADLINE)).result
    assert first["text"].startswith("⚠️ Paying outside Alibaba voids protection")
    assert "Deadlines for opening a dispute" in first["text"]
    assert len(first["text"]) < 1300 and ".txt" not in first["text"]
    assert labels(first)[0] == "📖 More" and "👍 Helpful" in labels(first)

    full = await bot.press_and_edit(alice, first, button(first, "More"))
    assert full["text"].startswith("⚠️ Paying outside Alibaba voids protection")
    assert "Sources:" in full["text"] and "China Sourcing Agent" in full["text"]
    assert "📖 More" not in labels(full)
    assert bot.count_to(alice.id) == 1  # one message, expanded in place


async def test_feedback_keeps_the_more_button(bot: Harness) -> None:
    alice = bot.emu.create_user()
    first = (await bot.say(alice, "how long do i have to open a dispute after delivery")).result
    await bot.press(alice, first, button(first, "Helpful"))
    after = (await bot.emu.wait_for_request("editMessageReplyMarkup")).result
    assert "📖 More" in labels(after) and "👍 Helpful" not in labels(after)


async def test_glossary_command_and_terms_button(bot: Harness) -> None:
    alice = bot.emu.create_user()
    listing = (await bot.say(alice, "/glossary")).result
    assert listing["text"].startswith("🔤 Glossary") and "FOB" in labels(listing)
    one = (await bot.say(alice, "/glossary cif")).result
    assert one["text"].startswith("CIF (Cost, Insurance and Freight)")
    topic = (await bot.say(alice, "/start t-shipping-and-logistics")).result
    await bot.press(alice, topic, button(topic, "Terms used here"))
    terms = (await bot.sent(alice.id)).result
    assert "EXW (Ex Works)" in terms["text"]


async def test_start_help_topics_menu_and_deep_links(bot: Harness) -> None:
    alice = bot.emu.create_user()
    msg = (await bot.say(alice, "/start")).result
    assert msg["text"].startswith("👋 Hello!")
    assert labels(msg) == ["📚 Topics", "✅ Check my order"]

    menu = (await bot.say(alice, "/topics")).result
    assert menu["text"].startswith("📚 Topics (page 1 of 5)")
    assert labels(menu)[-1] == "Next ▶️"
    page2 = await bot.press_and_edit(alice, menu, button(menu, "Next"))
    assert page2["text"].startswith("📚 Topics (page 2 of 5)")
    assert labels(page2)[-2:] == ["◀️ Previous", "Next ▶️"]

    topic = (await bot.say(alice, "/start t-claim-window")).result
    assert topic["text"].startswith("Deadlines for opening a dispute")
    check = (await bot.say(alice, "/start check")).result
    assert "Step 1 of about" in check["text"]
    assert (await bot.say(alice, "/help")).result["text"].startswith("What I can do")
    unknown = (await bot.say(alice, "/frobnicate now")).result
    assert unknown["text"] == "I don't know the command /frobnicate. Send /help to see mine."


async def test_startup_schedules_the_reminder_job(bot: Harness) -> None:
    assert bot.app is not None and bot.app.job_queue is not None
    assert not bot.app.job_queue.get_jobs_by_name(JOB_NAME)  # the harness leaves it out
    await startup(bot.app, reminder_interval_s=60)
    (job,) = bot.app.job_queue.get_jobs_by_name(JOB_NAME)
    assert job.callback is reminder_job
    job.schedule_removal()


async def test_commands_registered_per_scope(bot: Harness) -> None:
    private = bot.emu.commands(BotCommandScopeAllPrivateChats().to_dict())
    admins = bot.emu.commands(BotCommandScopeAllChatAdministrators().to_dict())
    assert [c["command"] for c in private][:3] == ["start", "topics", "check"]
    assert "forget" in {c["command"] for c in private}
    assert [c["command"] for c in admins] == ["ask", "check", "help", "settings"]
    assert bot.emu.commands({"type": "all_group_chats"})[0]["command"] == "ask"


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("x" * 5000, "That message is too long (5000 characters)"),
        ("   \n ", render(texts.EMPTY)),
        ("😀🎉👍", render(texts.NO_WORDS)),
    ],
)
async def test_unusable_messages_get_a_friendly_reply(bot: Harness, text: str, reply: str) -> None:
    alice = bot.emu.create_user()
    msg = (await bot.say(alice, text)).result
    assert msg["text"].startswith(reply)


async def test_unusable_messages_keep_the_check(bot: Harness) -> None:
    alice = bot.emu.create_user()
    question = (await bot.say(alice, "/check")).result
    stored = await bot.database.load_check(alice.id)
    for text in ("x" * 5000, "  ", "🙈🙈"):
        again = (await bot.say(alice, text)).result
        assert "What went wrong with the order?" in again["text"]  # the question, re-shown
        assert labels(again) == labels(question)
    assert await bot.database.load_check(alice.id) == stored


async def test_edits_channel_posts_and_other_bots_are_ignored(bot: Harness) -> None:
    alice = bot.emu.create_user()
    other_bot = bot.emu.create_user("Helper", is_bot=True)
    channel = bot.emu.create_channel()
    chat = bot.emu.private_chat(alice)
    await bot.say(alice, "/help")
    first = bot.emu.send_text(alice, chat, "hello")
    await bot.sent(alice.id)
    del first
    message_id = max(m["message_id"] for m in bot.emu.messages_to(chat.id)) - 1
    bot.emu.edited_message(alice, chat, message_id, "what does trade assurance cover")
    bot.emu.channel_post(channel, "can I pay by western union")
    bot.emu.send_text(other_bot, bot.emu.private_chat(other_bot), "what is covered?")
    before = len([c for c in bot.emu.requests if c.method == "sendMessage"])
    await bot.say(alice, "/help")  # processed after the ignored updates
    after = len([c for c in bot.emu.requests if c.method == "sendMessage"])
    assert after == before + 1


async def test_flood_limit_says_slow_down_once(bot: Harness) -> None:
    bot.services.flood = FloodGate(limit=3, window_s=60)
    alice = bot.emu.create_user()
    for _ in range(3):
        await bot.say(alice, "/help")
    for _ in range(3):
        bot.emu.send_text(alice, None, "/help")
    slow = await bot.sent(alice.id)
    assert slow.params["text"] == render(texts.SLOW_DOWN)
    bob = bot.emu.create_user("Bob")
    await bot.say(bob, "/help")  # other chats are unaffected; alice's extras were dropped
    assert bot.count_to(alice.id) == 4


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB internals
async def test_rate_limited_send_is_retried(bot: Harness) -> None:
    alice = bot.emu.create_user()
    bot.emu.fail_next("sendMessage", retry_after=1)
    msg = (await bot.say(alice, "/help")).result
    assert msg["text"].startswith("What I can do")
    failed = [c for c in bot.emu.requests if c.method == "sendMessage" and c.status == 429]
    assert len(failed) == 1


async def test_cases_lists_past_assessments(bot: Harness) -> None:
    alice = bot.emu.create_user()
    assert (await bot.say(alice, "/cases")).result["text"] == render(texts.CASES_NONE)
    await bot.say(alice, "/check")
    await bot.say(alice, "never arrived")
    review = await bot.press_and_edit(
        alice, bot.emu.last_message(alice.id), button(bot.emu.last_message(alice.id), "Western")
    )
    await bot.press_and_edit(alice, review, button(review, "See the result"))
    cases = (await bot.say(alice, "/cases")).result
    assert cases["text"].startswith("Your recent checks\n1. 10 March 2026 – ❌ Not eligible")


async def test_forget_deletes_everything_after_confirmation(bot: Harness) -> None:
    alice = bot.emu.create_user()
    answer = (await bot.say(alice, bot.advisor.kb.topics["claim-window"].questions[0])).result
    await bot.press(alice, answer, button(answer, "Helpful"))
    await bot.say(alice, COOKING)
    await bot.say(alice, "/check")
    assert sum((await bot.database.rows_for_user(alice.id)).values()) >= 5

    ask = (await bot.say(alice, "/forget")).result
    assert labels(ask) == ["🗑 Yes, delete everything", "No, keep it"]
    assert sum((await bot.database.rows_for_user(alice.id)).values()) > 0  # not yet
    done = await bot.press_and_edit(alice, ask, button(ask, "Yes"))
    assert done["text"].startswith("Done. I deleted everything")
    assert set((await bot.database.rows_for_user(alice.id)).values()) == {0}


async def test_forget_can_be_refused(bot: Harness) -> None:
    alice = bot.emu.create_user()
    ask = (await bot.say(alice, "/forget")).result
    kept = await bot.press_and_edit(alice, ask, button(ask, "No"))
    assert kept["text"] == render(texts.FORGET_KEPT)
    assert (await bot.database.rows_for_user(alice.id))["users"] == 1


def test_emulator_buttons_helper_is_stable() -> None:
    """`labels` and `button` read the emulator's (text, data) pairs."""
    msg = {"reply_markup": {"inline_keyboard": [[{"text": "A b", "callback_data": "1:c"}]]}}
    assert Emulator.buttons(msg) == [("A b", "1:c")]
    assert button(msg, "a B") == "1:c"
