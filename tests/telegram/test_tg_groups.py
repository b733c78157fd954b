"""Groups and inline mode end to end: quiet by default, addressed answers, the warning."""

from __future__ import annotations

from bot.i18n import render
from bot.telegram import texts
from tests.emulator import Chat, User
from tests.telegram.harness import COOKING, Harness, button, labels

BOT = "@ta_advisor_test_bot"
COVER = "what does trade assurance cover"
OFF_PLATFORM = "the supplier says I get 5% discount if I pay to his personal account"


async def _probe(bot: Harness, user: User, group: Chat) -> None:
    """An addressed question; its answer proves every earlier update was processed."""
    call = await bot.say(user, f"/ask {COVER}", group)
    assert call.result["text"].startswith("What is covered")


def _group(bot: Harness) -> tuple[User, User, Chat]:
    alice, bob = bot.emu.create_user("Alice"), bot.emu.create_user("Bob")
    group = bot.emu.create_group("Importers")
    bot.emu.set_admins(group, alice)
    return alice, bob, group


async def test_quiet_unless_addressed(bot: Harness) -> None:
    alice, bob, group = _group(bot)
    bot.emu.send_text(bob, group, "good morning everyone")
    bot.emu.send_text(bob, group, COVER)  # a question, but not to the bot
    bot.emu.send_text(bob, group, f"{BOT} {COOKING}")  # addressed, but no answer: silence
    bot.emu.send_text(bob, group, "😀😀")
    await _probe(bot, alice, group)
    assert bot.count_to(group.id) == 1

    # /ask: the short answer, quoted, with "Full answer" and a private deep link.
    answer = (await bot.say(bob, f"/ask {COVER}", group)).result
    assert answer["reply_to_message"]["from"]["id"] == bob.id
    assert len(answer["text"]) < len(bot.advisor.kb.topics["what-is-covered"].answer)
    full, private = bot.emu.buttons(answer)
    assert full[0] == "📖 Full answer"
    assert private[1] == "https://t.me/ta_advisor_test_bot?start=t-what-is-covered"

    # A mention and a reply to the bot are questions too.
    mention = (await bot.say(bob, f"{BOT} {COVER}", group)).result
    assert mention["text"].startswith("What is covered")
    reply = (await bot.say(alice, COVER, group, reply_to=answer)).result
    assert reply["text"].startswith("What is covered")
    usage = (await bot.say(bob, "/ask", group)).result
    assert usage["text"] == "Ask me like this: /ask can I pay by Western Union?"


async def test_someone_elses_button_gets_a_toast(bot: Harness) -> None:
    alice, bob, group = _group(bot)
    answer = (await bot.say(alice, f"/ask {COVER}", group)).result
    toast = await bot.press(bob, answer, button(answer, "Full answer"))
    assert toast["text"] == render(texts.NOT_YOURS)
    assert bot.emu.last_message(group.id)["text"] == answer["text"]  # unchanged

    full = await bot.press_and_edit(alice, answer, button(answer, "Full answer"))
    assert full["text"].startswith("What is covered") and "Sources:" in full["text"]
    assert labels(full) == ["💬 Ask me privately"]


async def test_off_platform_warning_once_per_cooldown(bot: Harness) -> None:
    alice, bob, group = _group(bot)
    bot.emu.send_text(bob, group, OFF_PLATFORM)
    warning = (await bot.sent(group.id)).result
    assert warning["text"].startswith("⚠️ Paying outside Alibaba voids protection")
    assert warning["reply_to_message"]["text"] == OFF_PLATFORM
    assert labels(warning) == ["📖 Why? Read more"]

    bot.emu.send_text(alice, group, "can I pay by western union instead?")  # within cool-down
    await _probe(bot, alice, group)
    assert bot.count_to(group.id) == 2

    bot.clock.advance(hours=2)
    bot.emu.send_text(alice, group, "never pay by Western Union!")  # good advice: no warning
    await _probe(bot, alice, group)
    assert bot.count_to(group.id) == 3
    bot.emu.send_text(bob, group, "can I pay by western union instead?")
    assert (await bot.sent(group.id)).result["text"].startswith("⚠️ Paying outside")


async def test_admin_settings_toggle_the_warning(bot: Harness) -> None:
    alice, bob, group = _group(bot)
    refused = (await bot.say(bob, "/settings", group)).result
    assert refused["text"] == render(texts.NOT_ADMIN)

    panel = (await bot.say(alice, "/settings", group)).result
    assert "Warnings about paying outside Alibaba: ON" in panel["text"]
    toast = await bot.press(bob, panel, button(panel, "Turn warnings off"))
    assert toast["text"] == render(texts.NOT_YOURS)
    assert (await bot.database.group_settings(group.id)).warnings_enabled

    panel = await bot.press_and_edit(alice, panel, button(panel, "Turn warnings off"))
    assert "Warnings about paying outside Alibaba: OFF" in panel["text"]
    assert not (await bot.database.group_settings(group.id)).warnings_enabled
    bot.emu.send_text(bob, group, OFF_PLATFORM)
    await _probe(bot, alice, group)
    assert bot.count_to(group.id) == 3  # refusal, panel, probe: no warning

    bot.emu.set_member_status(group, alice, "member")  # no longer an admin
    toast = await bot.press(alice, panel, button(panel, "Turn warnings on"))
    assert toast["text"] == render(texts.NOT_ADMIN_TOAST)
    assert not (await bot.database.group_settings(group.id)).warnings_enabled


async def test_addressed_question_gets_the_warning_first(bot: Harness) -> None:
    alice, _, group = _group(bot)
    answer = (await bot.say(alice, f"/ask {OFF_PLATFORM}, is it ok?", group)).result
    assert answer["text"].startswith("⚠️ Paying outside Alibaba voids protection")


async def test_check_in_a_group_links_to_the_private_chat(bot: Harness) -> None:
    alice, _, group = _group(bot)
    msg = (await bot.say(alice, "/check", group)).result
    assert msg["text"] == render(texts.GROUP_CHECK)
    assert bot.emu.buttons(msg) == [
        ("✅ Open the check", "https://t.me/ta_advisor_test_bot?start=check")
    ]
    assert await bot.database.load_check(alice.id) is None
    help_msg = (await bot.say(alice, "/help", group)).result
    assert help_msg["text"].startswith("I answer questions about Alibaba Trade Assurance.")


async def test_inline_mode(bot: Harness) -> None:
    alice = bot.emu.create_user()
    bot.emu.inline_query(alice, "can I pay by western union?")
    await bot.emu.wait_for_request("answerInlineQuery")
    answered = bot.emu.answered_inline_queries[-1]
    results = answered["results"]
    assert results[0]["id"] == "off-platform-payment"
    assert results[0]["input_message_content"]["parse_mode"] == "HTML"
    assert results[0]["title"].startswith("⚠️")
    assert len(results) <= 5
    assert answered["button"]["start_parameter"] == "inline"

    bot.emu.inline_query(alice, "")
    await bot.emu.wait_for_request("answerInlineQuery")
    popular = [r["id"] for r in bot.emu.answered_inline_queries[-1]["results"]]
    assert popular[:2] == ["off-platform-payment", "what-is-trade-assurance"]

    bot.emu.inline_query(alice, COOKING)
    await bot.emu.wait_for_request("answerInlineQuery")
    assert bot.emu.answered_inline_queries[-1]["results"] == []
