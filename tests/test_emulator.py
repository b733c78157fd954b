"""The Bot API emulator, exercised through the real python-telegram-bot library."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from telegram import (
    Bot,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.emulator import SECRET_HEADER, Emulator, RateLimit, app_builder, polling

pytest_plugins = ["tests.emulator.fixtures"]

KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Again", callback_data="again")],
        [InlineKeyboardButton("Docs", url="https://example.com/docs")],
    ]
)


@pytest_asyncio.fixture
async def bot(emulator: Emulator) -> AsyncIterator[Bot]:
    """A bare PTB Bot on the emulator, for checking single API calls."""
    async with Bot(emulator.token, base_url=emulator.base_url) as b:
        yield b


async def test_polling_echo_and_button_roundtrip(emulator: Emulator) -> None:
    seen: list[Message] = []

    async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message and update.message.text
        sent = await update.message.reply_text(
            f"<b>echo</b>: {html.escape(update.message.text)}",
            parse_mode="HTML",
            reply_markup=KEYBOARD,
        )
        seen.extend([update.message, sent])

    async def start(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat
        await update.effective_chat.send_message("welcome")

    async def button(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query
        await query.answer("done")
        await query.edit_message_text(f"pressed {query.data}")

    app = app_builder(emulator).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(button))

    alice = emulator.create_user("Alice", username="alice")
    chat = emulator.private_chat(alice)
    async with polling(app):
        emulator.send_text(alice, chat, "/start")
        assert (await emulator.wait_for_request("sendMessage")).params["text"] == "welcome"

        emulator.send_text(alice, chat, "hi <you> & co")
        call = await emulator.wait_for_request("sendMessage")
        assert call.params["chat_id"] == chat.id
        assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "again"
        msg = emulator.last_message(chat.id)
        assert msg["text"] == "echo: hi <you> & co"
        assert msg["entities"] == [{"type": "bold", "offset": 0, "length": 4}]
        assert emulator.buttons(msg) == [("Again", "again"), ("Docs", "https://example.com/docs")]

        emulator.press_button(alice, msg, "again")
        await emulator.wait_for_request("answerCallbackQuery")
        await emulator.wait_for_request("editMessageText")
        assert emulator.last_message(chat.id)["text"] == "pressed again"
        assert "reply_markup" not in emulator.last_message(chat.id)  # edit dropped the keyboard
        assert [a["text"] for a in emulator.answered_callbacks] == ["done"]

    # PTB parsed both directions without stashing unknown fields in api_kwargs.
    incoming, sent = seen
    assert incoming.api_kwargs == {} and incoming.from_user and incoming.from_user.id == alice.id
    assert sent.api_kwargs == {} and sent.from_user == sent.get_bot().bot
    assert sent.reply_markup == KEYBOARD
    assert [c.method for c in emulator.requests if not c.ok] == []


async def test_wrong_token_and_unknown_method(emulator: Emulator) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{emulator.base_url}123:wrong/getMe") as resp:
            assert resp.status == 401
            assert await resp.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with http.post(f"{emulator.base_url}{emulator.token}/noSuchMethod") as resp:
            assert resp.status == 404
            assert (await resp.json())["error_code"] == 404
        # JSON bodies are accepted too, and reply_markup may be a JSON string there.
        alice = emulator.create_user()
        body = {"chat_id": alice.id, "text": "x", "reply_markup": '{"remove_keyboard": true}'}
        emulator.private_chat(alice)
        async with http.post(f"{emulator.base_url}{emulator.token}/sendMessage", json=body) as r:
            assert (await r.json())["result"]["text"] == "x"
        # Multipart (what PTB sends when uploading) decodes like form data.
        form = aiohttp.FormData({"chat_id": str(alice.id), "text": "42"})
        form.add_field("reply_markup", KEYBOARD.to_json())
        form.add_field("document", b"data", filename="a.txt")
        async with http.post(f"{emulator.base_url}{emulator.token}/sendMessage", data=form) as r:
            assert (await r.json())["result"]["reply_markup"] == KEYBOARD.to_dict()
        call = await emulator.wait_for_request("sendMessage", lambda c: "document" in c.params)
        assert call.params["text"] == "42" and call.params["chat_id"] == alice.id
    with pytest.raises(InvalidToken):
        async with Bot("123:wrong", base_url=emulator.base_url):
            pass


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<b>unclosed", 'find end tag corresponding to start tag "b"'),
        ("<b>x</i>", "unmatched end tag"),
        ("<foo>x</foo>", 'unsupported start tag "foo"'),
        ("1 < 2", 'unexpected "<"'),
        ("AT&T", "unsupported html entity"),
        ("<b></b>", "message text is empty"),
        ("x" * 4097, "message is too long"),
    ],
)
async def test_html_validation(emulator: Emulator, bot: Bot, text: str, error: str) -> None:
    chat = emulator.private_chat(emulator.create_user())
    with pytest.raises(BadRequest) as exc:
        await bot.send_message(chat.id, text, parse_mode="HTML")
    assert error in str(exc.value).lower()


async def test_valid_html_and_edits(emulator: Emulator, bot: Bot) -> None:
    chat = emulator.private_chat(emulator.create_user())
    src = "<i>é&amp;</i> <a href='https://x.org/?a=1&amp;b=2'>link</a> 😀 <code>c</code>"
    msg = await bot.send_message(chat.id, src + "x" * 4080, parse_mode="HTML")
    assert msg.text and msg.text.startswith("é& link 😀 c")
    assert [(e.type, e.offset, e.length) for e in msg.entities] == [
        ("italic", 0, 2),
        ("text_link", 3, 4),
        ("code", 11, 1),  # the emoji counts as two UTF-16 units
    ]
    assert msg.entities[1].url == "https://x.org/?a=1&b=2"
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text(src + "x" * 4080, chat.id, msg.message_id, parse_mode="HTML")
    with pytest.raises(BadRequest, match="to edit not found"):
        await bot.edit_message_text("new", chat.id, msg.message_id + 1)
    edited = await bot.edit_message_reply_markup(chat.id, msg.message_id, reply_markup=KEYBOARD)
    assert isinstance(edited, Message) and edited.reply_markup == KEYBOARD
    assert await bot.delete_message(chat.id, msg.message_id)
    assert emulator.messages_to(chat.id) == []


async def test_callback_data_limit_is_64_bytes(emulator: Emulator, bot: Bot) -> None:
    chat = emulator.private_chat(emulator.create_user())

    def markup(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data=data)]])

    await bot.send_message(chat.id, "ok", reply_markup=markup("é" * 32))  # 64 bytes
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(chat.id, "too long", reply_markup=markup("é" * 32 + "x"))
    with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed"):
        await bot.send_message(
            chat.id, "no action", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("b")]])
        )


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_429_hook_and_rate_limit_reach_ptb_as_retry_after(
    emulator: Emulator, bot: Bot
) -> None:
    chat = emulator.private_chat(emulator.create_user())
    emulator.fail_next("sendMessage")
    with pytest.raises(RetryAfter) as exc:
        await bot.send_message(chat.id, "first")
    assert "Retry in 1" in str(exc.value)
    failed = await emulator.wait_for_request("sendMessage", include_errors=True)
    assert failed.status == 429
    assert failed.response["parameters"] == {"retry_after": 1}
    await bot.send_message(chat.id, "retried")  # the hook fired only once

    emulator.rate_limit = RateLimit(private=(1, 30.0))
    await bot.send_message(chat.id, "within the limit")
    with pytest.raises(RetryAfter):
        await bot.send_message(chat.id, "flood")
    group = emulator.create_group()
    await bot.send_message(group.id, "other chats have their own window")


async def test_get_updates_long_poll_offset_and_update_types(emulator: Emulator, bot: Bot) -> None:
    alice, other_bot = emulator.create_user(), emulator.create_user("Helper", is_bot=True)
    group, channel = emulator.create_group("G"), emulator.create_channel("C", username="chan")

    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await emulator.wait_until(lambda: emulator.active_polls == 1)
    first = emulator.send_text(alice, group, "hey @ta_advisor_test_bot /help@ta_advisor_test_bot")
    (update,) = await asyncio.wait_for(poll, 2)  # returned at once, not after 10 s
    assert update.update_id == first and update.message
    assert [(e.type, e.offset) for e in update.message.entities] == [
        ("mention", 4),
        ("bot_command", 25),
    ]

    emulator.send_text(other_bot, group, "beep", reply_to=update.message.message_id)
    emulator.edited_message(alice, group, update.message.message_id, "edited")
    emulator.channel_post(channel, "news")
    emulator.inline_query(alice, "claim")
    emulator.my_chat_member(group, alice)
    updates = await bot.get_updates(offset=first + 1, timeout=0)
    assert [u.update_id for u in updates] == list(range(first + 1, first + 6))
    assert all(u.api_kwargs == {} for u in updates)
    reply, edit, post, inline, member = updates
    assert reply.message and reply.message.from_user and reply.message.from_user.is_bot
    assert reply.message.reply_to_message and reply.message.reply_to_message.text
    assert edit.edited_message and edit.edited_message.text == "edited"
    assert post.channel_post and post.channel_post.sender_chat
    assert member.my_chat_member and member.my_chat_member.new_chat_member.status == "member"

    assert inline.inline_query
    results = [
        InlineQueryResultArticle(str(i % 60), "t", InputTextMessageContent("x")) for i in range(51)
    ]
    with pytest.raises(BadRequest, match=r"(?i)results_too_much"):
        await bot.answer_inline_query(inline.inline_query.id, results)
    with pytest.raises(BadRequest, match=r"(?i)result_id_duplicate"):
        await bot.answer_inline_query(inline.inline_query.id, [results[0], results[0]])
    assert await bot.answer_inline_query(inline.inline_query.id, results[:3])

    assert await bot.get_updates(offset=first + 6, timeout=0) == ()
    assert emulator.pending_updates == 0


async def test_chats_members_commands_and_errors(emulator: Emulator, bot: Bot) -> None:
    alice, bob = emulator.create_user("Alice"), emulator.create_user("Bob")
    group = emulator.create_group("Importers")
    emulator.set_admins(group, alice)
    assert (await bot.get_chat_member(group.id, alice.id)).status == "administrator"
    assert (await bot.get_chat_member(group.id, bob.id)).status == "member"
    info = await bot.get_chat(group.id)
    assert info.title == "Importers" and info.api_kwargs == {}
    await bot.send_chat_action(group.id, "typing")

    scope = BotCommandScopeAllPrivateChats()
    assert await bot.set_my_commands([("start", "Start")], scope=scope, language_code="en")
    assert [c.command for c in await bot.get_my_commands(scope=scope, language_code="en")] == [
        "start"
    ]
    assert await bot.get_my_commands() == ()
    assert await bot.delete_my_commands(scope=scope, language_code="en")
    assert emulator.commands(scope.to_dict(), "en") == []

    emulator.block_bot(bob)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(emulator.private_chat(bob).id, "hi")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "hi")


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[tuple[str, list[tuple[str | None, Any]]]]:
    """A tiny webhook endpoint that checks the secret header like PTB's webhook server does."""
    got: list[tuple[str | None, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        secret = request.headers.get(SECRET_HEADER)
        got.append((secret, await request.json()))
        return web.Response(status=200 if secret == "s3cret" else 403)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook", got
    await runner.cleanup()


async def test_webhook_push(
    emulator: Emulator, bot: Bot, receiver: tuple[str, list[tuple[str | None, Any]]]
) -> None:
    url, got = receiver
    alice = emulator.create_user()
    queued = emulator.send_text(alice, None, "sent while polling")
    assert await bot.set_webhook(url, secret_token="s3cret")
    assert (await emulator.wait_for_delivery(queued)).status == 200  # pending ones get pushed
    pushed = emulator.send_text(alice, None, "hello hook")
    delivery = await emulator.wait_for_delivery(pushed)
    assert delivery.status == 200 and delivery.url == url
    assert got[-1][0] == "s3cret"
    assert Update.de_json(got[-1][1], bot).message.text == "hello hook"  # type: ignore[union-attr]
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)

    assert await bot.set_webhook(url, secret_token="wrong")
    assert (await emulator.wait_for_delivery(emulator.send_text(alice, None, "x"))).status == 403
    info = await bot.get_webhook_info()
    assert info.url == url and "403" in (info.last_error_message or "")

    assert await bot.delete_webhook()
    polled = emulator.send_text(alice, None, "back to polling")
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [polled]
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates(timeout=0) == ()
