"""Bad input through the whole bot (real Application, HTTP, emulator): a clear reply or silence,
as designed, and never an exception escaping a handler.

Already covered elsewhere and not repeated: 5000-character, whitespace-only and emoji-only
messages with and without an open check (test_tg_private), stale Back/answer buttons and four
forged data strings mid-check (test_tg_check), a double tap on the reminder button
(test_tg_check), someone else's group "Full answer" and settings buttons (test_tg_groups), and
edits, channel posts and other bots in a private chat (test_tg_private).

Every test here runs with `no_escaped_errors` (nothing logged at ERROR) and ends with
`_all_sends_were_accepted`: the emulator parses every text the bot sends as Telegram HTML, so a
user string inserted unescaped fails the send with 400 and shows up there.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.dialogue.machine import CheckState
from bot.i18n import render
from bot.telegram import texts
from bot.telegram.flood import FloodGate
from bot.telegram.sending import MAX_CHARS
from tests.emulator import Chat, User
from tests.reliability import backend
from tests.reliability.conftest import answer_to, forge_press
from tests.telegram.harness import Harness, button, labels, to_ship_by_question

pytestmark = pytest.mark.usefixtures("no_escaped_errors")

Json = dict[str, Any]
BOT = "@ta_advisor_test_bot"
INJECTION = '<b>x</b><script>alert(1)</script> &amp; <a href="javascript:alert(1)">y</a> &lt;'
ARABIC = "هل يمكنني الدفع عن طريق ويسترن يونيون للمورد؟"
HEBREW = "האם אפשר לשלם לספק דרך ווסטרן יוניון?"
RTL_OVERRIDE = "\u202ecan I pay by western union\u202c \u200f?"


def _all_sends_were_accepted(bot: Harness) -> None:
    """Every message/edit the bot sent passed Telegram's checks (HTML, length, markup)."""
    refused = [
        f"{c.method}: {c.response.get('description')}"
        for c in bot.emu.requests
        if c.method in ("sendMessage", "editMessageText", "editMessageReplyMarkup")
        and not c.ok
        and "not modified" not in str(c.response.get("description"))
    ]
    assert not refused


async def _probe(bot: Harness, user: User, chat: Chat | None = None) -> None:
    """/help (or /ask in a group) and its reply: every earlier update of that chat is done,
    since the bot handles one chat's updates in order."""
    chat = chat or bot.emu.private_chat(user)
    if chat.type == "private":
        text, reply = "/help", "What I can do"
    else:
        text, reply = "/ask what does trade assurance cover", "What is covered"
    bot.emu.send_text(user, chat, text)
    await bot.sent(chat.id, lambda c: c.result["text"].startswith(reply))


def _sent_texts(bot: Harness, chat_id: int, since: int) -> list[str]:
    return [
        c.result["text"]
        for c in bot.emu.requests[since:]
        if c.method == "sendMessage" and c.ok and c.params.get("chat_id") == chat_id
    ]


# --------------------------------------------------------------------------- odd messages


NOT_SURE = render(texts.NO_ANSWER).split(".")[0]


async def test_odd_messages_in_a_private_chat_each_get_a_clear_reply(bot: Harness) -> None:
    bot.services.flood = FloodGate(limit=1000)  # many messages on purpose
    alice = bot.emu.create_user()
    at_limit = ("can I pay the supplier by western union? " * 120)[:MAX_CHARS]
    cases: list[tuple[str, tuple[str, ...]]] = [
        # exactly Telegram's limit: a question like any other (the warning first)
        (at_limit, ("⚠️ Paying outside Alibaba voids protection",)),
        ("x" * 4097, ("That message is too long (4097 characters)",)),
        ("\u200b\u2060\ufeff", (render(texts.NO_WORDS),)),  # invisible characters only
        ("👨‍👩‍👧‍👦🇨🇳🏳️‍🌈" * 50, (render(texts.NO_WORDS),)),
        ("...!!! ??? ---", (render(texts.NO_WORDS),)),
        # Not a language we serve: the friendly "ask me" with the menu, or, when the encoder
        # still recognises the subject (Western Union), its topics offered, never answered.
        (ARABIC, (render(texts.SMALL_TALK), NOT_SURE, render(texts.DID_YOU_MEAN))),
        (HEBREW, (render(texts.SMALL_TALK), NOT_SURE, render(texts.DID_YOU_MEAN))),
        (RTL_OVERRIDE, ("⚠️ Paying outside Alibaba voids protection",)),
        (INJECTION, ("Sorry, I don't have a sure answer",)),
        ("\x00\x01\x7f control characters", ("Sorry, I don't have a sure answer",)),
    ]
    for text, expected in cases:
        reply = (await bot.say(alice, text)).result
        assert reply["text"].startswith(expected), (text[:30], reply["text"][:80])
        assert len(reply["text"]) <= MAX_CHARS
    await _probe(bot, alice)
    _all_sends_were_accepted(bot)


async def test_markup_in_what_the_bot_echoes_is_shown_literally(bot: Harness) -> None:
    alice = bot.emu.create_user()
    # An unknown command is named in the reply: as typed, not as markup.
    unknown = (await bot.say(alice, f"/x{INJECTION}")).result
    assert unknown["text"].startswith("I don't know the command /x<b>x</b><script>")
    assert not any(e["type"] in ("bold", "text_link") for e in unknown.get("entities", []))

    # In the check, markup typed as an answer is re-asked, and the state stays as it was.
    await to_ship_by_question(bot, alice)
    state = await bot.database.load_check(alice.id)
    reask = (await bot.say(alice, INJECTION)).result
    assert reask["text"].startswith("I couldn't read that date.")
    assert "By what date" in reask["text"]
    for answer in ("2026-02-20", "2026-03-01", "?", "50000"):
        msg = (await bot.say(alice, answer)).result
    assert "Which of these do you have?" in msg["text"]
    reask = (await bot.say(alice, f"contract, {INJECTION}")).result
    assert reask["text"].startswith(render(texts.TAP_AN_OPTION))
    assert "<script>" not in reask["text"]
    assert CheckState.from_json(await bot.database.load_check(alice.id) or "").current == (
        "evidence"
    )
    assert state is not None

    # A question made of markup is answered (or not) without echoing anything.
    await bot.say(alice, "/cancel")
    reply = (await bot.say(alice, f"what is {INJECTION} trade assurance?")).result
    assert "<script>" not in reply["text"]
    _all_sends_were_accepted(bot)


async def test_rtl_and_markup_answers_inside_the_check_are_re_asked(bot: Harness) -> None:
    alice = bot.emu.create_user()
    await bot.say(alice, "/check")
    stored = await bot.database.load_check(alice.id)
    for text in (ARABIC, HEBREW, INJECTION, "٣ أيام", "🙈 " * 100, "a" * 4096):
        again = (await bot.say(alice, text)).result
        assert "What went wrong with the order?" in again["text"], again["text"][:80]
        assert labels(again)[0] == "Shipped late"
    assert await bot.database.load_check(alice.id) == stored
    _all_sends_were_accepted(bot)


# --------------------------------------------------------------------------- commands


async def test_commands_with_junk_arguments(bot: Harness) -> None:
    bot.services.flood = FloodGate(limit=1000)
    alice = bot.emu.create_user()
    expected = [
        ("/start ../../etc/passwd", "👋 Hello!"),
        ("/start t-../../etc", "👋 Hello!"),
        ("/start t-", "👋 Hello!"),
        (f"/start {'A' * 300}", "👋 Hello!"),
        ("/start " + INJECTION, "👋 Hello!"),
        ("/topics 99999", "📚 Topics (page 1 of"),
        ("/topics -1 ; DROP TABLE users", "📚 Topics (page 1 of"),
        ("/cases abc", render(texts.CASES_NONE)),
        ("/cases ' OR 1=1 --", render(texts.CASES_NONE)),
        ("/help " + ARABIC, "What I can do"),
        ("/cancel everything now", render(texts.NO_CHECK_TO_CANCEL)),
        ("/forget '; DELETE FROM users; --", "This deletes everything I store about you"),
        ("/check ;;drop table check_states", render(texts.CHECK_INTRO)),
        ("/check ;;drop table check_states", render(texts.CHECK_RESUMED)),
        ("/ask", render(texts.ASK_USAGE).replace("<code>", "").replace("</code>", "")),
        ("/settings " + INJECTION, "Settings are for groups."),
    ]
    for command, reply in expected:
        got = (await bot.say(alice, command)).result["text"]
        assert got.startswith(reply), (command, got[:80])
    # Admin commands from a non-admin, with or without junk: silence by design.
    before = bot.count_to(alice.id)
    for command in ("/stats all; rm -rf /", "/unanswered 99999d", "/reload ../../etc"):
        bot.emu.send_text(alice, None, command)
    await _probe(bot, alice)
    assert bot.count_to(alice.id) == before + 1
    # The database is whole: the tables the "arguments" named are still there and used.
    assert await backend.sound(bot.database)
    assert await bot.database.load_check(alice.id) is not None
    assert (await bot.database.rows_for_user(alice.id))["users"] == 1
    _all_sends_were_accepted(bot)


# --------------------------------------------------------------------------- forged buttons


async def test_forged_callbacks_get_expired_or_nothing(bot: Harness) -> None:
    alice = bot.emu.create_user()
    menu = (await bot.say(alice, "/start")).result
    before = len(bot.emu.requests)
    forged = [
        "\x00\xff\ufffd garbage",
        "💥" * 20,
        "1:" + "a" * 100,  # longer than Telegram allows
        "1:zz:abc",  # an operation that does not exist
        "1:a:paid_via:teleport",  # an answer while no check is open
        "1:t:no-such-topic",
        "1:fb:no-such-topic:1",
        "1:r:99999",  # a reminder for an assessment that does not exist
        "1:e:problem",
        "1:ok",
        "1:b:review",
        "1:g:123:what-is-covered",  # a group button in a private chat
        "1:s:123:1",
        "",
    ]
    for data in forged:
        query_id = forge_press(bot.emu, alice, data, message=menu)
        fresh = (await bot.sent(alice.id)).result
        assert fresh["text"].startswith(render(texts.EXPIRED_FRESH)), data
        assert labels(fresh) == ["📚 Topics", "✅ Check my order"]
        answer = answer_to(bot.emu, query_id)
        assert answer is not None and answer.get("text") == render(texts.EXPIRED), data

    # No data at all (a game button), and a press on an inline-mode message (no chat): a toast.
    for query_id in (
        forge_press(bot.emu, alice, None, message=menu),
        forge_press(bot.emu, alice, "1:ok", inline_message_id="AAAA-inline"),
        forge_press(bot.emu, alice, "1:tp:999", inline_message_id="AAAA-inline"),
    ):
        await bot.emu.wait_until(lambda q=query_id: answer_to(bot.emu, q) is not None)  # type: ignore[misc]
    await _probe(bot, alice)

    # A valid page far out of range shows the last page, not an error.
    topics = (await bot.say(alice, "/topics")).result
    forge_press(bot.emu, alice, "1:tp:999", message=topics)
    page = await bot.emu.wait_for_request("editMessageText")
    assert "page 5 of 5" in page.result["text"]
    assert await bot.database.list_assessments(alice.id) == []
    assert await bot.database.pending_reminders(alice.id) == []
    # a fresh menu per forged press (and the one without data), the probe, /topics
    assert len(_sent_texts(bot, alice.id, before)) == len(forged) + 3
    _all_sends_were_accepted(bot)


async def test_replayed_buttons_change_nothing(bot: Harness) -> None:
    alice = bot.emu.create_user()
    msg = (await bot.say(alice, "/check")).result
    first_screen = msg
    msg = await bot.press_and_edit(alice, msg, button(msg, "Never arrived"))
    review = await bot.press_and_edit(alice, msg, button(msg, "Western Union"))
    confirm = button(review, "See the result")
    verdict = await bot.press_and_edit(alice, review, confirm)
    assert verdict["text"].startswith("❌ Not eligible")
    done_state = await bot.database.load_check(alice.id)

    # The same "See the result" press again (a replayed update, or a second tap that raced the
    # edit), and an answer from the first screen after the check moved on.
    query_id = forge_press(bot.emu, alice, confirm, message=review)
    await bot.emu.wait_until(lambda: answer_to(bot.emu, query_id) is not None)
    assert answer_to(bot.emu, query_id) == {
        "callback_query_id": query_id,
        "text": "Your result is above.",
    }
    query_id = forge_press(bot.emu, alice, button(first_screen, "Never"), message=first_screen)
    await bot.emu.wait_until(lambda: answer_to(bot.emu, query_id) is not None)
    assert (answer_to(bot.emu, query_id) or {}).get("text") == render(texts.EXPIRED)
    await bot.sent(alice.id)  # the fresh menu
    assert len(await bot.database.list_assessments(alice.id)) == 1
    assert await bot.database.load_check(alice.id) == done_state
    stats = await bot.database.stats()
    assert (stats.checks_started, stats.checks_finished) == (1, 1)

    # /forget confirmed twice: the second press deletes nothing more, and says so.
    ask = (await bot.say(alice, "/forget")).result
    yes = button(ask, "Yes")
    done = await bot.press_and_edit(alice, ask, yes)
    assert done["text"].startswith("Done. I deleted everything")
    forge_press(bot.emu, alice, yes, message=ask)
    again = await bot.emu.wait_for_request("editMessageText")
    assert "(1 records)" in again.result["text"]  # only the user row of this very press
    _all_sends_were_accepted(bot)


async def test_someone_elses_private_check_button_changes_nothing(bot: Harness) -> None:
    """In Telegram only A can press buttons in A's private chat; a forged press by B (with A's
    message) must neither move A's check nor show B anything in A's chat."""
    alice, bob = bot.emu.create_user("Alice"), bot.emu.create_user("Bob")
    msg = (await bot.say(alice, "/check")).result
    msg = await bot.press_and_edit(alice, msg, button(msg, "Shipped late"))
    alices_state = await bot.database.load_check(alice.id)
    await bot.say(bob, "/check")  # Bob has a check of his own
    bobs_state = await bot.database.load_check(bob.id)
    before = len(bot.emu.requests)

    for data in (button(msg, "Through"), button(msg, "Cancel"), button(msg, "Back"), "1:ok", "1:c"):
        query_id = forge_press(bot.emu, bob, data, message=msg)
        await bot.emu.wait_until(lambda q=query_id: answer_to(bot.emu, q) is not None)  # type: ignore[misc]
        assert (answer_to(bot.emu, query_id) or {}).get("text") == render(texts.NOT_YOURS)
    await _probe(bot, alice)
    await _probe(bot, bob)

    assert await bot.database.load_check(alice.id) == alices_state
    assert await bot.database.load_check(bob.id) == bobs_state
    to_alice = _sent_texts(bot, alice.id, before)
    assert len(to_alice) == 1 and to_alice[0].startswith("What I can do")  # the probe only
    edits = [c for c in bot.emu.requests[before:] if c.method.startswith("edit")]
    assert edits == []
    assert bot.emu.last_message(alice.id)["text"].startswith("What I can do")
    assert CheckState.from_json(alices_state or "").current == "paid_via"
    _all_sends_were_accepted(bot)


# --------------------------------------------------------------------------- groups


async def test_groups_edits_channels_and_bots_are_quiet(bot: Harness) -> None:
    alice, bob = bot.emu.create_user("Alice"), bot.emu.create_user("Bob")
    helper = bot.emu.create_user("Helper", is_bot=True)
    group = bot.emu.create_group("Importers")
    channel = bot.emu.create_channel("News")
    bot.emu.send_text(alice, group, f"/ask {INJECTION}")  # nothing to answer: silence
    await _probe(bot, alice, group)
    assert bot.count_to(group.id) == 1
    before = len(bot.emu.requests)

    # A message edited into an off-platform request, and into a question to the bot.
    bot.emu.send_text(bob, group, "hello all")
    await _probe(bot, alice, group)
    hello = max(
        mid
        for (chat_id, mid), m in bot.emu._messages.items()
        if chat_id == group.id and m.get("text") == "hello all"
    )
    bot.emu.edited_message(bob, group, hello, "pay me by western union please")
    bot.emu.edited_message(bob, group, hello, f"{BOT} what does trade assurance cover")
    # Another bot asks the bot and talks about off-platform payment.
    bot.emu.send_text(helper, group, f"{BOT} can I pay by western union?")
    bot.emu.send_text(helper, group, "/ask what does trade assurance cover")
    # A message posted in the group on behalf of a channel (Telegram's @Channel_Bot sender).
    channel_bot = User(136817688, "Channel", is_bot=True, username="Channel_Bot")
    msg = bot.emu._store(group, channel_bot, "pay by western union", sender_chat=channel.to_api())
    bot.emu.inject("message", msg)
    # A channel post (the bot is an admin of the channel).
    bot.emu.channel_post(channel, f"{BOT} can I pay by western union? {INJECTION}")
    # Addressed, but nothing to answer: silence in groups.
    for text in (f"{BOT} 😀😀", f"{BOT} {ARABIC}", f"{BOT} " + "x" * 4080, f"{BOT} !!!"):
        bot.emu.send_text(bob, group, text)
    await _probe(bot, alice, group)

    group_sends = _sent_texts(bot, group.id, before)
    assert len(group_sends) == 2 and all(t.startswith("What is covered") for t in group_sends)
    assert _sent_texts(bot, channel.id, 0) == []
    _all_sends_were_accepted(bot)


async def test_someone_elses_group_buttons_and_forged_owner(bot: Harness) -> None:
    alice, bob = bot.emu.create_user("Alice"), bot.emu.create_user("Bob")
    group = bot.emu.create_group("Importers")
    bot.emu.set_admins(group, alice)
    panel = (await bot.say(alice, "/settings", group)).result
    before_settings = await bot.database.group_settings(group.id)

    # Bob forges Alice's owner id into the data: still not an admin, nothing changes.
    for data in (f"1:s:{alice.id}:0", f"1:s:{bob.id}:0", f"1:g:{bob.id}:no-such-topic"):
        query_id = forge_press(bot.emu, bob, data, message=panel)
        await bot.emu.wait_until(lambda q=query_id: answer_to(bot.emu, q) is not None)  # type: ignore[misc]
        toast = answer_to(bot.emu, query_id)
        assert toast is not None
        assert toast.get("text") in (
            render(texts.NOT_YOURS),
            render(texts.NOT_ADMIN_TOAST),
            render(texts.EXPIRED),
        )
    assert await bot.database.group_settings(group.id) == before_settings
    # Private-chat operations pressed in a group expire with a toast and no group message.
    for data in ("1:c", "1:a:paid_via:western_union", "1:f:1", "1:t:what-is-covered"):
        query_id = forge_press(bot.emu, bob, data, message=panel)
        await bot.emu.wait_until(lambda q=query_id: answer_to(bot.emu, q) is not None)  # type: ignore[misc]
        assert (answer_to(bot.emu, query_id) or {}).get("text") == render(texts.EXPIRED)
    await _probe(bot, alice, group)
    assert await bot.database.load_check(bob.id) is None
    assert (await bot.database.rows_for_user(bob.id))["users"] == 1  # seen, nothing more
    assert bot.count_to(group.id) == 2  # the panel and the probe
    _all_sends_were_accepted(bot)
