"""The off-platform warning end to end: captions, the check's interruption, privacy mode."""

from __future__ import annotations

import io
import logging

from bot.dialogue.machine import CheckState
from bot.i18n import render
from bot.logs import configure_logging
from bot.telegram import texts
from tests.emulator import Chat, User
from tests.telegram.harness import (
    SHIP_BY_QUESTION,
    SIDE_QUESTION,
    Harness,
    button,
    to_ship_by_question,
)

COVER = "what does trade assurance cover"
BANK_PHOTO_CAPTION = (
    "Supplier sent these bank details on WhatsApp, says pay the balance here instead of "
    "through Alibaba and he takes 3% off. Sending it tomorrow"
)
WU_TO_RELATIVE = "Supplier offers 4% discount if I send the balance by Western Union to his nephew"


def _group(bot: Harness) -> tuple[User, User, Chat]:
    alice, bob = bot.emu.create_user("Alice"), bot.emu.create_user("Bob")
    group = bot.emu.create_group("Importers")
    bot.emu.set_admins(group, alice)
    return alice, bob, group


async def _probe(bot: Harness, user: User, group: Chat) -> None:
    """An addressed question; its answer proves every earlier update was processed."""
    call = await bot.say(user, f"/ask {COVER}", group)
    assert call.result["text"].startswith("What is covered")


# --------------------------------------------------------------------------- captions


async def test_a_photo_of_bank_details_with_a_request_gets_the_group_warning(
    bot: Harness,
) -> None:
    _, bob, group = _group(bot)
    bot.emu.send_media(bob, group, "photo", caption=BANK_PHOTO_CAPTION)
    warning = (await bot.sent(group.id)).result
    assert warning["text"].startswith("⚠️ Paying outside Alibaba voids protection")
    assert warning["reply_to_message"]["caption"] == BANK_PHOTO_CAPTION


async def test_captions_that_give_good_advice_and_bare_photos_stay_quiet(bot: Harness) -> None:
    alice, bob, group = _group(bot)
    bot.emu.send_media(bob, group, "photo")
    bot.emu.send_media(bob, group, "document", caption="Never pay to the account on this PDF!")
    bot.emu.send_media(bob, group, "photo", caption="Our new showroom in Lagos 😀")
    await _probe(bot, alice, group)
    assert bot.count_to(group.id) == 1


async def test_a_document_caption_can_address_the_bot(bot: Harness) -> None:
    _, bob, group = _group(bot)
    bot.emu.send_media(bob, group, "document", caption=f"@ta_advisor_test_bot {COVER}?")
    answer = (await bot.sent(group.id)).result
    assert answer["text"].startswith("What is covered")


async def test_a_private_caption_is_read_as_a_question(bot: Harness) -> None:
    alice = bot.emu.create_user()
    bot.emu.send_media(alice, None, "photo", caption=SIDE_QUESTION)
    answer = (await bot.sent(alice.id)).result
    assert answer["text"].startswith("Deadlines for opening a dispute")


async def test_a_private_caption_with_a_request_gets_the_warning_first(bot: Harness) -> None:
    alice = bot.emu.create_user()
    bot.emu.send_media(alice, None, "document", caption=BANK_PHOTO_CAPTION)
    first = (await bot.sent(alice.id)).result
    assert first["text"].startswith("⚠️ Paying outside Alibaba voids protection")


async def test_a_photo_without_caption_keeps_the_friendly_reply(bot: Harness) -> None:
    alice = bot.emu.create_user()
    bot.emu.send_media(alice, None, "photo")
    assert (await bot.sent(alice.id)).result["text"] == render(texts.NOT_TEXT)


# --------------------------------------------------------------------------- the check


async def test_a_request_in_a_check_is_warned_about_not_read_as_a_date(bot: Harness) -> None:
    alice = bot.emu.create_user()
    await to_ship_by_question(bot, alice)
    stored = await bot.database.load_check(alice.id)

    warning = (await bot.say(alice, WU_TO_RELATIVE)).result
    assert warning["text"].startswith("⚠️ Paying outside Alibaba voids protection")
    again = (await bot.sent(alice.id)).result
    assert again["text"].startswith(render(texts.CHECK_STILL_OPEN))
    assert SHIP_BY_QUESTION in again["text"]
    assert await bot.database.load_check(alice.id) == stored  # nothing recorded

    msg = (await bot.say(alice, "2026-03-01")).result  # the check goes on as before
    assert "Have the goods arrived?" in msg["text"]


async def test_the_payment_question_still_reads_an_off_platform_route(bot: Harness) -> None:
    alice = bot.emu.create_user()
    msg = (await bot.say(alice, "/check")).result
    await bot.press_and_edit(alice, msg, button(msg, "Shipped late"))
    review = (await bot.say(alice, "I paid by Western Union")).result
    assert "How you paid: Western" in review["text"]
    state = CheckState.from_json(await bot.database.load_check(alice.id) or "")
    assert state.facts.paid_via is not None


# --------------------------------------------------------------------------- privacy mode


async def test_privacy_mode_is_logged_once_at_start(
    harness: Harness, log_stream: io.StringIO
) -> None:
    configure_logging(level="INFO", secrets=[harness.emu.token], stream=log_stream)
    async with harness.running():
        pass
    logged = [line for line in log_stream.getvalue().splitlines() if "privacy mode" in line]
    assert len(logged) == 1
    assert "WARNING" in logged[0] and "/setprivacy" in logged[0] and "admin" in logged[0]


async def test_no_privacy_warning_when_the_bot_reads_all_messages(
    harness: Harness, log_stream: io.StringIO
) -> None:
    configure_logging(level="INFO", secrets=[harness.emu.token], stream=log_stream)
    harness.emu.can_read_all_group_messages = True
    async with harness.running():
        pass
    assert "privacy mode" not in log_stream.getvalue()
    logging.getLogger().handlers.clear()


async def test_settings_say_whether_warnings_can_see_the_group(bot: Harness) -> None:
    alice, _, group = _group(bot)
    blind = (await bot.say(alice, "/settings", group)).result
    assert "I can't see ordinary messages in this group" in blind["text"]
    assert "/setprivacy" in blind["text"] and "admin" in blind["text"]

    bot.emu.set_admins(group, bot.emu.bot_user)  # an admin bot sees everything
    sees = (await bot.say(alice, "/settings", group)).result
    assert "I can see ordinary messages in this group" in sees["text"]
    toggled = await bot.press_and_edit(alice, sees, button(sees, "Turn warnings off"))
    assert "OFF" in toggled["text"] and "I can see ordinary messages" in toggled["text"]
