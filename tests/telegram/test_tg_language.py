"""Language per user and per group, end to end: stored at first contact, /language, /settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.conversation.check import CHECK_INTRO
from bot.i18n import render
from bot.telegram import app, texts
from bot.telegram.flood import FloodGate
from tests.emulator import User
from tests.i18n.fake import installed_language
from tests.reliability.backend import rows
from tests.telegram.harness import Harness, button, labels
from tests.telegram.test_tg_check import _forged_press as forged_press


async def _stored_tag(bot: Harness, user: User) -> object:
    found = await rows(bot.database, "SELECT language FROM users WHERE user_id = ?", user.id)
    return found[0][0] if found else None


async def test_first_contact_stores_the_language_and_language_changes_it(bot: Harness) -> None:
    ana = bot.emu.create_user("Ana", language_code="pt-BR")
    await bot.say(ana, "/start")
    assert await _stored_tag(bot, ana) == "pt"

    menu = (await bot.say(ana, "/language")).result
    assert menu["text"].startswith("Respondo a você em Português.")
    assert labels(menu) == ["English", "Русский", "Español", "✓ Português"]

    toast = await bot.press(ana, menu, button(menu, "English"))
    assert toast["text"] == "Done: I will answer you in English."
    assert await _stored_tag(bot, ana) == "en"  # a choice outlives Telegram's setting
    assert "language" in {c["command"] for c in bot.emu.commands({"type": "all_private_chats"})}


async def test_forged_or_unsupported_language_buttons_change_nothing(bot: Harness) -> None:
    ivan = bot.emu.create_user("Ivan", language_code="ru")
    menu = (await bot.say(ivan, "/language")).result
    for data in ("lg:fr", "lg:xx", "lg:en:0", "lg:" + "e" * 70):
        await forged_press(bot, ivan, menu, data)
        assert bot.emu.answered_callbacks[-1]["text"] == "Это меню устарело."
    assert await _stored_tag(bot, ivan) == "ru"


async def test_group_admins_set_the_group_language_in_settings(bot: Harness) -> None:
    alice, bob = bot.emu.create_user("Alice"), bot.emu.create_user("Bob")
    group = bot.emu.create_group("Importers")
    bot.emu.set_admins(group, alice)

    panel = (await bot.say(alice, "/settings", group)).result
    assert "Language for this group: English" in panel["text"]
    choice = button(panel, "English")
    assert choice == f"lg:en:{alice.id}" and len(choice.encode()) <= 64

    refused = await bot.press(bob, panel, choice)
    assert refused["text"] == "Only the admin who opened these settings can change them."
    done = await bot.press(alice, panel, choice)
    assert done["text"] == "Group language: English"
    assert (await bot.database.group_settings(group.id)).language == "en"

    hint = (await bot.say(bob, "/language", group)).result
    assert "admins in /settings" in hint["text"]


@pytest.fixture
def latin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A test-only second language (Latin's code), added as the languages issue will add one."""
    entries: dict[str | tuple[str, str], str | tuple[str, ...]] = {
        render(CHECK_INTRO): "Videamus an Trade Assurance te tegat.",
        "What went wrong with the order?": "Quid in ordine male accidit?",
        render(texts.GROUP_CHECK): "Examen privatum est. Tange infra.",
        render(texts.OPEN_CHECK): "✅ Examen aperi",
    }
    with installed_language("la", entries, tmp_path, monkeypatch):
        yield


@pytest.mark.usefixtures("latin")
async def test_the_check_speaks_the_language_telegram_reports(bot: Harness) -> None:
    marcus = bot.emu.create_user("Marcus", language_code="la")
    question = (await bot.say(marcus, "/check")).result
    assert question["text"].startswith("Videamus an Trade Assurance te tegat.")
    assert "Quid in ordine male accidit?" in question["text"]

    alice = bot.emu.create_user("Alice", language_code="en-GB")  # the same bot, another reader
    english = (await bot.say(alice, "/check")).result
    assert english["text"].startswith(render(CHECK_INTRO))
    assert "What went wrong with the order?" in english["text"]


@pytest.mark.usefixtures("latin")
async def test_a_group_is_answered_in_its_admins_language_not_the_member_s(
    bot: Harness,
) -> None:
    alice = bot.emu.create_user("Alice", language_code="en")
    group = bot.emu.create_group("Importatores")
    await bot.database.set_group_language(group.id, "la")
    redirect = (await bot.say(alice, "/check", group)).result
    assert redirect["text"] == "Examen privatum est. Tange infra."
    assert labels(redirect) == ["✅ Examen aperi"]

    private = (await bot.say(alice, "/check")).result  # her own chat stays in her language
    assert private["text"].startswith(render(CHECK_INTRO))


async def test_the_command_menu_has_a_list_per_supported_language(
    bot: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries: dict[str | tuple[str, str], str | tuple[str, ...]] = {"Stop the check": "Desine"}
    private = {"type": "all_private_chats"}
    english = [c["description"] for c in bot.emu.commands(private)]
    assert english == [c.description for c in app.PRIVATE_COMMANDS]
    assert bot.emu.commands(private, "la") == []

    with installed_language("la", entries, tmp_path, monkeypatch):
        monkeypatch.setattr(app, "SUPPORTED_LANGS", ("en", "la"))
        assert bot.app is not None
        await app.register_commands(bot.app)
    latin = {c["command"]: c["description"] for c in bot.emu.commands(private, "la")}
    assert latin["cancel"] == "Desine"
    assert latin["help"] == "What I can do"  # untranslated entries fall back to English
    assert [c["description"] for c in bot.emu.commands(private)] == english


async def test_slow_down_is_said_in_the_reader_s_language(
    bot: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries: dict[str | tuple[str, str], str | tuple[str, ...]] = {
        render(texts.SLOW_DOWN): "Nimis celeriter scribis. Exspecta paulisper."
    }
    with installed_language("la", entries, tmp_path, monkeypatch):
        bot.services.flood = FloodGate(limit=1, window_s=60)
        marcus = bot.emu.create_user("Marcus", language_code="la")
        await bot.say(marcus, "/help")
        bot.emu.send_text(marcus, None, "/help")
        slow = await bot.sent(marcus.id)
    assert slow.params["text"] == "Nimis celeriter scribis. Exspecta paulisper."


async def test_a_group_member_writing_another_offered_language_is_answered_in_it(
    bot: Harness,
) -> None:
    alice, ivan = bot.emu.create_user("Alice"), bot.emu.create_user("Ivan", language_code="en")
    group = bot.emu.create_group("Importers")  # the group's language: English
    answer = (await bot.say(ivan, "/ask Что покрывает trade assurance?", group)).result
    assert answer["text"].startswith("Что покрывается")
    english = (await bot.say(alice, "/ask what does trade assurance cover", group)).result
    assert english["text"].startswith("What is covered")

    request = "Поставщик просит перевести остаток через Western Union, обещает скидку 5%"
    bot.emu.send_text(ivan, group, request)
    warning = (await bot.sent(group.id)).result
    assert warning["text"].startswith("⚠️ Оплата мимо Alibaba лишает защиты")


async def test_each_offered_language_has_its_own_command_menu(bot: Harness) -> None:
    private = {"type": "all_private_chats"}
    english = {c["command"]: c["description"] for c in bot.emu.commands(private)}
    for lang in ("ru", "es", "pt"):
        menu = {c["command"]: c["description"] for c in bot.emu.commands(private, lang)}
        assert menu.keys() == english.keys()
        assert menu["cancel"] != english["cancel"] and menu["language"] != english["language"]
