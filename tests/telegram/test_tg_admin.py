"""Admin commands end to end: /stats, /unanswered, /reload for admins, nothing for others,
and the rate-limited error notice."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.answering import Advisor
from bot.kb import load_knowledge
from bot.telegram import errors
from tests.emulator import Emulator
from tests.telegram.harness import COOKING, Harness, make_settings


@pytest.fixture
def admin_harness(emulator: Emulator, tmp_path: Path, advisor: Advisor) -> Harness:
    admin = emulator.create_user("Ada")
    emulator.private_chat(admin)  # the admin has started the bot, so it can write to them
    settings = make_settings(emulator, tmp_path, admin_ids=frozenset({admin.id}))
    harness = Harness(emulator, settings, advisor)
    harness.admin = admin  # type: ignore[attr-defined]
    return harness


async def test_stats_and_unanswered_for_admins_only(admin_harness: Harness) -> None:
    h = admin_harness
    admin = h.admin  # type: ignore[attr-defined]
    bob = h.emu.create_user("Bob")
    async with h.running():
        await h.say(bob, COOKING)
        await h.say(bob, "can I pay by western union?")
        stats = (await h.say(admin, "/stats all")).params["text"]
        assert "<b>Usage, all time</b>" in stats and "questions: 2" in stats
        unanswered = (await h.say(admin, "/unanswered")).params["text"]
        assert "how do I cook rice" in unanswered
        bad = (await h.say(admin, "/stats yesterday")).params["text"]
        assert "24h, 7d" in bad

        before = len(h.emu.messages_to(bob.id))
        for command in ("/stats", "/unanswered", "/reload"):
            h.emu.send_text(bob, None, command)
        await asyncio.sleep(0.5)
        assert len(h.emu.messages_to(bob.id)) == before  # not even an error


async def test_reload_keeps_the_old_base_when_the_new_one_is_broken(
    admin_harness: Harness, tmp_path: Path
) -> None:
    h = admin_harness
    admin = h.admin  # type: ignore[attr-defined]
    good = load_knowledge()
    assert good.folder is not None
    broken = tmp_path / "kb"
    broken.mkdir()
    (broken / "topics").mkdir()
    (broken / "topics" / "bad.yaml").write_text("id: Not Kebab\n")
    async with h.running():
        h.services.settings = h.services.settings.model_copy(update={"kb_dir": broken})
        refused = (await h.say(admin, "/reload")).params["text"]
        assert "Reload refused" in refused and "bad.yaml" in refused
        still = (await h.say(admin, "what is the coverage limit of a supplier?")).params["text"]
        assert "Coverage amount" in still

        h.services.settings = h.services.settings.model_copy(update={"kb_dir": good.folder})
        ok = (await h.say(admin, "/reload")).params["text"]
        assert ok.startswith(f"Reloaded: {len(good)} topics")


async def test_error_notice_reaches_admins_at_most_once_per_interval(
    admin_harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = admin_harness
    admin = h.admin  # type: ignore[attr-defined]
    async with h.running() as app:

        class Boom(RuntimeError):
            pass

        async def explode(update: object, context: object) -> None:
            raise Boom("secret user text must not travel")

        from telegram.ext import MessageHandler, filters

        app.add_handler(MessageHandler(filters.Regex("^explode"), explode), group=-2)
        bob = h.emu.create_user("Bob")
        with caplog.at_level(logging.ERROR):
            h.emu.send_text(bob, None, "explode now")
            notice = await h.sent(admin.id)
            assert "Boom" in notice.params["text"]
            assert "secret user text" not in notice.params["text"]
            h.emu.send_text(bob, None, "explode again")
            await h.sent(bob.id)  # the apology for the second failure
        await asyncio.sleep(0.2)
        notices = [m for m in h.emu.messages_to(admin.id) if "ta-advisor:" in m["text"]]
        assert len(notices) == 1
        assert errors.NOTICE_INTERVAL.total_seconds() >= 60


async def test_unanswered_full_of_angle_brackets_is_cut_between_lines(
    admin_harness: Harness,
) -> None:
    h = admin_harness
    admin = h.admin  # type: ignore[attr-defined]
    async with h.running():
        for n in range(15):  # distinct needs, each escaping to four times its length
            await h.database.log_question(
                n, "private", f"{n} " + "<" * 400 + "&" * 50, None, "none"
            )
        call = await h.say(admin, "/unanswered all")
        assert call.ok, call.body  # the emulator refuses broken HTML, like Telegram
        text = call.params["text"]
        assert len(text) <= 4096 and text.rstrip().endswith(("&amp;", "</i>"))
