"""In-process Telegram Bot API emulator so end-to-end tests can run the real PTB Application.

One :class:`Emulator` = one aiohttp server on 127.0.0.1 plus the fake Telegram state behind it.
Everything runs on the test's event loop; state changes wake waiters through per-waiter
``asyncio.Event`` objects, so nothing in the happy path sleeps or polls.

Timing hooks (for benchmarks; tests may ignore them): every update's injection time is kept in
``Emulator.injected_at`` (update_id -> ``time.perf_counter()``), every recorded :class:`Call`
carries ``received_at`` (when its HTTP request arrived), and callables in
``Emulator.request_listeners`` are called with each call as it is recorded, so a driver can react
to replies without scanning ``requests``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import math
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from .model import ApiError, Call, Chat, Delivery, Json, RateLimit, User, Webhook, bad_request
from .validation import check_reply_markup, check_text, detect_entities

BOT_ID = 7000000001
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Form values PTB sends verbatim; everything else it sends JSON-encoded (see RequestParameter).
_RAW_FIELDS = frozenset(
    "text caption query url secret_token callback_query_id inline_query_id parse_mode action "
    "language_code next_offset description short_description name title ip_address "
    "inline_message_id business_connection_id message_effect_id emoji".split()
)
_DEFAULT_UPDATES = {"message_reaction", "message_reaction_count", "chat_member"}
_CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note".split()
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_MENU_TYPES = ("default", "commands", "web_app")
_QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
_ADMIN_RIGHTS = (
    "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
    "can_promote_members can_change_info can_invite_users can_post_stories can_edit_stories "
    "can_delete_stories can_pin_messages".split()
)
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


def _decode(key: str, value: Any) -> Any:
    """Undo PTB's form encoding: non-string values arrive as JSON text (ints, bools, markup)."""
    if not isinstance(value, str) or key in _RAW_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value  # e.g. chat_id="@channel"


class Emulator:
    """Fake Telegram: serves the Bot API to the bot and gives tests a driver's seat.

    Injection methods (``send_text``, ``press_button``...) are synchronous and return the new
    update_id; waiting (``wait_for_request``, ``wait_for_delivery``, ``wait_until``) is async.
    """

    def __init__(
        self,
        *,
        bot_username: str = "ta_advisor_test_bot",
        bot_name: str = "TA Advisor (test)",
        rate_limit: RateLimit | None = None,
    ) -> None:
        self.token = f"{BOT_ID}:TEST-token-{'x' * 24}"
        self.bot_user = User(BOT_ID, bot_name, is_bot=True, username=bot_username)
        self.rate_limit = rate_limit  # None = no flood control (the default)
        self.can_read_all_group_messages = False
        """getMe's privacy-mode flag: False while privacy mode is on in @BotFather (default)."""
        self.webhook_retry = False  # True: like Telegram, re-push an update until a 2xx
        self.webhook = Webhook()
        self.updates: list[Json] = []  # every injected update, in order
        self.injected_at: dict[int, float] = {}  # update_id -> perf_counter() at injection
        self.request_listeners: list[Callable[[Call], None]] = []  # called per recorded call
        self._calls: list[Call] = []
        self.deliveries: list[Delivery] = []
        self.answered_callbacks: list[Json] = []
        self.answered_inline_queries: list[Json] = []
        self.menu_buttons: dict[int | None, Json] = {}
        self.active_polls = 0  # getUpdates requests currently waiting
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._pending: list[Json] = []  # updates not yet confirmed via getUpdates offset
        self._push_queue: asyncio.Queue[Json] = asyncio.Queue()
        self._allowed: list[str] | None = None
        self._users: dict[int, User] = {BOT_ID: self.bot_user}
        self._chats: dict[int, Chat] = {}
        self._messages: dict[tuple[int, int], Json] = {}
        self._by_bot: set[tuple[int, int]] = set()
        self._msg_seq: defaultdict[int, int] = defaultdict(int)
        self._members: dict[tuple[int, int], str] = {}
        self._blocked: set[int] = set()
        self._open_callbacks: set[str] = set()  # query ids the bot may still answer
        self._open_inline: set[str] = set()
        self._commands: dict[tuple[str, str], list[Json]] = {}
        self._failures: defaultdict[str, deque[ApiError]] = defaultdict(deque)
        self._sent_at: defaultdict[int, deque[float]] = defaultdict(deque)
        self._consumed: set[int] = set()
        self._waiters: set[asyncio.Event] = set()
        self._poll_gen = 0
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._pusher: asyncio.Task[None] | None = None
        self._port = 0
        # Bot API methods are the ``_api_<methodName>`` members; names are case-insensitive.
        self._methods: dict[str, tuple[str, Callable[[Json], Any]]] = {
            n[5:].lower(): (n[5:], getattr(self, n)) for n in dir(self) if n.startswith("_api_")
        }

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> Emulator:
        """Bind a free port on 127.0.0.1 and start the webhook pusher."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = self._runner.addresses[0][1]
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5))
        self._pusher = asyncio.create_task(self._push_loop(), name="emulator-webhook-push")
        return self

    async def stop(self) -> None:
        """Release long polls, stop pushing, close the server; safe to call twice."""
        self._closing = True
        self._notify()
        if self._pusher:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher
        if self._session:
            await self._session.close()
        if self._runner:
            await self._runner.cleanup()
        self._pusher = self._session = self._runner = None

    async def __aenter__(self) -> Emulator:
        return await self.start()

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder.base_url``: PTB appends the token itself."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/file/bot"

    # ------------------------------------------------------------------ world building
    def create_user(
        self,
        first_name: str = "Alice",
        *,
        username: str | None = None,
        last_name: str | None = None,
        is_bot: bool = False,
        language_code: str | None = "en",
    ) -> User:
        lang = None if is_bot else language_code
        user = User(100000000 + next(self._ids), first_name, is_bot, last_name, username, lang)
        self._users[user.id] = user
        return user

    def private_chat(self, user: User) -> Chat:
        """The user's private chat with the bot (id = user id, as in Telegram)."""
        names = {"first_name": user.first_name, "last_name": user.last_name}
        chat = Chat(user.id, "private", username=user.username, **names)
        return self._chats.setdefault(chat.id, chat)

    def create_group(
        self, title: str = "Test group", *, supergroup: bool = True, username: str | None = None
    ) -> Chat:
        n = next(self._ids)
        chat_id = -(1_000_000_000_000 + n) if supergroup else -(4_000_000_000 + n)
        chat = Chat(chat_id, "supergroup" if supergroup else "group", title, username)
        return self._chats.setdefault(chat.id, chat)

    def create_channel(self, title: str = "Test channel", *, username: str | None = None) -> Chat:
        chat = Chat(-(1_000_000_000_000 + next(self._ids)), "channel", title, username)
        return self._chats.setdefault(chat.id, chat)

    def set_member_status(self, chat: Chat, user: User, status: str) -> None:
        """Status for getChatMember: creator/administrator/member/left/kicked (default member)."""
        self._members[chat.id, user.id] = status

    def set_admins(self, chat: Chat, *users: User) -> None:
        for user in users:
            self.set_member_status(chat, user, "administrator")

    def block_bot(self, user: User) -> None:
        """Simulate the user blocking the bot: sends to them get 403 like in Telegram."""
        self._blocked.add(user.id)

    def fail_next(
        self,
        method: str,
        times: int = 1,
        *,
        retry_after: int = 1,
        error_code: int = 429,
        description: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail (429 flood wait by default)."""
        params = {"retry_after": retry_after} if error_code == 429 else None
        text = description or f"Too Many Requests: retry after {retry_after}"
        for _ in range(times):
            self._failures[method.lower()].append(ApiError(error_code, text, params))

    # ------------------------------------------------------------------ update injection
    def send_text(
        self,
        user: User,
        chat: Chat | None,
        text: str,
        *,
        reply_to: Json | int | None = None,
        entities: list[Json] | None = None,
    ) -> int:
        """A user (or, with ``is_bot``, another bot) writes ``text``; chat None = private chat."""
        chat = chat or self.private_chat(user)
        if entities is None:
            entities = detect_entities(text)
        reply = self._message_for_reply(chat, reply_to) if reply_to is not None else None
        msg = self._store(chat, user, text, entities=entities, reply_to_message=reply)
        return self.inject("message", msg)

    def send_media(
        self, user: User, chat: Chat | None, kind: str, caption: str | None = None
    ) -> int:
        """A user sends a photo or a document (``kind``), with an optional caption."""
        chat = chat or self.private_chat(user)
        file_id = f"{kind}-{next(self._ids)}"
        media: Json = (
            [{"file_id": file_id, "file_unique_id": file_id, "width": 800, "height": 600}]
            if kind == "photo"
            else {"file_id": file_id, "file_unique_id": file_id, "file_name": "invoice.pdf"}
        )
        entities = detect_entities(caption) if caption else None
        msg = self._store(
            chat, user, "", caption=caption, caption_entities=entities, **{kind: media}
        )
        del msg["text"]
        return self.inject("message", msg)

    def edited_message(self, user: User, chat: Chat, message_id: int, text: str) -> int:
        """The user edits one of their earlier messages."""
        msg = self._messages.get((chat.id, message_id))
        if msg is None or msg.get("from", {}).get("id") != user.id:
            raise ValueError(f"user {user.id} has no message {message_id} in chat {chat.id}")
        msg.update(text=text, edit_date=int(time.time()), entities=detect_entities(text))
        if not msg["entities"]:
            del msg["entities"]
        return self.inject("edited_message", msg)

    def channel_post(self, chat: Chat, text: str) -> int:
        msg = self._store(chat, chat, text, entities=detect_entities(text))
        return self.inject("channel_post", msg)

    def press_button(self, user: User, message: Json, callback_data: str) -> int:
        """Press an inline button on the bot's message (its current state, after edits)."""
        key = (message["chat"]["id"], message["message_id"])
        current = self._messages.get(key)
        if current is None:
            raise ValueError(f"message {key} does not exist (deleted?)")
        if callback_data not in {b.get("callback_data") for b in self._inline_buttons(current)}:
            raise ValueError(
                f"no button with callback_data {callback_data!r}: {self.buttons(current)}"
            )
        query: Json = {
            "id": str(800000 + next(self._ids)),
            "from": user.to_api(),
            "message": copy.deepcopy(current),
            "chat_instance": str(abs(key[0]) * 31),
            "data": callback_data,
        }
        self._open_callbacks.add(query["id"])
        return self.inject("callback_query", query)

    def inline_query(
        self, user: User, query: str, *, offset: str = "", chat_type: str | None = "private"
    ) -> int:
        payload: Json = {
            "id": str(900000 + next(self._ids)),
            "from": user.to_api(),
            "query": query,
            "offset": offset,
            **({"chat_type": chat_type} if chat_type else {}),
        }
        self._open_inline.add(payload["id"])
        return self.inject("inline_query", payload)

    def my_chat_member(
        self, chat: Chat, by: User, *, old_status: str = "left", new_status: str = "member"
    ) -> int:
        """The bot's own membership changed (e.g. ``by`` added it to a group)."""
        old = self._member_json(chat, self.bot_user, old_status)
        self.set_member_status(chat, self.bot_user, new_status)
        payload = {
            "chat": chat.to_api(),
            "from": by.to_api(),
            "date": int(time.time()),
            "old_chat_member": old,
            "new_chat_member": self._member_json(chat, self.bot_user),
        }
        return self.inject("my_chat_member", payload)

    def inject(self, kind: str, payload: Json) -> int:
        """Queue (polling) or push (webhook) a raw update ``{"update_id": n, kind: payload}``."""
        update_id = next(self._update_ids)
        update = {"update_id": update_id, kind: copy.deepcopy(payload)}
        self.updates.append(update)
        self.injected_at[update_id] = time.perf_counter()
        if self.webhook.url:
            self._push_queue.put_nowait(update)
        else:
            self._pending.append(update)
        self._notify()
        return update_id

    # ------------------------------------------------------------------ inspection
    @property
    def requests(self) -> list[Call]:
        return list(self._calls)

    def messages_to(self, chat_id: int) -> list[Json]:
        """The bot's messages in a chat, as they look now (edits applied, deletions removed)."""
        return [
            copy.deepcopy(m)
            for k, m in self._messages.items()
            if k[0] == chat_id and k in self._by_bot
        ]

    def last_message(self, chat_id: int) -> Json:
        msgs = self.messages_to(chat_id)
        if not msgs:
            raise LookupError(f"the bot has sent nothing to chat {chat_id}")
        return msgs[-1]

    @staticmethod
    def _inline_buttons(message: Json) -> list[Json]:
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        return [b for row in rows for b in row]

    @classmethod
    def buttons(cls, message: Json) -> list[tuple[str, str | None]]:
        """(text, callback_data or url) per inline button, row by row."""
        return [
            (b["text"], b.get("callback_data", b.get("url"))) for b in cls._inline_buttons(message)
        ]

    def commands(self, scope: Json | None = None, language_code: str | None = None) -> list[Json]:
        return list(self._commands.get(self._scope_key(scope, language_code), []))

    @property
    def pending_updates(self) -> int:
        return len(self._pending) + self._push_queue.qsize()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Await a condition on emulator state; raises TimeoutError after ``timeout`` s."""
        if not await self._wait(predicate, timeout):
            raise TimeoutError(f"condition not met within {timeout}s")

    async def wait_for_request(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,
        *,
        include_errors: bool = False,
    ) -> Call:
        """First matching call not returned by an earlier wait (so waits consume in order)."""
        found: list[Call] = []

        def match() -> bool:
            for call in self._calls:
                if (
                    call.index not in self._consumed
                    and call.method.lower() == method.lower()
                    and (include_errors or call.ok)
                    and (predicate is None or predicate(call))
                ):
                    found.append(call)
                    return True
            return False

        if not await self._wait(match, timeout):
            seen = [f"{c.method}:{c.status}" for c in self._calls]
            raise TimeoutError(f"no {method} call within {timeout}s; calls so far: {seen}")
        self._consumed.add(found[0].index)
        return found[0]

    async def wait_for_delivery(self, update_id: int, timeout: float = 5.0) -> Delivery:
        """Wait until update ``update_id`` was pushed to the webhook (successfully or not)."""
        await self.wait_until(
            lambda: any(d.update_id == update_id for d in self.deliveries), timeout
        )
        return next(d for d in self.deliveries if d.update_id == update_id)

    # ------------------------------------------------------------------ plumbing
    def _notify(self) -> None:
        for event in self._waiters:
            event.set()

    async def _wait(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Re-check ``predicate`` after every state change until it holds or time runs out."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0 or self._closing:
                return False
            event = asyncio.Event()
            self._waiters.add(event)
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)
            finally:
                self._waiters.discard(event)
        return True

    async def _handle(self, request: web.Request) -> web.Response:
        received_at = time.perf_counter()
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        params = await self._read_params(request)
        name, handler = self._methods.get(
            request.match_info["method"].lower(), (request.match_info["method"], None)
        )
        try:
            if handler is None:  # recorded too, so a test can see the bot used an unknown method
                raise ApiError(404, "Not Found")
            if self._failures[name.lower()]:
                raise self._failures[name.lower()].popleft()
            flood_chat = self._check_flood(name, params)
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
            status, body = 200, {"ok": True, "result": result}
            if flood_chat is not None:  # only messages that went out count against the limit
                self._sent_at[flood_chat].append(time.monotonic())
        except ApiError as exc:
            status, body = exc.code, exc.body()
        except Exception as exc:  # an emulator bug: make it loud in the recorded calls
            status, body = 500, ApiError(500, f"Internal Server Error: {exc!r}").body()
        if request.transport is not None and not request.transport.is_closing():
            # Unrecorded otherwise: a long poll PTB abandoned on shutdown is nobody's reply.
            call = Call(len(self._calls), name, params, status, body, received_at)
            self._calls.append(call)
            for listener in self.request_listeners:
                listener(call)
            self._notify()
        return web.json_response(body, status=status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        status = 404 if request.match_info["token"] == self.token else 401
        return web.json_response(ApiError(status, "Not Found").body(), status=status)

    @staticmethod
    async def _read_params(request: web.Request) -> Json:
        raw: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            raw.update(body if isinstance(body, dict) else {})
        elif request.can_read_body:
            for key, value in (await request.post()).items():
                raw[key] = (
                    value if isinstance(value, str) else {"file": getattr(value, "filename", "")}
                )
        return {k: _decode(k, v) for k, v in raw.items()}

    def _check_flood(self, method: str, params: Json) -> int | None:
        """Raise 429 if the chat's window is full; return the chat id a success counts for."""
        if self.rate_limit is None or not method.startswith(("send", "edit")):
            return None
        chat_id = params.get("chat_id")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None or method == "sendChatAction":
            return None
        limit, window = self.rate_limit.private if chat.type == "private" else self.rate_limit.group
        now, sent = time.monotonic(), self._sent_at[chat.id]
        while sent and sent[0] <= now - window:
            sent.popleft()
        if len(sent) >= limit:
            wait = max(1, math.ceil(sent[0] + window - now))
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        return chat.id

    async def _push_loop(self) -> None:
        """Deliver webhook-mode updates one by one, in order, like Telegram does per bot."""
        assert self._session is not None
        while True:
            update = await self._push_queue.get()
            hook = self.webhook
            if not hook.url:  # webhook deleted meanwhile: fall back to getUpdates
                self._pending.append(update)
                self._notify()
                continue
            while True:
                _, error = await self._push(hook, update)
                if not error or not self.webhook_retry or not self.webhook.url:
                    break
                await asyncio.sleep(0.05)  # Telegram retries the same update, in order
                hook = self.webhook

    async def _push(self, hook: Webhook, update: Json) -> tuple[int | None, str | None]:
        """POST one update to the webhook; record the delivery."""
        assert self._session is not None
        headers = {SECRET_HEADER: hook.secret_token} if hook.secret_token else {}
        status, error = None, None
        try:
            async with self._session.post(hook.url, json=update, headers=headers) as resp:
                status = resp.status
                if not 200 <= status < 300:
                    error = f"Wrong response from the webhook: {status} {resp.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = f"Connection failed: {exc!r}"
        if error:
            hook.last_error_date, hook.last_error_message = int(time.time()), error
        self.deliveries.append(Delivery(update["update_id"], hook.url, status, error))
        self._notify()
        return status, error

    # ------------------------------------------------------------------ lookups
    def _chat(self, p: Json) -> Chat:
        chat_id = p.get("chat_id")
        if chat_id in (None, ""):
            raise bad_request("chat_id is empty")
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            chat = next((c for c in self._chats.values() if c.username == chat_id[1:]), None)
        else:
            chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _user(self, user_id: Any) -> User:
        if user_id not in self._users:
            raise bad_request("user not found")
        return self._users[user_id]

    def _message_for_reply(self, chat: Chat, reply_to: Json | int) -> Json:
        mid = reply_to if isinstance(reply_to, int) else reply_to["message_id"]
        msg = self._messages.get((chat.id, mid))
        if msg is None:
            raise ValueError(f"no message {mid} in chat {chat.id}")
        return {k: v for k, v in msg.items() if k != "reply_to_message"}

    def _member_json(self, chat: Chat, user: User, status: str | None = None) -> Json:
        status = status or self._members.get((chat.id, user.id), "member")
        member: Json = {"status": status, "user": user.to_api()}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(
                dict.fromkeys(_ADMIN_RIGHTS, True), can_be_edited=False, is_anonymous=False
            )
        elif status == "kicked":
            member["until_date"] = 0
        return member

    @staticmethod
    def _scope_key(scope: Any, language_code: Any) -> tuple[str, str]:
        return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code or ""

    def _store(self, chat: Chat, sender: User | Chat | None, text: str, **fields: Any) -> Json:
        """Create a message with the next per-chat id; falsy ``fields`` are left out."""
        self._msg_seq[chat.id] += 1
        msg: Json = {"message_id": self._msg_seq[chat.id], "date": int(time.time())}
        msg["chat"] = chat.to_api()
        if sender:  # a Chat sender means a channel post: sender_chat instead of from
            msg["sender_chat" if isinstance(sender, Chat) else "from"] = sender.to_api()
        msg.update({"text": text, **{k: v for k, v in fields.items() if v}})
        self._messages[chat.id, msg["message_id"]] = msg
        return msg

    def _bot_message(self, p: Json, missing: str) -> tuple[tuple[int, int], Json]:
        if p.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat, mid = self._chat(p), p.get("message_id")
        if not isinstance(mid, int):
            raise bad_request("message identifier is not specified")
        msg = self._messages.get((chat.id, mid))
        if msg is None:
            raise bad_request(missing)
        if (chat.id, mid) not in self._by_bot:
            raise bad_request(
                "message can't be edited" if "edit" in missing else "message can't be deleted"
            )
        return (chat.id, mid), msg

    def _check_can_send(self, chat: Chat) -> None:
        if chat.type == "private" and chat.id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat.type != "private" and self._members.get((chat.id, BOT_ID)) in ("left", "kicked"):
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")

    # ------------------------------------------------------------------ Bot API methods
    def _api_getMe(self, p: Json) -> Json:
        extra = {
            "can_join_groups": True,
            "can_read_all_group_messages": self.can_read_all_group_messages,
        }
        return {**self.bot_user.to_api(), **extra, "supports_inline_queries": True}

    def _api_close(self, p: Json) -> bool:
        return True

    def _api_logOut(self, p: Json) -> bool:
        return True

    def _api_getMyCommands(self, p: Json) -> list[Json]:
        return self.commands(p.get("scope"), p.get("language_code"))

    def _api_getChatMember(self, p: Json) -> Json:
        return self._member_json(self._chat(p), self._user(p.get("user_id")))

    def _api_editMessageText(self, p: Json) -> Json:
        return self._edit(p, text_params=True)

    def _api_editMessageReplyMarkup(self, p: Json) -> Json:
        return self._edit(p, text_params=False)

    async def _api_getUpdates(self, p: Json) -> list[Json]:
        """Long polling: answer as soon as updates exist, else after ``timeout`` seconds."""
        if self.webhook.url:
            raise ApiError(409, _WEBHOOK_CONFLICT)
        offset, limit = int(p.get("offset") or 0), min(max(int(p.get("limit") or 100), 1), 100)
        timeout = min(max(float(p.get("timeout") or 0), 0.0), 60.0)
        if isinstance(p.get("allowed_updates"), list):
            self._allowed = p["allowed_updates"] or None
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        self._poll_gen += 1
        gen = self._poll_gen
        self._notify()  # an older, still waiting poll is now superseded (409 below)
        self.active_polls += 1
        try:
            await self._wait(lambda: gen != self._poll_gen or bool(self._deliverable()), timeout)
        finally:
            self.active_polls -= 1
        if gen != self._poll_gen:
            raise ApiError(409, _POLL_CONFLICT)
        return copy.deepcopy(self._deliverable()[:limit])

    def _deliverable(self) -> list[Json]:
        def wanted(update: Json) -> bool:
            kind = next(k for k in update if k != "update_id")
            return kind in self._allowed if self._allowed else kind not in _DEFAULT_UPDATES

        return [u for u in self._pending if wanted(u)]

    def _api_setWebhook(self, p: Json) -> bool:
        url = p.get("url") or ""
        if not url:
            return self._api_deleteWebhook(p)
        if not re.match(r"https?://[^/\s]+", url):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise bad_request("secret token contains unallowed characters")
        if p.get("drop_pending_updates"):
            self._pending.clear()
        self.webhook = Webhook(
            url, secret, int(p.get("max_connections") or 40), p.get("allowed_updates") or None
        )
        for update in self._pending:  # what polling did not confirm is now pushed
            self._push_queue.put_nowait(update)
        self._pending.clear()
        return True

    def _api_deleteWebhook(self, p: Json) -> bool:
        self.webhook = Webhook()
        if p.get("drop_pending_updates"):
            self._pending.clear()
            while not self._push_queue.empty():
                self._push_queue.get_nowait()
        return True

    def _api_getWebhookInfo(self, p: Json) -> Json:
        hook = self.webhook
        info: Json = {
            "url": hook.url,
            "has_custom_certificate": False,
            "pending_update_count": self.pending_updates,
        }
        if hook.url:
            info["max_connections"] = hook.max_connections
            if hook.allowed_updates:
                info["allowed_updates"] = hook.allowed_updates
        if hook.last_error_date:
            info.update(
                last_error_date=hook.last_error_date, last_error_message=hook.last_error_message
            )
        return info

    def _api_setMyCommands(self, p: Json) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be a list of at most 100 BotCommand")
        for cmd in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(cmd.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._scope_key(p.get("scope"), p.get("language_code"))] = commands
        return True

    def _api_deleteMyCommands(self, p: Json) -> bool:
        self._commands.pop(self._scope_key(p.get("scope"), p.get("language_code")), None)
        return True

    def _api_sendMessage(self, p: Json) -> Json:
        chat = self._chat(p)
        self._check_can_send(chat)
        text, entities = check_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
        markup = check_reply_markup(p.get("reply_markup"))
        reply = None
        target = (p.get("reply_parameters") or {}).get("message_id", p.get("reply_to_message_id"))
        if target is not None:
            if (chat.id, target) in self._messages:
                reply = self._message_for_reply(chat, target)
            elif not (p.get("reply_parameters") or {}).get("allow_sending_without_reply"):
                raise bad_request("message to be replied not found")
        sender = chat if chat.type == "channel" else self.bot_user  # channel posts: no "from"
        msg = self._store(
            chat, sender, text, entities=entities, reply_to_message=reply, reply_markup=markup
        )
        self._by_bot.add((chat.id, msg["message_id"]))
        return copy.deepcopy(msg)

    def _edit(self, p: Json, *, text_params: bool) -> Json:
        """Apply an edit unless it changes nothing (Telegram's 'message is not modified').

        Like Telegram, an edit without reply_markup removes the inline keyboard.
        """
        key, old = self._bot_message(p, "message to edit not found")
        text, entities = old["text"], old.get("entities")
        if text_params:
            text, entities = check_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
        markup = check_reply_markup(p.get("reply_markup"))
        new = {k: v for k, v in old.items() if k not in ("entities", "reply_markup", "edit_date")}
        new["text"] = text
        new.update({k: v for k, v in (("entities", entities), ("reply_markup", markup)) if v})
        if new == {k: v for k, v in old.items() if k != "edit_date"}:
            raise bad_request(_NOT_MODIFIED)
        new["edit_date"] = int(time.time())
        self._messages[key] = new
        return copy.deepcopy(new)

    def _api_deleteMessage(self, p: Json) -> bool:
        key, _ = self._bot_message(p, "message to delete not found")
        del self._messages[key]
        return True

    def _api_answerCallbackQuery(self, p: Json) -> bool:
        qid = p.get("callback_query_id")
        if qid not in self._open_callbacks:
            raise bad_request(_QUERY_TOO_OLD)
        if len(str(p.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._open_callbacks.discard(qid)
        self.answered_callbacks.append(p)
        return True

    def _api_answerInlineQuery(self, p: Json) -> bool:
        qid, results = p.get("inline_query_id"), p.get("results")
        if qid not in self._open_inline:
            raise bad_request(_QUERY_TOO_OLD)
        if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
            raise bad_request("can't parse inline query results JSON object")
        if len(results) > 50:
            raise bad_request("RESULTS_TOO_MUCH")
        ids = [str(r.get("id", "")) for r in results]
        if not all(1 <= len(i.encode()) <= 64 for i in ids) or not all(
            "type" in r for r in results
        ):
            raise bad_request("RESULT_ID_INVALID")
        if len(set(ids)) != len(ids):
            raise bad_request("RESULT_ID_DUPLICATE")
        self._open_inline.discard(qid)
        self.answered_inline_queries.append(p)
        return True

    def _api_sendChatAction(self, p: Json) -> bool:
        self._check_can_send(self._chat(p))
        if p.get("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _api_getChat(self, p: Json) -> Json:
        gifts = (
            "unlimited_gifts limited_gifts unique_gifts premium_subscription gifts_from_channels"
        )
        return {
            **self._chat(p).to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys(gifts.split(), False),
        }

    def _api_setChatMenuButton(self, p: Json) -> bool:
        button = p.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in _MENU_TYPES:
            raise bad_request("can't parse menu button JSON object")
        self.menu_buttons[p.get("chat_id")] = button
        return True
